"""The head of every group: each group's members ordered by how likely each leads it,
with a suggested role and the evidence in one sentence.

Centrality alone names a group's busiest members: its cashier and its recruiters, who
talk to everyone. Investigators follow other evidence to the boss, and the rule combines
five ingredients, each scaled to 0-1 within the group:

    money 0.30       what a member keeps of the group's money (received from members
                     less paid to members, in the base currency): the group's money
                     flows up to its head
    direction 0.20   command from trophic levels of who initiated calls and messages
                     (`leader_measures.trophic_levels`): the head gives the orders
    recorded 0.20    what the intelligence says the member does: a report calling them
                     the leader (1) or an organiser (0.5) (`leader_measures.recorded`)
    insulation 0.15  victims and migrants reached through others, not met directly
    centrality 0.15  PageRank, the order `network groups` used before

The weights are a documented default, not tuned to any data set. An ingredient the
group's data lacks (no converted payment, no call or message that says who initiated,
no role recorded, no victim nearby) is left out and the others share its weight; `why`
says so, and with none of the four the order is the centrality order. A member through
whom much money passes but who keeps little is a hawaladar (cashier) and heads the
group only when no one else can. Victims and witnesses are measured as context but
never listed, never given a role and never head a group.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from pinchpoint.network import leader_measures as lm
from pinchpoint.network.graph import BoolArray, FloatArray, IntArray, Network, NetworkError
from pinchpoint.network.groups import Groups
from pinchpoint.network.leader_evidence import Signals
from pinchpoint.network.measures import pagerank

WEIGHTS: dict[str, float] = {"money": 0.30, "direction": 0.20, "recorded": 0.20,
                             "insulation": 0.15, "centrality": 0.15}
ROLES = ("kingpin", "lieutenant", "hawaladar", "recruiter", "driver", "supplier", "broker",
         "facilitator")
PASS_THROUGH = 0.2  # keeps less than this share of what passes through: a cashier
BUSY = 0.5  # ...and moves at least this share of what the group's busiest member moves
RECRUITER = 3  # direct ties to victims/migrants (and half the group's most) make a recruiter
LIEUTENANTS = 3  # at most, among members tied to the head
FACILITATES = 2  # members contacted first, at least, for a facilitator paid nothing
RECORDED = ("driver", "supplier")  # roles a Membership's `role` may give as they stand


@dataclass(frozen=True)
class Leader:
    id: str
    label: str
    score: float
    role: str | None  # None: nothing in the data suggests a role (see `_roles`)
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "score": self.score, "role": self.role,
                "why": self.why}


@dataclass(frozen=True)
class GroupLeaders:
    """One group's members (victims and witnesses left out), the head first."""

    group: str
    name: str
    members: list[Leader]
    used: list[str]  # the ingredients the group's data had

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group, "name": self.name, "used": self.used,
                "members": [m.to_dict() for m in self.members]}


@dataclass
class _Group:
    """One group's members and every measure the rule reads, aligned with `members`."""

    members: IntArray
    eligible: BoolArray  # not a victim or witness
    values: dict[str, FloatArray]
    received: FloatArray
    sent: FloatArray
    direct: IntArray
    reach: IntArray
    initiated: IntArray
    recorded_as: list[str | None]  # each member's recorded role, as the records give it
    customer: BoolArray  # paid a fee into escrow and received nothing: a smuggled person

    @property
    def kept(self) -> FloatArray:
        return np.maximum(self.received - self.sent, 0.0)

    @property
    def through(self) -> FloatArray:
        return self.received + self.sent


