"""A workspace: one folder per investigation, holding the store and its settings."""

from __future__ import annotations

import getpass
import json
import os
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from pinchpoint.model.reader import Clearance, Reader, Role
from pinchpoint.store import directory, signing
from pinchpoint.store.duckdb_store import DuckDBStore
from pinchpoint.store.files import private_folder, write_private
from pinchpoint.store.scope import Scope

WORKSPACE_ENV = "PINCHPOINT_WORKSPACE"
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

    @property
    def store_path(self) -> Path:
        return self.path / STORE_FILE

    def open_store(self, read_only: bool = False) -> DuckDBStore:
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


def init_workspace(path: str | Path | None = None, agency: str = DEFAULT_AGENCY) -> Workspace:
    """Create a workspace (or return the existing one unchanged): its folder, id,
    settings, store, and its signing key, pinned outside the folder (the only time a
    key is ever made: `pinchpoint.store.signing`)."""
    root = workspace_path(path)
    settings = root / SETTINGS_FILE
    if settings.exists():
        return open_workspace(root)
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root} exists and is not a folder")
    agency = agency.strip()
    if not agency:
        raise WorkspaceError("the workspace's agency must not be empty")
    private_folder(root)  # 0700: what DuckDB writes beside the store stays private too
    workspace = Workspace(path=root, agency=agency, id=uuid.uuid4().hex)
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
        return Workspace(path=root, agency=str(data["agency"]), id=str(data.get("id", "")))
    except (ValueError, KeyError) as exc:
        raise WorkspaceError(f"{settings} is damaged: {exc}") from exc


def with_id(workspace: Workspace) -> Workspace:
    """The workspace, given an id first if it was made before ids (to pin its key)."""
    if workspace.id:
        return workspace
    named = replace(workspace, id=uuid.uuid4().hex)
    _write_settings(named)
    return named


def _write_settings(workspace: Workspace) -> None:
    write_private(workspace.path / SETTINGS_FILE, json.dumps(
        {"agency": workspace.agency, "format": 1, "id": workspace.id}, indent=2) + "\n")
