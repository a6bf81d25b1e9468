"""`pinchpoint mapping ...`: help with the mappings `ingest table` reads.

`mapping suggest FILE` looks at a CSV or XLSX and prints a starting mapping: what each
column seems to hold (from its values, cleaned as the engine would) and the entities
they would make, for the analyst to check and edit (`pinchpoint.ingest.suggest`). It
reads no workspace. A missing or unreadable file is one red `error:` sentence and exit
code 2, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from pinchpoint.cli.common import USER_ERRORS, err, fail, user_errors
from pinchpoint.ingest.suggest import (
    SAMPLE,
    mapping_yaml,
    read_sample,
    suggest_columns,
    suggest_mapping,
    suggestion_comment,
)

mapping_app = typer.Typer(help="Table mappings: suggest one from a file's columns.",
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
