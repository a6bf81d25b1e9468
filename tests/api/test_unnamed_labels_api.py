"""`/api/network/rank` and `/api/entities/{id}/neighbourhood` name a person the records give
no name by the phone number or e-mail their records hold, never by id (issue 19: the
network view listed phone-only contacts by their 40-character id)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from test_api import get

pytest_plugins = ["api_fixtures"]
RAW_ID = re.compile(r"\b[0-9a-f]{40}\b")


def test_ranking_and_neighbourhoods_label_no_one_by_id(client: TestClient,
                                                        nadia: dict[str, str]) -> None:
    ranked = get(client, "/api/network/rank?top=1000", nadia)
    assert ranked and not [r for r in ranked if RAW_ID.search(r["label"])]
    # The example's phone-only contacts are on the ranking, by number.
    assert [r for r in ranked if r["label"].startswith("+")]
    people = {p["id"]: p["label"] for p in get(client, "/api/network/people?top=1000",
                                                 nadia)["people"]}
    assert {r["id"]: r["label"] for r in ranked} == people  # one name for each, both ways
    for row in ranked[:5]:
        nodes = get(client, f"/api/entities/{row['id']}/neighbourhood", nadia)["nodes"]
        assert nodes and not [n for n in nodes if RAW_ID.search(n["label"])], nodes
        assert {n["id"]: n["label"] for n in nodes}[row["id"]] == row["label"]
