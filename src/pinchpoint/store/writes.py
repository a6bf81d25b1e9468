"""Every write to the statement tables (statements, quarantine, batches, and the
derived tables that follow them): an ingested batch, statements received whole, the
erasure of a source. `DuckDBStore` hands these out; nothing outside the store writes
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

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from pinchpoint.store import redaction
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
_MARKS = ", ".join(["?::VARCHAR"] * 8 + ["?::TIMESTAMP"] * 2 + ["?::VARCHAR"])
# What an imported statement brings: its own values and sightings; the batch gives the rest.
_IMPORT_COLUMNS = [*ROW_COLUMNS, *FINGERPRINT_FIELDS, *_TIMES, "batch"]
_KEPT = [c for c in STATEMENT_COLUMNS if c not in ("id", "batch", *_TIMES)]

Received = Sequence[tuple[BatchMeta, Sequence[Statement]]]


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All of the block's writes, or none of them."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


# -- an ingested batch ------------------------------------------------------------------
@contextmanager
def batch_group(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The commits of every batch staged inside the block are one transaction.

    Each file stays its own batch (its own ``batches`` row, statements and quarantine
    rows); what a group shares is the COMMIT, which costs milliseconds whatever the
    batch's size, so a run of many small files commits in groups. A process killed
    before the group's COMMIT leaves none of the group's batches; a re-run adds them.
    """
    with _transaction(con):
        yield
        _maybe_pause()


