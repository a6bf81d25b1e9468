"""The `document` kind: a free-text case report stored whole as one PlainText entity."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy
from typer.testing import CliRunner

from pinchpoint.cli import app
from pinchpoint.ingest.errors import IngestError
from pinchpoint.ingest.run import IngestReport, ingest_file
from pinchpoint.store.entities import iter_entities
from pinchpoint.store.workspace import Workspace, init_workspace

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "case_report.txt"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return init_workspace(tmp_path / "ws", agency="NCA")


def documents(ws: Workspace) -> list[EntityProxy]:
    with ws.open_store(read_only=True) as store:
        return list(iter_entities(store, ws.home_scope()))


def accounted(report: IngestReport) -> None:
    b = report.batch
    assert b.rows_read == b.rows_stored + b.rows_rejected


def test_example_report_is_one_plaintext(ws: Workspace) -> None:
    report = ingest_file(ws, "document", EXAMPLE)
    b = report.batch
    assert (b.rows_read, b.rows_stored, b.rows_rejected, b.values_quarantined) == (1, 1, 0, 0)
    [doc] = documents(ws)
    data = EXAMPLE.read_bytes()
    assert doc.schema.name == "PlainText"
    assert doc.get("title") == ["OPERATION SEAGULL: ARREST AND SEIZURE REPORT"]
    assert doc.get("date") == ["2024-05-02"]
    assert doc.get("fileName") == ["case_report.txt"]
    assert doc.get("mimeType") == ["text/plain"]
    assert doc.get("contentHash") == [hashlib.sha1(data).hexdigest()]
    assert doc.get("fileSize") == [str(len(data))]
    # The body is the whole text; only the whitespace around it is trimmed.
    assert doc.first("bodyText") == data.decode("utf-8").strip()


def test_markdown_title_and_bold_date(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "debrief.md"
    path.write_text("\n\n# Debrief of witness W3\n\n**Date:** 2024-03-02\n\nNotes.\n",
                    encoding="utf-8")
    ingest_file(ws, "document", path)
    [doc] = documents(ws)
    assert doc.get("title") == ["Debrief of witness W3"]
    assert doc.get("date") == ["2024-03-02"]
    assert doc.get("mimeType") == ["text/markdown"]


def test_a_date_line_that_is_no_date_is_quarantined(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Intercept note\nDate: sometime in March\n", encoding="utf-8")
    report = ingest_file(ws, "document", path)
    accounted(report)
    assert report.batch.rows_stored == 1
    [bad] = report.quarantine_sample
    assert (bad.field, bad.raw_value, bad.row_rejected) == ("date", "sometime in March", False)
    [doc] = documents(ws)
    assert doc.get("date") == []


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty"),
    (b"  \n\t\n", "empty"),
    ("Rapport de saisie, Gravelines\n".encode("latin-1") + b"\xe9t\xe9\n", "UTF-8"),
    (b"%PDF-1.7\n\xff\xd8\x00\x01", "UTF-8"),
])
def test_empty_or_binary_files_are_rejected_rows(ws: Workspace, tmp_path: Path,
                                                 content: bytes, reason: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(content)
    report = ingest_file(ws, "document", path)
    accounted(report)
    b = report.batch
    assert (b.rows_read, b.rows_stored, b.rows_rejected) == (1, 0, 1)
    assert reason in report.quarantine_sample[0].reason
    assert documents(ws) == []


def test_ingesting_twice_adds_nothing(ws: Workspace) -> None:
    assert ingest_file(ws, "document", EXAMPLE).batch.statements_added > 0
    assert ingest_file(ws, "document", EXAMPLE).batch.statements_added == 0


def test_a_folder_is_refused(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="folder"):
        ingest_file(ws, "document", tmp_path)


def test_cli_ingests_a_report(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    result = CliRunner().invoke(app, ["--workspace", str(ws), "ingest", "document",
                                      str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(app, ["--workspace", str(ws), "status", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["by_schema"] == {"PlainText": [10, 1]}
