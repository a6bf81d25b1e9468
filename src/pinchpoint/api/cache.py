"""The scope's resolution, read once per scope key and kept until the next write.

Every profile, search and network answer needs the caller's resolution (record id to
canonical id, and back). Reading the table per request cost 22 ms and a scan per
lookup on the medium scenario (`benchmarks/results/api.json`); the app clears this
cache with everything else after any write (`AppState.invalidate`).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

from pinchpoint.resolve import resolution_map
from pinchpoint.store import Scope
from pinchpoint.store.duckdb_store import DuckDBStore

MAX_SCOPES = 32


@dataclass(frozen=True)
class Resolution:
    canonical: dict[str, str]
    records: dict[str, list[str]]

    def of(self, entity_id: str) -> tuple[str, list[str]]:
        """The canonical id of `entity_id` and all its records (itself when unresolved)."""
        canon = self.canonical.get(entity_id, entity_id)
        return canon, self.records.get(canon) or [entity_id]


_maps: dict[tuple[str, str], Resolution] = {}
_lock = threading.Lock()


def resolution(store: DuckDBStore, scope: Scope) -> Resolution:
    key = (str(store.path), scope.key())
    with _lock:
        hit = _maps.get(key)
    if hit is not None:
        return hit
    canonical = resolution_map(store, scope)
    records: dict[str, list[str]] = defaultdict(list)
    for record, canon in sorted(canonical.items()):
        records[canon].append(record)
    found = Resolution(canonical, dict(records))
    with _lock:
        if len(_maps) >= MAX_SCOPES:
            _maps.clear()
        _maps[key] = found
    return found


def clear() -> None:
    with _lock:
        _maps.clear()
