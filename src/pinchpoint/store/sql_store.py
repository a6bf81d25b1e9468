"""The statement store on SQL: the reads and the writes it hands out, written once for
DuckDB (`pinchpoint.store.duckdb_store`, the embedded default) and PostgreSQL
(`pinchpoint.store.postgres_store`, the team server).

Reads are here, each taking the reader's scope; writes are handed out from here and
done in `pinchpoint.store.writes` (staged batches, imports, erasure), each in one
transaction, so a process killed before COMMIT leaves the store exactly as it was.
The SQL is the dialect the two databases share (`pinchpoint.store.database`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa

from pinchpoint.store import database, redaction, staging, writes
from pinchpoint.store.base import StatementStore
from pinchpoint.store.database import Connection
from pinchpoint.store.group import Group, KnownIds
from pinchpoint.store.records import (
    QUARANTINE_COLUMNS,
    STATEMENT_COLUMNS,
    BatchInfo,
    BatchMeta,
    EntityValues,
    ErasedRows,
    ImportedBatch,
    Statement,
    StatusCounts,
    StoredQuarantineItem,
)
from pinchpoint.store.schema_sql import (
    BATCH_COLUMNS,
    DDL,
    MIGRATIONS,
    QUARANTINE_MARKINGS,
    quoted,
    table_exists,
)
from pinchpoint.store.scope import REDACTED, Scope
from pinchpoint.store.staging import BatchStage
from pinchpoint.store.writes import _scalar

__all__ = ["BatchMeta", "BatchStage", "SqlStore"]

# Entities per read of ordered aggregates, which hold every group until the last row:
# 1.9M persons (or payments) at once ran out of a 2 GB store.
ENTITY_SLICE = 200_000


def sliced_rows(con: Connection, query: str, params: Sequence[object], schema: str,
                entity_ids: Sequence[str] | None = None, size: int = ENTITY_SLICE,
                chunk: int = 100_000) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of ``query`` (a read the caller scoped, grouped by entity, with
    ``{slice}`` where a condition on ``entity_id`` goes after its other conditions), run
    once per slice of at most ``size`` entities of ``schema`` (`_slices`), in chunks."""
    cur = con.cursor()
    try:
        for where, where_params in _slices(cur, schema, entity_ids, size):
            cur.execute(query.replace("{slice}", where), [*params, *where_params])
            while rows := cur.fetchmany(chunk):
                yield rows
    finally:
        cur.close()


def _slices(cur: Connection, schema: str, entity_ids: Sequence[str] | None,
            size: int) -> Iterator[tuple[str, list[object]]]:
    """Conditions that split the entities of ``schema`` into slices of at most
    ``size``, in id order: the wanted ids a slice at a time, or ranges between every
    ``size``-th id of the schema (split points only: nothing of them is returned)."""
    if entity_ids is not None:
        wanted = sorted(set(entity_ids))
        for start in range(0, max(len(wanted), 1), size):
            cur.execute("CREATE OR REPLACE TEMP TABLE _wanted_ids (id VARCHAR)")
            cur.register("_wanted", pa.table(
                {"id": pa.array(wanted[start:start + size], pa.string())}))
            cur.execute("INSERT INTO _wanted_ids SELECT id FROM _wanted")
            cur.unregister("_wanted")
            yield "AND entity_id IN (SELECT id FROM _wanted_ids)", []
        return
    bounds = [str(r[0]) for r in cur.execute(
        "SELECT entity_id FROM (SELECT entity_id, row_number() OVER (ORDER BY entity_id) "
        "AS n FROM (SELECT DISTINCT entity_id FROM statements WHERE schema = ?) AS d) "
        "AS r WHERE n % ? = 0 ORDER BY entity_id", [schema, size]).fetchall()]
    lower: str | None = None
    for upper in [*bounds, None]:
        conditions = [c for c, b in (("entity_id > ?", lower), ("entity_id <= ?", upper))
                      if b is not None]
        yield "".join(f"AND {c} " for c in conditions), [
            b for b in (lower, upper) if b is not None]
        lower = upper


