"""Network context: entities that deal with the same people get the context's weight.

The columnar implementation is checked against the plain one it replaced (sets and
dicts, kept below as the oracle) on random data: same contexts, same estimates, same
adjusted probabilities, same shared entities.
"""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pinchpoint.resolve.cluster import PairColumns
from pinchpoint.resolve.columns import Neighbours, Universe, shared
from pinchpoint.resolve.context import (
    CONFIDENT,
    EPS,
    U_DRAWS,
    ContextModel,
    adjust,
    contexts,
    estimate,
)
from pinchpoint.resolve.weights import probability, weight_of


def _columns(universe: Universe, triples: list[tuple[str, str, float]]) -> PairColumns:
    return PairColumns(universe.index([a for a, _, _ in triples]),
                       universe.index([b for _, b, _ in triples]),
                       np.array([p for _, _, p in triples], dtype=np.float64))


def _sets(universe: Universe, neighbours: Neighbours) -> dict[str, set[str]]:
    names = universe.names
    return {names[i]: {names[v] for v in neighbours.row(i).tolist()}
            for i in range(len(universe)) if neighbours.degree[i]}


# -- the plain implementation, as the oracle ----------------------------------------------
def _oracle_contexts(cooccur: list[tuple[str, str]], canonical: dict[str, str]
                     ) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    records: dict[str, set[str]] = {}
    for a, b in cooccur:
        ca, cb = canonical.get(a, a), canonical.get(b, b)
        if ca != cb:
            records.setdefault(a, set()).add(cb)
            records.setdefault(b, set()).add(ca)
    entities: dict[str, set[str]] = {}
    for record, seen in records.items():
        entities.setdefault(canonical.get(record, record), set()).update(seen)
    return records, entities


def _oracle_estimate(pairs: list[tuple[str, str, float]], records: dict[str, set[str]],
                     entities: dict[str, set[str]], seed: int = 7) -> ContextModel:
    both = hit = 0
    for a, b, p in pairs:
        if p >= CONFIDENT and records.get(a) and records.get(b):
            both += 1
            hit += bool(records[a] & records[b])
    keys = sorted(entities)
    if both < 20 or len(keys) < 20:
        return ContextModel(0.5, 0.5, applied=False)
    rng = random.Random(seed)
    hits = draws = 0
    for _ in range(U_DRAWS):
        x, y = rng.choice(keys), rng.choice(keys)
        if x != y:
            draws += 1
            hits += bool((entities[x] - {y}) & (entities[y] - {x}))
    m = min(max(hit / both, EPS), 1 - EPS)
    u = min(max(hits / max(draws, 1), EPS), 1 - EPS)
    return ContextModel(m, u, applied=m > u)


def _oracle_adjust(pairs: list[tuple[str, str, float]], canonical: dict[str, str],
                   entities: dict[str, set[str]], model: ContextModel
                   ) -> tuple[list[float], dict[tuple[str, str], tuple[float, str]]]:
    out, applied = [], {}
    for a, b, p in pairs:
        ca, cb = canonical.get(a, a), canonical.get(b, b)
        left, right = entities.get(ca), entities.get(cb)
        if ca == cb or not model.applied or not left or not right:
            out.append(p)
            continue
        share = (left - {cb}) & (right - {ca})
        delta = model.agree if share else model.disagree
        applied[(min(a, b), max(a, b))] = (delta, ";".join(sorted(share)[:3]))
        out.append(probability(weight_of(p) + delta))
    return out, applied


# -- behaviour ---------------------------------------------------------------------------
def test_contexts_map_neighbours_to_their_entities() -> None:
    universe = Universe(["a", "a1", "a2", "b", "l"])
    canon = universe.canon({"a1": "a", "a2": "a", "b": "b", "l": "l"})
    found = contexts(universe.index(["a1", "a2", "a1"]), universe.index(["l", "b", "a2"]),
                     canon)
    assert _sets(universe, found.records) == {"a1": {"l"}, "l": {"a"}, "a2": {"b"},
                                              "b": {"a"}}
    assert _sets(universe, found.entities) == {"a": {"l", "b"}, "l": {"a"}, "b": {"a"}}


