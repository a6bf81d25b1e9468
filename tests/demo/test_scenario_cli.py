"""`pinchpoint demo generate | ingest | summary`, through Typer's CliRunner."""

from __future__ import annotations

from pathlib import Path

from scenario_helpers import folder_hashes
from typer.testing import CliRunner

from pinchpoint.cli import app
from pinchpoint.demo.examples import EXAMPLES
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
