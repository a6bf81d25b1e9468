"""`pinchpoint review` and `judgements` as an analyst sees them, in an 80-column terminal,
and the short ids they print typed back into `judge`, `explain` and `undo-judgement`.

The small scenario is resolved through the CLI at a threshold high enough to leave pairs
for review, with two extra records whose ids begin alike (to be refused as ambiguous).
Every line fits, each pair is one line with the names first, no full id appears unless
asked for (`--wide`, `--json`), a short id is expanded only through the reader's scope,
and the audit log keeps the full ids.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from builders import write_jsonl
from resolve_helpers import Resolved
from typer.testing import CliRunner, Result

from pinchpoint.cli import app
from pinchpoint.cli.tables import SHORT_ID
from pinchpoint.model.owned import owned_id
from pinchpoint.resolve import ResolveError
from pinchpoint.resolve.ids import MIN_PREFIX, expand

pytestmark = pytest.mark.duckdb_only("the session's resolved small scenario is a "
                                     "DuckDB folder that tests copy")

pytest_plugins = ["resolve_fixtures"]

FULL_ID = re.compile(r"\b[0-9a-f]{32,}\b")  # a record id (40) or a judgement id (32)
WIDTH = 80
TWINS = [{"id": f"twin-record-{n}", "schema": "Person",
          "properties": {"name": [name], "birthDate": ["1990-01-0" + str(n)]}}
         for n, name in ((1, "Soran Twin Qadir"), (2, "Hemin Twin Qadir"))]


def cli(ws: Resolved, *args: str) -> Result:
    return CliRunner().invoke(app, ["--workspace", str(ws.workspace.path), *args],
                              env={"COLUMNS": str(WIDTH), "PINCHPOINT_USER": None})


def ok(ws: Resolved, *args: str) -> str:
    result = cli(ws, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def refused(result: Result) -> str:
    """The one sentence of a refusal (exit 2, nothing on standard output)."""
    assert result.exit_code == 2 and result.stdout == "", result.output
    return " ".join(result.stderr.split())


def fits(out: str) -> None:
    long = [line for line in out.splitlines() if len(line) > WIDTH]
    assert not long, long


@pytest.fixture(scope="module")
def queued(resolved: Resolved, tmp_path_factory: pytest.TempPathFactory) -> Resolved:
    """A copy of the small scenario plus the twins, resolved by its operator at 0.99."""
    folder = tmp_path_factory.mktemp("queued")
    copy = dataclasses.replace(resolved, workspace=resolved.copy(folder))
    ok(copy, "ingest", "ftm", str(write_jsonl(folder / "twins.jsonl", TWINS)))
    ok(copy, "resolve", "--threshold", "0.99")
    return copy


@pytest.fixture(scope="module")
def items(queued: Resolved) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(ok(queued, "review", "--json"))
    assert len(found) >= 4, "the 0.99 threshold leaves pairs to review"
    return found


def _starts_with_names(row: str, names: list[str]) -> bool:
    return row.startswith(names[0][:10]) if names else row.startswith(" ")


def test_review_is_one_line_per_pair_names_first(queued: Resolved,
                                                 items: list[dict[str, Any]]) -> None:
    out = ok(queued, "review")
    fits(out)
    assert not FULL_ID.search(out)
    lines = out.splitlines()
    assert lines[1].split()[:8] == ["names", "A", "A", "names", "B", "B", "prob", "impact"]
    for item, row in zip(items, lines[3:3 + len(items)], strict=True):
        assert _starts_with_names(row, item["left_names"]), row
        assert item["left"][:8] in row and item["right"][:8] in row
        assert row.split()[-2:] == [f"{item['probability']:.3f}", str(item["impact"])]
    said = " ".join(" ".join(lines[3 + len(items):]).split())
    assert "short ids; --wide shows everything, with full ids" in said
    assert "A and B may be the short ids shown" in said


def test_review_wide_and_json_keep_every_column_and_the_full_ids(
        queued: Resolved, items: list[dict[str, Any]]) -> None:
    out = ok(queued, "review", "--wide")
    assert out.splitlines()[1].split() == ["names", "A", "A", "names", "B", "B", "prob",
                                           "impact", "why"]
    for item in items:
        assert item["left"] in out and item["right"] in out and item["why"] in out
    assert set(items[0]) == {"left", "right", "probability", "why", "impact", "left_names",
                             "right_names", "left_category", "right_category"}


def test_short_ids_are_typed_back_and_the_audit_log_keeps_the_full_ones(
        queued: Resolved, items: list[dict[str, Any]], tmp_path: Path) -> None:
    ws = dataclasses.replace(queued, workspace=queued.copy(tmp_path))
    item = items[0]
    left, right = item["left"], item["right"]
    explained = json.loads(ok(ws, "explain", left[:8], right[:12], "--json"))
    assert (explained["left"], explained["right"]) == (left, right)
    judged = json.loads(ok(ws, "judge", left[:8], right[:8], "different", "--reason",
                           "cousins", "--json"))
    assert {judged["left"], judged["right"]} == {left, right}

    listed = ok(ws, "judgements")
    fits(listed)
    assert not FULL_ID.search(listed)
    assert listed.splitlines()[1].split()[:7] == ["names", "A", "A", "verdict", "names", "B",
                                                  "B"]
    row = listed.splitlines()[3]
    names = {left: item["left_names"], right: item["right_names"]}
    assert _starts_with_names(row, names[judged["left"]]) and "different" in row
    assert all(i[:8] in row for i in (judged["id"], left, right))
    assert "the short id shown will do" in " ".join(listed.split())
    wide = ok(ws, "judgements", "--wide")
    assert all(i in wide for i in (judged["id"], left, right)) and "cousins" in wide

    assert "undone: " in ok(ws, "undo-judgement", judged["id"][:8], "--reason", "mixed up")
    assert json.loads(ok(ws, "judgements", "--json")) == []
    logged = [e["what"] for e in json.loads(ok(ws, "audit", "show", "--json", "--action",
                                               "alteration"))]
    assert f"judgement {judged['id']}: {left} different {right}" in logged
    assert f"judgement {judged['id']} undone" in logged


def test_an_ambiguous_or_too_short_start_is_refused(queued: Resolved) -> None:
    for command in (["judge", "twin-rec", "twin-record-1", "same", "--reason", "x"],
                    ["explain", "twin-record-1", "twin-rec"]):
        message = refused(cli(queued, *command))
        assert message == ("error: 'twin-rec' is the start of 2 person record ids "
                           f"({owned_id('NCA', 'twin-record-1')}, "
                           f"{owned_id('NCA', 'twin-record-2')}): give more of it")
    message = refused(cli(queued, "explain", "twin-re", "twin-record-1"))
    assert "no person record twin-re " in message  # under eight characters: as given


def test_a_partner_cannot_expand_what_it_cannot_see(
        queued: Resolved, items: list[dict[str, Any]], tmp_path: Path) -> None:
    ws = dataclasses.replace(queued, workspace=queued.copy(tmp_path))
    left, right = items[0]["left"], items[0]["right"]
    judged = json.loads(ok(ws, "judge", left, right, "same", "--reason", "x", "--json"))
    ok(ws, "agency", "add", "PAF-FR")
    ok(ws, "user", "add", "paf-1", "--agency", "PAF-FR")
    ok(ws, "--as", "paf-1", "resolve")
    own = [row["entity_id"] for row in csv.DictReader(io.StringIO(
        ok(ws, "--as", "paf-1", "export", "resolution")))]
    assert own and not {i for i in own if i.startswith((left[:8], right[:8]))}

    for command in (["judge", left[:8], right[:8], "different", "--reason", "x"],
                    ["explain", left[:8], right[:8]]):
        message = refused(cli(ws, "--as", "paf-1", *command))
        assert f"no person record {left[:8]} " in message and left not in message
    message = refused(cli(ws, "--as", "paf-1", "undo-judgement", judged["id"][:8],
                          "--reason", "x"))
    assert message == f"error: no active judgement {judged['id'][:8]}"
    mine = json.loads(ok(ws, "--as", "paf-1", "explain", own[0][:8], own[1][:8], "--json"))
    assert (mine["left"], mine["right"]) == (own[0], own[1])  # its own ids expand


# -- the expansion, directly --------------------------------------------------------------


def _among(ids: list[str]) -> Any:
    return lambda start: [i for i in ids if i.startswith(start)]


def test_a_whole_id_wins_and_a_start_needs_eight_characters() -> None:
    ids = ["person-1", "person-10", "person-11x"]
    assert expand("person-1", _among(ids), "record") == "person-1"  # though it begins two
    assert expand("person-11", _among(ids), "record") == "person-11x"
    assert expand("person", _among(ids), "record") == "person"  # too short: as given
    assert expand("nobody-at-all", _among(ids), "record") == "nobody-at-all"
    many = [f"abcdefgh{n}" for n in range(7)]
    with pytest.raises(ResolveError, match=r"^'abcdefgh' is the start of 7 judgement ids "
                       r"\(abcdefgh0, .*, abcdefgh4 and 2 more\): give more of it$"):
        expand("abcdefgh", _among(many), "judgement")
    assert SHORT_ID >= MIN_PREFIX  # every short id a table prints can be typed back
