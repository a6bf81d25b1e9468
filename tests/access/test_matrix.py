"""The acceptance matrix of the access rules: six agencies x four roles x three
clearances (72 users) over one scenario holding statements of every handling code at
every classification from every agency, protected people, and grants of every kind.

Every read path of the Python API (the REST API's in-memory view of a scope included),
and the CLI's reads for a sample of users, are
compared with an independent oracle (`access_world.World`) over the raw rows.
"""

from __future__ import annotations

import functools
import io
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import pytest
import typer
from access_world import (
    CLASSIFICATIONS,
    HANDLINGS,
    REDACTED,
    GrantSpec,
    World,
    apply_grants,
    counts_of,
    dates_of,
    entity_values_of,
    export_of,
    identifiers_of,
    key,
    keys,
    normal_entity,
    references_of,
    write_batch,
)
from click.testing import CliRunner

from pinchpoint.access import directory
from pinchpoint.access.entitlements import scope_for
from pinchpoint.api.view import StatementView
from pinchpoint.cli import app
from pinchpoint.model.reader import Clearance, Reader, Role
from pinchpoint.store import graph_reads
from pinchpoint.store.duckdb_store import DuckDBStore
from pinchpoint.store.entities import export_ftm
from pinchpoint.store.resolution import person_fingerprints
from pinchpoint.store.sql_store import ENTITY_SLICE
from pinchpoint.store.workspace import Workspace, init_workspace

NCA, BF, PAF, BKA, EUROPOL, LONE = "NCA", "BORDER-FORCE", "PAF-FR", "BKA-DE", "EUROPOL", "LONE"
AGENCIES = (NCA, BF, PAF, BKA, EUROPOL, LONE)
ROLES = tuple(Role)
GROUP = "CHANNEL-TASKFORCE"
GROUP_MEMBERS = {BF, PAF, BKA}
SOURCES = {a: (f"{a.lower()}-intel", f"{a.lower()}-seizures") for a in AGENCIES}
GRANTS = (
    GrantSpec(NCA, BF, victim_details=True),  # direct, with victims' details
    GrantSpec(NCA, GROUP, group=True),  # via the group: no H2, redacted
    GrantSpec(EUROPOL, NCA),  # direct: H2 included
    GrantSpec(EUROPOL, GROUP, group=True),  # via the group: H2 never
    GrantSpec(BF, PAF, source="border-force-seizures"),  # one source only
    GrantSpec(PAF, BKA, revoked=True),  # revoked: shows nothing
    GrantSpec(BKA, EUROPOL),  # direct, redacted
)
PERSON_PROPS = ["name", "birthDate", "phone", "nationality", "personCategory"]


def user_name(agency: str, role: Role, clearance: Clearance) -> str:
    return f"{agency.lower()}.{role.value}.{clearance.name.lower()}"


USERS = [(user_name(a, r, c), a, r, c) for a in AGENCIES for r in ROLES for c in Clearance]
# One user per agency and clearance, the roles rotating so that each role is sampled.
CLI_USERS = [u for u in USERS if u[2] == ROLES[(AGENCIES.index(u[1])
                                                + list(Clearance).index(u[3])) % 4]]


