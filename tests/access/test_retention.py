"""Retention (DPA 2018 s.39): review dates, the due list, and erasure that leaves a record.

The workspace is the National Crime Agency's and also holds a source Border Force owns
under the same name, so every check that "only the agency's own source" is touched is
a check that a same-named partner source is not.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from builders import BAD_CASES, LEDGER_HEADER, LEDGER_ROWS, write_csv
from clock import Clock
from typer.testing import CliRunner, Result

from pinchpoint.access.retention import (
    DEFAULT_REVIEW_YEARS,
    RESOLUTION_TABLES,
    ErasureReport,
    add_years,
    due,
    erase,
    erasures,
    set_review,
)
from pinchpoint.cli import app
from pinchpoint.cli.retention import retention_app
from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.model.reader import AccessError, Reader, Role
from pinchpoint.store import Scope, Workspace
from pinchpoint.store import resolution as tables

NCA = Scope.owner("NCA")
FIRST = datetime(2018, 3, 1, 9, 0, 0)
LATER = datetime(2020, 6, 1, 9, 0, 0)


def _scope(role: Role) -> Scope:
    return Scope(agency="NCA", visible_owners=frozenset({"NCA"}),
                 reader=Reader("sam", "NCA", role))


def _ingest(ws: Workspace, folder: Path, source: str, rows: list[list[str]],
            owner: str | None = None) -> None:
    path = write_csv(folder / f"{source}-{owner or 'own'}.csv", LEDGER_HEADER, rows)
    ingest_file(ws, "ledger", path, IngestOptions(source=source, owner=owner))


@pytest.fixture
def filled(workspace: Workspace, tmp_path: Path, clock: Clock) -> Workspace:
    """NCA: 'hawala' (2018, with quarantined values) and 'tips' (2020).
    BF: 'hawala' (2018) and 'bf-only' (2018)."""
    clock.set(FIRST)
    _ingest(workspace, tmp_path, "hawala", BAD_CASES["ledger"].rows)
    _ingest(workspace, tmp_path, "hawala", BAD_CASES["ledger"].rows, owner="BF")
    _ingest(workspace, tmp_path, "bf-only", LEDGER_ROWS, owner="BF")
    clock.set(LATER)
    _ingest(workspace, tmp_path, "tips", LEDGER_ROWS[:2])
    return workspace


def _rows(ws: Workspace, sql: str) -> list[tuple[Any, ...]]:
    with ws.open_store() as store:
        return store.con.execute(sql).fetchall()


def _counts(ws: Workspace, table: str) -> dict[tuple[str, str], int]:
    rows = _rows(ws, f"SELECT owner, source, count(*) FROM {table} GROUP BY owner, source")
    return {(o, s): int(n) for o, s, n in rows}


# -- review dates and the due list ---------------------------------------------------
def test_add_years_handles_a_leap_day() -> None:
    assert add_years(date(2020, 2, 29), 6) == date(2026, 2, 28)
    assert add_years(date(2018, 3, 1), 6) == date(2024, 3, 1)


def test_due_lists_own_sources_by_the_default_review_date(filled: Workspace) -> None:
    first_review = add_years(FIRST.date(), DEFAULT_REVIEW_YEARS)
    with filled.open_store() as store:
        assert due(store, NCA, date(2024, 2, 29)) == []
        on_the_day = due(store, NCA, first_review)
        assert [(d.owner, d.source) for d in on_the_day] == [("NCA", "hawala")]
        item = on_the_day[0]
        assert item.first_ingested == FIRST
        assert item.review_date == first_review
        assert not item.overridden
        assert item.statements == _counts(filled, "statements")[("NCA", "hawala")] > 0
        assert [d.source for d in due(store, NCA, date(2040, 1, 1))] == ["hawala", "tips"]
        # BF's sources are BF's to review, even when due by date.
        bf = Scope.owner("BF")
        assert [d.source for d in due(store, bf, date(2040, 1, 1))] == ["bf-only", "hawala"]
        assert all(d.owner == "BF" for d in due(store, bf, date(2040, 1, 1)))


def test_a_set_review_date_overrides_the_default(filled: Workspace) -> None:
    with filled.open_store() as store:
        set_review(store, NCA, "tips", date(2021, 1, 1), "informant deactivated")
        found = due(store, NCA, date(2021, 1, 1))
        assert [(d.source, d.review_date, d.overridden) for d in found] == [
            ("tips", date(2021, 1, 1), True)]
        # Postponed: the latest setting wins, the earlier one stays as history.
        set_review(store.con, NCA, "tips", date(2035, 1, 1), "live operation")
        assert [d.source for d in due(store, NCA, date(2030, 1, 1))] == ["hawala"]
        history = store.con.execute(
            "SELECT review_date, set_by, reason FROM retention ORDER BY set_at").fetchall()
        assert history == [(date(2021, 1, 1), "NCA:workspace", "informant deactivated"),
                           (date(2035, 1, 1), "NCA:workspace", "live operation")]


def test_set_review_refuses_other_agencies_sources_like_unknown_ones(filled: Workspace) -> None:
    with filled.open_store() as store:
        with pytest.raises(ValueError) as partner:
            set_review(store, NCA, "bf-only", date(2030, 1, 1), "x")
        with pytest.raises(ValueError) as unknown:
            set_review(store, NCA, "no-such", date(2030, 1, 1), "x")
        assert str(partner.value) == str(unknown.value).replace("no-such", "bf-only")
        assert "bf-only" in str(partner.value)
        with pytest.raises(ValueError, match="reason"):
            set_review(store, NCA, "tips", date(2030, 1, 1), "  ")
        assert store.con.execute("SELECT count(*) FROM retention").fetchall() == [(0,)]


# -- erasure -------------------------------------------------------------------------
def test_erase_removes_exactly_the_source_and_records_it(filled: Workspace) -> None:
    before_s, before_q = _counts(filled, "statements"), _counts(filled, "quarantine")
    assert before_q[("NCA", "hawala")] > 0 and before_q[("BF", "hawala")] > 0
    batches_before = _rows(filled, "SELECT * FROM batches ORDER BY id")
    seen: list[ErasureReport] = []
    with filled.open_store() as store:
        set_review(store, NCA, "hawala", date(2019, 1, 1), "review brought forward")
        report = erase(store, _scope(Role.SUPERVISOR), "hawala", " no longer necessary ",
                       on_erased=seen.append)
    assert seen == [report]
    assert (report.owner, report.source, report.user) == ("NCA", "hawala", "sam")
    assert report.reason == "no longer necessary"
    assert report.statements_removed == before_s[("NCA", "hawala")]
    assert report.quarantine_removed == before_q[("NCA", "hawala")]
    assert len(report.batches) == 1
    after_s, after_q = _counts(filled, "statements"), _counts(filled, "quarantine")
    assert after_s == {k: v for k, v in before_s.items() if k != ("NCA", "hawala")}
    assert after_q == {k: v for k, v in before_q.items() if k != ("NCA", "hawala")}
    # The batches stay as the record that collection happened.
    assert _rows(filled, "SELECT * FROM batches ORDER BY id") == batches_before
    assert _rows(filled, "SELECT count(*) FROM retention") == [(0,)]
    with filled.open_store() as store:
        assert erasures(store, NCA) == [report]
        assert erasures(store, Scope.owner("BF")) == []
        # Erased: no longer due, and cannot be erased twice.
        assert [d.source for d in due(store, NCA, date(2040, 1, 1))] == ["tips"]
        with pytest.raises(ValueError, match="no source 'hawala'"):
            erase(store, NCA, "hawala", "again")


def test_an_erased_source_ingested_again_starts_a_new_clock(filled: Workspace,
                                                            tmp_path: Path,
                                                            clock: Clock) -> None:
    with filled.open_store() as store:
        erase(store, NCA, "hawala", "review")
    clock.set(datetime(2025, 1, 1))
    _ingest(filled, tmp_path, "hawala", LEDGER_ROWS)
    with filled.open_store() as store:
        found = [d for d in due(store, NCA, date(2040, 1, 1)) if d.source == "hawala"]
        assert [(d.first_ingested, d.review_date) for d in found] == [
            (datetime(2025, 1, 1), date(2031, 1, 1))]


def test_erase_clears_resolution_output_but_keeps_judgements(filled: Workspace) -> None:
    with filled.open_store() as store:
        tables.ensure(store, pa_schema())
        con = store.con
        con.execute("INSERT INTO resolution VALUES ('NCA', 'a', 'b'), ('BF', 'c', 'd')")
        con.execute("INSERT INTO resolve_pairs VALUES ('NCA', 'a', 'b', 3.0, 0.9, NULL)")
        con.execute("INSERT INTO judgements VALUES ('j1', 'a', 'b', 'same', 'why', 'ann', "
                    "'NCA', TIMESTAMP '2024-01-01', NULL, NULL, NULL)")
        report = erase(store, NCA, "tips", "review")
        assert report.resolution_rows_removed == 3
        for name in RESOLUTION_TABLES:
            assert con.execute(f"SELECT count(*) FROM {name}").fetchall() == [(0,)], name
        assert con.execute("SELECT count(*) FROM judgements").fetchall() == [(1,)]
    assert "judgements" not in RESOLUTION_TABLES
    assert {"resolution", "resolve_pairs", tables.RECORDS_TABLE} <= set(RESOLUTION_TABLES)


def pa_schema() -> Any:
    import pyarrow as pa

    return pa.schema([("unique_id", pa.string()), ("fingerprint", pa.string())])


def test_erase_refuses_other_agencies_sources_like_unknown_ones(filled: Workspace) -> None:
    before = _counts(filled, "statements")
    with filled.open_store() as store:
        with pytest.raises(ValueError) as partner:
            erase(store, NCA, "bf-only", "review")
        with pytest.raises(ValueError) as unknown:
            erase(store, NCA, "nothing", "review")
        assert str(partner.value) == "no source 'bf-only'"
        assert str(unknown.value) == "no source 'nothing'"
    assert _counts(filled, "statements") == before


def test_erase_refuses_an_analyst_and_an_empty_reason(filled: Workspace) -> None:
    before = _counts(filled, "statements")
    with filled.open_store() as store:
        with pytest.raises(AccessError, match="sam is analyst"):
            erase(store, _scope(Role.ANALYST), "tips", "review")
        with pytest.raises(AccessError):
            erase(store, _scope(Role.AUDITOR), "tips", "review")
        with pytest.raises(ValueError, match="reason"):
            erase(store, _scope(Role.ADMINISTRATOR), "tips", " ")
        assert erasures(store, NCA) == []
    assert _counts(filled, "statements") == before


def test_a_failing_audit_callback_rolls_the_erasure_back(filled: Workspace) -> None:
    before_s, before_q = _counts(filled, "statements"), _counts(filled, "quarantine")

    def broken(report: ErasureReport) -> None:
        raise RuntimeError("audit log unavailable")

    with filled.open_store() as store, pytest.raises(RuntimeError, match="audit"):
        erase(store, NCA, "hawala", "review", on_erased=broken)
    assert _counts(filled, "statements") == before_s
    assert _counts(filled, "quarantine") == before_q
    assert _rows(filled, "SELECT count(*) FROM erasures") == [(0,)]


# -- the command line ----------------------------------------------------------------
runner = CliRunner()


@pytest.fixture
def registered() -> Iterator[None]:
    """Register the sub-app on the main app unless `pinchpoint.cli` already does."""
    if "retention" not in [g.name for g in app.registered_groups]:
        app.add_typer(retention_app, name="retention")
    yield


def cli(ws: Workspace, *args: str, input: str | None = None) -> Result:
    return runner.invoke(app, ["--workspace", str(ws.path), "retention", *args], input=input)


def _error(result: Result) -> str:
    assert result.exit_code == 2, (result.output, result.exception)
    assert result.stdout == ""
    message = " ".join(result.stderr.split())
    assert message.startswith("error: "), message
    return message


def test_cli_due_set_and_erase(filled: Workspace, registered: None) -> None:
    listed = cli(filled, "due", "--on", "2040-01-01", "--json")
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.stdout)
    assert [(d["source"], d["review_date"], d["overridden"]) for d in data] == [
        ("hawala", "2024-03-01", False), ("tips", "2026-06-01", False)]
    assert cli(filled, "due", "--on", "2019-01-01").stdout.startswith("no source is due")

    assert cli(filled, "set", "tips", "2019-01-01", "--reason", "closed").exit_code == 0
    table = cli(filled, "due", "--on", "2019-01-01")
    assert "tips" in table.stdout and "hawala" not in table.stdout

    declined = cli(filled, "erase", "tips", "--reason", "review", input="n\n")
    assert declined.exit_code == 1
    assert _counts(filled, "statements").get(("NCA", "tips"))
    accepted = cli(filled, "erase", "tips", "--reason", "review", input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert "erased source tips of NCA" in accepted.stdout
    assert ("NCA", "tips") not in _counts(filled, "statements")


def test_cli_refusals_are_one_sentence(filled: Workspace, registered: None) -> None:
    assert _error(cli(filled, "erase", "bf-only", "--reason", "x", "--yes")) == (
        "error: no source 'bf-only'")
    assert "reason" in _error(cli(filled, "erase", "tips", "--reason", "", "--yes"))
    assert "YYYY-MM-DD" in _error(cli(filled, "due", "--on", "tomorrow"))
    assert "no source 'nope'" in _error(cli(filled, "set", "nope", "2030-01-01",
                                            "--reason", "x"))
    assert ("NCA", "tips") in _counts(filled, "statements")
