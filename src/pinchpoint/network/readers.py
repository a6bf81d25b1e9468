"""Read plain graphs from files, so the analyses can be checked on published networks.

Three layouts, told apart by the first line:
- an edge list, `u v [weight]` per line, separated by whitespace or commas;
- an edge table with a header naming `source` and `target` (and optionally `weight`,
  `type`, `evidence` as `;`-separated ids, `first_seen`, `last_seen`);
- an adjacency matrix CSV whose header row starts with an empty cell and lists node ids;
  a symmetric matrix is read as an undirected graph, an asymmetric one as directed.

Node order is the order of first appearance (or the header order for a matrix). Every
bad line is an error naming the file and line: a graph silently missing ties would
give silently wrong rankings.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np

from pinchpoint.network.graph import NODE_FIELDS, Link, Network, NetworkError, Node

_SPLIT = re.compile(r"[,\s]+")
_HEADED = {"source", "target"}


def read_edges(path: Path, directed: bool = False) -> Network:
    """Read any of the three layouts into a Network."""
    lines = _lines(path)
    first = next((text for _, text in lines if text.strip()), "")
    cells = [c.strip().lower() for c in next(csv.reader([first]))] if first else []
    if cells and cells[0] == "" and len(cells) > 1:
        return _read_matrix(path, lines)
    if set(cells) >= _HEADED:
        return _read_table(path, lines, directed)
    return _read_pairs(path, lines, directed)


def read_nodes(path: Path, network: Network) -> None:
    """Attach node attributes from a CSV (`id` plus label, category, role, location...).

    A file without a header row is read as `id,label`. Ids absent from the network are an
    error: a typo in an attribute file should not pass unnoticed.
    """
    rows = list(csv.reader(text for _, text in _lines(path)))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return
    header = [cell.strip().lower() for cell in rows[0]]
    if header[0] in {"id", "node"}:
        columns, body, start = header, rows[1:], 2
    else:
        columns, body, start = ["id", "label"], rows, 1
    values: dict[str, list[str | None]] = {c: list(network.attribute(c)) for c in columns[1:]}
    for offset, row in enumerate(body):
        try:
            i = network.index(row[0].strip())
        except NetworkError as exc:
            raise NetworkError(f"{path}:{start + offset}: {exc}") from None
        for column, cell in zip(columns[1:], row[1:], strict=False):
            values[column][i] = cell.strip() or None
    for column, column_values in values.items():
        network.set_attribute(column, column_values)


def _lines(path: Path) -> list[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise NetworkError(f"cannot read {path}: {exc}") from None
    return [(number, line) for number, line in enumerate(text.splitlines(), 1)
            if not line.lstrip().startswith("#")]


def _weight(path: Path, number: int, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise NetworkError(f"{path}:{number}: weight {raw!r} is not a number") from None
    if not np.isfinite(value) or value < 0:
        raise NetworkError(f"{path}:{number}: weight {raw!r} must be a finite number >= 0")
    return value


def _read_pairs(path: Path, lines: list[tuple[int, str]], directed: bool) -> Network:
    order: dict[str, int] = {}
    src: list[int] = []
    dst: list[int] = []
    weights: list[float] = []
    for number, line in lines:
        cells = [c for c in _SPLIT.split(line.strip()) if c]
        if not cells:
            continue
        if len(cells) not in (2, 3):
            raise NetworkError(f"{path}:{number}: expected 'u v [weight]', got {line.strip()!r}")
        src.append(order.setdefault(cells[0], len(order)))
        dst.append(order.setdefault(cells[1], len(order)))
        weights.append(_weight(path, number, cells[2]) if len(cells) == 3 else 1.0)
    if not src:
        raise NetworkError(f"{path}: no edges")
    return Network.from_arrays(list(order), np.array(src), np.array(dst),
                               np.array(weights), directed=directed)


def _read_table(path: Path, lines: list[tuple[int, str]], directed: bool) -> Network:
    rows = csv.reader(text for _, text in lines)
    numbers = iter(number for number, _ in lines)
    header = [c.strip().lower() for c in next(rows)]
    next(numbers)
    links: list[Link] = []
    for row, number in zip(rows, numbers, strict=True):
        if not any(cell.strip() for cell in row):
            continue
        cell = dict(zip(header, (c.strip() for c in row), strict=False))
        if not cell.get("source") or not cell.get("target"):
            raise NetworkError(f"{path}:{number}: source and target are required")
        evidence = tuple(e.strip() for e in cell.get("evidence", "").split(";") if e.strip())
        links.append(Link(cell["source"], cell["target"], cell.get("type") or "link",
                          _weight(path, number, cell["weight"]) if cell.get("weight") else 1.0,
                          evidence, cell.get("first_seen") or None,
                          cell.get("last_seen") or None))
    if not links:
        raise NetworkError(f"{path}: no edges")
    return Network.from_records(links, directed=directed)


def _read_matrix(path: Path, lines: list[tuple[int, str]]) -> Network:
    rows = [(n, row) for (n, _), row in zip(lines, csv.reader(t for _, t in lines), strict=True)
            if any(c.strip() for c in row)]
    ids = [c.strip() for c in rows[0][1][1:]]
    if len(rows) - 1 != len(ids):
        raise NetworkError(f"{path}: {len(ids)} columns but {len(rows) - 1} rows")
    matrix = np.zeros((len(ids), len(ids)))
    for i, (number, row) in enumerate(rows[1:]):
        if row[0].strip() != ids[i] or len(row) != len(ids) + 1:
            raise NetworkError(f"{path}:{number}: row must start with {ids[i]!r} and have "
                               f"{len(ids)} values")
        matrix[i] = [_weight(path, number, c) if c.strip() else 0.0 for c in row[1:]]
    directed = not np.allclose(matrix, matrix.T)
    if not directed:
        matrix = np.triu(matrix)
    src, dst = np.nonzero(matrix)
    return Network.from_arrays(ids, src, dst, matrix[src, dst], directed=directed)


def nodes_from_network(network: Network) -> list[Node]:
    """The node records of a network (for round trips and exports)."""
    extra = [key for key in network.node_attrs if key not in NODE_FIELDS]
    out: list[Node] = []
    for i, node_id in enumerate(network.ids):
        fields = {key: network.attribute(key)[i] for key in NODE_FIELDS}
        attrs = {key: value for key in extra if (value := network.attribute(key)[i]) is not None}
        out.append(Node(node_id, attrs=attrs, **fields))
    return out
