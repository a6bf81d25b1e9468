"""Every test here runs on both store backends, DuckDB and PostgreSQL (tests/postgres.py);
a test about the DuckDB file itself is marked `duckdb_only`."""

from __future__ import annotations

import pytest
from postgres import skip_duckdb_only


@pytest.fixture(scope="module", autouse=True)
def _module_on_each_backend(backend: str) -> str:
    return backend


@pytest.fixture(autouse=True)
def _on_each_backend(request: pytest.FixtureRequest, backend: str) -> None:
    skip_duckdb_only(request, backend)
