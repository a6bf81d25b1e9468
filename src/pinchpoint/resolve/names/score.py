"""Score only: exactly ``compare_names(...).score`` without building the explanation.

Bulk scoring (``score_pair``) and the API's search (up to 80 candidate names a query)
need the number only. Building each comparison's explanation (pairs, extras, penalties
and display strings, then the score recomputed from them) was about a fifth of a
comparison, so this path follows the same analyses, alignment, aliases, rounding and
arithmetic (``match._agreement_of``, ``math.prod`` of the penalty factors in the same
order) and keeps only the floats; tests/resolve/test_name_score_only.py holds the two
equal with ``==`` over a broad corpus.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from pinchpoint.resolve.names.align import align
from pinchpoint.resolve.names.config import DEFAULT_CONFIG, MatchConfig
from pinchpoint.resolve.names.match import (
    _agreement_of,
    _alias_options,
    _analysed,
    _extra_weight,
    _pair_weight,
    _penalties,
)
from pinchpoint.resolve.names.parts import NameAnalysis


def _score_only(left: NameAnalysis, right: NameAnalysis, config: MatchConfig) -> float:
    """``score_analyses(left, right, config).score`` without the explanation: the same
    rounded numbers through the same arithmetic (``_agreement_of``, ``math.prod``)."""
    alignment = align(left, right, config)
    weights = [_pair_weight(pair, config) for pair in alignment.pairs]
    pairs = [(round(w, 4), round(pair.similarity.score, 4), pair.conflict)
             for pair, w in zip(alignment.pairs, weights, strict=True)]
    extras = [_extra_weight(part, left.kind, config)
              for part in (*alignment.left_extra, *alignment.right_extra)]
    return _agreement_of(pairs, extras, config, left.kind) * math.prod(
        _penalties(left, right, alignment, weights, config))


@dataclass(frozen=True)
class PairScore:
    """A light result for bulk scoring: score and verdict only."""

    score: float
    match: bool
    extra: dict[str, Any] = field(default_factory=dict)


def name_score(left: str, right: str, schema: str | None = "Person",
               config: MatchConfig = DEFAULT_CONFIG) -> float:
    """Exactly ``compare_names(left, right, schema, config).score``, without building the
    explanation (its strings and objects were most of a comparison's cost once the parts
    were compared): the same analyses, aliases, arithmetic and rounding."""
    a, b = _analysed(left, right, schema)
    best = _score_only(a, b, config)
    for x, y in _alias_options(a, b):
        alias_score = _score_only(x, y, config) * config.alias_factor
        if alias_score > best:
            best = alias_score
    return round(best, 6)


def score_pair(left: str, right: str, schema: str | None = "Person",
               config: MatchConfig = DEFAULT_CONFIG) -> PairScore:
    """Score only (for thousands of pairs); same number as ``compare_names().score``."""
    score = name_score(left, right, schema, config)
    return PairScore(score, score >= config.threshold)
