"""One pass that every command shares: groups, then scores with brokerage across them.

Brokerage needs groups to be "across" something. By default those are the detected
crime groups; an analyst can name a node attribute instead (`location` for countries,
`role` for functions in the business), as Gould and Fernandez intended.

Given the business signals (the money and who initiated each call, `leader_evidence`),
the pass also finds the head of every detected group (`leaders`), splits a group with
two heads who never deal directly into two (`coheads`), names each group after its
head, and the ranking gains the money kept and each member's head-of-group score as
ingredients (`kingpin`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from pinchpoint.network.coheads import split_by_heads
from pinchpoint.network.graph import FloatArray, Network, NetworkError
from pinchpoint.network.groups import Groups, find_groups
from pinchpoint.network.kingpin import Scores, score_network
from pinchpoint.network.leader_evidence import Signals
from pinchpoint.network.leaders import GroupLeaders, leaders

DETECTED = "groups"


@dataclass(frozen=True)
class Analysis:
    groups: Groups
    scores: Scores
    across: str
    leaders: list[GroupLeaders] = field(default_factory=list)  # with signals only

    def suggested_roles(self) -> dict[str, str | None]:
        """Each listed member's suggested role (empty without signals)."""
        return {m.id: m.role for g in self.leaders for m in g.members}


def analyse(network: Network, across: str = DETECTED, seed: int = 0,
            signals: Signals | None = None) -> Analysis:
    """Detect groups, then score every node with brokerage across `across` (and, given
    `signals`, the money and leadership ingredients)."""
    if across != DETECTED and across not in network.node_attrs:
        known = ", ".join([DETECTED, *network.node_attrs]) or DETECTED
        raise NetworkError(f"no node attribute {across!r} to measure brokerage across; "
                           f"choose from {known}")
    found = find_groups(network, seed=seed)
    heads: list[GroupLeaders] = []
    if signals is not None:
        heads = leaders(network, found, signals)
        split = split_by_heads(network, found, heads)
        if split is not None:  # partner groups with a boss each: two groups
            found, heads = split, leaders(network, split, signals)
    labels = list(found.labels()) if across == DETECTED else network.attribute(across)
    if signals is None:
        return Analysis(found, score_network(network, labels, seed=seed), across)
    business = business_values(network, signals, heads)
    found, heads = headed(found, heads)
    return Analysis(found, score_network(network, labels, seed=seed, business=business),
                    across, heads)


def headed(found: Groups, heads: list[GroupLeaders]) -> tuple[Groups, list[GroupLeaders]]:
    """Each group named after its head and the next two of `network leaders` (instead of
    its three most central members: its cashier and recruiters), with its location."""
    by_id = {g.group: g for g in heads}
    groups, named = [], []
    for group in found.groups:
        lead = by_id.get(group.id)
        if lead is None or not lead.members:
            groups.append(group)
            continue
        top = lead.members[:3]
        where = f" ({group.locations[0][0]})" if group.locations else ""
        name = " / ".join(m.label for m in top) + where
        groups.append(replace(group, name=name, leaders=[m.id for m in top]))
    for lead in heads:
        named.append(replace(lead, name=next(g.name for g in groups if g.id == lead.group)))
    return replace(found, groups=groups), named


def business_values(network: Network, signals: Signals, heads: list[GroupLeaders]
                    ) -> dict[str, FloatArray]:
    """Per node: the money it keeps (base currency) and its head-of-group score."""
    money = np.array([signals.money[i].kept if i in signals.money else 0.0
                      for i in network.ids], dtype=np.float64)
    leadership = np.zeros(network.n)
    for group in heads:
        for member in group.members:
            leadership[network.index(member.id)] = member.score
    return {"money": money, "leadership": leadership}
