"""Every write to the statement tables (statements, quarantine, batches, and the
derived tables that follow them): an ingested batch, statements received whole, the
erasure of a source. `SqlStore` hands these out; nothing outside the store writes
those tables (tests/store/test_one_write_path.py checks).

An ingested batch is staged first: adapters append column chunks to temporary tables
(which are never persisted), and one transaction moves them into the real tables. A
process killed at any point before COMMIT leaves the store exactly as it was;
statement ids are content hashes computed in SQL, so a re-run adds only what is new.
An import and an erasure are each one transaction too, and every write refreshes the
redaction keys inside it, so no read between two commits sees a stale set.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pinchpoint.store import redaction
from pinchpoint.store.database import Connection
from pinchpoint.store.records import (
    QUARANTINE_COLUMNS,
    ROW_COLUMNS,
    STATEMENT_COLUMNS,
    BatchInfo,
    BatchMeta,
    ErasedRows,
    ImportedBatch,
    QuarantineItem,
    Statement,
)
from pinchpoint.store.schema_sql import (
    BATCH_COLUMNS,
    FINGERPRINT_FIELDS,
    QUARANTINE_ID_SQL,
    RESOLUTION_OUTPUT_TABLES,
    STATEMENT_ID_SQL,
    batch_fingerprint,
    quoted,
)

# Test hook for the atomicity test: sleep inside the open transaction so a test can
# SIGKILL the process at the worst moment. Never set in normal use.
PAUSE_ENV = "PINCHPOINT_PAUSE_BEFORE_COMMIT"

_INSERT_COLUMNS = ["id", *ROW_COLUMNS, "source", "owner", "source_grade", "info_grade",
                   "grade_original", "handling", "handling_conditions", "classification",
                   "first_seen", "last_seen", "batch"]
_TIMES = ("first_seen", "last_seen")
# What an imported statement brings: its own values and sightings; the batch gives the rest.
_IMPORT_COLUMNS = [*ROW_COLUMNS, *FINGERPRINT_FIELDS, *_TIMES, "batch"]
_KEPT = [c for c in STATEMENT_COLUMNS if c not in ("id", "batch", *_TIMES)]

Received = Sequence[tuple[BatchMeta, Sequence[Statement]]]


@contextmanager
def _transaction(con: Connection) -> Iterator[None]:
    """All of the block's writes, or none of them."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


