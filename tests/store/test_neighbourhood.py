"""The scoped neighbourhood: only visible relationships between visible ends are edges."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from pinchpoint.store import DuckDBStore, Scope
from pinchpoint.store.neighbourhood import Edge, Node, neighbourhood

T = datetime(2024, 5, 1)
# (entity, schema, prop, value, owner)
ROWS = [
    ("p1", "Person", "name", "Ann", "A"), ("p2", "Person", "name", "Bob", "A"),
    ("p3", "Person", "name", "Cy", "A"), ("p4", "Person", "name", "Di", "C"),
    ("pay1", "Payment", "payer", "p1", "A"), ("pay1", "Payment", "beneficiary", "p2", "A"),
    ("call1", "Call", "caller", "p2", "B"), ("call1", "Call", "receiver", "p3", "B"),
    ("as1", "Associate", "person", "p2", "A"), ("as1", "Associate", "associate", "p4", "A"),
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DuckDBStore]:
    with DuckDBStore(tmp_path / "store.duckdb") as s:
        for i, (entity, schema, prop, value, owner) in enumerate(ROWS):
            s.con.execute(
                "INSERT INTO statements VALUES (?, ?, ?, ?, ?, NULL, NULL, 'src', 'r1', ?, "
                "'2', 'B', '2B', 'P', NULL, 'OFFICIAL', ?, ?, 'b1')",
                [f"s{i}", entity, schema, prop, value, owner, T, T])
        yield s


def _scope(*owners: str) -> Scope:
    return Scope(owners[0], frozenset(owners))


def test_one_hop_gives_the_visible_relationship_with_its_statements(store: DuckDBStore) -> None:
    result = neighbourhood(store, _scope("A"), ["p1"])
    assert result.nodes == (Node("p1", "Person"), Node("p2", "Person"))
    assert result.edges == (Edge("pay1", "Payment", "p1", "p2", ("s4", "s5")),)


def test_an_invisible_relationship_or_end_gives_no_edge(store: DuckDBStore) -> None:
    result = neighbourhood(store, _scope("A"), ["p2"], hops=2)
    # call1 is B's (invisible), p4 is C's (an invisible end): only the payment remains
    assert {e.relationship_id for e in result.edges} == {"pay1"}
    assert {n.entity_id for n in result.nodes} == {"p1", "p2"}
    everything = neighbourhood(store, _scope("A", "B", "C"), ["p2"])
    assert {e.relationship_id for e in everything.edges} == {"pay1", "call1", "as1"}


def test_two_hops_reach_two_steps(store: DuckDBStore) -> None:
    scope = _scope("A", "B", "C")
    one = neighbourhood(store, scope, ["p1"])
    two = neighbourhood(store, scope, ["p1"], hops=2)
    assert {n.entity_id for n in one.nodes} == {"p1", "p2"}
    assert {n.entity_id for n in two.nodes} == {"p1", "p2", "p3", "p4"}
    assert ("call1", "p2", "p3") in {(e.relationship_id, e.source, e.target) for e in two.edges}


def test_an_unknown_or_invisible_id_gives_nothing(store: DuckDBStore) -> None:
    assert neighbourhood(store, _scope("A"), ["nobody"], hops=2) == ((), ())
    assert neighbourhood(store, _scope("A"), ["p4"]) == ((), ())
