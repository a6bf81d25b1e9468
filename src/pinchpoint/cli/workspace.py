"""`pinchpoint init | status | quarantine | entity | export ftm`: the workspace itself.

Thin wrappers around `pinchpoint.store`: create a workspace, count what the reader may
see (and, for the workspace's administrator, how much lies outside that), list the
quarantine, show one entity's statements, export FtM entities.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress
from rich.table import Table

from pinchpoint.access import journal, keys
from pinchpoint.cli.common import (
    STATE,
    ReasonOption,
    Session,
    console,
    err,
    fail,
    file_progress,
    open_session,
    print_json,
    table,
    user_errors,
    workspace,
)
from pinchpoint.model.reader import Role
from pinchpoint.store import StatusCounts, init_workspace
from pinchpoint.store.database import redacted_url
from pinchpoint.store.entities import export_ftm
from pinchpoint.store.signing import KeyPinError
from pinchpoint.store.workspace import copy_to_server, operator

JsonFlag = Annotated[bool, typer.Option("--json")]


def init(agency: Annotated[str, typer.Option(help="The agency that owns this workspace")] = "LOCAL",
         database: Annotated[str | None, typer.Option(
             help="Keep the store on a PostgreSQL server (postgresql://...): a URL naming a "
                  "database uses it, one naming only a server gets the workspace's own; "
                  "default $PINCHPOINT_DATABASE, else a DuckDB file in the folder")] = None,
         ) -> None:
    """Create a workspace: a folder holding its settings, keys and the store (a DuckDB
    file, or a PostgreSQL database for a team server: docs/scale.md)."""
    with user_errors():
        ws = init_workspace(STATE.workspace, agency, database)
    # One line whatever the terminal's width: scripts read the path and agency from it.
    console.print(f"workspace {ws.path} for agency {ws.agency}", soft_wrap=True)
    if ws.database:
        console.print(f"store on PostgreSQL: {redacted_url(ws.database)}", soft_wrap=True)
    if ws.agency != agency:
        console.print(f"note: the workspace already exists, for {ws.agency}; --agency "
                      f"{agency} was not applied")
    _print_key(ws.path)
    console.print(f"what you ingest belongs to {ws.agency} unless `pinchpoint ingest --owner` "
                  "names another agency of the workspace; for a workspace of another agency, "
                  "run `pinchpoint --workspace NEW-FOLDER init --agency NAME`")


def copy_to_server_command(
    new_folder: Annotated[Path, typer.Argument(help="The new workspace folder (empty)")],
    database: Annotated[str, typer.Option(
        help="The PostgreSQL server or database (postgresql://...)")],
    reason: ReasonOption = "moving the workspace to the team's server",
) -> None:
    """Copy this workspace to a PostgreSQL server: a new folder with the same id, key
    and settings, whose store (and audit log) is every row of this one's, on the
    server. This workspace is left as it is (docs/scale.md)."""
    with user_errors():
        ws = workspace()
        with Progress(console=err, transient=True) as bar:
            task = bar.add_task("copying", total=None)
            moved = copy_to_server(ws, new_folder, database, lambda table, rows: bar.update(
                task, description=f"copying {table}: {rows:,} rows"))
        who = operator(ws)
        for path, what in ((ws.path, f"store copied to PostgreSQL ({moved.path})"),
                           (moved.path, f"store copied from {ws.path}")):
            journal.record(path, who.user, ws.agency, "alteration", what, reason)
    console.print(f"workspace {moved.path} for agency {moved.agency}, store on PostgreSQL: "
                  f"{redacted_url(moved.database)}", soft_wrap=True)


def _print_key(path: Path) -> None:
    """The signing key's public half and id, to be recorded outside the workspace (it
    is pinned in the operator's config too, and partners get it in every package)."""
    try:
        public = keys.pinned_key(path)
    except KeyPinError as exc:
        console.print(f"note: {exc}", soft_wrap=True)
        return
    console.print(f"audit signing key {keys.key_id(public)}: {keys.public_text(public)}",
                  soft_wrap=True)
    console.print("record this public key out of band (case file, partners): `pinchpoint "
                  "audit verify` checks the log against it, and `audit pin --public-key` "
                  "needs it if the pin is ever lost")


