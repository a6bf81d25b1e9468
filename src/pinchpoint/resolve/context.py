"""Network context as evidence: two records of one person deal with the same people.

A smuggler who used three phones appears as three clusters after the first pass: the
same name in several spellings, but no phone in common, so each record pair scores low.
What ties them is who they deal with: the same lieutenants pay or call each of them.
This module adds that as one more Fellegi-Sunter comparison, at the level of the
first-pass entities:

- the *context* of an entity is the set of other entities that co-occur with any of its
  records in one visible non-person entity (a payment, a call, a message, a link);
- for a scored pair whose records are in two different entities, "the two entities share
  someone" has a Bayes factor ``m/u`` and "they share no one" ``(1-m)/(1-u)``, applied
  only when both entities have a context;
- ``u`` is the share of random pairs of entities that share someone; ``m`` the share of
  confident record pairs (probability >= 0.99) whose records' contexts intersect. Both are
  estimated on the data at hand, without labels; ``m`` from single records is a lower
  bound for whole entities, so the factor is if anything too small.

The adjusted pairs are clustered once more (:func:`pinchpoint.resolve.run.cluster_scope`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pinchpoint.resolve.cluster import ScoredPair
from pinchpoint.resolve.weights import probability, weight_of

#: Pairs at least this confident estimate ``m``.
CONFIDENT = 0.99
#: Random entity pairs drawn to estimate ``u``.
U_DRAWS = 200_000
#: Both estimates are kept inside (EPS, 1 - EPS).
EPS = 1e-4


@dataclass(frozen=True)
class ContextModel:
    m: float
    u: float
    applied: bool  # False when there was too little context to estimate

    @property
    def agree(self) -> float:
        return math.log2(self.m / self.u) if self.applied else 0.0

    @property
    def disagree(self) -> float:
        return math.log2((1 - self.m) / (1 - self.u)) if self.applied else 0.0


def contexts(cooccur: Iterable[tuple[str, str]], canonical: Mapping[str, str]
             ) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Per record and per entity: the entities it co-occurs with (itself excluded)."""
    records: dict[str, set[str]] = {}
    for a, b in cooccur:
        ca, cb = canonical.get(a, a), canonical.get(b, b)
        if ca == cb:
            continue
        records.setdefault(a, set()).add(cb)
        records.setdefault(b, set()).add(ca)
    entities: dict[str, set[str]] = {}
    for record, seen in records.items():
        entities.setdefault(canonical.get(record, record), set()).update(seen)
    return records, entities


def estimate(pairs: Iterable[ScoredPair], records: Mapping[str, set[str]],
             entities: Mapping[str, set[str]], seed: int = 7) -> ContextModel:
    """``m`` from confident record pairs, ``u`` from random pairs of entities."""
    both = shared = 0
    for pair in pairs:
        if pair.probability < CONFIDENT:
            continue
        left, right = records.get(pair.left), records.get(pair.right)
        if left and right:
            both += 1
            shared += bool(left & right)
    keys = sorted(entities)
    if both < 20 or len(keys) < 20:
        return ContextModel(0.5, 0.5, applied=False)
    rng = random.Random(seed)
    hits = draws = 0
    for _ in range(U_DRAWS):
        a, b = rng.choice(keys), rng.choice(keys)
        if a == b:
            continue
        draws += 1
        hits += bool((entities[a] - {b}) & (entities[b] - {a}))
    m = min(max(shared / both, EPS), 1 - EPS)
    u = min(max(hits / max(draws, 1), EPS), 1 - EPS)
    return ContextModel(m, u, applied=m > u)


def adjust(pairs: Iterable[ScoredPair], canonical: Mapping[str, str],
           entities: Mapping[str, set[str]], model: ContextModel,
           applied: dict[tuple[str, str], tuple[float, str]] | None = None
           ) -> list[ScoredPair]:
    """Pairs across two first-pass entities get the context's weight added; ``applied``
    collects, per pair (smaller id first), the weight and up to three shared entities."""
    out = []
    for pair in pairs:
        ca, cb = canonical.get(pair.left, pair.left), canonical.get(pair.right, pair.right)
        left, right = entities.get(ca), entities.get(cb)
        if ca == cb or not model.applied or not left or not right:
            out.append(pair)
            continue
        share = (left - {cb}) & (right - {ca})
        delta = model.agree if share else model.disagree
        if applied is not None:
            key = (pair.left, pair.right) if pair.left < pair.right else (pair.right, pair.left)
            applied[key] = (delta, ";".join(sorted(share)[:3]))
        out.append(ScoredPair(pair.left, pair.right,
                              probability(weight_of(pair.probability) + delta)))
    return out
