"""Centrality measures on the simple undirected view, computed by igraph's C core.

igraph was chosen by measurement (docs/network.md): on a 1M-node, 10M-edge graph its
PageRank, eigenvector, k-core and pivot betweenness run in seconds, and its built-in
Leiden is 15x faster than the `leidenalg` package. networkit was no faster for what
we need. Every function takes an `igraph.Graph` (not a Network) because the disruption
planner recomputes them on shrinking subgraphs.

Betweenness is exact while the work (nodes x edges) is small, and estimated from
random source pivots otherwise; the estimate carries its standard error, from the
spread of independent batches of pivots, so a ranking never hides that it is sampled.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import igraph as ig  # type: ignore[import-untyped]
import numpy as np

from pinchpoint.network.graph import FloatArray, IntArray

EXACT_BETWEENNESS_WORK = 1e9  # nodes x edges: about 20 s of exact Brandes on 2 cores
DEFAULT_PIVOTS = 64
PIVOT_BATCHES = 8


def edges_of(graph: ig.Graph) -> IntArray:
    """The edge list as an (m, 2) array (empty graphs included)."""
    if graph.ecount() == 0:
        return np.zeros((0, 2), dtype=np.int64)
    return np.array(graph.get_edgelist(), dtype=np.int64)


def _weights(graph: ig.Graph, weighted: bool) -> list[float] | None:
    return graph.es["weight"] if weighted and "weight" in graph.es.attributes() else None


def degree(graph: ig.Graph) -> FloatArray:
    return np.array(graph.degree(), dtype=np.float64)


def strength(graph: ig.Graph) -> FloatArray:
    """Weighted degree: how much contact, not how many contacts."""
    return np.array(graph.strength(weights=_weights(graph, True)), dtype=np.float64)


def pagerank(graph: ig.Graph, weighted: bool = True, damping: float = 0.85) -> FloatArray:
    if graph.vcount() == 0:
        return np.zeros(0)
    return np.array(graph.pagerank(weights=_weights(graph, weighted), damping=damping))


def eigenvector(graph: ig.Graph, weighted: bool = True) -> FloatArray:
    """Eigenvector centrality scaled to max 1; near zero outside the dominant component."""
    if graph.ecount() == 0:
        return np.zeros(graph.vcount())
    with warnings.catch_warnings():  # igraph warns on disconnected graphs; documented above
        warnings.simplefilter("ignore", RuntimeWarning)
        values = graph.eigenvector_centrality(weights=_weights(graph, weighted), scale=True)
    return np.clip(np.array(values, dtype=np.float64), 0.0, None)


def coreness(graph: ig.Graph) -> FloatArray:
    """k-core index: the deepest shell of mutually well-connected members a node sits in."""
    return np.array(graph.coreness(), dtype=np.float64)


def largest_eigenvalue(graph: ig.Graph, weighted: bool = False) -> float:
    if graph.ecount() == 0:
        return 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        _, value = graph.eigenvector_centrality(weights=_weights(graph, weighted),
                                                scale=False, return_eigenvalue=True)
    return float(value)


def katz(graph: ig.Graph, alpha: float = 0.1, beta: float = 1.0,
         weighted: bool = False) -> FloatArray:
    """Katz centrality, solving (I - alpha A) x = beta as networkx's katz_centrality_numpy.

    alpha is kept when alpha * lambda_max < 1 (the series converges) and lowered to
    0.9 / lambda_max otherwise, where the scores would be meaningless. Small graphs are
    solved exactly; large ones by fixed-point iteration on the edge arrays.
    """
    n = graph.vcount()
    if n == 0:
        return np.zeros(0)
    lam = largest_eigenvalue(graph, weighted)
    if alpha * lam >= 1.0:
        alpha = 0.9 / lam
    edges = edges_of(graph)
    w = np.array(_weights(graph, weighted) or np.ones(len(edges)), dtype=np.float64)
    if n <= 2000:
        matrix = np.zeros((n, n))
        np.add.at(matrix, (edges[:, 0], edges[:, 1]), w)
        np.add.at(matrix, (edges[:, 1], edges[:, 0]), w)
        x = np.linalg.solve(np.eye(n) - alpha * matrix, np.full(n, beta))
    else:
        x = np.full(n, beta)
        for _ in range(10_000):
            spread = np.bincount(edges[:, 0], w * x[edges[:, 1]], n) + np.bincount(
                edges[:, 1], w * x[edges[:, 0]], n)
            new = beta + alpha * spread
            done = np.abs(new - x).max() <= 1e-12 * np.abs(new).max()
            x = new
            if done:
                break
    norm = float(np.sign(x.sum()) * np.linalg.norm(x))
    return np.asarray(x / norm if norm else x, dtype=np.float64)


def collective_influence(graph: ig.Graph, radius: int = 1) -> FloatArray:
    """Collective influence (Morone & Makse 2015): (k_i - 1) * sum over the ball's frontier.

    Radius 1 sums (k_j - 1) over neighbours, as Cavallaro et al. (2020) computed it.
    """
    k = degree(graph) - 1.0
    if radius == 1:
        edges = edges_of(graph)
        n = graph.vcount()
        frontier = np.bincount(edges[:, 0], k[edges[:, 1]], n) + np.bincount(
            edges[:, 1], k[edges[:, 0]], n)
    else:
        balls = graph.neighborhood(order=radius, mindist=radius)
        frontier = np.array([k[ball].sum() for ball in balls], dtype=np.float64)
    return np.asarray(np.maximum(k, 0.0) * frontier, dtype=np.float64)


@dataclass(frozen=True)
class Betweenness:
    """Normalised betweenness, and how it was obtained.

    `stderr` is None when exact; otherwise the standard error of each estimate, from the
    spread of `PIVOT_BATCHES` independent batches of pivots.
    """

    values: FloatArray
    exact: bool
    pivots: int
    stderr: FloatArray | None

    def describe(self, top: IntArray) -> str:
        if self.exact or self.stderr is None:
            return "exact (Brandes)"
        scale = np.maximum(self.values[top], 1e-300)
        relative = float(np.median(self.stderr[top] / scale)) if len(top) else 0.0
        return (f"estimated from {self.pivots} random source pivots; median relative "
                f"standard error {relative:.1%} on the nodes shown")


def betweenness(graph: ig.Graph, exact_work: float = EXACT_BETWEENNESS_WORK,
                pivots: int = DEFAULT_PIVOTS, seed: int = 0) -> Betweenness:
    """Normalised betweenness: exact when n*m <= exact_work, else a seeded pivot estimate."""
    n = graph.vcount()
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    if n * graph.ecount() <= exact_work or pivots >= n:
        values = np.array(graph.betweenness(directed=False), dtype=np.float64) * scale
        return Betweenness(values, True, n, None)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(n, size=max(pivots, PIVOT_BATCHES), replace=False)
    estimates = [
        np.array(graph.betweenness(directed=False, sources=batch.tolist()), dtype=np.float64)
        * (n / len(batch)) * scale
        for batch in np.array_split(chosen, PIVOT_BATCHES)
    ]
    stacked = np.vstack(estimates)
    stderr = stacked.std(axis=0, ddof=1) / np.sqrt(len(estimates))
    return Betweenness(stacked.mean(axis=0), False, len(chosen), stderr)


def rank_order(scores: FloatArray, candidates: IntArray | None = None,
               prefer: IntArray | None = None) -> IntArray:
    """Indices best first. Scores equal to 1e-9 (relative) tie, so float noise between
    equal scores cannot reorder them; a tie goes to the higher `prefer` key, by default
    the node later in input order, as Cavallaro et al.'s code does (a stable ascending
    sort read from the end)."""
    idx = np.arange(len(scores)) if candidates is None else np.asarray(candidates)
    if len(idx) == 0:
        return idx.astype(np.int64)
    values = scores[idx]
    top = float(np.abs(values).max()) or 1.0
    quantised = np.round(values / top, 9)
    second = idx if prefer is None else prefer[idx]
    return idx[np.lexsort((-second, -quantised))].astype(np.int64)
