"""Access is decided where data is read: every read takes a scope, and a scope for one
agency never sees another agency's statements, counts, quarantine or batches."""

from __future__ import annotations

import inspect
import io
import json
import typing
from pathlib import Path

import pytest
from builders import LEDGER_HEADER, LEDGER_ROWS, write_csv, write_layout
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.model.owned import is_owned
from pinchpoint.store import DuckDBStore, Scope, Workspace, init_workspace
from pinchpoint.store import entities as store_entities

# Public DuckDBStore methods that are not reads. Anything else public must take the
# scope first; add a method here only if it reads nothing. The writes return only
# counts of what they wrote or removed.
NOT_READS = {"close", "stage", "batch_group", "import_statements", "erase_source",
             "release_memory"}


def _public_methods(cls: type) -> dict[str, typing.Any]:
    return {name: fn for name, fn in inspect.getmembers(cls, inspect.isfunction)
            if not name.startswith("_")}


def test_every_public_read_of_the_store_takes_the_scope_first() -> None:
    methods = _public_methods(DuckDBStore)
    assert set(methods) >= NOT_READS
    reads = sorted(set(methods) - NOT_READS)
    assert {"statements", "counts", "quarantine", "batches"} <= set(reads)
    for name in reads:
        params = list(inspect.signature(methods[name]).parameters)
        assert params[:2] == ["self", "scope"], f"DuckDBStore.{name} must take scope first"
        hints = typing.get_type_hints(methods[name])
        assert hints["scope"] is Scope, f"DuckDBStore.{name}: scope must be a Scope"


def test_the_store_interface_takes_the_scope_first() -> None:
    """The Protocol every backend (DuckDB now, PostgreSQL later) implements."""
    from pinchpoint.store import base

    protocol = base.StatementStore
    names = {n for n in vars(protocol) if not n.startswith("_") and callable(getattr(
        protocol, n))}
    reads = sorted(names - NOT_READS)
    assert reads, "the store Protocol lists no reads"
    for name in reads:
        params = list(inspect.signature(getattr(protocol, name)).parameters)
        assert params[:2] == ["self", "scope"], f"StatementStore.{name} must take scope first"
    assert set(reads) <= set(_public_methods(DuckDBStore))


def test_module_level_readers_take_the_scope_right_after_the_store() -> None:
    for name in ("iter_entities", "export_ftm"):
        params = list(inspect.signature(getattr(store_entities, name)).parameters)
        assert params[:2] == ["store", "scope"], name


def test_an_empty_scope_sees_nothing(two_agencies: Workspace) -> None:
    nobody = Scope(agency="NOBODY", visible_owners=frozenset())
    with two_agencies.open_store(read_only=True) as store:
        counts = store.counts(nobody)
        assert (counts.statements, counts.entities, counts.quarantined, counts.batches) == (
            0, 0, 0, 0)
        assert store.statements(nobody) == []
        assert store.quarantine(nobody) == []
        assert store.batches(nobody) == []
        assert list(store.iter_entities(nobody)) == []
        assert store.count_entities(nobody) == 0


@pytest.fixture(scope="module")
def two_agencies(tmp_path_factory: pytest.TempPathFactory, backend: str) -> Workspace:
    """NCA and Border Force (BF) each ingest the same ledger (with one bad value each),
    and BF also a seizure log; Gendarmerie (GN) a crossings log."""
    folder = tmp_path_factory.mktemp("agencies")
    ws = init_workspace(folder / "ws", agency="NCA")
    rows = [*LEDGER_ROWS, ["2024-02-30", "Dilan Aziz", "+905321234567", "Rebin Ali",
                           "+9647501234567", "lots", "GBP", "Kawa Exchange", "Erbil", "HW-9"]]
    ledger = write_csv(folder / "ledger.csv", LEDGER_HEADER, rows)
    ingest_file(ws, "ledger", ledger, IngestOptions(user="nca.analyst"))
    ingest_file(ws, "ledger", ledger, IngestOptions(owner="BF", user="bf.analyst",
                                                    handling="C", conditions="BF only"))
    ingest_file(ws, "seizures", write_layout(folder, "seizures"), IngestOptions(owner="BF"))
    ingest_file(ws, "crossings", write_layout(folder, "crossings"), IngestOptions(owner="GN"))
    return ws


