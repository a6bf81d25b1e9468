"""`GET /api/timeline`, filtered on the server (issue 19): by party (the events naming
any record resolved into the party's entity), kind and period, a page at a time with the
total, through the caller's scope."""

from __future__ import annotations

from typing import Any

from api_world import World
from fastapi.testclient import TestClient
from test_api import REBIN, get

pytest_plugins = ["api_fixtures"]


def everything(client: TestClient, headers: dict[str, str], query: str = "") -> list[Any]:
    """Every event the filter matches, read a page of 7 at a time."""
    items: list[Any] = []
    while True:
        page = get(client, f"/api/timeline?limit=7&offset={len(items)}{query}", headers)
        items += page["items"]
        if not page["items"]:
            assert len(items) == page["total"]
            return items


def test_pages_add_up_to_the_whole(client: TestClient, nadia: dict[str, str]) -> None:
    whole = get(client, "/api/timeline?limit=10000", nadia)
    assert set(whole) >= {"total", "offset", "limit", "items", "kinds", "labels", "party"}
    assert whole["party"] is None and whole["offset"] == 0
    assert whole["total"] == len(whole["items"]) == sum(whole["kinds"].values()) > 7
    assert everything(client, nadia) == whole["items"]
    days = [(e["date"], e["id"]) for e in whole["items"]]
    assert days == sorted(days)
    page = get(client, "/api/timeline?limit=3&offset=4", nadia)
    assert page["items"] == whole["items"][4:7] and page["total"] == whole["total"]
    named = {p for e in page["items"] for p in e["parties"]}
    assert named and named <= set(page["labels"])  # a name for each party shown
    assert get(client, f"/api/timeline?offset={whole['total']}", nadia)["items"] == []


def test_a_party_gets_its_events_only_and_all_of_them(client: TestClient,
                                                       nadia: dict[str, str]) -> None:
    whole = get(client, "/api/timeline?limit=10000", nadia)["items"]
    mine = [e for e in whole if REBIN in e["parties"]]
    found = get(client, f"/api/timeline?party={REBIN}&limit=2", nadia)
    assert found["total"] == len(mine) == 10 and found["party"] == REBIN
    assert found["kinds"] == {"Call": 5, "Message": 5}
    assert "Rebin" in found["labels"][REBIN]
    assert everything(client, nadia, f"&party={REBIN}") == mine
    get(client, "/api/timeline?party=no-such-entity", nadia, status=404)


def test_a_party_covers_every_record_resolved_into_it(client: TestClient,
                                                      nadia: dict[str, str]) -> None:
    """Judged the same person, the phone's Rebin Hama Ali and the ledger's Rebin Ali have
    one timeline: the phone's calls and messages and the ledger's payments, asked for by
    either record's id."""
    ledger = next(h["id"] for h in get(client, "/api/search?q=Rebin%20Ali", nadia)
                  if "Rebin Ali" in h["names"] and h["id"] != REBIN)
    before = get(client, f"/api/timeline?party={ledger}", nadia)
    paid = before["kinds"]["Payment"]
    assert before["kinds"] == {"Payment": paid} and paid > 0
    judged = client.post("/api/judgements", headers=nadia, json={
        "left": REBIN, "right": ledger, "verdict": "same", "reason": "the same phone"})
    assert judged.status_code == 200, judged.text
    both = [get(client, f"/api/timeline?party={p}", nadia) for p in (REBIN, ledger)]
    assert both[0] == both[1]
    assert both[0]["total"] == 10 + paid
    assert both[0]["kinds"] == {"Call": 5, "Message": 5, "Payment": paid}
    assert both[0]["party"] in (REBIN, ledger)


def test_kinds_and_periods(client: TestClient, nadia: dict[str, str]) -> None:
    whole = get(client, "/api/timeline?limit=10000", nadia)
    payments = get(client, "/api/timeline?kind=payment", nadia)
    assert payments["total"] == whole["kinds"]["Payment"] > 0
    assert {e["schema"] for e in payments["items"]} == {"Payment"}
    assert payments["kinds"] == whole["kinds"]  # every kind's count, whatever is asked
    talk = get(client, "/api/timeline?kind=Call,message", nadia)
    assert talk == get(client, "/api/timeline?kind=call&kind=MESSAGE", nadia)
    assert talk["total"] == whole["kinds"]["Call"] + whole["kinds"]["Message"]
    refused = client.get("/api/timeline?kind=boat", headers=nadia)
    assert refused.status_code == 400 and "payment" in refused.json()["detail"]

    april = get(client, "/api/timeline?since=2024-04-01&until=2024-04-30", nadia)
    expected = [e for e in whole["items"]
                if e["end"] >= "2024-04-01" and e["date"] <= "2024-04-30"]
    assert april["items"] == expected and 0 < april["total"] < whole["total"]
    assert sum(april["kinds"].values()) == april["total"]
    get(client, "/api/timeline?since=2024-05-01&until=2024-04-01", nadia, status=400)
    get(client, "/api/timeline?since=yesterday", nadia, status=422)
    get(client, "/api/timeline?limit=0", nadia, status=422)
    get(client, "/api/timeline?offset=-1", nadia, status=422)


def test_through_the_callers_scope(client: TestClient, nadia: dict[str, str],
                                   bruno: dict[str, str]) -> None:
    """Border Force sees its crossings only, and NCA's person is no party it can ask for."""
    theirs = get(client, "/api/timeline", bruno)
    assert set(theirs["kinds"]) == {"Crossing"} and theirs["total"] > 0
    assert get(client, "/api/timeline?kind=payment", bruno)["total"] == 0
    refused = client.get(f"/api/timeline?party={REBIN}", headers=bruno)
    assert refused.status_code == 404 and "Rebin" not in refused.text
    assert get(client, f"/api/timeline?party={REBIN}", nadia)["total"] > 0


def test_labels_are_the_same_with_or_without_the_search_index(world: World) -> None:
    """Party labels come from the search index once it is built, else from `briefs`:
    the same either way."""
    from pinchpoint.access import directory
    from pinchpoint.access.entitlements import scope_for
    from pinchpoint.api import cache, search
    from pinchpoint.api.picture import TimelineFilter, timeline

    with world.workspace.open_store() as store:
        scope = scope_for(store.con, directory.reader(store.con, "nadia"))
        cache.clear()
        asked = TimelineFilter(limit=10_000)
        before = timeline(store, scope, asked)
        assert before is not None and "search" not in cache.held(store, scope)
        search.index(store, scope)
        after = timeline(store, scope, asked)
        assert after == before and len(before["labels"]) > 5
        cache.clear()
