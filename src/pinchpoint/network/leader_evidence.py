"""What the head-of-group rule reads besides the network: who initiated which call or
message, and where each party's money went.

The projection makes undirected ties (a call is a tie whoever dialled), but the data
often says who initiated: a Call's `caller` rang its `receiver`, a Message's `sender`
wrote to its `recipients`. Those directed ties, mapped through the resolution like the
network's nodes, are what the hierarchy (trophic levels) is computed from. The money is
`pinchpoint.money`'s flow graph, whose parties are the same resolved ids as the
network's nodes; only transfers the rates can convert are counted, and an escrowed fee
is counted once (`money.held`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pinchpoint.money import FlowGraph, Rates, build, counted, customers
from pinchpoint.store import graph_reads
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore

# schema -> (the initiator's property, the receiving end's property)
DIRECTED: dict[str, tuple[str, str]] = {
    "Call": ("caller", "receiver"),
    "Message": ("sender", "recipients"),
}


@dataclass
class Money:
    """One party's money over the scope, in the base currency."""

    received: float = 0.0
    sent: float = 0.0
    payments: int = 0

    @property
    def kept(self) -> float:
        return max(self.received - self.sent, 0.0)

    @property
    def through(self) -> float:
        return self.received + self.sent


@dataclass
class Signals:
    """The directed ties (initiator, receiver) -> how many, the money per party, and the
    money per (payer, beneficiary)."""

    directed: Counter[tuple[str, str]] = field(default_factory=Counter)
    money: dict[str, Money] = field(default_factory=dict)
    currency: str | None = None
    flows: dict[tuple[str, str], float] = field(default_factory=dict)
    customers: set[str] = field(default_factory=set)  # paid a fee into escrow

    def pay(self, payer: str, beneficiary: str, value: float) -> None:
        self.flows[(payer, beneficiary)] = self.flows.get((payer, beneficiary), 0.0) + value
        self.money.setdefault(payer, Money()).sent += value
        self.money[payer].payments += 1
        self.money.setdefault(beneficiary, Money()).received += value
        self.money[beneficiary].payments += 1


def gather(store: SqlStore, scope: Scope, rates: Rates | None = None,
           graph: FlowGraph | None = None) -> Signals:
    """The directed ties and money that `scope` sees (rates: the workspace's, else the
    most common currency alone; `graph`: the scope's flow graph where the caller holds
    it already, so it is not built twice)."""
    signals = Signals(directed=directed_ties(store, scope))
    store.release_memory()
    if graph is None:  # read here: give back what the payments' reads left cached
        graph = build(store, scope, rates)
        store.release_memory()
    signals.currency = graph.rates.base if graph.rates else None
    signals.customers = customers(graph)
    for t in counted(graph):  # an escrowed fee reaches its collector once
        if t.value is not None and t.payer != t.beneficiary:
            signals.pay(t.payer, t.beneficiary, float(t.value))
    return signals


def directed_ties(store: SqlStore, scope: Scope) -> Counter[tuple[str, str]]:
    """(initiator, receiver) -> number of calls and messages, between resolved people
    (counted in SQL: `graph_reads.initiated_ties`)."""
    return Counter({(a, b): n for a, b, n in graph_reads.initiated_ties(store, scope, DIRECTED)})


__all__ = ["DIRECTED", "Money", "Signals", "directed_ties", "gather"]