def _rows(owner: str, handling: str, classification: str) -> list[tuple[str, str, str, str]]:
    """One batch's statements: a suspect, a shared victim, the owner's witness, an
    identity document held by the victim, a payment, and a person every agency records."""
    tag = f"{owner}-{handling}-{classification}"
    n = zlib.crc32(tag.encode()) % 10000
    suspect, ident, pay = f"suspect-{tag}", f"ident-{tag}", f"pay-{tag}"
    witness = f"witness-{owner}"
    rows = [
        (suspect, "Person", "name", f"Suspect {tag}"),
        (suspect, "Person", "birthDate", "1985-02-03"),
        (suspect, "Person", "phone", f"+4470000{len(tag):02d}{n:04d}"),
        (suspect, "Person", "personCategory", "suspect"),
        ("victim-shared", "Person", "name", f"Victim {tag}"),
        ("victim-shared", "Person", "phone", f"+3360000{n:04d}"),
        ("victim-shared", "Person", "birthDate", "2001-07-0" + str(1 + len(handling))),
        ("victim-shared", "Person", "nationality", "iq"),
        (witness, "Person", "name", f"Witness {tag}"),
        (witness, "Person", "email", f"w.{tag.lower()}@example.org"),
        (ident, "Identification", "holder", "victim-shared"),
        (ident, "Identification", "number", f"DOC-{tag}"),
        (ident, "Identification", "country", "iq"),
        (pay, "Payment", "payer", suspect),
        (pay, "Payment", "beneficiary", "victim-shared"),
        (pay, "Payment", "date", f"2024-0{1 + CLASSIFICATIONS.index(classification)}-1"
                                 f"{HANDLINGS.index(handling)}"),
        (pay, "Payment", "amount", str(100 + HANDLINGS.index(handling))),
        ("person-common", "Person", "name", f"Common {tag}"),
    ]
    if handling == "P" and classification == "OFFICIAL":
        rows.append(("victim-shared", "Person", "personCategory", "victim"))
    if handling == "H3" and classification == "SECRET":
        # The witness is marked only in a SECRET batch: protected for everyone.
        rows.append((witness, "Person", "personCategory", "Witness"))
    return rows


@dataclass
class Scenario:
    workspace: Workspace
    world: World
    store: DuckDBStore
    _memo: dict[tuple[Any, ...], Any] = field(default_factory=dict)

    def expected(self, agency: str, clearance: Clearance, court: bool = False) -> list[Any]:
        """The oracle's statements for a reader (the same for every role: cached)."""
        memo = ("visible", agency, clearance, court)
        if memo not in self._memo:
            self._memo[memo] = self.world.visible(agency, clearance.value, court)
        return list(self._memo[memo])

    def export(self, agency: str, clearance: Clearance, court: bool = False) -> list[Any]:
        memo = ("export", agency, clearance, court)
        if memo not in self._memo:
            self._memo[memo] = [normal_entity(e) for e in
                                export_of(self.expected(agency, clearance, court))]
        return list(self._memo[memo])


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory, backend: str) -> Iterator[Scenario]:
    ws = init_workspace(tmp_path_factory.mktemp("matrix") / "ws", agency=NCA)
    with ws.open_store() as store:
        con = store.con
        directory.ensure(con)
        for agency in AGENCIES[1:]:
            directory.add_agency(con, agency)
        for member in sorted(GROUP_MEMBERS):
            directory.add_to_group(con, GROUP, member)
        for name, agency, role, clearance in USERS:
            directory.add_user(con, name, agency, role, clearance)
        apply_grants(con, GRANTS, lambda owner: Reader(f"{owner.lower()}.grantor", owner,
                                                       Role.SUPERVISOR),
                     "operation", "operation closed")
        for owner in AGENCIES:
            for i, (handling, classification) in enumerate(
                    (h, c) for h in HANDLINGS for c in CLASSIFICATIONS):
                source = SOURCES[owner][i % 2]
                write_batch(store, owner, source, handling, classification,
                            _rows(owner, handling, classification), quarantined=i % 3)
        world = World.load(con, {GROUP: GROUP_MEMBERS}, GRANTS)
    store = ws.open_store(read_only=True)
    yield Scenario(ws, world, store)
    store.close()


def test_the_scenario_covers_every_case(scenario: Scenario) -> None:
    s = scenario.world.statements
    assert {(x.owner, x.handling, x.classification) for x in s} == {
        (a, h, c) for a in AGENCIES for h in HANDLINGS for c in CLASSIFICATIONS}
    assert {x.handling_conditions for x in s if x.handling in ("C", "H3")} - {None}
    assert len(USERS) == 72 and len(scenario.world.quarantine_owner) > 0
    assert "border-force-seizures" in {x.source for x in s}


