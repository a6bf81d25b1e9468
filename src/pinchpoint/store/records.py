"""Plain records the store hands out: statements, quarantine rows, batches, counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pinchpoint.store.schema_sql import BATCH_COLUMNS

STATEMENT_COLUMNS = [
    "id",
    "entity_id",
    "schema",
    "prop",
    "value",
    "original_value",
    "lang",
    "source",
    "record",
    "owner",
    "source_grade",
    "info_grade",
    "grade_original",
    "handling",
    "handling_conditions",
    "classification",
    "first_seen",
    "last_seen",
    "batch",
]

# Columns an ingest adapter fills per statement; the rest are constant per batch.
ROW_COLUMNS = ["entity_id", "schema", "prop", "value", "original_value", "lang", "record"]

QUARANTINE_COLUMNS = [
    "id",
    "batch",
    "source",
    "owner",
    "file",
    "line",
    "locator",
    "field",
    "raw_value",
    "reason",
    "row_rejected",
    "created_at",
    "classification",
    "handling",
]


@dataclass(frozen=True)
class Statement:
    id: str
    entity_id: str
    schema: str
    prop: str
    value: str
    original_value: str | None
    lang: str | None
    source: str
    record: str
    owner: str
    source_grade: str
    info_grade: str
    grade_original: str
    handling: str
    handling_conditions: str | None
    classification: str
    first_seen: datetime
    last_seen: datetime
    batch: str


@dataclass(frozen=True)
class QuarantineItem:
    """A value or a whole row that did not clean, with where it came from and why."""

    file: str
    line: int | None
    locator: str | None
    field: str | None
    raw_value: str | None
    reason: str
    row_rejected: bool


@dataclass(frozen=True)
class StoredQuarantineItem(QuarantineItem):
    id: str = ""
    batch: str = ""
    source: str = ""
    owner: str = ""
    created_at: datetime | None = None
    classification: str | None = None
    handling: str | None = None


@dataclass(frozen=True)
class BatchInfo:
    """Who collected what, when and why: the DPA 2018 s.62 'collection' record."""

    id: str
    kind: str
    path: str
    file_hash: str
    source: str
    owner: str
    user: str
    reason: str | None
    started_at: datetime
    finished_at: datetime
    rows_read: int
    rows_stored: int
    rows_rejected: int
    values_quarantined: int
    statements_added: int
    statements_seen: int
    entities: int


class BatchMeta:
    """Everything constant across one batch: its ``batches`` row less what the store
    counts, and the provenance every statement of the batch carries (source, owner,
    grades, handling, classification)."""

    def __init__(self, **values: Any) -> None:
        missing = set(BATCH_COLUMNS) - set(values) - {"finished_at", "values_quarantined",
                                                       "statements_added", "statements_seen",
                                                       "entities"}
        if missing:
            raise TypeError(f"BatchMeta is missing {sorted(missing)}")
        self.values = values

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


@dataclass(frozen=True)
class ImportedBatch:
    """One batch of an import: its ``batches`` row, and whether this import wrote it
    (False: the store held that batch already, so nothing of it was written again)."""

    info: BatchInfo
    new: bool


@dataclass(frozen=True)
class ErasedRows:
    """What erasing one source removed."""

    statements: int
    quarantine: int
    resolution_rows: int


@dataclass(frozen=True)
class EntityValues:
    """One entity's distinct values per property, and a fingerprint of its statements."""

    entity_id: str
    fingerprint: str
    values: dict[str, list[str]]


@dataclass
class StatusCounts:
    statements: int = 0
    entities: int = 0
    quarantined: int = 0
    batches: int = 0
    by_source: dict[str, tuple[int, int]] = field(default_factory=dict)
    by_schema: dict[str, tuple[int, int]] = field(default_factory=dict)
    by_owner: dict[str, tuple[int, int]] = field(default_factory=dict)
