"""Fan-in, fan-out, scatter-gather and gather-scatter, as AMLworld plants them.

AMLworld (Altman et al. 2023) plants each laundering pattern within a few days: a
fan-out is one account paying many within days, a fan-in many paying one, a
scatter-gather one account paying many intermediaries who each pay one destination, a
gather-scatter many paying one account that then pays many. What tells them from a
busy business is time and the party's own habit: a merchant paid by hundreds of
customers a week all year has hundreds in every week, so no week stands out. So a
**burst** is a window of `window` days in which a party pays (or is paid by) at least
`min_degree` distinct parties, and at least `burst` times as many payments as it makes
in such a window on average over the rest of its activity, and a count that its average
makes unlikely by chance (a Poisson tail below `surprise`: a person who pays a few
people a month pays five in one week now and then). The composite patterns are
bursts that fit together; a burst that is part of one is not also a fan.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from pinchpoint.money.columns import Bools, Columns, Ints, composite, iso
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


def chance(count: int, expected: float) -> float:
    """About how likely a Poisson count of `expected` on average reaches `count` (the
    first term of the tail and a bound on the rest; count > expected)."""
    if expected <= 0:
        return 0.0
    log = -expected + count * math.log(expected) - math.lgamma(count + 1)
    return math.exp(log) * (count + 1) / max(count + 1 - expected, 1e-9)


def bursts(cols: Columns, key: Ints, other: Ints, mask: Bools, window: int,
           least: int, params: Params, by_value: bool = True) -> Iterator[Burst]:
    """Windows in which `key` has at least `least` distinct `other`s, `burst` times its
    usual count, and a count its usual rate makes unlikely (see the module docstring);
    largest first, none overlapping another of the same key."""
    sel = np.flatnonzero(mask)
    order = np.lexsort((cols.day[sel], key[sel]))
    sel = sel[order]
    keys = key[sel]
    stamps = composite(keys, cols.day[sel])
    end = np.searchsorted(stamps, stamps + window, "left")
    count = end - np.arange(len(sel))
    _, first, inverse, totals = np.unique(keys, return_index=True, return_inverse=True,
                                          return_counts=True)
    scale = window / max(cols.span - window, window)
    expected = (totals[inverse] - count) * scale
    kinds = np.bincount(np.unique(np.stack([inverse, other[sel]], 1), axis=0)[:, 0],
                        minlength=len(totals))
    typical = float(np.median(kinds)) * scale if len(kinds) else 0.0
    overall = float(np.nanmedian(cols.value[sel])) if by_value and len(sel) else np.nan
    candidates = np.flatnonzero((count >= least) & (count >= params.burst * expected))
    used = np.zeros(len(sel), np.bool_)
    for i in candidates[np.argsort(-count[candidates], kind="stable")]:
        j = int(end[i])
        rows = sel[i:j]
        distinct = len(np.unique(other[rows]))
        if used[i:j].any() or distinct < least:
            continue
        group = int(inverse[i])
        usual = max((int(kinds[group]) - distinct) * scale, typical)
        g0 = int(first[group])
        if not _unlikely(cols, sel, (g0, int(i), j, g0 + int(totals[group])),
                         (distinct, usual), overall, params):
            continue
        used[i:j] = True
        yield Burst(int(keys[i]), rows, other[rows], float(expected[i]), cols.day[rows])


def _unlikely(cols: Columns, sel: Ints, bounds: tuple[int, int, int, int],
              distinct: tuple[int, float], overall: float, params: Params) -> bool:
    """Whether the window sel[i:j] of its party's sel[g0:g1] is beyond chance: its
    count of distinct counterparties, at the party's usual rate of them, less likely
    than `surprise` if its payments are unlike the party's others (median `unusual`
    times theirs or more; with no others, the median of everyone's, `overall`; NaN:
    amounts are not compared), else less likely than `surprise` squared."""
    g0, i, j, g1 = bounds
    odds = chance(*distinct)
    if odds <= params.surprise ** 2 or np.isnan(overall):
        return odds <= params.surprise
    others = np.concatenate([cols.value[sel[g0:i]], cols.value[sel[j:g1]]])
    others = others[np.isfinite(others)]
    usual = float(np.median(others)) if len(others) else overall
    mine = cols.value[sel[i:j]]
    return odds <= params.surprise and bool(np.nanmedian(mine) >= params.unusual * usual)


def fans(cols: Columns, params: Params, wanted: set[str]) -> list[Found]:
    """The four patterns, each burst in the most specific one it belongs to."""
    every = np.ones(len(cols), np.bool_)
    outs = list(bursts(cols, cols.src, cols.dst, every, params.window, params.min_degree,
                       params))
    ins = list(bursts(cols, cols.dst, cols.src, every, params.window, params.min_degree,
                      params))
    used_out: set[int] = set()
    used_in: set[int] = set()
    found = _scatter_gather(cols, outs, ins, params, used_out, used_in)
    found += _gather_scatter(cols, outs, ins, params, used_out, used_in)
    found += [_fan(cols, b, "fan_out", params) for n, b in enumerate(outs) if n not in used_out]
    found += [_fan(cols, b, "fan_in", params) for n, b in enumerate(ins) if n not in used_in]
    return [f for f in found if f.typology in wanted]


def _scatter_gather(cols: Columns, outs: list[Burst], ins: list[Burst], params: Params,
                    used_out: set[int], used_in: set[int]) -> list[Found]:
    """A source's fan-out to intermediaries who, in turn, fan in to one destination."""
    paid_by: dict[int, list[int]] = {}
    for n, b in enumerate(outs):
        for party in set(b.others.tolist()):
            paid_by.setdefault(party, []).append(n)
    found = []
    for m, gather in enumerate(ins):
        shared = Counter(n for party in set(gather.others.tolist())
                         for n in paid_by.get(party, ()))
        best = [(k, n) for n, k in shared.items() if k >= params.min_degree and n not in
                used_out and outs[n].party != gather.party]
        if not best:
            continue
        k, n = max(best)
        scatter = outs[n]
        middle = np.intersect1d(scatter.others, gather.others)
        if gather.rows_day.max() < scatter.start:
            continue
        used_out.add(n)
        used_in.add(m)
        rows = np.concatenate([scatter.rows[np.isin(scatter.others, middle)],
                               gather.rows[np.isin(gather.others, middle)]])
        found.append(Found(
            "scatter_gather", rows, score(k, max(scatter.expected, gather.expected),
                                          params.min_degree),
            f"{{{scatter.party}}} paid {k} parties who each paid {{{gather.party}}} "
            f"between {iso(cols.day[rows].min())} and {iso(cols.day[rows].max())}",
            np.concatenate([[scatter.party, gather.party], middle])))
    return found


