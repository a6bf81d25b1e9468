"""`pinchpoint user disable|enable|passwd|set-role|set-clearance|revoke-tokens`:
administrators only, each change logged, effective for the next command or token use
(issue 14, finding 5)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pinchpoint.access import directory, journal
from pinchpoint.cli import app
from pinchpoint.model.reader import AccessError
from pinchpoint.store import open_workspace

runner = CliRunner()
CLEAN_ENV: dict[str, str | None] = {"PINCHPOINT_USER": None, "PINCHPOINT_WORKSPACE": None}
PASSWORD = "a long enough phrase"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    assert runner.invoke(app, ["--workspace", str(path), "init", "--agency", "NCA"],
                         env=CLEAN_ENV).exit_code == 0
    with open_workspace(path).open_store() as store:
        directory.add_user(store.con, "nadia", "NCA", "analyst", "SECRET", PASSWORD)
        directory.add_user(store.con, "boss", "NCA", "administrator", "SECRET", PASSWORD)
    return path


def _user(ws: Path, *args: str, who: str | None = None, stdin: str | None = None
          ) -> tuple[int, str]:
    prefix = ["--workspace", str(ws)] + (["--as", who] if who else [])
    result = runner.invoke(app, [*prefix, "user", *args], env=CLEAN_ENV, input=stdin)
    return result.exit_code, result.output


def test_the_account_life_cycle_from_the_cli(ws: Path) -> None:
    with open_workspace(ws).open_store() as store:
        _id, token = directory.issue_token(store.con, "nadia")
    assert _user(ws, "set-clearance", "nadia", "OFFICIAL")[0] == 0
    assert _user(ws, "set-role", "nadia", "supervisor", "--reason", "promoted")[0] == 0
    with open_workspace(ws).open_store() as store:
        reader = directory.token_reader(store.con, token)
    assert (reader.role.value, reader.clearance.value) == ("supervisor", "OFFICIAL")
    code, out = _user(ws, "disable", "nadia", "--reason", "left the unit")
    assert code == 0 and "1 token(s) revoked" in out, out
    with open_workspace(ws).open_store() as store, pytest.raises(AccessError):
        directory.token_reader(store.con, token)
    assert _user(ws, "list")[1].count("nadia") == 0
    assert _user(ws, "enable", "nadia")[0] == 0
    code, out = _user(ws, "passwd", "nadia", "--password-stdin", stdin="too short\n")
    assert code != 0 and "12 characters" in out and "too short" not in out, out
    assert _user(ws, "passwd", "nadia", "--password-stdin",
                 stdin="another long phrase\n")[0] == 0
    with open_workspace(ws).open_store() as store:
        assert directory.login(store.con, "nadia", "another long phrase").user == "nadia"
        directory.issue_token(store.con, "nadia")
    code, out = _user(ws, "revoke-tokens", "nadia")
    assert code == 0 and "1 token(s) revoked" in out, out
    with journal.open_log(ws) as log:
        whats = [e.what for e in log.entries("NCA", "alteration")]
    for what in ("user nadia: clearance OFFICIAL", "user nadia: role supervisor",
                 "user nadia: disabled", "user nadia: enabled", "user nadia: password changed",
                 "user nadia: tokens revoked"):
        assert what in whats, (what, whats)


def test_only_administrators_change_accounts(ws: Path) -> None:
    code, out = _user(ws, "disable", "boss", who="nadia")
    assert code != 0 and "administrator" in out, out
    code, out = _user(ws, "set-role", "boss", "analyst", who="boss")
    assert code != 0 and "own role" in out, out
    assert _user(ws, "disable", "nadia", who="boss")[0] == 0
