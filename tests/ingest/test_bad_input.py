"""Malformed input, generated: no adapter crashes, nothing is lost without a trace.

Every kind in KINDS is fed random and malformed files (CSV, JSON lines, JSON documents,
XLSX, plain bytes); the table kind is also fed malformed mapping files. The invariants
live in ``invariants.check_ingest``. Failures that are known, open bugs in src/ are listed in
``known_bugs`` and tolerated only while they are open.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import fuzz
import invariants
import pytest
from builders import (
    LAYOUTS,
    TABLE_HEADER,
    TABLE_ROWS,
    all_quarantine,
    all_statements,
    write_csv,
    write_jsonl,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pinchpoint.demo.examples import EXAMPLES, load_manifest
from pinchpoint.ingest import ftm_jsonl
from pinchpoint.ingest.clean import visible
from pinchpoint.ingest.kinds import KINDS
from pinchpoint.ingest.limits import KEEP_RAW, MAX_VALUE
from pinchpoint.ingest.mapping import MappingError, load_mapping, parse_mapping
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.store import Workspace

FAST = settings(max_examples=invariants.examples(12), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])
TABULAR = [*sorted(LAYOUTS), "table"]


@pytest.mark.parametrize("kind", sorted(KINDS))
@FAST
@given(file=fuzz.any_files())
def test_any_file_into_every_kind(kind: str, file: tuple[str, bytes]) -> None:
    suffix, content = file
    with invariants.scratch() as (folder, workspace):
        path = folder / f"input{suffix}"
        path.write_bytes(content)
        invariants.check_ingest(workspace, kind, path, invariants.default_options(kind, folder))


def _columns(kind: str) -> list[str]:
    return LAYOUTS[kind][0] if kind in LAYOUTS else TABLE_HEADER


@pytest.mark.parametrize("kind", TABULAR)
@FAST
@given(data=st.data())
def test_malformed_csv(kind: str, data: st.DataObject) -> None:
    content = data.draw(fuzz.csv_files(_columns(kind)))
    with invariants.scratch() as (folder, workspace):
        path = folder / "input.csv"
        path.write_bytes(content)
        invariants.check_ingest(workspace, kind, path, invariants.default_options(kind, folder))


@pytest.mark.parametrize("kind", TABULAR)
@settings(FAST, max_examples=invariants.examples(8))
@given(data=st.data())
def test_malformed_xlsx(kind: str, data: st.DataObject) -> None:
    content = data.draw(fuzz.xlsx_files(_columns(kind)))
    with invariants.scratch() as (folder, workspace):
        path = folder / "input.xlsx"
        path.write_bytes(content)
        invariants.check_ingest(workspace, kind, path, invariants.default_options(kind, folder))


@settings(FAST, max_examples=invariants.examples(40))
@given(content=fuzz.jsonl_files())
def test_malformed_ftm_json_lines(content: bytes) -> None:
    with invariants.scratch() as (folder, workspace):
        path = folder / "input.ftm.json"
        path.write_bytes(content)
        report = invariants.check_ingest(workspace, "ftm", path, IngestOptions())
        if report is not None:  # every line that is not blank is read as one row
            text = content.decode("utf-8", "surrogateescape")
            lines = [line for line in re.split(r"\r\n|\r|\n", text) if line.strip()]
            assert report.batch.rows_read == len(lines)


@pytest.mark.skipif("phone" not in KINDS, reason="the phone kind is not registered")
@settings(FAST, max_examples=invariants.examples(20))
@given(content=fuzz.phone_documents())
def test_malformed_phone_extractions(content: bytes) -> None:
    with invariants.scratch() as (folder, workspace):
        path = folder / "extraction.json"
        path.write_bytes(content)
        invariants.check_ingest(workspace, "phone", path, IngestOptions())


@settings(FAST, max_examples=invariants.examples(40))
@given(mapping=fuzz.mapping_files(), rows=st.lists(
    st.lists(st.sampled_from(fuzz.GOOD_VALUES + fuzz.BAD_VALUES + ["", "Rebin Ali"]),
             min_size=len(TABLE_HEADER), max_size=len(TABLE_HEADER)), max_size=3))
def test_malformed_mappings(mapping: bytes, rows: list[list[str]]) -> None:
    with invariants.scratch() as (folder, workspace):
        (folder / "mapping.yaml").write_bytes(mapping)
        table = write_csv(folder / "people.csv", TABLE_HEADER, [*TABLE_ROWS, *rows])
        invariants.check_ingest(workspace, "table", table,
                          IngestOptions(mapping=folder / "mapping.yaml"))


def _example_files() -> list[tuple[str, Path, dict[str, object]]]:
    return [(e["kind"], EXAMPLES / e["file"], dict(e.get("options") or {}))
            for e in load_manifest()]


def _mutate(data: bytes, draw: st.DrawFn) -> bytes:
    for _ in range(draw(st.integers(1, 3))):
        if not data:
            return draw(st.binary(max_size=20))
        at = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["cut", "insert", "delete", "duplicate", "flip"]))
        if how == "cut":
            data = data[:at]
        elif how == "insert":
            data = data[:at] + draw(st.sampled_from(
                [b",", b";", b"\n", b'"', b"{", b"}", b"]", b"\x00", b"\xff", b"null", b"[]",
                 b'"direction": 5, ', b"2024-02-30", b"+44 7911"])) + data[at:]
        elif how == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 40)):]
        elif how == "duplicate":
            data = data[:at] + data[at:at + 200] + data[at:]
        else:
            data = data[:at] + bytes([data[at] ^ (1 << draw(st.integers(0, 7)))]) + data[at + 1:]
    return data


@pytest.mark.skipif(not _example_files(), reason="docs/examples/manifest.yaml lists nothing")
@settings(FAST, max_examples=invariants.examples(30))
@given(data=st.data())
def test_mutated_example_files(data: st.DataObject) -> None:
    """Almost-valid input: each documented example with a few bytes broken."""
    kind, source, options = data.draw(st.sampled_from(_example_files()))
    content = _mutate(source.read_bytes(), data.draw)
    with invariants.scratch() as (folder, workspace):
        path = folder / source.name
        path.write_bytes(content)
        mapping = options.pop("mapping", None)
        if mapping is not None:
            options["mapping"] = EXAMPLES / str(mapping)
        invariants.check_ingest(workspace, kind, path, IngestOptions(**options))  # type: ignore[arg-type]


def test_every_kind_is_fuzzed() -> None:
    """A kind added to KINDS is fed random files by test_any_file_into_every_kind; kinds
    with their own structure also need their own strategy here."""
    structured = {*LAYOUTS, "table", "ftm", "phone", "document",
                  "ufdr", "vcard"}  # their strategies: tests/ingest/test_ufdr.py, test_vcard.py
    assert set(KINDS) <= structured, f"write a strategy for {set(KINDS) - structured}"


def test_huge_field_beyond_the_csv_limit(tmp_path: Path) -> None:
    """A field over the csv module's limit is an unreadable row, not a crash."""
    header = ",".join(LAYOUTS["ledger"][0])
    good = ",".join(LAYOUTS["ledger"][1][0])
    huge = "2024-03-02,Amanj Hassan Zada," + "7" * 10_500_000 + ",a,b,c,d,e,f,g"
    with invariants.scratch() as (folder, workspace):
        path = folder / "huge.csv"
        path.write_text("\n".join([header, good, huge, good.replace("HW-0001", "HW-0009")])
                        + "\n")
        report = invariants.check_ingest(workspace, "ledger", path, IngestOptions(), export=False)
        assert report is not None
        assert report.batch.rows_rejected >= 1 and report.batch.rows_stored == 2


