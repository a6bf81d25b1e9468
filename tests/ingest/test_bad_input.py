"""Malformed input, generated: no adapter crashes, nothing is lost without a trace.

Every kind in KINDS is fed random and malformed files (CSV, JSON lines, JSON documents,
XLSX, plain bytes); the table kind is also fed malformed mapping files. The invariants
live in ``invariants.check_ingest``. Failures that are known, open bugs in src/ are listed in
``known_bugs`` and tolerated only while they are open.
"""

from __future__ import annotations

import re
from pathlib import Path

import fuzz
import invariants
import pytest
from builders import LAYOUTS, TABLE_HEADER, TABLE_ROWS, write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pinchpoint.demo.examples import EXAMPLES, load_manifest
from pinchpoint.ingest.kinds import KINDS
from pinchpoint.ingest.source import IngestOptions

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
    structured = {*LAYOUTS, "table", "ftm", "phone", "document"}
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
