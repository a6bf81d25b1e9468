"""One small scenario per test session, generated and ingested once (a few seconds).

A pytest plugin (``pytest_plugins = ["scenario_fixtures"]`` in each test module) rather
than a conftest.py, because other tests import the top-level ``conftest`` by name and a
second conftest module would shadow it.
"""

from __future__ import annotations

import pytest
from scenario_helpers import SEED, Ingested

from pinchpoint.demo.examples import ingest_examples
from pinchpoint.demo.generate import Manifest, generate
from pinchpoint.store.workspace import init_workspace


@pytest.fixture(scope="session")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Manifest:
    return generate("small", SEED, tmp_path_factory.mktemp("scenario") / "small")


@pytest.fixture(scope="session")
def ingested(scenario: Manifest, tmp_path_factory: pytest.TempPathFactory) -> Ingested:
    workspace = init_workspace(tmp_path_factory.mktemp("scenario-ws") / "ws", agency="NCA")
    return workspace, ingest_examples(workspace, scenario.out)
