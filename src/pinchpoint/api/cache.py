"""What the app derives from a scope's statements, read once and kept until its next write.

Every profile, search and network answer needs the caller's resolution (record id to
canonical id, and back), the caller's visible statements and often the caller's network
(`routes_network`: one per time window asked for). Reading them per request
cost 22 ms for the resolution table, and most of the server's time for statement reads
under load (`benchmarks/results/api.json`). So each is derived once per store and scope
key (`derived`), by one request while the others wait for it (a stampede of identical
builds made 60 s timeouts), and kept for the `MAX_SCOPES` most recently used scopes.

The app clears everything after any write it makes (`AppState.invalidate`: statements,
grants, users, tokens and judgements only change through writes, and while the app holds
the store no other process can write it). A scope key names exactly what a reader sees
(`Scope.key`), so two readers share an entry only when they see the same statements.
"""

from __future__ import annotations

import atexit
import gc
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from pinchpoint.api.view import StatementView
from pinchpoint.resolve import resolution_map
from pinchpoint.store import Scope
from pinchpoint.store.sql_store import SqlStore

MAX_SCOPES = 8
"""Scopes whose derived data is kept (a medium-scenario scope's statements take ~150 MB)."""
T = TypeVar("T")


@dataclass(frozen=True)
class Resolution:
    canonical: dict[str, str]
    records: dict[str, list[str]]

    def of(self, entity_id: str) -> tuple[str, list[str]]:
        """The canonical id of `entity_id` and all its records (itself when unresolved)."""
        canon = self.canonical.get(entity_id, entity_id)
        return canon, self.records.get(canon) or [entity_id]

    @property
    def resolved(self) -> bool:
        """Whether the scope has been resolved at all."""
        return bool(self.canonical)


_entries: OrderedDict[tuple[str, str], dict[Hashable, Any]] = OrderedDict()
_building: dict[tuple[str, str, Hashable], threading.Lock] = {}
_lock = threading.Lock()
_generation = 0  # bumped by clear(): a build that began before a write is not kept


def generation() -> int:
    """How many times the derived data was cleared: read it before reading anything a
    later `derived(..., inputs_at=...)` builds from."""
    with _lock:
        return _generation


def derived(store: SqlStore, scope: Scope, name: Hashable, make: Callable[[], T],
            freeze: bool = True, group: tuple[str, Hashable] | None = None,
            keep: int = 0, inputs_at: int | None = None) -> T:
    """`make()` for this store and scope, computed once (others wait) and kept until
    `clear()`; with `freeze`, the objects made are left out of garbage collection.

    `group` is (family, member): of one family's members (the time windows a network was
    asked for, say) only the `keep` most recently made are kept, each with every name
    made under it.

    `inputs_at` is the `generation()` read before the caller read what `make` builds
    from (a network, say). What is made is kept only under that generation: built from
    a network read before a write, an ego graph kept after it would be served with the
    next, different network (shapes (510,) and (511,): issue 14). When a write came
    in between, the value is made for this caller alone, neither looked up nor kept."""
    key = (str(store.path), scope.key())
    with _lock:
        at = _generation if inputs_at is None else inputs_at
        stale = at != _generation
        entry = _entries.get(key)
        if not stale and entry is not None and name in entry:
            _entries.move_to_end(key)
            return entry[name]  # type: ignore[no-any-return]
        building = None if stale else _building.setdefault((*key, name), threading.Lock())
    if building is None:
        return make()
    with building:
        with _lock:
            entry = _entries.get(key)
            if at == _generation and entry is not None and name in entry:
                return entry[name]  # type: ignore[no-any-return]
        value = make()
        # Derived data is millions of small objects that live until the next write;
        # left to the cyclic garbage collector, each full collection walked all of them
        # (pauses of 300-500 ms under load, the p99 of `benchmarks/api.py`). Frozen,
        # the collector skips them; reference counting still frees them once dropped,
        # and `clear()` unfreezes (with them whatever else was frozen meanwhile).
        if freeze:
            gc.freeze()
        with _lock:
            if at != _generation:
                return value
            entry = _entries.setdefault(key, {})
            entry[name] = value
            if group is not None:
                family, member = group
                members = entry.setdefault(("family", family), OrderedDict())
                members.setdefault(member, []).append(name)
                members.move_to_end(member)
                while len(members) > keep:
                    for gone in members.popitem(last=False)[1]:
                        entry.pop(gone, None)
            _entries.move_to_end(key)
            while len(_entries) > MAX_SCOPES:
                _entries.popitem(last=False)
        return value


