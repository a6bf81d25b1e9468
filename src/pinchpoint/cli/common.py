"""What every `pinchpoint` command shares, so each command module stays a thin wrapper.

One of each: the global options (`--workspace`, `--as`, `--purpose`), the opener of the
workspace, its store and the reader's scope (`open_session`), the error wrapper that
turns expected failures into one red sentence (`user_errors`), the console pair, the
JSON printer, and the table and progress helpers.

A command gets to data only through a scope taken here (`current_scope`), which is
also where `--as` is applied and the read is written to the audit log, so no command
reads without one (`tests/access/test_every_read_is_scoped.py`).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from pinchpoint.access import bounds, directory, journal
from pinchpoint.access.bounds import PurposeError
from pinchpoint.access.directory import DirectoryError
from pinchpoint.access.entitlements import scope_for
from pinchpoint.demo.errors import ScenarioError
from pinchpoint.ingest.errors import IngestError
from pinchpoint.model.grading import GradingError
from pinchpoint.model.handling import HandlingError
from pinchpoint.model.reader import AccessError, Reader
from pinchpoint.network import NetworkError
from pinchpoint.resolve import ResolveError
from pinchpoint.store import Scope, StoreBusyError, Workspace, WorkspaceError, open_workspace
from pinchpoint.store.database import DatabaseError
from pinchpoint.store.duckdb_store import OutOfMemory, memory_advice
from pinchpoint.store.signing import KeyPinError
from pinchpoint.store.sql_store import SqlStore
from pinchpoint.store.workspace import operator

# Markup off: file names, columns and values are user data ("[/b]" must print as is).
console = Console(markup=False, highlight=False)
err = Console(stderr=True, markup=False, highlight=False, soft_wrap=True)

# Expected failures: one red sentence and exit code 2, never a traceback.
USER_ERRORS: tuple[type[Exception], ...] = (
    IngestError, WorkspaceError, StoreBusyError, GradingError, HandlingError, OSError,
    ScenarioError, ResolveError, AccessError, DirectoryError, NetworkError, KeyPinError,
    DatabaseError)
# The access, audit, sharing and retention commands also refuse bad input with a plain
# ValueError (package, trust, key, audit and retention errors all are ValueErrors).
REFUSALS: tuple[type[Exception], ...] = (*USER_ERRORS, ValueError)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON")]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why (kept in the audit log)")]
WideOption = Annotated[bool, typer.Option(
    "--wide", help="Every column and full ids, however wide the table gets (default: "
    "label first and short ids, fitted to the terminal)")]


# -- the global options ----------------------------------------------------------------------
@dataclasses.dataclass
class Options:
    """The global options, set by `global_options` before any command runs."""

    workspace: Path | None = None
    user: str | None = None
    purpose: str | None = None


STATE = Options()


def global_options(
    workspace: Annotated[Path | None, typer.Option(
        "--workspace", "-w", envvar="PINCHPOINT_WORKSPACE",
        help="Workspace folder [default: ./pinchpoint-data]")] = None,
    user: Annotated[str | None, typer.Option(
        "--as", envvar="PINCHPOINT_USER",
        help="Act as this user: every read sees only what the user may see "
             "[default: the workspace operator, an administrator of the workspace's agency]"
    )] = None,
    purpose: Annotated[str | None, typer.Option(
        "--purpose", envvar="PINCHPOINT_PURPOSE",
        help="Why you are reading: kept with every read in the audit log (DPA 2018 s.62); "
             "at most 500 characters"
    )] = None,
) -> None:
    try:
        checked = bounds.checked_purpose(purpose)
    except PurposeError as exc:
        raise fail(str(exc)) from None
    STATE.workspace, STATE.user, STATE.purpose = workspace, user, checked


# -- output ----------------------------------------------------------------------------------
def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one red 'error:' sentence on stderr; return the exit to raise."""
    err.print(Text.assemble(("error: ", "red"), message))
    return typer.Exit(code)


