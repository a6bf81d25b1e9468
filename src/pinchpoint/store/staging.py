"""An ingested batch: staged, then committed in one transaction (`BatchStage`), or many
batches committed together (`batch_group`).

Adapters append column chunks to temporary tables (which are never persisted), and one
transaction moves them into the real tables. A process killed at any point before
COMMIT leaves the store exactly as it was; statement ids are content hashes computed in
SQL, so a re-run adds only what is new. The commit adds the redaction keys the batch
brings inside the same transaction, so no read between two commits sees a stale set.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pinchpoint.store import database, redaction
from pinchpoint.store.database import Connection, arrow
from pinchpoint.store.group import KEYED_COLUMNS, Group, KnownIds
from pinchpoint.store.records import (
    QUARANTINE_COLUMNS,
    ROW_COLUMNS,
    BatchInfo,
    BatchMeta,
    QuarantineItem,
)
from pinchpoint.store.schema_sql import QUARANTINE_ID_SQL, STATEMENT_ID_SQL, batch_fingerprint
from pinchpoint.store.writes import _batch_info, _insert_batch, _scalar, _transaction

# Test hook for the atomicity test: sleep inside the open transaction so a test can
# SIGKILL the process at the worst moment. Never set in normal use.
PAUSE_ENV = "PINCHPOINT_PAUSE_BEFORE_COMMIT"

_INSERT_COLUMNS = ["id", *ROW_COLUMNS, "source", "owner", "source_grade", "info_grade",
                   "grade_original", "handling", "handling_conditions", "classification",
                   "first_seen", "last_seen", "batch"]
_MARKS = ", ".join(["?::VARCHAR"] * 8 + ["?::TIMESTAMP"] * 2 + ["?::VARCHAR"])


@contextmanager
def batch_group(con: Connection, ids: KnownIds | None = None) -> Iterator[Group]:
    """The commits of every batch staged inside the block are one transaction.

    Each file stays its own batch (its own ``batches`` row, statements and quarantine
    rows); what a group shares is the COMMIT, which costs milliseconds whatever the
    batch's size, and the work of `Group` (the rows of new sources, the batches rows and
    the redaction keys), done once before the COMMIT; so a run of many small files
    commits in groups. A process killed before the group's COMMIT leaves none of the
    group's batches; a re-run adds them. `ids` keeps seen sources' stored ids across
    groups (`KnownIds`); a failed group drops them.
    """
    group = Group(ids=ids)
    try:
        with _transaction(con):
            yield group
            group.finish(con)
            _maybe_pause()
        refresh_statistics(con, group.added)
    except BaseException:
        if ids is not None:
            ids.forget(con)  # its rows of this group went with the rollback
        raise


class BatchStage:
    """Staging area for one batch; nothing is visible until ``commit``.

    Every cost of a commit is in proportion to the batch, not to the store: a source
    the store has never seen (no ``batches`` row of its owner and name) cannot hold any
    of the batch's statements, whose ids hash the source and owner, so only a source
    seen before is compared with the store, and then only with its own rows. A batch
    that arrives in one chunk (most files) is not copied into a staging table at all:
    it goes from Arrow into the store in one statement.
    """

    def __init__(self, con: Connection, fingerprint: str,
                 group: Group | None = None) -> None:
        self.con = con
        self.fingerprint = fingerprint
        # Inside batch_group: the group's transaction commits, and the group does at its
        # end what it holds (`pinchpoint.store.group`).
        self.group = group
        self.staged = 0
        self.quarantined = 0
        self._first: pa.Table | None = None  # held until a second chunk or the commit
        self._tables: set[str] = set()  # the staging tables made so far
        self._keys = False  # whether a chunk can add redaction keys (redaction.add_from)
        self._held_quarantine: list[pa.Table] = []  # in a group, until the commit

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
        self.quarantined += len(items)
        if self.group is not None:  # held: the group may insert it with others
            self._held_quarantine.append(table)
            return
        self._stage_quarantine(table)

    def _stage_quarantine(self, table: pa.Table) -> None:
        if "stage_quarantine" not in self._tables:
            self.con.execute(
                "CREATE OR REPLACE TEMP TABLE stage_quarantine (file VARCHAR, line BIGINT, "
                "locator VARCHAR, field VARCHAR, raw_value VARCHAR, reason VARCHAR, "
                "row_rejected BOOLEAN)")
            self._tables.add("stage_quarantine")
        self.con.register("chunk_quarantine", table)
        self.con.execute("INSERT INTO stage_quarantine SELECT * FROM chunk_quarantine")
        self.con.unregister("chunk_quarantine")

    def commit(self, meta: BatchMeta) -> BatchInfo:
        """Move the staged rows into the store in one transaction (or, in a group, in
        the group's: a failure then rolls back the group, staging tables included)."""
        if batch_fingerprint(meta.values) != self.fingerprint:
            raise ValueError("the batch's provenance changed between staging and commit")
        if self.group is not None:
            info = self._commit_statements(meta)
            self._drop()
            return info
        try:
            with _transaction(self.con):
                info = self._commit_statements(meta)
                _maybe_pause()
        finally:
            self._drop()
        refresh_statistics(self.con, info.statements_added)
        return info

    def _drop(self) -> None:
        for table in sorted(self._tables):
            self.con.execute(f"DROP TABLE IF EXISTS {table}")
        self._tables.clear()

    def _commit_statements(self, meta: BatchMeta) -> BatchInfo:
        group = self.group
        owner, source = meta["owner"], meta["source"]
        if group is None:
            seen_before = _source_seen(self.con, owner, source)
        else:
            seen_before = group.seen(self.con, owner, source)
            if group.holds(owner, source):
                group.write_rows(self.con)  # compared below with what the group holds
        if seen_before or "stage_statements" in self._tables:
            self._stage(None)
            added, existing, entities = self._insert_staged(meta, seen_before)
        else:
            added, existing, entities = self._insert_first(meta)
        values_q = self._commit_quarantine(meta, seen_before)
        info = _batch_info(meta, values_q, added, added + existing, entities)
        if group is None:
            _insert_batch(self.con, info)
        else:
            group.add_batch(info)
        return info

    def _insert_first(self, meta: BatchMeta) -> tuple[int, int, int]:
        """A batch of a new source in one chunk: straight from Arrow into the store (no
        statement of it can be stored yet; one repeated inside the batch is added once)."""
        if self._first is None:
            return 0, 0, 0
        if self.group is not None:  # in the group's one INSERT, at its end
            added, entities = self.group.hold(self._first, meta, self.fingerprint)
            if self._keys:
                self.group.add_keyed(self._first)
            return added, 0, entities
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
        known = self.group.ids if self.group is not None else None
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
        if known is not None and seen_before:
            known.add(con, meta["owner"], meta["source"], "SELECT id FROM stage_statements" + (
                " WHERE id NOT IN (SELECT id FROM stage_existing)" if existing else ""))
        if existing:
            con.execute(
                "UPDATE statements SET last_seen = ? WHERE owner = ? AND source = ? "
                "AND id IN (SELECT id FROM stage_existing)",
                [meta["started_at"], meta["owner"], meta["source"]],
            )
        if self._keys:
            self._add_keys("stage_statements")
        return added, existing, entities

    def _add_keys(self, staged: str) -> None:
        """The redaction keys the batch brings: now, or at its group's end."""
        if self.group is None:
            redaction.add_from(self.con, staged)
            return
        self.group.add_keyed(arrow(self.con, f"SELECT {', '.join(KEYED_COLUMNS)} FROM "
                                             f"{staged} WHERE prop IN ({redaction.keyed_list()})"))

    def _existing(self, meta: BatchMeta) -> int:
        """How many of the staged ids the store holds, kept in stage_existing. Only the
        batch's own owner and source are read: an id hashes both, so a statement with
        the same id anywhere else cannot exist."""
        self._tables.add("stage_existing")
        stored, params = ("SELECT id FROM statements WHERE owner = ? AND source = ?",
                          [meta["owner"], meta["source"]])
        if self.group is not None and self.group.ids is not None:
            stored, params = self.group.ids.of(self.con, meta["owner"], meta["source"])
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE stage_existing AS SELECT DISTINCT id "
            f"FROM stage_statements WHERE id IN ({stored})", params)
        return _scalar(self.con, "SELECT count(*) FROM stage_existing")

    def _commit_quarantine(self, meta: BatchMeta, seen_before: bool) -> int:
        if not self.quarantined:
            return 0
        held, self._held_quarantine = self._held_quarantine, []
        if self.group is not None and not seen_before:
            return self.group.hold_quarantine(pa.concat_tables(held), meta, self.fingerprint)
        for table in held:
            self._stage_quarantine(table)
        con = self.con
        # Each row carries its batch's classification and handling: it is read under
        # the same rules as the batch's statements (Scope.quarantine_sql). A row's id
        # hashes its source and owner, so only a source seen before can repeat one.
        known = ("WHERE NOT EXISTS (SELECT 1 FROM quarantine t WHERE t.owner = ? "
                 "AND t.source = ? AND t.id = q.id) ") if seen_before else ""
        if seen_before:
            _note_seen_again(con, meta)
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