def test_one_agency_does_not_see_another(two_agencies: Workspace) -> None:
    nca, bf = Scope.owner("NCA"), Scope.owner("BF")
    with two_agencies.open_store(read_only=True) as store:
        nca_statements = store.statements(nca)
        bf_statements = store.statements(bf)
        assert nca_statements and bf_statements
        assert {s.owner for s in nca_statements} == {"NCA"}
        assert {s.owner for s in bf_statements} == {"BF"}
        assert {s.handling for s in bf_statements if s.source == "ledger"} == {"C"}
        assert not {s.schema for s in nca_statements} & {"Seizure", "SeizedItem", "Crossing"}
        # The same ledger under both owners: separate entities, each in its owner's
        # namespace, that meet only through resolution (issue 14, finding 1: they were
        # one entity id, so one agency's upload wrote into the other's entities).
        nca_ids = {s.entity_id for s in nca_statements}
        bf_ids = {s.entity_id for s in bf_statements}
        assert not nca_ids & bf_ids
        assert all(is_owned("NCA", e) for e in nca_ids)
        assert all(is_owned("BF", e) for e in bf_ids)
        for entity_id in nca_ids:
            assert store.statements(bf, entity_id=entity_id) == []
        seizure_ids = {s.entity_id for s in bf_statements if s.schema == "Seizure"}
        for entity_id in seizure_ids:
            assert store.statements(nca, entity_id=entity_id) == []

        nca_counts, bf_counts = store.counts(nca), store.counts(bf)
        assert nca_counts.statements == len(nca_statements)
        assert bf_counts.statements == len(bf_statements)
        assert set(nca_counts.by_owner) == {"NCA"} and set(bf_counts.by_owner) == {"BF"}
        assert "Seizure" not in nca_counts.by_schema and "Seizure" in bf_counts.by_schema
        assert nca_counts.batches == 1 and bf_counts.batches == 2
        assert nca_counts.entities == store.count_entities(nca)

        assert {q.owner for q in store.quarantine(nca)} == {"NCA"}
        assert {q.owner for q in store.quarantine(bf)} == {"BF"}
        assert nca_counts.quarantined == len(store.quarantine(nca))
        assert [b.user for b in store.batches(nca)] == ["nca.analyst"]
        assert {b.owner for b in store.batches(bf)} == {"BF"}

        for group in store.iter_entities(nca):
            assert {s.owner for s in group} == {"NCA"}


def test_export_contains_only_what_the_scope_may_see(two_agencies: Workspace) -> None:
    with two_agencies.open_store(read_only=True) as store:
        exports = {}
        for agency in ("NCA", "BF", "GN"):
            out = io.StringIO()
            store_entities.export_ftm(store, Scope.owner(agency), out)
            exports[agency] = [json.loads(line) for line in out.getvalue().splitlines()]
        nca_ids = {e["id"] for e in exports["NCA"]}
        assert nca_ids == {s.entity_id for s in store.statements(Scope.owner("NCA"))}
        assert not {e["schema"] for e in exports["NCA"]} & {"Event", "Trip", "Asset"}
        assert {e["schema"] for e in exports["GN"]} >= {"Trip"}
        assert nca_ids.isdisjoint({e["id"] for e in exports["GN"]})


@pytest.fixture(scope="module")
def open_store(two_agencies: Workspace) -> typing.Iterator[DuckDBStore]:
    with two_agencies.open_store(read_only=True) as store:
        yield store


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sets(st.sampled_from(["NCA", "BF", "GN", "EUROPOL", "nca", ""])))
def test_a_scope_sees_exactly_the_union_of_its_owners(open_store: DuckDBStore,
                                                      owners: set[str]) -> None:
    store = open_store
    scope = Scope(agency="READER", visible_owners=frozenset(owners))
    counts = store.counts(scope)
    singles = {o: store.counts(Scope.owner(o)) for o in owners}
    assert counts.statements == sum(c.statements for c in singles.values())
    assert counts.quarantined == sum(c.quarantined for c in singles.values())
    assert counts.batches == sum(c.batches for c in singles.values())
    assert set(counts.by_owner) == {o for o in owners if singles[o].statements}
    assert {s.owner for s in store.statements(scope)} <= owners
    assert {q.owner for q in store.quarantine(scope)} <= owners
    assert {b.owner for b in store.batches(scope)} <= owners


def test_cli_reads_through_the_scope(two_agencies: Workspace, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pinchpoint.cli import app

    runner = CliRunner()
    base = ["--workspace", str(two_agencies.path)]
    nca = json.loads(runner.invoke(app, [*base, "status", "--json"]).stdout)
    assert set(nca["by_owner"]) == {"NCA"}
    quarantine = json.loads(runner.invoke(app, [*base, "quarantine", "--json"]).stdout)
    assert quarantine and {q["owner"] for q in quarantine} == {"NCA"}
    out = tmp_path / "nca.ftm.json"
    assert runner.invoke(app, [*base, "export", "ftm", "--out", str(out)]).exit_code == 0
    with two_agencies.open_store(read_only=True) as store:
        assert len(out.read_text().splitlines()) == store.count_entities(Scope.owner("NCA"))


def test_a_scopes_key_is_worked_out_once_and_follows_a_changed_copy() -> None:
    import dataclasses

    from pinchpoint.store.scope import Grant

    scope = dataclasses.replace(Scope.owner("NCA"), grants=(Grant("BORDER-FORCE"),))
    first = scope.key()
    assert scope.key() is first and first == scope._key_of()
    court = scope.for_court()
    assert court.key() != first and court.key() == court._key_of()
    assert court == dataclasses.replace(scope, court=True)  # the kept key is no field
