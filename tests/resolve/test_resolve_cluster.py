"""Constrained clustering: judgements override the model, 'different' is transitive,
victims and suspects are never merged silently, canonical ids are stable."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pinchpoint.resolve.cluster import (
    DIFFERENT,
    SAME,
    ScoredPair,
    _greedy,
    category_conflict,
    cluster,
)


def _pairs(*triples: tuple[str, str, float]) -> list[ScoredPair]:
    return [ScoredPair(a, b, p) for a, b, p in triples]


def test_pairs_above_the_threshold_merge_and_the_smallest_id_is_canonical() -> None:
    found = cluster("abcd", _pairs(("b", "c", 0.95), ("c", "d", 0.9), ("a", "d", 0.5)), 0.8,
                    {}, {})
    assert found.canonical == {"a": "a", "b": "b", "c": "b", "d": "b"}


def test_a_same_judgement_merges_below_the_threshold() -> None:
    found = cluster("abc", _pairs(("a", "b", 0.1)), 0.8, {("a", "c"): SAME}, {})
    assert found.canonical["c"] == "a" and found.canonical["b"] == "b"


def test_different_keeps_whole_entities_apart_transitively() -> None:
    # a-b and c-d are strong pairs; b-c would join them, but a is judged different from d.
    pairs = _pairs(("a", "b", 0.99), ("c", "d", 0.99), ("b", "c", 0.9))
    found = cluster("abcd", pairs, 0.8, {("a", "d"): DIFFERENT}, {})
    assert found.canonical["a"] == found.canonical["b"] == "a"
    assert found.canonical["c"] == found.canonical["d"] == "c"


def test_same_then_different_chain_is_respected() -> None:
    judged = {("a", "b"): SAME, ("b", "c"): DIFFERENT}
    found = cluster("abc", _pairs(("a", "c", 0.99)), 0.8, judged, {})
    assert found.canonical["a"] == found.canonical["b"] != found.canonical["c"]


def test_victim_and_suspect_are_held_for_review_not_merged() -> None:
    cats = {"v": "victim", "s": "suspect", "u": None}
    found = cluster(["s", "u", "v"], _pairs(("s", "v", 0.99), ("u", "v", 0.95)), 0.8, {},
                    cats)
    assert found.canonical["s"] != found.canonical["v"]
    assert ("s", "v") in found.held and "victim" in found.held[("s", "v")]
    # An uncategorised record may join the victim; a judgement can still merge the two.
    assert found.canonical["u"] == found.canonical["v"]
    judged = cluster(["s", "v"], _pairs(("s", "v", 0.99)), 0.8, {("s", "v"): SAME}, cats)
    assert judged.canonical["s"] == judged.canonical["v"]


def test_category_conflict_rules() -> None:
    assert category_conflict(frozenset({"victim"}), frozenset({"suspect"}))
    assert category_conflict(frozenset({"witness"}), frozenset({"convicted"}))
    assert not category_conflict(frozenset({"victim"}), frozenset({"victim"}))
    assert not category_conflict(frozenset({"victim"}), frozenset())
    assert not category_conflict(frozenset({"suspect"}), frozenset({"convicted"}))


def test_clustering_is_deterministic_whatever_the_input_order() -> None:
    pairs = _pairs(("a", "b", 0.9), ("b", "c", 0.9), ("c", "d", 0.85), ("a", "d", 0.95))
    judged = {("b", "d"): DIFFERENT}
    first = cluster("abcd", pairs, 0.8, judged, {}).canonical
    assert cluster("dcba", list(reversed(pairs)), 0.8, judged, {}).canonical == first


def test_a_nameless_record_joins_one_named_entity_but_never_bridges_two() -> None:
    # n is known only by a phone that a (Zana) and b (Hiwa) both used.
    pairs = _pairs(("a", "n", 0.99), ("b", "n", 0.98), ("a", "x", 0.9))
    found = cluster("abnx", pairs, 0.8, {}, {}, nameless=frozenset({"n", "x"}))
    assert found.canonical["n"] == found.canonical["a"] != found.canonical["b"]
    assert found.canonical["x"] == "a"  # nameless records may still pile onto one entity


_IDS = [f"r{i}" for i in range(12)]


@settings(max_examples=300, deadline=None)
@given(
    pairs=st.lists(st.tuples(st.sampled_from(_IDS), st.sampled_from(_IDS),
                             st.floats(0.0, 1.0)), max_size=30),
    cats=st.dictionaries(st.sampled_from(_IDS),
                         st.sampled_from([None, "victim", "suspect", "witness", "other"])),
    nameless=st.frozensets(st.sampled_from(_IDS)),
    judged=st.dictionaries(st.tuples(st.sampled_from(_IDS), st.sampled_from(_IDS)),
                           st.sampled_from([SAME, DIFFERENT, "unsure"]), max_size=4),
)
def test_the_connected_components_shortcut_gives_the_greedy_result(
        pairs: list[tuple[str, str, float]], cats: dict[str, str | None],
        nameless: frozenset[str], judged: dict[tuple[str, str], str]) -> None:
    scored = [ScoredPair(a, b, p) for a, b, p in pairs if a != b]
    judgements = {(min(a, b), max(a, b)): v for (a, b), v in judged.items() if a != b}
    fast = cluster(_IDS, scored, 0.5, judgements, cats, nameless)
    slow = _greedy(_IDS, scored, 0.5, judgements, cats, nameless)
    assert fast.canonical == slow.canonical
    assert fast.held == slow.held
