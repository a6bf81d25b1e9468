"""`pinchpoint demo ...`: thin Typer wrappers around `pinchpoint.demo`.

`generate` writes a scenario, `ingest` loads every file its manifest lists (with
progress bars), `summary` says what the workspace then holds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Table

from pinchpoint.access import directory, journal
from pinchpoint.cli.common import (
    STATE,
    acting_reader,
    console,
    open_session,
    progress,
    table,
    user_errors,
)
from pinchpoint.demo.examples import ingest_examples, load_manifest, missing_agencies
from pinchpoint.demo.generate import generate
from pinchpoint.demo.summary import lines, summarise
from pinchpoint.ingest.run import IngestReport
from pinchpoint.model.reader import Reader, Role
from pinchpoint.store import Workspace, init_workspace

demo_app = typer.Typer(help="The synthetic demo scenario: generate, ingest, summarise.",
                       no_args_is_help=True)


def _progress(unit: str) -> Progress:
    return progress(TextColumn("{task.description}"), BarColumn(),
                    TextColumn(f"{{task.completed}}/{{task.total}} {unit}"),
                    TimeRemainingColumn())


def _table(title: str, columns: tuple[str, ...], left: int) -> Table:
    """Columns after the first `left` are numbers, aligned right."""
    return table(title, *columns, right=columns[left:], fold=False)


@demo_app.command("generate")
def demo_generate(
    size: Annotated[str, typer.Option(help="small (about 5,000 records), medium (200,000), "
                                           "large (5 million) or xlarge (10 million)")] = "small",
    seed: Annotated[int, typer.Option(help="The same seed gives byte-identical files")] = 1,
    out: Annotated[Path, typer.Option(help="Output folder (empty, or a previous scenario)")
                   ] = Path("demo-scenario"),
) -> None:
    """Write a synthetic smuggling case file (sources, manifest) with its ground truth."""
    with user_errors(), _progress("months") as bar:
        task = bar.add_task(f"generate {size}", total=None)
        manifest = generate(size, seed, out, progress=lambda done, total: bar.update(
            task, completed=done, total=total))
    found = _table(f"scenario {size}, seed {seed}, in {out} ({manifest.seconds:.1f} s)",
                   ("agency", "kind", "files", "records", "planted bad values"), 2)
    rows: dict[tuple[str, str], list[int]] = {}
    for e in manifest.entries:
        row = rows.setdefault((e.options.get("owner", ""), e.kind), [0, 0, 0])
        row[0] += 1
        row[1] += e.records
        row[2] += e.expect_quarantined
    for (agency, kind), (files, records, bad) in sorted(rows.items()):
        found.add_row(agency, kind, str(files), f"{records:,}", str(bad))
    console.print(found)
    console.print(f"{manifest.records:,} records in {len(manifest.entries):,} files; "
                  f"{manifest.groups} groups, {manifest.persons:,} persons in the truth; "
                  f"dinghy passengers {manifest.band[0]}-{manifest.band[1]} per boat "
                  f"(yearly means from {manifest.band_source}). Truth in {out / 'truth'}.")


@demo_app.command("ingest")
def demo_ingest(folder: Annotated[Path, typer.Argument(help="A scenario (or docs/examples)")
                                  ] = Path("demo-scenario")) -> None:
    """Ingest every file a scenario's manifest.yaml lists, with the options it gives."""
    with user_errors():
        entries = load_manifest(folder)
        ws = init_workspace(STATE.workspace)
        reader = acting_reader(ws)
        reader.require(Role.ADMINISTRATOR)  # the manifest loads every agency's material
        _add_agencies(ws, reader, folder)
        with _progress("files") as bar:
            task = bar.add_task("ingest", total=len(entries))
            reports = ingest_examples(ws, folder, progress=_advance(bar, task))
        _log_collections(ws.path, reader, reports, folder)
    totals: dict[tuple[str, str], list[int]] = {}
    for entry, report in zip(entries, reports, strict=True):
        b = report.batch
        row = totals.setdefault((b.owner, b.kind), [0, 0, 0, 0, 0])
        for i, value in enumerate((1, b.rows_read, b.statements_added, report.quarantined,
                                   int(entry.get("expect_quarantined", 0)))):
            row[i] += value
    found = _table(f"ingested {folder} into {ws.path}", ("owner", "kind", "files", "rows",
                   "statements added", "quarantined", "planted"), 2)
    for (owner, kind), values in sorted(totals.items()):
        found.add_row(owner, kind, *(f"{v:,}" for v in values))
    console.print(found)


def _add_agencies(ws: Workspace, reader: Reader, folder: Path) -> None:
    """Add the partner agencies whose material the scenario holds, as an administrator
    would with `agency add` before loading a partner's files (`ingest --owner` refuses
    an agency the workspace lacks: nobody here could read its material)."""
    missing = missing_agencies(ws, folder)
    if not missing:
        return
    with ws.open_store() as store:
        for name, title in missing.items():
            directory.add_agency(store.con, name, title)
    with journal.open_log(ws.path) as log:
        for name in missing:
            log.record(reader.user, reader.agency, "alteration", f"agency {name}",
                       f"scenario {folder.name} holds its material")
    console.print(f"added the scenario's agencies: {', '.join(missing)} "
                  "(`pinchpoint agency list`)")


def _log_collections(path: Path, reader: Reader, reports: list[IngestReport],
                     folder: Path) -> None:
    # One append of every file's entry (each still its own entry and signed head).
    with journal.open_log(path) as log:
        log.record_many([
            (reader.user, reader.agency, "collection",
             f"{r.batch.kind} file {Path(r.batch.path).name} as source {r.batch.source} of "
             f"{r.batch.owner}", r.batch.reason or f"scenario {folder.name}", (),
             {"batch": r.batch.id, "statements_added": r.batch.statements_added})
            for r in reports])


def _advance(bar: Progress, task: TaskID) -> Callable[[int, int, str | None], None]:
    def advance(done: int, total: int, name: str | None) -> None:
        bar.update(task, completed=done, total=total,
                   description=f"ingest {Path(name).name if name else ''}")
    return advance


@demo_app.command("summary")
def demo_summary(folder: Annotated[Path, typer.Argument(help="The scenario ingested")
                                   ] = Path("demo-scenario")) -> None:
    """What the ingested scenario holds, in sentences an analyst can read."""
    # The workspace's operator (an administrator) reads the scenario as a whole (every
    # partner's records, to compare with its truth); anyone else reads what they may see.
    everything = not STATE.user
    with user_errors(), open_session(read_only=True) as s:
        summary = summarise(s.workspace, folder, None if everything else s.scope, s.store)
    shared = "with every partner's records" if everything else "as this user may see it"
    console.print(f"Demo summary (read as {summary.agency}, {shared}):")
    for line in lines(summary):
        console.print(f"- {line}")
