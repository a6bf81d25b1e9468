"""The network's reads stream from SQL: references come grouped by the entity that makes
them, a chunk at a time, and the call direction is counted in SQL from calls and
messages alone.

At national scale the references run to tens of millions; held as one list of Python
objects (twice: once for the projection, once for the call direction) they alone
outgrew a 24 GB machine. These tests pin that the streamed reads give what the list
gave. Uses the resolved small scenario of tests/resolve (a session fixture).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pinchpoint.network import Network, leader_evidence
from pinchpoint.network.leader_evidence import DIRECTED, directed_ties
from pinchpoint.network.project import ORGANISATIONS, project
from pinchpoint.resolve import resolution_map
from pinchpoint.store import graph_reads

sys.path.insert(0, str(Path(__file__).parents[1] / "resolve"))  # the resolve fixtures
pytest_plugins = ["resolve_fixtures"]

TARGETS = ("Person", *ORGANISATIONS)


@pytest.mark.parametrize("chunk", [1, 7, 100_000])
def test_pointing_gives_the_references_grouped_by_entity_whatever_the_chunk(
        resolved: Any, chunk: int) -> None:
    with resolved.workspace.open_store(read_only=True) as store:
        refs = graph_reads.references(store, resolved.scope, TARGETS)
        found = list(graph_reads.pointing(store, resolved.scope, TARGETS, dates=True,
                                          chunk=chunk))
        dated = graph_reads.entity_dates(store, resolved.scope,
                                         sorted({r.schema for r in refs}))
    assert refs and [r for f in found for r in f.refs] == refs
    entities = [f.entity_id for f in found]
    assert entities == sorted(set(entities))  # each entity once, in id order
    assert all(r.entity_id == f.entity_id for f in found for r in f.refs)
    assert {f.entity_id: f.span for f in found} == {e: dated.get(e) for e in entities}
    assert any(f.span is not None for f in found)


def test_pointing_filters_schemata_and_properties_in_sql(resolved: Any) -> None:
    props = ("caller", "sender")
    with resolved.workspace.open_store(read_only=True) as store:
        everything = graph_reads.references(store, resolved.scope, ("Person",))
        found = list(graph_reads.pointing(store, resolved.scope, ("Person",),
                                          ("Call", "Message"), props, chunk=3))
        nothing = list(graph_reads.pointing(store, resolved.scope, ("Person",), ()))
    wanted = [r for r in everything if r.schema in ("Call", "Message") and r.prop in props]
    assert wanted and [r for f in found for r in f.refs] == wanted
    assert all(f.span is None for f in found)  # dates only when asked for
    assert nothing == []


def _directed_from_every_reference(store: Any, scope: Any) -> Counter[tuple[str, str]]:
    """The call direction as it was computed before: from every reference to a person,
    filtered in Python (the oracle)."""
    canonical = resolution_map(store, scope)
    ends: dict[str, tuple[str, dict[str, set[str]]]] = {}
    for ref in graph_reads.references(store, scope, ("Person",)):
        if ref.schema in DIRECTED and ref.prop in DIRECTED[ref.schema]:
            _, held = ends.setdefault(ref.entity_id, (ref.schema, {}))
            held.setdefault(ref.prop, set()).add(canonical.get(ref.target, ref.target))
    ties: Counter[tuple[str, str]] = Counter()
    for schema, held in ends.values():
        first, second = DIRECTED[schema]
        ties.update((a, b) for a in held.get(first, ()) for b in held.get(second, ())
                    if a != b)
    return ties


def test_directed_ties_read_only_calls_and_messages_and_give_the_same_ties(
        resolved: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with resolved.workspace.open_store(read_only=True) as store:
        expected = _directed_from_every_reference(store, resolved.scope)
        with monkeypatch.context() as patched:  # no list of every reference any more
            patched.setattr(leader_evidence.graph_reads, "references", _no_list)
            ties = directed_ties(store, resolved.scope)
    assert expected and ties == expected
    assert list(ties) == sorted(ties)  # in (initiator, receiver) order, whatever the chunk
    with resolved.workspace.open_store(read_only=True) as store:
        for chunk in (1, 4):
            found = graph_reads.initiated_ties(store, resolved.scope, DIRECTED, chunk=chunk)
            assert [((a, b), n) for a, b, n in found] == list(ties.items())
        assert list(graph_reads.initiated_ties(store, resolved.scope, {})) == []


def test_held_identifiers_are_the_identifiers_whatever_the_chunk(resolved: Any) -> None:
    with resolved.workspace.open_store(read_only=True) as store:
        whole = graph_reads.identifiers(store, resolved.scope)
        for chunk in (1, 3, 10_000):
            assert list(graph_reads.held_identifiers(store, resolved.scope, chunk)) == whole
    assert len(whole) > 3


def test_the_projection_streams_its_references_and_identifiers(
        resolved: Any, projected: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with resolved.workspace.open_store(read_only=True) as store:
        monkeypatch.setattr(graph_reads, "references", _no_list)
        monkeypatch.setattr(graph_reads, "identifiers", _no_list)
        network = project(store, resolved.scope)
    assert network.m > 0 and network.ids == projected.ids
    assert network.link_attrs == projected.link_attrs
    assert (network.src == projected.src).all() and (network.dst == projected.dst).all()


@pytest.fixture(scope="module")
def projected(resolved: Any) -> Network:
    with resolved.workspace.open_store(read_only=True) as store:
        return project(store, resolved.scope)


def _no_list(*_args: object) -> None:
    raise AssertionError("read every reference into one list")


@pytest.mark.parametrize("chunk", [1, 5, 100_000])
def test_person_summaries_count_each_value_over_a_persons_records(resolved: Any,
                                                                   chunk: int) -> None:
    """What a node says (name, category, country, nationality, records) is counted in SQL
    per resolved person, as merging every record's values in Python counted it."""
    props = ("name", "personCategory", "country", "nationality")
    with resolved.workspace.open_store(read_only=True) as store:
        canonical = resolution_map(store, resolved.scope)
        want: dict[str, dict[str, Counter[str]]] = {}
        records: Counter[str] = Counter()
        for values in store.entity_values(resolved.scope, "Person", props):
            for item in values:
                node = canonical.get(item.entity_id, item.entity_id)
                records[node] += 1
                into = want.setdefault(node, {})
                for prop, found in item.values.items():
                    into.setdefault(prop, Counter()).update(found)
        got = list(graph_reads.person_summaries(store, resolved.scope, props, chunk=chunk))
    assert [g.node for g in got] == sorted(want)
    assert {g.node: g.records for g in got} == records
    assert {g.node: {p: Counter(v) for p, v in g.values.items()} for g in got} == want
    assert any(records[n] > 1 for n in records)  # some persons have several records


def test_shared_identifiers_are_held_by_visible_persons_only(resolved: Any) -> None:
    with resolved.workspace.open_store(read_only=True) as store:
        everything = list(graph_reads.held_identifiers(store, resolved.scope))
        persons = {item.entity_id for chunk in store.entity_values(
            resolved.scope, "Person", ("name",)) for item in chunk}
        held = list(graph_reads.held_identifiers(store, resolved.scope, persons_only=True))
    assert held == [i for i in everything if i.holder in persons]
    assert held
