"""`network rank` with the business: the money kept and the head-of-group score join
the structural ingredients, and each ranked person carries a suggested role (issue 15)."""

from __future__ import annotations

import numpy as np
import pytest
from test_leaders import signals
from test_leaders import world as group_world

from pinchpoint.network import Link, Network, Node, analyse, rank
from pinchpoint.network.kingpin import BUSINESS, WEIGHTS, WITH_BUSINESS, score_network
from pinchpoint.network.leader_evidence import Signals

BROKERS = [("broker", f"x{k}") for k in range(6)]


def world() -> Network:
    """The test_leaders group, plus a broker bridging it to six outsiders: the broker
    holds the network together, the boss runs the group."""
    inner, _ = group_world()
    links = [Link(inner.ids[int(a)], inner.ids[int(b)], "call")
             for a, b in zip(inner.src, inner.dst, strict=True)]
    links += [Link("broker", "hawala", "call"), Link("broker", "lt2", "call")]
    links += [Link(a, b, "call") for a, b in BROKERS]
    links += [Link(f"x{k}", f"x{(k + 1) % 6}", "call") for k in range(6)]
    nodes = [Node(i, inner.label(k), inner.attribute("category")[k], inner.attribute("role")[k])
             for k, i in enumerate(inner.ids)]
    nodes += [Node("broker", "BROKER", "suspect")]
    nodes += [Node(f"x{k}", f"X{k}", "suspect") for k in range(6)]
    return Network.from_records(links, nodes)


def test_the_boss_ranks_above_the_structure_alone_once_money_and_leadership_count() -> None:
    network = world()
    plain = analyse(network)
    business = analyse(network, signals=signals())
    place = {r.id: r.rank for r in rank(network, business.scores)}
    before = {r.id: r.rank for r in rank(network, plain.scores)}
    assert place["boss"] < before["boss"]
    assert set(business.scores.weights) == set(WITH_BUSINESS)
    assert sum(business.scores.weights.values()) == pytest.approx(1.0)
    assert plain.scores.weights == pytest.approx(WEIGHTS) and not plain.leaders


def test_bosses_and_brokers_are_told_apart_and_victims_never_ranked() -> None:
    network = world()
    result = analyse(network, signals=signals())
    ranked = rank(network, result.scores, None, result.groups.labels(),
                  result.suggested_roles())
    roles = {r.id: r.suggested_role for r in ranked}
    assert roles["boss"] == "kingpin"
    assert roles["hawala"] == "hawaladar"
    assert not {r.id for r in ranked} & {"wit", *(f"m{k}" for k in range(1, 9))}
    entry = next(r for r in ranked if r.id == "boss").to_dict()
    assert set(entry["ingredients"]) >= set(BUSINESS) and entry["suggested_role"] == "kingpin"


def test_an_ingredient_the_data_lacks_is_left_out() -> None:
    network = world()
    no_money = analyse(network, signals=Signals(directed=signals().directed))
    assert "money" not in no_money.scores.weights and "leadership" in no_money.scores.weights
    zero = {"money": np.zeros(network.n), "leadership": np.zeros(network.n)}
    assert set(score_network(network, [None] * network.n, business=zero).weights) == \
        set(WEIGHTS)
    with pytest.raises(ValueError, match="unknown business ingredients"):
        score_network(network, [None] * network.n, business={"luck": np.ones(network.n)})


def test_groups_are_named_after_their_heads_with_the_business() -> None:
    network = world()
    plain, business = analyse(network), analyse(network, signals=signals())
    group = business.groups.groups[business.groups.membership[network.index("boss")]]
    assert group.leaders[0] == "boss" and group.name.startswith("BOSS / ")
    before = plain.groups.groups[plain.groups.membership[network.index("boss")]]
    assert before.leaders[0] != "boss"  # centrality names someone busier
    assert {g.name for g in business.groups.groups} >= {g.name for g in business.leaders}
