"""The network's answers behind three fixes of issue 19: a path keeps to the link types
asked for, a victim or witness (recorded so, or with their details withheld from the
caller) is never a target, and every node of a neighbourhood carries its broker role.

Besides the examples, Surrey Police holds a witness (the category in a SECRET interview,
the name and a payment to a suspect at OFFICIAL) and shares it with NCA: nadia (SECRET)
sees the category; olive, an NCA analyst cleared OFFICIAL, sees only "[redacted]" where
the name is, and no category at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import permutations
from pathlib import Path
from typing import Any

import pytest
from api_fixtures import login
from api_world import PASSWORD, World
from fastapi.testclient import TestClient
from test_api import REBIN, get

from pinchpoint.access import directory
from pinchpoint.access.entitlements import scope_for
from pinchpoint.api.app import create_app
from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.model.owned import owned_id
from pinchpoint.resolve import resolve

pytest_plugins = ["api_fixtures"]

WITNESS = owned_id("SURREY", "sy-witness")
SUSPECT = owned_id("SURREY", "sy-suspect")
RULE = "victims and witnesses are never targets"


def add_withheld_witness(world: World, folder: Path) -> None:
    """Surrey's witness, shared with NCA; olive (NCA, OFFICIAL) joins; both NCA analysts'
    scopes resolved again (the grant changed what nadia sees)."""
    interview = folder / "interview.jsonl"
    interview.write_text(json.dumps({"id": "sy-witness", "schema": "Person",
                                     "properties": {"personCategory": ["witness"]}}) + "\n",
                         encoding="utf-8")
    payments = folder / "payments.jsonl"
    payments.write_text("".join(json.dumps(line) + "\n" for line in [
        {"id": "sy-witness", "schema": "Person",
         "properties": {"name": ["Wendy Holt"], "phone": ["+447700900123"]}},
        {"id": "sy-suspect", "schema": "Person",
         "properties": {"name": ["Sam Carver"], "personCategory": ["suspect"]}},
        {"id": "sy-payment", "schema": "Payment",
         "properties": {"payer": ["sy-witness"], "beneficiary": ["sy-suspect"],
                        "amount": ["500"], "currency": ["GBP"], "date": ["2024-03-01"]}},
    ]), encoding="utf-8")
    reason = "Operation Seagull: a witness's payment"
    ingest_file(world.workspace, "ftm", interview,
                IngestOptions(owner="SURREY", classification="SECRET", reason=reason))
    ingest_file(world.workspace, "ftm", payments, IngestOptions(owner="SURREY", reason=reason))
    with world.workspace.open_store() as store:
        directory.add_agency(store.con, "SURREY")
        boss = directory.add_user(store.con, "sysup", "SURREY", "supervisor", "SECRET",
                                  PASSWORD)
        directory.grant(store.con, boss, "NCA", "Operation Seagull")
        directory.add_user(store.con, "olive", "NCA", "analyst", "OFFICIAL", PASSWORD)
        for user in ("nadia", "olive"):
            resolve(store, scope_for(store.con, directory.reader(store.con, user)))


@pytest.fixture(scope="module")
def client(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over the module's world, Surrey's witness added before it starts."""
    add_withheld_witness(world, tmp_path_factory.mktemp("surrey"))
    with TestClient(create_app(world.workspace.path)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def olive(client: TestClient) -> dict[str, str]:
    return login(client, "olive")


def _links(client: TestClient, headers: dict[str, str]) -> Any:
    """Everything within four hops of Rebin Hama Ali: the examples' connected network."""
    return get(client, f"/api/entities/{REBIN}/neighbourhood?hops=4", headers)


def _components(edges: list[dict[str, Any]]) -> list[set[str]]:
    """The connected parts of the graph of `edges`."""
    parts: list[set[str]] = []
    for edge in edges:
        ends = {edge["source"], edge["target"]}
        joined = [part for part in parts if part & ends]
        merged = ends.union(*joined)
        parts = [part for part in parts if part not in joined] + [merged]
    return parts


def _types(path: dict[str, Any]) -> set[str]:
    return {link["type"] for hop in path["hops"] for link in hop["links"]}


def test_a_path_over_payments_crosses_only_payments(client: TestClient,
                                                     nadia: dict[str, str]) -> None:
    found = _links(client, nadia)
    payments = [e for e in found["edges"] if e["type"] == "payment"]
    pairs = [(a, b) for part in _components(payments) for a, b in permutations(sorted(part), 2)]
    assert pairs
    shortcut = False  # a pair whose shortest path over every type leaves the payments
    for a, b in pairs:
        (typed,) = get(client, f"/api/network/path?a={a}&b={b}&types=payment", nadia)
        assert typed["nodes"][0] == a and typed["nodes"][-1] == b
        assert _types(typed) == {"payment"}, (a, b, typed["hops"])
        untyped = get(client, f"/api/network/path?a={a}&b={b}", nadia)[0]
        shortcut = shortcut or _types(untyped) != {"payment"}
    assert shortcut, "no pair tests the filter: every shortest path is payments anyway"


def test_a_path_over_types_that_do_not_join_them_is_none(client: TestClient,
                                                          nadia: dict[str, str]) -> None:
    found = _links(client, nadia)
    calls = {n for e in found["edges"] if e["type"] == "call" for n in (e["source"], e["target"])}
    paid = {n for e in found["edges"] if e["type"] == "payment"
            for n in (e["source"], e["target"])}
    a, b = sorted(calls - paid)[0], sorted(paid - calls)[0]
    assert get(client, f"/api/network/path?a={a}&b={b}", nadia)  # over every type: one
    refused = client.get(f"/api/network/path?a={a}&b={b}&types=payment", headers=nadia)
    assert refused.status_code == 404 and "over payment links" in refused.json()["detail"]
    paying = next(e for e in found["edges"] if e["type"] == "payment")
    spaced = get(client, f"/api/network/path?a={paying['source']}&b={paying['target']}"
                 "&types=%20payment,,", nadia)  # written as the neighbourhood's: loosely
    assert _types(spaced[0]) == {"payment"} and len(spaced[0]["hops"]) == 1


def test_every_node_carries_its_broker_role(client: TestClient,
                                             nadia: dict[str, str]) -> None:
    nodes = {n["id"]: n for n in _links(client, nadia)["nodes"]}
    roles = {n["broker_role"] for n in nodes.values()}
    assert roles - {None} and roles <= {None, "coordinator", "gatekeeper", "representative",
                                        "consultant", "liaison"}
    for ranked in get(client, "/api/network/rank?top=50", nadia):
        if ranked["id"] in nodes:
            assert nodes[ranked["id"]]["broker_role"] == ranked["broker_role"]
    assert all(n["broker_role"] is None for n in nodes.values() if n["protected"])


@pytest.mark.parametrize("user", ["nadia", "olive"])
def test_a_witness_is_never_a_target(client: TestClient, user: str,
                                     request: pytest.FixtureRequest) -> None:
    """nadia sees the witness recorded so; olive sees only the name withheld."""
    headers: dict[str, str] = request.getfixturevalue(user)
    found = get(client, f"/api/entities/{SUSPECT}/neighbourhood", headers)
    nodes = {n["id"]: n for n in found["nodes"]}
    assert nodes[WITNESS]["protected"] is True and nodes[WITNESS]["broker_role"] is None
    assert nodes[SUSPECT]["protected"] is False
    assert (nodes[WITNESS]["category"] == "witness") == (user == "nadia")
    for targets in ([WITNESS], [SUSPECT, WITNESS]):
        refused = client.post("/api/network/plan", json={"targets": targets}, headers=headers)
        assert refused.status_code == 400, refused.text
        assert RULE in refused.json()["detail"] and WITNESS in refused.json()["detail"]
    own = client.post("/api/network/plan", json={"targets": [SUSPECT]}, headers=headers)
    assert own.status_code == 200 and own.json()["targets"] == [SUSPECT]
    ranked = get(client, "/api/network/rank?top=1000", headers)
    assert WITNESS not in {r["id"] for r in ranked} and SUSPECT in {r["id"] for r in ranked}
    assert [r["rank"] for r in ranked] == list(range(1, len(ranked) + 1))
