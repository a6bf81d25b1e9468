"""A batch costs in proportion to the batch (issue 16, item 3): the redaction keys grow
by what each batch brings instead of being rebuilt from the store, a batch is compared
with the store only for its own owner's source, and a group of batches shares one
commit. Each shortcut must give exactly what the full computation gives."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from postgres import fresh_store

from pinchpoint.store import database, redaction
from pinchpoint.store.duckdb_store import BatchMeta, DuckDBStore
from pinchpoint.store.records import ROW_COLUMNS, BatchInfo, QuarantineItem
from pinchpoint.store.schema_sql import batch_fingerprint
from pinchpoint.store.sql_store import SqlStore
from pinchpoint.store.staging import STATISTICS_MIN_ROWS

Row = tuple[str, str, str, str]  # entity_id, schema, prop, value
PERSON = ("p1", "Person", "name", "Rebin Ali")
VICTIM = ("p1", "Person", "personCategory", "Victim")
SUSPECT = ("p2", "Person", "personCategory", "suspect")
HANDSET = ("h1", "Handset", "owner", "p1")
HANDSET_NUMBER = ("h1", "Handset", "phoneNumber", "+447911123456")
CALL = ("c1", "Call", "caller", "p1")
PASSPORT = ("d1", "Passport", "holder", "p1")
OTHER_LINK = ("h2", "Handset", "owner", "p2")


def provenance(source: str, owner: str = "NCA") -> dict[str, Any]:
    return {"source": source, "owner": owner, "source_grade": "B", "info_grade": "2",
            "grade_original": "B2", "handling": "P", "handling_conditions": None,
            "classification": "OFFICIAL"}


def write(store: SqlStore, rows: Sequence[Row], source: str = "s1", owner: str = "NCA",
          chunks: int = 1, at: datetime = datetime(2024, 1, 1),
          reason: str | None = "test", bad: Sequence[QuarantineItem] = ()) -> BatchInfo:
    """One batch of `rows`, staged in `chunks` chunks (one chunk takes the direct path)."""
    values = provenance(source, owner)
    stage = store.stage(batch_fingerprint(values))
    size = max(1, -(-len(rows) // chunks))
    for start in range(0, len(rows), size):
        part = rows[start:start + size]
        columns: dict[str, list[str | None]] = {c: [] for c in ROW_COLUMNS}
        for entity_id, schema, prop, value in part:
            for column, v in zip(ROW_COLUMNS, (entity_id, schema, prop, value, None, None,
                                                f"{source}:1"), strict=True):
                columns[column].append(v)
        stage.add_statements(columns)
    stage.add_quarantine(bad)
    return stage.commit(BatchMeta(
        id=f"{source}-{owner}-{at.isoformat()}-{chunks}", kind="table", path=f"{source}.csv",
        file_hash="0" * 64, user="ann", reason=reason, started_at=at, rows_read=len(rows),
        rows_stored=len(rows), rows_rejected=0, **values))


def keys(store: SqlStore) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """(the keys kept, the keys a full rebuild computes), with no duplicate kept."""
    kept = store.con.execute("SELECT * FROM redact_keys").fetchall()
    assert len(kept) == len(set(kept))
    return set(kept), set(store.con.execute(redaction.keys_sql()).fetchall())


BATCHES: list[list[Row]] = [[PERSON], [VICTIM], [HANDSET, HANDSET_NUMBER], [CALL],
                            [PASSPORT], [SUSPECT, OTHER_LINK]]


@pytest.mark.parametrize("order", list(itertools.permutations(range(len(BATCHES))))[::37])
def test_keys_added_per_batch_are_the_full_rebuild(tmp_path: Path, order: tuple[int, ...]
                                                   ) -> None:
    """Whatever order the victim's category and the links to them arrive in (a link
    stored before the person is marked must still be keyed), and with repeats."""
    with DuckDBStore(tmp_path / "s.duckdb") as store:
        for n, index in enumerate(order):
            write(store, BATCHES[index], source=f"s{n}")
            kept, full = keys(store)
            assert kept == full
        assert ("h1", "phoneNumber") in kept and ("d1", "number") in kept
        assert ("c1", "callerNumber") in kept and ("p1", "birthDate") in kept
        write(store, BATCHES[order[0]], source="again")
        assert keys(store)[0] == kept


def test_a_store_without_the_links_table_gains_it_filled(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with DuckDBStore(path) as store:
        write(store, [HANDSET])
        store.con.execute("DROP TABLE redact_links")
    with DuckDBStore(path) as store:  # opened for writing: rebuilt from the statements
        assert store.con.execute("SELECT entity_id, value FROM redact_links").fetchall() == [
            ("h1", "p1")]
        write(store, [VICTIM], source="s2")
        assert ("h1", "phoneNumber") in keys(store)[0]


@pytest.mark.parametrize("chunks", [1, 2])
def test_a_repeated_batch_adds_nothing_and_widens_last_seen(tmp_path: Path, chunks: int
                                                           ) -> None:
    rows = [PERSON, VICTIM, HANDSET, PERSON]  # PERSON twice: one statement
    with DuckDBStore(tmp_path / "s.duckdb") as store:
        first = write(store, rows, chunks=chunks)
        assert (first.statements_added, first.statements_seen, first.entities) == (3, 3, 2)
        again = write(store, rows, chunks=chunks, at=datetime(2024, 2, 1))
        assert (again.statements_added, again.statements_seen) == (0, 3)
        assert store.con.execute("SELECT count(*), min(first_seen), min(last_seen) "
                                 "FROM statements").fetchall() == [
            (3, datetime(2024, 1, 1), datetime(2024, 2, 1))]


def test_the_same_rows_of_another_source_or_owner_are_new(tmp_path: Path) -> None:
    """Confining the comparison to the batch's owner and source misses nothing: the
    same rows elsewhere are other statements (their ids hash the source and owner)."""
    with DuckDBStore(tmp_path / "s.duckdb") as store:
        write(store, [PERSON, HANDSET])
        assert write(store, [PERSON, HANDSET], source="s2").statements_added == 2
        assert write(store, [PERSON, HANDSET], owner="BKA-DE").statements_added == 2
        assert write(store, [PERSON, HANDSET, CALL], at=datetime(2024, 3, 1)
                     ).statements_added == 1
        assert store.con.execute("SELECT count(*), count(DISTINCT id) FROM statements"
                                 ).fetchall() == [(7, 7)]


def test_an_erased_source_ingested_again_is_added_again(tmp_path: Path) -> None:
    """An erasure keeps the source's batches rows: the next batch of it is compared
    with the (now empty) source and added whole."""
    with DuckDBStore(tmp_path / "s.duckdb") as store:
        write(store, [PERSON, VICTIM, HANDSET])
        store.erase_source("NCA", "s1")
        assert keys(store) == (set(), set())
        again = write(store, [PERSON, VICTIM, HANDSET], at=datetime(2024, 2, 1))
        assert again.statements_added == 3
        kept, full = keys(store)
        assert kept == full and ("h1", "phoneNumber") in kept


def test_a_group_commits_its_batches_together_or_not_at_all(tmp_path: Path) -> None:
    with DuckDBStore(tmp_path / "s.duckdb") as store:
        with store.batch_group():
            write(store, [PERSON], source="a")
            write(store, [PERSON, VICTIM], source="a", at=datetime(2024, 2, 1))
            write(store, [HANDSET], source="b", chunks=1)
        counts = store.con.execute("SELECT source, statements_added, statements_seen "
                                   "FROM batches ORDER BY started_at, source").fetchall()
        assert counts == [("a", 1, 1), ("b", 1, 1), ("a", 1, 2)]
        before = store.con.execute("SELECT count(*) FROM statements").fetchall()
        with pytest.raises(RuntimeError, match="boom"), store.batch_group():
            write(store, [CALL], source="c")
            raise RuntimeError("boom")
        assert store.con.execute("SELECT count(*) FROM statements").fetchall() == before
        assert store.con.execute("SELECT count(*) FROM batches WHERE source = 'c'"
                                 ).fetchall() == [(0,)]
        assert keys(store)[0] == keys(store)[1]
        with pytest.raises(RuntimeError, match="nest"), store.batch_group(), \
                store.batch_group():
            pass


# A value quarantined twice in one batch (one row), and a rejected row.
BAD = [QuarantineItem("f.csv", 2, None, "phone", "12x", "not a phone", False),
       QuarantineItem("f.csv", 2, None, "phone", "12x", "not a phone", False),
       QuarantineItem("f.csv", 3, None, None, "{}", "missing key", True)]


def _tables(store: SqlStore) -> tuple[list[tuple[Any, ...]], ...]:
    """Every statement, batch count and redaction key, in a stable order."""
    return tuple(sorted(store.con.execute(sql).fetchall(), key=repr) for sql in (
        "SELECT * FROM statements",
        "SELECT id, source, statements_added, statements_seen, entities, values_quarantined "
        "FROM batches",
        "SELECT * FROM quarantine",
        "SELECT * FROM redact_keys", "SELECT * FROM redact_links"))


@pytest.mark.parametrize("order", list(itertools.permutations(range(len(BATCHES))))[::97])
def test_a_group_writes_what_its_batches_one_by_one_write(order: tuple[int, ...]) -> None:
    """A group holds the statements of new sources for one INSERT at its end and adds
    the redaction keys once: the store after it is the store the batches one by one
    make, counts included: with a row repeated inside a batch, a batch in two chunks,
    a source repeated inside the group (compared with what the group holds) and the
    links to a victim arriving before or after the victim's category."""
    plan: list[tuple[list[Row], str, int, datetime]] = [
        (BATCHES[index], f"s{n % 4}", 1 + n % 2, datetime(2024, 1, 1 + n))
        for n, index in enumerate(order)]
    plan += [([PERSON, PERSON, HANDSET], "dup", 1, datetime(2024, 2, 1)),
             ([PERSON, VICTIM, HANDSET], "s0", 1, datetime(2024, 2, 2))]
    results = []
    for grouped in (False, True):
        with fresh_store() as store:
            with store.batch_group() if grouped else contextlib.nullcontext():
                infos = [write(store, rows, source=source, chunks=chunks, at=at,
                               reason=None if source == "dup" else "test",
                               bad=[] if n % 3 else BAD)
                         for n, (rows, source, chunks, at) in enumerate(plan)]
            results.append(([(i.statements_added, i.statements_seen, i.entities,
                              i.values_quarantined) for i in infos], _tables(store)))
            kept, full = keys(store)
            assert kept == full
    assert results[1] == results[0]
    assert results[0][0][-2][:3] == (2, 2, 2)  # the repeated row is one statement
    # The same bad value twice is one value (one row); a rejected row is not a value.
    assert results[0][0][0][3] == 1 and len(results[0][1][2]) > 2


