"""`pinchpoint ingest`: one file into the workspace as one atomic batch.

A thin wrapper around `pinchpoint.ingest.run.ingest_file`, plus the checks of who may
load what: only an administrator loads another agency's material (`--owner`), and only
for an agency the workspace has, since statements of an agency nobody here belongs to
would be data nobody can see.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from pinchpoint.access import directory, journal
from pinchpoint.access.directory import DirectoryError
from pinchpoint.cli.common import (
    STATE,
    acting_reader,
    console,
    file_progress,
    print_json,
    table,
    user_errors,
)
from pinchpoint.ingest.errors import IngestError
from pinchpoint.ingest.kinds import KIND_HELP, KINDS
from pinchpoint.ingest.run import IngestReport, ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.model.grading import DEFAULT_INFO_GRADE, DEFAULT_SOURCE_GRADE
from pinchpoint.model.reader import AccessError, Reader, Role
from pinchpoint.store import Workspace, init_workspace


def _print_report(report: IngestReport) -> None:
    b = report.batch
    columns = ("rows read", "rows stored", "rows quarantined", "values quarantined",
               "entities", "statements added", "statements already present")
    found = table(f"ingested {b.path} as {b.kind} (source {b.source}, owner {b.owner})",
                  *columns, right=columns)
    found.add_row(str(b.rows_read), str(b.rows_stored), str(b.rows_rejected),
                  str(b.values_quarantined), str(b.entities), str(b.statements_added),
                  str(b.statements_seen - b.statements_added))
    console.print(found)
    for note in report.notes:
        console.print(Text.assemble(("note: ", "yellow"), note))
    if report.quarantined:
        console.print(f"{report.quarantined} item(s) quarantined; "
                      "see `pinchpoint quarantine`")


def _check_owner(ws: Workspace, reader: Reader, owner: str | None) -> None:
    """`--owner` names another agency: the reader must be an administrator, and the
    agency one the workspace has."""
    if owner in (None, reader.agency):
        return
    if reader.role != Role.ADMINISTRATOR:
        raise AccessError(f"{reader.user} collects for {reader.agency}; only an "
                          "administrator loads another agency's material (--owner)")
    with ws.open_store(read_only=True) as store:
        known = directory.agencies(store.con)
    if owner != ws.agency and owner not in known:
        raise DirectoryError(
            f"{owner!r} is not an agency of this workspace, so nobody here could see what "
            f"you ingest for it; its agencies are {', '.join(sorted({ws.agency, *known}))}; "
            f"add one with `pinchpoint agency add {owner or 'NAME'} --title \"...\"`")


def ingest(
    kind: Annotated[str, typer.Argument(help="Source kind: " + "; ".join(
        f"{k} ({v})" for k, v in KIND_HELP.items()))],
    path: Annotated[Path, typer.Argument(help="The file to ingest")],
    mapping: Annotated[Path | None, typer.Option(help="YAML mapping (for kind 'table')")] = None,
    source: Annotated[str | None, typer.Option(
        help="Source (collection) name [default: the file name without extension]")] = None,
    owner: Annotated[str | None, typer.Option(
        help="Owning agency [default: the workspace's agency]")] = None,
    grading: Annotated[str, typer.Option(help="Grading system: uk, nato or europol")] = "uk",
    source_grade: Annotated[str, typer.Option(
        help="Source grade (uk 1-3, nato A-F, europol A/B/C/X)")] = DEFAULT_SOURCE_GRADE,
    info_grade: Annotated[str, typer.Option(
        help="Information grade (uk A-E, nato 1-6, europol 1-4)")] = DEFAULT_INFO_GRADE,
    handling: Annotated[str, typer.Option(help="Handling code: P, C, H0, H1, H2, H3")] = "P",
    conditions: Annotated[str | None, typer.Option(
        help="Handling conditions (required with C and H3)")] = None,
    classification: Annotated[str, typer.Option(
        help="OFFICIAL, OFFICIAL-SENSITIVE or SECRET")] = "OFFICIAL",
    sheet: Annotated[str | None, typer.Option(help="XLSX sheet [default: the first]")] = None,
    phone_region: Annotated[str | None, typer.Option(
        help="Country code for phone numbers written without +, e.g. gb")] = None,
    reason: Annotated[str | None, typer.Option(help="Why this is collected (audit log)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the batch report as JSON")] = False,
) -> None:
    """Ingest one file as one atomic batch; bad rows and values go to the quarantine."""
    options = IngestOptions(source=source, owner=owner, grading=grading,
                            source_grade=source_grade, info_grade=info_grade, handling=handling,
                            conditions=conditions, classification=classification,
                            mapping=mapping, sheet=sheet, phone_region=phone_region, reason=reason)
    with user_errors():
        if kind not in KINDS:
            raise IngestError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
        ws = init_workspace(STATE.workspace)
        reader = acting_reader(ws)
        _check_owner(ws, reader, owner)
        if owner is None and STATE.user:
            options = dataclasses.replace(options, owner=reader.agency)
        report = _ingest(ws, kind, path, options, quiet=as_json)
        journal.record(ws.path, reader.user, reader.agency, "collection",
                       f"{kind} file {path.name} as source {report.batch.source} of "
                       f"{report.batch.owner}", reason or "ingest",
                       detail={"batch": report.batch.id,
                               "statements_added": report.batch.statements_added,
                               "rows_rejected": report.batch.rows_rejected})
    if as_json:
        print_json({"batch": dataclasses.asdict(report.batch), "notes": report.notes})
    else:
        _print_report(report)


def _ingest(ws: Workspace, kind: str, path: Path, options: IngestOptions, quiet: bool
            ) -> IngestReport:
    with file_progress(quiet) as bar:
        task = bar.add_task(f"ingest {path.name}", total=None)
        return ingest_file(ws, kind, path, options,
                           progress=lambda done, total: bar.update(task, completed=done,
                                                                   total=total))
