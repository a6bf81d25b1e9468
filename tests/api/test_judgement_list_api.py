"""`GET /api/judgements` as the review page's list of recent judgements reads it: the two
records named as the reader sees them, whether each is still in force, the newest first
with `limit` (issue 19: undo in the workbench)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from test_api import get

pytest_plugins = ["api_fixtures"]


def _judge(client: TestClient, headers: dict[str, str], item: dict[str, Any],
           reason: str) -> dict[str, Any]:
    made = client.post("/api/judgements", headers=headers, json={
        "left": item["left"], "right": item["right"], "verdict": "unsure", "reason": reason})
    assert made.status_code == 200, made.text
    found: dict[str, Any] = made.json()
    return found


def test_recent_judgements_read_as_people_and_say_if_undone(
        client: TestClient, nadia: dict[str, str], bruno: dict[str, str]) -> None:
    first, second = get(client, "/api/review?limit=2", nadia)[:2]
    older = _judge(client, nadia, first, "list test: older")
    newer = _judge(client, nadia, second, "list test: newer")

    # Oldest first without `limit`, as before; newest first with it.
    ids = [j["id"] for j in get(client, "/api/judgements", nadia)]
    assert ids.index(older["id"]) < ids.index(newer["id"])
    recent = get(client, "/api/judgements?limit=2", nadia)
    assert [j["id"] for j in recent] == [newer["id"], older["id"]]
    shown = recent[0]
    assert shown["active"] is True and shown["undone_at"] is None
    assert {shown["left"], shown["right"]} == {second["left"], second["right"]}
    for side in ("left", "right"):
        label, names = shown[f"{side}_label"], second[f"{side}_names"]
        assert label and label != shown[side]
        # the review item's names (its own side may sort first)
        assert not names or label in second["left_names"] + second["right_names"]
    undone = client.post(f"/api/judgements/{newer['id']}/undo", headers=nadia,
                         json={"reason": "list test: second look"})
    assert undone.status_code == 200, undone.text
    assert newer["id"] not in {j["id"] for j in get(client, "/api/judgements?limit=50",
                                                      nadia)}
    [kept] = [j for j in get(client, "/api/judgements?all=true&limit=50", nadia)
              if j["id"] == newer["id"]]
    assert kept["active"] is False and kept["undo_reason"] == "list test: second look"
    assert client.post(f"/api/judgements/{older['id']}/undo", headers=nadia,
                       json={"reason": "list test: done"}).status_code == 200

    # Another agency's list holds none of NCA's judgements, labels or not.
    assert get(client, "/api/judgements?all=true&limit=50", bruno) == []
    get(client, "/api/judgements?limit=0", nadia, status=422)
    get(client, "/api/judgements?limit=1001", nadia, status=422)