# -- an ingested batch ------------------------------------------------------------------
class BatchStage:
    """Staging area for one batch; nothing is visible until ``commit``."""

    def __init__(self, con: Connection, fingerprint: str) -> None:
        self.con = con
        self.fingerprint = fingerprint
        cols = ", ".join(f"{c} VARCHAR" for c in ["id", *ROW_COLUMNS])
        con.execute(f"CREATE OR REPLACE TEMP TABLE stage_statements ({cols})")
        con.execute(
            "CREATE OR REPLACE TEMP TABLE stage_quarantine (file VARCHAR, line BIGINT, "
            "locator VARCHAR, field VARCHAR, raw_value VARCHAR, reason VARCHAR, "
            "row_rejected BOOLEAN)"
        )
        self.staged = 0

    def add_statements(self, columns: Mapping[str, Sequence[str | None]]) -> None:
        table = pa.table({c: _text_array(columns[c]) for c in ROW_COLUMNS})
        if table.num_rows == 0:
            return
        self.con.register("chunk_statements", table)
        # Ids are hashed as chunks arrive, so commit needs no second copy of the batch.
        self.con.execute(
            f"INSERT INTO stage_statements SELECT {STATEMENT_ID_SQL} AS id, * "
            "FROM chunk_statements",
            [self.fingerprint],
        )
        self.con.unregister("chunk_statements")
        self.staged += table.num_rows

    def add_quarantine(self, items: Sequence[QuarantineItem]) -> None:
        if not items:
            return
        table = pa.table(
            {
                "file": _text_array([i.file for i in items]),
                "line": pa.array([i.line for i in items], pa.int64()),
                "locator": _text_array([i.locator for i in items]),
                "field": _text_array([i.field for i in items]),
                "raw_value": _text_array([i.raw_value for i in items]),
                "reason": _text_array([i.reason for i in items]),
                "row_rejected": pa.array([i.row_rejected for i in items], pa.bool_()),
            }
        )
        self.con.register("chunk_quarantine", table)
        self.con.execute("INSERT INTO stage_quarantine SELECT * FROM chunk_quarantine")
        self.con.unregister("chunk_quarantine")

    def commit(self, meta: BatchMeta) -> BatchInfo:
        """Move the staged rows into the store in one transaction."""
        if batch_fingerprint(meta.values) != self.fingerprint:
            raise ValueError("the batch's provenance changed between staging and commit")
        try:
            with _transaction(self.con):
                info = self._commit_statements(meta)
                _maybe_pause()
        finally:
            for table in ("stage_statements", "stage_quarantine", "stage_existing"):
                self.con.execute(f"DROP TABLE IF EXISTS {table}")
        return info

    def _commit_statements(self, meta: BatchMeta) -> BatchInfo:
        con = self.con
        consts = [
            meta["source"], meta["owner"], meta["source_grade"], meta["info_grade"],
            meta["grade_original"], meta["handling"], meta["handling_conditions"],
            meta["classification"], meta["started_at"], meta["started_at"], meta["id"],
        ]
        marks = ", ".join(["?::VARCHAR"] * 8 + ["?::TIMESTAMP"] * 2 + ["?::VARCHAR"])
        con.execute(
            "CREATE OR REPLACE TEMP TABLE stage_existing AS SELECT DISTINCT id "
            "FROM stage_statements WHERE id IN (SELECT id FROM statements)"
        )
        existing = _scalar(con, "SELECT count(*) FROM stage_existing")
        # Deduplicating costs a hash aggregate over every column; a count tells
        # cheaply whether this batch repeats a statement at all.
        repeats = _scalar(con, "SELECT count(*) - count(DISTINCT id) FROM stage_statements")
        distinct = "DISTINCT ON (id) " if repeats else ""
        added = _scalar(
            con,
            f"INSERT INTO statements ({', '.join(_INSERT_COLUMNS)}) "
            f"SELECT {distinct}id, {', '.join(ROW_COLUMNS)}, "
            f"{marks} FROM stage_statements"
            + (" WHERE id NOT IN (SELECT id FROM stage_existing)" if existing else ""),
            consts,
        )
        if existing:
            con.execute(
                "UPDATE statements SET last_seen = ? "
                "WHERE id IN (SELECT id FROM stage_existing)",
                [meta["started_at"]],
            )
        redaction.refresh_if_touched(con, "stage_statements")
        values_q = self._commit_quarantine(meta)
        entities = _scalar(con, "SELECT count(DISTINCT entity_id) FROM stage_statements")
        info = _batch_info(meta, values_q, added, added + existing, entities)
        _insert_batch(con, info)
        return info

    def _commit_quarantine(self, meta: BatchMeta) -> int:
        con = self.con
        # Each row carries its batch's classification and handling: it is read under
        # the same rules as the batch's statements (Scope.quarantine_sql).
        columns = ", ".join(QUARANTINE_COLUMNS)
        con.execute(
            f"INSERT INTO quarantine ({columns}) SELECT DISTINCT ON (id) {columns} FROM ("
            f"SELECT {QUARANTINE_ID_SQL} AS id, * FROM (SELECT ?::VARCHAR AS batch, "
            "?::VARCHAR AS source, ?::VARCHAR AS owner, q.*, ?::TIMESTAMP AS created_at, "
            "?::VARCHAR AS classification, ?::VARCHAR AS handling "
            "FROM stage_quarantine q) AS r) q "
            "WHERE NOT EXISTS (SELECT 1 FROM quarantine t WHERE t.id = q.id) ORDER BY id",
            [meta["id"], meta["source"], meta["owner"], meta["started_at"],
             meta["classification"], meta["handling"]],
        )
        return _scalar(con, "SELECT count(*) FROM (SELECT DISTINCT file, line, locator, field, "
                            "raw_value, reason FROM stage_quarantine WHERE NOT row_rejected) AS v")


