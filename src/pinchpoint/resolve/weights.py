"""Match weights (log2 Bayes factors, prior included) and match probabilities."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]


def probability(weight: float) -> float:
    """Match probability of a match weight."""
    if weight <= -1000:
        return 0.0
    return 1.0 / (1.0 + 2.0 ** -weight) if weight < 1000 else 1.0


def weight_of(probability_: float) -> float:
    """Match weight of a match probability (the inverse of :func:`probability`)."""
    p = min(max(probability_, 1e-12), 1 - 1e-12)
    return math.log2(p / (1 - p))


def probabilities(weights: Floats) -> Floats:
    """:func:`probability` of each weight of an array."""
    with np.errstate(over="ignore"):
        out = 1.0 / (1.0 + np.exp2(-weights))
    out[weights <= -1000] = 0.0
    out[weights >= 1000] = 1.0
    return np.asarray(out, dtype=np.float64)


def weights_of(probabilities_: Floats) -> Floats:
    """:func:`weight_of` of each probability of an array."""
    p = np.clip(probabilities_, 1e-12, 1 - 1e-12)
    return np.asarray(np.log2(p / (1 - p)), dtype=np.float64)
