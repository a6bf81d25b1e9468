"""Who ends up with the money: parties ranked by what they keep.

Over the whole scope, a party's money in and out is the sum of its transfers in the base
currency, and what it keeps is in minus out: a hawaladar that passes on what it takes
keeps little however busy it is, and the boss at the top of a chain keeps most of what
reaches him. An escrowed fee is counted once: its deposit as paid to the hawaladar who
held it, its release as paid by that hawaladar (`held`). From a trace (`--from A`), a
sink is where A's traced money stopped. Transfers the rates cannot convert are counted,
never added in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from pinchpoint.money.flows import FlowGraph
from pinchpoint.money.held import counted
from pinchpoint.money.trace import Trace


@dataclass(frozen=True)
class Sink:
    party: str
    label: str
    received: Decimal
    sent: Decimal
    payments_in: int
    payments_out: int
    payers: int  # distinct parties that paid it

    @property
    def kept(self) -> Decimal:
        return self.received - self.sent

    def as_dict(self) -> dict[str, object]:
        return {"party": self.party, "label": self.label, "kept": str(self.kept),
                "received": str(self.received), "sent": str(self.sent),
                "payments_in": self.payments_in, "payments_out": self.payments_out,
                "payers": self.payers}


def sinks(graph: FlowGraph, top: int = 20) -> tuple[list[Sink], int]:
    """The `top` parties keeping most, and how many transfers had no rate."""
    received: dict[str, Decimal] = defaultdict(Decimal)
    sent: dict[str, Decimal] = defaultdict(Decimal)
    count_in: dict[str, int] = defaultdict(int)
    count_out: dict[str, int] = defaultdict(int)
    payers: dict[str, set[str]] = defaultdict(set)
    unconverted = 0
    for t in counted(graph):
        if t.value is None:
            unconverted += 1
            continue
        received[t.beneficiary] += t.value
        sent[t.payer] += t.value
        count_in[t.beneficiary] += 1
        count_out[t.payer] += 1
        payers[t.beneficiary].add(t.payer)
    found = [Sink(p, graph.label(p), received[p], sent[p], count_in[p], count_out[p],
                  len(payers[p])) for p in received]
    found.sort(key=lambda s: (-s.kept, s.party))
    return [s for s in found[:top] if s.kept > 0], unconverted


class Held(NamedTuple):
    """Traced money still with a party when the trace ends."""

    party: str
    label: str
    amount: Decimal

    def as_dict(self) -> dict[str, str]:
        return {"party": self.party, "label": self.label, "amount": str(self.amount)}


def trace_sinks(graph: FlowGraph, traced: Trace, top: int = 20) -> list[Held]:
    """Where the traced money stopped, largest first."""
    held = sorted(traced.held.items(), key=lambda kv: (-kv[1], kv[0]))
    return [Held(p, graph.label(p), amount) for p, amount in held[:top]]


def between(graph: FlowGraph, top: int = 25) -> dict[str, Any]:
    """Money between the `top` parties by volume, summed per payer and beneficiary in
    the base currency (what a Sankey of the scope's money draws): nodes and links."""
    volume: dict[str, Decimal] = defaultdict(Decimal)
    links: dict[tuple[str, str], list[Any]] = {}
    for t in graph.transfers:
        value = graph.value(t)
        if value is None or t.payer == t.beneficiary:
            continue
        volume[t.payer] += value
        volume[t.beneficiary] += value
        link = links.setdefault((t.payer, t.beneficiary), [Decimal(0), 0])
        link[0] += value
        link[1] += 1
    kept = set(sorted(volume, key=lambda p: (-volume[p], p))[:top])
    return {"nodes": [{"id": p, "label": graph.label(p), "volume": str(volume[p])}
                      for p in sorted(kept)],
            "links": [{"source": a, "target": b, "value": str(v), "payments": n}
                      for (a, b), (v, n) in sorted(links.items())
                      if a in kept and b in kept]}


__all__ = ["Held", "Sink", "between", "sinks", "trace_sinks"]
