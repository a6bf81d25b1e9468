"""The kingpin score on CAVIAR and on a typed network with a victim in it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pinchpoint.network import WEIGHTS, Network, analyse, rank, read_edges, score_network
from pinchpoint.network.kingpin import scaled


def test_caviar_principal_trafficker_first(networks: Path) -> None:
    """Node 1 (Daniel Serero, the principal trafficker) tops the ranking."""
    network = read_edges(networks / "caviar" / "caviar_full_undirected.csv")
    result = analyse(network)
    ranked = rank(network, result.scores, top=5, groups=result.groups.labels())
    assert ranked[0].id == "1"
    assert [r.rank for r in ranked] == [1, 2, 3, 4, 5]
    assert ranked[0].score >= ranked[1].score


def test_caviar_directed_matrix_ranks_node_1_first(networks: Path) -> None:
    network = read_edges(networks / "caviar" / "caviar_full_directed.csv")
    assert network.directed
    result = analyse(network)
    assert rank(network, result.scores, top=1)[0].id == "1"


def test_ingredients_add_up_to_the_score(smugglers: Network) -> None:
    result = analyse(smugglers)
    for entry in rank(smugglers, result.scores):
        total = sum(i.contribution for i in entry.ingredients.values())
        assert abs(total - entry.score) < 1e-12
        assert set(entry.ingredients) == set(WEIGHTS)
        assert all(0.0 <= i.scaled <= 1.0 for i in entry.ingredients.values())


def test_victims_are_measured_but_never_ranked(smugglers: Network) -> None:
    result = analyse(smugglers)
    ranked = rank(smugglers, result.scores)
    assert "victim" not in [r.id for r in ranked]
    assert len(ranked) == smugglers.n - 1
    # the victim still sits on paths between pilot and supplier's contacts
    assert smugglers.simple().degree(smugglers.index("victim")) == 2


def test_broker_between_cells_ranks_high(smugglers: Network) -> None:
    result = analyse(smugglers, across="location")
    ranked = rank(smugglers, result.scores)
    top_two = {r.id for r in ranked[:2]}
    assert "broker" in top_two or "boss" in top_two
    broker = next(r for r in ranked if r.id == "broker")
    assert broker.ingredients["brokerage"].value > 0


def test_custom_weights_and_unknown_ingredient(smugglers: Network) -> None:
    scores = score_network(smugglers, smugglers.attribute("location"),
                           weights={"betweenness": 1.0})
    between = scores.values["betweenness"]
    top = np.quantile(between[smugglers.targetable()], 0.999)
    assert np.allclose(scores.score, np.minimum(between / top, 1.0))
    with pytest.raises(ValueError, match="unknown kingpin ingredients"):
        score_network(smugglers, smugglers.attribute("location"), weights={"charisma": 1.0})


def test_one_outlier_does_not_flatten_a_measure() -> None:
    """Scaled by the 99.9th percentile: the runner-up of 2,000 is not squashed by a hub
    a hundred times larger, and nobody goes above 1."""
    values = np.linspace(0.0, 10.0, 2000)
    values[-1] = 1000.0
    out = scaled(values)
    assert out.max() == 1.0
    assert out[-2] > 0.99
    assert out[1000] == pytest.approx(values[1000] / np.quantile(values, 0.999))
    victims_only_large = np.array([5.0, 1.0, 0.5, 100.0])
    rankable = np.array([True, True, True, False])
    assert scaled(victims_only_large, rankable)[0] == pytest.approx(1.0, abs=0.01)
