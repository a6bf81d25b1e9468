"""What an administrator lists and adds (`pinchpoint.access.administration`, issue 16
item 2): the rules the CLI and the admin API share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pinchpoint.access import accounts, administration, directory
from pinchpoint.cli import app
from pinchpoint.model.reader import AccessError, Clearance, Reader, Role
from pinchpoint.store import open_workspace
from pinchpoint.store.directory import DirectoryError

PASSWORD = "a long enough phrase"
HOME = "NCA"
ROOT = Reader("root", "NCA", Role.ADMINISTRATOR, Clearance.SECRET)
BFADMIN = Reader("bfadmin", "BF", Role.ADMINISTRATOR, Clearance.SECRET)
BFSUP = Reader("bfsup", "BF", Role.SUPERVISOR, Clearance.SECRET)


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(tmp_path / "directory.duckdb"))
    directory.ensure(connection)
    for agency in ("NCA", "BF", "PAF"):
        directory.add_agency(connection, agency)
    for who in (ROOT, BFADMIN, BFSUP):
        directory.add_user(connection, who.user, who.agency, who.role, who.clearance,
                           PASSWORD)
    yield connection
    connection.close()


def test_an_administrator_lists_and_adds_only_their_own_agencys_users(
        con: duckdb.DuckDBPyConnection) -> None:
    added = administration.add_user(con, BFADMIN, HOME, "bf-1", None, "analyst", "OFFICIAL",
                                     PASSWORD)
    assert (added.agency, added.role) == ("BF", Role.ANALYST)
    with pytest.raises(AccessError, match="not NCA's"):
        administration.add_user(con, BFADMIN, HOME, "x", "NCA", "analyst", "OFFICIAL")
    with pytest.raises(AccessError, match="administrator"):
        administration.add_user(con, BFSUP, HOME, "x", None, "analyst", "OFFICIAL")
    assert administration.add_user(con, ROOT, HOME, "paf-1", "PAF", "analyst",
                                   "OFFICIAL").agency == "PAF"
    assert [u.name for u in administration.users(con, BFADMIN, HOME)] == [
        "bf-1", "bfadmin", "bfsup"]
    assert {u.name for u in administration.users(con, ROOT, HOME)} == {
        "bf-1", "bfadmin", "bfsup", "paf-1", "root"}
    with pytest.raises(AccessError):
        administration.users(con, BFSUP, HOME)


def test_a_disabled_user_is_listed_as_disabled(con: duckdb.DuckDBPyConnection) -> None:
    administration.add_user(con, BFADMIN, HOME, "bf-1", None, "analyst", "OFFICIAL")
    accounts.disable(con, BFADMIN, HOME, "bf-1")
    listed = {u.name: u.disabled for u in administration.users(con, BFADMIN, HOME)}
    assert listed == {"bf-1": True, "bfadmin": False, "bfsup": False}


def test_agencies_and_groups_are_added_by_administrators(
        con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(AccessError):
        administration.add_agency(con, BFSUP, "X")
    with pytest.raises(DirectoryError, match="without spaces"):
        administration.add_agency(con, BFADMIN, "GARDA", groups=["a b"])
    assert "GARDA" not in directory.agencies(con)  # nothing written before the check
    row = administration.add_agency(con, BFADMIN, " GARDA ", "Garda", ["EMPACT"])
    assert row == administration.AgencyRow("GARDA", "Garda", ["EMPACT"])
    administration.join_group(con, ROOT, "PAF", "EMPACT")
    with pytest.raises(AccessError):
        administration.join_group(con, BFSUP, "PAF", "OTHER")
    assert administration.sharing_groups(con) == {"EMPACT": ["GARDA", "PAF"]}


def test_grants_of_lists_both_sides(con: duckdb.DuckDBPyConnection) -> None:
    made = directory.grant(con, BFSUP, "NCA", "operation")
    assert administration.grants_of(con, "BF") == [("made", made)]
    assert administration.grants_of(con, "NCA") == [("received", made)]
    assert administration.grants_of(con, "PAF") == []


def test_the_cli_adds_users_by_the_same_rule(tmp_path: Path) -> None:
    runner, ws = CliRunner(), tmp_path / "ws"
    env: dict[str, str | None] = {"PINCHPOINT_USER": None, "PINCHPOINT_WORKSPACE": None}
    assert runner.invoke(app, ["--workspace", str(ws), "init", "--agency", "NCA"],
                         env=env).exit_code == 0
    with open_workspace(ws).open_store() as store:
        directory.add_agency(store.con, "BF")
        directory.add_user(store.con, "bfadmin", "BF", "administrator", "SECRET", PASSWORD)
    base = ["--workspace", str(ws), "--as", "bfadmin", "user", "add"]
    refused = runner.invoke(app, [*base, "intruder", "--agency", "NCA"], env=env)
    assert refused.exit_code != 0 and "not NCA's" in refused.output, refused.output
    assert runner.invoke(app, [*base, "bf-2", "--agency", "BF"], env=env).exit_code == 0
    operator = runner.invoke(app, ["--workspace", str(ws), "user", "add", "bf-3", "--agency",
                                   "BF"], env=env)
    assert operator.exit_code == 0, operator.output
