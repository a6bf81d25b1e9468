"""`pinchpoint mapping ...`: help with the mappings `ingest table` reads.

`mapping suggest FILE` looks at a CSV or XLSX and prints a starting mapping: what each
column seems to hold (from its values, cleaned as the engine would) and the entities
they would make, for the analyst to check and edit (`pinchpoint.ingest.suggest`). It
reads no workspace. A missing or unreadable file is one red `error:` sentence and exit
code 2, never a traceback. `mapping list` and `mapping show NAME` read the mappings the
reader's agency saved in the workbench (`pinchpoint.store.saved_mappings`), logged as
consultations like every read.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from pinchpoint.cli.common import (
    REFUSALS,
    USER_ERRORS,
    JsonOption,
    console,
    err,
    fail,
    print_json,
    session,
    table,
    user_errors,
)
from pinchpoint.ingest.suggest import (
    SAMPLE,
    mapping_yaml,
    read_sample,
    suggest_columns,
    suggest_mapping,
    suggestion_comment,
)
from pinchpoint.store import saved_mappings

mapping_app = typer.Typer(help="Table mappings: suggest one from a file's columns; list and "
                          "show those saved in the workbench.",
                          no_args_is_help=True)


@mapping_app.command("suggest")
def suggest_command(
    path: Annotated[Path, typer.Argument(help="The CSV or XLSX file")],
    sheet: Annotated[str | None, typer.Option(
        "--sheet", help="XLSX sheet [default: the first]")] = None,
    phone_region: Annotated[str | None, typer.Option(
        "--phone-region", help="Country numbers without a + are dialled in (e.g. gb)")] = None,
    rows: Annotated[int, typer.Option(
        "--rows", min=1, help="How many rows to look at")] = SAMPLE,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Write the mapping to this file [default: print it]")] = None,
) -> None:
    """Suggest a mapping for a table: each column's kind (phone, date, country, IBAN,
    e-mail, name, amount) from its values, and the entities they would make. Check it,
    then `pinchpoint ingest table FILE --mapping MAPPING.yaml`."""
    if not path.is_file():
        raise fail(f"{path} does not exist" if not path.exists() else f"{path} is not a file")
    with user_errors((*USER_ERRORS, ValueError)):
        header, values, _ = read_sample(path, sheet, rows)
        suggestions = suggest_columns(header, values, phone_region)
        document = suggest_mapping(header, values, phone_region)
        text = mapping_yaml(document, suggestion_comment(suggestions, document, header))
        if out is None:
            sys.stdout.write(text)
            return
        out.write_text(text, encoding="utf-8")
    err.print(f"wrote {out} ({len(suggestions)} column(s) recognised)")


@mapping_app.command("list")
def list_command(as_json: JsonOption = False) -> None:
    """The mappings your agency saved in the workbench's mapping editor."""
    with session(read_only=True, kinds=REFUSALS) as s:
        found = saved_mappings.listed(s.store.con, s.scope)
    if as_json:
        print_json([{"name": m.name, "saved_by": m.saved_by,
                     "saved_at": m.saved_at.isoformat()} for m in found])
        return
    shown = table("Saved mappings", "name", "saved by", "saved at")
    for m in found:
        shown.add_row(m.name, m.saved_by, m.saved_at.isoformat(sep=" "))
    console.print(shown)


@mapping_app.command("show")
def show_command(
    name: Annotated[str, typer.Argument(help="The saved mapping's name")],
    out: Annotated[Path | None, typer.Option(
        "--out", help="Write the mapping to this file [default: print it]")] = None,
) -> None:
    """A mapping your agency saved in the workbench, as the YAML `pinchpoint ingest table
    FILE --mapping` reads."""
    with session(read_only=True, kinds=REFUSALS) as s:
        found = saved_mappings.get(s.store.con, s.scope, name)
    if found is None:
        raise fail(f"your agency has no saved mapping {name!r} (see `pinchpoint mapping list`)")
    if out is None:
        sys.stdout.write(found.yaml if found.yaml.endswith("\n") else found.yaml + "\n")
        return
    out.write_text(found.yaml, encoding="utf-8")
    err.print(f"wrote {out}")
