"""Structuring, escrow releases and settlements: how hawala and cash hide money.

- **structuring**: one payer paying one beneficiary at least `structuring_min` times
  within `structuring_window` days, each payment just below the currency's reporting
  threshold (within `below` of it), and `burst` times more than the pair usually
  does: a tenant paying 950 rent each month, or a business paying such invoices every
  week, is not a burst. Unlike a fan, the chance test does not apply: a few payments
  just under the threshold in days are the pattern itself, not a busy week.
- **escrow_release**: a fee left with a hawaladar for the smugglers is released when
  the migrant arrives. In the payments: a collector is paid an amount by a depositor,
  then, within `release_days`, the same amount (within `release_match`) by another
  party, the hawaladar, who releases at least `release_min` deposits so. A fee is a
  one-off: its depositor pays the collector at most `deposit_max` times in all (a shop
  paying its supplier every fortnight is not leaving fees), and the hawaladar's
  payments to the collector over those days are mostly such releases. A shop paid by
  hundreds a month is paid some amount twice by chance, so a match counts only where
  the collector's payments in the days before make a chance match unlikely (expected
  chance matches at most `release_chance`).
- **settlement**: hawaladars square their books with each other in one large transfer.
  A hawaladar here is a party that pays and is paid by at least `hawala_min` parties
  each, and `hawala_factor` times as many as the median party does, and passes on at
  least `passes_on` of what it takes (a shop is paid by many but pays few; a payroll
  pays many but is paid by few); or one that releases escrowed fees (a ledger records
  its customers' transfers between the customers, so the hawaladar itself may pay
  only releases and settlements). A settlement is a payment between two of them at
  least `settle_factor` times the median payment of both.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from pinchpoint.money.columns import Columns, Ints, chunks, composite, expand, iso
from pinchpoint.money.detect_fans import bursts
from pinchpoint.money.found import Found, Params, score

CHUNK = 4_000_000
SPACING = 100.0  # between parties' keys in the (party, log amount) order


def structuring(cols: Columns, params: Params) -> list[Found]:
    limits = np.array([params.thresholds.get(c, np.nan) for c in cols.currencies])
    limit = limits[cols.currency] if len(limits) else np.zeros(len(cols))
    below = (cols.amount < limit) & (cols.amount >= limit * (1 - params.below))
    pair = cols.src * len(cols.parties) + cols.dst
    habit = replace(params, surprise=math.inf)  # only the pair's own habit, not chance
    found = []
    for b in bursts(cols, pair, np.arange(len(cols)), below, params.structuring_window,
                    params.structuring_min, habit, by_value=False):
        rows = b.rows
        payer, payee = int(cols.src[rows[0]]), int(cols.dst[rows[0]])
        currency = cols.currencies[int(cols.currency[rows[0]])]
        found.append(Found(
            "structuring", rows, score(len(rows), b.expected, params.structuring_min),
            f"{{{payer}}} paid {{{payee}}} {len(rows)} times between {iso(b.start)} and "
            f"{iso(b.rows_day.max())}, each just below the {currency} "
            f"{params.thresholds[currency]:,.0f} threshold",
            np.array([payer, payee])))
    return found


def escrow_releases(cols: Columns, params: Params) -> list[Found]:
    deposits, releases = _same_amount_later(cols, params)
    payer = cols.src[releases]
    pairs, times = np.unique(cols.src * len(cols.parties) + cols.dst, return_counts=True)
    depositor = cols.src[deposits] * len(cols.parties) + cols.dst[deposits]
    once = times[np.searchsorted(pairs, depositor)] <= params.deposit_max
    keep = once & (payer != cols.src[deposits]) & (payer != cols.dst[releases])
    keep &= _chance_match(cols, releases, params) <= params.release_chance
    deposits, releases = deposits[keep], releases[keep]
    if not len(releases):
        return []
    group = cols.src[releases] * len(cols.parties) + cols.dst[releases]
    order = np.lexsort((cols.day[releases], group))
    paid = np.sort(composite(cols.src * len(cols.parties) + cols.dst, cols.day))
    found = []
    for piece in np.split(order, np.flatnonzero(np.diff(group[order])) + 1):
        for spell in _spells(cols.day[releases[piece]], params.release_days):
            chosen = piece[spell]
            dep = np.unique(deposits[chosen])
            rel = np.unique(releases[chosen])
            days = cols.day[rel]
            pair = group[chosen[0]]
            usual = np.searchsorted(paid, composite(pair, days.max()), "right") - \
                np.searchsorted(paid, composite(pair, days.min()), "left")
            if min(len(dep), len(rel)) < params.release_min or len(rel) < usual / 2:
                continue
            hawaladar, collector = int(cols.src[rel[0]]), int(cols.dst[rel[0]])
            rows = np.concatenate([dep, rel])
            found.append(Found(
                "escrow_release", rows, score(len(rel), 0.0, params.release_min),
                f"{{{hawaladar}}} paid {{{collector}}} {len(rel)} amounts that "
                f"{len(np.unique(cols.src[dep]))} others had paid {{{collector}}} days "
                f"before, between {iso(cols.day[rows].min())} and "
                f"{iso(cols.day[rows].max())}: fees released",
                np.concatenate([[hawaladar, collector], np.unique(cols.src[dep])])))
    return found


def _same_amount_later(cols: Columns, params: Params) -> tuple[Ints, Ints]:
    """Pairs (earlier, later) of payments to one beneficiary of the same value,
    the later within `release_days` of the earlier."""
    ok = np.flatnonzero(np.isfinite(cols.value) & (cols.value > 0))
    logs = np.log(cols.value[ok]) + 50.0  # positive, well under SPACING
    order = np.lexsort((logs, cols.dst[ok]))
    rows = ok[order]
    key = cols.dst[rows] * SPACING + logs[order]
    hi = np.searchsorted(key, key + np.log1p(params.release_match), "right")
    lo = np.arange(1, len(rows) + 1)
    earlier, later = [], []
    for first, stop in chunks(np.maximum(hi - lo, 0), CHUNK):
        i, j = expand(lo[first:stop], hi[first:stop])
        a, b = rows[i + first], rows[j]
        swap = (cols.day[b] < cols.day[a])
        a, b = np.where(swap, b, a), np.where(swap, a, b)
        near = cols.day[b] - cols.day[a] <= params.release_days
        earlier.append(a[near])
        later.append(b[near])
    if not earlier:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(earlier), np.concatenate(later)


def _chance_match(cols: Columns, releases: Ints, params: Params) -> np.ndarray:
    """How many payments into each release's collector, in the days before it, would
    match its amount by chance: where that is not small, a match means nothing."""
    stamps = np.sort(composite(cols.dst, cols.day))
    day = cols.day[releases]
    before = np.searchsorted(stamps, composite(cols.dst[releases], day), "right") - \
        np.searchsorted(stamps, composite(cols.dst[releases], day - params.release_days),
                        "left")
    return before * 2 * params.release_match


def _spells(days: Ints, gap: int) -> list[Ints]:
    """Positions of sorted days split where two are more than `gap` apart."""
    return np.split(np.arange(len(days)), np.flatnonzero(np.diff(days) > gap) + 1)


def settlements(cols: Columns, params: Params) -> list[Found]:
    n = len(cols.parties)
    ok = np.isfinite(cols.value)
    value = np.where(ok, cols.value, 0.0)
    payers = np.bincount(np.unique(cols.dst * n + cols.src) // n, minlength=n)
    payees = np.bincount(np.unique(cols.src * n + cols.dst) // n, minlength=n)
    taken = np.bincount(cols.dst, value, n)
    given = np.bincount(cols.src, value, n)
    passes = np.minimum(taken, given) / np.maximum(np.maximum(taken, given), 1e-9)
    active = (payers > 0) & (payees > 0)
    least_in = max(params.hawala_min, params.hawala_factor * _median(payers[active]))
    least_out = max(params.hawala_min, params.hawala_factor * _median(payees[active]))
    hawaladar = (payers >= least_in) & (payees >= least_out) & (passes >= params.passes_on)
    for release in escrow_releases(cols, params):
        hawaladar[int(release.parties[0])] = True
    median = _medians(cols, n)
    big = ok & hawaladar[cols.src] & hawaladar[cols.dst] & (cols.src != cols.dst) & \
        (cols.value >= params.settle_factor * np.maximum(median[cols.src], median[cols.dst]))
    rows = np.flatnonzero(big)
    key = np.round(cols.value[rows]).astype(np.int64)
    groups: dict[tuple[int, int, int, int], list[int]] = {}
    for r, k in zip(rows.tolist(), key.tolist(), strict=True):
        groups.setdefault((int(cols.src[r]), int(cols.dst[r]), int(cols.day[r]), k),
                          []).append(r)
    found = []
    for (a, b, day, _), same in groups.items():
        times = cols.value[same[0]] / max(median[a], median[b], 1e-9)
        found.append(Found(
            "settlement", np.array(same, np.int64), round(min(1.0, times / 20), 3),
            f"{{{a}}} paid {{{b}}} {cols.amount[same[0]]:,.0f} "
            f"{cols.currencies[int(cols.currency[same[0]])]} on {iso(day)}, {times:.0f} "
            "times the median payment of either; both pay and are paid by many and pass "
            "on what they take, as hawaladars do", np.array([a, b])))
    return found


def _median(values: np.ndarray) -> float:
    return float(np.median(values)) if len(values) else 0.0


def _medians(cols: Columns, n: int) -> np.ndarray:
    """Each party's median payment value, in or out (0 where it has none)."""
    party = np.concatenate([cols.src, cols.dst])
    value = np.concatenate([cols.value, cols.value])
    ok = np.isfinite(value)
    party, value = party[ok], value[ok]
    order = np.lexsort((value, party))
    party, value = party[order], value[order]
    counts = np.bincount(party, minlength=n)
    starts = np.cumsum(counts) - counts
    median = np.zeros(n)
    has = counts > 0
    median[has] = value[starts[has] + counts[has] // 2]
    return median


__all__ = ["escrow_releases", "settlements", "structuring"]
