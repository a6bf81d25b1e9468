"""What every CLI command shares: the workspace, the store, and who is reading.

Each command opens a session; the session's scope is the only way a command gets to
data, so no command reads without one (`tests/access/test_every_read_is_scoped.py`).
The global options (`--workspace`, `--as`) live in `pinchpoint.cli.STATE`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import typer
from rich.console import Console
from rich.text import Text

from pinchpoint.model.reader import AccessError, Reader
from pinchpoint.store import Scope, StoreBusyError, Workspace, WorkspaceError
from pinchpoint.store.duckdb_store import DuckDBStore

# What the access, audit, sharing and retention commands refuse with one sentence: bad
# input and refusals are ValueErrors (directory, package, trust, key, audit and
# retention errors all are) or AccessErrors.
REFUSALS: tuple[type[Exception], ...] = (
    AccessError, ValueError, WorkspaceError, StoreBusyError, OSError)
err = Console(stderr=True, markup=False, highlight=False, soft_wrap=True)


@contextmanager
def refusals(kinds: tuple[type[Exception], ...] = REFUSALS) -> Iterator[None]:
    """Expected refusals become one red 'error:' sentence on stderr and exit code 2."""
    try:
        yield
    except kinds as exc:
        err.print(Text.assemble(("error: ", "red"), str(exc)))
        raise typer.Exit(2) from None


@dataclass
class Session:
    workspace: Workspace
    store: DuckDBStore
    scope: Scope

    @property
    def reader(self) -> Reader:
        """Who is acting: CLI scopes come from `scope_for`, which always names a reader."""
        assert self.scope.reader is not None
        return self.scope.reader


def current_scope(workspace: Workspace, store: DuckDBStore, log_read: bool = True) -> Scope:
    """The scope of the user named by `--as` (or the workspace's own operator); the read
    is logged as a consultation unless the caller logs it itself."""
    from pinchpoint.cli import _scope

    return _scope(workspace, store, log_read)


@contextmanager
def open_session(read_only: bool = False, log_read: bool = True) -> Iterator[Session]:
    from pinchpoint.cli import _workspace

    workspace = _workspace()
    with workspace.open_store(read_only=read_only) as store:
        yield Session(workspace, store, current_scope(workspace, store, log_read))
