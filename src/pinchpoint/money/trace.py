"""Follow money from a party (or back to where it came from), hop by hop in time order.

A transfer passes on only money its sender already held: the trace keeps, per party,
the traced money it has received (in the base currency of the rates, first in first
out), and a later transfer out of that party carries at most what is held, plus a
tolerance for fees, rounding and rates (`tolerance`, 5 % by default). So the amounts on
each hop are conserved within the tolerance, and a hawaladar's busy day does not make
every one of its customers a destination of the start's money. Each step names the
payment behind it and the steps it carried money from, so `--to B` keeps only the
chains that reach B.

Transfers on one day are taken in as many passes as it takes for money received that
day to be passed on the same day (a ledger gives days, not times). Backwards
(`direction="in"`) is the same walk with every transfer reversed and time running back:
where the money that reached the start came from. A transfer in a currency the rates do
not cover carries nothing and is listed in `Trace.unconverted`.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from typing import Any

from pinchpoint.money.flows import FlowGraph, Transfer

DEFAULT_TOLERANCE = Decimal("0.05")
DEFAULT_HOPS = 4


class TraceError(ValueError):
    """A trace that cannot be made (no such party, a window that is back to front)."""


@dataclass(frozen=True)
class Step:
    """Money carried by one transfer: how far from the start, how much, from which
    earlier steps."""

    hop: int
    transfer: Transfer
    carried: Decimal  # in the base currency
    sender: str  # in the trace's direction: for "in", the beneficiary
    receiver: str
    parents: tuple[int, ...]  # indices of the steps whose money it carried

    def as_dict(self, graph: FlowGraph) -> dict[str, Any]:
        """The step as the command's and the API's JSON give it: its payment, what it
        carried, its ends (in the trace's direction) with their labels."""
        return {**self.transfer.as_dict(), "hop": self.hop, "carried": str(self.carried),
                "from": self.sender, "from_label": graph.label(self.sender),
                "to": self.receiver, "to_label": graph.label(self.receiver),
                "parents": list(self.parents)}


@dataclass
class Trace:
    start: str
    direction: str
    base: str
    steps: list[Step]
    held: dict[str, Decimal]  # traced money still with each party at the end
    unconverted: list[Transfer] = field(default_factory=list)

    def hops(self) -> dict[int, list[Step]]:
        out: dict[int, list[Step]] = defaultdict(list)
        for step in self.steps:
            out[step.hop].append(step)
        return dict(sorted(out.items()))


@dataclass
class _Lot:
    amount: Decimal
    hop: int
    step: int


def trace(graph: FlowGraph, start: str, to: str | None = None, since: str | None = None,
          until: str | None = None, direction: str = "out", hops: int = DEFAULT_HOPS,
          tolerance: Decimal = DEFAULT_TOLERANCE) -> Trace:
    """The money from (`direction="out"`) or to (`"in"`) `start` (see the module
    docstring); `since`/`until` are inclusive days (YYYY-MM-DD)."""
    if direction not in ("out", "in"):
        raise TraceError("direction is 'out' (where money went) or 'in' (where it came from)")
    if start not in graph.parties():
        raise TraceError(f"{start} takes part in no transfer this scope can see")
    if since and until and since > until:
        raise TraceError(f"--since {since} is after --until {until}")
    if graph.rates is None:
        raise TraceError("a trace needs rates (or one currency): build the graph with them")
    window = [t for t in graph.transfers
              if (not since or t.day >= since) and (not until or t.day <= until)]
    if direction == "in":
        window.reverse()
    walk = _Walk(graph, start, direction, hops, tolerance)
    for _, day in groupby(window, key=lambda t: t.day):
        walk.day(list(day))
    steps = walk.steps if to is None else _reaching(walk.steps, to)
    return Trace(start, direction, graph.rates.base, steps, walk.held(), walk.unconverted)


class _Walk:
    def __init__(self, graph: FlowGraph, start: str, direction: str, hops: int,
                 tolerance: Decimal) -> None:
        self.graph, self.start, self.direction = graph, start, direction
        self.max_hops, self.slack = hops, Decimal(1) + tolerance
        self.lots: dict[str, deque[_Lot]] = defaultdict(deque)
        self.steps: list[Step] = []
        self.unconverted: list[Transfer] = []

    def ends(self, t: Transfer) -> tuple[str, str]:
        return (t.payer, t.beneficiary) if self.direction == "out" else (t.beneficiary,
                                                                          t.payer)

    def day(self, transfers: list[Transfer]) -> None:
        """One day's transfers, in passes until none more carries money."""
        waiting = transfers
        while waiting:
            left = [t for t in waiting if not self._take(t)]
            if len(left) == len(waiting):
                return
            waiting = left

    def _take(self, t: Transfer) -> bool:
        """Carry what `t` can; True when it carried (or will never carry) money."""
        sender, receiver = self.ends(t)
        if sender != self.start and not self.lots.get(sender):
            return False
        value = self.graph.value(t)
        if value is None:
            self.unconverted.append(t)
            return True
        parents: tuple[int, ...] = ()
        if sender == self.start:
            carried, hop = value, 1
        else:
            carried, hop, parents = self._consume(sender, value)
        if carried <= 0 or hop > self.max_hops:
            return carried > 0
        self.steps.append(Step(hop, t, carried, sender, receiver, parents))
        if receiver != self.start:
            self.lots[receiver].append(_Lot(carried, hop + 1, len(self.steps) - 1))
        return True

    def _consume(self, sender: str, value: Decimal) -> tuple[Decimal, int, tuple[int, ...]]:
        """Take up to `value` (within the tolerance) from the sender's lots, oldest first."""
        lots, carried, parents = self.lots[sender], Decimal(0), []
        hop = lots[0].hop
        while lots and carried * self.slack < value:
            lot = lots[0]
            need = value - carried
            used = min(lot.amount, need)
            carried += used
            parents.append(lot.step)
            lot.amount -= used
            if lot.amount <= 0:
                lots.popleft()
        if not lots:
            self.lots.pop(sender, None)
        return min(carried, value), hop, tuple(dict.fromkeys(parents))

    def held(self) -> dict[str, Decimal]:
        return {p: total for p, lots in self.lots.items()
                if (total := sum((lot.amount for lot in lots), Decimal(0))) > 0}


def _reaching(steps: list[Step], to: str) -> list[Step]:
    """Only the steps on a chain that ends at `to`."""
    keep: set[int] = set()
    todo = [i for i, s in enumerate(steps) if s.receiver == to]
    while todo:
        i = todo.pop()
        if i not in keep:
            keep.add(i)
            todo.extend(steps[i].parents)
    return [s for i, s in enumerate(steps) if i in keep]


__all__ = ["DEFAULT_HOPS", "DEFAULT_TOLERANCE", "Step", "Trace", "TraceError", "trace"]
