"""Readers for tables: CSV (any delimiter, UTF-8) and XLSX (one sheet).

A row that cannot be read as a row (wrong number of fields, a NUL byte, bad
encoding) is still handed on, marked with its problem, so it reaches the quarantine.
"""

from __future__ import annotations

import csv
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pinchpoint.ingest.errors import IngestError
from pinchpoint.ingest.limits import MAX_VALUE
from pinchpoint.ingest.records import RawRecord

# A longer cell makes its row unreadable (quarantined), not the batch.
csv.field_size_limit(MAX_VALUE)


class ByteCounter:
    """Counts the characters handed to the csv module, for progress bars."""

    def __init__(self) -> None:
        self.done = 0


def _counting(lines: Iterator[str], counter: ByteCounter) -> Iterator[str]:
    for line in lines:
        counter.done += len(line)
        yield line


def _sniff_delimiter(sample: str) -> str:
    first = sample.splitlines()[0] if sample else ""
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


_UNNAMED = "a value stands in a column whose header is empty, so it has no field to go to"


def _header(row: list[str], path: Path) -> list[str]:
    header = [h.strip().lstrip("\ufeff") for h in row]
    if not any(header):
        raise IngestError(f"{path}: the first row must name the columns")
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise IngestError(f"{path}: column {name!r} appears twice in the header")
        seen.add(name)
    return header


def read_csv(
    path: Path, counter: ByteCounter | None = None
) -> tuple[list[str], Iterator[RawRecord]]:
    counter = counter or ByteCounter()
    handle = open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")  # noqa: SIM115
    sample = handle.read(65536)
    handle.seek(0)
    reader = csv.reader(_counting(iter(handle), counter), delimiter=_sniff_delimiter(sample))
    try:
        first = next(reader)
    except StopIteration:
        handle.close()
        raise IngestError(f"{path} is empty") from None
    except csv.Error as exc:
        handle.close()
        raise IngestError(f"{path}: cannot read the header row: {exc}") from exc
    header = _header(first, path)
    unnamed = [i for i, name in enumerate(header) if not name]

    def rows() -> Iterator[RawRecord]:
        with handle:
            start = reader.line_num + 1
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield RawRecord({}, line=start, problem=f"unreadable row: {exc}")
                    start = reader.line_num + 1
                    continue
                line, start = start, reader.line_num + 1
                if not row or all(not cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    yield RawRecord({}, line=line, raw=",".join(row),
                                    problem=f"row has {len(row)} fields, header has {len(header)}")
                    continue
                if unnamed and any(row[i].strip() for i in unnamed):
                    yield RawRecord({}, line=line, raw=",".join(row), problem=_UNNAMED)
                    continue
                yield RawRecord(dict(zip(header, row, strict=True)), line=line)

    return header, rows()


# What a damaged workbook raises from openpyxl and zipfile (ParseError is a SyntaxError).
# zipfile raises NotImplementedError for a compression method it lacks and RuntimeError
# for an encrypted member.
DAMAGED = (zipfile.BadZipFile, OSError, KeyError, ValueError, SyntaxError, zlib.error,
           EOFError, TypeError, IndexError, AttributeError, NotImplementedError,
           RuntimeError)


def read_xlsx(path: Path, sheet: str | None = None) -> tuple[list[str], Iterator[RawRecord]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except DAMAGED as exc:
        raise IngestError(f"{path} is not a readable XLSX workbook: {exc}") from exc
    if not book.worksheets:
        book.close()
        raise IngestError(f"{path} is an XLSX workbook without a sheet")
    if sheet is not None and sheet not in book.sheetnames:
        raise IngestError(f"{path} has no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
    ws = book[sheet] if sheet else book.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    try:
        first = next(rows)
    except StopIteration:
        raise IngestError(f"{path}: sheet {ws.title!r} is empty") from None
    except DAMAGED as exc:
        raise IngestError(f"{path}: sheet {ws.title!r} is damaged: {exc}") from exc
    header = _header(["" if c is None else str(c) for c in first], path)

    def records() -> Iterator[RawRecord]:
        # Rows are parsed lazily, so damage can surface mid-file: the whole batch then
        # fails with IngestError and, being atomic, stores nothing.
        try:
            yield from _xlsx_rows(rows, header)
        except DAMAGED as exc:
            raise IngestError(f"{path}: sheet {ws.title!r} is damaged: {exc}") from exc
        finally:
            book.close()

    return header, records()


def _xlsx_rows(rows: Iterator[tuple[Any, ...]], header: list[str]) -> Iterator[RawRecord]:
    unnamed = [i for i, name in enumerate(header) if not name]
    for number, row in enumerate(rows, start=2):
        cells: list[Any] = list(row)
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        if any(i < len(cells) and str(cells[i] or "").strip() for i in unnamed):
            yield RawRecord({}, line=number, raw=repr(cells), problem=_UNNAMED)
            continue
        if len(cells) > len(header) and any(c not in (None, "") for c in cells[len(header):]):
            yield RawRecord({}, line=number, raw=repr(cells),
                            problem=f"row has values beyond the {len(header)} named columns")
            continue
        cells += [None] * (len(header) - len(cells))
        yield RawRecord(dict(zip(header, cells[: len(header)], strict=True)), line=number)


def read_table(path: Path, sheet: str | None = None,
               counter: ByteCounter | None = None) -> tuple[list[str], Iterator[RawRecord]]:
    """CSV or XLSX by file extension."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet)
    return read_csv(path, counter)
