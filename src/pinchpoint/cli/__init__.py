"""The `pinchpoint` command: thin Typer wrappers around the stages' Python API."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from pinchpoint.access import directory, journal
from pinchpoint.access.directory import DirectoryError
from pinchpoint.access.entitlements import scope_for
from pinchpoint.cli_access import agency_app, share_app, user_app
from pinchpoint.cli_audit import audit_app
from pinchpoint.cli_demo import demo_app
from pinchpoint.cli_names import match_names
from pinchpoint.cli_network import network_app
from pinchpoint.cli_resolve import (
    explain_command,
    export_resolution_command,
    judge_command,
    judgements_command,
    resolve_command,
    review_command,
    undo_command,
)
from pinchpoint.cli_retention import retention_app
from pinchpoint.cli_serve import serve
from pinchpoint.cli_session import refusals
from pinchpoint.demo.errors import ScenarioError
from pinchpoint.ingest.errors import IngestError
from pinchpoint.ingest.kinds import KIND_HELP, KINDS
from pinchpoint.ingest.run import IngestReport, ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.model.grading import DEFAULT_INFO_GRADE, DEFAULT_SOURCE_GRADE, GradingError
from pinchpoint.model.handling import HandlingError
from pinchpoint.model.reader import AccessError, Reader, Role
from pinchpoint.resolve import ResolveError
from pinchpoint.store import (
    Scope,
    StoreBusyError,
    Workspace,
    WorkspaceError,
    init_workspace,
    open_workspace,
)
from pinchpoint.store.duckdb_store import DuckDBStore
from pinchpoint.store.entities import export_ftm
from pinchpoint.store.workspace import operator

app = typer.Typer(help="Pinchpoint: intelligence workbench for organised immigration crime.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
export_app = typer.Typer(help="Export the workspace.", no_args_is_help=True)
app.add_typer(export_app, name="export")
app.add_typer(demo_app, name="demo")
app.add_typer(network_app, name="network")
app.add_typer(agency_app, name="agency")
app.add_typer(user_app, name="user")
app.add_typer(share_app, name="share")
app.add_typer(audit_app, name="audit")
app.add_typer(retention_app, name="retention")
app.command("serve")(serve)
app.command("match-names")(match_names)
app.command("resolve")(resolve_command)
app.command("judge")(judge_command)
app.command("undo-judgement")(undo_command)
app.command("judgements")(judgements_command)
app.command("explain")(explain_command)
app.command("review")(review_command)
export_app.command("resolution")(export_resolution_command)
# Markup off: file names, columns and values are user data ("[/b]" must print as is).
console = Console(markup=False, highlight=False)
err = Console(stderr=True, markup=False, highlight=False, soft_wrap=True)

USER_ERRORS = (IngestError, WorkspaceError, StoreBusyError, GradingError, HandlingError, OSError,
               ScenarioError, ResolveError, AccessError, DirectoryError)


@dataclasses.dataclass
class Context:
    workspace: Path | None = None
    user: str | None = None
    purpose: str | None = None


STATE = Context()


@app.callback()
def main(
    workspace: Annotated[Path | None, typer.Option(
        "--workspace", "-w", envvar="PINCHPOINT_WORKSPACE",
        help="Workspace folder [default: ./pinchpoint-data]")] = None,
    user: Annotated[str | None, typer.Option(
        "--as", envvar="PINCHPOINT_USER",
        help="Act as this user: every read sees only what the user may see "
             "[default: the workspace operator, an administrator of the workspace's agency]"
    )] = None,
    purpose: Annotated[str | None, typer.Option(
        "--purpose", envvar="PINCHPOINT_PURPOSE",
        help="Why you are reading: kept with every read in the audit log (DPA 2018 s.62)"
    )] = None,
) -> None:
    STATE.workspace, STATE.user, STATE.purpose = workspace, user, purpose


def user_errors() -> AbstractContextManager[None]:
    """Turn expected failures into one red sentence and exit code 2: no tracebacks."""
    return refusals(USER_ERRORS)


def _workspace() -> Workspace:
    return open_workspace(STATE.workspace)


def _scope(workspace: Workspace, store: DuckDBStore, log_read: bool = True) -> Scope:
    """The scope of `--as USER`, or of the workspace operator; read afresh every time.

    Every command that reads data gets its scope here, so this is also where the read
    is written to the audit log as a consultation (the command, its arguments, and the
    `--purpose` given)."""
    scope = scope_for(store.con, _reader(workspace, store))
    if not log_read:  # the caller logs the read itself, more precisely
        return scope
    ctx = click.get_current_context(silent=True)
    what = ctx.command_path if ctx is not None else "python"
    params = {k: str(v) for k, v in (ctx.params.items() if ctx is not None else ())
              if v is not None}
    journal.record(workspace.path, scope.user, scope.agency, "consultation", what,
                   STATE.purpose, detail={"arguments": params})
    return scope


def _reader(workspace: Workspace, store: DuckDBStore) -> Reader:
    if STATE.user:
        return directory.reader(store.con, STATE.user)
    return operator(workspace)


def _acting_reader(workspace: Workspace) -> Reader:
    """Who acts, for writers that take no scope: the store is opened only to look up the
    user named by `--as`; the workspace operator needs none."""
    if not STATE.user:
        return operator(workspace)
    with workspace.open_store() as store:
        return directory.reader(store.con, STATE.user)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@app.command()
def init(agency: Annotated[str, typer.Option(help="The agency that owns this workspace")] = "LOCAL"
         ) -> None:
    """Create a workspace (a folder holding one DuckDB store)."""
    with user_errors():
        ws = init_workspace(STATE.workspace, agency)
    console.print(f"workspace {ws.path} for agency {ws.agency}")


def _table(title: str) -> Table:
    return Table(title=title, title_justify="left")


def _print_report(report: IngestReport) -> None:
    b = report.batch
    table = _table(f"ingested {b.path} as {b.kind} (source {b.source}, owner {b.owner})")
    for column in ("rows read", "rows stored", "rows quarantined", "values quarantined",
                   "entities", "statements added", "statements already present"):
        table.add_column(column, justify="right", overflow="fold")
    table.add_row(str(b.rows_read), str(b.rows_stored), str(b.rows_rejected),
                  str(b.values_quarantined), str(b.entities), str(b.statements_added),
                  str(b.statements_seen - b.statements_added))
    console.print(table)
    for note in report.notes:
        console.print(Text.assemble(("note: ", "yellow"), note))
    if report.quarantined:
        console.print(f"{report.quarantined} item(s) quarantined; "
                      "see `pinchpoint quarantine`")


@app.command()
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
        reader = _acting_reader(ws)
        if owner not in (None, reader.agency) and reader.role != Role.ADMINISTRATOR:
            raise AccessError(f"{reader.user} collects for {reader.agency}; only an "
                              "administrator loads another agency's material (--owner)")
        if owner is None and STATE.user:
            options = dataclasses.replace(options, owner=reader.agency)
        with _progress(as_json) as bar:
            task = bar.add_task(f"ingest {path.name}", total=None)
            report = ingest_file(ws, kind, path, options,
                                 progress=lambda done, total: bar.update(task, completed=done,
                                                                         total=total))
        journal.record(ws.path, reader.user, reader.agency, "collection",
                       f"{kind} file {path.name} as source {report.batch.source} of "
                       f"{report.batch.owner}", reason or "ingest",
                       detail={"batch": report.batch.id,
                               "statements_added": report.batch.statements_added,
                               "rows_rejected": report.batch.rows_rejected})
    if as_json:
        _print_json({"batch": dataclasses.asdict(report.batch), "notes": report.notes})
    else:
        _print_report(report)


@contextmanager
def _progress(quiet: bool) -> Iterator[Progress]:
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                  TimeRemainingColumn(), console=err, transient=True,
                  disable=quiet or not err.is_terminal) as bar:
        yield bar


def _counts_table(title: str, data: dict[str, tuple[int, int]]) -> Table:
    table = _table(title)
    table.add_column(title.split()[-1], overflow="fold")
    table.add_column("entities", justify="right", overflow="fold")
    table.add_column("statements", justify="right", overflow="fold")
    for key, (n_stmt, n_ent) in data.items():
        table.add_row(key, str(n_ent), str(n_stmt))
    return table


@app.command()
def status(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Counts of entities and statements by source, schema and owner."""
    with user_errors():
        ws = _workspace()
        with ws.open_store(read_only=True) as store:
            counts = store.counts(_scope(ws, store))
    if as_json:
        _print_json(dataclasses.asdict(counts))
        return
    console.print(f"workspace {ws.path}: {counts.entities} entities, {counts.statements} "
                  f"statements, {counts.quarantined} quarantined, {counts.batches} batches")
    for title, data in (("by source", counts.by_source), ("by schema", counts.by_schema),
                        ("by owner", counts.by_owner)):
        console.print(_counts_table(title, data))


