"""The planner beyond the paper: raids, healing, protected people, evidence, errors."""

from __future__ import annotations

import igraph as ig
import numpy as np
import pytest

from pinchpoint.network import Link, Network, NetworkError, Node, plan, removal_curve
from pinchpoint.network.disruption import Simulation


def chain_of_stars() -> Network:
    """Three stars whose centres form a path: removing centres shatters it."""
    edges = [(0, 1), (1, 2)]
    for centre in range(3):
        edges += [(centre, 3 + 4 * centre + leaf) for leaf in range(4)]
    array = np.array(edges)
    return Network.from_arrays([f"n{i}" for i in range(15)], array[:, 0], array[:, 1])


def test_sequential_curve_and_targets() -> None:
    network = chain_of_stars()
    result = plan(network, 3, "degree")
    assert result.curve[0] == 1.0 and len(result.curve) == 4
    assert sorted(result.targets[i].id for i in range(3)) == ["n0", "n1", "n2"]
    assert result.curve[-1] == pytest.approx(1 / 15)
    assert [t.step for t in result.targets] == [1, 2, 3]
    assert result.to_dict()["targets"] == [t.id for t in result.targets]


def test_block_mode_ranks_once_per_raid() -> None:
    network = chain_of_stars()
    result = plan(network, 4, "betweenness", mode="block", block=2)
    assert [t.raid for t in result.targets] == [1, 1, 2, 2]
    assert result.targets[0].id == "n1"


def test_victims_never_targeted(smugglers: Network) -> None:
    for strategy in ("betweenness", "degree", "katz", "ci", "pagerank", "kpp"):
        result = plan(smugglers, 7, strategy)
        assert "victim" not in [t.id for t in result.targets]
    with pytest.raises(NetworkError, match="exceeds the 7 people"):
        plan(smugglers, 8)


def test_targets_carry_evidence(smugglers: Network) -> None:
    first = plan(smugglers, 1, "betweenness").targets[0]
    assert first.id in {"boss", "broker", "pilot"}
    assert first.evidence and first.ties >= 2
    assert "shortest paths" in first.reason and "whole network" in first.reason


def test_rewiring_heals_and_keeps_the_baseline() -> None:
    network = chain_of_stars()
    healed = plan(network, 2, "degree", rewire=True)
    assert healed.baseline_curve is not None
    assert healed.baseline_curve == plan(network, 2, "degree").curve
    assert all(h >= b for h, b in zip(healed.curve, healed.baseline_curve, strict=True))
    assert healed.curve[1] == pytest.approx(14 / 15)  # the heir took over every tie
    unhealed = plan(network, 2, "degree", rewire=True, rewire_p=0.0)
    assert unhealed.curve == healed.baseline_curve


def test_kpp_strategy_orders_its_set() -> None:
    graph = ig.Graph.Ring(12)
    edges = np.array(graph.get_edgelist())
    network = Network.from_arrays([str(i) for i in range(12)], edges[:, 0], edges[:, 1])
    result = plan(network, 3, "kpp")
    assert result.fragmentation > 0.6
    assert result.curve == removal_curve(network, [network.index(t.id)
                                                   for t in result.targets])


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"strategy": "charm"}, "unknown strategy"),
    ({"mode": "chaos"}, "unknown mode"),
    ({"tiebreak": "coin"}, "unknown tiebreak"),
    ({"block": 0}, "block size"),
    ({"rewire_p": 2.0}, "probability"),
])
def test_bad_options(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(NetworkError, match=message):
        plan(chain_of_stars(), 2, **kwargs)  # type: ignore[arg-type]


def test_a_victim_never_takes_over() -> None:
    links = [Link("boss", "victim"), Link("boss", "a"), Link("boss", "b"),
             Link("victim", "x"), Link("victim", "y"), Link("victim", "z")]
    network = Network.from_records(links, [Node("victim", category="victim")])
    sim = Simulation(network, rewire=True)
    sim.remove(network.index("boss"))
    heir_ties = {network.ids[v] for v in sim.work.neighbors(network.index("b"))}
    assert heir_ties == {"a", "victim"}  # b (later of the equals a, b) took over
    assert sim.work.degree(network.index("victim")) == 4


def test_contacts_listed_and_negative_weights_refused() -> None:
    network = chain_of_stars()
    first = plan(network, 1, "degree").targets[0]
    assert first.id == "n1" and first.contacts == ["n0", "n2", "n7", "n8", "n9", "n10"]
    with pytest.raises(NetworkError, match="weight must be >= 0"):
        Network.from_records([Link("a", "b", weight=-1.0)])
