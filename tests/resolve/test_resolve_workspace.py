"""Resolution of the small scenario, end to end: quality against the generator's truth,
incremental re-runs, judgements that survive them, review, explanations, exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from builders import LEDGER_HEADER, write_csv, write_jsonl
from resolve_helpers import Resolved
from typer.testing import CliRunner

from pinchpoint.cli import app
from pinchpoint.demo.truth_map import bcubed, person_truth
from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.model.owned import owned_id
from pinchpoint.resolve import ResolveError, ResolveOptions, resolution_map, resolve
from pinchpoint.resolve.explain import explain
from pinchpoint.resolve.review import judge, review_queue, undo
from pinchpoint.store import Scope, Workspace
from pinchpoint.store import judgements as store_judgements
from pinchpoint.store import resolution as tables

pytestmark = pytest.mark.duckdb_only("the session's resolved small scenario is a "
                                     "DuckDB folder that tests copy")

pytest_plugins = ["resolve_fixtures"]


def _merged_pair(mapping: dict[str, str]) -> tuple[str, str]:
    members: dict[str, list[str]] = {}
    for entity, canon in sorted(mapping.items()):
        members.setdefault(canon, []).append(entity)
    big = max(members.values(), key=len)
    return big[0], big[1]


def test_resolution_beats_no_resolution_against_the_truth(resolved: Resolved) -> None:
    with resolved.workspace.open_store() as store:
        truth = person_truth(store, resolved.scope, resolved.scenario).mapping
        mapping = resolution_map(store, resolved.scope)
    assert resolved.report.mode == "full" and resolved.report.records == len(mapping)
    got = bcubed(mapping, truth)
    baseline = bcubed({e: e for e in mapping}, truth)
    assert got.precision >= 0.95, got
    assert got.f1 >= 0.9 and got.f1 > baseline.f1 + 0.1, (got, baseline)


def test_a_second_run_without_new_data_changes_nothing(resolved: Resolved, tmp_path: Path
                                                       ) -> None:
    ws = resolved.copy(tmp_path)
    with ws.open_store() as store:
        before = resolution_map(store, resolved.scope)
        report = resolve(store, resolved.scope)
        assert report.mode == "unchanged" and report.pairs_scored == 0
        assert resolution_map(store, resolved.scope) == before


def _known_person(store_ws: Workspace, scope: Scope) -> tuple[str, str, str]:
    """A merged entity's first record: its id, a strong name and a phone."""
    with store_ws.open_store() as store:
        mapping = resolution_map(store, scope)
        left, _right = _merged_pair(mapping)
        row = tables.record_rows(store, scope, [left])[left]
    return left, row["names"][0], row["phones"][0]


def test_new_data_is_resolved_incrementally_into_the_known_entity(resolved: Resolved,
                                                                  tmp_path: Path) -> None:
    ws = resolved.copy(tmp_path)
    known, name, phone = _known_person(ws, resolved.scope)
    ledger = write_csv(tmp_path / "late_ledger.csv", LEDGER_HEADER, [
        ["2024-11-02", name, phone, "Someone Newman", "+447700900123", "700", "GBP",
         "Late Exchange", "London", "LATE-1"]])
    ingest_file(ws, "ledger", ledger, IngestOptions(owner="NCA"))
    with ws.open_store() as store:
        report = resolve(store, resolved.scope)
        mapping = resolution_map(store, resolved.scope)
    assert report.mode == "incremental"
    assert 1 <= report.new_records <= 3 and report.records == resolved.report.records + 2
    before = resolution_map_of(resolved)
    added = [e for e in mapping if e not in before]
    sender = [e for e in added if mapping[e] == mapping[known]]
    assert len(sender) == 1, "the sender joins the entity it names"
    assert len([e for e in added if mapping[e] == e]) == 1, "the receiver is someone new"


def resolution_map_of(resolved: Resolved) -> dict[str, str]:
    with resolved.workspace.open_store(read_only=True) as store:
        return tables.resolution(store, resolved.scope)


