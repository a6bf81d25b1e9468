"""Many batches committed together: the work they share is done once, at the group's end.

A scenario or an agency's nightly load is thousands of modest files, each its own
batch. A database statement costs milliseconds whatever its size, so what a batch of a
few hundred statements costs is its statements, not its rows. Inside `batch_group` the
batches share one transaction, and this waits for its end (`Group`, which
`staging.batch_group` makes):

- the statements and quarantine rows of a batch of a source the store has never seen,
  which go into the store in one INSERT each for the whole group (no row of such a
  source can be stored yet, so nothing needs comparing; the batch's counts are taken
  from its rows when it is committed, exactly as the INSERT would count them);
- the redaction keys the batches bring, added in one step from all their keyed
  statements (the set is a closure over links and protected persons, so built from
  the union it is the set the files one by one would build);
- the batches' own rows; whether a source was seen before is asked of the sources the
  store held when the group began (read once) and those of the group's batches.

A batch of a source seen before is compared with that source's stored statements. On
DuckDB, which has no index on statement ids, reading them means scanning the store, so
the ids of each such source are read once per open store into a temporary table
(`KnownIds`) and kept up to date by the batches that follow, instead of once per file:
an agency's reports all filed under one source no longer each cost a scan of the store.

Everything happens inside the group's transaction before its COMMIT: a failure or a
crash leaves none of the group's batches, as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import pyarrow as pa
import pyarrow.compute as pc

from pinchpoint.store import redaction
from pinchpoint.store.database import Connection
from pinchpoint.store.records import QUARANTINE_COLUMNS, ROW_COLUMNS, BatchInfo, BatchMeta
from pinchpoint.store.schema_sql import (
    BATCH_COLUMNS,
    ID_SEPARATOR,
    QUARANTINE_ID_SQL,
    quoted,
    statement_id_sql,
)

# The columns of a statement that redaction keys are read from (redaction.add_from).
KEYED_COLUMNS = ["entity_id", "schema", "prop", "value"]
_KEYED_SCHEMA = pa.schema([(c, pa.string()) for c in KEYED_COLUMNS])
_KEYED_PROPS = pa.array(sorted(redaction.KEYED_PROPS), pa.string())
# What a held batch gives each of its statements (group_batches; g_ names avoid
# clashing with the statement columns in the join).
_BATCH_TEXT = ["source", "owner", "source_grade", "info_grade", "grade_original", "handling",
               "handling_conditions", "classification"]
_BATCH_SCHEMA = pa.schema([("g_batch", pa.string()), ("g_fingerprint", pa.string()),
                           *[(c, pa.string()) for c in _BATCH_TEXT],
                           ("g_seen", pa.timestamp("us"))])
_ARROW_TYPES = {"int": pa.int64(), "datetime": pa.timestamp("us")}
_INFO_SCHEMA = pa.schema([(f.name, _ARROW_TYPES.get(str(f.type), pa.string()))
                         for f in fields(BatchInfo)])
_QUARANTINE_ROW = ["file", "line", "locator", "field", "raw_value", "reason"]
_INSERT_QUARANTINE = (
    f"INSERT INTO quarantine ({', '.join(QUARANTINE_COLUMNS)}) SELECT DISTINCT ON (id) * "
    f"FROM (SELECT {QUARANTINE_ID_SQL} AS id, * FROM (SELECT g_batch AS batch, source, "
    f"owner, {', '.join(_QUARANTINE_ROW)}, row_rejected, g_seen AS created_at, "
    "classification, handling FROM group_quarantine JOIN group_batches USING (g_batch)"
    ") AS r) AS q")


def _insert(distinct: bool) -> str:
    """The group's statements INSERT; deduplicating costs a hash aggregate over every
    column, so it is asked for only when a held batch repeats a statement."""
    return (
        f"INSERT INTO statements (id, {', '.join(ROW_COLUMNS)}, {', '.join(_BATCH_TEXT)}, "
        "first_seen, last_seen, batch) "
        f"SELECT {'DISTINCT ON (id) ' if distinct else ''}id, {', '.join(ROW_COLUMNS)}, "
        f"{', '.join(_BATCH_TEXT)}, g_seen, g_seen, g_batch FROM ("
        f"SELECT {statement_id_sql('g_fingerprint')} AS id, * FROM group_rows "
        "JOIN group_batches USING (g_batch)) AS s")


KNOWN_TABLE = "known_ids"


@dataclass
class KnownIds:
    """The stored statement ids of the seen sources batches were compared with, in a
    temporary table (DuckDB only: its one writer is this process, so nothing else can
    add to a source while the store is open). Its rows are written inside the groups'
    transactions, so a group that fails takes its rows with it; `forget` then drops
    the whole table, as does any other write to the statements."""

    sources: set[tuple[str, str]] = field(default_factory=set)

    def of(self, con: Connection, owner: str, source: str) -> tuple[str, list[str]]:
        """SQL (and its parameters) for the stored ids of `owner`'s `source`, read from
        the store the first time this source is asked for."""
        if (owner, source) not in self.sources:
            con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {KNOWN_TABLE} "
                        "(owner VARCHAR, source VARCHAR, id VARCHAR)")
            con.execute(f"INSERT INTO {KNOWN_TABLE} SELECT owner, source, id FROM statements "
                        "WHERE owner = ? AND source = ?", [owner, source])
            self.sources.add((owner, source))
        return (f"SELECT id FROM {KNOWN_TABLE} WHERE owner = ? AND source = ?",
                [owner, source])

    def add(self, con: Connection, owner: str, source: str, ids: str) -> None:
        """Ids (the SQL relation `ids`) just stored for a source being kept."""
        if (owner, source) in self.sources:
            con.execute(f"INSERT INTO {KNOWN_TABLE} SELECT ?, ?, id FROM ({ids}) AS n",
                        [owner, source])

    def forget(self, con: Connection) -> None:
        """Drop what is kept (after a failed group, or a write outside the groups)."""
        if self.sources:
            con.execute(f"DROP TABLE IF EXISTS {KNOWN_TABLE}")
            self.sources.clear()


@dataclass
class Group:
    """What the batches of one group leave to its end (see the module docstring)."""

    keyed: list[pa.Table] = field(default_factory=list)
    rows: list[pa.Table] = field(default_factory=list)
    quarantine: list[pa.Table] = field(default_factory=list)
    batches: dict[str, dict[str, object]] = field(default_factory=dict)
    repeats: bool = False  # whether a held batch repeats a statement
    sources: set[tuple[str, str]] = field(default_factory=set)
    infos: list[BatchInfo] = field(default_factory=list)
    added: int = 0  # statements the finished batches added (for `refresh_statistics`)
    known: set[tuple[str, str]] | None = None  # (owner, source) with a batches row
    ids: KnownIds | None = None  # the stored ids of seen sources (DuckDB)

    def seen(self, con: Connection, owner: str, source: str) -> bool:
        """Whether a batch of this owner's source was written before (see
        staging._source_seen): in the store when the group began, or in the group."""
        if self.known is None:
            self.known = {(str(o), str(s)) for o, s in con.execute(
                "SELECT DISTINCT owner, source FROM batches").fetchall()}
        return (owner, source) in self.known

    def add_batch(self, info: BatchInfo) -> None:
        """A batch's row, written at the group's end."""
        self.infos.append(info)
        if self.known is not None:
            self.known.add((info.owner, info.source))

    def add_keyed(self, table: pa.Table) -> None:
        """Keep the statements of `table` that can add redaction keys."""
        rows = table.select(KEYED_COLUMNS).filter(
            pc.is_in(table.column("prop"), _KEYED_PROPS))
        if rows.num_rows:
            self.keyed.append(rows.cast(_KEYED_SCHEMA))

    def hold(self, table: pa.Table, meta: BatchMeta, fingerprint: str) -> tuple[int, int]:
        """Hold a batch of a new source for the group's INSERT; return what it adds
        (its distinct statements: an id hashes the row's columns joined as
        `statement_id_sql` joins them, a missing value as empty text, and the batch's
        fingerprint, the same for every row) and its distinct entities."""
        joined = pc.binary_join_element_wise(
            *[pc.fill_null(table.column(c), "") for c in ROW_COLUMNS], ID_SEPARATOR)
        added = int(pc.count_distinct(joined).as_py())
        entities = int(pc.count_distinct(table.column("entity_id")).as_py())
        self.repeats = self.repeats or added < table.num_rows
        self.rows.append(_tagged(table.select(ROW_COLUMNS), self._batch(meta, fingerprint)))
        return added, entities

    def hold_quarantine(self, table: pa.Table, meta: BatchMeta, fingerprint: str) -> int:
        """Hold a new source's batch's quarantine rows; return how many distinct values
        (not whole rows) it quarantined."""
        values = table.filter(pc.invert(table.column("row_rejected")))
        self.quarantine.append(_tagged(table, self._batch(meta, fingerprint)))
        return int(values.group_by(_QUARANTINE_ROW).aggregate([]).num_rows)

    def _batch(self, meta: BatchMeta, fingerprint: str) -> str:
        """The batch's constants, for the group's INSERTs to join; its id."""
        batch = str(meta["id"])
        self.batches[batch] = {"g_batch": batch, "g_fingerprint": fingerprint,
                               **{c: meta[c] for c in _BATCH_TEXT},
                               "g_seen": meta["started_at"]}
        self.sources.add((str(meta["owner"]), str(meta["source"])))
        return batch

    def holds(self, owner: str, source: str) -> bool:
        """Whether statements of this source wait for the group's INSERT."""
        return (owner, source) in self.sources

    def write_rows(self, con: Connection) -> None:
        """Insert the held batches' statements now (before a batch of one of their
        sources is compared with the store, and at the group's end)."""
        if not self.batches:
            return
        con.register("group_batches", pa.Table.from_pylist(list(self.batches.values()),
                                                           _BATCH_SCHEMA))
        for name, tables, sql in (("group_rows", self.rows, _insert(self.repeats)),
                                  ("group_quarantine", self.quarantine, _INSERT_QUARANTINE)):
            if tables:
                con.register(name, pa.concat_tables(tables))
                con.execute(sql).fetchall()
                con.unregister(name)
                tables.clear()
        con.unregister("group_batches")
        self.batches.clear()
        self.sources.clear()
        self.repeats = False

    def finish(self, con: Connection) -> None:
        """The group's end: its held statements, its batches' rows, the redaction keys."""
        self.write_rows(con)
        if self.infos:
            con.register("group_infos", pa.Table.from_pylist(
                [{c: getattr(i, c) for c in BATCH_COLUMNS} for i in self.infos], _INFO_SCHEMA))
            con.execute(f"INSERT INTO batches ({quoted(BATCH_COLUMNS)}) "
                        f"SELECT {quoted(BATCH_COLUMNS)} FROM group_infos").fetchall()
            con.unregister("group_infos")
            self.added += sum(i.statements_added for i in self.infos)
            self.infos.clear()
        if not self.keyed:
            return
        con.register("group_keyed", pa.concat_tables(self.keyed))
        redaction.add_from(con, "group_keyed")
        con.unregister("group_keyed")
        self.keyed.clear()


def _tagged(table: pa.Table, batch: str) -> pa.Table:
    """`table` with a column naming its batch (for the join with group_batches)."""
    return table.append_column("g_batch", pa.repeat(pa.scalar(batch, pa.string()),
                                                    table.num_rows))