def resolution(store: SqlStore, scope: Scope) -> Resolution:
    """The scope's last resolution, both ways."""
    def make() -> Resolution:
        canonical = resolution_map(store, scope)
        records: dict[str, list[str]] = defaultdict(list)
        for record, canon in sorted(canonical.items()):
            records[canon].append(record)
        return Resolution(canonical, dict(records))

    return derived(store, scope, "resolution", make)


def statements(store: SqlStore, scope: Scope) -> StatementView:
    """The scope's visible statements, in memory (`pinchpoint.api.view`)."""
    return derived(store, scope, "statements", lambda: StatementView.read(store, scope))


MAX_ANSWERS = 20_000
"""Answers kept per scope (`answer`): the most recently asked."""


MISSING = object()


class Answers:
    """A scope's recent answers, least recently asked dropped first."""

    def __init__(self, size: int = MAX_ANSWERS) -> None:
        self.size = size
        self.kept: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> Any:
        """The answer kept under `key`, or `MISSING`."""
        with self.lock:
            if key not in self.kept:
                return MISSING
            self.kept.move_to_end(key)
            return self.kept[key]

    def put(self, key: tuple[Any, ...], value: Any) -> None:
        with self.lock:
            self.kept[key] = value
            while len(self.kept) > self.size:
                self.kept.popitem(last=False)


def answers(store: SqlStore, scope: Scope) -> Answers:
    """The scope's kept answers (see `answer`)."""
    return derived(store, scope, "answers", Answers, freeze=False)


def answer(store: SqlStore, scope: Scope, key: tuple[Any, ...],
           make: Callable[[], T]) -> T:
    """`make()`, remembered for this scope under `key` until the next write.

    For answers that are a pure function of the scope's derived data and the request
    (a profile, a neighbourhood, a search): analysts of one scope ask for the same
    entities and names again and again, and a kept answer costs nothing to compute.
    Two requests asking at once may both compute it (an answer is cheap; a stampede
    on the derived data it needs is prevented by `derived`)."""
    kept = answers(store, scope)
    known = kept.get(key)
    if known is not MISSING:
        return known  # type: ignore[no-any-return]
    value = make()
    kept.put(key, value)
    freeze_survivors()
    return value


_collected = threading.Event()


def _on_collection(phase: str, info: dict[str, int]) -> None:
    if phase == "stop" and info.get("generation") == 2:
        _collected.set()


gc.callbacks.append(_on_collection)


def freeze_survivors() -> None:
    """After a full collection, freeze what survived it (called once an answer is made).

    Freezing derived data when it is built (`derived`) is not enough for a server that
    answers for hours: the name analyses and alignments its caches keep, the kept
    answers and the rest of what requests leave behind are hundreds of thousands of
    objects more, and every full collection walked them again. Under 32 clients those
    pauses were the whole p99 (`benchmarks/api.py --team 2 --runs cold`: 276 ms, 151 ms
    with the collector off). What outlived a full collection is what the process
    keeps; frozen, the next full collections walk only what came after. Reference
    counting still frees frozen objects once dropped, the young generations still
    collect a request's cycles, and `clear()` (every write) unfreezes everything."""
    if _collected.is_set():
        _collected.clear()
        gc.freeze()


def held(store: SqlStore, scope: Scope) -> dict[Hashable, Any]:
    """What is kept for this scope now, by name (for tests and diagnostics)."""
    with _lock:
        return dict(_entries.get((str(store.path), scope.key()), {}))


def clear() -> None:
    global _generation
    with _lock:
        _entries.clear()
        _building.clear()
        _generation += 1
    gc.unfreeze()  # what was frozen with the dropped data may be collected again


atexit.register(gc.unfreeze)  # frozen objects are otherwise reported as leaks at exit