def test_cli_shows_no_traceback_for_a_crashing_file(tmp_path: Path) -> None:
    """The CLI only ever exits 0 or 2 on bad input, with no traceback (sampled kinds)."""
    from typer.testing import CliRunner

    from pinchpoint.cli import app

    runner = CliRunner()
    files = {"ledger": b"date,sender\n\xff\xfe", "ftm": b'{"id": 1}\nnot json\n',
             "table": b"\x00\x01\x02", "document": b"", "phone": b"[1, 2]"}
    mapping = tmp_path / "m.yaml"
    mapping.write_text(invariants.TABLE_MAPPING_FOR_FUZZ)
    for kind, content in files.items():
        if kind not in KINDS:
            continue
        path = tmp_path / f"in-{kind}.bin"
        path.write_bytes(content)
        args = ["--workspace", str(tmp_path / "ws"), "ingest", kind, str(path)]
        result = runner.invoke(app, [*args, "--mapping", str(mapping)] if kind == "table"
                               else args)
        assert result.exit_code in (0, 2), (kind, result.output, result.exception)
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


# -- issue 14, finding 8: hostile input is quarantined, never a 500, never whole --------

GOOD_FTM = {"id": "p-good", "schema": "Person", "properties": {"name": ["Rebin Ali"]}}


