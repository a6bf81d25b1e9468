"""The head of every group on a small hand-made world: the boss is insulated, ends up
with the group's money and gives the orders; the hawaladar moves the money but keeps
little; the recruiters meet the migrants. Centrality alone names the hawaladar."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from pinchpoint.network import Link, Network, NetworkError, Node
from pinchpoint.network.groups import Group, Groups
from pinchpoint.network.leader_evidence import Signals
from pinchpoint.network.leader_measures import command, trophic_levels
from pinchpoint.network.leaders import ROLES, leaders

MIGRANTS = [f"m{k}" for k in range(1, 9)]
CALLS = [("boss", "lt1"), ("boss", "lt2"), ("boss", "hawala"), ("lt1", "rec1"),
         ("lt1", "rec2"), ("lt2", "driver"), *(("m" + str(k), "rec1") for k in range(1, 5)),
         *(("m" + str(k), "rec2") for k in range(5, 9))]
PAYMENTS = [*((m, "hawala", 1000.0) for m in MIGRANTS), ("hawala", "boss", 7000.0),
            ("hawala", "lt1", 300.0), ("hawala", "lt2", 300.0)]


def world() -> tuple[Network, Groups]:
    people = ["boss", "lt1", "lt2", "hawala", "rec1", "rec2", "driver"]
    nodes = [Node(p, p.upper(), "suspect", "driver" if p == "driver" else None)
             for p in people]
    nodes += [Node(m, m.upper(), "victim") for m in MIGRANTS]
    nodes.append(Node("wit", "WITNESS", "witness"))
    links = [Link(a, b, "call") for a, b in CALLS]
    links += [Link(a, b, "payment") for a, b, _ in PAYMENTS]
    links += [Link("wit", "rec1", "call"), Link("wit", "hawala", "call")]
    network = Network.from_records(links, nodes)
    group = Group("G1", "one", network.n, [], [], [], list(network.ids))
    return network, Groups(np.zeros(network.n, dtype=np.int64), [group], 0.0, 0)


def signals() -> Signals:
    found = Signals(directed=Counter(CALLS), currency="GBP")
    for payer, beneficiary, amount in PAYMENTS:
        found.pay(payer, beneficiary, amount)
    return found


def test_the_boss_heads_the_group_and_the_hawaladar_is_a_cashier() -> None:
    network, groups = world()
    [found] = leaders(network, groups, signals())
    roles = {m.id: m.role for m in found.members}
    assert found.members[0].id == "boss" and roles["boss"] == "kingpin"
    assert roles["hawala"] == "hawaladar"
    assert roles["rec1"] == roles["rec2"] == "recruiter"
    assert roles["lt1"] == roles["lt2"] == "lieutenant"
    assert set(roles.values()) <= set(ROLES)
    assert found.used == ["money", "direction", "insulation", "centrality"]
    head = found.members[0].why
    assert "keeps 7,000 GBP" in head and "9 victims or witnesses through others" in head
    assert "cashier" in next(m.why for m in found.members if m.id == "hawala")


def test_centrality_alone_names_the_hawaladar() -> None:
    network, groups = world()
    [found] = leaders(network, groups, signals(), weights={"centrality": 1.0})
    assert found.members[0].id != "boss"


def test_victims_and_witnesses_never_get_a_role() -> None:
    network, groups = world()
    for found in (leaders(network, groups, signals())[0], leaders(network, groups)[0]):
        listed = {m.id for m in found.members}
        assert not listed & {*MIGRANTS, "wit"}
        # Without money or direction (the second run) nothing shows a facilitator.
        assert all(m.role in ROLES or m.role is None for m in found.members)


def test_a_member_with_no_part_in_the_business_gets_no_role() -> None:
    """A migrant no source gave a category (so listed) who pays nobody and starts no
    contact is given no role, never a criminal one."""
    network, _ = world()
    nodes = [Node(i, network.label(k), network.attribute("category")[k],
                  network.attribute("role")[k]) for k, i in enumerate(network.ids)]
    nodes.append(Node("unknown", "UNKNOWN", None))
    links = [Link(a, b, "call") for a, b in CALLS]
    links += [Link(a, b, "payment") for a, b, _ in PAYMENTS]
    links.append(Link("unknown", "rec1", "associate"))
    bigger = Network.from_records(links, nodes)
    group = Group("G1", "one", bigger.n, [], [], [], list(bigger.ids))
    [found] = leaders(bigger, Groups(np.zeros(bigger.n, dtype=np.int64), [group], 0.0, 0),
                      signals())
    unknown = next(m for m in found.members if m.id == "unknown")
    assert unknown.role is None and unknown.why.startswith("no role suggested")


def test_without_money_or_direction_the_order_is_centrality_and_why_says_so() -> None:
    network, groups = world()
    [found] = leaders(network, groups)
    assert found.used == ["insulation", "centrality"]
    assert all("no money or call direction in this group's data" in m.why
               for m in found.members)
    [plain] = leaders(network, groups, weights={"centrality": 1.0})
    assert plain.members[0].id == "hawala"  # the busiest: tied to every migrant


def test_one_group_and_bad_names() -> None:
    network, groups = world()
    assert [g.group for g in leaders(network, groups, group="G1")] == ["G1"]
    with pytest.raises(NetworkError, match="no group 'G9'"):
        leaders(network, groups, group="G9")
    with pytest.raises(ValueError, match="unknown leadership ingredients"):
        leaders(network, groups, weights={"fame": 1.0})


def test_trophic_levels_of_a_chain_and_a_star() -> None:
    chain = [(0, 1, 1.0), (1, 2, 1.0)]
    assert np.allclose(trophic_levels(3, chain), [0, 1, 2])
    assert np.allclose(command(trophic_levels(3, chain), chain), [2, 1, 0])
    star = [(0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0)]
    levels = trophic_levels(5, star)
    assert np.allclose(levels[:4], [0, 1, 1, 1]) and np.isnan(levels[4])
