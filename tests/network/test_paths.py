"""Paths with evidence on every hop, k shortest, weighted and in time order."""

from __future__ import annotations

import pytest

from pinchpoint.network import Network, NetworkError, shortest_paths


def test_shortest_path_with_evidence(smugglers: Network) -> None:
    [path] = shortest_paths(smugglers, "fixer", "pilot")
    assert path.nodes == ["fixer", "boss", "broker", "pilot"]
    assert path.labels[0] == "Fixer" and path.cost == 3
    boss_broker = path.hops[1]
    assert {link.type for link in boss_broker.links} == {"payment", "call"}
    assert {e for link in boss_broker.links for e in link.evidence} == {"pay-1", "call-3"}


def test_k_shortest(smugglers: Network) -> None:
    paths = shortest_paths(smugglers, "pilot", "mule", k=3)
    assert [p.nodes for p in paths[:2]] == [["pilot", "mule"], ["pilot", "supplier", "mule"]]
    assert len(paths) == 3


def test_weighted_prefers_strong_ties(smugglers: Network) -> None:
    [path] = shortest_paths(smugglers, "pilot", "mule", weighted=True)
    assert path.nodes == ["pilot", "mule"]
    assert path.cost == pytest.approx(1.0)
    [path] = shortest_paths(smugglers, "boss", "driver", weighted=True)
    assert path.nodes == ["boss", "fixer", "driver"]  # 1/5 + 1/2 < 1/1


def test_time_ordered_path(smugglers: Network) -> None:
    """pilot-mule happened on Jan 3, before broker-pilot (Jan 6): the plain shortest
    path broker-pilot-mule is not possible in time, so the route goes via supplier."""
    [plain] = shortest_paths(smugglers, "broker", "mule")
    assert plain.nodes == ["broker", "pilot", "mule"]
    [timed] = shortest_paths(smugglers, "broker", "mule", time_ordered=True)
    assert timed.nodes == ["broker", "pilot", "supplier", "mule"]
    assert [hop.when for hop in timed.hops] == ["2024-01-06", "2024-01-07", "2024-01-08"]
    assert shortest_paths(smugglers, "mule", "boss", time_ordered=True) == []


def test_errors(smugglers: Network) -> None:
    with pytest.raises(NetworkError, match="no node 'nobody'"):
        shortest_paths(smugglers, "boss", "nobody")
    with pytest.raises(NetworkError, match="must differ"):
        shortest_paths(smugglers, "boss", "boss")
    plain = Network.from_records([], [])
    assert plain.n == 0


def test_a_node_can_be_named_by_the_start_of_its_id(smugglers: Network) -> None:
    assert smugglers.find("broker") == "broker" and smugglers.find("sup") == "supplier"
    with pytest.raises(NetworkError, match="'b' is the start of 2 node ids"):
        smugglers.find("b")
    with pytest.raises(NetworkError, match="no node 'nobody'"):
        smugglers.find("nobody")
