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
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pinchpoint.resolve.cluster import PairColumns
from pinchpoint.resolve.columns import Ints, Neighbours, Universe, shared
from pinchpoint.resolve.weights import probabilities, weights_of

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


@dataclass(frozen=True)
class Contexts:
    """Per record and per entity (first-pass canonical index): the entities it co-occurs
    with, itself excluded."""

    records: Neighbours
    entities: Neighbours


def contexts(left: Ints, right: Ints, canon: Ints) -> Contexts:
    """The contexts of co-occurring records ``left[i]``, ``right[i]`` under ``canon``."""
    size = len(canon)
    ca, cb = canon[left], canon[right]
    apart = ca != cb
    rows = np.concatenate([left[apart], right[apart]])
    values = np.concatenate([cb[apart], ca[apart]])
    records = Neighbours.of(rows, values, size)
    record_rows = np.repeat(np.arange(size, dtype=np.int64), records.degree)
    return Contexts(records, Neighbours.of(canon[record_rows], records.values, size))


def estimate(pairs: PairColumns, found: Contexts, seed: int = 7) -> ContextModel:
    """``m`` from confident record pairs, ``u`` from random pairs of entities."""
    confident = pairs.where(pairs.probability >= CONFIDENT)
    degree = found.records.degree
    both_known = (degree[confident.left] > 0) & (degree[confident.right] > 0)
    left, right = confident.left[both_known], confident.right[both_known]
    both = len(left)
    shared_ = int(shared(found.records, left, right)[0].sum())
    keys = np.flatnonzero(found.entities.degree > 0)
    if both < 20 or len(keys) < 20:
        return ContextModel(0.5, 0.5, applied=False)
    rng = random.Random(seed)
    choices = range(len(keys))
    drawn = [(rng.choice(choices), rng.choice(choices)) for _ in range(U_DRAWS)]
    a = keys[np.array([x for x, y in drawn if x != y], dtype=np.int64)]
    b = keys[np.array([y for x, y in drawn if x != y], dtype=np.int64)]
    hits = int(shared(found.entities, a, b)[0].sum())
    m = min(max(shared_ / both, EPS), 1 - EPS)
    u = min(max(hits / max(len(a), 1), EPS), 1 - EPS)
    return ContextModel(m, u, applied=m > u)


def adjust(universe: Universe, pairs: PairColumns, canon: Ints, entities: Neighbours,
           model: ContextModel) -> tuple[PairColumns, pa.Table]:
    """Pairs across two first-pass entities get the context's weight added; also, per
    adjusted pair (smaller id first), the weight and up to three shared entities."""
    ca, cb = canon[pairs.left], canon[pairs.right]
    degree = entities.degree
    moved = (ca != cb) & (degree[ca] > 0) & (degree[cb] > 0) if model.applied else (
        np.zeros(len(pairs), dtype=np.bool_))
    at = np.flatnonzero(moved)
    share, pair, value = shared(entities, ca[at], cb[at], first=3)
    delta = np.where(share, model.agree, model.disagree)
    probability = pairs.probability.copy()
    probability[at] = probabilities(weights_of(probability[at]) + delta)
    counts = np.bincount(pair, minlength=len(at))
    offsets = np.zeros(len(at) + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    names = pa.ListArray.from_arrays(pa.array(offsets), universe.ids.take(pa.array(value)))
    lo = np.minimum(pairs.left[at], pairs.right[at])
    hi = np.maximum(pairs.left[at], pairs.right[at])
    applied = pa.table({"left_id": universe.ids.take(pa.array(lo)),
                        "right_id": universe.ids.take(pa.array(hi)),
                        "weight": pa.array(delta, pa.float64()),
                        "shared": pc.binary_join(names, ";")})
    return PairColumns(pairs.left, pairs.right, probability), applied
