"""The statement store on DuckDB: one file per workspace, in-process, columnar (the
embedded default). The reads and writes are `pinchpoint.store.sql_store`'s; this module
only opens the file, with DuckDB's settings and the lock it takes."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from pinchpoint.store import files
from pinchpoint.store.sql_store import BatchMeta, BatchStage, SqlStore

__all__ = ["BatchMeta", "BatchStage", "DuckDBStore", "OutOfMemory", "StoreBusyError",
           "memory_advice"]

MEMORY_ENV = "PINCHPOINT_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "2GB"
RESTING_MEMORY = "16MB"  # what `release_memory` leaves DuckDB holding, briefly


class StoreBusyError(RuntimeError):
    """Another process holds the workspace open for writing."""


# A query that needs more than DuckDB's cap (ordered aggregates over millions of
# entities do not all spill to disk): callers say what to raise, not DuckDB's advice.
OutOfMemory = duckdb.OutOfMemoryException


def memory_limit() -> str:
    """DuckDB's memory cap: $PINCHPOINT_MEMORY_LIMIT, else the default."""
    return os.environ.get(MEMORY_ENV, DEFAULT_MEMORY_LIMIT)


def memory_advice() -> str:
    """One sentence for a query that ran out of DuckDB's memory cap."""
    limit = memory_limit()
    return (f"the store ran out of memory (DuckDB may use {limit}); give it more with "
            f"{MEMORY_ENV}, e.g. {MEMORY_ENV}=8GB, and run the command again")


def _config(path: Path) -> dict[str, str | bool | int | float | list[str]]:
    """Cap DuckDB's memory so a large batch spills to the workspace, not to swap.

    A batch of millions of statements is staged in temporary tables; with the cap
    they spill to ``.tmp`` beside the store file. $PINCHPOINT_MEMORY_LIMIT overrides.
    """
    return {
        "memory_limit": memory_limit(),
        "temp_directory": str(path.parent / ".tmp"),
    }


class DuckDBStore(SqlStore):
    """Statement store in one DuckDB file. Every read takes a :class:`Scope`."""

    con: duckdb.DuckDBPyConnection

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        try:
            self.con = duckdb.connect(str(path), read_only=read_only, config=_config(path))
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreBusyError(
                    f"the workspace store {path} is open in another Pinchpoint process; "
                    "wait for it to finish"
                ) from exc
            raise
        if not read_only:
            files.private_files(path)  # 0600, a store made before this rule included
            self._create_tables()

    def release_memory(self) -> None:
        """Evict the blocks DuckDB keeps cached, then allow its cap again.

        DuckDB keeps every block a query read, up to its memory cap, until something
        else needs the room: after a read of the whole store the process holds the cap
        (10 GB in the 10M-record run) on top of what Python built from it, and the
        network's next stage ran out of the machine. Lowering the cap evicts; the
        cap is then set back for the queries still to come."""
        limit = memory_limit().replace("'", "")
        try:
            self.con.execute(f"SET memory_limit = '{RESTING_MEMORY}'")
        except duckdb.Error:
            pass  # blocks still pinned by an open result: they stay; nothing is lost
        finally:
            self.con.execute(f"SET memory_limit = '{limit}'")
