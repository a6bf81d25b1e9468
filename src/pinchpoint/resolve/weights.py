"""Match weights (log2 Bayes factors, prior included) and match probabilities."""

from __future__ import annotations

import math


def probability(weight: float) -> float:
    """Match probability of a match weight."""
    if weight <= -1000:
        return 0.0
    return 1.0 / (1.0 + 2.0 ** -weight) if weight < 1000 else 1.0


def weight_of(probability_: float) -> float:
    """Match weight of a match probability (the inverse of :func:`probability`)."""
    p = min(max(probability_, 1e-12), 1 - 1e-12)
    return math.log2(p / (1 - p))
