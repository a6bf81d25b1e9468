"""Transfers as columns (numpy arrays), for the typology detectors.

A detector looks at every transfer many times (per party, per pair, per window), so it
works on arrays, not on `Transfer` objects: a million transfers are a few arrays of a
million numbers. `Columns.from_graph` makes them from a scope's flow graph, keeping each
row's transfer so an alert can name its payments, references and provenance;
`Columns.from_arrays` makes them from arrays alone (a benchmark's generated set) without
building a Python object per transfer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from pinchpoint.money.flows import FlowGraph, Transfer

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
EPOCH = date(1970, 1, 1).toordinal()
DAY_BITS = 20  # days since 1970 fit in 20 bits until the year 4840


@dataclass
class Columns:
    """One row per transfer: payer and beneficiary (indices into `parties`), day (days
    since 1970), amount in its own currency, the currency (index into `currencies`) and
    its value in the base currency (NaN where no rate converts it)."""

    parties: Sequence[str]
    src: Ints
    dst: Ints
    day: Ints
    amount: Floats
    currency: Ints
    currencies: list[str]
    value: Floats
    transfers: Sequence[Transfer] | None = None  # row i's transfer, when built from a graph
    names: Ints | None = None  # each party's label, as a number: one per distinct label

    def named(self, party: Ints) -> Ints:
        """The parties' labels as numbers (their own index where no labels are known):
        records of one person left unresolved usually still share its name."""
        return party if self.names is None else self.names[party]

    @classmethod
    def from_arrays(cls, src: Ints, dst: Ints, day: Ints, amount: Floats,
                    parties: Sequence[str] | None = None, currency: Ints | None = None,
                    currencies: list[str] | None = None, value: Floats | None = None
                    ) -> Columns:
        """Columns straight from arrays (one currency, "XXX", unless given)."""
        n_parties = int(max(src.max(initial=-1), dst.max(initial=-1))) + 1
        return cls(parties if parties is not None else _Numbered(n_parties),
                   src.astype(np.int64), dst.astype(np.int64), day.astype(np.int64),
                   amount.astype(np.float64),
                   currency if currency is not None else np.zeros(len(src), np.int64),
                   currencies or ["XXX"], amount.astype(np.float64) if value is None
                   else value.astype(np.float64))

    @classmethod
    def from_graph(cls, graph: FlowGraph) -> Columns:
        """The graph's transfers as columns; values in the graph's rates (or, without
        rates, its most common currency alone)."""
        rates = graph.rates or graph.default_rates()
        transfers = graph.transfers
        index: dict[str, int] = {}
        currencies: dict[str, int] = {}
        src = np.fromiter((index.setdefault(t.payer, len(index)) for t in transfers),
                          np.int64, len(transfers))
        dst = np.fromiter((index.setdefault(t.beneficiary, len(index)) for t in transfers),
                          np.int64, len(transfers))
        values = (rates.to_base(t.amount, t.currency, t.day) for t in transfers)
        labels: dict[str, int] = {}
        names = np.fromiter((labels.setdefault(graph.label(p).casefold(), len(labels))
                             for p in index), np.int64, len(index))
        made = cls(
            list(index), src, dst,
            np.fromiter((date.fromisoformat(t.day).toordinal() - EPOCH for t in transfers),
                        np.int64, len(transfers)),
            np.fromiter((float(t.amount) for t in transfers), np.float64, len(transfers)),
            np.fromiter((currencies.setdefault(t.currency, len(currencies))
                         for t in transfers), np.int64, len(transfers)),
            list(currencies),
            np.fromiter((np.nan if v is None else float(v) for v in values), np.float64,
                        len(transfers)),
            transfers)
        made.names = names
        return made

    def __len__(self) -> int:
        return len(self.src)

    @property
    def span(self) -> int:
        """Days from the first transfer to the last, inclusive (at least 1)."""
        return int(self.day.max() - self.day.min()) + 1 if len(self) else 1

    def payment(self, row: int) -> str:
        return self.transfers[row].id if self.transfers is not None else f"T{row}"

    def reference(self, row: int) -> str | None:
        return self.transfers[row].reference if self.transfers is not None else None


class _Numbered(Sequence[str]):
    """Party names for generated columns, made only when asked: A0000001, ..."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> str:  # type: ignore[override]
        if not 0 <= i < self.n:
            raise IndexError(i)
        return f"A{i:07d}"


def iso(day: int) -> str:
    return date.fromordinal(int(day) + EPOCH).isoformat()


def composite(key: Ints, day: Ints) -> Ints:
    """One sortable number per (key, day): the key above, the day below."""
    return (key << DAY_BITS) | day


def expand(lo: Ints, hi: Ints) -> tuple[Ints, Ints]:
    """Every (i, j) with lo[i] <= j < hi[i], as two arrays: the join of each row with
    its range of a sorted array, without a Python loop."""
    counts = np.maximum(hi - lo, 0)
    rows = np.repeat(np.arange(len(lo), dtype=np.int64), counts)
    starts = np.cumsum(counts) - counts
    offsets = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(starts, counts)
    return rows, lo[rows] + offsets


def chunks(counts: Ints, size: int) -> list[tuple[int, int]]:
    """Ranges of rows whose `counts` add up to at most `size` each (one row at least):
    a join done a range at a time holds at most `size` joined rows in memory."""
    ends = np.cumsum(counts)
    spans, first = [], 0
    while first < len(counts):
        done = int(ends[first - 1]) if first else 0
        stop = max(int(np.searchsorted(ends, done + size, "right")), first + 1)
        spans.append((first, stop))
        first = stop
    return spans


__all__ = ["DAY_BITS", "Columns", "chunks", "composite", "expand", "iso"]
