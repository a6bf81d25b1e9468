"""The small scenario, ingested and resolved once per test session (about 20 seconds).

A pytest plugin (``pytest_plugins = ["resolve_fixtures"]``) like tests/demo's scenario
fixtures. Tests that change the workspace (judgements, new data) work on a copy of the
folder, so it is always a DuckDB workspace: the tests using it are `duckdb_only`.
"""

from __future__ import annotations

import pytest
from resolve_helpers import SEED, Resolved

from pinchpoint.demo.examples import ingest_examples
from pinchpoint.demo.generate import generate
from pinchpoint.demo.summary import demo_scope
from pinchpoint.resolve import resolve
from pinchpoint.store import init_workspace


@pytest.fixture(scope="session")
def resolved(tmp_path_factory: pytest.TempPathFactory) -> Resolved:
    out = tmp_path_factory.mktemp("resolve-scenario") / "small"
    generate("small", SEED, out)
    # A DuckDB folder whatever the module's backend: tests copy it as a folder.
    workspace = init_workspace(tmp_path_factory.mktemp("resolve-ws") / "ws", agency="NCA",
                               database="")
    ingest_examples(workspace, out)
    scope, _entries = demo_scope(workspace, out)
    with workspace.open_store() as store:
        report = resolve(store, scope)
    return Resolved(out, workspace, scope, report)
