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

from pinchpoint.model.category import PROTECTED_CATEGORIES

SAME, DIFFERENT, UNSURE = "same", "different", "unsure"
VERDICTS = (SAME, DIFFERENT, UNSURE)


@dataclass(frozen=True)
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

    Where no rule can refuse a merge, the greedy result is simply the connected
    components of the pairs at or above the threshold, which igraph finds in C; only the
    components that hold a judged record, a nameless record among two named ones, or
    categories that may not mix go through the rule-checking greedy pass.
    """
    ids = list(dict.fromkeys(records))
    strong = [p for p in pairs if p.probability >= threshold]
    index = {r: i for i, r in enumerate(ids)}
    judged = {x for key in judgements for x in key}
    for x in [*(y for p in strong for y in (p.left, p.right)), *judged]:
        if x not in index:
            index[x] = len(ids)
            ids.append(x)
    edges = [(index[p.left], index[p.right]) for p in strong]
    edges += [(index[a], index[b]) for (a, b), v in judgements.items() if v == SAME]
    membership = igraph.Graph(n=len(ids), edges=edges).connected_components().membership
    groups: dict[int, list[str]] = {}
    for record, group in zip(ids, membership, strict=True):
        groups.setdefault(group, []).append(record)
    canonical: dict[str, str] = {}
    ruled: set[str] = set()
    for members in groups.values():
        if len(members) > 1 and _needs_rules(members, judged, categories, nameless):
            ruled.update(members)
        else:
            first = min(members)
            canonical.update((m, first) for m in members)
    held: dict[tuple[str, str], str] = {}
    if ruled:
        found = _greedy(ruled, [p for p in strong if p.left in ruled], threshold,
                        {k: v for k, v in judgements.items() if k[0] in ruled}, categories,
                        nameless)
        canonical.update(found.canonical)
        held = found.held
    return Clusters(canonical=canonical, held=held)


def _needs_rules(members: list[str], judged: set[str], categories: Mapping[str, str | None],
                 nameless: frozenset[str]) -> bool:
    """Could a rule refuse a merge inside this connected component?"""
    if any(m in judged for m in members):
        return True
    unnamed = sum(1 for m in members if m in nameless)
    if unnamed and len(members) - unnamed >= 2:
        return True
    cats: set[str] = set()
    for m in members:
        cat = categories.get(m)
        if cat:
            cats.update(cat.split(","))
    return bool(cats & PROTECTED_CATEGORIES) and bool(cats - PROTECTED_CATEGORIES - {"other"})


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