def _reader(name: str, agency: str, role: Role, clearance: Clearance) -> Reader:
    return Reader(name, agency, role, clearance)


@pytest.mark.parametrize(("name", "agency", "role", "clearance"), USERS,
                         ids=[u[0] for u in USERS])
def test_every_read_path_matches_the_oracle(scenario: Scenario, name: str, agency: str,
                                            role: Role, clearance: Clearance) -> None:
    store, world = scenario.store, scenario.world
    reader = directory.reader(store.con, name)
    assert reader == _reader(name, agency, role, clearance)
    scope = scope_for(store.con, reader)
    expected = scenario.expected(agency, clearance)

    got = store.statements(scope)
    assert keys(got) == keys(expected)
    order = [(s.entity_id, s.prop, s.value, s.source, s.record) for s in got]
    assert order == sorted(order)
    for s in got:
        assert (s.handling_conditions is not None) == (s.handling in ("C", "H3"))

    by_entity: dict[str, list[Any]] = {}
    for s in expected:
        by_entity.setdefault(s.entity_id, []).append(s)
    for entity_id in ("victim-shared", f"suspect-{EUROPOL}-H2-OFFICIAL"):
        assert keys(store.statements(scope, entity_id=entity_id)) == keys(
            by_entity.get(entity_id, [])), entity_id

    view = StatementView.read(store, scope)  # what the REST API serves from memory
    assert len(view) == len(expected) and sorted(view.spans) == sorted(by_entity)
    for entity_id, mine in by_entity.items():
        assert keys(view.statements([entity_id])) == keys(mine), entity_id
    assert view.statements(sorted(by_entity)) == got  # same rows, same order
    assert not view.has_any(["no-such-entity"]) and view.statements(["no-such-entity"]) == []

    groups = list(store.iter_entities(scope))
    assert [g[0].entity_id for g in groups] == sorted(by_entity)
    for g in groups:
        assert len({s.entity_id for s in g}) == 1
        assert keys(g) == keys(by_entity[g[0].entity_id])

    for size in (ENTITY_SLICE, 2, 1):  # read whole, and a slice of entities at a time
        values = [(v.entity_id, v.fingerprint, v.values) for chunk in
                  store.entity_values(scope, "Person", PERSON_PROPS, slice_size=size)
                  for v in chunk]
        assert values == entity_values_of(expected, "Person", PERSON_PROPS), size
    # What resolve compares to find changed persons is what it analyses: with withheld
    # victim details counted, those persons were re-analysed on every run.
    assert person_fingerprints(store, scope) == {
        v.entity_id: v.fingerprint
        for chunk in store.entity_values(scope, "Person", PERSON_PROPS) for v in chunk}
    if (name, agency, role, clearance) in CLI_USERS:  # one role per agency and clearance
        wanted = {"victim-shared", "witness-NCA", f"suspect-{agency}-P-OFFICIAL"}
        for size in (ENTITY_SLICE, 2, 1):
            values = [(v.entity_id, v.fingerprint, v.values) for chunk in
                      store.entity_values(scope, "Person", PERSON_PROPS,
                                          entity_ids=sorted(wanted), slice_size=size)
                      for v in chunk]
            assert values == entity_values_of(expected, "Person", PERSON_PROPS, wanted), size

    counts = store.counts(scope)
    want = counts_of(expected)
    assert (counts.statements, counts.entities) == (want["statements"], want["entities"])
    assert counts.by_owner == want["by_owner"]
    assert counts.by_source == want["by_source"]
    assert counts.by_schema == want["by_schema"]
    assert store.count_entities(scope) == want["entities"]
    assert counts.quarantined == len(world.own_quarantine(agency, clearance.value))
    assert counts.batches == len(world.own_batches(agency))
    assert {q.id for q in store.quarantine(scope)} == world.own_quarantine(
        agency, clearance.value)
    assert {b.id for b in store.batches(scope)} == world.own_batches(agency)

    refs = graph_reads.references(store, scope, ["Person"])
    assert sorted(tuple(r) for r in refs) == references_of(expected, ["Person"])
    assert graph_reads.entity_dates(store, scope, ["Payment"]) == dates_of(expected, ["Payment"])
    assert [tuple(i) for i in graph_reads.identifiers(store, scope)] == identifiers_of(expected)

    out = io.StringIO()
    n = export_ftm(store, scope, out)
    exported = [json.loads(line) for line in out.getvalue().splitlines()]
    assert n == len(exported) == len(by_entity)
    assert [normal_entity(e) for e in exported] == scenario.export(agency, clearance)
    _no_redacted_value_leaks(scenario, agency, clearance, out.getvalue())


