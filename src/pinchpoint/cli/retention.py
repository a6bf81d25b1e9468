"""`pinchpoint retention due | set | erase`: periodic review under DPA 2018 s.39.

Thin Typer wrappers around `pinchpoint.access.retention`, each in the reader's
session; an erasure is written to the audit log.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated

import typer

from pinchpoint.access.retention import DueSource, due, erase, erasure_preview, set_review
from pinchpoint.cli.common import REFUSALS, console, print_json, session, table, user_errors

retention_app = typer.Typer(
    help="Review and erase sources under the Data Protection Act 2018 s.39.",
    no_args_is_help=True)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def _as_json(item: DueSource) -> dict[str, object]:
    data = dataclasses.asdict(item)
    data["first_ingested"] = item.first_ingested.isoformat()
    data["review_date"] = item.review_date.isoformat()
    return data


@retention_app.command("due")
def due_command(
    on: Annotated[str | None, typer.Option(
        "--on", help="Review date to check against, YYYY-MM-DD [default: today]")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """List the agency's own sources whose review date has come."""
    with user_errors(REFUSALS):
        day = _day(on) if on else date.today()
    with session(kinds=REFUSALS) as s:
        found = due(s.store, s.scope, day)
    if as_json:
        print_json([_as_json(d) for d in found])
        return
    if not found:
        console.print(f"no source is due for review on {day.isoformat()}")
        return
    listed = table(f"sources due for review on {day.isoformat()}", "source", "statements",
                   "first ingested", "review date", "set by hand")
    for d in found:
        listed.add_row(d.source, str(d.statements), d.first_ingested.isoformat(sep=" "),
                       d.review_date.isoformat(), "yes" if d.overridden else "no")
    console.print(listed)


@retention_app.command("set")
def set_command(
    source: Annotated[str, typer.Argument(help="The source (collection) name")],
    review_date: Annotated[str, typer.Argument(help="New review date, YYYY-MM-DD")],
    reason: Annotated[str, typer.Option(help="Why this date (kept with the setting)")],
) -> None:
    """Set a source's review date."""
    with user_errors(REFUSALS):
        day = _day(review_date)
    with session(kinds=REFUSALS) as s:
        set_review(s.store, s.scope, source, day, reason)
    console.print(f"review of {source} set to {day.isoformat()}")


@retention_app.command("erase")
def erase_command(
    source: Annotated[str, typer.Argument(help="The source (collection) name")],
    reason: Annotated[str, typer.Option(help="Why it is erased (kept in the erasure record)")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
) -> None:
    """Erase every statement and quarantine row of a source; this cannot be undone."""
    with session(kinds=REFUSALS) as s:
        if not yes:
            count = erasure_preview(s.store, s.scope, source, reason)
            typer.confirm(f"erase source {source} of {s.scope.agency} "
                          f"({count} statements)? This cannot be undone", abort=True)
        report = erase(s.store, s.scope, source, reason, on_erased=lambda r: s.record(
            "erasure", f"source {r.source}", reason,
            detail={"statements": r.statements_removed, "quarantine": r.quarantine_removed}))
    console.print(f"erased source {report.source} of {report.owner}: "
                  f"{report.statements_removed} statements, "
                  f"{report.quarantine_removed} quarantine rows")
    if report.resolution_rows_removed:
        console.print("resolution results were cleared; run `pinchpoint resolve` again")
