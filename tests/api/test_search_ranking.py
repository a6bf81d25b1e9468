"""The search's candidate ranking (`search._ranked`), counted and sorted as arrays, is
the order of its definition: exact matches, most keys shared, largest share of the
candidate's own keys, containing the query, then index order."""

from __future__ import annotations

import random
from collections import Counter
from types import SimpleNamespace

import numpy as np

from pinchpoint.api.search import _ranked


def _by_definition(by_key: dict[str, list[int]], key_counts: list[int],
                   query_keys: frozenset[str], contains: set[int], exact: set[int]
                   ) -> list[int]:
    shared: Counter[int] = Counter()
    for key in query_keys:
        shared.update(by_key.get(key, ()))
    return sorted(shared.keys() | contains, key=lambda n: (
        n not in exact, -shared[n], -shared[n] / max(key_counts[n], 1),
        n not in contains, n))


def test_the_ranking_is_the_defined_order_on_random_indexes() -> None:
    rng = random.Random(7)
    keys = [f"k{i}" for i in range(12)]
    for _ in range(300):
        names = rng.randrange(1, 60)
        own = [rng.sample(keys, rng.randrange(0, 5)) for _ in range(names)]
        by_key: dict[str, list[int]] = {}
        for n, found in enumerate(own):
            for key in found:
                by_key.setdefault(key, []).append(n)
        key_counts = [len(found) for found in own]
        index = SimpleNamespace(
            postings={k: np.array(v, np.int64) for k, v in by_key.items()},
            own_keys=np.maximum(np.array(key_counts, np.float64), 1.0))
        query = frozenset(rng.sample([*keys, "unknown"], rng.randrange(0, 4)))
        contains = set(rng.sample(range(names), rng.randrange(0, min(names, 5) + 1)))
        exact = set(rng.sample(sorted(contains), rng.randrange(0, len(contains) + 1)))
        expected = _by_definition(by_key, key_counts, query, contains, exact)
        assert _ranked(index, query, contains, exact) == expected  # type: ignore[arg-type]


def test_nothing_shared_or_contained_ranks_nothing() -> None:
    index = SimpleNamespace(postings={"k": np.array([0, 1], np.int64)},
                            own_keys=np.ones(2))
    assert _ranked(index, frozenset(), set(), set()) == []  # type: ignore[arg-type]
    assert _ranked(index, frozenset({"k"}), set(), set()) == [0, 1]  # type: ignore[arg-type]
