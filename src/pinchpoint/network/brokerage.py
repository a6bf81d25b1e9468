"""Gould-Fernandez brokerage roles: who links people that are not linked, and across what.

For every two-step chain a -> b -> c where a has no direct tie to c, b brokers, and the
groups of the three (crime groups, countries, functions) name the role:

    coordinator     a, b, c all in one group          (brokers inside their own group)
    gatekeeper      a outside, b and c inside          (controls who gets into the group)
    representative  a and b inside, c outside          (speaks for the group outside)
    consultant      a and c in one group, b outside    (an outsider serving a group)
    liaison         a, b, c in three different groups  (connects groups not its own)

Counts are of ordered chains. An undirected tie counts as a tie both ways (as statnet's
`brokerage` does), so in an undirected network gatekeeper and representative counts are
equal and the other roles count each open pair twice. A node with no group is its own
group of one.

Counting is vectorised so it scales to millions of ties: the chains through b are the
products of its in- and out-neighbours' group counts, minus the pairs a = c, minus the
closed chains (those where a -> c exists), which all lie on triangles of the undirected
graph listed by igraph's C core.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import igraph as ig  # type: ignore[import-untyped]
import numpy as np

from pinchpoint.network.graph import BoolArray, FloatArray, IntArray, Network

ROLES = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")


@dataclass(frozen=True)
class Brokerage:
    """Chain counts per role and node (each array has one value per node)."""

    counts: dict[str, FloatArray]
    directed: bool

    def across(self) -> FloatArray:
        """Brokerage between groups: every role except coordinator."""
        return sum((self.counts[r] for r in ROLES[1:]), start=np.zeros_like(self.counts[ROLES[0]]))

    def main_role(self, i: int) -> str | None:
        values = [self.counts[r][i] for r in ROLES]
        return ROLES[int(np.argmax(values))] if max(values) > 0 else None


def group_codes(groups: Sequence[Hashable | None]) -> IntArray:
    """Integer group codes; a missing group becomes a group of its own."""
    codes: dict[Hashable, int] = {}
    out = np.empty(len(groups), dtype=np.int64)
    for i, group in enumerate(groups):
        key = ("__alone__", i) if group is None else group
        out[i] = codes.setdefault(key, len(codes))
    return out


def brokerage(network: Network, groups: Sequence[Hashable | None]) -> Brokerage:
    """Gould-Fernandez counts, using tie directions when the network has them."""
    grp = group_codes(groups)
    if network.directed:
        graph = network.directed_graph()
        arcs = _edges(graph)
    else:
        graph = network.simple()
        edges = _edges(graph)
        arcs = np.vstack([edges, edges[:, ::-1]])
    totals = _all_chains(network.n, arcs, grp)
    closed = _closed_chains(network.n, graph, arcs, grp, network.directed)
    return Brokerage({r: totals[r] - closed[r] for r in ROLES}, network.directed)


def _edges(graph: ig.Graph) -> IntArray:
    if graph.ecount() == 0:
        return np.zeros((0, 2), dtype=np.int64)
    return np.array(graph.get_edgelist(), dtype=np.int64)


def _by_group(node: IntArray, group: IntArray, groups: int) -> tuple[IntArray, IntArray]:
    """Sorted unique (node, group) keys and how many neighbours each has."""
    keys, counts = np.unique(node * groups + group, return_counts=True)
    return keys, counts


def _all_chains(n: int, arcs: IntArray, grp: IntArray) -> dict[str, FloatArray]:
    """Chains a -> b -> c with a != c, open or not, classified by group."""
    a, b = arcs[:, 0], arcs[:, 1]  # a -> b: a is an in-neighbour of b
    ng = int(grp.max()) + 1 if len(grp) else 1
    same_in = np.bincount(b, grp[a] == grp[b], n)
    all_in = np.bincount(b, minlength=n).astype(np.float64)
    same_out = np.bincount(a, grp[a] == grp[b], n)  # for arc b' -> c with b' = a
    all_out = np.bincount(a, minlength=n).astype(np.float64)
    other_in, other_out = all_in - same_in, all_out - same_out
    # sum over other groups h of in_h * out_h: join (b, h) counts of in- and out-neighbours
    in_keys, in_counts = _by_group(b, grp[a], ng)
    out_keys, out_counts = _by_group(a, grp[b], ng)
    common, i_in, i_out = np.intersect1d(in_keys, out_keys, assume_unique=True,
                                         return_indices=True)
    node, group = common // ng, common % ng
    product = in_counts[i_in] * out_counts[i_out] * (group != grp[node])
    other_pairs = np.bincount(node, product, n)
    # a == c: b's mutual neighbours, which are no chain at all
    mutual = _mutual(n, arcs)
    mutual_same = np.bincount(mutual[:, 0], grp[mutual[:, 0]] == grp[mutual[:, 1]], n)
    mutual_other = np.bincount(mutual[:, 0], minlength=n) - mutual_same
    return {
        "coordinator": same_in * same_out - mutual_same,
        "gatekeeper": other_in * same_out,
        "representative": same_in * other_out,
        "consultant": other_pairs - mutual_other,
        "liaison": other_in * other_out - other_pairs,
    }


def _mutual(n: int, arcs: IntArray) -> IntArray:
    """Pairs (b, a) with both a -> b and b -> a."""
    forward = arcs[:, 0] * n + arcs[:, 1]
    backward = arcs[:, 1] * n + arcs[:, 0]
    both = np.isin(forward, backward)
    return arcs[both][:, ::-1]


def _closed_chains(n: int, graph: ig.Graph, arcs: IntArray, grp: IntArray,
                   directed: bool) -> dict[str, FloatArray]:
    """Chains a -> b -> c that are closed by a -> c, all found on undirected triangles."""
    out = {r: np.zeros(n) for r in ROLES}
    undirected = graph.as_undirected() if directed else graph
    triangles = np.array(undirected.list_triangles(), dtype=np.int64).reshape(-1, 3)
    if not len(triangles):
        return out
    keys = np.sort(arcs[:, 0] * n + arcs[:, 1])
    for b_col, a_col, c_col in ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1),
                                (2, 1, 0)):
        a, b, c = triangles[:, a_col], triangles[:, b_col], triangles[:, c_col]
        if directed:
            keep = _has(keys, a, b, n) & _has(keys, b, c, n) & _has(keys, a, c, n)
            a, b, c = a[keep], b[keep], c[keep]
        for role, mask in _roles(grp[a], grp[b], grp[c]).items():
            out[role] += np.bincount(b[mask], minlength=n)
    return out


def _has(keys: IntArray, u: IntArray, v: IntArray, n: int) -> BoolArray:
    wanted = u * n + v
    at = np.searchsorted(keys, wanted)
    found: BoolArray = (at < len(keys)) & (keys[np.minimum(at, len(keys) - 1)] == wanted)
    return found


def _roles(ga: IntArray, gb: IntArray, gc: IntArray) -> dict[str, BoolArray]:
    a_in, c_in = ga == gb, gc == gb
    return {
        "coordinator": a_in & c_in,
        "gatekeeper": ~a_in & c_in,
        "representative": a_in & ~c_in,
        "consultant": ~a_in & ~c_in & (ga == gc),
        "liaison": ~a_in & ~c_in & (ga != gc),
    }
