"""The one store interface. DuckDB implements it now; PostgreSQL will implement it too.

Every read method takes the reader's :class:`Scope` as its first argument; a backend
must apply it where the data is read, so no caller can forget it. The writes below are
the only ways statements, quarantine rows and batches are written (after nomenklatura's
single Writer): an ingest stages a batch, a received package is imported, a source is
erased. Who may write is decided above the store, by the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from pinchpoint.store.records import (
    BatchInfo,
    BatchMeta,
    ErasedRows,
    ImportedBatch,
    Statement,
    StatusCounts,
    StoredQuarantineItem,
)
from pinchpoint.store.scope import Scope


class BatchWriter(Protocol):
    """A staged batch: nothing is visible to readers until ``commit``."""

    def add_statements(self, columns: dict[str, list[str | None]]) -> None: ...


class StatementStore(Protocol):
    def stage(self, fingerprint: str) -> BatchWriter:
        """Start an ingest batch; ``fingerprint`` is batch_fingerprint() of its provenance."""
        ...

    def batch_group(self) -> AbstractContextManager[None]:
        """Commit every batch staged inside the block in one transaction: each stays its
        own batch (its own batches row, statements and quarantine rows); a failure or a
        crash before the group's commit leaves none of the group's batches."""
        ...

    def import_statements(self, batches: Sequence[tuple[BatchMeta, Sequence[Statement]]]
                          ) -> list[ImportedBatch]:
        """Write statements that arrive whole (a partner's package), every batch in one
        transaction: each statement keeps its values and sightings, and takes its batch's
        provenance; a statement already stored has its sightings widened, and a batch
        already stored (same id) is not written again."""
        ...

    def erase_source(self, owner: str, source: str,
                     record: Callable[[ErasedRows], object] | None = None) -> ErasedRows:
        """Delete `owner`'s `source` (statements, quarantine rows) and all resolution
        output in one transaction, keeping its batch rows; `record` runs last inside it,
        and if it raises nothing is erased."""
        ...

    def statements(self, scope: Scope, entity_id: str | None = None,
                   limit: int | None = None) -> list[Statement]: ...

    def iter_entities(self, scope: Scope, chunk: int = 50_000) -> Iterator[list[Statement]]: ...

    def count_entities(self, scope: Scope) -> int: ...

    def counts(self, scope: Scope) -> StatusCounts: ...

    def count_outside(self, scope: Scope) -> int: ...

    def quarantine(self, scope: Scope, batch: str | None = None,
                   limit: int | None = None, offset: int = 0
                   ) -> list[StoredQuarantineItem]: ...

    def quarantine_total(self, scope: Scope, batch: str | None = None) -> int: ...

    def batches(self, scope: Scope) -> list[BatchInfo]: ...

    def close(self) -> None: ...
