"""What every CLI command shares: the workspace, the store, and who is reading.

Each command opens a session; the session's scope is the only way a command gets to
data, so no command reads without one (`tests/access/test_every_read_is_scoped.py`).
The global options (`--workspace`, `--as`) live in `pinchpoint.cli.STATE`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from pinchpoint.store import Scope, Workspace, open_workspace
from pinchpoint.store.duckdb_store import DuckDBStore


@dataclass
class Session:
    workspace: Workspace
    store: DuckDBStore
    scope: Scope


def current_workspace() -> Workspace:
    from pinchpoint.cli import STATE

    return open_workspace(STATE.workspace)


def current_scope(workspace: Workspace, store: DuckDBStore, log_read: bool = True) -> Scope:
    """The scope of the user named by `--as` (or the workspace's own operator); the read
    is logged as a consultation unless the caller logs it itself."""
    from pinchpoint.cli import _scope

    return _scope(workspace, store, log_read)


@contextmanager
def open_session(read_only: bool = False, log_read: bool = True) -> Iterator[Session]:
    workspace = current_workspace()
    with workspace.open_store(read_only=read_only) as store:
        yield Session(workspace, store, current_scope(workspace, store, log_read))
