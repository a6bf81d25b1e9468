"""The store's tables and the SQL that derives content-hash ids."""

from __future__ import annotations

from collections.abc import Mapping

STATEMENTS_DDL = """
CREATE TABLE IF NOT EXISTS statements (
    id VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    schema VARCHAR NOT NULL,
    prop VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    original_value VARCHAR,
    lang VARCHAR,
    source VARCHAR NOT NULL,
    record VARCHAR NOT NULL,
    owner VARCHAR NOT NULL,
    source_grade VARCHAR NOT NULL,
    info_grade VARCHAR NOT NULL,
    grade_original VARCHAR NOT NULL,
    handling VARCHAR NOT NULL,
    handling_conditions VARCHAR,
    classification VARCHAR NOT NULL,
    first_seen TIMESTAMP NOT NULL,
    last_seen TIMESTAMP NOT NULL,
    batch VARCHAR NOT NULL
)
"""

QUARANTINE_DDL = """
CREATE TABLE IF NOT EXISTS quarantine (
    id VARCHAR NOT NULL,
    batch VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    owner VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    line BIGINT,
    locator VARCHAR,
    field VARCHAR,
    raw_value VARCHAR,
    reason VARCHAR NOT NULL,
    row_rejected BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
)
"""

BATCH_COLUMNS = [
    "id", "kind", "path", "file_hash", "source", "owner", "user", "reason", "started_at",
    "finished_at", "rows_read", "rows_stored", "rows_rejected", "values_quarantined",
    "statements_added", "statements_seen", "entities",
]

BATCHES_DDL = """
CREATE TABLE IF NOT EXISTS batches (
    id VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    path VARCHAR NOT NULL,
    file_hash VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    owner VARCHAR NOT NULL,
    "user" VARCHAR NOT NULL,
    reason VARCHAR,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_stored BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    values_quarantined BIGINT NOT NULL,
    statements_added BIGINT NOT NULL,
    statements_seen BIGINT NOT NULL,
    entities BIGINT NOT NULL
)
"""

DDL = [STATEMENTS_DDL, QUARANTINE_DDL, BATCHES_DDL]

_SEP = "chr(31)"


def _hash(columns: list[str]) -> str:
    parts = ", ".join(f"coalesce({c}, '')" for c in columns)
    return f"sha1(concat_ws({_SEP}, {parts}))"


# What is constant across a batch and still part of a statement's identity. It is
# hashed as one parameter string so the per-row hash work stays small.
FINGERPRINT_FIELDS = [
    "source", "owner", "source_grade", "info_grade", "grade_original", "handling",
    "handling_conditions", "classification",
]


def batch_fingerprint(values: Mapping[str, object]) -> str:
    return "\x1f".join("" if values.get(f) is None else str(values[f])
                       for f in FINGERPRINT_FIELDS)


# Everything that makes a statement what it is; not the times and not the batch.
# The one parameter is batch_fingerprint() of the batch.
STATEMENT_ID_SQL = _hash([
    "entity_id", "schema", "prop", "value", "original_value", "lang", "record", "?::VARCHAR",
])

QUARANTINE_ID_SQL = _hash([
    "source", "owner", "file", "CAST(line AS VARCHAR)", "locator", "field",
    "raw_value", "reason",
])
