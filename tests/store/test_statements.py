"""Statements: content-hash ids, first/last seen, and the batch (collection) record."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from builders import (
    LEDGER_HEADER,
    LEDGER_ROWS,
    all_statements,
    snapshot,
    write_csv,
    write_layout,
)
from clock import Clock

from pinchpoint.ingest.run import file_hash, ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.store import Workspace, init_workspace
from pinchpoint.store.duckdb_store import MEMORY_ENV, DuckDBStore

SHA1 = re.compile(r"^[0-9a-f]{40}$")
T1 = datetime(2024, 5, 1, 9, 0, 0)
T2 = datetime(2024, 6, 3, 14, 30, 0)


def _ids(workspace: Workspace) -> set[str]:
    return snapshot(workspace).statement_ids


def test_statement_ids_are_content_hashes_independent_of_time_and_batch(
        tmp_path: Path, clock: Clock) -> None:
    ledger = write_layout(tmp_path, "ledger")
    first = init_workspace(tmp_path / "first", agency="NCA")
    second = init_workspace(tmp_path / "second", agency="NCA")
    clock.set(T1)
    ingest_file(first, "ledger", ledger)
    clock.set(T2)
    ingest_file(second, "ledger", ledger)
    ids = _ids(first)
    assert ids and all(SHA1.match(i) for i in ids)
    assert ids == _ids(second)
    assert len(all_statements(first)) == len(ids)


def test_every_identity_field_changes_the_id(tmp_path: Path) -> None:
    ledger = write_layout(tmp_path, "ledger")
    base = {"source": "ledger"}
    variants = [
        {},
        {"owner": "BF"},
        {"source": "ledger-2"},
        {"source_grade": "1", "info_grade": "A"},
        {"grading": "nato", "source_grade": "C", "info_grade": "3"},  # maps to 2C, as default
        {"handling": "C", "conditions": "NCA only"},
        {"handling": "H2"},
        {"classification": "SECRET"},
    ]
    ids = []
    for n, variant in enumerate(variants):
        ws = init_workspace(tmp_path / f"ws{n}", agency="NCA")
        ingest_file(ws, "ledger", ledger, IngestOptions(**{**base, **variant}))
        ids.append(_ids(ws))
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            assert ids[i].isdisjoint(ids[j]), (variants[i], variants[j])


def test_the_same_value_from_another_row_is_another_statement(workspace: Workspace,
                                                              tmp_path: Path) -> None:
    ledger = write_layout(tmp_path, "ledger")
    report = ingest_file(workspace, "ledger", ledger)
    statements = all_statements(workspace)
    amanj = [s for s in statements if s.prop == "name" and s.value == "Amanj Hassan Zada"]
    assert len(amanj) == 2, "Amanj sends on two ledger rows: two statements, two records"
    assert len({s.id for s in amanj}) == 2 and len({s.record for s in amanj}) == 2
    assert len({s.entity_id for s in amanj}) == 1, "one key, one entity"
    assert report.batch.statements_added == len(statements)


def test_last_seen_moves_on_re_ingest_and_first_seen_stays(
        workspace: Workspace, tmp_path: Path, clock: Clock) -> None:
    ledger = write_csv(tmp_path / "ledger.csv", LEDGER_HEADER, LEDGER_ROWS[:2])
    clock.set(T1)
    ingest_file(workspace, "ledger", ledger)
    before = {s.id: s for s in all_statements(workspace)}
    assert {(s.first_seen, s.last_seen) for s in before.values()} == {(T1, T1)}

    # The same rows plus a new one, under the same file name, a month later.
    write_csv(ledger, LEDGER_HEADER, LEDGER_ROWS)
    clock.set(T2)
    report = ingest_file(workspace, "ledger", ledger)
    after = all_statements(workspace)
    old = [s for s in after if s.id in before]
    new = [s for s in after if s.id not in before]
    assert len(old) == len(before)
    assert {(s.first_seen, s.last_seen) for s in old} == {(T1, T2)}
    assert new and {(s.first_seen, s.last_seen) for s in new} == {(T2, T2)}
    assert report.batch.statements_added == len(new)
    assert report.batch.statements_seen == len(new) + len(old)
    assert {s.batch for s in old} == {s.batch for s in before.values()}, (
        "a statement keeps the batch that first added it")
    assert {s.batch for s in new} == {report.batch.id}


def test_batches_record_who_collected_what_when_and_why(
        workspace: Workspace, tmp_path: Path, clock: Clock) -> None:
    rows = [*LEDGER_ROWS, ["2024-03-10", "", "", "Rebin Ali", "+9647501234567", "lots",
                           "GBP", "", "", "HW-0004"]]
    ledger = write_csv(tmp_path / "ledger.csv", LEDGER_HEADER, rows)
    clock.set(T1)
    report = ingest_file(workspace, "ledger", ledger, IngestOptions(
        user="j.smith", reason="Op KESTREL tasking 42: hawala payments for crossings",
        source="kawa-ledger", owner="NCA"))
    with workspace.open_store(read_only=True) as store:
        (batch,) = store.batches(workspace.home_scope())
    assert batch == report.batch
    assert batch.user == "j.smith"
    assert batch.reason == "Op KESTREL tasking 42: hawala payments for crossings"
    assert batch.kind == "ledger" and batch.source == "kawa-ledger" and batch.owner == "NCA"
    assert Path(batch.path).name == "ledger.csv"
    assert batch.file_hash == file_hash(ledger) == hashlib.sha256(ledger.read_bytes()).hexdigest()
    assert batch.started_at == T1 and batch.finished_at >= batch.started_at
    assert (batch.rows_read, batch.rows_stored, batch.rows_rejected) == (4, 3, 1)
    assert batch.statements_added == batch.statements_seen > 0
    assert batch.entities > 0


def test_default_user_is_the_login_name(workspace: Workspace, tmp_path: Path) -> None:
    import getpass

    report = ingest_file(workspace, "ledger", write_layout(tmp_path, "ledger"))
    assert report.batch.user == getpass.getuser()
    assert report.batch.reason is None


@pytest.mark.duckdb_only("DuckDB's cache of blocks; PostgreSQL's lives in its server")
def test_releasing_memory_evicts_cached_blocks_and_keeps_the_cap(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`release_memory` (called after the network's whole-store reads) leaves DuckDB
    holding next to nothing, and the cap the workspace was opened with stays for the
    queries after it."""
    monkeypatch.setenv(MEMORY_ENV, "1GB")
    path = tmp_path / "s.duckdb"
    with DuckDBStore(path) as store:
        store.con.execute("CREATE TABLE big AS SELECT range AS n, md5(range::VARCHAR) AS h "
                          "FROM range(2000000)")
    with DuckDBStore(path) as store:
        def held() -> int:
            return int(store.con.execute(
                "SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchall()[0][0])

        store.con.execute("SELECT count(DISTINCT h) FROM big").fetchall()
        before = held()
        store.release_memory()
        assert held() < before / 2
        capped = duckdb.connect(config={"memory_limit": "1GB"})
        setting = "SELECT current_setting('memory_limit')"
        assert store.con.execute(setting).fetchall() == capped.execute(setting).fetchall()
