"""The statement store: one interface, DuckDB as the embedded default."""

from pinchpoint.store.duckdb_store import BatchMeta, BatchStage, DuckDBStore, StoreBusyError
from pinchpoint.store.records import BatchInfo, QuarantineItem, Statement, StatusCounts
from pinchpoint.store.scope import Scope
from pinchpoint.store.workspace import (
    Workspace,
    WorkspaceError,
    init_workspace,
    open_workspace,
    workspace_path,
)

__all__ = [
    "BatchInfo",
    "BatchMeta",
    "BatchStage",
    "DuckDBStore",
    "QuarantineItem",
    "Scope",
    "Statement",
    "StatusCounts",
    "StoreBusyError",
    "Workspace",
    "WorkspaceError",
    "init_workspace",
    "open_workspace",
    "workspace_path",
]