def _note_seen_again(con: Connection, meta: BatchMeta) -> None:
    """The stored quarantine rows this batch rejected again (a corrected file ingested
    once more still has the rows it did not correct): each is stored once, under the
    batch that first rejected it, and listed under this batch too (`quarantine_seen`)."""
    con.execute(
        "INSERT INTO quarantine_seen (batch, id) SELECT DISTINCT ?::VARCHAR, r.id FROM ("
        f"SELECT {QUARANTINE_ID_SQL} AS id FROM (SELECT ?::VARCHAR AS source, "
        "?::VARCHAR AS owner, q.* FROM stage_quarantine q) AS s) AS r "
        "WHERE EXISTS (SELECT 1 FROM quarantine t WHERE t.owner = ? AND t.source = ? "
        "AND t.id = r.id)",
        [meta["id"], meta["source"], meta["owner"], meta["owner"], meta["source"]])


STATISTICS_GROWTH = 0.1
"""A write that adds more than this share of a table's rows refreshes its statistics."""
STATISTICS_MIN_ROWS = 1000


def refresh_statistics(con: Connection, added: int) -> None:
    """On PostgreSQL, ANALYZE the statements (and the redaction keys beside them) when a
    committed write added more than a tenth of the rows they held when last analysed.

    The planner estimates from those statistics, and autovacuum refreshes them only when
    its next round comes (a minute or more after a bulk write). In between, a freshly
    filled table looks nearly empty: a scope's network read planned a nested loop over a
    million rows and ran for minutes instead of seconds. The rule is autovacuum's own
    scale factor, applied at once; as the table grows geometrically, its cost stays a
    few ANALYZEs (each a fixed sample of rows) over any number of batches."""
    if not database.is_postgres(con) or added < STATISTICS_MIN_ROWS:
        return
    held = con.execute("SELECT reltuples FROM pg_class WHERE oid = 'statements'::regclass"
                       ).fetchall()
    if held and added <= STATISTICS_GROWTH * max(float(held[0][0]), 0.0):
        return
    for table in ("statements", "redact_keys"):
        con.execute(f"ANALYZE {table}")


