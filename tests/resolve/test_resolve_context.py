"""Network context: entities that deal with the same people get the context's weight."""

from __future__ import annotations

import pytest

from pinchpoint.resolve.cluster import ScoredPair
from pinchpoint.resolve.context import ContextModel, adjust, contexts, estimate


def test_contexts_map_neighbours_to_their_entities() -> None:
    canonical = {"a1": "a", "a2": "a", "b": "b", "l": "l"}
    records, entities = contexts([("a1", "l"), ("a2", "b"), ("a1", "a2")], canonical)
    assert records == {"a1": {"l"}, "l": {"a"}, "a2": {"b"}, "b": {"a"}}
    assert entities == {"a": {"l", "b"}, "l": {"a"}, "b": {"a"}}


def test_sharing_someone_raises_a_cross_entity_pair_and_sharing_no_one_lowers_it() -> None:
    model = ContextModel(m=0.5, u=0.01, applied=True)
    canonical = {"x1": "x", "x2": "y", "z1": "z"}
    entities = {"x": {"boss"}, "y": {"boss"}, "z": {"someone else"}}
    pairs = [ScoredPair("x1", "x2", 0.2), ScoredPair("x1", "z1", 0.2)]
    up, down = adjust(pairs, canonical, entities, model)
    assert up.probability > 0.9  # 0.2 is -2 bits; log2(50) = +5.6 bits
    assert down.probability < 0.2
    same = adjust([ScoredPair("x1", "x1b", 0.5)], {"x1": "x", "x1b": "x"}, entities, model)
    assert same[0].probability == 0.5


def test_too_little_context_changes_nothing() -> None:
    model = estimate([ScoredPair("a", "b", 0.999)], {"a": {"c"}, "b": {"c"}}, {"a": {"c"}})
    assert not model.applied and model.agree == model.disagree == 0.0


def test_estimates_come_from_confident_pairs_and_random_entities() -> None:
    records = {f"r{i}": {f"n{i}"} for i in range(40)} | {f"s{i}": {f"n{i}"} for i in range(40)}
    pairs = [ScoredPair(f"r{i}", f"s{i}", 0.995) for i in range(40)]
    entities = {f"e{i}": {f"n{i}"} for i in range(40)}
    model = estimate(pairs, records, entities)
    assert model.applied and model.m == pytest.approx(1 - 1e-4)
    assert model.u == pytest.approx(1e-4)
