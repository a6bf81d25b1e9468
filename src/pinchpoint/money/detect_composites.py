"""Scatter-gather and gather-scatter: bursts that fit together.

A scatter-gather is a source's fan-out to intermediaries who each pay one destination;
a gather-scatter is a fan-in to a party followed by its fan-out. Both halves are
bursts where both stand out (`detect_fans.bursts`). Where only one half stands out,
the other is looked for around it with the burst's own evidence: once a party's fan-in
is known, `min_degree` distinct payees of it in the days around are its scatter, and
once a fan-out is known, `min_degree` of its payees paying one party soon after are its
gather. A burst that is part of one of these is not also a fan.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from pinchpoint.money.columns import Columns, Ints, composite, expand, iso
from pinchpoint.money.found import Found, Params, score


@dataclass
class Burst:
    party: int
    rows: Ints  # the window's transfers
    others: Ints  # their counterparties, one per row
    expected: float  # its usual count for such a window
    rows_day: Ints

    @property
    def start(self) -> int:
        return int(self.rows_day.min())

    @property
    def end(self) -> int:
        return int(self.rows_day.max())


class _Index:
    """The transfers ordered by one end (payer or beneficiary) and day."""

    def __init__(self, cols: Columns, key: Ints) -> None:
        self.order = np.lexsort((cols.day, key))
        self.stamps = composite(key[self.order], cols.day[self.order])

    def rows(self, parties: Ints, first: int, last: int) -> Ints:
        """The transfers of `parties` (at this end) from day `first` to `last`."""
        lo = np.searchsorted(self.stamps, composite(parties, np.full_like(parties, first)))
        hi = np.searchsorted(self.stamps, composite(parties, np.full_like(parties, last)),
                             "right")
        return self.order[expand(lo, hi)[1]]


def composites(cols: Columns, outs: list[Burst], ins: list[Burst], params: Params,
               used_out: set[int], used_in: set[int]) -> list[Found]:
    """Both patterns: from pairs of bursts first, then from single bursts."""
    found = _paired_scatter_gather(cols, outs, ins, params, used_out, used_in)
    found += _paired_gather_scatter(cols, outs, ins, params, used_out, used_in)
    by_payer, by_payee = _Index(cols, cols.src), _Index(cols, cols.dst)
    w = params.window
    for n, b in enumerate(outs):
        if n in used_out:
            continue
        later = by_payer.rows(np.unique(b.others), b.start, b.end + w)
        made = _fanned(cols, b, later, cols.dst, params, "scatter_gather") or \
            _turned(cols, b, by_payee.rows(np.array([b.party]), b.start - w, b.end), params)
        if made:
            used_out.add(n)
            found.append(made)
    for m, b in enumerate(ins):
        if m in used_in:
            continue
        earlier = by_payee.rows(np.unique(b.others), b.start - w, b.end)
        made = _fanned(cols, b, earlier, cols.src, params, "scatter_gather") or \
            _turned(cols, b, by_payer.rows(np.array([b.party]), b.start, b.end + w), params)
        if made:
            used_in.add(m)
            found.append(made)
    return found


def _fanned(cols: Columns, burst: Burst, rows: Ints, far: Ints, params: Params,
            typology: str) -> Found | None:
    """The burst's counterparties' payments (`rows`) to or from one party (`far`'s
    end): the other half of a scatter-gather, if `min_degree` of them share one."""
    near = cols.src[rows] if far is cols.dst else cols.dst[rows]
    pairs = np.unique(np.stack([far[rows], near], 1), axis=0)
    pairs = pairs[pairs[:, 0] != burst.party]
    if not len(pairs):
        return None
    counts = Counter(pairs[:, 0].tolist())
    end, k = counts.most_common(1)[0]
    if k < params.min_degree:
        return None
    middle = pairs[pairs[:, 0] == end, 1]
    half = rows[(far[rows] == end) & np.isin(near, middle)]
    mine = burst.rows[np.isin(burst.others, middle)]
    source, sink = (burst.party, end) if far is cols.dst else (end, burst.party)
    return _scatter_gather(cols, source, sink, middle, np.concatenate([mine, half]),
                           score(k, burst.expected, params.min_degree))


def _turned(cols: Columns, burst: Burst, rows: Ints, params: Params) -> Found | None:
    """The burst's party's payments the other way (`rows`): the other half of a
    gather-scatter, if they reach `min_degree` distinct parties on its right side in
    time (the gathering centred no later than the scattering)."""
    gathering = bool(np.all(cols.dst[burst.rows] == burst.party))
    others = cols.dst[rows] if gathering else cols.src[rows]
    if len(np.unique(others)) < params.min_degree:
        return None
    in_days, out_days = (burst.rows_day, cols.day[rows]) if gathering else \
        (cols.day[rows], burst.rows_day)
    if np.median(out_days) < np.median(in_days):
        return None
    gather, scatter = (burst.rows, rows) if gathering else (rows, burst.rows)
    return _gather_scatter(cols, burst.party, gather, scatter,
                           score(len(rows) + len(burst.rows), burst.expected,
                                 2 * params.min_degree))


def _paired_scatter_gather(cols: Columns, outs: list[Burst], ins: list[Burst],
                           params: Params, used_out: set[int], used_in: set[int]
                           ) -> list[Found]:
    """A fan-out whose payees are, mostly, a fan-in's payers."""
    paid_by: dict[int, list[int]] = {}
    for n, b in enumerate(outs):
        for party in set(b.others.tolist()):
            paid_by.setdefault(party, []).append(n)
    found = []
    for m, gather in enumerate(ins):
        shared = Counter(n for party in set(gather.others.tolist())
                         for n in paid_by.get(party, ()))
        best = [(k, n) for n, k in shared.items() if k >= params.min_degree and n not in
                used_out and outs[n].party != gather.party and gather.end >= outs[n].start]
        if not best:
            continue
        k, n = max(best)
        scatter = outs[n]
        middle = np.intersect1d(scatter.others, gather.others)
        used_out.add(n)
        used_in.add(m)
        rows = np.concatenate([scatter.rows[np.isin(scatter.others, middle)],
                               gather.rows[np.isin(gather.others, middle)]])
        found.append(_scatter_gather(
            cols, scatter.party, gather.party, middle, rows,
            score(k, max(scatter.expected, gather.expected), params.min_degree)))
    return found