def _no_redacted_value_leaks(scenario: Scenario, agency: str, clearance: Clearance,
                             text: str) -> None:
    """A value redacted for this reader appears nowhere in what they were given, unless
    the reader also sees it unredacted in another statement."""
    plain = {s.id: s for s in scenario.world.statements}
    visible = scenario.expected(agency, clearance)
    hidden = {plain[s.id].value for s in visible if s.value == REDACTED}
    shown = {s.value for s in visible if s.value != REDACTED}
    for value in hidden - shown:
        assert value not in text, value


def test_the_matrix_exercises_every_rule(scenario: Scenario) -> None:
    """The oracle's answers differ where the rules say they must (the scenario is not
    vacuous): H2 only direct, revoked and source-specific grants, redaction, clearance."""
    w = scenario.world

    def owners_handlings(agency: str, clearance: str = "SECRET") -> set[tuple[str, str]]:
        return {(s.owner, s.handling) for s in w.visible(agency, clearance)}

    assert (EUROPOL, "H2") in owners_handlings(NCA)
    assert (EUROPOL, "H0") in owners_handlings(BF)
    assert (EUROPOL, "H2") not in owners_handlings(BF)
    assert (NCA, "H2") not in owners_handlings(PAF) and (NCA, "H1") in owners_handlings(PAF)
    assert (NCA, "H2") in owners_handlings(BF)
    assert {o for o, _ in owners_handlings(BKA)} == {BKA, NCA, EUROPOL}  # PAF revoked
    assert {s.source for s in w.visible(PAF, "SECRET") if s.owner == BF} == {
        "border-force-seizures"}
    assert {o for o, _ in owners_handlings(LONE)} == {LONE}
    assert {s.classification for s in w.visible(NCA, "OFFICIAL")} == {"OFFICIAL"}
    bf_sees = [s for s in w.visible(BF, "SECRET") if s.owner == NCA]
    paf_sees = [s for s in w.visible(PAF, "SECRET") if s.owner == NCA]
    assert not any(s.value == REDACTED for s in bf_sees)  # victim_details
    redacted = {(s.entity_id, s.prop) for s in paf_sees if s.value == REDACTED}
    assert {("victim-shared", "name"), ("victim-shared", "phone"),
            ("victim-shared", "birthDate"), ("witness-NCA", "name"),
            ("witness-NCA", "email")} <= redacted
    assert any(e.startswith("ident-") and p == "number" for e, p in redacted)
    assert ("victim-shared", "nationality") not in redacted
    assert not any(e.startswith(("suspect-", "pay-")) for e, _ in redacted)
    # Quarantine rows: a lower clearance and court each see fewer of their own.
    secret, sensitive = w.own_quarantine(NCA, "SECRET"), w.own_quarantine(
        NCA, "OFFICIAL-SENSITIVE")
    assert sensitive and sensitive < secret
    assert w.own_quarantine(NCA, "SECRET", court=True) < secret


