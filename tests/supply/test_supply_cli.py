"""`pinchpoint supply chains|hubs|plan --json`: the same functions as the Python API,
through the reader's scope (agencies' grants), logged, one sentence on bad input."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from pinchpoint.cli import app
from pinchpoint.store import Workspace

runner = CliRunner()
def run(ws: Workspace, *args: str) -> Any:
    result = runner.invoke(app, ["--workspace", str(ws.path), "supply", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_chains_json(shared: Workspace) -> None:
    found = run(shared, "chains", "--json")
    assert found["items"] == 3  # the Zodiac nothing else names is left out
    engine = next(c for c in found["chains"] if c["make"] == "Yamaha")
    assert {s["kind"] for s in engine["links"]} == {"purchase", "import", "storage",
                                                      "transport"}
    assert engine["seizures"][0]["place"]["lat"] is not None
    assert found["legs"]
    one = run(shared, "chains", "--serial", "6bg 1234567", "--json")
    assert [c["make"] for c in one["chains"]] == ["Yamaha"]
    assert run(shared, "chains", "--all", "--json")["items"] == 4


def test_hubs_and_plan_json(shared: Workspace) -> None:
    found = run(shared, "hubs", "--json", "--top", "3")
    assert found["hubs"][0]["label"] == "Marmara Trade GmbH"
    assert found["hubs"][0]["seized_items"] == 3
    assert found["import_to_seizure"]["items"] == 2
    assert {m["make"] for m in found["makes_over_time"]} >= {"Yamaha", "Suzuki"}
    planned = run(shared, "plan", "--steps", "2", "--json")
    assert planned["steps"][0]["label"] == "Marmara Trade GmbH"
    assert len(planned["steps"]) <= 2


def test_tables_print(shared: Workspace) -> None:
    for command in ("chains", "hubs", "plan"):
        result = runner.invoke(app, ["--workspace", str(shared.path), "supply", command])
        assert result.exit_code == 0, result.output
    assert "Marmara" in result.output
