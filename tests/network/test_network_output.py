"""`pinchpoint network ...` as a newcomer sees it, in an 80-column terminal.

The small scenario, resolved with `pinchpoint resolve` the way a user would, then ranked,
planned and walked through the main command with COLUMNS=80: every line fits, each
person is one line with the label first, no 40-character id appears unless asked for
(`--wide`, `--json`), and a plan's evidence reads as calls and payments between named
people. The evidence describer is also checked directly: it reads only what the
reader's scope may see.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from builders import write_jsonl
from typer.testing import CliRunner

from pinchpoint.cli import app
from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.model.owned import owned_id
from pinchpoint.network import Network, Node, plan
from pinchpoint.network.evidence import describe_evidence, kind, varied
from pinchpoint.network.project import project
from pinchpoint.store import Scope, Workspace

sys.path.insert(0, str(Path(__file__).parents[1] / "resolve"))  # the resolve fixtures
pytest_plugins = ["resolve_fixtures"]

FULL_ID = re.compile(r"\b[0-9a-f]{40}(?:\.[0-9a-f]{16})?\b")  # owned: issue 14
WIDTH = 80
OTHER = "PAF-FR"
# "payment 2024-03-01, 1,200 GBP, A to B": a kind, a date, then the parties.
DESCRIBED = re.compile(r"^(payment|call|message|associate|family|membership|other link)"
                       r"( \([^)]*\))? \d{4}-\d{2}-\d{2}, (.+ to .+)$")


@pytest.fixture(scope="module")
def newcomer(resolved: Any, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A copy of the small scenario, resolved through the CLI for its operator."""
    copy: Workspace = resolved.copy(tmp_path_factory.mktemp("newcomer"))
    result = CliRunner().invoke(app, ["--workspace", str(copy.path), "resolve"])
    assert result.exit_code == 0, result.output
    return copy


def cli(workspace: Workspace, *args: str) -> str:
    result = CliRunner().invoke(app, ["--workspace", str(workspace.path), "network", *args],
                                env={"COLUMNS": str(WIDTH), "PINCHPOINT_USER": None})
    assert result.exit_code == 0, result.output
    return result.stdout


def fits(out: str) -> None:
    long = [line for line in out.splitlines() if len(line) > WIDTH]
    assert not long, long


@pytest.fixture(scope="module")
def ranked(newcomer: Workspace) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(cli(newcomer, "rank", "--top", "10", "--json"))
    return found


def test_rank_is_one_line_per_person_label_first(newcomer: Workspace,
                                                 ranked: list[dict[str, Any]]) -> None:
    out = cli(newcomer, "rank", "--top", "10")
    fits(out)
    assert not FULL_ID.search(out)
    lines = out.splitlines()
    for entry in ranked:
        [line] = [line for line in lines if re.match(rf"\s*{entry['rank']}\s", line)]
        after_rank = line.split(maxsplit=1)[1]
        assert after_rank.startswith(entry["label"][:10]), line
        assert entry["id"][:8] in line and f"{entry['score']:.3f}" in line
        assert entry["group"] in line
    flowing = " ".join(out.split())  # the footnotes wrap at 80 columns
    assert "--wide shows everything" in flowing and "exact (Brandes)" in flowing


def test_rank_wide_and_json_keep_the_full_ids_and_every_ingredient(
        newcomer: Workspace, ranked: list[dict[str, Any]]) -> None:
    out = cli(newcomer, "rank", "--top", "10", "--wide")
    header = next(line for line in out.splitlines() if line.split()[:1] == ["#"])
    assert header.split() == ["#", "label", "id", "score", "group", "role", "suggested",
                              "broker", "btw", "brk", "pr", "eig", "core", "money", "lead"]
    for entry in ranked:
        assert entry["id"] in out
        assert len(FULL_ID.findall(entry["id"])) == 1  # JSON: the full id, as before
    # the scenario has ledgers and calls: the business ingredients join the structure
    assert set(ranked[0]["ingredients"]) == {"betweenness", "brokerage", "pagerank",
                                             "eigenvector", "kcore", "money", "leadership"}
    assert all(entry["suggested_role"] for entry in ranked)


