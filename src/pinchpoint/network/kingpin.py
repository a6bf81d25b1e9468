"""The kingpin score: one ranking of who matters most, with every ingredient shown.

No single centrality captures a kingpin. Betweenness finds brokers who may be couriers;
PageRank and eigenvector centrality find people tied to other important people; the
k-core finds the dense inner circle; brokerage across groups finds who holds separate
groups together. The score is their weighted mean after scaling each to [0, 1] by a
robust top, the value at the 99.9th percentile of the people who can be ranked (capped
at 1). Scaling by the maximum let one outlier on one measure (a hub with a thousand
one-off customers, or two namesakes wrongly merged) compress everyone else towards
zero on that measure, so the score became that one measure; with the cap, reaching the
top of one measure is worth the same as being the very top, and a high score needs
several. On networks of fewer than 1,000 people the percentile is close to the maximum.

    betweenness 0.25, brokerage across groups 0.25, PageRank 0.20,
    eigenvector 0.15, k-core 0.15

Structure names who holds the network together: brokers, cashiers and recruiters. On
the workspace, where the money and who initiated each call are known, two ingredients of
the business join them (`BUSINESS`) and the structural five share the other half:

    money 0.20        what a person keeps (received - sent, in the base currency)
    leadership 0.30   the head-of-group score within the person's group
                      (`network.leaders`: money kept, command, insulation, centrality)

so that bosses and brokers are both near the top and told apart (each ranked person
carries the suggested role of `network leaders` beside the broker role). An ingredient
the data lacks (no payment, no group) is left out and the others share its weight.

The weights are a documented default, not tuned to any data set; analysts can pass
their own. Victims and witnesses are measured (they are part of the structure) but
never ranked.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pinchpoint.network import measures
from pinchpoint.network.brokerage import ROLES, Brokerage, brokerage
from pinchpoint.network.graph import BoolArray, FloatArray, Network

WEIGHTS: dict[str, float] = {
    "betweenness": 0.25,
    "brokerage": 0.25,
    "pagerank": 0.20,
    "eigenvector": 0.15,
    "kcore": 0.15,
}
# With the business ingredients: half structure (in the proportions above), half business.
BUSINESS: dict[str, float] = {"money": 0.20, "leadership": 0.30}
WITH_BUSINESS: dict[str, float] = {**{k: w / 2 for k, w in WEIGHTS.items()}, **BUSINESS}


@dataclass(frozen=True)
class Ingredient:
    value: float
    scaled: float
    weight: float

    @property
    def contribution(self) -> float:
        return self.scaled * self.weight


@dataclass(frozen=True)
class Ranked:
    """One person in the ranking: the score, each ingredient, and the context."""

    rank: int
    id: str
    label: str
    score: float
    ingredients: dict[str, Ingredient]
    degree: int
    strength: float
    group: str | None
    role: str | None
    broker_role: str | None
    suggested_role: str | None = None  # from `network leaders`, where it was measured

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank, "id": self.id, "label": self.label, "score": self.score,
            "group": self.group, "role": self.role, "broker_role": self.broker_role,
            "suggested_role": self.suggested_role,
            "degree": self.degree, "strength": self.strength,
            "ingredients": {name: {"value": i.value, "scaled": i.scaled, "weight": i.weight,
                                   "contribution": i.contribution}
                            for name, i in self.ingredients.items()},
        }


@dataclass(frozen=True)
class Scores:
    """Everything measured on every node, so rankings, exports and groups share one pass."""

    values: dict[str, FloatArray]
    score: FloatArray
    weights: dict[str, float]
    betweenness: measures.Betweenness
    brokerage: Brokerage
    degree: FloatArray
    strength: FloatArray
    scaled: dict[str, FloatArray]  # each ingredient as it went into the score


def score_network(network: Network, groups: Sequence[Hashable | None],
                  weights: Mapping[str, float] | None = None, seed: int = 0,
                  business: Mapping[str, FloatArray] | None = None) -> Scores:
    """Compute every ingredient and the combined score for all nodes.

    `groups` are what brokerage is across: detected crime groups, countries or roles.
    `business` holds the money and leadership values per node where they were measured
    (`analysis.analyse` does); one that is missing or zero everywhere is left out.
    """
    present = {k: v for k, v in (business or {}).items() if np.any(v > 0)}
    unknown = set(present) - set(BUSINESS)
    if unknown:
        raise ValueError(f"unknown business ingredients: {', '.join(sorted(unknown))}")
    asked = dict((WITH_BUSINESS if present else WEIGHTS) if weights is None else weights)
    unknown = set(asked) - set(WITH_BUSINESS)
    if unknown:
        raise ValueError(f"unknown kingpin ingredients: {', '.join(sorted(unknown))}")
    weights = {k: w for k, w in asked.items() if k in WEIGHTS or k in present}
    graph = network.simple()
    between = measures.betweenness(graph, seed=seed)
    broker = brokerage(network, groups)
    values = {
        "betweenness": between.values,
        "brokerage": broker.across(),
        "pagerank": measures.pagerank(graph),
        "eigenvector": measures.eigenvector(graph),
        "kcore": measures.coreness(graph),
        **{k: np.asarray(v, dtype=np.float64) for k, v in present.items() if k in weights},
    }
    shown = scale_all(values, network.targetable())
    score, shares = weighted(shown, weights)
    return Scores(values, score, shares, between, broker, measures.degree(graph),
                  measures.strength(graph), shown)


TOP_QUANTILE = 0.999


def combine(values: Mapping[str, FloatArray], weights: Mapping[str, float],
            rankable: BoolArray | None = None) -> tuple[FloatArray, dict[str, float]]:
    """The weighted mean of the scaled ingredients, and the weights normalised to sum 1.

    `rankable` marks the people the scale is taken from (victims and witnesses are
    measured but not ranked, so they do not set the scale); all when not given.
    """
    return weighted(scale_all(values, rankable), weights)


def scale_all(values: Mapping[str, FloatArray], rankable: BoolArray | None = None
              ) -> dict[str, FloatArray]:
    """Every ingredient `scaled`."""
    return {name: scaled(v, rankable) for name, v in values.items()}


def weighted(shown: Mapping[str, FloatArray], weights: Mapping[str, float]
             ) -> tuple[FloatArray, dict[str, float]]:
    """`combine` of ingredients already scaled."""
    total = sum(weights.values()) or 1.0
    shares = {name: weight / total for name, weight in weights.items()}
    score = np.zeros(len(next(iter(shown.values()))) if shown else 0)
    for name, share in shares.items():
        score += share * shown[name]
    return score, shares


def scaled(values: FloatArray, rankable: BoolArray | None = None) -> FloatArray:
    """Values divided by the robust top (99.9th percentile of the rankable), capped at 1."""
    pool = values if rankable is None or not rankable.any() else values[rankable]
    if pool.size == 0:
        return np.zeros_like(values)
    top = float(np.quantile(pool, TOP_QUANTILE))
    if top <= 0:
        top = float(pool.max())
    return np.minimum(values / top, 1.0) if top > 0 else np.zeros_like(values)


def rank(network: Network, scores: Scores, top: int | None = None,
         groups: Sequence[str | None] | None = None,
         suggested: Mapping[str, str | None] | None = None) -> list[Ranked]:
    """The ranking, best first, victims and witnesses left out (ties: earlier input first);
    `suggested`: each id's suggested role (`network leaders`), where measured."""
    rankable = network.targetable()
    allowed = np.flatnonzero(rankable)
    order = allowed[np.lexsort((allowed, -np.round(scores.score[allowed], 12)))]
    shown = scores.scaled
    roles = network.attribute("role")
    out = []
    for place, i in enumerate(order[:top] if top is not None else order, start=1):
        ingredients = {name: Ingredient(float(scores.values[name][i]),
                                        float(shown[name][i]), scores.weights.get(name, 0.0))
                       for name in scores.values}
        out.append(Ranked(place, network.ids[i], network.label(int(i)),
                          float(scores.score[i]), ingredients, int(scores.degree[i]),
                          float(scores.strength[i]), groups[i] if groups else None,
                          roles[i], scores.brokerage.main_role(int(i)),
                          (suggested or {}).get(network.ids[i])))
    return out


def describe(scores: Scores, shown: Sequence[Ranked], network: Network) -> dict[str, Any]:
    """How the ranking was made: the weights and how betweenness was obtained."""
    top = np.array([network.index(r.id) for r in shown], dtype=np.int64)
    return {"weights": scores.weights, "betweenness": scores.betweenness.describe(top),
            "brokerage_roles": list(ROLES), "excluded": "victims and witnesses"}