def test_a_sources_ids_kept_across_groups_follow_every_write() -> None:
    """On DuckDB a seen source's stored ids are read once and kept across groups: a
    batch written outside a group, an erasure and a failed group must each leave the
    next group comparing with what the store really holds."""
    def run(store: SqlStore, grouped: bool) -> list[tuple[int, int]]:
        group = store.batch_group if grouped else contextlib.nullcontext
        infos = []
        with group():
            infos += [write(store, [PERSON], source="a"),
                      write(store, [PERSON, VICTIM], source="a", at=datetime(2024, 1, 2))]
        infos.append(write(store, [PERSON, HANDSET], source="a", at=datetime(2024, 1, 3)))
        with group():
            infos.append(write(store, [HANDSET, CALL], source="a", at=datetime(2024, 1, 4)))
        if grouped:  # a group that fails leaves nothing (so the reference writes nothing)
            with pytest.raises(RuntimeError, match="boom"), group():
                write(store, [PASSPORT], source="a", at=datetime(2024, 1, 5))
                raise RuntimeError("boom")
        with group():
            infos.append(write(store, [PASSPORT, CALL], source="a", at=datetime(2024, 1, 6)))
        store.erase_source("NCA", "a")
        with group():
            infos.append(write(store, [PERSON, CALL], source="a", at=datetime(2024, 1, 7)))
        return [(i.statements_added, i.statements_seen) for i in infos]

    results = []
    for grouped in (False, True):
        with fresh_store() as store:
            results.append((run(store, grouped), _tables(store)))
    assert results[1] == results[0]
    assert results[0][0] == [(1, 1), (1, 2), (1, 2), (1, 2), (1, 2), (2, 2)]


