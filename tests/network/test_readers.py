"""The three plain-graph layouts and the node attribute file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pinchpoint.network import NetworkError, read_edges, read_nodes


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_whitespace_and_comma_edge_lists(tmp_path: Path) -> None:
    spaced = read_edges(write(tmp_path, "a.txt", "# comment\n1 2 3\n2\t3\n\n3 1 0.5\n"))
    commas = read_edges(write(tmp_path, "b.csv", "1,2,3\n2,3\n3,1,0.5\n"))
    for network in (spaced, commas):
        assert network.ids == ["1", "2", "3"]
        assert network.weight.tolist() == [3.0, 1.0, 0.5]
        assert not network.directed


def test_duplicate_ties_are_summed_in_the_simple_view(tmp_path: Path) -> None:
    network = read_edges(write(tmp_path, "d.txt", "a b 2\nb a 3\na a 1\n"))
    graph = network.simple()
    assert graph.ecount() == 1 and graph.es["weight"] == [5.0]
    assert len(network.links(0, 1)) == 2


def test_headed_table_keeps_evidence_and_dates(tmp_path: Path) -> None:
    network = read_edges(write(tmp_path, "t.csv",
                               "source,target,weight,type,evidence,first_seen\n"
                               "x,y,2,call,c1;c2,2024-03-01\ny,z,,meeting,,\n"))
    [link] = network.links(0, 1)
    assert (link.type, link.weight, link.evidence, link.first_seen) == (
        "call", 2.0, ("c1", "c2"), "2024-03-01")
    assert network.links(1, 2)[0].weight == 1.0


def test_adjacency_matrix(tmp_path: Path) -> None:
    symmetric = read_edges(write(tmp_path, "m.csv", ",a,b,c\na,0,2,0\nb,2,0,1\nc,0,1,0\n"))
    assert symmetric.ids == ["a", "b", "c"] and not symmetric.directed
    assert symmetric.m == 2 and symmetric.weight.tolist() == [2.0, 1.0]
    directed = read_edges(write(tmp_path, "d.csv", ",a,b\na,0,1\nb,0,0\n"))
    assert directed.directed and directed.m == 1


def test_caviar_matrix(networks: Path) -> None:
    network = read_edges(networks / "caviar" / "caviar_full_undirected.csv")
    assert network.n == 110 and network.simple().ecount() == 205
    assert np.all(network.weight > 0)


@pytest.mark.parametrize(("text", "message"), [
    ("1 2 3 4\n", ":1: expected 'u v"),
    ("1 2\n2 3 heavy\n", ":2: weight 'heavy' is not a number"),
    ("1 2 -1\n", "must be a finite number"),
    ("", "no edges"),
    (",a,b\na,0,1\n", "2 columns but 1 rows"),
    (",a,b\na,0,1\nc,1,0\n", "row must start with 'b'"),
    ("source,target\nx,\n", "source and target are required"),
])
def test_bad_files_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(NetworkError, match=message):
        read_edges(write(tmp_path, "bad.csv", text))


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(NetworkError, match="cannot read"):
        read_edges(tmp_path / "missing.txt")


def test_node_attributes(tmp_path: Path) -> None:
    network = read_edges(write(tmp_path, "e.txt", "1 2\n2 3\n"))
    read_nodes(write(tmp_path, "n.csv", "id,label,category,location\n"
                                        "1,Ann,suspect,Calais\n3,Bo,victim,\n"), network)
    assert network.attribute("label") == ["Ann", None, "Bo"]
    assert network.targetable().tolist() == [True, True, False]
    assert network.label(1) == "2"
    read_nodes(write(tmp_path, "plain.csv", "\ufeff2,Cy\n"), network)
    assert network.attribute("label") == ["Ann", "Cy", "Bo"]
    with pytest.raises(NetworkError, match=r"n2.csv:2: no node '9'"):
        read_nodes(write(tmp_path, "n2.csv", "id,role\n9,driver\n"), network)


def test_mexico_labels(networks: Path) -> None:
    folder = networks / "trafficking_mexico"
    network = read_edges(folder / "edges.txt")
    read_nodes(folder / "labels.csv", network)
    assert network.n == 34
    assert network.label(network.index("13")) == "Explotador 1"
