"""`/api/match/...`: hit/no-hit between two agencies of one workspace over HTTP (issue 20).

NCA's supervisor makes a filter of NCA's people for the Calais group; PAF's analyst
checks PAF's own people against it (hits on a passport, a phone and a name written in
Arabic script), sees them on the person's hits, asks NCA; NCA's supervisor sees which of
NCA's people match and discloses (PAF then sees NCA's records) or declines. Both audit
logs tell each step; neither side sees the other's ids; a bad file is a 400.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from api_fixtures import login
from api_world import PASSWORD, World
from fastapi.testclient import TestClient

from pinchpoint.access import directory
from pinchpoint.access.journal import open_log
from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.store import init_workspace

pytest_plugins = ["api_fixtures"]

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
HEADER = "ref,full_name,aliases,dob,nationality,category,phone,passport,address\n"
NCA_ROWS = (
    "N1,Amanj Hassan Zada,,1984-07-01,Iraq,suspect,+9647501234567,A12345678,\n"
    "N2,Zeeshan Banghis,,1979,Pakistan,suspect,+923001234567,,\n"
    "N3,Rebin Jalal Karim,,1990-03-02,Iraq,suspect,,,\n"
    "N4,Unrelated Person Here,,1970,Iraq,suspect,+447911123456,B7654321,\n")
PAF_ROWS = (
    "F1,Aman Hasan Zadah,,,Iraq,suspect,,A12345678,\n"
    "F2,Z. Bangash,,,Pakistan,suspect,+92 300 1234567,,\n"
    "F3,ريبين جلال كريم,,1990,Iraq,suspect,,,\n"
    "F4,Someone Else Entirely,,1985,France,suspect,+33612345678,C1111111,\n")
USERS = {"nsup": ("NCA", "supervisor"), "nan": ("NCA", "analyst"),
         "paf": ("PAF-FR", "analyst"), "pafsup": ("PAF-FR", "supervisor"),
         "europa": ("EUROPOL", "analyst")}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, backend: str) -> World:
    """NCA and PAF-FR, both in the Calais group, each holding its own people; Europol
    outside the group."""
    root = tmp_path_factory.mktemp("matching")
    workspace = init_workspace(root / "ws", agency="NCA")
    with workspace.open_store() as store:
        directory.add_agency(store.con, "PAF-FR", "Police aux frontières")
        directory.add_agency(store.con, "EUROPOL")
        for agency in ("NCA", "PAF-FR"):
            directory.add_to_group(store.con, "calais", agency)
        for name, (agency, role) in USERS.items():
            directory.add_user(store.con, name, agency, role, "SECRET", PASSWORD)
    for agency, rows in (("NCA", NCA_ROWS), ("PAF-FR", PAF_ROWS)):
        people = root / f"{agency}.csv"
        people.write_text(HEADER + rows, encoding="utf-8")
        ingest_file(workspace, "table", people, IngestOptions(
            source=f"{agency.lower()}-nominals", owner=agency,
            mapping=EXAMPLES / "people_mapping.yaml", reason="matching API test"))
    return World(workspace)


@pytest.fixture(scope="module")
def users(client: TestClient) -> dict[str, dict[str, str]]:
    return {name: login(client, name) for name in USERS}


def call(client: TestClient, method: str, path: str, headers: dict[str, str],
         status: int = 200, **kwargs: Any) -> Any:
    response = client.request(method, path, headers=headers, **kwargs)
    assert response.status_code == status, (method, path, response.text)
    return response.json() if response.headers.get("content-type", "").startswith(
        "application/json") else response.content


@pytest.fixture(scope="module")
def checked(client: TestClient, users: dict[str, dict[str, str]]) -> dict[str, Any]:
    """NCA's filter, checked by PAF's analyst: the check's answer."""
    data = call(client, "POST", "/api/match/filter", users["nsup"],
                json={"group": "calais", "reason": "Calais Group hit/no-hit"})
    assert isinstance(data, bytes) and data[:2] == b"PK"
    found: dict[str, Any] = call(client, "POST", "/api/match/check", users["paf"],
                                 files={"file": ("nca.filter", data)},
                                 data={"reason": "checking NCA's filter"})
    return found


