"""`GET /api/entities/{id}`'s `summary`, the profile card's data (issue 19, "Profile
summary card"): names deduplicated with counts, key facts written out (a nationality as a
country's name), the group by name, score, place in the ranking and broker role, and the
links by type, all of what the caller's scope sees."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi.testclient import TestClient
from test_api import RAWAND, REBIN, get

from pinchpoint.api.entities import counted_names, fact_text, name_key

pytest_plugins = ["api_fixtures"]
NAME_PROPS = {"name", "alias", "weakAlias", "previousName"}


def _amanj(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    [hit] = [h for h in get(client, "/api/search?q=Amanj%20Hassan%20Zada", headers)
             if h["label"] == "Amanj Hassan Zada"][:1]
    found: dict[str, Any] = get(client, f"/api/entities/{hit['id']}", headers)
    return found


def _facts(found: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {f["key"]: f["values"] for f in found["summary"]["facts"]}


def test_names_deduplicated_with_counts(client: TestClient, nadia: dict[str, str]) -> None:
    found = _amanj(client, nadia)
    names = found["summary"]["names"]
    given = Counter(s["value"] for s in found["statements"] if s["prop"] in NAME_PROPS)
    # Each name once, counted over every statement that gives it, most given first.
    assert len({name_key(n["value"]) for n in names}) == len(names)
    assert {n["value"]: n["count"] for n in names} == dict(given)
    assert names[0]["value"] == "Amanj Hassan Zada"
    assert [n["count"] for n in names] == sorted((n["count"] for n in names), reverse=True)
    scripts = {n["value"]: n["script"] for n in names}
    assert scripts["أمانج حسن زاده"] == "Arabic" and scripts["Amanj Zaman"] == "Latin"
    # The profile's other fields are as they were (the summary is an addition).
    assert {"id", "schema", "label", "names", "records", "statements", "category",
            "banners", "first_seen", "last_seen"} <= set(found)


def test_key_facts_written_out(client: TestClient, nadia: dict[str, str]) -> None:
    facts = _facts(_amanj(client, nadia))
    [nationality] = facts["nationality"]
    assert (nationality["value"], nationality["text"]) == ("iq", "Iraq")
    assert [v["value"] for v in facts["birthDate"]] == ["1984-07-01"]
    assert [v["value"] for v in facts["phone"]] == ["+9647501234567"]
    # The passport is a record of its own (people_mapping.yaml) that he holds.
    [passport] = facts["document"]
    assert passport["value"] == "A12345678" and passport["kinds"] == ["Passport"]
    assert all(v["count"] >= 1 for values in facts.values() for v in values)


def test_network_standing_matches_the_ranking(client: TestClient,
                                              nadia: dict[str, str]) -> None:
    found = _amanj(client, nadia)
    network = found["summary"]["network"]
    assert network["status"] == "ranked" and not network["protected"]
    ranking = get(client, "/api/network/rank?top=1000", nadia)
    [mine] = [r for r in ranking if r["id"] == found["id"]]
    assert network["rank"] == mine["rank"] and network["ranked"] == len(ranking)
    assert abs(network["score"] - mine["score"]) < 1e-9
    assert network["broker_role"] == mine["broker_role"]
    assert network["suggested_role"] == mine["suggested_role"]
    groups = {g["id"]: g for g in get(client, "/api/network/groups", nadia)["groups"]}
    group = groups[mine["group"]]
    assert network["group"] == {"id": group["id"], "name": group["name"],
                                "size": group["size"]}
    assert not network["group"]["name"].startswith("G")  # a name, not the bare number


def test_links_by_type_are_the_neighbourhoods(client: TestClient,
                                              nadia: dict[str, str]) -> None:
    for entity in (REBIN, _amanj(client, nadia)["id"]):
        found = get(client, f"/api/entities/{entity}", nadia)
        near = get(client, f"/api/entities/{found['id']}/neighbourhood", nadia)
        own = [e for e in near["edges"] if found["id"] in (e["source"], e["target"])]
        links = {x["type"]: x for x in found["summary"]["network"]["links"]}
        assert {t: x["links"] for t, x in links.items()} == dict(
            Counter(e["type"] for e in own))
        for kind, x in links.items():
            assert x["records"] == round(sum(e["weight"] for e in own if e["type"] == kind))
        assert found["summary"]["network"]["linked"] == len(
            {e["source"] if e["target"] == found["id"] else e["target"] for e in own})
    rebin = get(client, f"/api/entities/{REBIN}", nadia)["summary"]["network"]["links"]
    assert {"message", "call", "associate"} <= {x["type"] for x in rebin}


def test_another_agency_sees_only_its_own(client: TestClient, nadia: dict[str, str],
                                          bruno: dict[str, str]) -> None:
    """Border Force's analyst: NCA's people are not found; the pilot Border Force holds
    (shared with NCA) is summed up from Border Force's statements only, and with no
    network standing before Border Force resolves anything."""
    assert client.get(f"/api/entities/{REBIN}", headers=bruno).status_code == 404
    theirs = get(client, f"/api/entities/{RAWAND}", bruno)
    assert {s["owner"] for s in theirs["statements"]} == {"BORDER-FORCE"}
    summary = theirs["summary"]
    assert [(n["value"], n["count"]) for n in summary["names"]] == [("Rawand Aziz", 1)]
    shown = {v["value"] for f in summary["facts"] for v in f["values"]}
    assert shown <= {s["value"] for s in theirs["statements"]}
    assert summary["network"] == {"status": "not resolved"}
    ours = get(client, f"/api/entities/{RAWAND}", nadia)["summary"]
    assert ours["network"]["status"] in ("ranked", "not in the network")


def test_counting_and_writing_out() -> None:
    names = counted_names([("name", "Amanj Hassan Zada"), ("alias", "amanj  hassan zada"),
                           ("name", "Amanj Hassan Zada"), ("alias", "Amanj Zaman")])
    assert [(n["value"], n["count"], n["props"]) for n in names] == [
        ("Amanj Hassan Zada", 3, ["alias", "name"]), ("Amanj Zaman", 1, ["alias"])]
    assert names[0]["spellings"] == ["Amanj Hassan Zada", "amanj  hassan zada"]
    assert fact_text("nationality", "iq") == "Iraq"
    assert fact_text("citizenship", "gb") == "United Kingdom"
    assert fact_text("nationality", "not-a-code") == "not-a-code"
    assert fact_text("phone", "iq") == "iq"