def leaders(network: Network, groups: Groups, signals: Signals | None = None,
            weights: Mapping[str, float] | None = None, group: str | None = None
            ) -> list[GroupLeaders]:
    """Every group's members, most likely head first (one group with `group`)."""
    weights = dict(WEIGHTS if weights is None else weights)
    unknown = set(weights) - set(WEIGHTS)
    if unknown:
        raise ValueError(f"unknown leadership ingredients: {', '.join(sorted(unknown))}")
    wanted = [(number, g) for number, g in enumerate(groups.groups)
              if group is None or g.id == group]
    if group is not None and not wanted:
        raise NetworkError(f"no group {group!r}: the groups are G1 to G{len(groups.groups)}")
    signals = signals or Signals()
    context = _Context(network.targetable(), pagerank(network.simple()))
    where = {node: i for i, node in enumerate(network.ids)}
    calls = _inside(where, groups, signals.directed)
    paid = _inside(where, groups, signals.flows)
    order = np.argsort(groups.membership, kind="stable")
    starts = np.searchsorted(groups.membership[order], np.arange(len(groups.groups) + 1))
    out = []
    for number, found in wanted:  # a group's number is its place among the groups
        members = order[starts[number]:starts[number + 1]]
        measured = _measure(network, members, context, calls.get(number, []),
                            paid.get(number, []), signals.customers)
        out.append(_order(network, found.id, found.name, measured, weights, signals))
    return out


def _inside(where: Mapping[str, int], groups: Groups, pairs: Mapping[tuple[str, str], float]
            ) -> dict[int, list[tuple[int, int, float]]]:
    """The directed pairs (calls started, money paid) between members of one group, per
    group number, as node indices (`where`: node id -> index)."""
    inside: dict[int, list[tuple[int, int, float]]] = {}
    for (a, b), n in pairs.items():
        i, j = where.get(a), where.get(b)
        if i is not None and j is not None and groups.membership[i] == groups.membership[j]:
            inside.setdefault(int(groups.membership[i]), []).append((i, j, float(n)))
    return inside


@dataclass(frozen=True)
class _Context:
    """What every group reads from the whole network, measured once."""

    targetable: BoolArray
    centrality: FloatArray


def _measure(network: Network, members: IntArray, context: _Context,
             pairs: list[tuple[int, int, float]], paid: list[tuple[int, int, float]],
             customers: set[str]) -> _Group:
    """Every measure of one group. Its money is the group's own: what members paid each
    other (a supplier paid by other groups' members keeps their money, not this one's)."""
    eligible = context.targetable[members]
    local = {int(i): k for k, i in enumerate(members)}
    n = len(members)
    value = np.array([v for *_, v in paid], dtype=np.float64)
    received = np.bincount(np.array([local[b] for _, b, _ in paid], dtype=np.int64), value,
                           n).astype(np.float64)
    sent = np.bincount(np.array([local[a] for a, _, _ in paid], dtype=np.int64), value,
                       n).astype(np.float64)
    ties = [(local[a], local[b], n) for a, b, n in pairs]
    levels = lm.trophic_levels(len(members), ties)
    initiated = np.bincount([a for a, _, _ in ties], minlength=len(members)).astype(np.int64)
    direct, reach = lm.insulation(network.simple(), members, ~context.targetable)
    recorded_as = [network.attribute("role")[int(i)] for i in members]
    values = {"money": lm.scaled(np.maximum(received - sent, 0.0), eligible),
              "direction": lm.scaled(lm.command(levels, ties), eligible),
              "recorded": lm.recorded(recorded_as),
              "insulation": lm.insulated(direct, reach),
              "centrality": lm.scaled(context.centrality[members], eligible)}
    customer = np.array([network.ids[int(i)] in customers for i in members], dtype=bool)
    return _Group(members, eligible, values, received, sent, direct, reach, initiated,
                  recorded_as, customer & (received <= 0))


def _order(network: Network, gid: str, name: str, g: _Group, weights: dict[str, float],
           signals: Signals) -> GroupLeaders:
    eligible = g.eligible
    used = [k for k in WEIGHTS if k == "centrality" or g.values[k][eligible].max(initial=0) > 0]
    total = sum(weights.get(k, 0.0) for k in used) or 1.0
    score = sum(weights.get(k, 0.0) / total * g.values[k] for k in used)
    score = np.asarray(score, dtype=np.float64) + np.zeros(len(g.members))
    cashier = (g.through >= BUSY * g.through.max(initial=0)) & (g.through > 0) & (
        g.kept < PASS_THROUGH * g.through)
    local = np.flatnonzero(eligible)
    order = list(local[np.lexsort((local, -g.values["centrality"][local], -score[local]))])
    heads = [k for k in order if not cashier[k] and not g.customer[k]]
    if heads and order[0] != heads[0]:
        order.remove(heads[0])
        order.insert(0, heads[0])
    roles = _roles(network, g, order, cashier)
    members = [Leader(network.ids[int(g.members[k])], network.label(int(g.members[k])),
                      round(float(score[k]), 4), roles[k],
                      _why(g, int(k), roles[k], used, signals.currency))
               for k in order]
    return GroupLeaders(gid, name, members, used)


