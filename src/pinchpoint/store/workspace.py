"""A workspace: one folder per investigation, holding its settings, keys and the store.

The store is a DuckDB file in the folder (the embedded default) or, for a team, a
PostgreSQL database named in the settings (`pinchpoint init --database URL`, or
$PINCHPOINT_DATABASE for every workspace made while it is set).
"""

from __future__ import annotations

import getpass
import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from pinchpoint.model.reader import Clearance, Reader, Role
from pinchpoint.store import directory, signing, transfer
from pinchpoint.store.duckdb_store import DuckDBStore
from pinchpoint.store.files import private_folder, write_private
from pinchpoint.store.postgres_store import PostgresStore, database_url, is_database_url
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore

WORKSPACE_ENV = "PINCHPOINT_WORKSPACE"
DATABASE_ENV = "PINCHPOINT_DATABASE"
DEFAULT_WORKSPACE = Path("pinchpoint-data")
DEFAULT_AGENCY = "LOCAL"
STORE_FILE = "store.duckdb"
SETTINGS_FILE = "workspace.json"


class WorkspaceError(RuntimeError):
    """The workspace folder is missing or not a Pinchpoint workspace."""


@dataclass(frozen=True)
class Workspace:
    path: Path
    agency: str
    # Names the workspace in the key pins (pinchpoint.store.signing): a copied folder
    # keeps it, and so keeps its pin. Empty for a workspace made before pins.
    id: str = ""
    # The PostgreSQL database holding the store; empty: the DuckDB file in the folder.
    database: str = ""

    @property
    def store_path(self) -> Path:
        return self.path / STORE_FILE

    def open_store(self, read_only: bool = False) -> SqlStore:
        if self.database:
            return PostgresStore(self.database, read_only=read_only, path=self.store_path)
        return DuckDBStore(self.store_path, read_only=read_only)

    def home_scope(self) -> Scope:
        """The workspace's own agency seeing its own data."""
        return Scope.owner(self.agency)


def operator(workspace: Workspace) -> Reader:
    """Whoever runs commands on the workspace without `--as`: the person holding the
    workspace folder, an administrator of its agency cleared to SECRET. (The folder's
    file permissions are the boundary here; the REST API authenticates every user.)"""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "operator"
    return Reader(f"{name}@{workspace.agency}", workspace.agency, Role.ADMINISTRATOR,
                  Clearance.SECRET)


def workspace_path(path: str | Path | None = None) -> Path:
    """The path given, else $PINCHPOINT_WORKSPACE, else ./pinchpoint-data."""
    if path is not None:
        return Path(path)
    env = os.environ.get(WORKSPACE_ENV)
    return Path(env) if env else DEFAULT_WORKSPACE


def init_workspace(path: str | Path | None = None, agency: str = DEFAULT_AGENCY,
                   database: str | None = None) -> Workspace:
    """Create a workspace (or return the existing one unchanged): its folder, id,
    settings, store, and its signing key, pinned outside the folder (the only time a
    key is ever made: `pinchpoint.store.signing`).

    `database` (else $PINCHPOINT_DATABASE) puts the store on a PostgreSQL server: a URL
    naming a database uses it, one naming only a server gets a database of the
    workspace's own (`pinchpoint.store.postgres_store.database_url`)."""
    root = workspace_path(path)
    settings = root / SETTINGS_FILE
    if settings.exists():
        return open_workspace(root)
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root} exists and is not a folder")
    agency = agency.strip()
    if not agency:
        raise WorkspaceError("the workspace's agency must not be empty")
    server = database if database is not None else os.environ.get(DATABASE_ENV, "")
    if server and not is_database_url(server):
        raise WorkspaceError(f"--database must be a postgresql:// URL, not {server!r}")
    private_folder(root)  # 0700: what DuckDB writes beside the store stays private too
    workspace_id = uuid.uuid4().hex
    url = database_url(server, f"pinchpoint_{workspace_id}") if server else ""
    workspace = Workspace(path=root, agency=agency, id=workspace_id, database=url)
    key = signing.create_key(root)
    _write_settings(workspace)
    signing.write_pin(workspace.id, signing.public_text(key.public_key()), root)
    with workspace.open_store() as store:  # opening a store creates its tables
        directory.add_agency(store.con, agency)
    return workspace


def open_workspace(path: str | Path | None = None) -> Workspace:
    root = workspace_path(path)
    settings = root / SETTINGS_FILE
    if not settings.exists():
        raise WorkspaceError(
            f"{root} is not a Pinchpoint workspace; create it with `pinchpoint init`"
        )
    try:
        data = json.loads(settings.read_text())
        return Workspace(path=root, agency=str(data["agency"]), id=str(data.get("id", "")),
                         database=str(data.get("database", "")))
    except (ValueError, KeyError) as exc:
        raise WorkspaceError(f"{settings} is damaged: {exc}") from exc


def copy_to_server(workspace: Workspace, new_path: Path, server: str,
                   progress: Callable[[str, int], None] | None = None) -> Workspace:
    """A copy of `workspace` at `new_path` whose store is on PostgreSQL (`server`): every
    table of its DuckDB files (store and audit log) copied whole, the same id, settings
    and signing key (`pinchpoint.store.transfer`). The workspace itself is left as it is."""
    if workspace.database:
        raise WorkspaceError(f"{workspace.path} is on PostgreSQL already")
    if not is_database_url(server):
        raise WorkspaceError(f"--database must be a postgresql:// URL, not {server!r}")
    if new_path.exists() and any(new_path.iterdir()):
        raise WorkspaceError(f"{new_path} exists and is not empty")
    url = database_url(server, f"pinchpoint_{workspace.id or uuid.uuid4().hex}")
    store = PostgresStore(url, path=new_path / STORE_FILE)
    try:
        if store.con.execute("SELECT count(*) FROM statements").fetchall()[0][0]:
            raise WorkspaceError("that database holds a store already; name an empty one")
        transfer.copy_folder_files(workspace.path, new_path,
                                   skip=lambda p: p.suffix == ".duckdb" or p.name == SETTINGS_FILE)
        moved = replace(workspace, path=new_path, database=url)
        _write_settings(moved)
        for source in sorted(workspace.path.glob("*.duckdb")):
            transfer.copy_tables(source, store.con, progress)
    finally:
        store.close()
    return moved


def with_id(workspace: Workspace) -> Workspace:
    """The workspace, given an id first if it was made before ids (to pin its key)."""
    if workspace.id:
        return workspace
    named = replace(workspace, id=uuid.uuid4().hex)
    _write_settings(named)
    return named


def _write_settings(workspace: Workspace) -> None:
    settings: dict[str, object] = {"agency": workspace.agency, "format": 1, "id": workspace.id}
    if workspace.database:
        settings["database"] = workspace.database
    write_private(workspace.path / SETTINGS_FILE, json.dumps(settings, indent=2) + "\n")
