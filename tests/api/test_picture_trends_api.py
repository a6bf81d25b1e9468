"""The case's own threat picture (issue 19): `GET /api/dashboard`'s `trends` (crossings,
payments, seizures and new people per month, by route and by nationality, partly covered
months flagged) and `GET /api/map`'s dated transit points and seizures for a period, both
from what the caller's scope sees.

The API tests' workspace, with the supply tests' case (two seizures, March and April
2025, at Gravelines beach and "A16 near Calais") held by NCA: Border Force's analyst sees
only Border Force's crossings."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from api_world import World, build
from fastapi.testclient import TestClient
from test_api import get

from pinchpoint.api.trends import months_between, partial_months

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "supply"))

pytest_plugins = ["api_fixtures"]

MEASURES = ("crossings", "payments", "seizures", "people")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, backend: str) -> World:
    from supply_world import case_files

    from pinchpoint.ingest.run import ingest_file
    from pinchpoint.ingest.source import IngestOptions

    found = build(tmp_path_factory.mktemp("api"))
    folder = tmp_path_factory.mktemp("supply")
    for kind, path, _owner in case_files(folder):
        ingest_file(found.workspace, kind, path, IngestOptions(
            owner="NCA", reason="Operation Outboard: the supply of boats and engines"))
    return found


def trends(client: TestClient, headers: dict[str, str]) -> Any:
    return get(client, "/api/dashboard", headers)["trends"]


def test_counts_per_month_add_up_to_the_totals(client: TestClient,
                                              nadia: dict[str, str]) -> None:
    found = trends(client, nadia)
    months = found["months"]
    assert months == months_between(found["first_day"], found["last_day"])
    for key in MEASURES:
        assert len(found["series"][key]) == len(months)
        assert sum(found["series"][key]) + found["earlier"][key] == found["totals"][key]
    for rows, key in ((found["by_route"], "crossings"), (found["by_nationality"], "people")):
        assert sum(r["total"] for r in rows) == found["totals"][key]
        per_month = [sum(r["counts"][i] for r in rows) for i in range(len(months))]
        assert per_month == found["series"][key]
    # the same events the timeline lists
    kinds = get(client, "/api/timeline?limit=1", nadia)["kinds"]
    assert found["totals"]["crossings"] == kinds["Crossing"] == 5
    assert found["totals"]["payments"] == kinds["Payment"] > 0
    assert found["totals"]["seizures"] == kinds["Seizure"] == 2
    assert found["totals"]["people"] > 0
    seized = dict(zip(months, found["series"]["seizures"], strict=True))
    assert seized["2025-03"] == seized["2025-04"] == 1


def test_routes_run_from_launch_to_landing_country(client: TestClient,
                                                   nadia: dict[str, str]) -> None:
    """Gravelines and Wimereux are French in the gazetteer: those crossings are France →
    United Kingdom; Bodrum is not in it, so that crossing's route is its places."""
    routes = {r["name"]: r["total"] for r in trends(client, nadia)["by_route"]}
    assert routes == {"France → United Kingdom": 3, "France → no landing recorded": 1,
                      "Bodrum → Crotone": 1}
    nationalities = {r["key"]: r for r in trends(client, nadia)["by_nationality"]}
    assert nationalities["iq"]["name"] == "Iraq"


def test_partial_months_are_flagged(client: TestClient, nadia: dict[str, str]) -> None:
    found = trends(client, nadia)
    months = found["months"]
    assert found["partial"] == sorted({months[0], months[-1]} |
                                      ({found["current_month"]} & set(months)))
    assert partial_months(["2024-03", "2024-04", "2024-05", "2024-06"], "2024-04") == \
        ["2024-03", "2024-04", "2024-06"]
    assert partial_months(["2024-03", "2024-04"], "2026-01") == ["2024-03", "2024-04"]
    assert partial_months(["2024-03"], "2024-03") == ["2024-03"]
    assert partial_months([], "2024-03") == []


def test_another_agency_sees_only_its_own(client: TestClient, nadia: dict[str, str],
                                          bruno: dict[str, str]) -> None:
    """Border Force holds only the crossings: no payments, no seizures, none of NCA's
    people or months; its map shows no seizure, whatever the period."""
    theirs, ours = trends(client, bruno), trends(client, nadia)
    assert theirs["totals"]["payments"] == theirs["totals"]["seizures"] == 0
    assert theirs["totals"]["crossings"] == 5
    assert theirs["months"] == ["2024-04", "2024-05"] != ours["months"]
    assert theirs["totals"]["people"] < ours["totals"]["people"]
    for key in MEASURES:
        assert sum(theirs["series"][key]) == theirs["totals"][key]
    seen = get(client, "/api/map", bruno)
    assert seen["seizures"] == [] and seen["months"] == ["2024-04", "2024-05"]
    assert get(client, "/api/map?since=2025-03", bruno)["seizures"] == []


def test_the_map_draws_placed_transit_points_and_seizures(client: TestClient,
                                                          nadia: dict[str, str]) -> None:
    whole = get(client, "/api/map", nadia)
    launches = {t["name"]: t for t in whole["transit"] if t["kind"] == "launch"}
    assert launches["Gravelines beach"]["count"] == 2
    assert (launches["Gravelines beach"]["lat"], launches["Gravelines beach"]["lon"]) == \
        (50.99, 2.13)
    assert "Dungeness" not in {t["name"] for t in whole["transit"]}  # not in the gazetteer
    assert whole["unplaced"] > 0
    placed = {s["date"]: (s["lat"], s["lon"]) for s in whole["seizures"]}
    assert placed == {"2025-03-20": (50.99, 2.13), "2025-04-02": (50.95, 1.86)}
    assert whole["months"][0] <= "2024-04" and whole["months"][-1] >= "2025-04"


def test_a_period_filters_what_the_map_draws(client: TestClient,
                                            nadia: dict[str, str]) -> None:
    march = get(client, "/api/map?since=2025-03&until=2025-03", nadia)
    assert [s["date"] for s in march["seizures"]] == ["2025-03-20"]
    assert all(t["first"] >= "2025-03" and t["last"] <= "2025-03-31"
               for t in march["transit"])
    assert "Gravelines beach" not in {t["name"] for t in march["transit"]
                                      if t["kind"] == "launch"}
    spring = get(client, "/api/map?since=2024-04&until=2024-05", nadia)
    assert spring["seizures"] == [] and (spring["since"], spring["until"]) == \
        ("2024-04", "2024-05")
    assert {t["name"] for t in spring["transit"]} >= {"Gravelines beach", "Wimereux"}
    days = get(client, "/api/map?since=2024-04-13&until=2024-04-13", nadia)
    assert {t["name"] for t in days["transit"]} == {"Wimereux"}
    whole = get(client, "/api/map", nadia)
    assert len(spring["routes"]) <= len(whole["routes"])
    assert whole["places"] == spring["places"]  # undated mentions stay whole
    get(client, "/api/map?since=2025-04&until=2025-03", nadia, status=400)
    get(client, "/api/map?since=April", nadia, status=422)
    get(client, "/api/map?until=2025-13", nadia, status=422)