def _counts_table(title: str, data: dict[str, tuple[int, int]]) -> Table:
    found = table(title, title.split()[-1], "entities", "statements",
                  right=("entities", "statements"))
    for key, (n_stmt, n_ent) in data.items():
        found.add_row(key, str(n_ent), str(n_stmt))
    return found


def _outside(s: Session) -> int | None:
    """For the workspace's administrators only: how many statements their scope leaves
    out (a count, nothing about them); None for everyone else."""
    if s.reader.role != Role.ADMINISTRATOR:
        return None
    return s.store.count_outside(s.scope)


def _print_status(path: Path, counts: StatusCounts, outside: int | None) -> None:
    console.print(f"workspace {path}: {counts.entities} entities, {counts.statements} "
                  f"statements, {counts.quarantined} quarantined, {counts.batches} batches")
    if outside:
        console.print(f"{outside:,} statements of other agencies or above your clearance are "
                      "outside your scope; `pinchpoint --as USER status` shows what a user "
                      "sees")
    for title, data in (("by source", counts.by_source), ("by schema", counts.by_schema),
                        ("by owner", counts.by_owner)):
        console.print(_counts_table(title, data))


def status(as_json: JsonFlag = False) -> None:
    """Counts of entities and statements by source, schema and owner."""
    with user_errors(), open_session(read_only=True) as s:
        counts = s.store.counts(s.scope)
        outside = _outside(s)
    if not as_json:
        _print_status(s.workspace.path, counts, outside)
        return
    data: dict[str, Any] = dataclasses.asdict(counts)
    if outside is not None:
        data["outside_scope"] = outside
    print_json(data)


def quarantine(
    as_json: JsonFlag = False,
    batch: Annotated[str | None, typer.Option(help="Only this batch")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many rows")] = None,
) -> None:
    """List quarantined rows and values with file, line, field, value and reason."""
    with user_errors(), open_session(read_only=True) as s:
        items = s.store.quarantine(s.scope, batch=batch, limit=limit)
    if as_json:
        print_json([dataclasses.asdict(i) for i in items])
        return
    found = table(f"{len(items)} quarantined", "file", "line", "field", "raw value", "reason",
                  "row?")
    for i in items:
        line = str(i.line) if i.line is not None else (i.locator or "")
        found.add_row(i.file, line, i.field or "", (i.raw_value or "")[:60], i.reason,
                      "row" if i.row_rejected else "value")
    console.print(found)


def export_ftm_command(
    out: Annotated[Path | None, typer.Option(help="Output file [default: standard output]")] = None,
    extended: Annotated[bool, typer.Option(
        help="Keep Pinchpoint's extension schemata instead of stock FtM")] = False,
    court: Annotated[bool, typer.Option(
        "--court", help="For court: leave out Europol H1 statements (not for judicial "
        "proceedings without the provider's permission)")] = False,
) -> None:
    """Export visible entities as FtM JSON lines (readable by `ftm` and Aleph)."""
    with user_errors(), open_session(read_only=True) as s:
        scope = s.scope.for_court() if court else s.scope
        if out is None:
            export_ftm(s.store, scope, sys.stdout, stock=not extended)
            return
        with open(out, "w", encoding="utf-8") as fh, file_progress() as bar:
            task = bar.add_task("export", total=s.store.count_entities(scope))
            count = export_ftm(s.store, scope, fh, stock=not extended,
                               progress=lambda n: bar.update(task, completed=n))
    err.print(f"wrote {count} entities to {out}")


def entity(
    entity_id: Annotated[str, typer.Argument(metavar="ID")],
    as_json: JsonFlag = False,
) -> None:
    """All statements about one entity, with provenance and grades."""
    with user_errors(), open_session(read_only=True) as s:
        statements = s.store.statements(s.scope, entity_id=entity_id)
    if not statements:
        raise fail(f"no entity {entity_id}", code=1)
    if as_json:
        print_json([dataclasses.asdict(st) for st in statements])
        return
    found = table(f"{statements[0].schema} {entity_id}", "property", "value", "source",
                  "record", "owner", "grade", "handling", "classification", "first seen")
    for st in statements:
        handling = st.handling + (f" ({st.handling_conditions})" if st.handling_conditions
                                  else "")
        found.add_row(st.prop, st.value, st.source, st.record, st.owner,
                      f"{st.source_grade}{st.info_grade}", handling, st.classification,
                      str(st.first_seen))
    console.print(found)
