"""Every test here runs on both store backends, DuckDB and PostgreSQL (tests/postgres.py);
a test about the DuckDB file itself is marked `duckdb_only`."""

from postgres import module_on_each_backend, on_each_backend

__all__ = ["module_on_each_backend", "on_each_backend"]  # autouse fixtures, for this folder