def _constants(meta: BatchMeta) -> list[Any]:
    """What the batch gives each of its statements, in the order of _MARKS."""
    return [meta["source"], meta["owner"], meta["source_grade"], meta["info_grade"],
            meta["grade_original"], meta["handling"], meta["handling_conditions"],
            meta["classification"], meta["started_at"], meta["started_at"], meta["id"]]


def _source_seen(con: Connection, owner: str, source: str) -> bool:
    """Whether any batch of this owner's source was written before (the batches table
    holds a row per file, so this costs nothing next to reading the statements). Every
    statement and quarantine row is written with a batches row of its source and owner
    (an ingest, or a batch of an import), and an erasure leaves the batches rows, so
    a source with no batch holds nothing."""
    return _scalar(con, "SELECT count(*) FROM (SELECT 1 FROM batches WHERE owner = ? "
                        "AND source = ? LIMIT 1) AS b", [owner, source]) > 0


def _counts(con: Connection) -> tuple[int, int, int]:
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
        array = pa.array(values, type=pa.string())
    except UnicodeEncodeError:
        array = pa.array([None if v is None else printable(v) for v in values], pa.string())
    # A NUL character, which PostgreSQL cannot hold, is kept visible the same way (on
    # both backends, so what is stored does not depend on where).
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


def _maybe_pause() -> None:
    delay = os.environ.get(PAUSE_ENV)
    if delay:
        print("pinchpoint: batch staged inside open transaction", file=sys.stderr, flush=True)
        time.sleep(float(delay))