def test_plan_is_one_line_per_arrest_and_its_evidence_reads_as_what_happened(
        newcomer: Workspace) -> None:
    planned = json.loads(cli(newcomer, "plan", "--k", "4", "--json"))
    out = cli(newcomer, "plan", "--k", "4")
    fits(out)
    assert not FULL_ID.search(out)
    lines = out.splitlines()
    for target in planned["target_details"]:
        rows = [line for line in lines if re.match(rf"\s+{target['step']}\s", line)]
        assert len(rows) == 1 and target["label"] in rows[0] and target["id"][:8] in rows[0]
    described = [line.strip() for line in lines if DESCRIBED.match(line.strip())]
    assert len(described) >= 4, out
    labels = {t["label"] for t in planned["target_details"]}
    assert any(any(label in line for label in labels) for line in described)
    assert any(re.match(r"^payment \S+, [\d,.]+ [A-Z]{3}, ", line) for line in described)
    assert re.search(r"^\s+\+\d+ more$", out, re.MULTILINE)


def test_plan_wide_keeps_full_ids_and_the_statements_behind_each_description(
        newcomer: Workspace) -> None:
    planned = json.loads(cli(newcomer, "plan", "--k", "2", "--json"))
    out = cli(newcomer, "plan", "--k", "2", "--wide")
    targets = {t["id"] for t in planned["target_details"]}
    cited = {i for t in planned["target_details"] for i in t["evidence"]}
    assert targets <= set(FULL_ID.findall(out))
    assert set(FULL_ID.findall(out)) - targets == cited  # every cited statement, in full
    assert not re.search(r"^\s+\+\d+ more$", out, re.MULTILINE)


def test_path_takes_short_ids_and_describes_each_hop(
        newcomer: Workspace, ranked: list[dict[str, Any]]) -> None:
    # two of the top ten with a path between them, of one group where two share one
    pairs = sorted(((a, b) for a in ranked for b in ranked if a["rank"] < b["rank"]),
                   key=lambda ab: (ab[0]["group"] != ab[1]["group"], ab[0]["rank"],
                                   ab[1]["rank"]))
    for first, second in pairs:
        found = CliRunner().invoke(app, ["--workspace", str(newcomer.path), "network", "path",
                                         first["id"][:8], second["id"][:8]],
                                   env={"COLUMNS": str(WIDTH), "PINCHPOINT_USER": None})
        if found.exit_code == 0:
            break
    out = cli(newcomer, "path", first["id"][:8], second["id"][:8])
    fits(out)
    assert not FULL_ID.search(out)
    hops = [line for line in out.splitlines() if line.startswith("  ") and " - " in line]
    assert hops and hops[0].strip().startswith(f"{first['label']} ({first['id'][:8]})")
    assert any(DESCRIBED.match(line.strip()) for line in out.splitlines())
    wide = cli(newcomer, "path", first["id"], second["id"], "--wide")
    assert first["id"] in wide and second["id"] in wide


def test_groups_fit_too(newcomer: Workspace) -> None:
    out = cli(newcomer, "groups")
    fits(out)
    assert out.splitlines()[1].split()[:3] == ["group", "size", "name"]


# -- the describer, directly ------------------------------------------------------------


@pytest.fixture(scope="module")
def cited(resolved: Any) -> tuple[Network, list[list[str]]]:
    with resolved.workspace.open_store(read_only=True) as store:
        network = project(store, resolved.scope)
    targets = plan(network, 5, "degree", "sequential", 5, False, 1.0, "input", 0).targets
    return network, [target.evidence for target in targets]


def test_described_evidence_names_its_kind_date_and_parties(
        resolved: Any, cited: tuple[Network, list[list[str]]]) -> None:
    network, ids = cited
    with resolved.workspace.open_store(read_only=True) as store:
        described = describe_evidence(store, resolved.scope, network, ids)
        visible = {s.id: s for s in store.statements(resolved.scope)}
    labels = {network.label(i) for i in range(network.n)}
    for step, found in zip(ids, described, strict=True):
        assert found and {i for e in found for i in e.statement_ids} == set(step)
        for item in found:
            assert {visible[i].entity_id for i in item.statement_ids} == {item.entity_id}
            # a party is named as the network names it, or, where the network has
            # no name for it, by what it is ("unnamed person"): never by its id
            assert item.parties and all(p in labels or p.startswith("unnamed ")
                                        for p in item.parties)
            if item.schema != "Person":  # a shared phone reads "phone +44... of A"
                assert item.text.startswith(kind(item.schema))
            assert not FULL_ID.search(item.text)
        assert sorted(varied(found), key=found.index) == found