def _text_array(values: Sequence[str | None]) -> pa.Array:
    """Strings as Arrow, keeping undecodable bytes visible instead of failing.

    Readers keep invalid UTF-8 as lone surrogates so a bad value can be quarantined;
    such text is stored with the bytes written as escapes (``Rebin \\xff Ali``).
    """
    try:
        array = pa.array(values, type=pa.string())
    except UnicodeEncodeError:
        array = pa.array([None if v is None else printable(v) for v in values], pa.string())
    # A NUL character, which PostgreSQL cannot hold, is kept visible the same way (on
    # both backends, so a statement's id does not depend on where it is stored).
    return pc.replace_substring(array, "\x00", "\\x00")


def printable(value: str) -> str:
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        pass
    try:
        raw = value.encode("utf-8", "surrogateescape")
        return raw.decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")


# -- statements received whole ------------------------------------------------------------
def import_statements(con: Connection, batches: Received
                      ) -> list[ImportedBatch]:
    """Write batches of statements that arrive whole (a partner's package), all of them
    in one transaction. See `SqlStore.import_statements`."""
    con.register("import_rows", _import_table(batches))
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE import_stage AS "
                    "SELECT ''::VARCHAR AS id, * FROM import_rows LIMIT 0")
        with _transaction(con):
            for meta, _ in batches:
                con.execute(f"INSERT INTO import_stage SELECT {STATEMENT_ID_SQL} AS id, * "
                            "FROM import_rows WHERE batch = ?",
                            [batch_fingerprint(meta.values), meta["id"]])
            known = {str(r[0]) for r in con.execute(
                "SELECT id FROM batches WHERE id IN (SELECT DISTINCT batch FROM import_stage)"
            ).fetchall()}
            imported = _write_imported(con, batches, known)
            redaction.refresh_if_touched(con, "import_stage")
    finally:
        con.unregister("import_rows")
        con.execute("DROP TABLE IF EXISTS import_stage")
    return imported


def _import_table(batches: Received) -> pa.Table:
    """One row per statement: its own columns, its batch's provenance and id."""
    columns: dict[str, list[Any]] = {c: [] for c in _IMPORT_COLUMNS}
    for meta, statements in batches:
        for column in (*ROW_COLUMNS, *_TIMES):
            columns[column] += [getattr(s, column) for s in statements]
        for column in FINGERPRINT_FIELDS:
            columns[column] += [meta.values.get(column)] * len(statements)
        columns["batch"] += [meta["id"]] * len(statements)
    return pa.table({c: pa.array(v, pa.timestamp("us") if c in _TIMES else pa.string())
                     for c, v in columns.items()})


