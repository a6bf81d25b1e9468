"""Fees in escrow: a deposit the ledger writes to the smuggler is held by the hawaladar
until it is released, so the smuggler receives it once, not twice.

A hawala ledger writes an escrowed fee as it is booked: the migrant (or a relative) pays
the smuggler, under a code; days later the hawaladar pays the smuggler the same amount
on arrival. Read as two transfers, the smuggler receives the fee twice and the
hawaladar pays out money it never took in, which makes collectors look richer than the
boss they pass the takings to and hides the hawaladar's part. Wherever the escrow
detector (`detect_hawala.escrow_releases`) pairs deposits with releases, each deposit is
counted as paid to the hawaladar who released it: what each party keeps (`sinks`,
`network leaders`) then counts the money once. Transfers themselves are unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

from pinchpoint.money.columns import Columns
from pinchpoint.money.detect_hawala import escrow_releases
from pinchpoint.money.flows import FlowGraph, Transfer
from pinchpoint.money.found import Params


def escrow_holders(graph: FlowGraph, params: Params | None = None) -> dict[str, str]:
    """Transfer id of each escrowed deposit -> the hawaladar who held and released it;
    with the default parameters found once per graph (sinks, a profile's money and the
    leaders all ask)."""
    if params is None and graph.escrow_cache is not None:
        return graph.escrow_cache
    held = _holders(graph, params or Params())
    if params is None:
        graph.escrow_cache = held
    return held


def _holders(graph: FlowGraph, params: Params) -> dict[str, str]:
    cols = Columns.from_graph(graph)
    if not len(cols) or cols.transfers is None:
        return {}
    held: dict[str, str] = {}
    for found in escrow_releases(cols, params):
        hawaladars = set(found.parties[:found.centre].tolist())
        holder = cols.parties[int(found.parties[0])]
        for row in found.rows.tolist():
            if int(cols.src[row]) not in hawaladars:  # a deposit, not a release
                held[cols.transfers[row].id] = holder
    return held


class Counted(NamedTuple):
    """A transfer as what each party keeps counts it."""

    transfer: Transfer
    beneficiary: str  # whom the money went to for now: the holder of an escrowed deposit
    value: Decimal | None  # in the base currency (None without a rate)

    @property
    def payer(self) -> str:
        return self.transfer.payer


def counted(graph: FlowGraph) -> Iterator[Counted]:
    """Every transfer, in time order, with an escrowed deposit paid to its holder (what
    `sinks`, a profile's money and the leaders add up)."""
    held = escrow_holders(graph)
    for t in graph.transfers:
        yield Counted(t, held.get(t.id, t.beneficiary), graph.value(t))


def customers(graph: FlowGraph) -> set[str]:
    """Those who paid a fee into escrow: the payers of the escrowed deposits."""
    held = escrow_holders(graph)
    return {t.payer for t in graph.transfers if t.id in held}


__all__ = ["Counted", "counted", "customers", "escrow_holders"]
