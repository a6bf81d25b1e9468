"""FtM export: every line is stock FtM, and export -> re-import -> export is identical."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from builders import (
    FTM_ENTITIES,
    LAYOUTS,
    all_quarantine,
    stock_ftm_problems,
    write_jsonl,
    write_layout,
    write_table,
)

from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.model.owned import owned_id
from pinchpoint.store import Workspace, init_workspace
from pinchpoint.store.entities import export_ftm


def _export(workspace: Workspace, stock: bool = True) -> str:
    out = io.StringIO()
    with workspace.open_store(read_only=True) as store:
        export_ftm(store, workspace.home_scope(), out, stock=stock)
    return out.getvalue()


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory, backend: str) -> Workspace:
    """One workspace holding every built-in layout, a mapped table and FtM entities."""
    folder = tmp_path_factory.mktemp("full")
    ws = init_workspace(folder / "ws", agency="NCA")
    for kind in LAYOUTS:
        ingest_file(ws, kind, write_layout(folder, kind))
    table, mapping = write_table(folder)
    ingest_file(ws, "table", table, IngestOptions(mapping=mapping))
    ingest_file(ws, "ftm", write_jsonl(folder / "entities.ftm.json", FTM_ENTITIES))
    assert all_quarantine(ws) == []
    return ws


def test_every_exported_line_is_a_valid_stock_ftm_entity(full: Workspace) -> None:
    lines = _export(full).splitlines()
    assert len(lines) > 20
    entities = [json.loads(line) for line in lines]
    problems = [p for e in entities for p in stock_ftm_problems(e)]
    assert problems == []
    ids = [e["id"] for e in entities]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    schemata = {e["schema"] for e in entities}
    assert {"Person", "Payment", "Event", "Asset", "Trip", "Message", "UserAccount",
            "Vessel", "UnknownLink", "Organization"} <= schemata


def test_extension_values_survive_as_notes(full: Workspace) -> None:
    entities = {e["id"]: e for e in map(json.loads, _export(full).splitlines())}
    amanj = entities[owned_id("NCA", "person-amanj")]
    assert "Person category: suspect" in amanj["properties"]["notes"]
    handset = entities[owned_id("NCA", "handset-1")]
    assert handset["schema"] == "Asset"
    assert "IMEI: 356938035643809" in handset["properties"]["notes"]
    trips = [e for e in entities.values() if e["schema"] == "Trip"]
    assert any("Passenger count: 52" in t["properties"].get("notes", []) for t in trips)


def test_ftm_validate_accepts_the_export(full: Workspace, tmp_path: Path) -> None:
    export = tmp_path / "export.ftm.json"
    export.write_text(_export(full), encoding="utf-8")
    ftm = Path(sys.executable).parent / "ftm"
    if not ftm.exists():
        pytest.skip("the followthemoney `ftm` command is not installed next to python")
    done = subprocess.run([str(ftm), "validate", "-i", str(export)], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    original = {e["id"]: e for e in map(json.loads, export.read_text().splitlines())}
    validated = {e["id"]: e for e in map(json.loads, done.stdout.splitlines())}
    assert set(validated) == set(original)
    for entity_id, entity in original.items():
        got = validated[entity_id]
        assert got["schema"] == entity["schema"]
        assert {k: sorted(v) for k, v in got["properties"].items()} == {
            k: sorted(v) for k, v in entity["properties"].items()}


@pytest.mark.parametrize("stock", [True, False], ids=["stock", "extended"])
def test_export_reimport_export_is_identical(full: Workspace, tmp_path: Path,
                                             stock: bool) -> None:
    first = _export(full, stock=stock)
    path = tmp_path / "first.ftm.json"
    path.write_text(first, encoding="utf-8")
    fresh = init_workspace(tmp_path / "fresh", agency="NCA")
    report = ingest_file(fresh, "ftm", path)
    assert report.quarantined == 0, all_quarantine(fresh)
    assert report.batch.rows_read == report.batch.rows_stored == len(first.splitlines())
    second = _export(fresh, stock=stock)
    assert {line for line in second.splitlines()} == {line for line in first.splitlines()}
    assert second == first
    # ... and a third time into the same workspace adds nothing.
    again = ingest_file(fresh, "ftm", path)
    assert again.batch.statements_added == 0


def test_extended_export_keeps_pinchpoint_schemata(full: Workspace) -> None:
    schemata = {json.loads(line)["schema"] for line in _export(full, stock=False).splitlines()}
    assert {"Crossing", "Seizure", "SeizedItem", "SocialMediaPost", "Handset"} <= schemata


def test_languages_stock_ftm_lacks_stay_valid_in_the_stock_export(tmp_path: Path) -> None:
    """Sorani (ckb) is accepted on ingest; the stock export must still be valid FtM."""
    # BUG: the stock export carries language 'ckb', which FtM drops on reading.
    import known_bugs

    known_bugs.skip_if_open("stock_language")
    ws = init_workspace(tmp_path / "ws", agency="NCA")
    post = {"id": "post-1", "schema": "SocialMediaPost",
            "properties": {"bodyText": ["گەشتی ئین"
                                        "گلتەرا"],
                           "language": ["ckb"]}}
    report = ingest_file(ws, "ftm", write_jsonl(tmp_path / "p.ftm.json", [post]))
    assert report.quarantined == 0
    (line,) = _export(ws).splitlines()
    assert stock_ftm_problems(json.loads(line)) == []
    assert any("ckb" in note for note in json.loads(line)["properties"].get("notes", []))


def test_self_references_never_reach_the_export(tmp_path: Path) -> None:
    """FtM cannot even read an entity that refers to itself; it must not be exported."""
    # BUG: stored and exported; followthemoney.model.get_proxy raises InvalidData.
    import known_bugs
    from followthemoney import model as stock_model

    known_bugs.skip_if_open("self_relationship")
    ws = init_workspace(tmp_path / "ws", agency="NCA")
    lines = [{"id": "own-1", "schema": "Ownership", "properties": {"owner": ["own-1"],
                                                                   "role": ["shareholder"]}}]
    report = ingest_file(ws, "ftm", write_jsonl(tmp_path / "o.ftm.json", lines))
    assert report.quarantined >= 1
    for line in _export(ws).splitlines():
        stock_model.get_proxy(json.loads(line))