@contextmanager
def user_errors(kinds: tuple[type[Exception], ...] = USER_ERRORS) -> Iterator[None]:
    """Expected failures become one red 'error:' sentence and exit code 2; so does a
    query that needs more memory than the store may use (saying how to give it more)."""
    try:
        yield
    except OutOfMemory:
        raise fail(memory_advice()) from None
    except kinds as exc:
        raise fail(str(exc)) from None


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def table(title: str, *columns: str, right: Collection[str] = (),
          fold: bool = True) -> Table:
    """A table titled on the left; long values fold onto more lines unless `fold=False`."""
    found = Table(title=title, title_justify="left")
    for column in columns:
        found.add_column(column, justify="right" if column in right else "left",
                         overflow="fold" if fold else "ellipsis")
    return found


def progress(*columns: str | ProgressColumn, quiet: bool = False) -> Progress:
    """Progress on stderr, shown only in a terminal and cleared when done."""
    return Progress(*columns, console=err, transient=True,
                    disable=quiet or not err.is_terminal)


def file_progress(quiet: bool = False) -> Progress:
    """Progress through a file or an export, with the time left."""
    return progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                    TimeRemainingColumn(), quiet=quiet)


# -- workspace, reader and scope -------------------------------------------------------------
def workspace() -> Workspace:
    """The workspace of `--workspace` (or $PINCHPOINT_WORKSPACE, or ./pinchpoint-data)."""
    return open_workspace(STATE.workspace)


def reader(ws: Workspace, store: SqlStore) -> Reader:
    """The user named by `--as`, or the workspace operator."""
    if STATE.user:
        return directory.reader(store.con, STATE.user)
    return operator(ws)


def acting_reader(ws: Workspace) -> Reader:
    """Who acts, for writers that take no scope: the store is opened only to look up the
    user named by `--as`; the workspace operator needs none."""
    if not STATE.user:
        return operator(ws)
    with ws.open_store() as store:
        return reader(ws, store)


def current_scope(ws: Workspace, store: SqlStore, log_read: bool = True) -> Scope:
    """The scope of `--as USER`, or of the workspace operator; read afresh every time.

    Every command that reads data gets its scope here, so this is also where the read
    is written to the audit log as a consultation (the command, its arguments, and the
    `--purpose` given), unless the caller logs the read itself, more precisely."""
    scope = scope_for(store.con, reader(ws, store))
    if log_read:
        what, params = _running_command()
        journal.record(ws.path, scope.user, scope.agency, "consultation", what,
                       STATE.purpose, detail={"arguments": params})
    return scope


# Typer 0.29 runs commands on its own copy of Click, whose current context Click's own
# `get_current_context` does not see; older Typers run on Click itself.
_current_context = getattr(typer.main, "get_current_context", click.get_current_context)


def _running_command() -> tuple[str, dict[str, str]]:
    """The command path being run and its arguments given, for the audit log."""
    ctx = _current_context(silent=True)
    if ctx is None:
        return "python", {}
    return ctx.command_path, {k: str(v) for k, v in ctx.params.items() if v is not None}


@dataclasses.dataclass
class Session:
    """An open workspace and store, and the scope of whoever runs the command."""

    workspace: Workspace
    store: SqlStore
    scope: Scope

    @property
    def reader(self) -> Reader:
        """Who is acting: CLI scopes come from `scope_for`, which always names a reader."""
        assert self.scope.reader is not None
        return self.scope.reader

    def record(self, action: str, what: str, why: str | None, recipients: Sequence[str] = (),
               detail: dict[str, Any] | None = None) -> None:
        """Write one entry of this reader's to the workspace's audit log."""
        journal.record(self.workspace.path, self.scope.user, self.scope.agency, action, what,
                       why, recipients, detail)


@contextmanager
def open_session(read_only: bool = False, log_read: bool = True) -> Iterator[Session]:
    """The workspace, its store and the reader's scope (the read logged unless
    `log_read=False`), for the length of a command."""
    ws = workspace()
    with ws.open_store(read_only=read_only) as store:
        yield Session(ws, store, current_scope(ws, store, log_read))


@contextmanager
def session(read_only: bool = False, log_read: bool = True,
            kinds: tuple[type[Exception], ...] = USER_ERRORS) -> Iterator[Session]:
    """`open_session` with its expected failures (and the command's) as one sentence."""
    with user_errors(kinds), open_session(read_only, log_read) as s:
        yield s