def test_a_group_counts_statements_as_their_ids_do() -> None:
    """Two rows whose columns join to the same text have one id (the hash joins them
    with U+001F): held in a group, the batch counts one statement, as the INSERT of a
    batch alone does."""
    rows: list[Row] = [("e1", "Person", "name", "a\x1fb"), ("e1", "Person", "name\x1fa", "b")]
    counts = []
    for grouped in (False, True):
        with fresh_store() as store:
            with store.batch_group() if grouped else contextlib.nullcontext():
                info = write(store, rows)
            counts.append((info.statements_added, store.con.execute(
                "SELECT count(*) FROM statements").fetchall()[0][0]))
    assert counts == [(1, 1), (1, 1)]


def test_a_write_that_grows_the_store_a_lot_refreshes_its_statistics() -> None:
    """On PostgreSQL a bulk write is followed by ANALYZE (staging.refresh_statistics):
    the planner must not take a freshly filled table for an empty one. A small write
    into a large table leaves the statistics to autovacuum."""
    with fresh_store() as store:
        if not database.is_postgres(store.con):
            pytest.skip("statistics are PostgreSQL's; DuckDB keeps its own as it writes")

        def analysed() -> tuple[float, int]:
            row = store.con.execute(
                "SELECT c.reltuples, s.analyze_count FROM pg_class c JOIN "
                "pg_stat_user_tables s ON s.relid = c.oid WHERE c.relname = 'statements'"
            ).fetchall()[0]
            return float(row[0]), int(row[1])

        many = [(f"p{n}", "Person", "name", f"Name {n}") for n in range(3 * STATISTICS_MIN_ROWS)]
        write(store, many, source="bulk")
        assert analysed()[0] == len(many)
        with store.batch_group():
            write(store, many[:10], source="small")
        assert analysed()[0] == len(many)  # 10 rows more: not analysed again
        with store.batch_group():
            write(store, [(e, s, p, v + " again") for e, s, p, v in many], source="more")
        assert analysed()[0] == 2 * len(many) + 10
