"""`/api/network/leaders`: the head of every group, through the caller's scope."""

from __future__ import annotations

from fastapi.testclient import TestClient
from test_api import get

pytest_plugins = ["api_fixtures"]
ROLES = {"kingpin", "lieutenant", "hawaladar", "recruiter", "driver", "supplier", "broker",
         "facilitator"}


def test_every_group_is_headed_and_explained(client: TestClient, nadia: dict[str, str]
                                             ) -> None:
    found = get(client, "/api/network/leaders", nadia)
    assert found and all(g["members"][0]["role"] == "kingpin" for g in found if g["members"])
    members = [m for g in found for m in g["members"]]
    assert all((m["role"] in ROLES or m["role"] is None) and m["why"] for m in members)
    one = get(client, f"/api/network/leaders?group={found[0]['group']}", nadia)
    assert one == found[:1]


def test_bad_requests_are_refused_and_every_read_is_logged(
        client: TestClient, nadia: dict[str, str], aud: dict[str, str]) -> None:
    refused = get(client, "/api/network/leaders?group=G99", nadia, status=404)
    assert "no group 'G99'" in refused["detail"]
    get(client, "/api/network/leaders", {}, status=401)
    get(client, "/api/network/leaders?group=G1", {**nadia, "X-Purpose": "who leads G1"})
    logged = [(e["what"], e["why"]) for e in get(client, "/api/audit?action=consultation", aud)]
    assert any("/api/network/leaders" in what and why == "who leads G1" for what, why in logged)