@settings(FAST, max_examples=invariants.examples(10))
@given(depth=st.integers(33, 20_000), where=st.integers(0, 2))
def test_a_deep_ftm_line_is_quarantined_and_the_good_lines_kept(depth: int,
                                                                 where: int) -> None:
    """A line nested past any recursion limit is one quarantined row (file, line,
    reason); the lines around it are stored."""
    lines = [json.dumps(GOOD_FTM), json.dumps({**GOOD_FTM, "id": "p-two"})]
    lines.insert(where, fuzz.nested(depth))
    with invariants.scratch() as (folder, workspace):
        path = folder / "deep.ftm.json"
        path.write_text("\n".join(lines) + "\n")
        report = invariants.check_ingest(workspace, "ftm", path, IngestOptions())
        assert report is not None
        assert (report.batch.rows_stored, report.batch.rows_rejected) == (2, 1)
        (item,) = all_quarantine(workspace)
        assert (item.file, item.line, item.row_rejected) == (path.name, where + 1, True)
        assert "nested more than 32 levels deep" in item.reason


def test_the_cli_quarantines_a_deep_line_without_a_traceback(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pinchpoint.cli import app

    path = tmp_path / "deep.ftm.json"
    path.write_text(f"{json.dumps(GOOD_FTM)}\n{fuzz.nested(3000)}\n")
    result = CliRunner().invoke(app, ["--workspace", str(tmp_path / "ws"), "ingest", "ftm",
                                      str(path)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and result.exception is None


def test_a_deep_phone_item_is_quarantined_and_the_others_kept(tmp_path: Path,
                                                              workspace: Workspace) -> None:
    good = ('{"number": "+447911123456", "direction": "outgoing", '
            '"timestamp": "2024-03-02T10:00:00"}')
    deep = '{"number": ' + fuzz.nested(5000) + ', "direction": "incoming"}'
    path = tmp_path / "phone.json"
    path.write_text('{"device": {"imei": "356938035643809"}, "calls": [' + good + ", "
                    + deep + ", " + good.replace("10:00", "11:00") + "]}")
    report = invariants.check_ingest(workspace, "phone", path, IngestOptions())
    assert report is not None
    rejected = [i for i in all_quarantine(workspace) if i.row_rejected]
    assert [(i.locator, "nested more than 32" in i.reason) for i in rejected] == [
        ("/calls/1", True)]
    assert report.batch.rows_stored == report.batch.rows_read - 1


def test_a_huge_value_is_kept_short_in_the_quarantine(tmp_path: Path,
                                                      workspace: Workspace) -> None:
    """The quarantine keeps the first KEEP_RAW characters, the length and the SHA-256;
    a value over MAX_VALUE is quarantined, not stored."""
    huge_date = "2024-" + "9" * 3_000_000
    huge_name = "R" * (MAX_VALUE + 1)
    entity = {"id": "p-huge", "schema": "Person",
              "properties": {"birthDate": [huge_date], "name": [huge_name, "Rebin Ali"]}}
    path = tmp_path / "huge.ftm.json"
    path.write_text(json.dumps(entity) + "\n")
    report = invariants.check_ingest(workspace, "ftm", path, IngestOptions())
    assert report is not None and report.batch.rows_stored == 1
    items = {i.field: i for i in all_quarantine(workspace)}
    date = items["birthDate"].raw_value
    assert date.startswith(huge_date[:KEEP_RAW]) and len(date) < KEEP_RAW + 120
    assert hashlib.sha256(huge_date.encode()).hexdigest() in date and "3,000,005" in date
    assert "over the limit" in items["name"].reason
    assert [s.value for s in all_statements(workspace) if s.prop == "name"] == ["Rebin Ali"]


def test_an_over_long_ftm_line_is_one_quarantined_row(tmp_path: Path, workspace: Workspace,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ftm_jsonl, "MAX_LINE", 1000)
    long_line = json.dumps({**GOOD_FTM, "id": "p-long",
                            "properties": {"notes": ["n" * 2000]}})
    path = tmp_path / "long.ftm.json"
    path.write_text(f"{long_line}\n{json.dumps(GOOD_FTM)}\n")
    report = invariants.check_ingest(workspace, "ftm", path, IngestOptions())
    assert report is not None
    assert (report.batch.rows_stored, report.batch.rows_rejected) == (1, 1)
    (item,) = all_quarantine(workspace)
    assert item.line == 1 and "over the limit of 1,000 for one line" in item.reason


def test_a_yaml_alias_bomb_is_refused_in_one_short_sentence(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pinchpoint.cli import app

    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 9):
        bomb.append(f"{'abcdefghi'[n]}: &{'abcdefghi'[n]} [" +
                    ",".join([f"*{'abcdefghi'[n - 1]}"] * 9) + "]")
    bomb.append("entities: {p: {schema: Person, keys: *i}}")
    mapping = tmp_path / "bomb.yaml"
    mapping.write_text("\n".join(bomb) + "\n")
    table = write_csv(tmp_path / "people.csv", TABLE_HEADER, TABLE_ROWS)
    with pytest.raises(MappingError, match="anchors and aliases"):
        load_mapping(mapping)
    result = CliRunner().invoke(app, ["--workspace", str(tmp_path / "ws"), "ingest", "table",
                                      str(table), "--mapping", str(mapping)])
    assert result.exit_code == 2 and len(result.output) < 1000, result.output[:2000]
    assert "anchors and aliases" in " ".join(result.output.split())


def test_a_deeply_nested_mapping_is_refused(tmp_path: Path) -> None:
    """PyYAML builds nested values recursively: 5,000 levels used to be a RecursionError."""
    mapping = tmp_path / "deep.yaml"
    mapping.write_text("entities: " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(MappingError, match="nests more than 32 levels deep"):
        load_mapping(mapping)


@given(value=st.lists(st.text(max_size=50), min_size=2_000, max_size=2_001))
@settings(FAST, max_examples=3)
def test_mapping_errors_quote_only_an_excerpt(value: list[str]) -> None:
    """A huge value in a mapping is quoted in at most EXCERPT characters."""
    with pytest.raises(MappingError) as caught:
        parse_mapping({"entities": {"p": {"schema": "Person", "keys": [value]}}})
    assert len(str(caught.value)) < 300


_HIDDEN = st.sampled_from(["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066",
                           "\u2067", "\u2068", "\u2069", "\u200b", "\u200e", "\ufeff",
                           "\x1b", "\u00ad", "\U000e0041"])


@given(text=st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30),
       hidden=st.lists(st.tuples(st.integers(0, 30), _HIDDEN), min_size=1, max_size=4))
@settings(FAST, max_examples=invariants.examples(200))
def test_visible_removes_every_hidden_control_and_says_so(
        text: str, hidden: list[tuple[int, str]]) -> None:
    for at, char in hidden:
        text = text[:at] + char + text[at:]
    shown, note = visible(text)
    assert note is not None and visible(shown) == (shown, None)
    assert not any(c in shown for _, c in hidden)
    assert ("bidirectional" in note) == any(
        "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069" or c in "\u200e\u200f"
        for c in text)


@pytest.mark.parametrize("kind", ["ftm", "ledger"])
def test_bidi_overrides_are_removed_kept_as_original_and_noted(
        tmp_path: Path, workspace: Workspace, kind: str) -> None:
    """Every kind: the value is stored without the controls, the original in
    original_value, and a value-level quarantine note says what was removed."""
    name = "Amanj \u202eidaZ\u202c Hassan"
    if kind == "ftm":
        path = write_jsonl(tmp_path / "bidi.ftm.json", [
            {**GOOD_FTM, "properties": {"name": [name]}}])
    else:
        header, rows = LAYOUTS["ledger"]
        column = header.index("sender")
        row = list(rows[0])
        row[column] = name
        path = write_csv(tmp_path / "bidi.csv", header, [row])
    report = invariants.check_ingest(workspace, kind, path, IngestOptions())
    assert report is not None and report.batch.rows_rejected == 0
    names = [(s.value, s.original_value) for s in all_statements(workspace)
             if s.original_value == name]
    assert names == [("Amanj idaZ Hassan", name)]
    notes = [i for i in all_quarantine(workspace) if "bidirectional" in i.reason]
    assert len(notes) == 1 and not notes[0].row_rejected and notes[0].raw_value == name
    assert "U+202C, U+202E" in notes[0].reason


def test_notes_quote_long_column_names_short(tmp_path: Path, workspace: Workspace) -> None:
    """A report's notes name the file's unmapped columns; a huge header is cut."""
    (tmp_path / "m.yaml").write_text(invariants.TABLE_MAPPING_FOR_FUZZ)
    header = [*TABLE_HEADER, "c" * 500_000]
    table = write_csv(tmp_path / "people.csv", header, [[*r, ""] for r in TABLE_ROWS])
    report = invariants.check_ingest(workspace, "table", table,
                                     IngestOptions(mapping=tmp_path / "m.yaml"))
    assert report is not None and report.notes
    assert all(len(note) < 1100 for note in report.notes)
