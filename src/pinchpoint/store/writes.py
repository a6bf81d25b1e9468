"""Every write to the statement tables (statements, quarantine, batches, and the
derived tables that follow them) but an ingested batch's (`pinchpoint.store.staging`):
statements received whole, the erasure of a source, and what those writes share.
`SqlStore` hands these out; nothing outside the store writes those tables
(tests/store/test_one_write_path.py checks).

An import and an erasure are each one transaction, and every write updates the
redaction keys inside it, so no read between two commits sees a stale set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pyarrow as pa

from pinchpoint.store import redaction
from pinchpoint.store.database import Connection
from pinchpoint.store.records import (
    ROW_COLUMNS,
    STATEMENT_COLUMNS,
    BatchInfo,
    BatchMeta,
    ErasedRows,
    ImportedBatch,
    Statement,
)
from pinchpoint.store.schema_sql import (
    BATCH_COLUMNS,
    FINGERPRINT_FIELDS,
    RESOLUTION_OUTPUT_TABLES,
    STATEMENT_ID_SQL,
    batch_fingerprint,
    quoted,
)

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
        con.execute("DELETE FROM quarantine_seen WHERE id IN (SELECT id FROM quarantine "
                    "WHERE owner = ? AND source = ?)", [owner, source])
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


def _scalar(con: Connection, sql: str, params: list[Any] | None = None) -> int:
    rows = con.execute(sql, params or []).fetchall()  # read to its end: see audit._one
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0
