"""Issue 14: store, audit and key files were world-readable. A workspace's folders are
0700 and its files 0600, whatever the umask, and an older workspace's files are made
0600 when next opened."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from pinchpoint.access import journal, keys
from pinchpoint.store import init_workspace, open_workspace


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive usual umask: files 0644, folders 0755 unless the code says."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.duckdb_only("the DuckDB store file's permissions")
def test_a_new_workspace_is_private(tmp_path: Path, open_umask: None) -> None:
    ws = init_workspace(tmp_path / "ws", agency="NCA")
    with journal.open_log(ws.path) as log:
        log.record("ann", "NCA", "collection", "file:a.csv", "test")
    assert mode(ws.path) == 0o700
    assert mode(ws.path / keys.KEYS_DIR) == 0o700
    for name in ("workspace.json", "store.duckdb", journal.AUDIT_FILE,
                 f"{keys.KEYS_DIR}/{keys.PRIVATE_FILE}", f"{keys.KEYS_DIR}/{keys.PUBLIC_FILE}"):
        assert mode(ws.path / name) == 0o600, name
    unexpected = [p for p in ws.path.rglob("*") if p.is_file() and mode(p) & 0o077]
    assert not unexpected


@pytest.mark.duckdb_only("the DuckDB store file's permissions")
def test_an_older_workspace_is_made_private_when_opened(tmp_path: Path,
                                                        open_umask: None) -> None:
    ws = init_workspace(tmp_path / "ws", agency="NCA")
    with journal.open_log(ws.path):
        pass
    for name in ("store.duckdb", journal.AUDIT_FILE):
        os.chmod(ws.path / name, 0o644)
    with open_workspace(ws.path).open_store():
        pass
    with journal.open_log(ws.path):
        pass
    assert mode(ws.path / "store.duckdb") == mode(ws.path / journal.AUDIT_FILE) == 0o600