def test_court_scope_leaves_out_h1(scenario: Scenario) -> None:
    store = scenario.store
    for agency, clearance in ((NCA, Clearance.SECRET), (PAF, Clearance.OFFICIAL_SENSITIVE),
                              (EUROPOL, Clearance.OFFICIAL)):
        name = user_name(agency, Role.ANALYST, clearance)
        reader = directory.reader(store.con, name)
        court = scope_for(store.con, reader, court=True)
        expected = scenario.expected(agency, clearance, court=True)
        assert keys(store.statements(court)) == keys(expected)
        assert "H1" not in {s.handling for s in expected}
        assert keys(store.statements(scope_for(store.con, reader).for_court())) == keys(
            expected)
        counts = store.counts(court)
        assert (counts.statements, counts.by_owner) == (len(expected),
                                                        counts_of(expected)["by_owner"])
        quarantined = scenario.world.own_quarantine(agency, clearance.value, court=True)
        assert {q.id for q in store.quarantine(court)} == quarantined
        assert counts.quarantined == len(quarantined)
        out = io.StringIO()
        export_ftm(store, court, out)
        assert [normal_entity(json.loads(x)) for x in out.getvalue().splitlines()] == (
            scenario.export(agency, clearance, court=True))


def test_roles_do_not_change_what_is_seen(scenario: Scenario) -> None:
    """Every user's reads already equal the (role-blind) oracle; here, directly: the
    scopes of the four roles of one agency and clearance are the same, and an analyst
    and an auditor read exactly what an administrator reads."""
    store = scenario.store
    for agency in AGENCIES:
        for clearance in Clearance:
            scopes = {role: scope_for(store.con, directory.reader(
                store.con, user_name(agency, role, clearance))) for role in ROLES}
            assert len({s.key() for s in scopes.values()}) == 1, (agency, clearance)
            assert len({(s.agency, s.visible_owners, s.grants, s.court)
                        for s in scopes.values()}) == 1
            assert {s.role for s in scopes.values()} == set(ROLES)
    for agency, clearance in ((PAF, Clearance.SECRET), (BKA, Clearance.OFFICIAL_SENSITIVE)):
        seen = set()
        for role in (Role.ANALYST, Role.AUDITOR, Role.ADMINISTRATOR):
            scope = scope_for(store.con, directory.reader(
                store.con, user_name(agency, role, clearance)))
            seen.add((tuple(keys(store.statements(scope))),
                      json.dumps(store.counts(scope).__dict__, sort_keys=True)))
        assert len(seen) == 1, (agency, clearance)


def test_a_revoked_grant_shows_nothing(scenario: Scenario) -> None:
    store = scenario.store
    for clearance in Clearance:
        reader = directory.reader(store.con, user_name(BKA, Role.ANALYST, clearance))
        scope = scope_for(store.con, reader)
        assert PAF not in {g.owner for g in scope.grants}
        assert PAF not in {s.owner for s in store.statements(scope)}
        assert PAF not in store.counts(scope).by_owner
        for entity_id in (f"suspect-{PAF}-P-OFFICIAL", f"pay-{PAF}-P-OFFICIAL"):
            assert store.statements(scope, entity_id=entity_id) == []


# -- the CLI --------------------------------------------------------------------------------


@functools.cache
def _command() -> click.Command:
    """`pinchpoint.cli.app` as Click runs it, built once (Typer's CliRunner rebuilds it
    on every invoke, which is most of the time a CLI test takes)."""
    return typer.main.get_command(app)


def _cli(ws: Workspace, user: str, *args: str) -> Any:
    return CliRunner().invoke(_command(), ["--workspace", str(ws.path), "--as", user, *args],
                              env={"PINCHPOINT_USER": None, "PINCHPOINT_WORKSPACE": None})


def _statement_json(s: Any) -> tuple[Any, ...]:
    return (s["id"], s["entity_id"], s["schema"], s["prop"], s["value"], s["original_value"],
            s["source"], s["record"], s["owner"], s["handling"], s["handling_conditions"],
            s["classification"], s["batch"])


def test_cli_sample_covers_every_agency_and_clearance() -> None:
    assert {(u[1], u[3]) for u in CLI_USERS} == {(a, c) for a in AGENCIES for c in Clearance}
    assert {u[2] for u in CLI_USERS} == set(ROLES)


