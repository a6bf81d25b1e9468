"""Exports: every file the workbench saves is a disclosure in the audit log, with its
purpose (issue 19, "export and briefing").

A file the browser makes from what it shows (a CSV of search results or of a plan's
targets, a chart or the network as SVG or PNG) is recorded by `POST /api/exports` before
it is saved, and the workbench saves nothing when that call fails. A file the server
makes (`GET /api/timeline.csv`, `GET /api/quarantine.csv`) records itself with
`record_export` before it is answered. `csv_file` is how those write a CSV.

Why a disclosure: the file leaves the audited workbench, and whoever holds it is a
recipient the log must name (`access/audit.py`: a disclosure needs its recipients and a
justification). The recipient is the one given, else the exporting user's download.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response
from pydantic import BaseModel, Field

from pinchpoint.access.bounds import MAX_PURPOSE
from pinchpoint.api.deps import Session, SessionDep

router = APIRouter(prefix="/api")

Format = Literal["csv", "svg", "png"]
# What the server itself may record: the browser never makes a PDF, the briefing pack
# (routes_briefing.py) is made on the server.
FileFormat = Literal["csv", "svg", "png", "pdf"]
NO_PURPOSE = ("an export needs a purpose (why the file is made): type one in the Purpose "
              "field, or give `purpose`")
CONTROLS = re.compile(r"[\x00-\x1f\x7f]+")


class Export(BaseModel):
    """What the browser is about to save."""

    what: str = Field(min_length=1, max_length=200, description="what is exported, in plain "
                      "words: 'timeline', 'search results for \"rebin\"', 'chart: Arrivals "
                      "per month', 'network'")
    format: Format
    rows: int | None = Field(None, ge=0, le=100_000_000, description="rows of a table")
    purpose: str | None = Field(None, max_length=MAX_PURPOSE, description="why the file is "
                                "made [default: the X-Purpose header]")
    to: str | None = Field(None, max_length=200, description="who the file is for "
                           "[default: the exporting user's download]")
    file: str | None = Field(None, max_length=200, description="the file's name")


class Recorded(BaseModel):
    """The disclosure as the audit log keeps it."""

    what: str
    format: FileFormat
    rows: int | None
    purpose: str
    recipients: list[str]


@router.post("/exports", response_model=Recorded,
             responses={400: {"description": "no purpose given, or an empty description"}})
def record(session: SessionDep, body: Export) -> Recorded:
    """Record a file the workbench is about to save as a disclosure in the audit log
    (`exported WHAT as FORMAT`, with the purpose: `purpose`, else X-Purpose; the rows,
    the file's name and the recipient in its detail). The workbench saves the file only
    once this answers 200."""
    return record_export(session, body.what, body.format, body.rows, purpose=body.purpose,
                         to=body.to, detail={"file": _plain(body.file)} if body.file else None)


def record_export(session: Session, what: str, fmt: FileFormat, rows: int | None = None,
                  purpose: str | None = None, to: str | None = None,
                  detail: dict[str, Any] | None = None) -> Recorded:
    """Write the export's disclosure, committed before this returns; 400 when there is
    no purpose or nothing says what was exported (nothing is then exported)."""
    words = _plain(what)
    why = _plain(purpose) or _plain(session.purpose)
    if not words:
        raise HTTPException(400, "say what is exported")
    if not why:
        raise HTTPException(400, NO_PURPOSE)
    recipients = [_plain(to) or f"download by {session.scope.user}"]
    session.record("disclosure", f"exported {words} as {fmt}", why,
                   {"format": fmt, "rows": rows, **(detail or {})}, recipients=recipients)
    return Recorded(what=words, format=fmt, rows=rows, purpose=why, recipients=recipients)


def _plain(text: str | None) -> str:
    """One line of text the log can keep: control characters as spaces, undecodable
    characters (lone surrogates) replaced, trimmed."""
    if not text:
        return ""
    safe = text.encode("utf-8", "replace").decode("utf-8")
    return " ".join(CONTROLS.sub(" ", safe).split())


def csv_file(header: Sequence[str], rows: Iterable[Sequence[object]], name: str) -> Response:
    """A CSV download (UTF-8 with a BOM, for spreadsheets; CRLF lines) under a file name
    of letters, digits, dots, hyphens and underscores only (a header holds Latin-1)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else cell(v) for v in row])
    safe = re.sub(r"[^A-Za-z0-9._-]", "", name)[:80] or "export.csv"
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{safe}"'})


def cell(value: object) -> str:
    """A value as a spreadsheet cell that cannot run as a formula (CSV injection)."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
