"""The one store interface. DuckDB implements it now; PostgreSQL will implement it too.

Every read method takes the reader's :class:`Scope` as its first argument; a backend
must apply it where the data is read, so no caller can forget it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from pinchpoint.store.records import BatchInfo, Statement, StatusCounts, StoredQuarantineItem
from pinchpoint.store.scope import Scope


class BatchWriter(Protocol):
    """A staged batch: nothing is visible to readers until ``commit``."""

    def add_statements(self, columns: dict[str, list[str | None]]) -> None: ...


class StatementStore(Protocol):
    def stage(self, fingerprint: str) -> BatchWriter: ...

    def statements(self, scope: Scope, entity_id: str | None = None,
                   limit: int | None = None) -> list[Statement]: ...

    def iter_entities(self, scope: Scope, chunk: int = 50_000) -> Iterator[list[Statement]]: ...

    def count_entities(self, scope: Scope) -> int: ...

    def counts(self, scope: Scope) -> StatusCounts: ...

    def count_outside(self, scope: Scope) -> int: ...

    def quarantine(self, scope: Scope, batch: str | None = None,
                   limit: int | None = None) -> list[StoredQuarantineItem]: ...

    def batches(self, scope: Scope) -> list[BatchInfo]: ...

    def close(self) -> None: ...
