"""Exports read back by networkx (GraphML, GEXF) and by our own reader (CSV)."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx

from pinchpoint.network import Network, read_edges


def test_graphml_round_trip(smugglers: Network, tmp_path: Path) -> None:
    from pinchpoint.network.export import write_graphml

    out = io.StringIO()
    write_graphml(smugglers, out, {"score": [float(i) for i in range(smugglers.n)]})
    path = tmp_path / "g.graphml"
    path.write_text(out.getvalue(), encoding="utf-8")
    graph = nx.read_graphml(path, force_multigraph=True)
    assert graph.number_of_nodes() == 8 and graph.number_of_edges() == 11
    assert graph.nodes["victim"]["category"] == "victim"
    assert graph.nodes["boss"]["score"] == 0.0
    evidence = {d["evidence"] for _, _, d in graph.edges(data=True)}
    assert "pay-1" in evidence


def test_gexf_round_trip(smugglers: Network, tmp_path: Path) -> None:
    from pinchpoint.network.export import write_gexf

    path = tmp_path / "g.gexf"
    with path.open("w", encoding="utf-8") as handle:
        write_gexf(smugglers, handle, {"group": ["G1"] * smugglers.n})
    graph = nx.read_gexf(path)
    assert graph.number_of_nodes() == 8
    assert graph.nodes["boss"]["label"] == "The Boss"
    assert graph.nodes["boss"]["group"] == "G1"


def test_csv_round_trip(smugglers: Network, tmp_path: Path) -> None:
    from pinchpoint.network.export import write_csv

    nodes, edges = write_csv(smugglers, tmp_path / "out")
    back = read_edges(edges)
    assert back.m == smugglers.m
    assert back.links(back.index("boss"), back.index("fixer"))[0].evidence == ("call-1",)
    assert nodes.read_text(encoding="utf-8").splitlines()[0].startswith("id,label")


def test_awkward_text_is_escaped(tmp_path: Path) -> None:
    from pinchpoint.network.export import write_graphml

    network = read_edges(_write(tmp_path, 'a&b "<c>" 1\n'))
    out = io.StringIO()
    write_graphml(network, out)
    path = tmp_path / "x.graphml"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert set(nx.read_graphml(path).nodes) == {"a&b", '"<c>"'}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "e.txt"
    path.write_text(text, encoding="utf-8")
    return path
