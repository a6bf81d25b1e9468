"""`pinchpoint money alerts` on the documented examples plus a ledger with a cash
structuring episode: alerts come from the scope's payments, carry the ledger's
references and its grading, are logged like every read, and bad input is one sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from pinchpoint.access.journal import open_log
from pinchpoint.cli import app
from pinchpoint.demo.examples import ingest_examples
from pinchpoint.ingest.run import ingest_file
from pinchpoint.store import init_workspace

runner = CliRunner()
HEADER = "date,sender,sender_phone,receiver,receiver_phone,amount,currency,agent,city,reference"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("alerts")
    workspace = init_workspace(folder / "ws", "NCA")
    ingest_examples(workspace)
    rows = [HEADER] + [
        f"2024-0{1 + k % 6}-{10 + k % 15:02d},Person {k},+4479111{k:05d},Person {k + 1},"
        f"+4479111{k + 1:05d},{950 if k % 3 else 400},GBP,Kawa Exchange,London,BG-{k}"
        for k in range(40)] + [
        f"2024-06-{2 + k:02d},Sirwan Aziz,+447700900123,Amanj Hassan Zada,+9647501234567,"
        f"{985 - 15 * k},GBP,Kawa Exchange,London,ST-{k}" for k in range(4)]
    ledger = folder / "cash.csv"
    ledger.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ingest_file(workspace, "ledger", ledger)
    assert cli(workspace.path, "resolve").exit_code == 0
    return workspace.path


def cli(ws: Path, *args: str) -> Result:
    return runner.invoke(app, ["--workspace", str(ws), *args])


def test_alerts_name_the_ledger_references_and_grading(ws: Path) -> None:
    result = cli(ws, "money", "alerts", "--typology", "structuring", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [a["typology"] for a in found] == ["structuring"]
    alert = found[0]
    assert alert["references"] == ["ST-0", "ST-1", "ST-2", "ST-3"]
    assert len(alert["payments"]) == 4 and alert["currency"] == "GBP"
    assert alert["total"] == "3850" and alert["start"] == "2024-06-02"
    assert {p["label"] for p in alert["parties"]} == {"Sirwan Aziz", "Amanj Hassan Zada"}
    assert alert["source_grade"] and alert["info_grade"] and alert["classification"]
    assert "Sirwan Aziz" in alert["why"]
    table = cli(ws, "money", "alerts")
    assert table.exit_code == 0 and "structuring" in table.stdout


def test_alerts_are_logged_and_thresholds_configurable(ws: Path) -> None:
    cli(ws, "--purpose", "Operation Seagull money", "money", "alerts", "--threshold",
        "GBP=2000", "--json")
    with open_log(ws) as log:
        last = log.entries("NCA", action="consultation")[-1]
    assert "money alerts" in last.what and last.why == "Operation Seagull money"
    raised = json.loads(cli(ws, "money", "alerts", "--threshold", "GBP=2000", "--typology",
                            "structuring", "--json").stdout)
    assert raised == []


@pytest.mark.parametrize(("args", "fragment"), [
    (("money", "alerts", "--typology", "smurfing"), "no typology"),
    (("money", "alerts", "--threshold", "GBP"), "CURRENCY=AMOUNT"),
])
def test_bad_input_is_one_sentence(ws: Path, args: tuple[str, ...], fragment: str) -> None:
    result = cli(ws, *args)
    assert result.exit_code != 0 and fragment in result.output
    assert "Traceback" not in result.output
