"""The workspace network: the small scenario, resolved, projected through a scope.

Uses the resolved small scenario of tests/resolve (a session fixture, about 20 seconds
once); everything here only reads it, except the other-agency tests, which resolve a
private copy.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from builders import write_jsonl
from typer.testing import CliRunner

from pinchpoint.access import directory
from pinchpoint.access.entitlements import scope_for
from pinchpoint.cli import app
from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.model.category import PROTECTED_CATEGORIES, parse_category
from pinchpoint.model.owned import owned_id
from pinchpoint.network import Network, NetworkError, analyse, rank
from pinchpoint.network.project import project
from pinchpoint.resolve import resolution_map, resolve
from pinchpoint.store import Scope, Workspace

sys.path.insert(0, str(Path(__file__).parents[1] / "resolve"))  # the resolve fixtures
pytest_plugins = ["resolve_fixtures"]

OTHER = "PAF-FR"


@pytest.fixture(scope="module")
def projected(resolved: Any) -> tuple[Network, dict[str, str]]:
    with resolved.workspace.open_store(read_only=True) as store:
        return project(store, resolved.scope), resolution_map(store, resolved.scope)


@pytest.fixture(scope="module")
def other_agency(resolved: Any, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A copy of the workspace resolved for one partner agency's own scope."""
    workspace: Workspace = resolved.copy(tmp_path_factory.mktemp("other-agency"))
    with workspace.open_store() as store:
        resolve(store, Scope.owner(OTHER))
        if OTHER not in directory.agencies(store.con):
            directory.add_agency(store.con, OTHER)
        reader = directory.add_user(store.con, "other-analyst", OTHER, "analyst", "SECRET")
        resolve(store, scope_for(store.con, reader))
    return workspace


def _links(network: Network) -> list[tuple[str, str, str, tuple[str, ...], Any, Any]]:
    attrs = network.link_attrs
    return [(network.ids[int(network.src[e])], network.ids[int(network.dst[e])],
             attrs["type"][e], attrs["evidence"][e], attrs["first_seen"][e],
             attrs["last_seen"][e]) for e in range(network.m)]


def test_project_before_resolve_says_to_resolve(workspace: Workspace, resolved: Any) -> None:
    with workspace.open_store() as store, pytest.raises(NetworkError,
                                                         match="run `pinchpoint resolve` first"):
        project(store, Scope.owner("NCA"))
    with resolved.workspace.open_store(read_only=True) as store, pytest.raises(NetworkError):
        project(store, Scope.owner("BKA-DE"))  # this scope was never resolved


def test_records_of_one_resolved_person_are_one_node(
        projected: tuple[Network, dict[str, str]]) -> None:
    network, canonical = projected
    clusters: dict[str, list[str]] = defaultdict(list)
    for entity, canon in canonical.items():
        clusters[canon].append(entity)
    ids = set(network.ids)
    assert ids <= set(canonical.values())
    merged = [c for c, members in clusters.items() if len(members) > 1 and c in ids]
    assert merged, "the small scenario should merge some records that have links"
    records = network.attribute("records")
    for canon in merged:
        assert not (set(clusters[canon]) - {canon}) & ids
        assert records[network.index(canon)] == str(len(clusters[canon]))


def test_a_payment_is_a_typed_link_with_its_statements_as_evidence(
        resolved: Any, projected: tuple[Network, dict[str, str]]) -> None:
    network, canonical = projected
    with resolved.workspace.open_store(read_only=True) as store:
        statements = [s for s in store.statements(resolved.scope) if s.schema == "Payment"]
    payments: dict[str, dict[str, Any]] = defaultdict(dict)
    for s in statements:
        payments[s.entity_id][s.prop] = s
    checked = 0
    for props in payments.values():
        if not {"payer", "beneficiary", "date"} <= set(props):
            continue
        a = canonical[props["payer"].value]
        b = canonical[props["beneficiary"].value]
        if a == b:
            continue
        found = [link for link in network.links(network.index(a), network.index(b))
                 if link.type == "payment"]
        assert len(found) == 1
        link = found[0]
        assert {props["payer"].id, props["beneficiary"].id} <= set(link.evidence)
        day = props["date"].value[:10]
        assert link.first_seen and link.last_seen and link.first_seen <= day <= link.last_seen
        assert link.weight >= 1
        checked += 1
        if checked == 20:
            break
    assert checked == 20


SHARERS = [{"id": f"sharer-{n}", "schema": "Person", "properties": {
    "name": [name], "birthDate": [born], "phone": ["+447911123499"]}}
    for n, (name, born) in enumerate([("Kamaran Rasul Aziz", "1975-02-03"),
                                      ("Shilan Omar Faraj", "2001-11-30")])]