@app.command()
def quarantine(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    batch: Annotated[str | None, typer.Option(help="Only this batch")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many rows")] = None,
) -> None:
    """List quarantined rows and values with file, line, field, value and reason."""
    with user_errors():
        ws = _workspace()
        with ws.open_store(read_only=True) as store:
            items = store.quarantine(_scope(ws, store), batch=batch, limit=limit)
    if as_json:
        _print_json([dataclasses.asdict(i) for i in items])
        return
    table = _table(f"{len(items)} quarantined")
    for column in ("file", "line", "field", "raw value", "reason", "row?"):
        table.add_column(column, overflow="fold")
    for i in items:
        line = str(i.line) if i.line is not None else (i.locator or "")
        table.add_row(i.file, line, i.field or "", (i.raw_value or "")[:60], i.reason,
                      "row" if i.row_rejected else "value")
    console.print(table)


@export_app.command("ftm")
def export_ftm_command(
    out: Annotated[Path | None, typer.Option(help="Output file [default: standard output]")] = None,
    extended: Annotated[bool, typer.Option(
        help="Keep Pinchpoint's extension schemata instead of stock FtM")] = False,
    court: Annotated[bool, typer.Option(
        "--court", help="For court: leave out Europol H1 statements (not for judicial "
        "proceedings without the provider's permission)")] = False,
) -> None:
    """Export visible entities as FtM JSON lines (readable by `ftm` and Aleph)."""
    with user_errors():
        ws = _workspace()
        with ws.open_store(read_only=True) as store:
            scope = _scope(ws, store)
            scope = scope.for_court() if court else scope
            if out is None:
                export_ftm(store, scope, sys.stdout, stock=not extended)
                return
            with open(out, "w", encoding="utf-8") as fh, _progress(False) as bar:
                task = bar.add_task("export", total=store.count_entities(scope))
                count = export_ftm(store, scope, fh, stock=not extended,
                                   progress=lambda n: bar.update(task, completed=n))
    err.print(f"wrote {count} entities to {out}")


@app.command()
def entity(
    entity_id: Annotated[str, typer.Argument(metavar="ID")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """All statements about one entity, with provenance and grades."""
    with user_errors():
        ws = _workspace()
        with ws.open_store(read_only=True) as store:
            statements = store.statements(_scope(ws, store), entity_id=entity_id)
    if not statements:
        err.print(Text.assemble(("error: ", "red"), f"no entity {entity_id}"))
        raise typer.Exit(1)
    if as_json:
        _print_json([dataclasses.asdict(s) for s in statements])
        return
    table = _table(f"{statements[0].schema} {entity_id}")
    for column in ("property", "value", "source", "record", "owner", "grade", "handling",
                   "classification", "first seen"):
        table.add_column(column, overflow="fold")
    for s in statements:
        handling = s.handling + (f" ({s.handling_conditions})" if s.handling_conditions else "")
        table.add_row(s.prop, s.value, s.source, s.record, s.owner,
                      f"{s.source_grade}{s.info_grade}", handling, s.classification,
                      str(s.first_seen))
    console.print(table)


if __name__ == "__main__":
    app()
