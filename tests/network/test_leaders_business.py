"""The head-of-group rule reads the group's own money, the roles the records give, and
never gives a smuggled customer a role (issue 15)."""

from __future__ import annotations

from collections import Counter

import numpy as np
from test_leaders import CALLS, MIGRANTS, PAYMENTS

from pinchpoint.network import Link, Network, Node
from pinchpoint.network.groups import Group, Groups
from pinchpoint.network.leader_evidence import Signals
from pinchpoint.network.leader_measures import recorded
from pinchpoint.network.leaders import leaders

PEOPLE = ["boss", "lt1", "lt2", "hawala", "rec1", "rec2", "driver"]


def world(roles: dict[str, str] | None = None) -> tuple[Network, Groups, Signals]:
    """The test_leaders group (G1) beside a second group (G2) whose lieutenant buys
    boats from G1's supplier for far more than G1's boss takes, and an uncategorised
    customer of G1 who paid a fee into escrow and rang a recruiter."""
    roles = roles or {}
    nodes = [Node(p, p.upper(), "suspect", roles.get(p)) for p in PEOPLE]
    nodes += [Node(m, m.upper(), "victim") for m in MIGRANTS]
    nodes += [Node("supplier", "SUPPLIER", "suspect"), Node("cust", "CUSTOMER", None),
              Node("boss2", "BOSS2", "suspect"), Node("lt3", "LT3", "suspect")]
    links = [Link(a, b, "call") for a, b in CALLS]
    links += [Link(a, b, "payment") for a, b, _ in PAYMENTS]
    links += [Link("supplier", "lt1", "call"), Link("supplier", "driver", "call"),
              Link("cust", "hawala", "payment"), Link("cust", "rec1", "call"),
              Link("lt3", "supplier", "payment"), Link("boss2", "lt3", "call")]
    network = Network.from_records(links, nodes)
    second = {"boss2", "lt3"}
    membership = np.array([1 if i in second else 0 for i in network.ids], dtype=np.int64)
    groups = Groups(membership, [
        Group("G1", "one", int((membership == 0).sum()), [], [], [], []),
        Group("G2", "two", 2, [], [], [], [])], 0.0, 0)
    signals = Signals(directed=Counter([*CALLS, ("cust", "rec1"), ("boss2", "lt3")]),
                      currency="GBP", customers={"cust"})
    for payer, beneficiary, amount in [*PAYMENTS, ("lt3", "supplier", 50_000.0),
                                       ("cust", "hawala", 2_000.0)]:
        signals.pay(payer, beneficiary, amount)
    return network, groups, signals


def test_a_supplier_paid_by_another_group_keeps_none_of_this_groups_money() -> None:
    network, groups, signals = world()
    g1 = leaders(network, groups, signals, group="G1")[0]
    assert g1.members[0].id == "boss"
    supplier = next(m for m in g1.members if m.id == "supplier")
    assert "keeps" not in supplier.why  # its money came from G2, not from this group


def test_a_customer_who_paid_into_escrow_gets_no_role_and_never_heads() -> None:
    network, groups, signals = world()
    g1 = leaders(network, groups, signals, group="G1")[0]
    customer = next(m for m in g1.members if m.id == "cust")
    assert customer.role is None and "paid a fee into escrow" in customer.why
    alone = leaders(network, groups, signals, weights={"direction": 1.0}, group="G1")[0]
    assert alone.members[0].id != "cust"


def test_the_role_the_records_give_counts_and_is_cited() -> None:
    assert list(recorded(["Leader", "organiser of crossings", "chef de réseau", "driver",
                          None, "Bras droit"])) == [1.0, 0.5, 1.0, 0.0, 0.0, 0.5]
    network, groups, signals = world({"lt2": "leader"})
    g1 = leaders(network, groups, signals, weights={"recorded": 1.0}, group="G1")[0]
    assert g1.members[0].id == "lt2" and "recorded as leader" in g1.members[0].why
    assert "recorded" in g1.used
