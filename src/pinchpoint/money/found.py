"""What a detector finds, and the parameters every detector reads.

Kept apart from the detectors so each detector module imports only this and the columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pinchpoint.money.columns import Ints

#: Reporting thresholds per currency: payments just below one, repeated, are structuring.
#: 1,000 is the demo scenario's (the identity check of a money-service business); the
#: UK's and EU's own thresholds are set by each firm's policy, so the table is the
#: analyst's to change (`Params.thresholds`, `--threshold CUR=AMOUNT`).
THRESHOLDS: dict[str, float] = {"GBP": 1_000.0, "EUR": 1_000.0, "USD": 1_000.0}


@dataclass(frozen=True)
class Params:
    """Every detector's parameters, with the defaults docs/money.md explains."""

    window: int = 10  # days a fan, gather or scatter happens within
    min_degree: int = 5  # distinct counterparties in that window
    burst: float = 4.0  # times the party's own usual count for such a window
    surprise: float = 1e-4  # and that likely at most by chance, at its usual rate,
    unusual: float = 2.0  # if its payments' median is this many times its others' 90th pct
    cycle_window: int = 20  # days from a cycle's first payment to its last
    cycle_min: int = 3  # payments in a cycle, at least and at most
    cycle_max: int = 6
    keep: float = 0.75  # each hop of a cycle passes on at least this share of the last
    thresholds: dict[str, float] = field(default_factory=lambda: dict(THRESHOLDS))
    below: float = 0.15  # "just below": within this share under the threshold
    structuring_min: int = 3  # such payments, payer to beneficiary, within
    structuring_window: int = 7  # days
    release_days: int = 21  # an escrow release follows its deposit within this
    release_match: float = 0.005  # the same amount, within this share
    deposit_max: int = 2  # a depositor pays the collector at most this often in all
    release_span: int = 2  # days from a batch's first release to its last
    release_share: float = 0.05  # of the one-off payments the collector took meanwhile
    release_min: int = 2  # deposits released by the same hawaladar to the same collector
    hawala_min: int = 20  # a hawaladar pays and is paid by at least this many parties
    hawala_factor: float = 10.0  # and this many times as many as the median party
    passes_on: float = 0.5  # and passes on at least this share of what it takes in
    settle_factor: float = 2.0  # a settlement is this many times the hawaladars' median
    settle_seen: int = 3  # ...with a hawaladar, or one seen in at most this many transfers
    settle_mixed: float = 0.2  # ...or in no more than this share with non-hawaladars


@dataclass
class Found:
    """One alert as rows of the columns, before it is named."""

    typology: str
    rows: Ints  # transfer rows
    score: float
    why: str
    parties: Ints = field(default_factory=lambda: np.zeros(0, np.int64))
    centre: int = 1  # how many of the first parties the pattern centres on


def score(count: int, expected: float, least: int) -> float:
    """How far a count stands above what the party usually does and the least that
    counts: 0 at the least, towards 1 far above both."""
    above = 1.0 - (expected + 1.0) / max(count, 1)
    return round(max(0.0, min(1.0, above * min(1.0, count / (2.0 * least)))), 3)


__all__ = ["THRESHOLDS", "Found", "Params", "score"]
