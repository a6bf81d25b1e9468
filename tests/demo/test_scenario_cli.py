"""`pinchpoint demo generate | ingest | summary`, through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from scenario_helpers import folder_hashes
from typer.testing import CliRunner

from pinchpoint.cli import app
from pinchpoint.demo.examples import EXAMPLES, load_manifest
from pinchpoint.demo.generate import Manifest

pytest_plugins = ["scenario_fixtures"]  # the session's scenario fixtures

runner = CliRunner()


def test_generate_writes_the_scenario_the_api_writes(scenario: Manifest, tmp_path: Path
                                                     ) -> None:
    out = tmp_path / "cli-scenario"
    result = runner.invoke(app, ["demo", "generate", "--size", "small", "--seed",
                                 str(scenario.seed), "--out", str(out)])
    assert result.exit_code == 0, (result.output, result.exception)
    assert "records in" in result.stdout and "Truth in" in " ".join(result.stdout.split())
    assert folder_hashes(out) == folder_hashes(scenario.out)


def test_generate_refuses_an_unrelated_folder(tmp_path: Path) -> None:
    (tmp_path / "thesis.docx").write_bytes(b"PK")
    result = runner.invoke(app, ["demo", "generate", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "not empty" in result.stderr
    assert (tmp_path / "thesis.docx").exists()


def test_ingest_and_summary_of_a_manifest_folder(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert runner.invoke(app, ["--workspace", str(ws), "init", "--agency", "NCA"]
                         ).exit_code == 0
    result = runner.invoke(app, ["--workspace", str(ws), "demo", "ingest", str(EXAMPLES)])
    assert result.exit_code == 0, (result.output, result.exception)
    assert "PAF-FR" in result.stdout and "seizures" in result.stdout
    result = runner.invoke(app, ["--workspace", str(ws), "demo", "summary", str(EXAMPLES)])
    assert result.exit_code == 0, (result.output, result.exception)
    text = " ".join(result.stdout.split())
    assert "read as NCA" in text and "Quarantine: 12 values or rows" in text
    assert "as planted" in text


def test_ingest_adds_the_agencies_whose_material_it_loads(tmp_path: Path) -> None:
    """Newcomer trap: partner material loaded for an agency the workspace lacks could be
    read by nobody. `demo ingest` adds the scenario's agencies first (logged), once."""
    ws = tmp_path / "ws"
    runner.invoke(app, ["--workspace", str(ws), "init", "--agency", "NCA"])
    assert runner.invoke(app, ["--workspace", str(ws), "agency", "add", "PAF-FR", "--title",
                               "PAF"]).exit_code == 0
    result = runner.invoke(app, ["--workspace", str(ws), "demo", "ingest", str(EXAMPLES)])
    assert result.exit_code == 0, (result.output, result.exception)
    added = next(line for line in result.stdout.splitlines() if "added the scenario" in line)
    assert "PAF-FR" not in added and "NCA" not in added
    listed = runner.invoke(app, ["--workspace", str(ws), "agency", "list", "--json"]).stdout
    agencies = {row["name"]: row["title"] for row in json.loads(listed)}
    owners = {str(e["options"]["owner"]) for e in load_manifest(EXAMPLES)
              if "owner" in (e.get("options") or {})}
    assert owners <= set(agencies) and agencies["PAF-FR"] == "PAF"
    again = runner.invoke(app, ["--workspace", str(ws), "demo", "ingest", str(EXAMPLES)])
    assert again.exit_code == 0 and "added the scenario" not in again.stdout
