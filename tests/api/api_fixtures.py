"""A pytest plugin (``pytest_plugins = ["api_fixtures"]``): one workspace per test
module (the documented examples, two agencies), an app over it, and logged-in callers."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))

from api_world import PASSWORD, World, build

from pinchpoint.api.app import create_app

SMALL_BOATS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "small_boats"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, backend: str) -> World:
    return build(tmp_path_factory.mktemp("api"))


@pytest.fixture(scope="module")
def client(world: World) -> Iterator[TestClient]:
    app = create_app(world.workspace.path, SMALL_BOATS if SMALL_BOATS.exists() else None)
    with TestClient(app) as test_client:
        yield test_client


def login(client: TestClient, user: str) -> dict[str, str]:
    response = client.post("/api/login", json={"username": user, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}",
            "X-Purpose": "API test"}


@pytest.fixture(scope="module")
def nadia(client: TestClient) -> dict[str, str]:
    return login(client, "nadia")


@pytest.fixture(scope="module")
def bruno(client: TestClient) -> dict[str, str]:
    return login(client, "bruno")


@pytest.fixture(scope="module")
def aud(client: TestClient) -> dict[str, str]:
    return login(client, "aud")
