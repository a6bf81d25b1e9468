"""The disruption planner: whom to arrest, in what order, and what it does to the network.

Arrests are simulated as in Cavallaro et al. (2020): either one at a time, re-ranking the
remaining network after each arrest (`sequential`), or in raids of `block` people taken
together from one ranking (`block`). After every arrest the planner records the size of
the largest connected component relative to the start, their measure of disruption.
Ties between equal scores go to the node later in input order, as in their code, so
their published curves reproduce exactly (tests/network/test_cavallaro.py).

Networks heal. With `rewire` the remaining members reconnect after each arrest, in the
spirit of Duijn et al. (2014): the arrested person's best-connected remaining contact
takes over their ties (each re-formed with probability `rewire_p`); only a member who
may be targeted can take over, never a victim or witness. The plan then also
carries the curve the same strategy would give without healing, for comparison.

Victims and witnesses are never targets but stay in the graph: they still connect people.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import igraph as ig  # type: ignore[import-untyped]
import numpy as np

from pinchpoint.network import measures
from pinchpoint.network.graph import FloatArray, IntArray, Network, NetworkError
from pinchpoint.network.keyplayer import fragmentation, kpp_neg

Score = Callable[[ig.Graph], FloatArray]

STRATEGIES: dict[str, Score] = {
    "betweenness": lambda g: measures.betweenness(g).values,
    "degree": measures.degree,
    "katz": measures.katz,
    "ci": measures.collective_influence,
    "pagerank": lambda g: measures.pagerank(g, weighted=False),
}
STRATEGY_HELP = {
    "betweenness": "share of shortest paths through the person",
    "degree": "number of direct contacts",
    "katz": "Katz centrality (alpha 0.1, lowered if the series diverges)",
    "ci": "collective influence, radius 1",
    "pagerank": "PageRank (damping 0.85)",
    "kpp": "key-player set (KPP-Neg fragmentation, greedy plus swaps)",
}
MODES = ("sequential", "block")
TIEBREAKS = ("input", "id")
CONTACTS = 20  # contacts listed per target


@dataclass(frozen=True)
class Target:
    """One proposed arrest and why: its score when chosen, whom it was still tied to (up to
    20), and the evidence ids behind its ties (empty for a plain edge list)."""

    step: int
    raid: int
    id: str
    label: str
    score: float
    ties: int
    contacts: list[str]
    lcc_after: float
    evidence: list[str]
    reason: str


@dataclass
class Plan:
    strategy: str
    mode: str
    block: int
    rewire: bool
    lcc_start: int
    targets: list[Target]
    curve: list[float]
    fragmentation: float
    baseline_curve: list[float] | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["targets"] = [target.id for target in self.targets]
        out["target_details"] = [asdict(target) for target in self.targets]
        return out


class Simulation:
    """A network under arrest: removed people lose their ties but keep their index."""

    def __init__(self, network: Network, rewire: bool = False, rewire_p: float = 1.0,
                 seed: int = 0) -> None:
        self.network = network
        self.work = network.simple().copy()
        self.alive = np.ones(network.n, dtype=bool)
        self.rewire, self.rewire_p = rewire, rewire_p
        self.rng = np.random.default_rng(seed)
        self.allowed = network.targetable()
        self.start = max(self.lcc(), 1)

    def lcc(self) -> int:
        if not self.alive.any():
            return 0
        return int(max(self.current().connected_components().sizes()))

    def current(self) -> ig.Graph:
        """The remaining network, vertices in input order (as the rankings need)."""
        return self.work.induced_subgraph(np.flatnonzero(self.alive).tolist(),
                                          implementation="create_from_scratch")

    def scores(self, score: Score) -> FloatArray:
        full = np.full(self.network.n, -np.inf)
        full[self.alive] = score(self.current())
        return full

    def remove(self, i: int) -> list[int]:
        """Arrest node i; returns whom it was tied to. Heals the network if asked."""
        neighbours = [int(v) for v in self.work.neighbors(i)]
        self.work.delete_edges(self.work.incident(i))
        self.alive[i] = False
        heirs = [v for v in neighbours if self.allowed[v]]  # a victim takes over nothing
        if self.rewire and heirs:
            degrees = np.array(self.work.degree(heirs), dtype=np.float64)
            heir = heirs[int(measures.rank_order(degrees)[0])]
            new = [(heir, v) for v in neighbours
                   if v != heir and self.rng.random() < self.rewire_p
                   and not self.work.are_adjacent(heir, v)]
            self.work.add_edges(new)
        return neighbours

    def fragmentation(self) -> float:
        return fragmentation(self.current())


@dataclass(frozen=True)
class Options:
    """How a plan is simulated. `tiebreak` decides between equal scores: "input" prefers
    the node later in input order, "id" the larger id (numeric when ids are numbers)."""

    strategy: str = "betweenness"
    mode: str = "sequential"
    block: int = 5
    rewire: bool = False
    rewire_p: float = 1.0
    tiebreak: str = "input"
    seed: int = 0


def plan(network: Network, k: int, strategy: str = "betweenness", mode: str = "sequential",
         block: int = 5, rewire: bool = False, rewire_p: float = 1.0, tiebreak: str = "input",
         seed: int = 0) -> Plan:
    """Simulate k arrests chosen by a strategy; with rewire, also the unhealed baseline."""
    options = Options(strategy, mode, block, rewire, rewire_p, tiebreak, seed)
    _check(network, k, options)
    result = _run(network, k, options)
    if rewire:
        result.baseline_curve = _run(network, k, replace(options, rewire=False)).curve
    return result


def _check(network: Network, k: int, options: Options) -> None:
    if options.strategy not in STRATEGY_HELP:
        raise NetworkError(f"unknown strategy {options.strategy!r}; choose from "
                           f"{', '.join(STRATEGY_HELP)}")
    if options.mode not in MODES:
        raise NetworkError(f"unknown mode {options.mode!r}; choose sequential or block")
    if options.tiebreak not in TIEBREAKS:
        raise NetworkError(f"unknown tiebreak {options.tiebreak!r}; choose input or id")
    if k < 0 or options.block < 1:
        raise NetworkError("k must be >= 0 and the block size >= 1")
    if not 0.0 <= options.rewire_p <= 1.0:
        raise NetworkError("the rewiring probability must lie between 0 and 1")
    if k > int(network.targetable().sum()):
        raise NetworkError(f"k={k} exceeds the {int(network.targetable().sum())} people "
                           "who may be targeted")


def _run(network: Network, k: int, options: Options) -> Plan:
    strategy, mode, block = options.strategy, options.mode, options.block
    sim = Simulation(network, options.rewire, options.rewire_p, options.seed)
    allowed = network.targetable()
    prefer = network.id_rank() if options.tiebreak == "id" else None
    curve = [1.0]
    targets: list[Target] = []
    notes: list[str] = []
    fixed: Sequence[int] | None = None
    if strategy == "kpp":
        found = kpp_neg(network, k)
        fixed = found.order
        notes.append(f"KPP-Neg set, fragmentation {found.fragmentation:.3f} "
                     f"({found.rounds} swap rounds)")
    queue: list[tuple[int, float]] = []
    for step in range(1, k + 1):
        if fixed is not None:
            queue = [(fixed[step - 1], float("nan"))]
        elif mode == "sequential" or not queue:
            scores = sim.scores(STRATEGIES[strategy])
            candidates = np.flatnonzero(sim.alive & allowed)
            take = 1 if mode == "sequential" else block
            queue = [(int(i), float(scores[i])) for i in
                     measures.rank_order(scores, candidates, prefer)[:take]]
        i, score = queue.pop(0)
        ties = sim.remove(i)
        contacts = [network.ids[v] for v in ties[:CONTACTS]]
        if fixed is not None:
            score = sim.fragmentation()
        curve.append(sim.lcc() / sim.start)
        raid = step if mode == "sequential" else (step - 1) // block + 1
        targets.append(Target(step, raid, network.ids[i], network.label(i), score, len(ties),
                              contacts, curve[-1], network.evidence(i),
                              _reason(strategy, score, raid)))
    return Plan(strategy, mode, block, options.rewire, sim.start, targets, curve,
                sim.fragmentation(), notes=notes)


def _reason(strategy: str, score: float, raid: int) -> str:
    if strategy == "kpp":
        return (f"member of the key-player set that fragments the network most "
                f"(fragmentation {score:.3f} once arrested)")
    after = "the whole network" if raid == 1 else "the network left by the earlier arrests"
    return f"high {STRATEGY_HELP[strategy]} ({score:.4g}) in {after}"


def removal_curve(network: Network, order: Sequence[int]) -> list[float]:
    """Relative LCC size after removing the given nodes one by one (k = 0..len)."""
    sim = Simulation(network)
    curve = [1.0]
    for i in order:
        sim.remove(int(i))
        curve.append(sim.lcc() / sim.start)
    return curve


def top_nodes(scores: FloatArray, k: int, allowed: IntArray | None = None) -> list[int]:
    return [int(i) for i in measures.rank_order(scores, allowed)[:k]]
