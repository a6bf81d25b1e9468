"""`pinchpoint audit ...` end to end: roles, per-agency reading, logged consultations,
proofs, exit codes, and a tampered store failing `verify`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from postgres import copy_workspace
from typer.testing import CliRunner

from pinchpoint.access import directory, journal, keys, merkle
from pinchpoint.cli import app
from pinchpoint.cli.audit import audit_app
from pinchpoint.model.reader import Clearance, Role
from pinchpoint.store import open_workspace

runner = CliRunner()
CLEAN_ENV: dict[str, str | None] = {"PINCHPOINT_USER": None, "PINCHPOINT_WORKSPACE": None}


@pytest.fixture(scope="module", autouse=True)
def _registered() -> Iterator[None]:
    """Register `audit` on the main app unless `pinchpoint.cli` already does."""
    if "audit" in [g.name for g in app.registered_groups]:
        yield
        return
    app.add_typer(audit_app, name="audit")
    yield
    app.registered_groups[:] = [g for g in app.registered_groups if g.name != "audit"]


@pytest.fixture
def ws(template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the template workspace (cheaper than building one per test)."""
    return copy_workspace(template, tmp_path / "ws")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, backend: str) -> Path:
    """A workspace of NCA with a few entries from NCA and one from Border Force, and
    three users: an NCA auditor, an NCA analyst and a Border Force auditor."""
    path = tmp_path_factory.mktemp("template") / "ws"
    result = runner.invoke(app, ["--workspace", str(path), "init", "--agency", "NCA"],
                           env=CLEAN_ENV)
    assert result.exit_code == 0, result.output
    workspace = open_workspace(path)
    with workspace.open_store() as store:
        con = store.con
        directory.ensure(con)
        for agency in ("NCA", "BF"):
            if agency not in directory.agencies(con):
                directory.add_agency(con, agency)
        directory.add_user(con, "ann", "NCA", Role.AUDITOR, Clearance.SECRET)
        directory.add_user(con, "bob", "NCA", Role.ANALYST, Clearance.SECRET)
        directory.add_user(con, "bea", "BF", Role.AUDITOR, Clearance.SECRET)
    with journal.open_log(path) as log:
        log.record("bob", "NCA", "collection", "file:boats.csv", "Operation Tide")
        log.record("bob", "NCA", "disclosure", "package:1", "JIT request",
                   recipients=["Europol"])
        log.record("bea", "BF", "consultation", "entity:9", "port check")
    return path


def _run(ws: Path, *args: str, user: str | None = None) -> tuple[int, str, str]:
    prefix = ["--workspace", str(ws)] + (["--as", user] if user else [])
    result = runner.invoke(app, [*prefix, "audit", *args], env=CLEAN_ENV)
    return result.exit_code, result.stdout, result.stderr


def _entries(ws: Path, user: str = "ann") -> list[dict[str, object]]:
    code, out, errors = _run(ws, "show", "--json", user=user)
    assert code == 0, errors
    data: list[dict[str, object]] = json.loads(out)
    return data


def test_show_lists_only_the_agency_entries_and_logs_the_read(ws: Path) -> None:
    first = _entries(ws)
    assert [e["agency"] for e in first] == ["NCA", "NCA"]
    assert first[1]["recipients"] == ["Europol"]
    second = _entries(ws)
    last = second[-1]
    assert (last["action"], last["user"], last["what"], last["why"]) == (
        "consultation", "ann", "audit log", "audit review")
    assert [e["agency"] for e in _entries(ws, user="bea")] == ["BF"]


def test_show_filters_and_table(ws: Path) -> None:
    code, out, _ = _run(ws, "show", "--action", "disclosure", "--json", user="ann")
    assert code == 0
    assert [e["what"] for e in json.loads(out)] == ["package:1"]
    code, out, _ = _run(ws, "show", "--user", "bob", "--limit", "1", "--reason", "spot check")
    assert code == 0
    assert "package:1" in out and "file:boats.csv" not in out
    assert _entries(ws)[-1]["why"] == "spot check"


def test_an_analyst_may_not_read_the_log(ws: Path) -> None:
    for args in (["show"], ["head"], ["prove", "0"], ["verify"]):
        code, out, errors = _run(ws, *args, user="bob")
        assert code == 2, args
        assert errors.startswith("error: ") and "administrator" in errors
        assert out == ""


def test_operator_head_and_verify(ws: Path) -> None:
    code, out, _ = _run(ws, "head", "--json")
    assert code == 0
    head = json.loads(out)
    assert head["size"] == 3
    assert head["key_id"] == keys.key_id(keys.parse_public(head["public_key"]))
    code, out, _ = _run(ws, "verify")
    assert code == 0
    assert out.startswith("OK: 3 entries")
    code, out, _ = _run(ws, "head")
    assert code == 0 and "root: " + head["root"] in out


def test_prove_gives_a_checkable_proof_and_hides_other_agencies(ws: Path) -> None:
    code, out, _ = _run(ws, "prove", "1", "--json", user="ann")
    assert code == 0
    p = json.loads(out)
    assert merkle.verify_inclusion(bytes.fromhex(p["leaf_hash"]), 1, p["size"],
                                   [bytes.fromhex(h) for h in p["proof"]],
                                   bytes.fromhex(p["root"]))
    assert _entries(ws)[-1]["detail"] == {"command": "audit prove", "seq": 1}
    code, out, errors = _run(ws, "prove", "2", user="ann")  # Border Force's entry
    assert code == 2
    assert "no audit entry 2" in errors
    code, out, _ = _run(ws, "prove", "0", user="ann")
    assert code == 0 and "proof[0]: " in out


def test_verify_fails_on_a_tampered_store_and_against_a_kept_head(ws: Path,
                                                                  tmp_path: Path) -> None:
    code, out, _ = _run(ws, "head", "--json")
    kept = tmp_path / "head.json"
    kept.write_text(out)
    code, out, _ = _run(ws, "verify", "--trusted", str(kept))
    assert code == 0, out
    con = journal.database(ws)
    con.execute("UPDATE audit_log SET why = 'no reason' WHERE seq = 1")
    con.close()
    code, out, _ = _run(ws, "verify")
    assert code == 1
    assert "problem: entry seq 1" in out
    code, _, errors = _run(ws, "verify", "--public-key", "not a key")
    assert code == 2 and errors.startswith("error: ")


def test_unknown_action_is_a_user_error(ws: Path) -> None:
    code, _, errors = _run(ws, "show", "--action", "reading")
    assert code == 2
    assert "unknown action" in errors


def test_an_over_long_purpose_is_refused_before_anything_is_read(ws: Path) -> None:
    with journal.open_log(ws) as log:
        before = len(log.entries("NCA"))
    result = runner.invoke(app, ["--workspace", str(ws), "--purpose", "p" * 60_000,
                                 "status"], env=CLEAN_ENV)
    assert result.exit_code == 2
    assert result.stderr.strip() == ("error: the purpose is 60000 characters long; give one "
                                     "of at most 500 characters")
    with journal.open_log(ws) as log:
        assert len(log.entries("NCA")) == before
