"""Two heads, two groups: a detected group holding two bosses who never deal directly
is split among them; a group with one boss is not (issue 15)."""

from __future__ import annotations

from collections import Counter

import numpy as np

from pinchpoint.network import Link, Network, Node
from pinchpoint.network.coheads import coheads, split_by_heads
from pinchpoint.network.groups import Group, Groups
from pinchpoint.network.leader_evidence import Signals
from pinchpoint.network.leaders import leaders


def cell(boss: str) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str, float]]]:
    """A boss, two lieutenants who collect fees from five migrants each and send him
    the takings; he instructs and pays them."""
    lts = [f"{boss}-lt{k}" for k in (1, 2)]
    migrants = [f"{lt}-m{k}" for lt in lts for k in range(5)]
    calls = [(boss, lt) for lt in lts] + [(lt, m) for lt in lts for m in migrants
                                          if m.startswith(lt)]
    money = [(m, m.rsplit("-", 1)[0], 1_000.0) for m in migrants]
    money += [(lt, boss, 3_500.0) for lt in lts] + [(boss, lt, 300.0) for lt in lts]
    return [boss, *lts, *migrants], calls, money


def world(partners: bool) -> tuple[Network, Groups, Signals]:
    """One detected group: boss A's cell and, with `partners`, boss B's, joined by a
    driver both cells use (Leiden would find them as one)."""
    people, calls, money = cell("A")
    if partners:
        more = cell("B")
        people, calls, money = people + more[0], calls + more[1], money + more[2]
        calls += [("A-lt1", "driver"), ("B-lt2", "driver")]
        people.append("driver")
    victims = {p for p in people if "-m" in p}
    nodes = [Node(p, p.upper(), "victim" if p in victims else "suspect") for p in people]
    links = [Link(a, b, "call") for a, b in calls] + [Link(a, b, "payment")
                                                       for a, b, _ in money]
    network = Network.from_records(links, nodes)
    groups = Groups(np.zeros(network.n, dtype=np.int64),
                    [Group("G1", "one", network.n, [], [], [], [])], 0.0, 0)
    signals = Signals(directed=Counter(calls), currency="GBP")
    for payer, payee, amount in money:
        signals.pay(payer, payee, amount)
    return network, groups, signals


def test_two_bosses_who_never_deal_directly_run_two_groups() -> None:
    network, groups, signals = world(partners=True)
    heads = leaders(network, groups, signals)
    assert {network.ids[i] for i in coheads(network.simple(), network, heads[0])} == {"A", "B"}
    split = split_by_heads(network, groups, heads)
    assert split is not None and len(split.groups) == 2
    label = dict(zip(network.ids, split.labels(), strict=True))
    assert label["A"] != label["B"]
    assert all(label[p] == label["A"] for p in network.ids if p.startswith("A-"))
    assert all(label[p] == label["B"] for p in network.ids if p.startswith("B-"))
    again = leaders(network, split, signals)
    assert {g.members[0].id for g in again} == {"A", "B"}


def test_a_group_with_one_boss_is_not_split() -> None:
    network, groups, signals = world(partners=False)
    heads = leaders(network, groups, signals)
    assert heads[0].members[0].id == "A"
    assert split_by_heads(network, groups, heads) is None
