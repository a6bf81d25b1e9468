"""The statement store on DuckDB: one file per workspace, in-process, columnar.

Writes go through a staged batch: adapters append column chunks to temporary tables
(which are never persisted), and one transaction moves them into the real tables.
A process killed at any point before COMMIT leaves the store exactly as it was;
statement ids are content hashes computed in SQL, so a re-run adds only what is new.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pinchpoint.store import redaction
from pinchpoint.store.base import StatementStore
from pinchpoint.store.records import (
    QUARANTINE_COLUMNS,
    ROW_COLUMNS,
    STATEMENT_COLUMNS,
    BatchInfo,
    EntityValues,
    QuarantineItem,
    Statement,
    StatusCounts,
    StoredQuarantineItem,
)
from pinchpoint.store.schema_sql import (
    BATCH_COLUMNS,
    DDL,
    QUARANTINE_ID_SQL,
    STATEMENT_ID_SQL,
    batch_fingerprint,
)
from pinchpoint.store.scope import REDACTED, Scope

# Test hook for the atomicity test: sleep inside the open transaction so a test can
# SIGKILL the process at the worst moment. Never set in normal use.
PAUSE_ENV = "PINCHPOINT_PAUSE_BEFORE_COMMIT"
MEMORY_ENV = "PINCHPOINT_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "2GB"


_INSERT_COLUMNS = ["id", *ROW_COLUMNS, "source", "owner", "source_grade", "info_grade",
                   "grade_original", "handling", "handling_conditions", "classification",
                   "first_seen", "last_seen", "batch"]


class StoreBusyError(RuntimeError):
    """Another process holds the workspace open for writing."""


class BatchMeta:
    """Everything constant across one ingest batch."""

    def __init__(self, **values: Any) -> None:
        missing = set(BATCH_COLUMNS) - set(values) - {"finished_at", "values_quarantined",
                                                       "statements_added", "statements_seen",
                                                       "entities"}
        if missing:
            raise TypeError(f"BatchMeta is missing {sorted(missing)}")
        self.values = values

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


class BatchStage:
    """Staging area for one batch; nothing is visible until ``commit``."""

    def __init__(self, con: duckdb.DuckDBPyConnection, fingerprint: str) -> None:
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
        con = self.con
        if batch_fingerprint(meta.values) != self.fingerprint:
            raise ValueError("the batch's provenance changed between staging and commit")
        consts = [
            meta["source"], meta["owner"], meta["source_grade"], meta["info_grade"],
            meta["grade_original"], meta["handling"], meta["handling_conditions"],
            meta["classification"], meta["started_at"], meta["started_at"], meta["id"],
        ]
        marks = ", ".join(["?::VARCHAR"] * 8 + ["?::TIMESTAMP"] * 2 + ["?::VARCHAR"])
        con.execute("BEGIN TRANSACTION")
        try:
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
                + (" ANTI JOIN stage_existing USING (id)" if existing else ""),
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
            _maybe_pause()
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            for table in ("stage_statements", "stage_quarantine", "stage_existing"):
                con.execute(f"DROP TABLE IF EXISTS {table}")
        return info

    def _commit_quarantine(self, meta: BatchMeta) -> int:
        con = self.con
        con.execute(
            "INSERT INTO quarantine SELECT * FROM ("
            f"SELECT {QUARANTINE_ID_SQL} AS id, * FROM (SELECT ?::VARCHAR AS batch, "
            "?::VARCHAR AS source, ?::VARCHAR AS owner, q.*, ?::TIMESTAMP AS created_at "
            "FROM stage_quarantine q)) q "
            "WHERE NOT EXISTS (SELECT 1 FROM quarantine t WHERE t.id = q.id) "
            "QUALIFY row_number() OVER (PARTITION BY q.id) = 1",
            [meta["id"], meta["source"], meta["owner"], meta["started_at"]],
        )
        return _scalar(con, "SELECT count(*) FROM (SELECT DISTINCT file, line, locator, field, "
                            "raw_value, reason FROM stage_quarantine WHERE NOT row_rejected)")


def _config(path: Path) -> dict[str, str | bool | int | float | list[str]]:
    """Cap DuckDB's memory so a large batch spills to the workspace, not to swap.

    A batch of millions of statements is staged in temporary tables; with the cap
    they spill to ``.tmp`` beside the store file. $PINCHPOINT_MEMORY_LIMIT overrides.
    """
    return {
        "memory_limit": os.environ.get(MEMORY_ENV, DEFAULT_MEMORY_LIMIT),
        "temp_directory": str(path.parent / ".tmp"),
    }


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


def _quoted(columns: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _insert_batch(con: duckdb.DuckDBPyConnection, batch: BatchInfo) -> None:
    """Write one row of the ``batches`` table (ingest and share import)."""
    con.execute(
        f"INSERT INTO batches ({_quoted(BATCH_COLUMNS)}) "
        f"VALUES ({', '.join('?' for _ in BATCH_COLUMNS)})",
        [getattr(batch, c) for c in BATCH_COLUMNS],
    )


def _in_order(scope: Scope, entity_ids: Sequence[str] | None = None
              ) -> tuple[str, list[object]]:
    """The visible statements (of `entity_ids`, when given) in the one order every
    statement read gives them."""
    visible, params = scope.relation(entity_ids)
    return (f"SELECT {', '.join(STATEMENT_COLUMNS)} FROM ({visible}) AS v "
            "ORDER BY entity_id, prop, value, source, record, id", params)


def _maybe_pause() -> None:
    delay = os.environ.get(PAUSE_ENV)
    if delay:
        print("pinchpoint: batch staged inside open transaction", file=sys.stderr, flush=True)
        time.sleep(float(delay))


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> int:
    row = con.execute(sql, params or []).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _batch_info(meta: BatchMeta, values_q: int, added: int, seen: int, entities: int) -> BatchInfo:
    return BatchInfo(
        id=meta["id"], kind=meta["kind"], path=meta["path"], file_hash=meta["file_hash"],
        source=meta["source"], owner=meta["owner"], user=meta["user"], reason=meta["reason"],
        started_at=meta["started_at"], finished_at=datetime.now().replace(microsecond=0),
        rows_read=meta["rows_read"], rows_stored=meta["rows_stored"],
        rows_rejected=meta["rows_rejected"], values_quarantined=values_q,
        statements_added=added, statements_seen=seen, entities=entities,
    )


class DuckDBStore:
    """Statement store in one DuckDB file. Every read takes a :class:`Scope`."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        try:
            self.con = duckdb.connect(str(path), read_only=read_only, config=_config(path))
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreBusyError(
                    f"the workspace store {path} is open in another Pinchpoint process; "
                    "wait for it to finish"
                ) from exc
            raise
        if not read_only:
            for statement in DDL:
                self.con.execute(statement)
            redaction.ensure(self.con)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> DuckDBStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------
    def stage(self, fingerprint: str) -> BatchStage:
        """Start a batch; ``fingerprint`` is batch_fingerprint() of its provenance."""
        return BatchStage(self.con, fingerprint)

    # -- reading: every method takes the scope first --------------------------------
    def statements(self, scope: Scope, entity_id: str | None = None,
                   limit: int | None = None) -> list[Statement]:
        """Visible statements: all, or one entity's."""
        sql, params = _in_order(scope, [entity_id] if entity_id is not None else None)
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [Statement(*row) for row in self.con.execute(sql, params).fetchall()]

    def statement_table(self, scope: Scope) -> pa.Table:
        """Every visible statement as one Arrow table, in the order of `statements`
        (columns as `STATEMENT_COLUMNS`): for readers that keep a scope in memory."""
        sql, params = _in_order(scope)
        return self.con.sql(sql, params=params).to_arrow_table()

    def iter_entities(self, scope: Scope, chunk: int = 50_000) -> Iterator[list[Statement]]:
        """Statements grouped by entity, in entity-id order (for exports)."""
        visible, params = scope.relation()
        cur = self.con.cursor()
        cur.execute(
            f"SELECT {', '.join(STATEMENT_COLUMNS)} FROM ({visible}) AS v "
            "ORDER BY entity_id, prop, value, id",
            params,
        )
        group: list[Statement] = []
        while rows := cur.fetchmany(chunk):
            for row in rows:
                stmt = Statement(*row)
                if group and group[-1].entity_id != stmt.entity_id:
                    yield group
                    group = []
                group.append(stmt)
        if group:
            yield group
        cur.close()

    def entity_values(self, scope: Scope, schema: str, props: Sequence[str],
                      entity_ids: Sequence[str] | None = None,
                      chunk: int = 100_000) -> Iterator[list[EntityValues]]:
        """Per entity of ``schema`` (all, or only ``entity_ids``): the distinct values of
        each of ``props`` and a fingerprint of all its visible statements (it changes when
        any of them does)."""
        visible, params = scope.relation()
        where = f"value <> '{REDACTED}'"  # a redacted value says nothing to compare
        cur = self.con.cursor()
        if entity_ids is not None:
            cur.execute("CREATE OR REPLACE TEMP TABLE _wanted_ids (id VARCHAR)")
            cur.register("_wanted", pa.table({"id": pa.array(entity_ids, pa.string())}))
            cur.execute("INSERT INTO _wanted_ids SELECT id FROM _wanted")
            cur.unregister("_wanted")
            where += " AND entity_id IN (SELECT id FROM _wanted_ids)"
        lists = ", ".join(
            f"list(DISTINCT value ORDER BY value) FILTER (WHERE prop = ?) AS p{i}"
            for i in range(len(props)))
        cur.execute(
            f"SELECT entity_id, sha1(string_agg(id, ',' ORDER BY id)) AS fp, {lists} "
            f"FROM ({visible}) AS v WHERE schema = ? AND {where} GROUP BY entity_id "
            "ORDER BY entity_id",
            [*props, *params, schema],
        )
        while rows := cur.fetchmany(chunk):
            yield [EntityValues(str(r[0]), str(r[1]),
                                {p: list(v) for p, v in zip(props, r[2:], strict=True) if v})
                   for r in rows]
        cur.close()

    def count_entities(self, scope: Scope) -> int:
        where, params = scope.sql()
        return _scalar(self.con, f"SELECT count(DISTINCT entity_id) FROM statements WHERE {where}",
                       params)

    def counts(self, scope: Scope) -> StatusCounts:
        where, params = scope.sql()
        counts = StatusCounts()
        row = self.con.execute(
            f"SELECT count(*), count(DISTINCT entity_id) FROM statements WHERE {where}", params
        ).fetchone()
        counts.statements, counts.entities = (int(row[0]), int(row[1])) if row else (0, 0)
        own, own_params = scope.own_sql()
        counts.quarantined = _scalar(self.con, f"SELECT count(*) FROM quarantine WHERE {own}",
                                     own_params)
        counts.batches = _scalar(self.con, f"SELECT count(*) FROM batches WHERE {own}",
                                 own_params)
        for column, target in (("source", counts.by_source), ("schema", counts.by_schema),
                               ("owner", counts.by_owner)):
            for key, n_stmt, n_ent in self.con.execute(
                f"SELECT {column}, count(*), count(DISTINCT entity_id) FROM statements "
                f"WHERE {where} GROUP BY 1 ORDER BY 1", params
            ).fetchall():
                target[str(key)] = (int(n_stmt), int(n_ent))
        return counts

    def quarantine(
        self, scope: Scope, batch: str | None = None, limit: int | None = None
    ) -> list[StoredQuarantineItem]:
        where, params = scope.own_sql()
        if batch is not None:
            where += " AND batch = ?"
            params.append(batch)
        sql = (f"SELECT {', '.join(QUARANTINE_COLUMNS)} FROM quarantine WHERE {where} "
               "ORDER BY created_at, file, line, locator, field")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        out = []
        for row in self.con.execute(sql, params).fetchall():
            values = dict(zip(QUARANTINE_COLUMNS, row, strict=True))
            out.append(StoredQuarantineItem(**values))
        return out

    def batches(self, scope: Scope) -> list[BatchInfo]:
        where, params = scope.own_sql()
        rows = self.con.execute(
            f"SELECT {_quoted(BATCH_COLUMNS)} FROM batches WHERE {where} ORDER BY started_at",
            params,
        ).fetchall()
        return [BatchInfo(*row) for row in rows]

    def count_outside(self, scope: Scope) -> int:
        """How many statements `scope` does not see: a count only, for the workspace's
        administrators (`pinchpoint status`), so data nobody here can see is not lost."""
        where, params = scope.sql()
        return _scalar(self.con, f"SELECT count(*) - count(*) FILTER (WHERE {where}) "
                                 "FROM statements", params)


def _conforms(store: DuckDBStore) -> StatementStore:
    """Checked by mypy: DuckDBStore implements the store interface."""
    return store
