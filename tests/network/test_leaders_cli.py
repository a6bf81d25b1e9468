"""`pinchpoint network leaders` on the documented examples: every group's members, the
head first, read through the reader's scope with the money and who called whom; victims
and witnesses never listed; bad input is one sentence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pinchpoint.cli import app
from pinchpoint.demo.examples import ingest_examples
from pinchpoint.network.leaders import ROLES
from pinchpoint.store import init_workspace

runner = CliRunner()
PROTECTED = {"Shirin Ahmadi", "Karwan Jalal"}  # the examples' victim and witness


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace = init_workspace(tmp_path_factory.mktemp("leaders") / "ws", "NCA")
    ingest_examples(workspace)
    done = runner.invoke(app, ["--workspace", str(workspace.path), "resolve"])
    assert done.exit_code == 0, done.output  # as the operator, whose scope the CLI reads
    return workspace.path


def leaders_json(*args: str, ws: Path | None = None) -> Any:
    """`network leaders --json` on `ws` (or on a plain graph given in `args`)."""
    where = ["--workspace", str(ws)] if ws else []
    result = runner.invoke(app, [*where, "network", "leaders", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_group_has_a_head_and_no_victim_is_listed(ws: Path) -> None:
    found = leaders_json(ws=ws)
    assert found and all(set(g) >= {"group", "members"} for g in found)
    members = [m for g in found for m in g["members"]]
    assert all(set(m) == {"id", "label", "score", "role", "why"} for m in members)
    assert all((m["role"] in ROLES or m["role"] is None) and m["why"] for m in members)
    assert not {m["label"] for m in members} & PROTECTED
    assert all(g["members"][0]["role"] == "kingpin" for g in found if g["members"])
    boss = next(g for g in found if "Amanj Hassan Zada" in {m["label"] for m in g["members"]})
    assert boss["members"][0]["label"] == "Amanj Hassan Zada"  # he keeps the ledger's money
    assert "keeps" in boss["members"][0]["why"]
    assert any("initiates contact" in m["why"] for m in members)  # the calls' direction


def test_one_group_and_a_table_that_fits(ws: Path) -> None:
    one = leaders_json("--group", "G1", ws=ws)
    assert [g["group"] for g in one] == ["G1"]
    table = runner.invoke(app, ["--workspace", str(ws), "network", "leaders"],
                          env={"COLUMNS": "80"})
    assert table.exit_code == 0 and "kingpin" in table.output
    assert max(len(line) for line in table.output.splitlines()) <= 80


def test_an_unknown_group_is_one_sentence(ws: Path) -> None:
    result = runner.invoke(app, ["--workspace", str(ws), "network", "leaders", "--group",
                                 "G99"])
    assert result.exit_code != 0 and "no group 'G99'" in result.output
    assert "Traceback" not in result.output


def test_a_plain_graph_says_it_has_no_money_or_direction(tmp_path: Path) -> None:
    edges = tmp_path / "edges.txt"
    edges.write_text("a b\nb c\nc a\nc d\nd e\n")
    found = leaders_json("--edges", str(edges))
    assert all("no money or call direction" in m["why"] for g in found for m in g["members"])


def test_a_bad_rates_file_is_one_sentence(ws: Path, tmp_path: Path) -> None:
    rates = tmp_path / "rates.csv"
    rates.write_text("currency,to_base\nUSD,abc\n", encoding="utf-8")
    result = runner.invoke(app, ["--workspace", str(ws), "network", "leaders", "--rates",
                                 str(rates)])
    assert result.exit_code == 2 and "to_base 'abc' is not a number" in result.output
