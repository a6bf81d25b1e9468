"""Crime groups: Leiden communities, reproducible with a seed, named so a person can read them.

Leiden (Traag et al. 2019) rather than Louvain because it guarantees connected groups.
igraph's built-in C implementation is used instead of the `leidenalg` package: the same
algorithm, 15x faster on a million nodes (docs/network.md). igraph draws its random
numbers from a Python RNG, so a seeded `random.Random` makes a run repeatable.

A group is named after its most central members (victims and witnesses are never used
as a name) and, where locations are known, its dominant location.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import igraph as ig  # type: ignore[import-untyped]
import numpy as np

from pinchpoint.network.graph import FloatArray, IntArray, Network
from pinchpoint.network.measures import pagerank

LARGE = 200_000  # nodes; beyond this Leiden stops after two passes instead of converging


@dataclass(frozen=True)
class Group:
    """One detected group: who leads it (by centrality), where it sits, what it does."""

    id: str
    name: str
    size: int
    leaders: list[str]
    locations: list[tuple[str, int]]
    roles: list[tuple[str, int]]
    members: list[str]


@dataclass(frozen=True)
class Groups:
    membership: IntArray  # group number per node, 0 = largest group
    groups: list[Group]
    modularity: float
    seed: int

    def labels(self) -> list[str]:
        return [self.groups[g].id for g in self.membership]


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """igraph's RNG is process-wide: seed it for one call, then hand back Python's."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def leiden(graph: ig.Graph, seed: int = 0, resolution: float = 1.0) -> tuple[IntArray, float]:
    """Leiden modularity communities, numbered by size (largest first, ties by first node)."""
    iterations = -1 if graph.vcount() <= LARGE else 2
    weights = graph.es["weight"] if "weight" in graph.es.attributes() else None
    with seeded(seed):
        found = graph.community_leiden(objective_function="modularity", weights=weights,
                                       resolution=resolution, n_iterations=iterations)
    raw = np.array(found.membership, dtype=np.int64)
    return renumber(raw), float(graph.modularity(raw.tolist(), weights=weights))


def renumber(raw: IntArray) -> IntArray:
    """Group numbers 0.. by size, largest first (ties: the group of the earliest node)."""
    if not len(raw):
        return raw
    sizes = np.bincount(raw)
    first = np.full(len(sizes), len(raw))
    np.minimum.at(first, raw, np.arange(len(raw)))
    order = np.lexsort((first, -sizes))
    new = np.empty(len(sizes), dtype=np.int64)
    new[order] = np.arange(len(sizes))
    return new[raw]


def find_groups(network: Network, seed: int = 0, resolution: float = 1.0,
                centrality: FloatArray | None = None, leaders: int = 3,
                list_members: int = 50) -> Groups:
    """Detect and name groups. `centrality` ranks members (PageRank unless given)."""
    membership, modularity = leiden(network.simple(), seed, resolution)
    return named(network, membership, modularity, seed, centrality, leaders, list_members)


def named(network: Network, membership: IntArray, modularity: float, seed: int,
          centrality: FloatArray | None = None, leaders: int = 3, list_members: int = 50
          ) -> Groups:
    """Groups of a membership (numbered from 0 by size, as `leiden` gives it), each named
    after its most central members and its main location."""
    score = pagerank(network.simple()) if centrality is None else centrality
    eligible = network.targetable()
    order = np.lexsort((np.arange(network.n), -score, ~eligible, membership))
    starts = np.searchsorted(membership[order], np.arange(int(membership.max(initial=-1)) + 1))
    ends = np.append(starts[1:], len(order))
    locations, roles = network.attribute("location"), network.attribute("role")
    groups = []
    for number, (lo, hi) in enumerate(zip(starts, ends, strict=True)):
        members = order[lo:hi]
        heads = [int(i) for i in members[:leaders] if eligible[i]]
        where = _common([locations[i] for i in members])
        names = " / ".join(network.label(i) for i in heads) or f"group {number + 1}"
        groups.append(Group(
            id=f"G{number + 1}", size=int(hi - lo),
            name=names + (f" ({where[0][0]})" if where else ""),
            leaders=[network.ids[i] for i in heads], locations=where,
            roles=_common([roles[i] for i in members]),
            members=[network.ids[int(i)] for i in members[:list_members]]))
    return Groups(membership, groups, modularity, seed)


def _common(values: list[str | None], top: int = 3) -> list[tuple[str, int]]:
    return Counter(v for v in values if v).most_common(top)