def _by_label(found: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {h["label"]: h for h in found["hits"]}


def test_a_check_finds_the_people_both_hold(checked: dict[str, Any]) -> None:
    assert checked["sender"] == "NCA" and checked["group"] == "calais"
    hits = _by_label(checked)
    assert set(hits) == {"Aman Hasan Zadah", "Z. Bangash", "ريبين جلال كريم"}
    assert hits["Aman Hasan Zadah"]["kinds"] == ["document"]
    assert hits["Aman Hasan Zadah"]["grade"] == "strong"
    assert hits["Z. Bangash"]["kinds"] == ["phone"]
    assert hits["ريبين جلال كريم"]["kinds"] == ["name"]


def test_groups(client: TestClient, users: dict[str, dict[str, str]]) -> None:
    assert call(client, "GET", "/api/match/groups", users["paf"]) == [
        {"group": "calais", "members": [{"agency": "NCA", "name": "NCA"}]}]
    assert call(client, "GET", "/api/match/groups", users["europa"]) == []


def test_hits_on_a_profile_and_in_the_list(client: TestClient, checked: dict[str, Any],
                                           users: dict[str, dict[str, str]]) -> None:
    entity = _by_label(checked)["Z. Bangash"]["entity"]
    (hit,) = call(client, "GET", f"/api/match/hits?entity={entity}", users["paf"])
    assert hit["sender"] == "NCA" and hit["kinds"] == ["phone"] and hit["grade"] == "medium"
    assert {"sender", "group", "kinds", "strength", "grade", "checked_at"} <= set(hit)
    assert not {"tokens", "entity"} & set(hit)
    everything = call(client, "GET", "/api/match/hits", users["paf"])
    assert {h["label"] for h in everything} >= {"Z. Bangash", "Aman Hasan Zadah"}
    assert all("tokens" not in h for h in everything)
    # NCA holds no hit of its own (it made the filter), nor does Europol.
    assert call(client, "GET", f"/api/match/hits?entity={entity}", users["nan"]) == []
    assert call(client, "GET", "/api/match/hits", users["europa"]) == []


def _entries(world: World, agency: str, request_id: str) -> list[Any]:
    with open_log(world.workspace.path) as log:
        return [e for e in log.entries(agency) if request_id in e.what]


def test_request_disclosed_grants_the_matched_people(
        client: TestClient, world: World, checked: dict[str, Any],
        users: dict[str, dict[str, str]]) -> None:
    entity = _by_label(checked)["Aman Hasan Zadah"]["entity"]
    sent = call(client, "POST", "/api/match/requests", users["paf"],
                json={"to": "NCA", "entities": [entity], "reason": "Operation Kite: who is F1"})
    assert sent["side"] == "sent" and sent["status"] == "open" and sent["owner"] == "NCA"
    (item,) = sent["items"]
    assert item["entity"]["id"] == entity
    assert item["entity"]["label"] == "Aman Hasan Zadah" and "matches" not in item
    assert "file" not in sent  # NCA is in this workspace: it sees the request at once

    received = [r for r in call(client, "GET", "/api/match/requests", users["nsup"])
                if r["id"] == sent["id"]]
    (row,) = received
    assert row["side"] == "received" and row["matched"] == 1
    (item,) = row["items"]
    assert "entity" not in item  # never PAF's id
    (match,) = item["matches"]
    assert match["label"] == "Amanj Hassan Zada"
    nca_person = match["id"]
    assert entity not in str(row) and nca_person not in str(sent)
    call(client, "GET", f"/api/entities/{nca_person}", users["paf"], status=404)

    # An analyst may not answer; the supervisor discloses.
    call(client, "POST", f"/api/match/requests/{sent['id']}/answer", users["nan"],
         status=403, json={"disclose": True, "reason": "JIT agreed"})
    done = call(client, "POST", f"/api/match/requests/{sent['id']}/answer", users["nsup"],
                json={"disclose": True, "reason": "JIT Kite agreed"})
    assert done["status"] == "disclosed" and done["shared"]["sources"] == ["nca-nominals"]
    mine = [r for r in call(client, "GET", "/api/match/requests", users["paf"])
            if r["id"] == sent["id"]]
    assert mine[0]["status"] == "disclosed" and mine[0]["decision_reason"] == "JIT Kite agreed"
    shared = call(client, "GET", f"/api/entities/{nca_person}", users["paf"])
    assert shared["label"] == "Amanj Hassan Zada"
    # Answered once only.
    again = call(client, "POST", f"/api/match/requests/{sent['id']}/answer", users["nsup"],
                 status=400, json={"disclose": False, "reason": "changed our mind"})
    assert "already" in again["detail"]

    for agency, actions in (("PAF-FR", {"disclosure", "collection"}),
                            ("NCA", {"collection", "disclosure"})):
        about = _entries(world, agency, sent["id"])
        assert {e.action for e in about} == actions, (agency, about)
        assert len(about) == 2, (agency, about)  # the request and the answer
    (asked,) = [e for e in _entries(world, "PAF-FR", sent["id"]) if e.action == "disclosure"]
    assert asked.why == "Operation Kite: who is F1" and asked.recipients == ("NCA",)


def test_request_declined(client: TestClient, world: World, checked: dict[str, Any],
                          users: dict[str, dict[str, str]]) -> None:
    entity = _by_label(checked)["Z. Bangash"]["entity"]
    sent = call(client, "POST", "/api/match/requests", users["paf"],
                json={"to": "NCA", "entities": [entity], "reason": "who uses this phone"})
    done = call(client, "POST", f"/api/match/requests/{sent['id']}/answer", users["nsup"],
                json={"disclose": False, "reason": "live operation, cannot share yet"})
    assert done["status"] == "declined" and done["shared"] is None
    mine = {r["id"]: r for r in call(client, "GET", "/api/match/requests", users["paf"])}
    assert mine[sent["id"]]["status"] == "declined"
    assert mine[sent["id"]]["decision_reason"] == "live operation, cannot share yet"
    assert {e.action for e in _entries(world, "NCA", sent["id"])} == {"collection",
                                                                      "alteration"}
    assert {e.action for e in _entries(world, "PAF-FR", sent["id"])} == {"disclosure",
                                                                         "collection"}


def test_nobody_else_sees_a_request(client: TestClient, checked: dict[str, Any],
                                    users: dict[str, dict[str, str]]) -> None:
    sent = call(client, "POST", "/api/match/requests", users["paf"],
                json={"to": "NCA", "reason": "every hit"})
    assert len(sent["items"]) == 3
    assert sent["id"] not in str(call(client, "GET", "/api/match/requests", users["europa"]))
    assert call(client, "GET", "/api/match/requests", users["europa"]) == []
    call(client, "POST", f"/api/match/requests/{sent['id']}/answer", users["pafsup"],
         status=400, json={"disclose": True, "reason": "not ours"})  # PAF is the requester


def test_refusals_are_400_or_403_never_500(client: TestClient, checked: dict[str, Any],
                                           users: dict[str, dict[str, str]]) -> None:
    for name, data in (("junk.filter", b"not a zip at all"), ("empty.filter", b""),
                       ("fake.zip", b"PK\x03\x04" + b"\x00" * 60)):
        found = call(client, "POST", "/api/match/check", users["paf"], status=400,
                     files={"file": (name, data)}, data={"reason": "a bad file"})
        assert isinstance(found["detail"], str)
        call(client, "POST", "/api/match/receive", users["paf"], status=400,
             files={"file": (name, data)}, data={"reason": "a bad file"})
    # PAF may not check its own agency's filter; an analyst may not make one.
    own = call(client, "POST", "/api/match/filter", users["pafsup"],
               json={"group": "calais", "reason": "PAF's filter"})
    refused = call(client, "POST", "/api/match/check", users["pafsup"], status=400,
                   files={"file": ("paf.filter", own)}, data={"reason": "own"})
    assert "your own agency" in refused["detail"]
    call(client, "POST", "/api/match/filter", users["paf"], status=403,
         json={"group": "calais", "reason": "an analyst tries"})
    call(client, "POST", "/api/match/filter", users["nsup"], status=400,
         json={"group": "no-such-group", "reason": "not a member"})
    call(client, "POST", "/api/match/filter", users["nsup"], status=400,
         json={"group": "calais", "kinds": ["shoe-size"], "reason": "bad kind"})
    # Europol is in no group with NCA: the filter is refused, nothing stored.
    nca = call(client, "POST", "/api/match/filter", users["nsup"],
               json={"group": "calais", "reason": "again"})
    call(client, "POST", "/api/match/check", users["europa"], status=400,
         files={"file": ("nca.filter", nca)}, data={"reason": "not a member"})
    call(client, "POST", "/api/match/requests", users["europa"], status=400,
         json={"to": "NCA", "reason": "no hit"})
    call(client, "POST", "/api/match/requests/no-such/answer", users["nsup"], status=400,
         json={"disclose": False, "reason": "none"})
    call(client, "GET", "/api/match/requests", {}, status=401)
