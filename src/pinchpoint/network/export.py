"""Export a network (and its measures) for Gephi, Cytoscape, i2-style tools or a spreadsheet.

Every link is written separately, with its type, weight, evidence ids (`;`-joined) and
dates, so nothing the analysis relied on is lost on the way out. Writers stream text
rather than build an XML tree, so a million-edge export does not need a tree's memory.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO
from xml.sax.saxutils import escape, quoteattr

from pinchpoint.network.graph import LINK_FIELDS, Network

FORMATS = ("graphml", "gexf", "csv")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")

Columns = Mapping[str, Sequence[Any]]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple | list):
        return ";".join(str(v) for v in value)
    return _XML_BAD.sub("", str(value))


def _kind(values: Sequence[Any]) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "double"
    return "string"


def node_columns(network: Network, extra: Columns | None = None) -> dict[str, Sequence[Any]]:
    columns: dict[str, Sequence[Any]] = dict(network.node_attrs)
    columns.update(extra or {})
    return columns


def edge_rows(network: Network) -> Iterator[tuple[int, str, str, dict[str, Any]]]:
    for e in range(network.m):
        values = {"weight": float(network.weight[e])}
        values.update({key: network.link_attrs[key][e] for key in LINK_FIELDS
                       if key in network.link_attrs})
        yield e, network.ids[int(network.src[e])], network.ids[int(network.dst[e])], values


def edge_keys(network: Network) -> list[str]:
    return ["weight", *(key for key in LINK_FIELDS if key in network.link_attrs)]


def write_graphml(network: Network, out: TextIO, extra: Columns | None = None) -> None:
    nodes = node_columns(network, extra)
    keys = edge_keys(network)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
    for i, (name, values) in enumerate(nodes.items()):
        out.write(f'  <key id="n{i}" for="node" attr.name={quoteattr(name)} '
                  f'attr.type="{_kind(values)}"/>\n')
    for i, name in enumerate(keys):
        kind = "double" if name == "weight" else "string"
        out.write(f'  <key id="e{i}" for="edge" attr.name="{name}" attr.type="{kind}"/>\n')
    direction = "directed" if network.directed else "undirected"
    out.write(f'  <graph id="G" edgedefault="{direction}">\n')
    for n, node in enumerate(network.ids):
        out.write(f"    <node id={quoteattr(_text(node))}>")
        for i, values in enumerate(nodes.values()):
            if values[n] is not None:
                out.write(f'<data key="n{i}">{escape(_text(values[n]))}</data>')
        out.write("</node>\n")
    for e, source, target, row in edge_rows(network):
        out.write(f'    <edge id="e{e}" source={quoteattr(_text(source))} '
                  f"target={quoteattr(_text(target))}>")
        for i, name in enumerate(keys):
            if row.get(name) not in (None, ()):
                out.write(f'<data key="e{i}">{escape(_text(row[name]))}</data>')
        out.write("</edge>\n")
    out.write("  </graph>\n</graphml>\n")


def write_gexf(network: Network, out: TextIO, extra: Columns | None = None) -> None:
    nodes = node_columns(network, extra)
    nodes.pop("label", None)
    keys = [key for key in edge_keys(network) if key != "weight"]
    direction = "directed" if network.directed else "undirected"
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<gexf xmlns="http://gexf.net/1.3" version="1.3">\n'
              '  <meta><creator>pinchpoint</creator></meta>\n'
              f'  <graph mode="static" defaultedgetype="{direction}">\n'
              '    <attributes class="node">\n')
    for i, (name, values) in enumerate(nodes.items()):
        out.write(f'      <attribute id="{i}" title={quoteattr(name)} type="{_kind(values)}"/>\n')
    out.write('    </attributes>\n    <attributes class="edge">\n')
    for i, name in enumerate(keys):
        out.write(f'      <attribute id="{i}" title="{name}" type="string"/>\n')
    out.write("    </attributes>\n    <nodes>\n")
    for n, node in enumerate(network.ids):
        out.write(f"      <node id={quoteattr(_text(node))} "
                  f"label={quoteattr(_text(network.label(n)))}><attvalues>")
        for i, values in enumerate(nodes.values()):
            if values[n] is not None:
                out.write(f'<attvalue for="{i}" value={quoteattr(_text(values[n]))}/>')
        out.write("</attvalues></node>\n")
    out.write("    </nodes>\n    <edges>\n")
    for e, source, target, row in edge_rows(network):
        out.write(f'      <edge id="{e}" source={quoteattr(_text(source))} '
                  f'target={quoteattr(_text(target))} weight="{row["weight"]}"><attvalues>')
        for i, name in enumerate(keys):
            if row.get(name) not in (None, ()):
                out.write(f'<attvalue for="{i}" value={quoteattr(_text(row[name]))}/>')
        out.write("</attvalues></edge>\n")
    out.write("    </edges>\n  </graph>\n</gexf>\n")


def write_csv(network: Network, folder: Path, extra: Columns | None = None) -> list[Path]:
    """nodes.csv and edges.csv in a folder (created if needed); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    nodes = node_columns(network, extra)
    node_path, edge_path = folder / "nodes.csv", folder / "edges.csv"
    with node_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", *nodes])
        for n, node in enumerate(network.ids):
            writer.writerow([node, *(_text(values[n]) for values in nodes.values())])
    with edge_path.open("w", newline="", encoding="utf-8") as handle:
        write_edges_csv(network, handle)
    return [node_path, edge_path]


def write_edges_csv(network: Network, out: TextIO) -> None:
    keys = edge_keys(network)
    writer = csv.writer(out)
    writer.writerow(["source", "target", *keys])
    for _, source, target, row in edge_rows(network):
        writer.writerow([source, target, *(_text(row.get(key)) for key in keys)])
