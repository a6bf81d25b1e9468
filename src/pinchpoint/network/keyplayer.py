"""Key-player search (Borgatti 2006, KPP-Neg): the k people whose joint arrest breaks the
network into the most, and most even, pieces.

Fragmentation is F = 1 - sum_k s_k (s_k - 1) / (n (n - 1)) over the components s_k of
the network left after the removal (n people remain): 0 when everyone can still reach
everyone, 1 when nobody can reach anybody. Ranking people one by one cannot find such a
set, because the best pair is often not the two best individuals.

The search is Borgatti's greedy start plus swaps, made fast by scoring every candidate
at once: one biconnected-components pass (igraph's C core) gives the block-cut tree, and
the pieces a node's removal leaves are subtree sizes in that tree. A greedy step or a
swap round therefore costs one or k linear passes instead of one pass per candidate,
which is what lets k = 10 on 10,000 nodes finish in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import igraph as ig  # type: ignore[import-untyped]
import numpy as np

from pinchpoint.network.graph import BoolArray, FloatArray, IntArray, Network, NetworkError
from pinchpoint.network.measures import rank_order


def fragmentation(graph: ig.Graph) -> float:
    """Borgatti's F of a graph as it stands."""
    n = graph.vcount()
    if n < 2:
        return 1.0
    sizes = np.array(graph.connected_components().sizes(), dtype=np.float64)
    return float(1.0 - (sizes * (sizes - 1)).sum() / (n * (n - 1)))


def pairs_after_removal(graph: ig.Graph) -> FloatArray:
    """For every vertex v: sum of s (s - 1) over the components of graph - v.

    These are the reachable ordered pairs left once v is gone; F follows directly.
    """
    n = graph.vcount()
    comps = graph.connected_components()
    member = np.array(comps.membership, dtype=np.int64)
    sizes = np.array(comps.sizes(), dtype=np.float64)
    total = float((sizes * (sizes - 1)).sum())
    c = sizes[member] if n else np.zeros(0)
    result = total - c * (c - 1) + np.maximum(c - 1, 0) * np.maximum(c - 2, 0)
    blocks, cuts = graph.biconnected_components(return_articulation_points=True)
    if cuts:
        for v, pieces in _cut_pieces(list(blocks), cuts).items():
            size = c[v]
            result[v] = total - size * (size - 1) + sum(p * (p - 1) for p in pieces)
    return np.asarray(result, dtype=np.float64)


def _cut_pieces(blocks: list[list[int]], cuts: list[int]) -> dict[int, list[float]]:
    """Component sizes left by removing each articulation point, from the block-cut tree."""
    nb = len(blocks)
    tree_id = {v: nb + j for j, v in enumerate(cuts)}
    weight = np.zeros(nb + len(cuts))
    weight[nb:] = 1.0
    adjacency: list[list[int]] = [[] for _ in range(nb + len(cuts))]
    for b, members in enumerate(blocks):
        for v in members:
            t = tree_id.get(v)
            if t is None:
                weight[b] += 1.0
            else:
                adjacency[b].append(t)
                adjacency[t].append(b)
    parent = np.full(len(weight), -1, dtype=np.int64)
    seen = np.zeros(len(weight), dtype=bool)
    subtree = weight.copy()
    out: dict[int, list[float]] = {}
    for root in range(nb):
        if seen[root]:
            continue
        order, stack = [], [root]
        seen[root] = True
        while stack:
            node = stack.pop()
            order.append(node)
            for nxt in adjacency[node]:
                if not seen[nxt]:
                    seen[nxt] = True
                    parent[nxt] = node
                    stack.append(nxt)
        for node in reversed(order[1:]):
            subtree[parent[node]] += subtree[node]
        whole = subtree[root]
        for node in order:
            if node >= nb:
                pieces = [float(subtree[child]) for child in adjacency[node]
                          if parent[child] == node]
                pieces.append(float(whole - subtree[node]))
                out[cuts[node - nb]] = [p for p in pieces if p > 0]
    return out


@dataclass(frozen=True)
class KeyPlayers:
    """The chosen set, in the order that fragments fastest, and how good it is."""

    order: list[int]
    fragmentation: float
    lcc_ratio: float
    rounds: int


def kpp_neg(network: Network, k: int, seed: int = 0, max_rounds: int = 200) -> KeyPlayers:
    """Greedy start, then best-improvement swaps until no swap raises F."""
    graph = network.simple()
    allowed = network.targetable()
    if k > int(allowed.sum()):
        raise NetworkError(f"k={k} exceeds the {int(allowed.sum())} people who may be targeted")
    chosen: list[int] = []
    for _ in range(k):
        best, _score = _best_addition(graph, chosen, allowed)
        chosen.append(best)
    current = _fragmentation_without(graph, chosen)
    rounds = 0
    while rounds < max_rounds and k:
        rounds += 1
        swap = max(((u, *_best_addition(graph, [c for c in chosen if c != u], allowed, u))
                    for u in chosen), key=lambda item: item[2])
        if swap[2] <= current + 1e-12:
            break
        chosen[chosen.index(swap[0])] = swap[1]
        current = swap[2]
    order = _fastest_order(graph, chosen)
    start = max(graph.connected_components().sizes()) if graph.vcount() else 1
    rest = graph.induced_subgraph(_keep(graph.vcount(), order).tolist())
    lcc = max(rest.connected_components().sizes()) if rest.vcount() else 0
    return KeyPlayers(order, current, lcc / start, rounds)


def _keep(n: int, removed: list[int]) -> IntArray:
    mask = np.ones(n, dtype=bool)
    mask[removed] = False
    return np.flatnonzero(mask)


def _fragmentation_without(graph: ig.Graph, removed: list[int]) -> float:
    return fragmentation(graph.induced_subgraph(_keep(graph.vcount(), removed).tolist()))


def _best_addition(graph: ig.Graph, removed: list[int], allowed: BoolArray,
                   besides: int | None = None) -> tuple[int, float]:
    """The candidate whose removal, on top of `removed`, leaves the highest F."""
    keep = _keep(graph.vcount(), removed)
    rest = graph.induced_subgraph(keep.tolist())
    remaining = len(keep) - 1
    pairs = pairs_after_removal(rest)
    scores = 1.0 - pairs / max(remaining * (remaining - 1), 1)
    full = np.full(graph.vcount(), -np.inf)
    full[keep] = scores
    candidates = np.flatnonzero(allowed & np.isfinite(full))
    if besides is not None:
        candidates = candidates[candidates != besides] if len(candidates) > 1 else candidates
    # Equal F (common where no single removal cuts anything): take the best-connected,
    # so the search still heads for hubs on a flat landscape.
    degree = np.zeros(graph.vcount(), dtype=np.int64)
    degree[keep] = rest.degree()
    prefer = degree * graph.vcount() + np.arange(graph.vcount())
    best = int(rank_order(full, candidates, prefer)[0])
    return best, float(full[best])


def _fastest_order(graph: ig.Graph, chosen: list[int]) -> list[int]:
    """Order a set so that each next arrest raises F the most (for the plan's curve)."""
    order: list[int] = []
    left = list(chosen)
    while left:
        allowed = np.zeros(graph.vcount(), dtype=bool)
        allowed[left] = True
        best, _ = _best_addition(graph, order, allowed)
        order.append(best)
        left.remove(best)
    return order
