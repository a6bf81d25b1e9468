"""A group's head is never a victim or witness, nor anyone whose details are withheld from
the caller (issue 19): the groups, their leaders and the key people read who heads a
group as the plan reads who may be a target (`routes_network.never_targets`), not from
the recorded category alone; on both store backends.

The module's world holds Surrey's witness besides the examples (`add_withheld_witness`),
in a group of two with the suspect they paid: nadia sees the witness recorded so, olive
(NCA, OFFICIAL) only that the witness's name is withheld, no category at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_fixtures import login
from api_world import World
from fastapi.testclient import TestClient
from test_api import get
from test_network_fixes_api import SUSPECT, WITNESS, add_withheld_witness

from pinchpoint.api.app import create_app

pytest_plugins = ["api_fixtures"]
WITHHELD_NAMES = ("Wendy Holt", "[redacted]", "withheld")


@pytest.fixture(scope="module")
def client(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over the module's world, Surrey's witness added before it starts."""
    add_withheld_witness(world, tmp_path_factory.mktemp("surrey"))
    with TestClient(create_app(world.workspace.path)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def olive(client: TestClient) -> dict[str, str]:
    return login(client, "olive")


def _suspects_group(client: TestClient, headers: dict[str, str]) -> Any:
    """The group the suspect (and the witness who paid them) is in."""
    found = get(client, "/api/network/groups", headers)["groups"]
    summary = get(client, f"/api/entities/{SUSPECT}", headers)["summary"]["network"]
    return next(g for g in found if g["id"] == summary["group"]["id"])


@pytest.mark.parametrize("user", ["nadia", "olive"])
def test_the_witness_heads_no_group(client: TestClient, user: str,
                                    request: pytest.FixtureRequest) -> None:
    headers: dict[str, str] = request.getfixturevalue(user)
    group = _suspects_group(client, headers)
    assert WITNESS not in group["leaders"] and SUSPECT in group["leaders"], group
    assert not any(name in group["name"] for name in WITHHELD_NAMES), group["name"]
    assert group["name"].startswith("Sam Carver"), group["name"]
    for lead in get(client, "/api/network/leaders", headers):
        members = [m["id"] for m in lead["members"]]
        assert WITNESS not in members, lead
        assert not any(name in lead["name"] for name in WITHHELD_NAMES), lead["name"]
    ours = get(client, f"/api/network/leaders?group={group['id']}", headers)[0]
    assert ours["members"][0]["id"] == SUSPECT
    assert ours["members"][0]["role"] == "kingpin"


@pytest.mark.parametrize("user", ["nadia", "olive"])
def test_key_people_name_no_withheld_head(client: TestClient, user: str,
                                          request: pytest.FixtureRequest) -> None:
    headers: dict[str, str] = request.getfixturevalue(user)
    people = get(client, "/api/network/people?top=1000", headers)["people"]
    suspect = next(p for p in people if p["id"] == SUSPECT)
    assert suspect["head"] and suspect["suggested_role"] == "kingpin", suspect
    assert suspect["group_name"].startswith("Sam Carver"), suspect
    assert all(not any(name in p["group_name"] for name in WITHHELD_NAMES) for p in people)
    witness = get(client, f"/api/entities/{WITNESS}", headers)["summary"]["network"]
    assert witness["protected"] and witness["suggested_role"] is None, witness