class BatchStage:
    """Staging area for one batch; nothing is visible until ``commit``.

    Every cost of a commit is in proportion to the batch, not to the store: a source
    the store has never seen (no ``batches`` row of its owner and name) cannot hold any
    of the batch's statements, whose ids hash the source and owner, so only a source
    seen before is compared with the store, and then only with its own rows. A batch
    that arrives in one chunk (most files) is not copied into a staging table at all:
    it goes from Arrow into the store in one statement.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, fingerprint: str,
                 grouped: bool = False) -> None:
        self.con = con
        self.fingerprint = fingerprint
        self.grouped = grouped  # inside batch_group: the group's transaction commits
        self.staged = 0
        self.quarantined = 0
        self._first: pa.Table | None = None  # held until a second chunk or the commit
        self._tables: set[str] = set()  # the staging tables made so far
        self._keys = False  # whether a chunk can add redaction keys (redaction.add_from)

    def add_statements(self, columns: Mapping[str, Sequence[str | None]]) -> None:
        self.add_table(statement_table(columns))

    def add_table(self, table: pa.Table) -> None:
        """Add a chunk made by `statement_table` (in another process, say)."""
        if table.num_rows == 0:
            return
        props = pc.unique(table.column("prop")).to_pylist()
        self._keys = self._keys or not redaction.KEYED_PROPS.isdisjoint(props)
        self.staged += table.num_rows
        if self._first is None and not self._tables:
            self._first = table
            return
        self._stage(table)

    def _stage(self, table: pa.Table | None) -> None:
        """Append a chunk (and the held first one) to stage_statements, hashing ids as
        chunks arrive, so commit needs no second copy of the batch."""
        if "stage_statements" not in self._tables:
            cols = ", ".join(f"{c} VARCHAR" for c in ["id", *ROW_COLUMNS])
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE stage_statements ({cols})")
            self._tables.add("stage_statements")
        for chunk in (self._first, table):
            if chunk is None:
                continue
            self.con.register("chunk_statements", chunk)
            self.con.execute(
                f"INSERT INTO stage_statements SELECT {STATEMENT_ID_SQL} AS id, * "
                "FROM chunk_statements", [self.fingerprint])
            self.con.unregister("chunk_statements")
        self._first = None

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
        if "stage_quarantine" not in self._tables:
            self.con.execute(
                "CREATE OR REPLACE TEMP TABLE stage_quarantine (file VARCHAR, line BIGINT, "
                "locator VARCHAR, field VARCHAR, raw_value VARCHAR, reason VARCHAR, "
                "row_rejected BOOLEAN)")
            self._tables.add("stage_quarantine")
        self.con.register("chunk_quarantine", table)
        self.con.execute("INSERT INTO stage_quarantine SELECT * FROM chunk_quarantine")
        self.con.unregister("chunk_quarantine")
        self.quarantined += len(items)

    def commit(self, meta: BatchMeta) -> BatchInfo:
        """Move the staged rows into the store in one transaction (or, in a group, in
        the group's: a failure then rolls back the group, staging tables included)."""
        if batch_fingerprint(meta.values) != self.fingerprint:
            raise ValueError("the batch's provenance changed between staging and commit")
        if self.grouped:
            info = self._commit_statements(meta)
            self._drop()
            return info
        try:
            with _transaction(self.con):
                info = self._commit_statements(meta)
                _maybe_pause()
        finally:
            self._drop()
        return info

    def _drop(self) -> None:
        for table in sorted(self._tables):
            self.con.execute(f"DROP TABLE IF EXISTS {table}")
        self._tables.clear()

    def _commit_statements(self, meta: BatchMeta) -> BatchInfo:
        seen_before = _source_seen(self.con, meta["owner"], meta["source"])
        if seen_before or "stage_statements" in self._tables:
            self._stage(None)
            added, existing, entities = self._insert_staged(meta, seen_before)
        else:
            added, existing, entities = self._insert_first(meta)
        values_q = self._commit_quarantine(meta, seen_before)
        info = _batch_info(meta, values_q, added, added + existing, entities)
        _insert_batch(self.con, info)
        return info

    def _insert_first(self, meta: BatchMeta) -> tuple[int, int, int]:
        """A batch of a new source in one chunk: straight from Arrow into the store (no
        statement of it can be stored yet; one repeated inside the batch is added once)."""
        if self._first is None:
            return 0, 0, 0
        self.con.register("stage_rows", self._first)
        added = _scalar(
            self.con,
            f"INSERT INTO statements ({', '.join(_INSERT_COLUMNS)}) "
            f"SELECT DISTINCT ON (id) id, {', '.join(ROW_COLUMNS)}, {_MARKS} FROM ("
            f"SELECT {STATEMENT_ID_SQL} AS id, * FROM stage_rows) AS s",
            [*_constants(meta), self.fingerprint])
        if self._keys:
            redaction.add_from(self.con, "stage_rows")
        self.con.unregister("stage_rows")
        entities = int(pc.count_distinct(self._first.column("entity_id")).as_py())
        return added, 0, entities

    def _insert_staged(self, meta: BatchMeta, seen_before: bool) -> tuple[int, int, int]:
        """A batch from stage_statements: compared with its source's stored rows when
        the source was seen before, known ones' last sighting widened."""
        con = self.con
        if "stage_statements" not in self._tables:  # nothing was staged
            return 0, 0, 0
        existing = self._existing(meta) if seen_before else 0
        rows, distinct_ids, entities = _counts(con)
        # Deduplicating costs a hash aggregate over every column; the counts tell
        # cheaply whether this batch repeats a statement at all.
        distinct = "DISTINCT ON (id) " if rows > distinct_ids else ""
        added = _scalar(
            con,
            f"INSERT INTO statements ({', '.join(_INSERT_COLUMNS)}) "
            f"SELECT {distinct}id, {', '.join(ROW_COLUMNS)}, {_MARKS} FROM stage_statements"
            + (" WHERE id NOT IN (SELECT id FROM stage_existing)" if existing else ""),
            _constants(meta),
        )
        if existing:
            con.execute(
                "UPDATE statements SET last_seen = ? WHERE owner = ? AND source = ? "
                "AND id IN (SELECT id FROM stage_existing)",
                [meta["started_at"], meta["owner"], meta["source"]],
            )
        if self._keys:
            redaction.add_from(con, "stage_statements")
        return added, existing, entities

    def _existing(self, meta: BatchMeta) -> int:
        """How many of the staged ids the store holds, kept in stage_existing. Only the
        batch's own owner and source are read: an id hashes both, so a statement with
        the same id anywhere else cannot exist."""
        self._tables.add("stage_existing")
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE stage_existing AS SELECT DISTINCT id "
            "FROM stage_statements WHERE id IN (SELECT id FROM statements "
            "WHERE owner = ? AND source = ?)", [meta["owner"], meta["source"]])
        return _scalar(self.con, "SELECT count(*) FROM stage_existing")

    def _commit_quarantine(self, meta: BatchMeta, seen_before: bool) -> int:
        if not self.quarantined:
            return 0
        con = self.con
        # Each row carries its batch's classification and handling: it is read under
        # the same rules as the batch's statements (Scope.quarantine_sql). A row's id
        # hashes its source and owner, so only a source seen before can repeat one.
        known = ("WHERE NOT EXISTS (SELECT 1 FROM quarantine t WHERE t.owner = ? "
                 "AND t.source = ? AND t.id = q.id) ") if seen_before else ""
        con.execute(
            f"INSERT INTO quarantine ({', '.join(QUARANTINE_COLUMNS)}) "
            "SELECT DISTINCT ON (id) * FROM ("
            f"SELECT {QUARANTINE_ID_SQL} AS id, * FROM (SELECT ?::VARCHAR AS batch, "
            "?::VARCHAR AS source, ?::VARCHAR AS owner, q.*, ?::TIMESTAMP AS created_at, "
            "?::VARCHAR AS classification, ?::VARCHAR AS handling "
            f"FROM stage_quarantine q) AS r) AS q {known}",
            [meta["id"], meta["source"], meta["owner"], meta["started_at"],
             meta["classification"], meta["handling"],
             *([meta["owner"], meta["source"]] if seen_before else [])],
        )
        return _scalar(con, "SELECT count(*) FROM (SELECT DISTINCT file, line, locator, field, "
                            "raw_value, reason FROM stage_quarantine WHERE NOT row_rejected) "
                            "AS v")


