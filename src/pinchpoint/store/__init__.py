"""The statement store: one interface (`StatementStore`, implemented once in SQL by
`SqlStore`), DuckDB as the embedded default, PostgreSQL for a team server
(`PostgresStore`), and the one way anything writes the store's tables.

Store tables, written only by modules of this package (tests/store/test_one_write_path.py
checks every other module's SQL): `statements`, `quarantine` and `batches` (an ingest's
`SqlStore.stage`, a received package's `import_statements`, `erase_source`);
`redact_keys` (refreshed inside each of those writes); the directory, `agencies`,
`sharing_groups`, `users`, `tokens`, `grants` (`pinchpoint.store.directory`, called by
`pinchpoint.access.directory`, which keeps the rules about who may change what); and
the resolution tables, `resolve_*`, `resolution` (`store.resolution`), and
`judgements` and `judgement_shares` (`store.judgements`).
`schema_sql` holds their DDL and `STORE_TABLES` names them.

Tables that other packages own and write themselves: the audit log (`audit_log`,
`audit_heads`, `audit_frontier`, in its own file beside the store;
`pinchpoint.access.audit`), `retention` and `erasures` (`pinchpoint.access.retention`:
decisions about the data, the erasure record written inside the store's erasure
transaction) and `trusted_keys` (`pinchpoint.sharing.trust`).
"""

from pinchpoint.store.base import StatementStore
from pinchpoint.store.duckdb_store import BatchMeta, BatchStage, DuckDBStore, StoreBusyError
from pinchpoint.store.postgres_store import PostgresStore
from pinchpoint.store.records import (
    BatchInfo,
    ErasedRows,
    ImportedBatch,
    QuarantineItem,
    Statement,
    StatusCounts,
)
from pinchpoint.store.schema_sql import STORE_TABLES
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore
from pinchpoint.store.workspace import (
    Workspace,
    WorkspaceError,
    init_workspace,
    open_workspace,
    workspace_path,
)

__all__ = [
    "STORE_TABLES",
    "BatchInfo",
    "BatchMeta",
    "BatchStage",
    "DuckDBStore",
    "ErasedRows",
    "ImportedBatch",
    "PostgresStore",
    "QuarantineItem",
    "Scope",
    "SqlStore",
    "Statement",
    "StatementStore",
    "StatusCounts",
    "StoreBusyError",
    "Workspace",
    "WorkspaceError",
    "init_workspace",
    "open_workspace",
    "workspace_path",
]
