"""The kingpin score on CAVIAR and on a typed network with a victim in it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pinchpoint.network import WEIGHTS, Network, analyse, rank, read_edges, score_network


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
    assert np.allclose(scores.score, scores.values["betweenness"]
                       / scores.values["betweenness"].max())
    with pytest.raises(ValueError, match="unknown kingpin ingredients"):
        score_network(smugglers, smugglers.attribute("location"), weights={"charisma": 1.0})
