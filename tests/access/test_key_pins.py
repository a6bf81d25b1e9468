"""Issue 14, finding 6: the audit key is pinned outside the workspace.

Whoever could write the workspace folder could swap in their own key file, delete an
entry, renumber and re-sign, and `audit verify` passed; with the key file deleted,
the next command quietly made a new key. Now the key is made only at `init`, its
public half is pinned in a file outside the workspace (here the test run's, set by
tests/conftest.py), and a missing key, a key that is not the pinned one, or a
workspace with no pin is refused; `verify` checks against the pin, not the key file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from postgres import copy_workspace
from typer.testing import CliRunner

from pinchpoint.access import journal, keys
from pinchpoint.access.audit import AuditLog
from pinchpoint.cli import app

runner = CliRunner()
ENV: dict[str, str | None] = {"PINCHPOINT_USER": None, "PINCHPOINT_WORKSPACE": None}
KEY_FILE = Path(keys.KEYS_DIR) / keys.PRIVATE_FILE


def _cli(ws: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--workspace", str(ws), *args], env=ENV)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A workspace made by `pinchpoint init`, with a few logged entries."""
    path = tmp_path / "ws"
    code, _, errors = _cli(path, "init", "--agency", "NCA")
    assert code == 0, errors
    for _ in range(3):
        assert _cli(path, "status")[0] == 0  # each read is logged
    return path


def _swap_key(ws: Path) -> Ed25519PrivateKey:
    """The attacker's key written over the workspace's key files."""
    key = Ed25519PrivateKey.generate()
    (ws / KEY_FILE).write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    (ws / keys.KEYS_DIR / keys.PUBLIC_FILE).write_text(keys.public_text(key.public_key()))
    return key


def _rewrite_without(ws: Path, seq: int, key: Ed25519PrivateKey) -> None:
    """Delete entry `seq`, renumber the rest and sign every head again with `key`:
    a log that is whole and consistent, under another key."""
    con = journal.database(ws)
    try:
        kept = [e for e in AuditLog(con, key).entries("NCA") if e.seq != seq]
        for table in ("audit_log", "audit_heads", "audit_frontier"):
            con.execute(f"DELETE FROM {table}")
        log = AuditLog(con, key)
        for e in kept:
            log.record(e.user, e.agency, e.action, e.what, e.why, e.recipients, e.detail)
    finally:
        con.close()


def test_init_prints_the_public_key_to_record(tmp_path: Path) -> None:
    code, out, _ = _cli(tmp_path / "ws", "init", "--agency", "NCA")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("audit signing key "))
    kid, public = line.removeprefix("audit signing key ").split(": ")
    assert kid == keys.key_id(keys.parse_public(public))
    assert "record this public key out of band" in out


def test_a_swapped_key_and_a_re_signed_log_fail_verify(ws: Path) -> None:
    """(a) The attack of the finding: swap the key file, delete entry 1, renumber and
    re-sign every head. Before the fix `audit verify` said OK."""
    assert _cli(ws, "audit", "verify")[0] == 0
    attacker = _swap_key(ws)
    _rewrite_without(ws, 1, attacker)
    code, out, _ = _cli(ws, "audit", "verify")
    assert code == 1, out
    assert "not the one pinned at init" in out
    assert "signature does not verify" in out


def test_a_deleted_key_is_refused_and_never_made_again(ws: Path) -> None:
    """(b) Before the fix, the next command made a new key without a word."""
    (ws / KEY_FILE).unlink()
    code, _, errors = _cli(ws, "status")
    assert code == 2
    assert errors.startswith("error: ") and "is missing" in errors
    assert "Traceback" not in errors
    code, out, _ = _cli(ws, "audit", "verify")
    assert code == 1 and "is missing" in out
    assert not (ws / KEY_FILE).exists()


def test_a_key_file_that_is_not_the_pinned_key_is_refused(ws: Path) -> None:
    """(c) Nothing is read, logged or signed with a key other than the pinned one."""
    before = _log_rows(ws)
    _swap_key(ws)
    code, _, errors = _cli(ws, "status")
    assert code == 2 and "is not the one pinned at init" in errors
    assert _cli(ws, "share", "key")[0] == 2
    assert _log_rows(ws) == before


def _log_rows(ws: Path) -> list[tuple[object, ...]]:
    """Every row of the log's tables, as stored (on either backend)."""
    con = journal.database(ws)
    try:
        return [row for table in ("audit_log", "audit_heads", "audit_frontier")
                for row in sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr)]
    finally:
        con.close()


def test_a_workspace_without_a_pin_is_refused_until_pinned(ws: Path) -> None:
    """A workspace made before pins (no id): refused, naming the command; `audit pin`
    pins the key it was told (and only that), and the pin is logged."""
    settings = ws / "workspace.json"
    data = json.loads(settings.read_text())
    del data["id"]
    settings.write_text(json.dumps(data))
    public = (ws / keys.KEYS_DIR / keys.PUBLIC_FILE).read_text().strip()
    code, _, errors = _cli(ws, "status")
    assert code == 2 and "is not pinned" in errors and "audit pin" in errors
    other = keys.public_text(Ed25519PrivateKey.generate().public_key())
    code, _, errors = _cli(ws, "audit", "pin", "--public-key", other)
    assert code == 2 and "nothing pinned" in errors
    code, _, errors = _cli(ws, "audit", "pin", "--public-key", public)
    assert code == 0, errors
    assert _cli(ws, "status")[0] == 0
    with journal.open_log(ws) as log:
        assert any(e.what.startswith("audit key ") and e.what.endswith(" pinned")
                   for e in log.entries("NCA", action="alteration"))


def test_replacing_a_pin_needs_replace_and_a_reason(ws: Path) -> None:
    _swap_key(ws)
    code, _, errors = _cli(ws, "audit", "pin")
    assert code == 2 and "--replace" in errors
    code, _, errors = _cli(ws, "audit", "pin", "--replace")
    assert code == 2 and "--reason" in errors
    code, out, errors = _cli(ws, "audit", "pin", "--replace", "--reason", "key rotated")
    assert code == 0, errors
    assert "replacing key" in out
    assert _cli(ws, "status")[0] == 0


def test_a_copied_workspace_keeps_its_pin(ws: Path, tmp_path: Path) -> None:
    copy = copy_workspace(ws, tmp_path / "copy")
    assert _cli(copy, "status")[0] == 0
    code, out, _ = _cli(copy, "audit", "verify")
    assert code == 0, out


def test_verify_with_an_explicit_public_key(ws: Path) -> None:
    """`--public-key` still overrides the pin: the auditor's own record of the key."""
    public = (ws / keys.KEYS_DIR / keys.PUBLIC_FILE).read_text().strip()
    assert _cli(ws, "audit", "verify", "--public-key", public)[0] == 0
    other = keys.public_text(Ed25519PrivateKey.generate().public_key())
    code, out, _ = _cli(ws, "audit", "verify", "--public-key", other)
    assert code == 1 and "signature does not verify" in out