def _roles(network: Network, g: _Group, order: list[int], cashier: BoolArray
           ) -> dict[int, str | None]:
    """The suggested role of each listed member (see docs/network.md, Leaders).

    A member with no evidence of a part in the business (no money in or out, no contact
    they started, no recorded role, few ties outside the group) gets none: a migrant
    whose category no source recorded is one such person, and a smuggled person is
    never given a criminal role. Nor does a customer: one who paid a fee into escrow
    (`money.held`) and received nothing from the group; nor one who only ever pays the
    group or rings one member of it (a facilitator is paid by the group or contacts
    `FACILITATES` members first)."""
    roles: dict[int, str | None] = {}
    if not order:
        return roles
    graph = network.simple()
    head = int(g.members[order[0]])
    near = set(graph.neighbors(head))
    busiest = max((int(g.direct[k]) for k in order if not cashier[k]), default=0)
    recorded = network.attribute("role")
    inside = set(int(i) for i in g.members)
    lieutenants = 0
    for place, k in enumerate(order):
        i = int(g.members[k])
        if place == 0:
            roles[k] = "kingpin"
        elif g.customer[k]:
            roles[k] = None
        elif cashier[k]:
            roles[k] = "hawaladar"
        elif g.direct[k] >= max(RECRUITER, busiest / 2):
            roles[k] = "recruiter"
        elif i in near and lieutenants < LIEUTENANTS:
            roles[k], lieutenants = "lieutenant", lieutenants + 1
        elif (recorded[i] or "").lower() in RECORDED:
            roles[k] = str(recorded[i]).lower()
        else:
            near_i = graph.neighbors(i)
            outside = sum(j not in inside for j in near_i)
            # paid by the group, or giving orders to several: one who only ever pays
            # it, or rings one of its members, is more likely its customer
            active = g.received[k] > 0 or g.initiated[k] >= FACILITATES
            roles[k] = ("broker" if outside > len(near_i) / 2 else
                        "facilitator" if active else None)
    return roles


def _why(g: _Group, k: int, role: str | None, used: list[str], currency: str | None) -> str:
    """One sentence: each kind of evidence the group had for this member."""
    unit = f" {currency}" if currency else ""
    parts = [] if role else ["no role suggested: paid a fee into escrow and received "
                             "nothing, as smuggled people and their families do"
                             if g.customer[k] else "no role suggested: no money, no "
                             "contact started, no role recorded"]
    if "money" in used and g.through[k] > 0:
        keeps = (f"keeps {g.kept[k]:,.0f}{unit} of {g.received[k]:,.0f}{unit} received "
                 f"from the group ({g.sent[k]:,.0f}{unit} paid on to it)")
        parts.append(keeps + (" (a cashier, not the head)" if role == "hawaladar" else ""))
    if "direction" in used and g.values["direction"][k] > 0:
        many = "member" if g.initiated[k] == 1 else "members"
        parts.append(f"initiates contact with {g.initiated[k]} {many} "
                     f"(command {g.values['direction'][k]:.2f})")
    if "recorded" in used and g.values["recorded"][k] > 0:
        parts.append(f"recorded as {g.recorded_as[k]}")
    if "insulation" in used and g.reach[k] + g.direct[k] > 0:
        parts.append(f"reaches {g.reach[k]} victims or witnesses through others, "
                     f"{g.direct[k]} directly")
    parts.append(f"centrality {g.values['centrality'][k]:.2f}")
    missing = [what for name, what in (("money", "money"), ("direction", "call direction"))
               if name not in used]
    if missing:
        parts.append(f"no {' or '.join(missing)} in this group's data")
    return "; ".join(parts)


__all__ = ["LIEUTENANTS", "ROLES", "WEIGHTS", "GroupLeaders", "Leader", "leaders"]
