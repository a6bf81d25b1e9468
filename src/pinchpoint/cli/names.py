"""``pinchpoint match-names``: score two names, or a CSV of pairs, from the shell.

A thin wrapper around ``pinchpoint.resolve.names``; it needs no workspace. Two modes.
``match-names NAME1 NAME2`` prints the score and its explanation (``--json`` for the
full explanation as JSON). ``match-names --pairs FILE.csv`` reads a CSV with columns
``name1,name2`` (and optionally ``schema``) and writes the same CSV to standard output
with two more columns, ``score`` (0 to 1) and ``match`` (true/false at the threshold).
Bad input - a missing file, missing columns, an undecodable file - is one red
``error:`` sentence on standard error and exit code 2, never a traceback.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.progress import Progress, TaskID

from pinchpoint.cli.common import fail, print_json, progress
from pinchpoint.resolve.names import DEFAULT_CONFIG, MatchConfig, compare_names

REQUIRED_COLUMNS = ("name1", "name2")


def _count_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


def score_csv(source: TextIO, sink: TextIO, config: MatchConfig, schema: str,
              progress: Progress | None = None, task: TaskID | None = None) -> int:
    """Copy a ``name1,name2`` CSV to ``sink`` with ``score`` and ``match`` added.

    Returns the number of rows written. Raises ``ValueError`` when a required column is
    missing. A row's own ``schema`` column, if the file has one, overrides ``schema``.
    """
    reader = csv.DictReader(source)
    columns = list(reader.fieldnames or [])
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        found = ", ".join(columns) if columns else "none"
        raise ValueError(f"missing column(s) {', '.join(missing)} (found: {found})")
    out_columns = columns + [c for c in ("score", "match") if c not in columns]
    writer = csv.DictWriter(sink, fieldnames=out_columns, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for row in reader:
        left, right = (row.get("name1") or "").strip(), (row.get("name2") or "").strip()
        row_schema = (row.get("schema") or "").strip() or schema
        score = compare_names(left, right, row_schema, config).score if left and right else 0.0
        row["score"] = f"{score:.4f}"
        row["match"] = "true" if score >= config.threshold else "false"
        writer.writerow(row)
        count += 1
        if progress is not None and task is not None:
            progress.advance(task)
    return count


def _pairs_mode(pairs: Path, config: MatchConfig, schema: str) -> None:
    if not pairs.is_file():
        raise fail(f"no such file: {pairs}")
    try:
        total = _count_rows(pairs)
        with pairs.open(encoding="utf-8-sig", newline="") as source, progress() as bar:
            task = bar.add_task("Scoring name pairs", total=total)
            score_csv(source, sys.stdout, config, schema, bar, task)
    except ValueError as exc:  # includes UnicodeDecodeError
        raise fail(f"{pairs}: {exc}") from None
    except csv.Error as exc:
        raise fail(f"{pairs}: not a readable CSV file ({exc})") from None
    except OSError as exc:
        raise fail(f"{pairs}: {exc.strerror or exc}") from None


def match_names(
    name1: Annotated[str | None, typer.Argument(help="First name.", show_default=False)] = None,
    name2: Annotated[str | None, typer.Argument(help="Second name.", show_default=False)] = None,
    pairs: Annotated[Path | None, typer.Option(
        "--pairs", help="CSV file with columns name1,name2: scores every row to stdout.",
        show_default=False)] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the score and explanation as JSON.")] = False,
    threshold: Annotated[float, typer.Option(
        "--threshold", min=0.0, max=1.0, help="Score at or above which names match.")
    ] = DEFAULT_CONFIG.threshold,
    schema: Annotated[str, typer.Option(
        "--schema", help="FtM schema: Person, Company, Organization, LegalEntity, Vessel.")
    ] = "Person",
) -> None:
    """Score how likely two names name the same person or organisation, and explain why.

    Works across spelling variants, transliterations and scripts (Latin, Arabic,
    Persian, Kurdish, Pashto, Urdu, Cyrillic, ...). With --pairs, scores a CSV of pairs.
    """
    config = replace(DEFAULT_CONFIG, threshold=threshold)
    if pairs is not None:
        if name1 is not None or name2 is not None:
            raise fail("give either two names or --pairs FILE, not both")
        _pairs_mode(pairs, config, schema)
        return
    if not name1 or not name2 or not name1.strip() or not name2.strip():
        raise fail("give two names (match-names NAME1 NAME2) or --pairs FILE.csv")
    result = compare_names(name1, name2, schema, config)
    if as_json:
        print_json(result.to_dict())
    else:
        typer.echo(result.explain())