def _paired_gather_scatter(cols: Columns, outs: list[Burst], ins: list[Burst],
                           params: Params, used_out: set[int], used_in: set[int]
                           ) -> list[Found]:
    """A party's fan-in and its fan-out, the fan-out starting at most `window` days
    before or after and centred no earlier (a window starts at whatever opens it)."""
    out_of: dict[int, list[int]] = {}
    for n, b in enumerate(outs):
        if n not in used_out:
            out_of.setdefault(b.party, []).append(n)
    found = []
    for m, gather in enumerate(ins):
        after = [n for n in out_of.get(gather.party, ()) if m not in used_in
                 and n not in used_out
                 and gather.start - params.window <= outs[n].start <= gather.end + params.window
                 and np.median(outs[n].rows_day) >= np.median(gather.rows_day)]
        if not after:
            continue
        scatter = outs[after[0]]
        used_out.add(after[0])
        used_in.add(m)
        count = len(np.unique(gather.others)) + len(np.unique(scatter.others))
        found.append(_gather_scatter(cols, gather.party, gather.rows, scatter.rows,
                                     score(count, gather.expected + scatter.expected,
                                           2 * params.min_degree)))
    return found


def _scatter_gather(cols: Columns, source: int, sink: int, middle: Ints, rows: Ints,
                    value: float) -> Found:
    return Found(
        "scatter_gather", rows, value,
        f"{{{source}}} paid {len(middle)} parties who each paid {{{sink}}} between "
        f"{iso(cols.day[rows].min())} and {iso(cols.day[rows].max())}",
        np.concatenate([[source, sink], middle]))


def _gather_scatter(cols: Columns, hub: int, gather: Ints, scatter: Ints, value: float
                    ) -> Found:
    payers, payees = np.unique(cols.src[gather]), np.unique(cols.dst[scatter])
    rows = np.concatenate([gather, scatter])
    return Found(
        "gather_scatter", rows, value,
        f"{{{hub}}} was paid by {len(payers)} parties, then paid {len(payees)} between "
        f"{iso(cols.day[rows].min())} and {iso(cols.day[rows].max())}",
        np.concatenate([[hub], payers, payees]))


__all__ = ["Burst", "composites"]
