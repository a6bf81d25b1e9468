"""A server process freezes what survived each full collection once it has made an
answer (`cache.freeze_survivors`), so later full collections do not walk everything
the process keeps again: those walks were the cold API run's p99."""

from __future__ import annotations

import gc

from pinchpoint.api import cache


def test_survivors_of_a_full_collection_are_frozen_and_nothing_more() -> None:
    gc.unfreeze()
    try:
        kept = [[n] for n in range(10_000)]  # what the process keeps
        gc.collect()
        cache.freeze_survivors()
        frozen = gc.get_freeze_count()
        assert frozen >= len(kept)
        gc.disable()  # no full collection between the two calls
        try:
            later = [[n] for n in range(100)]
            cache.freeze_survivors()  # no full collection since: nothing more frozen
            assert gc.get_freeze_count() == frozen
        finally:
            gc.enable()
        assert later and kept
    finally:
        gc.unfreeze()
