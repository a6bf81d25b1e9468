"""`POST /api/network/plan/compare` (issue 19, the planner): every strategy's removal
curve and a random baseline on the caller's network, never a victim or witness among
any plan's targets or the random draws; on both store backends.

The module's world has Surrey's witness added (`add_withheld_witness`): nadia sees the
witness recorded so, olive only sees the name withheld and no category at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import numpy as np
import pytest
from api_fixtures import login
from api_world import World
from fastapi.testclient import TestClient
from test_api import get
from test_network_fixes_api import SUSPECT, WITNESS, add_withheld_witness

from pinchpoint.api.app import create_app
from pinchpoint.network import Network, NetworkError
from pinchpoint.network.compare import random_baseline, shielded

pytest_plugins = ["api_fixtures"]

EVERY = ["betweenness", "degree", "katz", "ci", "pagerank", "kpp"]
URL = "/api/network/plan/compare"


@pytest.fixture(scope="module")
def client(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over the module's world, Surrey's witness added before it starts."""
    add_withheld_witness(world, tmp_path_factory.mktemp("surrey"))
    with TestClient(create_app(world.workspace.path)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def olive(client: TestClient) -> dict[str, str]:
    return login(client, "olive")


def _compare(client: TestClient, headers: dict[str, str], status: int = 200,
             **body: Any) -> Any:
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == status, response.text
    return response.json()


def _protected(client: TestClient, headers: dict[str, str]) -> set[str]:
    """Everyone the caller's network marks a victim or witness, around the witness and
    around the examples' biggest part (four hops of the top-ranked person)."""
    top = get(client, "/api/network/rank?top=1", headers)[0]["id"]
    found: set[str] = set()
    for centre, hops in ((SUSPECT, 1), (top, 4)):
        nodes = get(client, f"/api/entities/{centre}/neighbourhood?hops={hops}",
                    headers)["nodes"]
        found |= {n["id"] for n in nodes if n["protected"]}
    return found


@pytest.mark.parametrize("user", ["nadia", "olive"])
def test_every_strategy_and_the_random_baseline(client: TestClient, user: str,
                                                request: pytest.FixtureRequest) -> None:
    headers: dict[str, str] = request.getfixturevalue(user)
    k = 4
    found = _compare(client, headers, k=k, strategies=EVERY, random_runs=10)
    assert [s["strategy"] for s in found["strategies"]] == EVERY
    protected = _protected(client, headers)
    assert WITNESS in protected
    for strategy in found["strategies"]:
        curve = strategy["curve"]
        assert len(curve) == k + 1 and curve[0] == 1.0
        assert all(a >= b for a, b in pairwise(curve))  # never heals
        assert len(strategy["targets"]) == k and strategy["about"]
        assert not set(strategy["targets"]) & protected, strategy["strategy"]
        assert [t["id"] for t in strategy["target_details"]] == strategy["targets"]
    chance = found["random"]
    assert chance["runs"] == 10 and chance["seed"] == 0
    for key in ("mean", "low", "high"):
        assert len(chance[key]) == k + 1 and chance[key][0] == 1.0
    assert all(lo <= mean <= hi for lo, mean, hi in
               zip(chance["low"], chance["mean"], chance["high"], strict=True))
    best = min(s["curve"][k] for s in found["strategies"])
    assert chance["mean"][k] >= best
    assert found["k"] == k and found["lcc_start"] >= 1


def test_the_same_request_gives_the_same_answer(client: TestClient,
                                                nadia: dict[str, str]) -> None:
    """Seeded: the band is reproducible, and kept per scope (the same answer again)."""
    body = {"k": 3, "strategies": ["degree"], "random_runs": 5}
    first = _compare(client, nadia, **body)
    assert _compare(client, nadia, **body) == first
    other = _compare(client, nadia, **body, seed=7)
    assert other["random"]["seed"] == 7 and other["strategies"] == first["strategies"]


def test_rewiring_carries_the_unhealed_curve(client: TestClient,
                                             nadia: dict[str, str]) -> None:
    found = _compare(client, nadia, k=3, strategies=["betweenness"], rewire=True,
                     random_runs=3)
    (plan,) = found["strategies"]
    assert plan["rewire"] is True and len(plan["baseline_curve"]) == 4
    assert found["rewire"] is True and len(found["random"]["mean"]) == 4


def test_bad_requests(client: TestClient, nadia: dict[str, str], aud: dict[str, str]
                      ) -> None:
    assert "unknown strategy" in _compare(client, nadia, 400, strategies=["nonsense"])["detail"]
    assert "unknown mode" in _compare(client, nadia, 400, mode="sideways")["detail"]
    assert "exceeds" in _compare(client, nadia, 400, k=200, strategies=["degree"])["detail"]
    _compare(client, nadia, 422, random_runs=0)
    _compare(client, nadia, 422, strategies=["degree"] * 7)
    _compare(client, nadia, 422, strategies=["x" * 41])
    _compare(client, {}, 401)
    _compare(client, nadia, 400, since="2025-01-02", until="2025-01-01")
    nothing = _compare(client, nadia, k=0, strategies=[], random_runs=1)
    assert nothing["strategies"] == [] and nothing["random"]["mean"] == [1.0]
    raids = _compare(client, nadia, k=4, strategies=["degree", "kpp"], mode="block", block=2,
                     random_runs=2, since="2000-01-01")
    assert [len(p["curve"]) for p in raids["strategies"]] == [5, 5]
    entries = get(client, "/api/audit?action=consultation", aud)
    assert any(URL in e["what"] for e in entries), [e["what"] for e in entries][-5:]


def test_random_baseline_draws_only_those_who_may_be_targeted() -> None:
    """On a star whose centre is a witness, no random draw ever takes the centre: each
    arrest of a leaf cuts the largest part by exactly one."""
    leaves = [f"leaf{i}" for i in range(6)]
    network = Network(["hub", *leaves], np.zeros(6, dtype=np.int64),
                      np.arange(1, 7, dtype=np.int64), np.ones(6),
                      {"category": ["witness"] + [None] * 6})
    found = random_baseline(network, 3, runs=50, seed=1)
    expected = pytest.approx([1.0, 6 / 7, 5 / 7, 4 / 7])
    assert found.low == expected and found.high == expected and found.mean == expected
    with pytest.raises(NetworkError, match="exceeds the 6"):
        random_baseline(network, 7)
    guarded = shielded(network, np.array([False, True] + [False] * 5))
    assert list(guarded.targetable()) == [False, False] + [True] * 5
    assert list(network.targetable()) == [False] + [True] * 6  # the original unchanged
    assert shielded(network, np.zeros(7, dtype=bool)) is network


@pytest.mark.parametrize("user", ["nadia", "olive"])
def test_arresting_everyone_allowed_spares_the_witness(client: TestClient, user: str,
                                                       request: pytest.FixtureRequest) -> None:
    """With k = everyone who may be targeted, every plan and every random draw takes all
    of them: the witness, whose category olive cannot see, is still not among them, and
    every draw leaves what the plans leave."""
    headers: dict[str, str] = request.getfixturevalue(user)
    refused = _compare(client, headers, 400, k=200, strategies=["degree"])["detail"]
    allowed = int(re.search(r"exceeds the (\d+) people", refused).group(1))  # type: ignore[union-attr]
    found = _compare(client, headers, k=allowed, strategies=["degree", "kpp"], random_runs=5)
    for plan in found["strategies"]:
        assert len(plan["targets"]) == allowed and WITNESS not in plan["targets"]
        assert SUSPECT in plan["targets"]
        left = plan["curve"][-1]
        assert found["random"]["low"][-1] == found["random"]["high"][-1] == left


@pytest.mark.parametrize("strategy", ["betweenness", "degree"])
def test_a_single_plan_spares_a_withheld_witness(client: TestClient, olive: dict[str, str],
                                                 strategy: str) -> None:
    """`POST /api/network/plan` proposes no one whose details are withheld from the caller
    (olive cannot see the witness's category, only that the name is withheld)."""
    answer = client.post("/api/network/plan", headers=olive,
                         json={"k": 6, "strategy": strategy})
    assert answer.status_code == 200, answer.text
    assert WITNESS in _protected(client, olive)
    assert WITNESS not in answer.json()["targets"]
