"""The graph every analysis runs on: people as nodes, evidenced ties as links.

A `Network` is a typed multigraph: two people may be linked by a call, a meeting and a
payment, each a separate link with its own evidence and dates. The analyses mostly need
a plain weighted graph, so `simple()` collapses parallel links (weights summed) into an
igraph graph whose vertex order is the node order here. That order is the input order
(first appearance), and it is what breaks ties everywhere, so results are reproducible.

Two ways in: `from_records` for the typed path (the workspace projection, tests)
and `from_arrays` for large plain edge lists, which never creates a Python object per
link. Edges live in numpy arrays either way; per-link attributes are optional lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import igraph as ig  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt

from pinchpoint.model.category import PROTECTED_CATEGORIES, parse_category

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

NODE_FIELDS = ("label", "category", "role", "location")
LINK_FIELDS = ("type", "evidence", "first_seen", "last_seen")


class NetworkError(ValueError):
    """A request the network cannot answer (unknown node, bad file): said as one sentence."""


@dataclass(frozen=True)
class Node:
    """One person (or organisation, vessel...) with what the analyses read about it.

    `category` is the DPA 2018 person category: victims and witnesses stay in the graph
    as context but are never proposed as targets.
    """

    id: str
    label: str | None = None
    category: str | None = None
    role: str | None = None
    location: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)  # a projection makes one per tie: millions
class Link:
    """One evidenced tie: its type, strength, the evidence ids behind it and its dates."""

    source: str
    target: str
    type: str = "link"
    weight: float = 1.0
    evidence: tuple[str, ...] = ()
    first_seen: str | None = None
    last_seen: str | None = None


class Network:
    """A typed multigraph over nodes in a fixed order, with a cached simple view."""

    def __init__(self, ids: Sequence[str], src: IntArray, dst: IntArray, weight: FloatArray,
                 node_attrs: dict[str, list[str | None]] | None = None,
                 link_attrs: dict[str, list[Any]] | None = None, directed: bool = False) -> None:
        self.ids = list(ids)
        self.src, self.dst, self.weight = src, dst, weight
        self.node_attrs = node_attrs or {}
        self.link_attrs = link_attrs or {}
        self.directed = directed
        self._index: dict[str, int] | None = None
        self._simple: ig.Graph | None = None
        self._pairs: tuple[IntArray, IntArray] | None = None
        if len(ids) != len(set(self.ids)):
            raise NetworkError("node ids must be unique")

    # -- construction --------------------------------------------------------------------

    @classmethod
    def from_records(cls, links: Iterable[Link], nodes: Iterable[Node] = (),
                     directed: bool = False) -> Network:
        """Build from typed records; ids seen only in links are added in order of appearance."""
        order: dict[str, int] = {}
        rows: list[dict[str, str | None]] = []
        for node in nodes:
            if node.id in order:
                raise NetworkError(f"node {node.id!r} is given twice")
            order[node.id] = len(order)
            rows.append({**node.attrs, **{k: getattr(node, k) for k in NODE_FIELDS}})
        src: list[int] = []
        dst: list[int] = []
        weights: list[float] = []
        extra: dict[str, list[Any]] = {key: [] for key in LINK_FIELDS}
        for link in links:
            if not link.weight >= 0:
                raise NetworkError(f"link {link.source}-{link.target}: weight must be >= 0")
            src.append(order.setdefault(link.source, len(order)))
            dst.append(order.setdefault(link.target, len(order)))
            weights.append(float(link.weight))
            for key in LINK_FIELDS:
                extra[key].append(getattr(link, key))
        keys = dict.fromkeys(key for row in rows for key in row)
        padding: list[str | None] = [None] * (len(order) - len(rows))
        attrs = {key: [row.get(key) for row in rows] + padding for key in keys}
        return cls(list(order), np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64),
                   np.array(weights, dtype=np.float64), attrs, extra, directed)

    @classmethod
    def from_arrays(cls, ids: Sequence[str], src: IntArray, dst: IntArray,
                    weight: FloatArray | None = None, directed: bool = False) -> Network:
        """Build from index arrays: the fast path for million-edge graphs."""
        w = np.ones(len(src), dtype=np.float64) if weight is None else weight.astype(np.float64)
        if len(src) and (min(src.min(), dst.min()) < 0 or max(src.max(), dst.max()) >= len(ids)):
            raise NetworkError("edge endpoints must index the node list")
        return cls(ids, src.astype(np.int64), dst.astype(np.int64), w, directed=directed)

    # -- nodes ---------------------------------------------------------------------------

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def m(self) -> int:
        return len(self.src)

    def index(self, node_id: str) -> int:
        if self._index is None:
            self._index = {node: i for i, node in enumerate(self.ids)}
        try:
            return self._index[node_id]
        except KeyError:
            raise NetworkError(f"no node {node_id!r} in the network") from None

    def find(self, text: str) -> str:
        """The node id `text` names: the id itself, or the start of exactly one id (the
        short ids that tables print, so what a person reads can be typed back)."""
        try:
            return self.ids[self.index(text)]
        except NetworkError:
            found = [node for node in self.ids if node.startswith(text)] if text else []
            if len(found) != 1:
                raise self._unfound(text, found) from None
            return found[0]

    @staticmethod
    def _unfound(text: str, found: list[str]) -> NetworkError:
        if not found:
            return NetworkError(f"no node {text!r} in the network")
        return NetworkError(f"{text!r} is the start of {len(found)} node ids "
                            f"({', '.join(found[:3])}...): give more of it")

    def attribute(self, key: str) -> list[str | None]:
        return self.node_attrs.get(key) or [None] * self.n

    def label(self, i: int) -> str:
        labels = self.node_attrs.get("label")
        return (labels[i] if labels else None) or self.ids[i]

    def set_attribute(self, key: str, values: Sequence[str | None]) -> None:
        if len(values) != self.n:
            raise NetworkError(f"attribute {key!r} needs one value per node")
        self.node_attrs[key] = list(values)

    def id_rank(self) -> IntArray:
        """Each node's place when ids are sorted (numerically when they are all numbers)."""
        try:
            keys: list[float] | list[str] = [float(node) for node in self.ids]
        except ValueError:
            keys = list(self.ids)
        ranks = np.empty(self.n, dtype=np.int64)
        ranks[np.argsort(np.array(keys), kind="stable")] = np.arange(self.n)
        return ranks

    def targetable(self) -> BoolArray:
        """Who may be proposed as a target: everyone but victims and witnesses."""
        categories = self.node_attrs.get("category")
        if not categories:
            return np.ones(self.n, dtype=bool)
        return np.array([parse_category(c or "") not in PROTECTED_CATEGORIES
                         for c in categories], dtype=bool)

    # -- links ---------------------------------------------------------------------------

    def simple(self) -> ig.Graph:
        """The undirected simple view: parallel links summed, self-loops dropped, cached."""
        if self._simple is None:
            a, b = np.minimum(self.src, self.dst), np.maximum(self.src, self.dst)
            keep = a != b
            keys, inverse = np.unique(a[keep] * self.n + b[keep], return_inverse=True)
            weights = np.bincount(inverse, weights=self.weight[keep], minlength=len(keys))
            graph = ig.Graph(n=self.n)
            graph.add_edges(np.column_stack([keys // self.n, keys % self.n]))
            graph.es["weight"] = weights.tolist()
            self._simple = graph
        return self._simple

    def directed_graph(self) -> ig.Graph:
        """The directed simple view (for brokerage, where who contacted whom matters)."""
        keep = self.src != self.dst
        keys = np.unique(self.src[keep] * self.n + self.dst[keep])
        graph = ig.Graph(n=self.n, directed=True)
        graph.add_edges(np.column_stack([keys // self.n, keys % self.n]))
        return graph

    def links(self, i: int, j: int) -> list[Link]:
        """Every link between two nodes (either direction), with its evidence."""
        if self._pairs is None:
            keys = np.minimum(self.src, self.dst) * self.n + np.maximum(self.src, self.dst)
            order = np.argsort(keys, kind="stable")
            self._pairs = (keys[order], order)
        keys, order = self._pairs
        target = min(i, j) * self.n + max(i, j)
        lo, hi = np.searchsorted(keys, [target, target + 1])
        return [self.link(int(e)) for e in order[lo:hi]]

    def link(self, e: int) -> Link:
        values = {key: self.link_attrs[key][e] for key in LINK_FIELDS if key in self.link_attrs}
        evidence = tuple(values.pop("evidence", None) or ())
        return Link(self.ids[int(self.src[e])], self.ids[int(self.dst[e])],
                    weight=float(self.weight[e]), evidence=evidence,
                    type=values.pop("type", None) or "link", **values)

    def evidence(self, i: int, limit: int = 20) -> list[str]:
        """Evidence ids behind a node's ties, first seen first: what a plan cites."""
        if "evidence" not in self.link_attrs:
            return []
        found: dict[str, None] = {}
        for e in np.flatnonzero((self.src == i) | (self.dst == i)):
            for item in self.link_attrs["evidence"][int(e)] or ():
                found.setdefault(str(item), None)
                if len(found) >= limit:
                    return list(found)
        return list(found)
