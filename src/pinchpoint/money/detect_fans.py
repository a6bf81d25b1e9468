"""Fan-in, fan-out, scatter-gather and gather-scatter, as AMLworld plants them.

AMLworld (Altman et al. 2023) plants each laundering pattern within a few days: a
fan-out is one account paying many within days, a fan-in many paying one, a
scatter-gather one account paying many intermediaries who each pay one destination, a
gather-scatter many paying one account that then pays many. What tells them from a
busy business is time and the party's own habit: a merchant paid by hundreds of
customers a week all year has hundreds in every week, so no week stands out. So a
**burst** is a window of `window` days in which a party pays (or is paid by) at least
`min_degree` distinct parties, and at least `burst` times as many payments as it makes
in such a window on average over the rest of its activity, and so many distinct
counterparties that its usual rate of them (or a typical party's, where it has little
history) makes them unlikely by chance: a person who pays a few people a month pays five
in one week now and then. Unlikely is a Poisson tail below `surprise` where the window's
payments are unlike the party's others (their median `unusual` times its 90th
percentile), below `surprise` squared where they look like its everyday payments. The
composite patterns are bursts that fit together (`detect_composites`); a burst that is
part of one is not also a fan.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from pinchpoint.money.columns import Bools, Columns, Ints, composite, iso
from pinchpoint.money.detect_composites import Burst, composites
from pinchpoint.money.found import Found, Params, score


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
    than `surprise` if its payments are unlike the party's others (their median
    `unusual` times the others' 90th percentile or more: above nearly all it usually
    pays, not just a lucky draw; with no others, the median of everyone's, `overall`;
    NaN: amounts are not compared), else less likely than `surprise` squared."""
    g0, i, j, g1 = bounds
    odds = chance(*distinct)
    if odds <= params.surprise ** 2 or np.isnan(overall):
        return odds <= params.surprise
    others = np.concatenate([cols.value[sel[g0:i]], cols.value[sel[j:g1]]])
    others = others[np.isfinite(others)]
    usual = float(np.percentile(others, 90)) if len(others) else overall
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
    found = composites(cols, outs, ins, params, used_out, used_in)
    found += [_fan(cols, b, "fan_out", params) for n, b in enumerate(outs) if n not in used_out]
    found += [_fan(cols, b, "fan_in", params) for n, b in enumerate(ins) if n not in used_in]
    return [f for f in found if f.typology in wanted]


def _fan(cols: Columns, b: Burst, typology: str, params: Params) -> Found:
    distinct = np.unique(b.others)
    verb = "paid" if typology == "fan_out" else "was paid by"
    return Found(
        typology, b.rows, score(len(b.rows), b.expected, params.min_degree),
        f"{{{b.party}}} {verb} {len(distinct)} parties between {iso(b.start)} and "
        f"{iso(b.rows_day.max())}: {len(b.rows)} payments where {b.expected:.1f} in "
        f"{params.window} days is its usual",
        np.concatenate([[b.party], distinct]))


__all__ = ["Burst", "bursts", "chance", "fans"]
