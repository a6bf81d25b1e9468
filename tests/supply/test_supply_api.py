"""`/api/supply/chains|hubs|plan`: the CLI's functions through the caller's scope,
logged with the caller's purpose; the map's places with coordinates where known."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from supply_world import PASSWORD

from pinchpoint.api.app import create_app
from pinchpoint.store import Workspace


@pytest.fixture(scope="module")
def client(shared: Workspace) -> Iterator[TestClient]:
    with TestClient(create_app(shared.path, None)) as test_client:
        yield test_client


def login(client: TestClient, user: str) -> dict[str, str]:
    response = client.post("/api/login", json={"username": user, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}",
            "X-Purpose": "supply test"}


def get(client: TestClient, path: str, headers: dict[str, str], status: int = 200) -> Any:
    response = client.get(path, headers=headers)
    assert response.status_code == status, (path, response.text)
    return response.json()


def test_chains_hubs_and_plan(client: TestClient) -> None:
    nca = login(client, "nca.analyst")
    found = get(client, "/api/supply/chains", nca)
    assert found["items"] == 3 and found["legs"]
    places = {p["name"]: p for p in found["places"]}
    assert places["Burgas port"]["lat"] is not None
    hubs = get(client, "/api/supply/hubs?top=2", nca)
    assert hubs["hubs"][0]["label"] == "Marmara Trade GmbH"
    planned = get(client, "/api/supply/plan?steps=1", nca)
    assert planned["steps"][0]["label"] == "Marmara Trade GmbH"
    get(client, "/api/supply/plan?steps=0", nca, status=422)
    get(client, "/api/supply/hubs", {}, status=401)


def test_a_partner_sees_only_its_own_records(client: TestClient) -> None:
    belgian = login(client, "be.analyst")
    assert get(client, "/api/supply/chains?all=true", belgian)["chains"] == []
    assert get(client, "/api/supply/hubs", belgian)["hubs"] == []


def test_reads_are_logged_with_the_purpose(client: TestClient, shared: Workspace) -> None:
    get(client, "/api/supply/hubs", login(client, "nca.analyst"))
    from pinchpoint.access.journal import open_log
    with open_log(shared.path) as log:
        entries = log.entries("NCA", "consultation")
    assert any("/api/supply/hubs" in e.what and e.why == "supply test" for e in entries)
