"""Moving a workspace from its DuckDB files to a PostgreSQL server, whole.

A team that started on a laptop keeps what it has when it moves to a server: every
table of every DuckDB file in the workspace folder (the store, and the audit log beside
it) is copied into one PostgreSQL database, row for row, and a new workspace folder is
made beside the old one with the same id, settings and signing key, pointing at the
database. The audit log's hashes and signed heads travel unchanged, so `pinchpoint audit
verify` holds on the copy, and the key pinned at init still names it. The old folder is
left as it was.

Tables the store defines are created by `PostgresStore` with their own DDL (and the
server's indexes and triggers); any other table (the audit log, retention, trusted
keys, the linkage features) is created from its Arrow schema.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa

from pinchpoint.store.database import PostgresConnection, column_type
from pinchpoint.store.files import private_folder

__all__ = ["copy_folder_files", "copy_tables"]

BATCH_ROWS = 100_000


def copy_tables(source: Path, target: PostgresConnection,
                progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy every table of the DuckDB file `source` into `target`; rows per table."""
    copied: dict[str, int] = {}
    with duckdb.connect(str(source), read_only=True) as con:
        tables = [str(r[0]) for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]
        for table in tables:
            reader = con.sql(f'SELECT * FROM "{table}"').to_arrow_reader(BATCH_ROWS)
            if reader is None:
                continue
            _create(target, table, reader.schema)
            copied[table] = 0
            for batch in reader:
                copied[table] += target.copy_in(table, pa.Table.from_batches([batch]))
                if progress is not None:
                    progress(table, copied[table])
            # Statistics now: until autovacuum's next round the planner would take the
            # filled table for an empty one (see `staging.refresh_statistics`).
            target.execute(f'ANALYZE "{table}"')
    return copied


def _create(target: PostgresConnection, table: str, schema: pa.Schema) -> None:
    """The table as the store defines it when it does (made already), else from `schema`."""
    columns = ", ".join(f'"{f.name}" {column_type(f.type)}' for f in schema)
    target.execute(f'CREATE TABLE IF NOT EXISTS "{table}" ({columns})')


def copy_folder_files(old: Path, new: Path, skip: Callable[[Path], bool]) -> None:
    """Copy the workspace folder's files (settings, keys) except those `skip` names."""
    private_folder(new)
    for path in sorted(old.rglob("*")):
        relative = path.relative_to(old)
        if relative.parts[0].startswith(".") or skip(path):
            continue
        if path.is_dir():
            private_folder(new / relative)
        else:
            shutil.copy2(path, new / relative)