def test_sharing_someone_raises_a_cross_entity_pair_and_sharing_no_one_lowers_it() -> None:
    model = ContextModel(m=0.5, u=0.01, applied=True)
    universe = Universe(["x1", "x2", "z1", "x", "y", "z", "boss", "other", "x1b"])
    canon = universe.canon({"x1": "x", "x2": "y", "z1": "z", "x1b": "x"})
    entities = Neighbours.of(universe.index(["x", "y", "z"]),
                             universe.index(["boss", "boss", "other"]), len(universe))
    pairs = _columns(universe, [("x1", "x2", 0.2), ("x1", "z1", 0.2), ("x1", "x1b", 0.5)])
    adjusted, applied = adjust(universe, pairs, canon, entities, model)
    up, down, same = adjusted.probability.tolist()
    assert up > 0.9  # 0.2 is -2 bits; log2(50) = +5.6 bits
    assert down < 0.2
    assert same == 0.5
    assert applied.to_pylist() == [
        {"left_id": "x1", "right_id": "x2", "weight": model.agree, "shared": "boss"},
        {"left_id": "x1", "right_id": "z1", "weight": model.disagree, "shared": ""}]


def test_too_little_context_changes_nothing() -> None:
    universe = Universe(["a", "b", "c"])
    found = contexts(universe.index(["a", "b"]), universe.index(["c", "c"]),
                     np.arange(3, dtype=np.int64))
    model = estimate(_columns(universe, [("a", "b", 0.999)]), found)
    assert not model.applied and model.agree == model.disagree == 0.0


def test_estimates_come_from_confident_pairs_and_random_entities() -> None:
    # r_i and s_i both deal with n_i; the entities e_i each deal with a different n_i.
    cooccur = ([(f"r{i}", f"n{i}") for i in range(40)] + [(f"s{i}", f"n{i}") for i in range(40)]
               + [(f"e{i}", f"m{i}") for i in range(40)])
    universe = Universe([x for pair in cooccur for x in pair])
    found = contexts(universe.index([a for a, _ in cooccur]),
                     universe.index([b for _, b in cooccur]),
                     np.arange(len(universe), dtype=np.int64))
    model = estimate(_columns(universe, [(f"r{i}", f"s{i}", 0.995) for i in range(40)]),
                     found)
    assert model.applied and model.m == pytest.approx(1 - 1e-4)  # every pair shares
    assert model.u < 0.01  # few random pairs of the 160 entities do


def test_shared_walks_the_smaller_set_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    import pinchpoint.resolve.columns as columns

    monkeypatch.setattr(columns, "EXPAND_CHUNK", 3)
    sets = Neighbours.of(np.array([0, 0, 0, 0, 1, 1, 2]), np.array([3, 4, 5, 6, 4, 6, 9]), 10)
    hit, at, value = shared(sets, np.array([0, 1, 0, 2]), np.array([1, 0, 2, 7]), first=1)
    assert hit.tolist() == [True, True, False, False]
    assert at.tolist() == [0, 1] and value.tolist() == [4, 4]


# -- the same results as the plain implementation ----------------------------------------
_IDS = [f"p{i:02d}" for i in range(30)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_IDS), st.sampled_from(_IDS)), max_size=120),
       st.lists(st.tuples(st.sampled_from(_IDS), st.sampled_from(_IDS),
                          st.sampled_from([0.02, 0.3, 0.81, 0.95, 0.991, 0.999])),
                max_size=80),
       st.dictionaries(st.sampled_from(_IDS), st.sampled_from(_IDS[:8]), max_size=20),
       st.floats(0.02, 0.98), st.floats(0.001, 0.5))
def test_columns_agree_with_the_plain_implementation(
        cooccur: list[tuple[str, str]], triples: list[tuple[str, str, float]],
        canonical: dict[str, str], m: float, u: float) -> None:
    triples = [(a, b, p) for a, b, p in triples if a != b]
    universe = Universe(_IDS)
    canon = universe.canon(canonical)
    found = contexts(universe.index([a for a, _ in cooccur]),
                     universe.index([b for _, b in cooccur]), canon)
    records, entities = _oracle_contexts(cooccur, canonical)
    assert _sets(universe, found.records) == records
    assert _sets(universe, found.entities) == entities
    pairs = _columns(universe, triples)
    assert estimate(pairs, found) == _oracle_estimate(triples, records, entities)
    model = ContextModel(m, u, applied=True)
    adjusted, applied = adjust(universe, pairs, canon, found.entities, model)
    want, want_applied = _oracle_adjust(triples, canonical, entities, model)
    assert adjusted.probability.tolist() == pytest.approx(want, rel=1e-12, abs=1e-15)
    got = {(r["left_id"], r["right_id"]): (r["weight"], r["shared"])
           for r in applied.to_pylist()}
    assert got == want_applied
    assert applied.schema.field("shared").type == pa.string()