def _write_imported(con: Connection, batches: Received, known: set[str]
                    ) -> list[ImportedBatch]:
    """Inside the open transaction: new statements in, known ones' times widened, and a
    ``batches`` row for each batch the store did not hold."""
    kept = ", ".join(_KEPT)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE import_unique AS SELECT id, {kept}, batch, "
        "min(first_seen) AS first_seen, max(last_seen) AS last_seen FROM import_stage "
        f"GROUP BY id, {kept}, batch")
    con.execute("CREATE OR REPLACE TEMP TABLE import_existing AS SELECT id FROM import_unique "
                "WHERE id IN (SELECT id FROM statements)")
    per_batch = {str(r[0]): (int(r[1]), int(r[2]), int(r[3])) for r in con.execute(
        "SELECT batch, count(*), count(*) FILTER (WHERE id NOT IN (SELECT id FROM "
        "import_existing)), count(DISTINCT entity_id) FROM import_unique GROUP BY batch"
    ).fetchall()}
    con.execute(
        f"INSERT INTO statements (id, {kept}, first_seen, last_seen, batch) "
        f"SELECT id, {kept}, first_seen, last_seen, batch FROM import_unique "
        "WHERE id NOT IN (SELECT id FROM import_existing)")
    # A statement already here (an earlier package) is the same fact seen again:
    # its first and last sightings widen to cover the sender's.
    con.execute(
        "UPDATE statements SET first_seen = least(statements.first_seen, u.first_seen), "
        "last_seen = greatest(statements.last_seen, u.last_seen) FROM import_unique u "
        "WHERE statements.id = u.id AND u.id IN (SELECT id FROM import_existing) "
        "AND (u.first_seen < statements.first_seen OR u.last_seen > statements.last_seen)")
    con.execute("DROP TABLE import_unique")
    con.execute("DROP TABLE import_existing")
    out = []
    for meta, _ in batches:
        seen, added, entities = per_batch.get(meta["id"], (0, 0, 0))
        info = _batch_info(meta, 0, added, seen, entities)
        if meta["id"] not in known:
            _insert_batch(con, info)
        out.append(ImportedBatch(info, new=meta["id"] not in known))
    return out


# -- erasure ------------------------------------------------------------------------------
def erase_source(con: Connection, owner: str, source: str,
                 record: Callable[[ErasedRows], object] | None = None) -> ErasedRows:
    """Delete one owner's source, in one transaction. See `SqlStore.erase_source`."""
    with _transaction(con):
        erased = ErasedRows(
            statements=_scalar(con, "DELETE FROM statements WHERE owner = ? AND source = ?",
                               [owner, source]),
            quarantine=_scalar(con, "DELETE FROM quarantine WHERE owner = ? AND source = ?",
                               [owner, source]),
            resolution_rows=_clear_resolution(con))
        redaction.refresh(con)
        if record is not None:
            record(erased)
    return erased


def _clear_resolution(con: Connection) -> int:
    """Delete every row of the resolution output tables that exist; return how many."""
    present = {str(r[0]) for r in con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_catalog = current_database()"
    ).fetchall()}
    return sum(_scalar(con, f"DELETE FROM {name}") for name in RESOLUTION_OUTPUT_TABLES
               if name in present)


# -- shared -------------------------------------------------------------------------------
def _insert_batch(con: Connection, batch: BatchInfo) -> None:
    """Write one row of the ``batches`` table (an ingest, or a batch of an import)."""
    con.execute(
        f"INSERT INTO batches ({quoted(BATCH_COLUMNS)}) "
        f"VALUES ({', '.join('?' for _ in BATCH_COLUMNS)})",
        [getattr(batch, c) for c in BATCH_COLUMNS],
    )


def _batch_info(meta: BatchMeta, values_q: int, added: int, seen: int, entities: int) -> BatchInfo:
    return BatchInfo(
        id=meta["id"], kind=meta["kind"], path=meta["path"], file_hash=meta["file_hash"],
        source=meta["source"], owner=meta["owner"], user=meta["user"], reason=meta["reason"],
        started_at=meta["started_at"], finished_at=datetime.now().replace(microsecond=0),
        rows_read=meta["rows_read"], rows_stored=meta["rows_stored"],
        rows_rejected=meta["rows_rejected"], values_quarantined=values_q,
        statements_added=added, statements_seen=seen, entities=entities,
    )


def _maybe_pause() -> None:
    delay = os.environ.get(PAUSE_ENV)
    if delay:
        print("pinchpoint: batch staged inside open transaction", file=sys.stderr, flush=True)
        time.sleep(float(delay))


def _scalar(con: Connection, sql: str, params: list[Any] | None = None) -> int:
    row = con.execute(sql, params or []).fetchone()
    return int(row[0]) if row and row[0] is not None else 0
