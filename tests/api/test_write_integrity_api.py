"""Issue 14, findings 1 and 2, through the REST API: a partner's upload with the owner's
entity id and a judgement's reason stay with their own agency."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from api_world import PASSWORD, World, build
from fastapi.testclient import TestClient
from test_api import get

from pinchpoint.access import directory

pytest_plugins = ["api_fixtures"]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, backend: str) -> World:
    """The API world, with NCA's data shared with Border Force (so Border Force's users
    see, resolve and judge NCA's records)."""
    built = build(Path(tmp_path_factory.mktemp("writes")))
    with built.workspace.open_store() as store:
        boss = directory.add_user(store.con, "ncasup", "NCA", "supervisor", "SECRET", PASSWORD)
        directory.grant(store.con, boss, "BORDER-FORCE", "joint operation")
    return built


def _rank(client: TestClient, headers: dict[str, str]) -> list[str]:
    return [entry["id"] for entry in get(client, "/api/network/rank?top=10", headers)]


def _categories(client: TestClient, headers: dict[str, str], entity: str) -> set[str]:
    found: dict[str, Any] = get(client, f"/api/entities/{entity}", headers)
    return {s["value"] for s in found["statements"] if s["prop"] == "personCategory"}


def test_a_partner_upload_never_writes_into_the_owners_entity(
        client: TestClient, nadia: dict[str, str], bruno: dict[str, str]) -> None:
    top = _rank(client, nadia)
    target = top[0]
    line = json.dumps({"id": target, "schema": "Person",
                       "properties": {"personCategory": ["victim"]}})
    response = client.post("/api/ingest", headers=bruno, data={"kind": "ftm"},
                           files={"file": ("claim.ftm.json", line.encode())})
    assert response.status_code == 200, response.text
    assert response.json()["batch"]["statements_added"] > 0
    assert client.post("/api/resolve", headers=nadia).status_code == 200
    assert _rank(client, nadia)[0] == target
    assert _categories(client, nadia, target) == {"suspect"}
    plan = client.post("/api/network/plan", headers=nadia, json={"targets": [target]})
    assert plan.status_code == 200, plan.text


def test_a_judgements_reason_and_author_stay_with_its_agency(
        client: TestClient, nadia: dict[str, str], bruno: dict[str, str],
        aud: dict[str, str]) -> None:
    queue = get(client, "/api/review?limit=1", nadia)
    body = {"left": queue[0]["left"], "right": queue[0]["right"], "verdict": "unsure",
            "reason": "CHIS 4711 confirms; see NCA op SEAGULL"}
    made = client.post("/api/judgements", json=body, headers=nadia)
    assert made.status_code == 200, made.text
    for headers in (nadia, aud):
        assert made.json()["id"] in {j["id"] for j in
                                     get(client, "/api/judgements?all=true", headers)}
    shown = json.dumps(get(client, "/api/judgements?all=true", bruno))
    assert "CHIS 4711" not in shown and "nadia" not in shown


def test_a_partner_judgement_never_merges_the_owners_entities(
        client: TestClient, nadia: dict[str, str], bruno: dict[str, str]) -> None:
    assert client.post("/api/resolve", headers=bruno).status_code == 200
    before = get(client, "/api/network/groups", nadia)
    ranked = get(client, "/api/network/rank?top=10", nadia)
    apart = [(a["id"], b["id"]) for a in ranked for b in ranked if a["id"] < b["id"]]
    judged = None
    for left, right in apart:
        made = client.post("/api/judgements", headers=bruno, json={
            "left": left, "right": right, "verdict": "same", "reason": "BF thinks so"})
        if made.status_code == 200:
            judged = (left, right)
            break
    assert judged, "Border Force sees two of NCA's ranked people"
    assert client.post("/api/resolve", headers=nadia).status_code == 200
    left_entity = get(client, f"/api/entities/{judged[0]}", nadia)
    assert judged[1] not in left_entity["records"]
    assert get(client, "/api/network/groups", nadia) == before
    assert {j["user"] for j in get(client, "/api/judgements?all=true", nadia)} <= {"nadia"}



def test_undo_through_the_api_is_the_agencys_own(
        client: TestClient, nadia: dict[str, str], bruno: dict[str, str]) -> None:
    queue = get(client, "/api/review?limit=1", nadia)
    body = {"left": queue[0]["left"], "right": queue[0]["right"], "verdict": "different",
            "reason": "NCA keeps them apart"}
    made = client.post("/api/judgements", json=body, headers=nadia).json()
    refused = client.post(f"/api/judgements/{made['id']}/undo", headers=bruno,
                          json={"reason": "BF undoes NCA's"})
    assert refused.status_code == 404 and "no active judgement" in refused.text
    assert client.post(f"/api/judgements/{made['id']}/undo", headers=nadia,
                       json={"reason": ""}).status_code == 422
    undone = client.post(f"/api/judgements/{made['id'][:10]}/undo", headers=nadia,
                         json={"reason": "second look"})
    assert undone.status_code == 200, undone.text
    assert undone.json()["undo_reason"] == "second look"
    active = {j["id"] for j in get(client, "/api/judgements", nadia)}
    assert made["id"] not in active
    again = client.post(f"/api/judgements/{made['id']}/undo", headers=nadia,
                        json={"reason": "twice"})
    assert again.status_code == 404
