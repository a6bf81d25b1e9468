"""A first look at a file before it is ingested: the workbench's Ingest page shows it.

Which kind the file looks like (`pinchpoint.ingest.detect`), and for a table its
sheets, header, first rows and the columns' suggested properties with a starting
mapping (`pinchpoint.ingest.suggest`), all from the same readers an ingest uses.
Nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pinchpoint.ingest.clean import text_of
from pinchpoint.ingest.detect import detect_file
from pinchpoint.ingest.errors import IngestError
from pinchpoint.ingest.kinds import TABLE_EXTENSIONS
from pinchpoint.ingest.suggest import (
    Suggestion,
    mapping_yaml,
    read_sample,
    suggest_columns,
    suggest_mapping,
)
from pinchpoint.ingest.tabular import DAMAGED

SHOWN_ROWS = 20
SAMPLED_ROWS = 200
WORKBOOKS = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Inspection:
    file: str
    kind: str | None
    kind_reason: str
    tabular: bool
    sheets: list[str] | None = None
    sheet: str | None = None
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    mapping: str = ""
    problem: str | None = None  # why a file that looked like a table could not be read


def inspect_file(path: Path, label: str, sheet: str | None = None,
                 region: str | None = None) -> Inspection:
    """What `path` (shown as `label`) looks like; never raises for a bad file."""
    if path.suffix.lower() not in TABLE_EXTENSIONS:
        found = detect_file(path, None)
        return Inspection(label, found.kind, found.reason, tabular=False)
    sheets = workbook_sheets(path) if path.suffix.lower() in WORKBOOKS else None
    if sheets is not None and sheet is None and sheets:
        sheet = sheets[0]
    try:
        header, sample, lines = read_sample(path, sheet, SAMPLED_ROWS)
    except IngestError as exc:
        found = detect_file(path, None)
        return Inspection(label, found.kind, found.reason, tabular=False, sheets=sheets,
                          sheet=sheet, problem=str(exc).replace(str(path), label))
    found = detect_file(path, header)
    if found.kind is not None and found.kind != "table" and path.suffix.lower() == ".txt":
        return Inspection(label, found.kind, found.reason, tabular=False)
    rows = [[text_of(r.get(h)) if r.get(h) is not None else "" for h in header]
            for r in sample[:SHOWN_ROWS]]
    suggestions = suggest_columns(header, sample, region)
    mapping = mapping_yaml(suggest_mapping(header, sample, region),
                           comment=f"A starting mapping suggested from {label}'s columns")
    return Inspection(label, found.kind, found.reason, tabular=True, sheets=sheets,
                      sheet=sheet, header=header, rows=rows, lines=lines[:SHOWN_ROWS],
                      suggestions=suggestions, mapping=mapping)


def workbook_sheets(path: Path) -> list[str] | None:
    """The sheet names of a workbook, or None when it cannot be opened."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except DAMAGED:  # the reader says what is wrong when the sheet is read
        return None
    try:
        return list(book.sheetnames)
    finally:
        book.close()
