"""Column suggestions and `pinchpoint mapping suggest`: kinds from values, a mapping
that loads and ingests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from builders import all_statements, write_csv
from typer.testing import CliRunner

from pinchpoint.cli import app
from pinchpoint.ingest.errors import IngestError
from pinchpoint.ingest.mapping import load_mapping, parse_mapping
from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.ingest.suggest import (
    mapping_yaml,
    read_sample,
    suggest_columns,
    suggest_mapping,
    suggestion_comment,
)
from pinchpoint.store import Workspace

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"
PEOPLE = EXAMPLES / "people.csv"

CALL_HEADER = ["caller_number", "caller_name", "callee_number", "callee_name", "time",
               "duration"]
CALLERS = [("+447911123456", "Amanj Hassan"), ("+447922654321", "Rebin Ali"),
           ("07933 123456", "Karwan Jalal")]


def _calls(count: int = 12) -> list[list[str]]:
    rows = []
    for i in range(count):
        caller, callee = CALLERS[i % 3], CALLERS[(i + 1) % 3]
        rows.append([*caller, *callee, f"{i + 1:02d}/03/2024 21:{i:02d}", str(30 + 7 * i)])
    return rows


def _rows(header: list[str], rows: list[list[str]]) -> list[dict[str, Any]]:
    return [dict(zip(header, row, strict=True)) for row in rows]


def _by_column(header: list[str], rows: list[dict[str, Any]], region: str | None = None
               ) -> dict[str, tuple[str, str, str]]:
    return {s.column: (s.kind, s.schema, s.prop)
            for s in suggest_columns(header, rows, region)}


def test_people_csv_columns_are_recognised() -> None:
    header, rows, lines = read_sample(PEOPLE)
    assert lines == [2, 3, 4, 5, 6]
    found = _by_column(header, rows)
    assert found["full_name"] == ("name", "Person", "name")
    assert found["phone"] == ("phone", "Person", "phone")
    assert found["dob"] == ("date", "Person", "birthDate")
    assert found["nationality"] == ("country", "Person", "nationality")
    for unknown in ("category", "passport", "address", "ref"):
        assert unknown not in found
    dob = next(s for s in suggest_columns(header, rows) if s.column == "dob")
    assert dob.share == 0.75 and dob.reason.startswith("3 of 4 values are dates")


def test_people_csv_mapping_uses_the_ref_and_splits_aliases() -> None:
    header, rows, _ = read_sample(PEOPLE)
    person = suggest_mapping(header, rows)["entities"]["person"]
    assert person["schema"] == "Person" and person["keys"] == ["ref"]
    assert person["properties"]["alias"] == {"column": "aliases", "split": ";"}
    assert person["properties"]["birthDate"] == {"column": "dob"}


def test_a_call_table_makes_two_people_and_a_call(workspace: Workspace,
                                                  tmp_path: Path) -> None:
    rows = _calls()
    table = write_csv(tmp_path / "calls.csv", CALL_HEADER, rows)
    header, sample, _ = read_sample(table)
    found = {s.column: s for s in suggest_columns(header, sample, "gb")}
    assert found["time"].format == "%d/%m/%Y %H:%M"
    assert (found["time"].schema, found["time"].prop) == ("Call", "date")
    assert (found["duration"].schema, found["duration"].prop) == ("Call", "duration")
    document = suggest_mapping(header, sample, "gb")
    entities = document["entities"]
    assert [entities[n]["schema"] for n in ("caller", "callee", "call")] == [
        "Person", "Person", "Call"]
    assert entities["caller"]["keys"] == ["caller_number", "caller_name"]
    call = entities["call"]["properties"]
    assert call["caller"] == {"entity": "caller"} and call["receiver"] == {"entity": "callee"}
    assert call["callerNumber"] == {"column": "caller_number", "region": "gb"}
    mapping = tmp_path / "calls.yaml"
    mapping.write_text(mapping_yaml(document), encoding="utf-8")
    report = ingest_file(workspace, "table", table, IngestOptions(mapping=mapping))
    assert report.quarantined == 0, report.quarantine_sample
    schemata = {(s.entity_id, s.schema) for s in all_statements(workspace)}
    assert sum(schema == "Call" for _, schema in schemata) == len(rows)
    assert sum(schema == "Person" for _, schema in schemata) == len(CALLERS)


def test_a_ledger_makes_a_payment() -> None:
    header = ["date", "sender", "sender_phone", "receiver", "receiver_phone", "amount",
              "currency", "reference"]
    rows = _rows(header, [[f"2024-03-{i + 1:02d}", "Amanj", "+447911123456", "Rebin Ali",
                           "+9647501234567", f"{1000 + 50 * i:,}.00", "GBP", f"T{i}"]
                          for i in range(10)])
    found = _by_column(header, rows)
    assert found["amount"] == ("number", "Payment", "amount")
    assert found["date"] == ("date", "Payment", "date")
    entities = suggest_mapping(header, rows)["entities"]
    payment = entities["payment"]
    assert payment["schema"] == "Payment"
    assert payment["properties"]["payer"] == {"entity": "sender"}
    assert payment["properties"]["beneficiary"] == {"entity": "receiver"}
    assert payment["properties"]["currency"] == {"column": "currency"}
    assert "reference" in payment["keys"]


def test_two_parties_without_calls_or_money_make_an_unknown_link() -> None:
    header = ["owner_name", "owner_phone", "driver_name", "driver_phone", "seen"]
    rows = _rows(header, [["Ali Khan", "+447911123456", "Reza Ahmadi", "+447922654321",
                           "2024-01-02"]] * 3)
    link = suggest_mapping(header, rows)["entities"]["link"]
    assert link["schema"] == "UnknownLink"
    assert link["properties"]["subject"] == {"entity": "owner"}
    assert link["properties"]["date"] == {"column": "seen"}


def test_countries_are_not_names_and_bare_numbers_need_a_name() -> None:
    header = ["place", "count"]
    rows = _rows(header, [["Iraq", "12"], ["Iran", "7"], ["Syria", "30"]])
    found = _by_column(header, rows)
    assert found == {"place": ("country", "Person", "country")}


def test_empty_columns_are_safe() -> None:
    header = ["a", "b", "c"]
    rows: list[dict[str, Any]] = [{"a": None, "b": "", "c": "  "}, {}, {"a": None}]
    assert suggest_columns(header, rows) == []
    assert suggest_columns(header, []) == []
    parse_mapping(suggest_mapping(header, rows))  # a placeholder that still loads


def test_an_unknown_region_is_refused() -> None:
    with pytest.raises(IngestError, match="unknown phone region"):
        suggest_columns(["phone"], [{"phone": "07911123456"}], region="zz")


def test_the_yaml_round_trips(tmp_path: Path) -> None:
    header, rows, _ = read_sample(PEOPLE)
    document = suggest_mapping(header, rows)
    document["entities"]["person"]["properties"]["address"] = {"column": "a: b, #c 'd\""}
    comment = suggestion_comment(suggest_columns(header, rows), document, header)
    text = mapping_yaml(document, comment + "\nodd\x01line")
    assert "name: {column: full_name}" in text
    assert 'split: ";"' in text
    assert yaml.safe_load(text) == document
    path = tmp_path / "people.yaml"
    path.write_text(text, encoding="utf-8")
    assert [e.name for e in load_mapping(path).entities] == ["person"]


def test_read_sample_skips_unreadable_rows_and_stops(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("a,b\n1,2\n3\n4,5\n6,7\n", encoding="utf-8")
    header, rows, lines = read_sample(table, rows=2)
    assert header == ["a", "b"]
    assert rows == [{"a": "1", "b": "2"}, {"a": "4", "b": "5"}]
    assert lines == [2, 4]


runner = CliRunner()


def test_cli_prints_a_mapping_that_loads(tmp_path: Path) -> None:
    result = runner.invoke(app, ["mapping", "suggest", str(PEOPLE)])
    assert result.exit_code == 0, result.output
    assert "full_name -> Person.name" in result.stdout
    path = tmp_path / "m.yaml"
    path.write_text(result.stdout, encoding="utf-8")
    assert load_mapping(path).entities[0].schema == "Person"


def test_cli_writes_out(tmp_path: Path) -> None:
    out = tmp_path / "m.yaml"
    result = runner.invoke(app, ["mapping", "suggest", str(PEOPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert load_mapping(out).entities[0].keys == ("ref",)


@pytest.mark.parametrize("args", [["missing.csv"], [str(PEOPLE), "--phone-region", "zz"]])
def test_cli_fails_cleanly(tmp_path: Path, args: list[str]) -> None:
    result = runner.invoke(app, ["mapping", "suggest", *[
        str(tmp_path / a) if a == "missing.csv" else a for a in args]])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.output
