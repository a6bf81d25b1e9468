"""One party's money: what it received, sent and kept, and with whom (a profile's
"money in and out"); and payments looked up by id (an alert's, as its table shows them).

The same sums as `sinks`, for one party and over the whole scope: amounts in the base
currency of the graph's rates, transfers the rates cannot convert counted and never
added in. Its counterparties are ranked by the money that moved between them in both
directions, so a profile shows first whom the party deals with most. As there, an
escrowed fee is counted once (`held`): its deposit as paid to the hawaladar who held it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from pinchpoint.money.flows import FlowGraph
from pinchpoint.money.held import counted

TOP_COUNTERPARTIES = 5


@dataclass
class Counterparty:
    """Money between the party and one other: what the other paid it, and was paid."""

    party: str
    label: str
    received: Decimal = Decimal(0)  # by the profile's party, from this one
    sent: Decimal = Decimal(0)  # by the profile's party, to this one
    payments: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"party": self.party, "label": self.label, "received": str(self.received),
                "sent": str(self.sent), "payments": self.payments}


@dataclass
class PartyMoney:
    """A party's money over the scope, in the base currency."""

    party: str
    label: str
    base: str
    received: Decimal = Decimal(0)
    sent: Decimal = Decimal(0)
    payments_in: int = 0
    payments_out: int = 0
    unconverted: int = 0
    first: str | None = None  # the first and last days it paid or was paid
    last: str | None = None
    counterparties: list[Counterparty] = field(default_factory=list)

    @property
    def kept(self) -> Decimal:
        return self.received - self.sent

    def as_dict(self) -> dict[str, object]:
        return {"party": self.party, "label": self.label, "base": self.base,
                "received": str(self.received), "sent": str(self.sent),
                "kept": str(self.kept), "payments_in": self.payments_in,
                "payments_out": self.payments_out, "unconverted": self.unconverted,
                "first": self.first, "last": self.last,
                "counterparties": [c.as_dict() for c in self.counterparties]}


def party_money(graph: FlowGraph, party: str, top: int = TOP_COUNTERPARTIES) -> PartyMoney:
    """`party`'s money in and out and its `top` counterparties by money moved; all zero
    for a party in no transfer the scope can see (not an error: most people pay no one)."""
    assert graph.rates is not None  # `build` always sets them
    found = PartyMoney(party, graph.label(party), graph.rates.base)
    others: dict[str, Counterparty] = {}
    for t in counted(graph):
        to, value = t.beneficiary, t.value
        if party not in (t.payer, to) or t.payer == to:
            continue
        found.first = found.first or t.transfer.day  # the transfers are in time order
        found.last = t.transfer.day
        if value is None:
            found.unconverted += 1
            continue
        pid = to if t.payer == party else t.payer
        other = others.setdefault(pid, Counterparty(pid, graph.label(pid)))
        other.payments += 1
        if t.payer == party:
            found.sent += value
            found.payments_out += 1
            other.sent += value
        else:
            found.received += value
            found.payments_in += 1
            other.received += value
    ranked = sorted(others.values(), key=lambda c: (-(c.received + c.sent), c.party))
    found.counterparties = ranked[:top]
    return found


def payments_of(graph: FlowGraph, ids: Iterable[str]) -> list[dict[str, object]]:
    """The transfers with these payment ids that the graph holds, in time order, each
    with its ends' labels and its value in the base currency: an id the scope cannot
    see is simply not there."""
    wanted = set(ids)
    return [{**t.as_dict(), "payer_label": graph.label(t.payer),
             "beneficiary_label": graph.label(t.beneficiary),
             "value": None if (v := graph.value(t)) is None else str(v)}
            for t in graph.transfers if t.id in wanted]


__all__ = ["TOP_COUNTERPARTIES", "Counterparty", "PartyMoney", "party_money", "payments_of"]