def _in_order(scope: Scope, entity_ids: Sequence[str] | None = None
              ) -> tuple[str, list[object]]:
    """The visible statements (of `entity_ids`, when given) in the one order every
    statement read gives them."""
    visible, params = scope.relation(entity_ids)
    return (f"SELECT {', '.join(STATEMENT_COLUMNS)} FROM ({visible}) AS v "
            "ORDER BY entity_id, prop, value, source, record, id", params)


class SqlStore:
    """Statement store over one SQL database. Every read takes a :class:`Scope`.

    A backend opens `con` and calls `_create_tables` when it opens for writing."""

    con: Connection
    _group: Group | None = None  # inside `batch_group`
    _known: KnownIds | None = None  # seen sources' ids, kept across groups (DuckDB)
    # The store file (DuckDB) or where it would be (PostgreSQL): names the store in
    # caches, and its folder holds scratch files (`.tmp`).
    path: Path

    def _create_tables(self) -> None:
        for statement in [*DDL, *MIGRATIONS]:
            self.con.execute(statement)
        redaction.ensure(self.con)

    def close(self) -> None:
        self.con.close()

    def release_memory(self) -> None:
        """Give back what the database keeps in this process between queries (DuckDB's
        cached blocks, `DuckDBStore.release_memory`); the server's own on PostgreSQL."""

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------
    def stage(self, fingerprint: str) -> BatchStage:
        """Start a batch; ``fingerprint`` is batch_fingerprint() of its provenance."""
        if self._group is None:
            self._forget_known()  # a write outside the groups: the kept ids go stale
        return BatchStage(self.con, fingerprint, group=self._group)

    def _forget_known(self) -> None:
        if self._known is not None:
            self._known.forget(self.con)

    @contextmanager
    def batch_group(self) -> Iterator[None]:
        """Commit every batch staged inside the block in one transaction (each still its
        own batch): see `staging.batch_group`."""
        if self._group is not None:
            raise RuntimeError("batch groups do not nest")
        if self._known is None and not database.is_postgres(self.con):
            self._known = KnownIds()  # PostgreSQL finds a source's ids by its index
        try:
            with staging.batch_group(self.con, self._known) as self._group:
                yield
        finally:
            self._group = None

    def import_statements(self, batches: Sequence[tuple[BatchMeta, Sequence[Statement]]]
                          ) -> list[ImportedBatch]:
        """Write statements that arrive whole, all batches in one transaction.

        Each batch's statements keep their own values and first and last sightings;
        their source, owner, grades, handling and classification are the batch's.
        A statement the store holds already has its sightings widened; a batch the
        store holds already (same id) gets no second ``batches`` row.
        """
        self._forget_known()
        imported = writes.import_statements(self.con, batches)
        staging.refresh_statistics(self.con, sum(b.info.statements_added for b in imported))
        return imported

    def erase_source(self, owner: str, source: str,
                     record: Callable[[ErasedRows], object] | None = None) -> ErasedRows:
        """Delete every statement and quarantine row of `owner`'s `source`, and all
        resolution output (a stale merge would keep showing erased names), in one
        transaction; the ``batches`` rows stay, as the record that collection happened.

        `record` runs inside the transaction, last (the caller's own record of the
        erasure): if it raises, nothing is erased. Who may erase is the caller's rule.
        """
        self._forget_known()
        return writes.erase_source(self.con, owner, source, record)

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
        return database.arrow(self.con, sql, params)

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
                      entity_ids: Sequence[str] | None = None, chunk: int = 100_000,
                      slice_size: int = ENTITY_SLICE) -> Iterator[list[EntityValues]]:
        """Per entity of ``schema`` (all, or only ``entity_ids``): the distinct values of
        each of ``props`` and a fingerprint of all its visible statements (it changes when
        any of them does), in the order of the entity ids.

        The ordered aggregates hold every group until the last row, so the entities are
        read ``slice_size`` at a time, each slice a range of ids: 1.9M persons at once
        ran out of a 2 GB store."""
        visible, params = scope.relation()
        lists = ", ".join(
            f"array_agg(DISTINCT value ORDER BY value) FILTER (WHERE prop = ?) AS p{i}"
            for i in range(len(props)))
        query = (f"SELECT entity_id, sha1(string_agg(id, ',' ORDER BY id)) AS fp, {lists} "
                 f"FROM ({visible}) AS v WHERE schema = ? "
                 f"AND value <> '{REDACTED}' "  # a redacted value says nothing to compare
                 "{slice} GROUP BY entity_id ORDER BY entity_id")
        for rows in sliced_rows(self.con, query, [*props, *params, schema], schema,
                                entity_ids, slice_size, chunk):
            yield [EntityValues(str(r[0]), str(r[1]),
                                {p: list(v) for p, v in zip(props, r[2:], strict=True) if v})
                   for r in rows]

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
        seen, seen_params = scope.quarantine_sql()
        counts.quarantined = _scalar(
            self.con, f"SELECT count(*) FROM {self._quarantine_rows()} WHERE {seen}",
            seen_params)
        own, own_params = scope.own_sql()
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
        self, scope: Scope, batch: str | None = None, limit: int | None = None,
        offset: int = 0,
    ) -> list[StoredQuarantineItem]:
        where, params = self._quarantine_where(scope, batch)
        sql = (f"SELECT {', '.join(QUARANTINE_COLUMNS)} FROM {self._quarantine_rows()} "
               f"WHERE {where} "
               "ORDER BY created_at, file, line, locator, field, id")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        if offset:
            sql += f" OFFSET {int(offset)}"
        out = []
        for row in self.con.execute(sql, params).fetchall():
            values = dict(zip(QUARANTINE_COLUMNS, row, strict=True))
            out.append(StoredQuarantineItem(**values))
        return out

    def quarantine_total(self, scope: Scope, batch: str | None = None) -> int:
        """How many quarantine rows `quarantine` would list without a limit."""
        where, params = self._quarantine_where(scope, batch)
        row = self.con.execute(f"SELECT count(*) FROM {self._quarantine_rows()} "
                               f"WHERE {where}", params).fetchone()
        return int(row[0]) if row else 0

    def _quarantine_where(self, scope: Scope, batch: str | None) -> tuple[str, list[object]]:
        """A batch's rows: those it stored, and those it rejected again."""
        where, params = scope.quarantine_sql()
        if batch is not None:
            again = (" OR id IN (SELECT id FROM quarantine_seen WHERE batch = ?)"
                     if table_exists(self.con, "quarantine_seen") else "")
            where += f" AND (batch = ?{again})"
            params += [batch, batch] if again else [batch]
        return where, params

    def _quarantine_rows(self) -> str:
        """The quarantine table; in a store made before rows carried their markings and
        opened read-only (so not migrated), with those columns as NULL (read as SECRET)."""
        have = {str(r[0]) for r in self.con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'quarantine'").fetchall()}
        missing = [c for c in QUARANTINE_MARKINGS if c not in have]
        if not missing:
            return "quarantine"
        nulls = ", ".join(f"NULL::VARCHAR AS {c}" for c in missing)
        return f"(SELECT *, {nulls} FROM quarantine) AS quarantine"

    def batches(self, scope: Scope) -> list[BatchInfo]:
        where, params = scope.own_sql()
        rows = self.con.execute(
            f"SELECT {quoted(BATCH_COLUMNS)} FROM batches WHERE {where} ORDER BY started_at",
            params,
        ).fetchall()
        return [BatchInfo(*row) for row in rows]

    def count_outside(self, scope: Scope) -> int:
        """How many statements `scope` does not see: a count only, for the workspace's
        administrators (`pinchpoint status`), so data nobody here can see is not lost."""
        where, params = scope.sql()
        return _scalar(self.con, f"SELECT count(*) - count(*) FILTER (WHERE {where}) "
                                 "FROM statements", params)


def _conforms(store: SqlStore) -> StatementStore:
    """Checked by mypy: SqlStore implements the store interface."""
    return store