@pytest.mark.parametrize(("name", "agency", "role", "clearance"), CLI_USERS,
                         ids=[u[0] for u in CLI_USERS])
def test_cli_reads_match_the_oracle(scenario: Scenario, name: str, agency: str, role: Role,
                                    clearance: Clearance) -> None:
    ws, world = scenario.workspace, scenario.world
    expected = scenario.expected(agency, clearance)

    result = _cli(ws, name, "status", "--json")
    assert result.exit_code == 0, result.output
    status = json.loads(result.stdout)
    want = counts_of(expected)
    assert (status["statements"], status["entities"]) == (want["statements"],
                                                          want["entities"])
    for column in ("by_owner", "by_source", "by_schema"):
        assert {k: tuple(v) for k, v in status[column].items()} == want[column]
    assert status["quarantined"] == len(world.own_quarantine(agency, clearance.value))
    assert status["batches"] == len(world.own_batches(agency))

    visible_ids = {s.entity_id for s in expected}
    invisible = sorted({s.entity_id for s in world.statements} - visible_ids)
    for entity_id in ("victim-shared", f"suspect-{agency}-P-OFFICIAL"):
        result = _cli(ws, name, "entity", entity_id, "--json")
        assert result.exit_code == 0, result.output
        assert sorted(_statement_json(s) for s in json.loads(result.stdout)) == sorted(
            key(s) for s in expected if s.entity_id == entity_id)
    missing = _cli(ws, name, "entity", "no-such-entity", "--json")
    assert missing.exit_code == 1
    assert "no entity no-such-entity" in missing.output
    assert invisible, "every reader should miss something in this scenario"
    for entity_id in invisible[:1]:
        result = _cli(ws, name, "entity", entity_id, "--json")
        assert result.exit_code == 1, entity_id
        assert result.stdout == missing.stdout
        assert result.output.replace(entity_id, "X") == missing.output.replace(
            "no-such-entity", "X")

    result = _cli(ws, name, "export", "ftm")
    assert result.exit_code == 0, result.output
    assert [normal_entity(json.loads(x)) for x in result.stdout.splitlines()] == (
        scenario.export(agency, clearance))

    result = _cli(ws, name, "quarantine", "--json")
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert {q["id"] for q in items} == world.own_quarantine(agency, clearance.value)
    assert {q["classification"] for q in items} <= set(
        CLASSIFICATIONS[:CLASSIFICATIONS.index(clearance.value) + 1])
    assert {q["owner"] for q in items} <= {agency}


def test_cli_roles_see_the_same(scenario: Scenario, tmp_path: Path) -> None:
    """An analyst and an auditor see what an administrator of the same agency and
    clearance sees, through the CLI too."""
    ws = scenario.workspace
    for agency, clearance in ((PAF, Clearance.SECRET),):
        outputs = set()
        for role in (Role.ANALYST, Role.AUDITOR, Role.ADMINISTRATOR):
            name = user_name(agency, role, clearance)
            status = _cli(ws, name, "status", "--json")
            export = _cli(ws, name, "export", "ftm")
            victim = _cli(ws, name, "entity", "victim-shared", "--json")
            assert status.exit_code == export.exit_code == victim.exit_code == 0
            # Administrators alone are also told how many statements they do not see.
            counts = json.loads(status.stdout)
            outside = counts.pop("outside_scope", None)
            assert (outside is not None) == (role == Role.ADMINISTRATOR)
            assert outside is None or outside == len(scenario.world.statements) - counts[
                "statements"]
            outputs.add((json.dumps(counts), export.stdout, victim.stdout))
        assert len(outputs) == 1


def test_cli_unknown_user_is_refused(scenario: Scenario) -> None:
    result = _cli(scenario.workspace, "nobody.at.all", "status", "--json")
    assert result.exit_code == 2
    assert "no user nobody.at.all" in result.output
