"""Disruption strategies side by side, and against random arrests.

A removal curve means little alone: "the largest connected part is 40% of the original
after ten arrests" is good only if ten arrests chosen at random would have left more.
`compare` runs `plan` once per strategy on the same network with the same settings, and
`random_baseline` arrests `k` people drawn at random (never a victim or witness), `runs`
times from one seed, giving the mean curve and its lowest and highest values per arrest:
the band any strategy worth its name should stay under.

`shielded` marks people as victims or witnesses on a copy of the network, for callers
who know more about who is protected than the network's categories say (the API: a
person whose details are withheld from the caller is one, though the caller may not see
their category); the planner then never proposes them, and they take over no ties when
the network rewires.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from pinchpoint.network.disruption import STRATEGY_HELP, Plan, Simulation, plan
from pinchpoint.network.graph import BoolArray, Network, NetworkError

MAX_RUNS = 1000
SHIELDED = "witness"
"""The category `shielded` gives the people it protects (one `targetable` refuses)."""


@dataclass(frozen=True)
class RandomBaseline:
    """Removal curves of `runs` random arrest orders: per arrest (k = 0..K), the mean
    relative size of the largest connected part and the lowest and highest seen."""

    runs: int
    seed: int
    mean: list[float]
    low: list[float]
    high: list[float]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Comparison:
    """Every strategy's plan on one network, and the random baseline beside them."""

    k: int
    plans: list[Plan]
    random: RandomBaseline

    def to_dict(self) -> dict[str, Any]:
        return {"k": self.k,
                "strategies": [{**found.to_dict(), "about": STRATEGY_HELP[found.strategy]}
                               for found in self.plans],
                "random": self.random.to_dict()}


def shielded(network: Network, protected: BoolArray) -> Network:
    """`network` with the `protected` people also counting as witnesses: a new `Network`
    over the same link arrays (its own simple view is built again when asked for); the
    network itself when that protects nobody new."""
    if len(protected) != network.n:
        raise NetworkError("protected needs one value per node")
    extra = protected & network.targetable()
    if not extra.any():
        return network
    categories = network.attribute("category")
    marked = [SHIELDED if extra[i] else categories[i] for i in range(network.n)]
    return Network(network.ids, network.src, network.dst, network.weight,
                   {**network.node_attrs, "category": marked}, network.link_attrs,
                   network.directed)


def random_baseline(network: Network, k: int, runs: int = 20, seed: int = 0,
                    rewire: bool = False) -> RandomBaseline:
    """The removal curves of `runs` sets of `k` arrests drawn at random, without
    replacement, from those who may be targeted (`Network.targetable`: never a victim
    or witness), from one seeded generator, so the same call gives the same band. With
    `rewire` the network heals after each arrest as `plan` lets it."""
    pool = np.flatnonzero(network.targetable())
    if k < 0:
        raise NetworkError("k must be >= 0")
    if not 1 <= runs <= MAX_RUNS:
        raise NetworkError(f"runs must lie between 1 and {MAX_RUNS}")
    if k > len(pool):
        raise NetworkError(f"k={k} exceeds the {len(pool)} people who may be targeted")
    rng = np.random.default_rng(seed)
    curves = np.array([_curve(network, rng.choice(pool, size=k, replace=False).tolist(),
                              rewire) for _ in range(runs)], dtype=np.float64)
    return RandomBaseline(runs, seed, curves.mean(axis=0).tolist(),
                          curves.min(axis=0).tolist(), curves.max(axis=0).tolist())


def _curve(network: Network, order: Sequence[int], rewire: bool) -> list[float]:
    """Relative LCC after each arrest of `order` (k = 0..len), healing with `rewire`."""
    sim = Simulation(network, rewire)
    curve = [1.0]
    for i in order:
        sim.remove(int(i))
        curve.append(sim.lcc() / sim.start)
    return curve


def compare(network: Network, k: int, strategies: Sequence[str], mode: str = "sequential",
            block: int = 5, rewire: bool = False, runs: int = 20, seed: int = 0
            ) -> Comparison:
    """`plan` for each of `strategies` (each once, in the order given) and the random
    baseline of `runs` draws, all with `k` arrests on `network`."""
    unknown = [name for name in strategies if name not in STRATEGY_HELP]
    if unknown:
        raise NetworkError(f"unknown strategy {unknown[0]!r}; choose from "
                           f"{', '.join(STRATEGY_HELP)}")
    chosen = list(dict.fromkeys(strategies))
    plans = [plan(network, k, name, mode, block, rewire) for name in chosen]
    return Comparison(k, plans, random_baseline(network, k, runs, seed, rewire))
