"""One display name per entity, the same in every answer (issue 19, "People named as
people"): the name the most records state (spellings folded), not the first one seen.

The module's world adds Mercia's Rostami besides the examples: three records resolved
into one person, the first ingested (and first by id, the cluster's canonical record)
naming him "Dara Rostami", the two ingested later "Darius Rostami" and "DARIUS
ROSTAMI" (one name, folded), and a payment to a courier so that he is in the network.
Before, the profile, search, timeline and briefs called him "Dara Rostami" (the first
name read) while the network said "Darius Rostami". Surrey's witness is added too
(`add_withheld_witness`): its name is withheld from NCA.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_fixtures import login
from api_world import PASSWORD, World
from fastapi.testclient import TestClient
from test_api import get
from test_network_fixes_api import WITNESS, add_withheld_witness

from pinchpoint.access import directory
from pinchpoint.api.app import create_app
from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.model.owned import owned_id

pytest_plugins = ["api_fixtures"]
MINORITY, MAJORITY = "Dara Rostami", "Darius Rostami"
ROSTAMI = owned_id("MERCIA", "mc-a-dara")  # the canonical record: first by id
COURIER = owned_id("MERCIA", "mc-courier")
FACTS = {"birthDate": ["1979-05-14"], "passportNumber": ["P7731904"], "nationality": ["ir"]}


def add_rostami(world: World, folder: Path) -> None:
    """Mercia's records of Rostami (the minority name first), shared with NCA. Resolved
    by `add_withheld_witness`, which runs next."""
    first, later = folder / "first.jsonl", folder / "later.jsonl"
    first.write_text(json.dumps({"id": "mc-a-dara", "schema": "Person",
                                 "properties": {"name": [MINORITY], **FACTS}}) + "\n",
                     encoding="utf-8")
    later.write_text("".join(json.dumps(line) + "\n" for line in [
        {"id": "mc-b-darius", "schema": "Person",
         "properties": {"name": [MAJORITY], **FACTS}},
        {"id": "mc-c-darius", "schema": "Person",
         "properties": {"name": ["DARIUS ROSTAMI"], **FACTS}},
        {"id": "mc-d-darius", "schema": "Person",
         "properties": {"name": [MAJORITY], **FACTS}},
        {"id": "mc-courier", "schema": "Person",
         "properties": {"name": ["Tomasz Wren"], "personCategory": ["suspect"]}},
        {"id": "mc-pay", "schema": "Payment",
         "properties": {"payer": ["mc-b-darius"], "beneficiary": ["mc-courier"],
                        "amount": ["900"], "currency": ["GBP"], "date": ["2024-05-01"]}},
    ]), encoding="utf-8")
    reason = "Operation Seagull: Rostami's records"
    ingest_file(world.workspace, "ftm", first,
                IngestOptions(owner="MERCIA", source="mercia-first", reason=reason))
    time.sleep(0.05)  # seen later, whatever the clock's resolution
    ingest_file(world.workspace, "ftm", later,
                IngestOptions(owner="MERCIA", source="mercia-later", reason=reason))
    with world.workspace.open_store() as store:
        directory.add_agency(store.con, "MERCIA", "Mercia Police")
        boss = directory.add_user(store.con, "mcsup", "MERCIA", "supervisor", "SECRET",
                                  PASSWORD)
        directory.grant(store.con, boss, "NCA", "Operation Seagull")


@pytest.fixture(scope="module")
def client(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    add_rostami(world, tmp_path_factory.mktemp("mercia"))
    add_withheld_witness(world, tmp_path_factory.mktemp("surrey"))
    with TestClient(create_app(world.workspace.path)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def olive(client: TestClient) -> dict[str, str]:
    return login(client, "olive")


def _profile(client: TestClient, headers: dict[str, str], entity: str) -> dict[str, Any]:
    found: dict[str, Any] = get(client, f"/api/entities/{entity}", headers)
    return found


def test_the_profile_names_him_by_the_name_most_records_give(
        client: TestClient, nadia: dict[str, str]) -> None:
    found = _profile(client, nadia, ROSTAMI)
    assert found["id"] == ROSTAMI and len(found["records"]) == 4
    assert found["label"] == MAJORITY
    # The card's names: deduplicated as the label's rule folds them, with counts.
    names = {n["value"]: n for n in found["summary"]["names"]}
    assert list(names) == [MAJORITY, MINORITY]
    assert names[MAJORITY]["count"] == 3 and names[MINORITY]["count"] == 1
    assert names[MAJORITY]["spellings"] == ["DARIUS ROSTAMI", MAJORITY]
    # Asked by any of his records, the same person, the same name.
    other = _profile(client, nadia, owned_id("MERCIA", "mc-c-darius"))
    assert (other["id"], other["label"]) == (ROSTAMI, MAJORITY)


def test_search_timeline_and_network_give_the_same_name(client: TestClient,
                                                         nadia: dict[str, str]) -> None:
    hits = {h["id"]: h["label"] for h in get(client, "/api/search?q=Rostami", nadia)}
    assert hits[ROSTAMI] == MAJORITY
    timeline = get(client, f"/api/timeline?party={ROSTAMI}", nadia)
    assert timeline["labels"][ROSTAMI] == MAJORITY and timeline["total"] >= 1
    people = {p["id"]: p["label"]
              for p in get(client, "/api/network/people?top=1000", nadia)["people"]}
    assert people[ROSTAMI] == MAJORITY
    ranked = {r["id"]: r["label"] for r in get(client, "/api/network/rank?top=1000", nadia)}
    assert ranked[ROSTAMI] == MAJORITY
    nodes = {n["id"]: n["label"] for n in get(
        client, f"/api/entities/{COURIER}/neighbourhood", nadia)["nodes"]}
    assert nodes[ROSTAMI] == MAJORITY and nodes[COURIER] == "Tomasz Wren"
    money = get(client, f"/api/money/party/{ROSTAMI}", nadia)
    assert money["label"] == MAJORITY


def test_a_name_withheld_is_said_so_in_every_view(client: TestClient,
                                                   nadia: dict[str, str],
                                                   olive: dict[str, str]) -> None:
    """Surrey's witness's name is withheld from NCA: the profile and the network call
    them what the caller may know they are (nadia may read that they are a witness,
    olive not even that) and whose record it is, never "[redacted]" or an id."""
    for headers, label in ((nadia, "witness (identity withheld, SURREY)"),
                           (olive, "person (identity withheld, SURREY)")):
        assert _profile(client, headers, WITNESS)["label"] == label
        hood = get(client, f"/api/entities/{WITNESS}/neighbourhood", headers)["nodes"]
        assert {n["id"]: n["label"] for n in hood}[WITNESS] == label
