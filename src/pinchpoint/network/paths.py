"""Paths between two people, each hop with the evidence that it exists.

An analyst asks "how does A reach B?" to build a case, so every hop lists its links
(type, weight, evidence ids, dates), not just the node sequence. Paths are fewest hops
by default; `weighted` makes strong ties short (cost 1 / weight). `k` > 1 gives the k
shortest loop-free paths (Yen's algorithm, in igraph).

`time_ordered` finds the earliest-arriving path whose hops happen in date order (each
link usable from its first_seen to its last_seen date): who could have passed a message
or a payment on. Undated links cannot be placed in time and are not used.

`types` keeps a path to links of those types (`of_types`): asked for a route over
payments, the answer must not cross a call or an "associate" tie.
"""

from __future__ import annotations

import heapq
import warnings
from collections.abc import Collection
from dataclasses import asdict, dataclass
from itertools import pairwise
from typing import Any

import numpy as np

from pinchpoint.network.graph import Link, Network, NetworkError


@dataclass(frozen=True)
class Hop:
    source: str
    target: str
    links: list[Link]
    when: str | None = None


@dataclass(frozen=True)
class Path:
    nodes: list[str]
    labels: list[str]
    hops: list[Hop]
    cost: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def of_types(network: Network, types: Collection[str]) -> Network:
    """The same people with only the links of `types` (a link without a type is "link"),
    each with its evidence and dates: what a path over those types alone runs on."""
    kinds = np.asarray(network.link_attrs.get("type") or ["link"] * network.m, dtype=object)
    keep = np.flatnonzero(np.isin(kinds, list(types)))
    attrs = {key: [values[int(e)] for e in keep] for key, values in network.link_attrs.items()}
    return Network(network.ids, network.src[keep], network.dst[keep], network.weight[keep],
                   dict(network.node_attrs), attrs, network.directed)


def shortest_paths(network: Network, a: str, b: str, k: int = 1, weighted: bool = False,
                   time_ordered: bool = False, types: Collection[str] | None = None
                   ) -> list[Path]:
    """Up to k shortest paths from a to b (one if time_ordered); [] when unreachable.
    With `types`, only links of those types are crossed (and listed on each hop)."""
    if types is not None:
        network = of_types(network, types)
    source, target = network.index(a), network.index(b)
    if source == target:
        raise NetworkError("the two ends of a path must differ")
    if time_ordered:
        found = _earliest_path(network, source, target)
        return [found] if found else []
    graph = network.simple()
    weights = [1.0 / w if w > 0 else float("inf") for w in graph.es["weight"]] \
        if weighted else None
    with warnings.catch_warnings():  # unreachable is an answer here ([]), not a warning
        warnings.filterwarnings("ignore", "Couldn't reach some vertices", RuntimeWarning)
        routes = graph.get_k_shortest_paths(source, to=target, k=k, weights=weights,
                                            mode="all", output="vpath")
    out = []
    for route in routes:
        if not route:
            continue
        cost = float(len(route) - 1) if weights is None else float(sum(
            weights[graph.get_eid(u, v)] for u, v in pairwise(route)))
        out.append(_path(network, [int(v) for v in route], cost))
    return out


def _path(network: Network, route: list[int], cost: float,
          times: list[str] | None = None) -> Path:
    hops = [Hop(network.ids[u], network.ids[v], network.links(u, v),
                times[step] if times else None)
            for step, (u, v) in enumerate(pairwise(route))]
    return Path([network.ids[i] for i in route], [network.label(i) for i in route], hops,
                cost)


def _earliest_path(network: Network, source: int, target: int) -> Path | None:
    """Earliest-arrival search over dated links (a Dijkstra on arrival date)."""
    first = network.link_attrs.get("first_seen")
    if not first:
        raise NetworkError("no link carries a date, so no path can be put in time order")
    last = network.link_attrs.get("last_seen") or [None] * network.m
    adjacency: dict[int, list[tuple[int, str, str]]] = {}
    for e in np.flatnonzero([bool(d) for d in first]):
        start = str(first[e])[:10]
        end = str(last[e] or first[e])[:10]
        u, v = int(network.src[e]), int(network.dst[e])
        adjacency.setdefault(u, []).append((v, start, end))
        if not network.directed:
            adjacency.setdefault(v, []).append((u, start, end))
    best: dict[int, str] = {source: ""}
    came: dict[int, tuple[int, str]] = {}
    heap: list[tuple[str, int]] = [("", source)]
    while heap:
        now, node = heapq.heappop(heap)
        if node == target:
            break
        if now > best.get(node, "9999"):
            continue
        for nxt, start, end in adjacency.get(node, []):
            when = max(now, start)
            if when <= end and when < best.get(nxt, "9999-99-99~"):
                best[nxt] = when
                came[nxt] = (node, when)
                heapq.heappush(heap, (when, nxt))
    if target not in came:
        return None
    route, times = [target], []
    while route[-1] != source:
        previous, when = came[route[-1]]
        times.append(when)
        route.append(previous)
    route.reverse()
    times.reverse()
    return _path(network, route, float(len(route) - 1), times)