def test_judgements_override_survive_re_resolution_and_can_be_undone(
        resolved: Resolved, tmp_path: Path) -> None:
    ws = resolved.copy(tmp_path)
    scope = resolved.scope
    with ws.open_store() as store:
        left, right = _merged_pair(resolution_map(store, scope))
        judgement = judge(store, scope, left, right, "different", "two brothers, met both",
                          "analyst1")
        after = resolution_map(store, scope)
        assert after[left] != after[right]
        for options in (ResolveOptions(), ResolveOptions(full=True)):
            resolve(store, scope, options)
            again = resolution_map(store, scope)
            assert again[left] != again[right], options
        saved = store_judgements.judgements(store, scope)
        assert [(j.user, j.reason, j.verdict) for j in saved] == [
            ("analyst1", "two brothers, met both", "different")]
        assert saved[0].agency == "NCA" and saved[0].created_at is not None
        undo(store, scope, judgement.id, "mixed up the files", "analyst2")
        back = resolution_map(store, scope)
        assert back[left] == back[right]
        history = store_judgements.judgements(store, scope, active_only=False)
        assert history[0].undone_by == "analyst2" and history[0].undo_reason


def test_judgements_need_known_records_a_verdict_and_a_reason(resolved: Resolved,
                                                              tmp_path: Path) -> None:
    ws = resolved.copy(tmp_path)
    with ws.open_store() as store:
        left, right = _merged_pair(resolution_map(store, resolved.scope))
        with pytest.raises(ResolveError, match="verdict"):
            judge(store, resolved.scope, left, right, "maybe", "x", "a")
        with pytest.raises(ResolveError, match="reason"):
            judge(store, resolved.scope, left, right, "same", "  ", "a")
        with pytest.raises(ResolveError, match="no person record"):
            judge(store, resolved.scope, left, "no-such-id", "same", "x", "a")
        # Another agency's scope does not see the records at all.
        with pytest.raises(ResolveError, match="no person record"):
            judge(store, Scope.owner("PAF-FR"), left, right, "same", "x", "a")


@pytest.mark.parametrize("victim_owner", ["NCA", "other"])
def test_a_victim_and_a_suspect_proposed_as_one_go_to_review(resolved: Resolved,
                                                             tmp_path: Path,
                                                             victim_owner: str) -> None:
    """Also when another agency says victim of the person NCA says suspect of (issue 14,
    finding 1): the two agencies' records meet only through resolution, which holds the
    pair for review, each side with its own agency's statements."""
    ws = resolved.copy(tmp_path)
    if victim_owner == "other":
        victim_owner = min(resolved.scope.visible_owners - {"NCA"})
    people = {"victim": victim_owner, "suspect": "NCA"}
    for category, owner in people.items():
        person = {"id": "cat-person", "schema": "Person", "properties": {
            "name": ["Rawand Kamal Aziz"], "phone": ["+9647709998877"],
            "birthDate": ["1999-02-03"], "personCategory": [category]}}
        if owner == "NCA" == victim_owner:
            person["id"] = f"cat-{category}"
        ingest_file(ws, "ftm", write_jsonl(tmp_path / f"{category}.jsonl", [person]),
                    IngestOptions(owner=owner))
    victim = owned_id(victim_owner, "cat-victim" if victim_owner == "NCA" else "cat-person")
    suspect = owned_id("NCA", "cat-suspect" if victim_owner == "NCA" else "cat-person")
    with ws.open_store() as store:
        resolve(store, resolved.scope)
        mapping = resolution_map(store, resolved.scope)
        assert mapping[victim] != mapping[suspect]
        queue = review_queue(store, resolved.scope, limit=None)
        held = [i for i in queue if {i.left, i.right} == {victim, suspect}]
        assert held and "victim" in held[0].why and held[0].probability >= 0.8
        for record, owner in ((victim, victim_owner), (suspect, "NCA")):
            assert {s.owner for s in store.statements(resolved.scope, entity_id=record)} \
                == {owner}