def _gather_scatter(cols: Columns, outs: list[Burst], ins: list[Burst], params: Params,
                    used_out: set[int], used_in: set[int]) -> list[Found]:
    """A fan-in to a party followed, within a window, by its fan-out (which may start
    a little before: a window starts at whatever payment opens it)."""
    out_of: dict[int, list[int]] = {}
    for n, b in enumerate(outs):
        if n not in used_out:
            out_of.setdefault(b.party, []).append(n)
    found = []
    for m, gather in enumerate(ins):
        if m in used_in:
            continue
        start, end = gather.start, int(gather.rows_day.max())
        after = [n for n in out_of.get(gather.party, ()) if n not in used_out
                 and start - params.window <= outs[n].start <= end + params.window
                 and np.median(outs[n].rows_day) >= np.median(gather.rows_day)]
        if not after:
            continue
        scatter = outs[after[0]]
        used_out.add(after[0])
        used_in.add(m)
        rows = np.concatenate([gather.rows, scatter.rows])
        count = len(np.unique(gather.others)) + len(np.unique(scatter.others))
        found.append(Found(
            "gather_scatter", rows, score(count, gather.expected + scatter.expected,
                                          2 * params.min_degree),
            f"{{{gather.party}}} was paid by {len(np.unique(gather.others))} parties, then "
            f"paid {len(np.unique(scatter.others))} between {iso(start)} and "
            f"{iso(cols.day[rows].max())}",
            np.unique(np.concatenate([[gather.party], gather.others, scatter.others]))))
    return found


def _fan(cols: Columns, b: Burst, typology: str, params: Params) -> Found:
    distinct = np.unique(b.others)
    verb = "paid" if typology == "fan_out" else "was paid by"
    return Found(
        typology, b.rows, score(len(b.rows), b.expected, params.min_degree),
        f"{{{b.party}}} {verb} {len(distinct)} parties between {iso(b.start)} and "
        f"{iso(b.rows_day.max())}: {len(b.rows)} payments where {b.expected:.1f} in "
        f"{params.window} days is its usual",
        np.concatenate([[b.party], distinct]))


__all__ = ["Burst", "bursts", "fans"]
