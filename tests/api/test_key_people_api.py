"""`GET /api/network/people`: the kingpin ranking joined with the groups' names and their
heads in one answer, for the workbench's Key people table (issue 19).

The module's world holds Surrey's witness besides the examples (`add_withheld_witness`):
nadia sees the witness recorded so, olive (NCA, OFFICIAL) only its name withheld; neither
finds it among the people.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from api_fixtures import login
from api_world import World
from fastapi.testclient import TestClient
from test_api import get
from test_network_fixes_api import SUSPECT, WITNESS, add_withheld_witness

from pinchpoint.api import routes_network
from pinchpoint.api.app import create_app

pytest_plugins = ["api_fixtures"]
GROUP_NUMBER = re.compile(r"^G\d+$")
RAW_ID = re.compile(r"\b[0-9a-f]{40}\b")


@pytest.fixture(scope="module")
def client(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over the module's world, Surrey's witness added before it starts."""
    add_withheld_witness(world, tmp_path_factory.mktemp("surrey"))
    with TestClient(create_app(world.workspace.path)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def olive(client: TestClient) -> dict[str, str]:
    return login(client, "olive")


def test_people_join_the_ranking_groups_and_heads(client: TestClient,
                                                   nadia: dict[str, str]) -> None:
    found = get(client, "/api/network/people?top=1000", nadia)
    people = found["people"]
    ranked = get(client, "/api/network/rank?top=1000", nadia)
    assert [p["id"] for p in people] == [r["id"] for r in ranked]
    assert [p["rank"] for p in people] == list(range(1, len(people) + 1))
    assert found["total"] == len(ranked) and found["weights"]
    groups = {g["id"]: g for g in get(client, "/api/network/groups", nadia)["groups"]}
    leaders = {g["group"]: g for g in get(client, "/api/network/leaders", nadia)}
    roles = {m["id"]: m["role"] for g in leaders.values() for m in g["members"]}
    for person, row in zip(people, ranked, strict=True):
        assert person["ingredients"] == row["ingredients"] and person["score"] == row["score"]
        assert person["broker_role"] == row["broker_role"]
        group = groups[person["group"]]
        assert person["group_size"] == group["size"]
        assert not GROUP_NUMBER.match(person["group_name"]), person  # named after people
        # Named as the groups are, but never by id: a phone-only contact by their number.
        assert person["group_name"] == group["name"] or RAW_ID.search(group["name"])
        assert person["group_name"].count(" / ") == group["name"].count(" / ")
        assert not RAW_ID.search(person["group_name"]) and not RAW_ID.search(person["label"])
        if person["label"] != row["label"]:
            assert row["label"] == row["id"] and person["label"].startswith("+"), person
        assert person["suggested_role"] == roles.get(person["id"])
        lead = leaders.get(person["group"])
        assert person["head"] == bool(lead and lead["members"][0]["id"] == person["id"])
    heads = [p for p in people if p["head"]]
    assert heads and all(p["suggested_role"] == "kingpin" and p["why"] for p in heads)
    # A group is named after its head, who is listed (victims and witnesses never head one).
    assert all(p["group_name"].startswith(p["label"]) for p in heads)
    top = get(client, "/api/network/people?top=3", nadia)
    assert top["people"] == people[:3] and top["total"] == found["total"]


@pytest.mark.parametrize("user", ["nadia", "olive"])
def test_no_victim_or_witness_is_listed(client: TestClient, user: str,
                                        request: pytest.FixtureRequest) -> None:
    headers: dict[str, str] = request.getfixturevalue(user)
    found = get(client, "/api/network/people?top=1000", headers)
    listed = {p["id"] for p in found["people"]}
    assert WITNESS not in listed and SUSPECT in listed
    nodes = get(client, f"/api/entities/{SUSPECT}/neighbourhood?hops=4", headers)["nodes"]
    protected = {n["id"] for n in nodes if n["protected"]}
    assert WITNESS in protected and not protected & listed
    labels = {p["label"] for p in found["people"]}
    assert not labels & {"Shirin Ahmadi", "Karwan Jalal", "Wendy Holt", "[redacted]"}


def test_made_once_per_scope_until_the_next_write(client: TestClient, nadia: dict[str, str],
                                                  olive: dict[str, str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[int] = []
    people = routes_network._people

    def counted(*args: Any) -> dict[str, Any]:
        made.append(args[2])
        return people(*args)

    monkeypatch.setattr(routes_network, "_people", counted)
    first = get(client, "/api/network/people?top=7", nadia)
    assert get(client, "/api/network/people?top=7", nadia) == first
    assert made == [7]
    get(client, "/api/network/people?top=7", olive)  # another scope: its own answer
    assert made == [7, 7]
    get(client, "/api/network/people?top=8", nadia)
    assert made == [7, 7, 8]


def test_refusals_and_every_read_logged(client: TestClient, bruno: dict[str, str],
                                        nadia: dict[str, str], aud: dict[str, str]) -> None:
    refused = get(client, "/api/network/people", bruno, status=409)  # not resolved
    assert "resolve" in refused["detail"]
    get(client, "/api/network/people?top=0", nadia, status=422)
    get(client, "/api/network/people?top=1001", nadia, status=422)
    get(client, "/api/network/people", {}, status=401)
    get(client, "/api/network/people?top=5", {**nadia, "X-Purpose": "key people check"})
    logged = [(e["what"], e["why"]) for e in get(client, "/api/audit?action=consultation", aud)]
    assert any("/api/network/people" in what and why == "key people check"
               for what, why in logged)


def test_groups_are_named_without_ids(client: TestClient, nadia: dict[str, str]) -> None:
    """`/api/network/groups` names a group after its heads as Key people does: a head the
    records give no name by their phone number, never by id."""
    groups = get(client, "/api/network/groups", nadia)["groups"]
    assert groups and not [g["name"] for g in groups if RAW_ID.search(g["name"])]
    people = get(client, "/api/network/people?top=1000", nadia)["people"]
    assert {p["group_name"] for p in people if p["group_name"]} <= {g["name"] for g in groups}