def _constants(meta: BatchMeta) -> list[Any]:
    """What the batch gives each of its statements, in the order of _MARKS."""
    return [meta["source"], meta["owner"], meta["source_grade"], meta["info_grade"],
            meta["grade_original"], meta["handling"], meta["handling_conditions"],
            meta["classification"], meta["started_at"], meta["started_at"], meta["id"]]


def _source_seen(con: duckdb.DuckDBPyConnection, owner: str, source: str) -> bool:
    """Whether any batch of this owner's source was written before (the batches table
    holds a row per file, so this costs nothing next to reading the statements). Every
    statement and quarantine row is written with a batches row of its source and owner
    (an ingest, or a batch of an import), and an erasure leaves the batches rows, so
    a source with no batch holds nothing."""
    return _scalar(con, "SELECT count(*) FROM (SELECT 1 FROM batches WHERE owner = ? "
                        "AND source = ? LIMIT 1) AS b", [owner, source]) > 0


def _counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """The staged statements: rows, distinct ids, distinct entities."""
    row = con.execute("SELECT count(*), count(DISTINCT id), count(DISTINCT entity_id) "
                      "FROM stage_statements").fetchall()[0]
    return int(row[0]), int(row[1]), int(row[2])


def statement_table(columns: Mapping[str, Sequence[str | None]]) -> pa.Table:
    """A chunk of mapped statements (ROW_COLUMNS) as Arrow, as a stage takes it."""
    return pa.table({c: _text_array(columns[c]) for c in ROW_COLUMNS})


def _text_array(values: Sequence[str | None]) -> pa.Array:
    """Strings as Arrow, keeping undecodable bytes visible instead of failing.

    Readers keep invalid UTF-8 as lone surrogates so a bad value can be quarantined;
    such text is stored with the bytes written as escapes (``Rebin \\xff Ali``).
    """
    try:
        return pa.array(values, type=pa.string())
    except UnicodeEncodeError:
        return pa.array([None if v is None else printable(v) for v in values], pa.string())


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
def import_statements(con: duckdb.DuckDBPyConnection, batches: Received
                      ) -> list[ImportedBatch]:
    """Write batches of statements that arrive whole (a partner's package), all of them
    in one transaction. See `DuckDBStore.import_statements`."""
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
            redaction.add_from(con, "import_stage")
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


def _write_imported(con: duckdb.DuckDBPyConnection, batches: Received, known: set[str]
                    ) -> list[ImportedBatch]:
    """Inside the open transaction: new statements in, known ones' times widened, and a
    ``batches`` row for each batch the store did not hold."""
    kept = ", ".join(_KEPT)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE import_unique AS SELECT id, {kept}, batch, "
        "min(first_seen) AS first_seen, max(last_seen) AS last_seen FROM import_stage "
        "GROUP BY ALL")
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
def erase_source(con: duckdb.DuckDBPyConnection, owner: str, source: str,
                 record: Callable[[ErasedRows], object] | None = None) -> ErasedRows:
    """Delete one owner's source, in one transaction. See `DuckDBStore.erase_source`."""
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


def _clear_resolution(con: duckdb.DuckDBPyConnection) -> int:
    """Delete every row of the resolution output tables that exist; return how many."""
    present = {str(r[0]) for r in con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_catalog = current_database()").fetchall()}
    return sum(_scalar(con, f"DELETE FROM {name}") for name in RESOLUTION_OUTPUT_TABLES
               if name in present)


# -- shared -------------------------------------------------------------------------------
def _insert_batch(con: duckdb.DuckDBPyConnection, batch: BatchInfo) -> None:
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


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> int:
    rows = con.execute(sql, params or []).fetchall()  # read to its end: see audit._one
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0
