"""Structuring, escrow releases and settlements: how hawala and cash hide money.

- **structuring**: one payer paying one or two names at least `structuring_min` times
  within `structuring_window` days (many paying one account so are a fan-in), each payment
  just below the currency's reporting threshold (within `below` of it), and `burst`
  times more than the party usually does (records of one boss under two spellings are
  still one depositor's pattern): a tenant paying 950 rent each month, a business
  paying such invoices every week, or a payroll paying several staff such salaries on
  payday, is not a burst. Unlike a fan, the chance test does not apply: a few payments
  just under the threshold in days are the pattern itself, not a busy week.
- **escrow_release**: a fee left with a hawaladar for the smugglers is released when
  the migrant arrives. In the payments: a collector is paid an amount by a depositor,
  then, within `release_days`, the same amount (within `release_match`) by another
  party, the hawaladar, who releases at least `release_min` deposits so (where the
  hawaladar's and the collector's records were resolved into one party, as namesakes
  may be, the releases are that party paying itself: still kept). A fee is a
  one-off: its depositor pays the collector at most `deposit_max` times in all (a shop
  paying its supplier every fortnight is not leaving fees), releases come in batches
  (one arrival, one batch: each within `release_span` days of its first release, so
  a group's crossings released by one hawaladar to one collector on following days
  are told apart though no day passes without a release), and the hawaladar's
  payments to the collector over those days are mostly such releases, and they are at
  least `release_share` of the one-off payments the collector took in those days: a
  shop paid by hundreds a month is paid some amount twice by chance, by a customer who
  paid it twice, but two among hundreds are no escrow.
- **settlement**: hawaladars square their books with each other in one large transfer.
  A hawaladar here is a party that pays and is paid by at least `hawala_min` parties
  each, and `hawala_factor` times as many as the median party does, and passes on at
  least `passes_on` of what it takes (a shop is paid by many but pays few; a payroll
  pays many but is paid by few); or one that releases escrowed fees (a ledger records
  its customers' transfers between the customers, so the hawaladar itself may pay
  only releases and settlements). A settlement is a payment to or from one of them at
  least `settle_factor` times its median payment (of both, if both are) and the median
  payment of all. The other side is a hawaladar too, or one whose own book no one holds:
  seen mostly in transfers with hawaladars (no more than `settle_mixed` of its
  transfers with others), or in at most `settle_seen` transfers. A boss who keeps what
  his collectors send up also takes cash from couriers and pays his lieutenants: most
  of his transfers are with others, and he squares no books.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from pinchpoint.money.columns import DAY_BITS, Bools, Columns, Ints, chunks, composite, expand, iso
from pinchpoint.money.detect_fans import bursts
from pinchpoint.money.found import Found, Params, score

CHUNK = 4_000_000
SPACING = 100.0  # between parties' keys in the (party, log amount) order


def structuring(cols: Columns, params: Params) -> list[Found]:
    """Bursts of just-below payments by one payer to one or two names (a depositor
    splitting cash for one account, written two ways). Many paying one account so
    (smurfs) are a fan-in."""
    limits = np.array([params.thresholds.get(c, np.nan) for c in cols.currencies])
    limit = limits[cols.currency] if len(limits) else np.zeros(len(cols))
    below = (cols.amount < limit) & (cols.amount >= limit * (1 - params.below))
    habit = replace(params, surprise=math.inf)  # only the party's own habit, not chance
    found = []
    payees = cols.named(cols.dst)  # a name: one person, resolved or not
    for b in bursts(cols, cols.named(cols.src), np.arange(len(cols)), below,
                    params.structuring_window, params.structuring_min, habit,
                    by_value=False):
        if len(np.unique(payees[b.rows])) <= 2:  # not a payroll's payday
            found.append(_structured(cols, b.rows, b.expected, params))
    return found


def _structured(cols: Columns, rows: Ints, expected: float, params: Params) -> Found:
    payers, payees = np.unique(cols.src[rows]), np.unique(cols.dst[rows])
    who = f"{{{payers[0]}}}" if len(payers) == 1 else f"{len(payers)} parties"
    whom = f"{{{payees[0]}}}" if len(payees) == 1 else f"{len(payees)} parties"
    currencies = sorted({cols.currencies[int(c)] for c in cols.currency[rows]})
    limits = " and ".join(f"{c} {params.thresholds[c]:,.0f}" for c in currencies)
    return Found(
        "structuring", rows, score(len(rows), expected, params.structuring_min),
        f"{who} paid {whom} {len(rows)} times between {iso(cols.day[rows].min())} and "
        f"{iso(cols.day[rows].max())}, each just below the {limits} threshold",
        np.unique(np.concatenate([payers, payees])))


def escrow_releases(cols: Columns, params: Params) -> list[Found]:
    """Releases grouped by hawaladar and collector, by name (records of one person not
    resolved together are two parties of one name), into batches of `release_span` days."""
    pair = cols.src * len(cols.parties) + cols.dst
    pairs, times = np.unique(pair, return_counts=True)
    one_off = times[np.searchsorted(pairs, pair)] <= params.deposit_max
    deposits, releases = _same_amount_later(cols, params)
    payer = cols.src[releases]
    keep = one_off[deposits] & (payer != cols.src[deposits])
    deposits, releases = deposits[keep], releases[keep]
    named = cols.named(cols.src) * len(cols.parties) + cols.named(cols.dst)
    once = np.unique(releases)  # those releasing fewer than release_min are none
    groups, sizes = np.unique(named[once], return_counts=True)
    enough = sizes[np.searchsorted(groups, named[releases])] >= params.release_min
    deposits, releases = deposits[enough], releases[enough]
    if not len(releases):
        return []
    books = _Books(np.sort(composite(pair, cols.day)),
                   np.sort(composite(cols.dst[one_off], cols.day[one_off])))
    order = np.lexsort((cols.day[releases], named[releases]))
    found = []
    for piece in np.split(order, np.flatnonzero(np.diff(named[releases][order])) + 1):
        for batch in _batches(cols.day[releases[piece]], params.release_span):
            chosen = piece[batch]
            made = _release(cols, params, np.unique(deposits[chosen]),
                            np.unique(releases[chosen]), books)
            if made is not None:
                found.append(made)
    return found


@dataclass
class _Books:
    paid: Ints  # every payment as composite(payer * n + payee, day), sorted
    fees: Ints  # one-off payments as composite(payee, day), sorted

    def count(self, stamps: Ints, keys: Ints, first: int, last: int) -> int:
        return int((np.searchsorted(stamps, (keys << DAY_BITS) | last, "right")
                    - np.searchsorted(stamps, (keys << DAY_BITS) | first)).sum())


def _release(cols: Columns, params: Params, dep: Ints, rel: Ints, books: _Books
             ) -> Found | None:
    """Deposits and their releases by one hawaladar, if they are escrow: enough of
    them, most of its payments to the collectors then, and a fair share of the one-off
    payments the collectors took in those days."""
    hawaladars, collectors = np.unique(cols.src[rel]), np.unique(cols.dst[rel])
    hawaladar, days = int(hawaladars[0]), cols.day[rel]
    its = books.count(books.paid, (hawaladars[:, None] * len(cols.parties)
                                   + collectors[None, :]).ravel(), int(days.min()),
                      int(days.max()))
    taken = books.count(books.fees, collectors, int(cols.day[dep].min()), int(days.max()))
    if min(len(dep), len(rel)) < params.release_min or len(rel) < its / 2 or \
            len(rel) < params.release_share * taken:
        return None
    rows = np.concatenate([dep, rel])
    whom = f"{{{collectors[0]}}}" if len(np.unique(cols.named(collectors))) == 1 else \
        f"{len(collectors)} parties"
    if set(collectors.tolist()) <= set(hawaladars.tolist()):  # records resolved as one
        whom = "itself (the hawaladar's and the collector's records resolved as one)"
    return Found(
        "escrow_release", rows, score(len(rel), 0.0, params.release_min),
        f"{{{hawaladar}}} paid {whom} {len(rel)} amounts that {len(np.unique(cols.src[dep]))} "
        f"others had paid them days before, between {iso(cols.day[rows].min())} and "
        f"{iso(cols.day[rows].max())}: fees released",
        np.concatenate([hawaladars, collectors, np.unique(cols.src[dep])]),
        centre=len(hawaladars))


def _same_amount_later(cols: Columns, params: Params) -> tuple[Ints, Ints]:
    """Pairs (earlier, later) of payments to one beneficiary (by name) of the same
    value, the later within `release_days` of the earlier; two on one day are paired
    both ways (a ledger dates by the day, so either may have come first)."""
    ok = np.flatnonzero(np.isfinite(cols.value) & (cols.value > 0))
    logs = np.log(cols.value[ok]) + 50.0  # positive, well under SPACING
    payee = cols.named(cols.dst)  # one name: one collector, resolved or not
    order = np.lexsort((logs, payee[ok]))
    rows = ok[order]
    key = payee[rows] * SPACING + logs[order]
    hi = np.searchsorted(key, key + np.log1p(params.release_match), "right")
    lo = np.arange(1, len(rows) + 1)
    earlier, later = [], []
    for first, stop in chunks(np.maximum(hi - lo, 0), CHUNK):
        i, j = expand(lo[first:stop], hi[first:stop])
        a, b = rows[i + first], rows[j]
        swap = (cols.day[b] < cols.day[a])
        a, b = np.where(swap, b, a), np.where(swap, a, b)
        near = cols.day[b] - cols.day[a] <= params.release_days
        same = near & (cols.day[a] == cols.day[b])  # which came first that day is unknown
        earlier += [a[near], b[same]]
        later += [b[near], a[same]]
    if not earlier:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(earlier), np.concatenate(later)


def _batches(days: Ints, span: int) -> list[Ints]:
    """Positions of sorted days in batches, each from its first day to `span` days
    after: one arrival's releases, even where the next arrival's follow without a day
    between (a gap alone would join them)."""
    found, first = [], 0
    while first < len(days):
        stop = int(np.searchsorted(days, days[first] + span, "right"))
        found.append(np.arange(first, stop))
        first = stop
    return found


def settlements(cols: Columns, params: Params) -> list[Found]:
    n = len(cols.parties)
    hawaladar = _hawaladars(cols, params)
    ends = np.concatenate([cols.src, cols.dst])
    seen = np.bincount(ends, minlength=n)
    partner = np.concatenate([hawaladar[cols.dst], hawaladar[cols.src]])
    with_others = np.bincount(ends, ~partner, minlength=n)  # transfers with non-hawaladars
    other = hawaladar | (with_others <= params.settle_mixed * seen) | (
        seen <= params.settle_seen)
    median = _medians(cols, n)
    ok = np.isfinite(cols.value)
    overall = float(np.median(cols.value[ok])) if ok.any() else 0.0
    side = np.where(hawaladar, median, 0.0)  # only a hawaladar's own habit counts
    bar = params.settle_factor * np.maximum(np.maximum(side[cols.src], side[cols.dst]),
                                            overall)
    big = ok & ((hawaladar[cols.src] & other[cols.dst]) | (hawaladar[cols.dst] &
                                                           other[cols.src])) & \
        (cols.src != cols.dst) & (cols.value >= bar)
    rows = np.flatnonzero(big)
    key = np.round(cols.value[rows]).astype(np.int64)
    payer, payee = cols.named(cols.src[rows]), cols.named(cols.dst[rows])
    groups: dict[tuple[int, int, int, int], list[int]] = {}
    for r, a, b, k in zip(rows.tolist(), payer.tolist(), payee.tolist(), key.tolist(),
                          strict=True):
        groups.setdefault((a, b, int(cols.day[r]), k), []).append(r)
    found = []
    for same in groups.values():
        a, b = int(cols.src[same[0]]), int(cols.dst[same[0]])
        times = cols.value[same[0]] / max(bar[np.searchsorted(rows, same[0])] /
                                          params.settle_factor, 1e-9)
        which = "both pay and are paid by many and pass it on, or release escrowed fees" \
            if hawaladar[a] and hawaladar[b] else f"{{{a if hawaladar[a] else b}}} pays " \
            "and is paid by many and passes it on, or releases escrowed fees"
        found.append(Found(
            "settlement", np.array(same, np.int64), round(min(1.0, times / 20), 3),
            f"{{{a}}} paid {{{b}}} {cols.amount[same[0]]:,.0f} "
            f"{cols.currencies[int(cols.currency[same[0]])]} on "
            f"{iso(int(cols.day[same[0]]))}, {times:.0f} times the usual payment; "
            f"{which}, as hawaladars do", np.array([a, b])))
    return found


def _hawaladars(cols: Columns, params: Params) -> Bools:
    """Parties that act as hawaladars (see the module docstring)."""
    n = len(cols.parties)
    value = np.where(np.isfinite(cols.value), cols.value, 0.0)
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
        hawaladar[release.parties[:release.centre]] = True
    return hawaladar


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