def test_the_review_queue_is_ordered_by_network_impact(resolved: Resolved) -> None:
    with resolved.workspace.open_store() as store:
        queue = review_queue(store, resolved.scope, limit=None)
    assert queue, "the small scenario leaves some pairs to review"
    impacts = [i.impact for i in queue]
    assert impacts == sorted(impacts, reverse=True)
    assert all(0.0 <= i.probability < 1.0 for i in queue)


def test_explanations_add_up(resolved: Resolved) -> None:
    with resolved.workspace.open_store() as store:
        pairs = tables.pairs(store, resolved.scope)
        left, right, probability = max(pairs, key=lambda p: (p[2], p[0], p[1]))
        found = explain(store, resolved.scope, left, right)
    assert sum(s.weight for s in found.steps) == pytest.approx(found.match_weight)
    assert found.match_probability == pytest.approx(probability, abs=1e-6)
    assert found.steps[0].comparison == "prior"
    assert {s.comparison for s in found.steps} >= {"name", "birth_date", "phones"}
    assert found.names and 0.0 <= found.names["score"] <= 1.0


def _cli(ws: Workspace, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--workspace", str(ws.path), *args])
    return result.exit_code, result.output


def test_cli_resolve_judge_explain_review_and_export(tmp_path: Path, resolved: Resolved
                                                     ) -> None:
    ws = resolved.copy(tmp_path)  # the CLI reads as the workspace's own agency (NCA)
    code, out = _cli(ws, "resolve", "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["mode"] == "full" and report["records"] > 0
    code, out = _cli(ws, "export", "resolution")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == report["records"] and set(rows[0]) == {"entity_id", "canonical_id"}
    merged = {r["canonical_id"] for r in rows if r["canonical_id"] != r["entity_id"]}
    canon = sorted(merged)[0]
    other = next(r["entity_id"] for r in rows
                 if r["canonical_id"] == canon and r["entity_id"] != canon)
    code, out = _cli(ws, "explain", canon, other, "--json")
    assert code == 0 and json.loads(out)["same_entity"] is True
    code, out = _cli(ws, "judge", canon, other, "different", "--reason", "cousins")
    assert code == 0 and "separate" in out
    code, out = _cli(ws, "judgements", "--json")
    assert json.loads(out)[0]["reason"] == "cousins"
    code, out = _cli(ws, "review", "--json")
    assert code == 0 and isinstance(json.loads(out), list)
    out_file = tmp_path / "res.csv"
    assert _cli(ws, "export", "resolution", "--out", str(out_file))[0] == 0
    assert out_file.read_text().startswith("entity_id,canonical_id\n")


def test_cli_errors_are_one_sentence(tmp_path: Path, resolved: Resolved) -> None:
    ws = resolved.copy(tmp_path)
    code, out = _cli(ws, "resolve", "--threshold", "1.5")
    assert code == 2 and "threshold" in out
    code, out = _cli(ws, "explain", "nope", "nada")
    assert code == 2 and "no person record" in out and "Traceback" not in out
    code, out = _cli(ws, "judge", "a", "b", "same")
    assert code == 2 and "reason" in out


def test_the_network_context_step_is_part_of_the_explanation(resolved: Resolved) -> None:
    with resolved.workspace.open_store() as store:
        rows = store.con.execute(
            "SELECT left_id, right_id, weight FROM resolve_context WHERE scope_key = ? "
            "ORDER BY weight DESC, left_id LIMIT 1", [tables.scope_key(resolved.scope)]
        ).fetchall()
        assert rows, "the small scenario has pairs across first-pass entities"
        left, right, weight = rows[0]
        found = explain(store, resolved.scope, left, right)
    context_steps = [s for s in found.steps if s.comparison == "network context"]
    assert len(context_steps) == 1 and context_steps[0].weight == pytest.approx(weight)
    assert sum(s.weight for s in found.steps) == pytest.approx(found.match_weight)
