"""``match-names`` through Typer's CliRunner, on an app built here (pinchpoint.cli registers it)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from pinchpoint.cli.names import match_names

app = typer.Typer()
app.command("match-names")(match_names)
app.command("noop")(lambda: None)  # two commands, so "match-names" is a subcommand
runner = CliRunner()


def test_two_names_print_score_and_explanation() -> None:
    result = runner.invoke(app, ["match-names", "Amanj Hassan Zada", "أمانج حسن زاده"])
    assert result.exit_code == 0, result.output
    assert "score" in result.output and "-> match" in result.output


def test_json_output() -> None:
    result = runner.invoke(app, ["match-names", "Ahmad bin Hasan", "Hasan bin Ahmad", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["match"] is False
    assert data["feature_levels"]["father_son_swap"] == 1
    assert {"score", "pairs", "penalties", "extras"} <= set(data)


def test_pairs_file(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text("id,name1,name2\n1,Amanj Hassan Zada,أمانج حسن زاده\n"
                    "2,Ahmad bin Hasan,Hasan bin Ahmad\n3,,Somebody\n", encoding="utf-8")
    result = runner.invoke(app, ["match-names", "--pairs", str(path)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["id", "name1", "name2", "score", "match"]
    assert [r["match"] for r in rows] == ["true", "false", "false"]
    assert 0.0 <= float(rows[0]["score"]) <= 1.0
    assert rows[2]["score"] == "0.0000"


def test_pairs_threshold_and_schema_column(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text("name1,name2,schema\nSiemens AG,Siemens Aktiengesellschaft,Company\n",
                    encoding="utf-8")
    result = runner.invoke(app, ["match-names", "--pairs", str(path), "--threshold", "1.0"])
    assert result.exit_code == 0, result.output
    row = next(csv.DictReader(io.StringIO(result.stdout)))
    assert row["schema"] == "Company" and float(row["score"]) > 0.95


def test_bad_input_exits_2_without_traceback(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["match-names", "--pairs", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2 and "no such file" in missing.output
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a,b\n1,2\n", encoding="utf-8")
    columns = runner.invoke(app, ["match-names", "--pairs", str(wrong)])
    assert columns.exit_code == 2 and "missing column" in columns.output
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"name1,name2\n\xff\xfe\xfa,x\n")
    undecodable = runner.invoke(app, ["match-names", "--pairs", str(binary)])
    assert undecodable.exit_code == 2
    one = runner.invoke(app, ["match-names", "Only One"])
    assert one.exit_code == 2 and "two names" in one.output
    both = runner.invoke(app, ["match-names", "A", "B", "--pairs", str(wrong)])
    assert both.exit_code == 2
    for result in (missing, columns, undecodable, one, both):
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
