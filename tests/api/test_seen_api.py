"""`GET /api/entities/{id}`: when the records say an entity was active (`active_first`,
`active_last`, `active_events`), apart from when its statements were ingested
(`first_seen`, `last_seen`); issue 19, "Seen shows the time of ingest"."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from test_api import RAWAND, REBIN, get

from pinchpoint.api.entities import ACTIVITY_SCHEMATA
from pinchpoint.api.picture import EVENT_SCHEMATA
from pinchpoint.model.owned import owned_id

pytest_plugins = ["api_fixtures"]
CROSSING = owned_id("BORDER-FORCE", "7f9d8ecba67fefdd0838b677b71b4bdf11e72f73")  # CX-2024-0412


def _amanj(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    [hit] = [h for h in get(client, "/api/search?q=Amanj%20Hassan%20Zada", headers)
             if h["label"] == "Amanj Hassan Zada"][:1]
    found: dict[str, Any] = get(client, f"/api/entities/{hit['id']}", headers)
    return found


def test_active_dates_are_the_payments_not_the_birth_date(
        client: TestClient, nadia: dict[str, str]) -> None:
    found = _amanj(client, nadia)
    # Three payments of the example ledger name him (2 March to 7 March 2024); his
    # birthDate (1984-07-01) is a fact about him, not activity, and does not count.
    assert any(s["prop"] == "birthDate" for s in found["statements"])
    assert (found["active_first"], found["active_last"]) == ("2024-03-02", "2024-03-07")
    assert found["active_events"] == 3
    # The ingest times stay, under their own names: timestamps, not days of activity.
    assert found["first_seen"] and found["last_seen"]
    assert found["first_seen"] != found["active_first"]


def test_events_of_the_readers_own_view(client: TestClient, nadia: dict[str, str],
                                        bruno: dict[str, str]) -> None:
    """Rawand Aziz piloted Border Force's crossing of 12 April 2024, shared with NCA;
    Rebin's payments and messages are NCA's alone."""
    for who in (nadia, bruno):
        found = get(client, f"/api/entities/{RAWAND}", who)
        assert (found["active_first"], found["active_last"], found["active_events"]) == (
            "2024-04-12", "2024-04-12", 1)
    rebin = get(client, f"/api/entities/{REBIN}", nadia)
    assert rebin["active_events"] >= 2 and rebin["active_first"] <= rebin["active_last"]
    assert not rebin["active_first"].startswith("1991")  # his birth date
    get(client, f"/api/entities/{REBIN}", bruno, status=404)


def test_an_events_own_date_counts(client: TestClient, bruno: dict[str, str]) -> None:
    """Crossing CX-2024-0412 (the one Rawand Aziz piloted): dated by itself."""
    found = get(client, f"/api/entities/{CROSSING}", bruno)
    assert found["schema"] == "Crossing"
    assert (found["active_first"], found["active_last"]) == ("2024-04-12", "2024-04-12")
    assert found["active_events"] == 0  # no event names a crossing


def test_undated_entity_says_so(client: TestClient, nadia: dict[str, str]) -> None:
    """A money-service business no dated event names: no activity dates, not 'None'."""
    [hit] = [h for h in get(client, "/api/search?q=Kawa%20Exchange", nadia)
             if h["label"] == "Kawa Exchange"][:1]
    found = get(client, f"/api/entities/{hit['id']}", nadia)
    assert (found["active_first"], found["active_last"], found["active_events"]) == (
        None, None, 0)


def test_the_rule_names_the_timelines_events() -> None:
    assert ACTIVITY_SCHEMATA == EVENT_SCHEMATA
