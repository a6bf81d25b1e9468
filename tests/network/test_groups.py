"""Leiden groups: repeatable with a seed, named after central members and locations."""

from __future__ import annotations

import igraph as ig
import numpy as np

from pinchpoint.network import Network, Node, find_groups


def two_cells() -> Network:
    left = ig.Graph.Full(6)
    graph = left.disjoint_union(ig.Graph.Full(6))
    graph.add_edge(0, 6)
    edges = np.array(graph.get_edgelist())
    network = Network.from_arrays([f"p{i}" for i in range(12)], edges[:, 0], edges[:, 1])
    network.set_attribute("location", ["Calais"] * 5 + [None] + ["Dunkirk"] * 6)
    network.set_attribute("category", ["suspect"] * 6 + ["victim"] + ["suspect"] * 5)
    return network


def test_two_cells_found_and_named() -> None:
    network = two_cells()
    found = find_groups(network, seed=1)
    assert len(found.groups) == 2
    assert found.membership[:6].tolist() == [found.membership[0]] * 6
    assert found.membership[6:].tolist() == [found.membership[6]] * 6
    names = {group.locations[0][0]: group for group in found.groups}
    assert names["Calais"].name.endswith("(Calais)")
    assert names["Calais"].leaders[0] == "p0"  # the bridge end is the most central
    assert "p6" not in names["Dunkirk"].leaders  # a victim never names a group
    assert found.modularity > 0.3


def test_same_seed_same_groups(smugglers: Network) -> None:
    first = find_groups(smugglers, seed=7)
    second = find_groups(smugglers, seed=7)
    assert first.membership.tolist() == second.membership.tolist()
    assert [g.name for g in first.groups] == [g.name for g in second.groups]


def test_groups_numbered_by_size() -> None:
    graph = ig.Graph.Full(3).disjoint_union(ig.Graph.Full(7))
    edges = np.array(graph.get_edgelist())
    network = Network.from_arrays([str(i) for i in range(10)], edges[:, 0], edges[:, 1])
    found = find_groups(network)
    assert [g.size for g in found.groups] == [7, 3]
    assert found.groups[0].id == "G1" and found.membership[3] == 0


def test_roles_are_the_most_common_three(smugglers: Network) -> None:
    found = find_groups(smugglers)
    roles = smugglers.attribute("role")
    for group in found.groups:
        members = [roles[smugglers.index(m)] for m in group.members]
        assert len(group.roles) <= 3
        assert all(members.count(role) == count for role, count in group.roles)


def test_group_name_uses_labels() -> None:
    network = Network.from_records([], [Node("a", "Alpha"), Node("b", "Beta")])
    found = find_groups(network)
    assert {g.name for g in found.groups} == {"Alpha", "Beta"}
