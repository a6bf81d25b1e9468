"""Gould-Fernandez brokerage: the vectorised counts equal a literal enumeration."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pinchpoint.network import ROLES, Network, brokerage
from pinchpoint.network.brokerage import group_codes


def enumerate_chains(n: int, arcs: set[tuple[int, int]], grp: np.ndarray) -> dict[str, list[int]]:
    out = {role: [0] * n for role in ROLES}
    for b in range(n):
        for a in (x for x in range(n) if (x, b) in arcs):
            for c in (y for y in range(n) if (b, y) in arcs):
                if a == c or (a, c) in arcs:
                    continue
                ga, gb, gc = grp[a], grp[b], grp[c]
                if ga == gb == gc:
                    role = "coordinator"
                elif ga != gb and gc == gb:
                    role = "gatekeeper"
                elif ga == gb:
                    role = "representative"
                elif ga == gc:
                    role = "consultant"
                else:
                    role = "liaison"
                out[role][b] += 1
    return out


graphs = st.integers(3, 14).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=45),
    st.lists(st.one_of(st.none(), st.integers(0, 2)), min_size=n, max_size=n),
    st.booleans()))


@settings(max_examples=80, deadline=None)
@given(graphs)
def test_counts_match_enumeration(case: tuple[int, list[tuple[int, int]],
                                              list[int | None], bool]) -> None:
    n, pairs, groups, directed = case
    src = np.array([a for a, _ in pairs], dtype=np.int64)
    dst = np.array([b for _, b in pairs], dtype=np.int64)
    network = Network.from_arrays([str(i) for i in range(n)], src, dst, directed=directed)
    arcs = {(a, b) for a, b in pairs if a != b}
    if not directed:
        arcs |= {(b, a) for a, b in arcs}
    expected = enumerate_chains(n, arcs, group_codes(groups))
    found = brokerage(network, groups)
    for role in ROLES:
        assert found.counts[role].tolist() == expected[role], role


def test_textbook_roles() -> None:
    """One chain per role, directed, b always in the middle."""
    cases = {
        "coordinator": ["x", "x", "x"],
        "gatekeeper": ["y", "x", "x"],
        "representative": ["x", "x", "y"],
        "consultant": ["y", "x", "y"],
        "liaison": ["y", "x", "z"],
    }
    for role, groups in cases.items():
        network = Network.from_arrays(["a", "b", "c"], np.array([0, 1]), np.array([1, 2]),
                                      directed=True)
        found = brokerage(network, groups)
        assert found.main_role(1) == role
        assert found.counts[role].tolist() == [0, 1, 0]
        assert found.across()[1] == (0 if role == "coordinator" else 1)


def test_undirected_counts_both_directions() -> None:
    network = Network.from_arrays(["a", "b", "c"], np.array([0, 1]), np.array([1, 2]))
    found = brokerage(network, ["x", "x", "y"])
    assert found.counts["gatekeeper"][1] == found.counts["representative"][1] == 1