def test_shared_phones_link_different_people(resolved: Any, tmp_path: Path) -> None:
    """Two different people holding one phone are linked by it. The small scenario's
    own phone sharers are found one person each since ids are owned (issue 14), so two
    are added here."""
    ws = resolved.copy(tmp_path)
    ingest_file(ws, "ftm", write_jsonl(tmp_path / "sharers.json", SHARERS), IngestOptions())
    with ws.open_store() as store:
        resolve(store, resolved.scope)
        network, canonical = project(store, resolved.scope), resolution_map(store,
                                                                             resolved.scope)
        statements = store.statements(resolved.scope)
    phones = {s.id: s.value for s in statements if s.schema == "Person" and s.prop == "phone"}
    shared = [link for link in _links(network) if link[2] == "shared_phone"]
    sharers = {canonical[owned_id("NCA", p["id"])] for p in SHARERS}
    assert len(sharers) == 2 and any({a, b} == sharers for a, b, *_ in shared)
    for source, target, _, evidence, first, _ in shared:
        assert source != target and first is None  # undated
        # one number, held by both: on the people themselves, or on a handset or
        # document they hold (whose statements are not a Person's phone)
        own = [i for i in evidence if i in phones]
        assert len({phones[i] for i in own}) <= 1
        holders = {canonical.get(s.entity_id, s.entity_id) for s in statements
                   if s.id in set(own)}  # an unresolved holder is its own node
        assert holders <= {source, target}


def test_time_slicing_keeps_dated_links_in_range_and_undated_ones(
        resolved: Any, projected: tuple[Network, dict[str, str]]) -> None:
    network, _ = projected
    since, until = date(2024, 6, 1), date(2024, 12, 31)
    with resolved.workspace.open_store(read_only=True) as store:
        sliced = project(store, resolved.scope, since, until)
        with pytest.raises(NetworkError, match="after"):
            project(store, resolved.scope, until, since)
    full, part = _links(network), _links(sliced)
    assert 0 < len(part) < len(full)
    for _, _, _, _, first, last in part:
        if first is not None:
            assert first <= until.isoformat() and last >= since.isoformat()
    undated = {(a, b, t) for a, b, t, _, first, _ in full if first is None}
    assert undated and undated <= {(a, b, t) for a, b, t, *_ in part}


def test_victims_and_witnesses_are_never_ranked(
        projected: tuple[Network, dict[str, str]]) -> None:
    network, _ = projected
    protected = {network.ids[i] for i, c in enumerate(network.attribute("category"))
                 if parse_category(c or "") in PROTECTED_CATEGORIES}
    assert protected
    ranked = rank(network, analyse(network).scores)
    assert ranked and not protected & {r.id for r in ranked}


def test_another_agency_sees_a_smaller_network_of_its_own_statements(
        other_agency: Workspace, projected: tuple[Network, dict[str, str]]) -> None:
    network, _ = projected
    scope = Scope.owner(OTHER)
    with other_agency.open_store(read_only=True) as store:
        own = project(store, scope)
        visible = {s.id for s in store.statements(scope)}
        people = {s.entity_id for s in store.statements(scope) if s.schema == "Person"}
    assert 0 < own.n < network.n and 0 < own.m < network.m
    assert {i for link in _links(own) for i in link[3]} <= visible
    assert set(own.ids) <= people


def test_cli_analyses_the_workspace_network_of_the_readers_scope(
        other_agency: Workspace) -> None:
    runner = CliRunner()
    base = ["--workspace", str(other_agency.path)]
    result = runner.invoke(app, [*base, "network", "rank", "--json", "--top", "3"])
    assert result.exit_code == 2 and "run `pinchpoint resolve` first" in result.stderr
    result = runner.invoke(app, [*base, "--as", "other-analyst", "network", "rank", "--json",
                                 "--top", "3", "--since", "2024-01-01"])
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)) == 3
    result = runner.invoke(app, [*base, "--as", "other-analyst", "network", "groups", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["groups"]


def test_organisations_can_be_nodes_linked_to_their_members(
        resolved: Any, projected: tuple[Network, dict[str, str]]) -> None:
    network, _ = projected
    with resolved.workspace.open_store(read_only=True) as store:
        with_orgs = project(store, resolved.scope, organisations=True)
    kinds = with_orgs.attribute("kind")
    orgs = {with_orgs.ids[i] for i, kind in enumerate(kinds) if kind == "organisation"}
    assert orgs and "co_membership" in network.link_attrs["type"]
    types = with_orgs.link_attrs["type"]
    assert "co_membership" not in types and "membership" in types
    for source, target, kind, *_ in _links(with_orgs):
        assert (kind == "membership") == bool({source, target} & orgs)


def test_since_and_until_slice_only_the_workspace_network(tmp_path: Path) -> None:
    edges = tmp_path / "edges.txt"
    edges.write_text("a b\nb c\n")
    result = CliRunner().invoke(app, ["network", "rank", "--edges", str(edges),
                                      "--since", "2024-01-01"])
    assert result.exit_code == 2 and "--since and --until" in result.stderr