def test_a_partner_is_told_nothing_about_what_it_cannot_see(
        resolved: Any, cited: tuple[Network, list[list[str]]]) -> None:
    _, ids = cited
    scope = Scope.owner(OTHER)
    with resolved.workspace.open_store(read_only=True) as store:
        own = {s.id: s for s in store.statements(scope)}
        described = describe_evidence(store, scope, Network.from_records([]), ids)
        everyone = {s.id: s for s in store.statements(resolved.scope)}
    names = {s.value for s in own.values() if s.prop == "name"}
    hidden = {s.value for i, s in everyone.items() if s.prop == "name" and i not in own}
    assert {i for step in ids for i in step} - set(own), "some evidence should be hidden"
    for found in described:
        for item in found:
            assert set(item.statement_ids) <= set(own)
            assert all(name in names or name.startswith("unnamed ") for name in item.parties)
            assert not (set(item.parties) & (hidden - names))


CASE = [
    {"id": "person-a", "schema": "Person",
     "properties": {"name": ["Amanj Hassan Zada"], "phone": ["+447911123456"]}},
    {"id": "person-b", "schema": "Person",
     "properties": {"name": ["Rebin Ali"], "phone": ["+447911123456"]}},
    {"id": "person-c", "schema": "Person", "properties": {"name": ["Dilan Aziz"]}},
    {"id": "org-1", "schema": "Organization", "properties": {"name": ["PAF"]}},
    {"id": "payment-1", "schema": "Payment",
     "properties": {"payer": ["person-a"], "beneficiary": ["person-b"], "amount": ["1200"],
                    "currency": ["GBP"], "date": ["2024-03-01"]}},
    {"id": "call-1", "schema": "Call",
     "properties": {"caller": ["person-a"], "receiver": ["person-c"],
                    "date": ["2024-03-02T10:21"]}},
    {"id": "event-1", "schema": "Event",
     "properties": {"name": ["arrest at Gravelines"], "date": ["2024-04-11"],
                    "involved": ["person-c", "person-a", "person-b"],
                    "organizer": ["org-1"]}},
]


def test_each_kind_of_evidence_reads_as_a_sentence(workspace: Workspace, tmp_path: Path
                                                   ) -> None:
    ingest_file(workspace, "ftm", write_jsonl(tmp_path / "case.json", CASE), IngestOptions())
    scope = Scope.owner("NCA")
    resolved = Network.from_records([], [Node(owned_id("NCA", "person-a"), "Amanj (resolved)")])
    with workspace.open_store(read_only=True) as store:
        statements = store.statements(scope)
        cited = [[s.id for s in statements
                  if s.entity_id == owned_id("NCA", entity) and s.prop == prop]
                 for entity, prop in (("payment-1", "payer"), ("call-1", "receiver"),
                                      ("event-1", "involved"), ("person-b", "phone"))]
        cited.append([i for ids in cited for i in ids])
        described = describe_evidence(store, scope, resolved, cited)
        unseen = describe_evidence(store, Scope.owner("BF"), resolved, cited)
    texts = [[item.text for item in found] for found in described]
    assert texts[:4] == [
        ["payment 2024-03-01, 1,200 GBP, Amanj (resolved) to Rebin Ali"],
        ["call 2024-03-02, Amanj (resolved) to Dilan Aziz"],
        ["event 2024-04-11, arrest at Gravelines, Amanj (resolved), Rebin Ali, Dilan Aziz"],
        ["phone +447911123456 of Rebin Ali"]]
    assert texts[4] == [text for found in texts[:4] for text in found]
    assert described[2][0].parties == ("Amanj (resolved)", "Rebin Ali", "Dilan Aziz")
    assert unseen == [[] for _ in cited]  # another agency's scope: nothing to describe
