"""From scored pairs to canonical entities, with analysts' judgements on top.

Clustering is greedy and constrained (Kruskal's algorithm with cannot-links):

1. every pair judged **same** is merged first (judgements override the model);
2. model pairs at or above the threshold are merged strongest first, unless the merge
   would put two records judged **different** in one entity (anywhere in the two
   clusters, so a "different" propagates transitively), or would mix person categories
   that must never be merged silently (a victim or witness with a suspect, say); such a
   pair is held back for review instead;
3. a record without a strong name (only a phone number, a contact label) joins at most
   one named entity: it never bridges two, so two people who shared a phone stay two;
4. the canonical id of an entity is the smallest entity id among its records, so it is
   stable when unrelated data arrives.

The result is deterministic for the same pairs, threshold and judgements.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import igraph  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt

from pinchpoint.model.category import PROTECTED_CATEGORIES
from pinchpoint.resolve.columns import Bools, Ints, Universe

Floats = npt.NDArray[np.float64]

SAME, DIFFERENT, UNSURE = "same", "different", "unsure"
VERDICTS = (SAME, DIFFERENT, UNSURE)


@dataclass(frozen=True, slots=True)
class ScoredPair:
    left: str
    right: str
    probability: float


@dataclass
class Clusters:
    """Canonical id per record, and the pairs the rules held back for review."""

    canonical: dict[str, str]
    held: dict[tuple[str, str], str] = field(default_factory=dict)  # pair -> why

    def members(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for record, canon in self.canonical.items():
            out.setdefault(canon, []).append(record)
        return out


class _Sets:
    """Union-find that tracks, per root, its members' categories and cannot-links."""

    def __init__(self, categories: Mapping[str, str | None],
                 nameless: frozenset[str] = frozenset()) -> None:
        self.parent: dict[str, str] = {}
        self.cats: dict[str, frozenset[str]] = {}
        self.cannot: dict[str, set[str]] = {}
        self.named: dict[str, bool] = {}
        self.categories = categories
        self.nameless = nameless

    def find(self, x: str) -> str:
        parent = self.parent
        if x not in parent:
            parent[x] = x
            cat = self.categories.get(x)
            self.cats[x] = frozenset(cat.split(",")) if cat else frozenset()
            self.named[x] = x not in self.nameless
            return x
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def forbid(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        self.cannot.setdefault(ra, set()).add(rb)
        self.cannot.setdefault(rb, set()).add(ra)

    def blocked(self, ra: str, rb: str) -> bool:
        """True when the clusters of ``ra`` and ``rb`` hold a cannot-link between them."""
        small, big = (ra, rb) if len(self.cannot.get(ra, ())) <= len(
            self.cannot.get(rb, ())) else (rb, ra)
        return any(self.find(other) == big for other in self.cannot.get(small, ()))

    def union(self, ra: str, rb: str) -> str:
        keep, gone = (ra, rb) if ra < rb else (rb, ra)
        self.parent[gone] = keep
        self.cats[keep] = self.cats[keep] | self.cats.pop(gone, frozenset())
        self.named[keep] = self.named[keep] or self.named.pop(gone, False)
        moved = self.cannot.pop(gone, set())
        if moved:
            self.cannot.setdefault(keep, set()).update(moved)
        return keep


def category_conflict(left: frozenset[str], right: frozenset[str]) -> str:
    """Why two sets of person categories must not be merged silently ('' if they may)."""
    protected = (left | right) & PROTECTED_CATEGORIES
    others = (left | right) - PROTECTED_CATEGORIES - {"other"}
    if protected and others and (left != right):
        return (f"person categories differ ({', '.join(sorted(left)) or 'none'} vs "
                f"{', '.join(sorted(right)) or 'none'}): a victim or witness is never "
                "merged with a suspect without review")
    return ""


def cluster(records: Iterable[str], pairs: Iterable[ScoredPair], threshold: float,
            judgements: Mapping[tuple[str, str], str],
            categories: Mapping[str, str | None],
            nameless: frozenset[str] = frozenset()) -> Clusters:
    """Cluster ``records`` from scored ``pairs`` and analysts' ``judgements``.

    ``judgements`` maps an ordered pair (smaller id first) to its verdict; ``categories``
    maps a record to its comma-joined person categories (or None). A record in
    ``nameless`` (no strong name: a caller known only by a number, a contact label) may
    join one named entity but never bridges two: two people who shared a phone stay two.
    The columnar form, for millions of pairs, is :func:`cluster_columns`.
    """
    ids, listed = list(records), list(pairs)
    left = [p.left for p in listed]
    right = [p.right for p in listed]
    universe = Universe(ids, left, right, [x for key in judgements for x in key])
    columns = PairColumns(universe.index(left), universe.index(right),
                          np.array([p.probability for p in listed], dtype=np.float64))
    found, _ = cluster_columns(universe, universe.index(ids), columns, threshold, judgements,
                               categories, nameless)
    return found


@dataclass(frozen=True)
class PairColumns:
    """Scored pairs as three arrays: indices into a :class:`Universe`, and probabilities."""

    left: Ints
    right: Ints
    probability: Floats

    def __len__(self) -> int:
        return len(self.left)

    def where(self, keep: Bools) -> PairColumns:
        return PairColumns(self.left[keep], self.right[keep], self.probability[keep])


def cluster_columns(universe: Universe, records: Ints, pairs: PairColumns, threshold: float,
                    judgements: Mapping[tuple[str, str], str],
                    categories: Mapping[str, str | None],
                    nameless: frozenset[str] = frozenset()) -> tuple[Clusters, Ints]:
    """:func:`cluster` on columns; also each universe index's canonical index.

    Where no rule can refuse a merge, the greedy result is simply the connected
    components of the pairs at or above the threshold, which igraph finds in C; only the
    components that hold a judged record, a nameless record among two named ones, or
    categories that may not mix go through the rule-checking greedy pass.
    """
    size = len(universe)
    strong = pairs.where(pairs.probability >= threshold)
    judged_left = universe.index([a for a, _ in judgements])
    judged_right = universe.index([b for _, b in judgements])
    same = np.array([v == SAME for v in judgements.values()], dtype=np.bool_)
    involved = np.zeros(size, dtype=np.bool_)
    for part in (records, strong.left, strong.right, judged_left, judged_right):
        involved[part] = True
    edges = np.column_stack([np.concatenate([strong.left, judged_left[same]]),
                             np.concatenate([strong.right, judged_right[same]])])
    membership = np.asarray(
        igraph.Graph(n=size, edges=edges).connected_components().membership, dtype=np.int64)
    nodes = np.flatnonzero(involved)
    ruled = _ruled(universe, nodes, membership, np.concatenate([judged_left, judged_right]),
                   categories, nameless)
    plain = nodes[~ruled]
    groups, first = np.unique(membership[plain], return_index=True)
    smallest = np.zeros(int(membership.max(initial=0)) + 1, dtype=np.int64)
    smallest[groups] = plain[first]
    canon = np.arange(size, dtype=np.int64)
    canon[plain] = smallest[membership[plain]]
    canonical = universe.mapping(plain, canon[plain])
    held: dict[tuple[str, str], str] = {}
    if ruled.any():
        found = _greedy_columns(universe, nodes[ruled], strong, threshold, judgements,
                                categories, nameless)
        canonical.update(found.canonical)
        keys = list(found.canonical)
        canon[universe.index(keys)] = universe.index([found.canonical[k] for k in keys])
        held = found.held
    return Clusters(canonical=canonical, held=held), canon


def _ruled(universe: Universe, nodes: Ints, membership: Ints, judged: Ints,
           categories: Mapping[str, str | None], nameless: frozenset[str]) -> Bools:
    """Per node of ``nodes``: is it in a component where a rule could refuse a merge?"""
    size = len(universe)
    flags = {name: np.zeros(size, dtype=np.bool_)
             for name in ("judged", "nameless", "protected", "other")}
    flags["judged"][judged] = True
    names = universe.names
    marks = _category_marks(categories)
    for i in nodes.tolist():
        name = names[i]
        protected, other = marks.get(categories.get(name), (False, False))
        flags["protected"][i], flags["other"][i] = protected, other
        flags["nameless"][i] = name in nameless
    group = membership[nodes]
    count = int(membership.max(initial=0)) + 1

    def per_group(flag: Bools) -> Ints:
        return np.bincount(group, weights=flag[nodes], minlength=count).astype(np.int64)

    members = np.bincount(group, minlength=count)
    unnamed = per_group(flags["nameless"])
    needs = (members > 1) & ((per_group(flags["judged"]) > 0)
                             | ((unnamed > 0) & (members - unnamed >= 2))
                             | ((per_group(flags["protected"]) > 0)
                                & (per_group(flags["other"]) > 0)))
    return np.asarray(needs[group], dtype=np.bool_)


def _category_marks(categories: Mapping[str, str | None]
                    ) -> dict[str | None, tuple[bool, bool]]:
    """Per distinct category text: (holds a protected category, holds a criminal one)."""
    marks: dict[str | None, tuple[bool, bool]] = {}
    for text in set(categories.values()):
        cats = set(text.split(",")) if text else set()
        marks[text] = (bool(cats & PROTECTED_CATEGORIES),
                       bool(cats - PROTECTED_CATEGORIES - {"other"}))
    return marks


def _greedy_columns(universe: Universe, ruled: Ints, strong: PairColumns, threshold: float,
                    judgements: Mapping[tuple[str, str], str],
                    categories: Mapping[str, str | None],
                    nameless: frozenset[str]) -> Clusters:
    """:func:`_greedy` on the records of the ruled components (few, in practice)."""
    inside = np.zeros(len(universe), dtype=np.bool_)
    inside[ruled] = True
    chosen = strong.where(inside[strong.left])
    names = universe.names
    records = [names[i] for i in ruled.tolist()]
    members = set(records)
    pairs = [ScoredPair(names[a], names[b], p) for a, b, p in zip(
        chosen.left.tolist(), chosen.right.tolist(), chosen.probability.tolist(), strict=True)]
    return _greedy(records, pairs, threshold,
                   {k: v for k, v in judgements.items() if k[0] in members}, categories,
                   nameless)


def _greedy(records: Iterable[str], pairs: Iterable[ScoredPair], threshold: float,
            judgements: Mapping[tuple[str, str], str],
            categories: Mapping[str, str | None],
            nameless: frozenset[str]) -> Clusters:
    """Kruskal with cannot-links: the rules of the module docstring, pair by pair."""
    sets = _Sets(categories, nameless)
    for record in records:
        sets.find(record)
    held: dict[tuple[str, str], str] = {}
    for (a, b), verdict in sorted(judgements.items()):
        if verdict == DIFFERENT:
            sets.forbid(a, b)
    for (a, b), verdict in sorted(judgements.items()):
        if verdict == SAME:
            ra, rb = sets.find(a), sets.find(b)
            if ra != rb and not sets.blocked(ra, rb):
                sets.union(ra, rb)
            elif ra != rb:
                held[(a, b)] = "judged same, but another judgement says different"
    ordered = sorted((p for p in pairs if p.probability >= threshold),
                     key=lambda p: (-p.probability, p.left, p.right))
    for pair in ordered:
        key = (pair.left, pair.right) if pair.left < pair.right else (pair.right, pair.left)
        if key in judgements:
            continue
        ra, rb = sets.find(pair.left), sets.find(pair.right)
        if ra == rb:
            continue
        if sets.blocked(ra, rb):
            continue
        if ((pair.left in nameless or pair.right in nameless)
                and sets.named[ra] and sets.named[rb]):
            continue
        why = category_conflict(sets.cats[ra], sets.cats[rb])
        if why:
            held[key] = why
            continue
        sets.union(ra, rb)
    canonical = {record: sets.find(record) for record in list(sets.parent)}
    return Clusters(canonical=canonical, held=held)
