"""Tables that fit the terminal: label first, short ids, the least needed columns left out.

A table of 40-character ids and ten score columns, folded into an 80-column terminal,
spreads every row over ten lines, and nobody can read it. A command instead lists its
columns most important first (`Column.drop` says which go first when space is short);
`fit` keeps as many as the width allows, cuts long text (a name) with an ellipsis
rather than wrapping it, so one row stays one line, and says what it left out so the
reader knows that `--wide` shows everything. Ids are shown by their shortest unique
start (`short_ids`, at least eight characters), which commands also accept as input.

`print_wide` prints a full table at its natural width, however narrow the terminal, so
that full ids stay whole on one line for copying and `grep`.

Generic on purpose: nothing here knows about networks, and nothing imports the CLI.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segments
from rich.table import Table
from rich.text import Text

SHORT_ID = 8  # characters of an id shown by default (more where needed to be unique)
GAP = 3  # cells between two columns of the tables `fit` makes
NARROWEST = 12  # a shortened text column keeps at least this many cells
ROOMY = 24  # ... and is given this many before an optional column is shown
WIDE_HINT = "--wide shows everything, with full ids"


@dataclass(frozen=True)
class Column:
    """One column: `drop` 0 is always shown, higher numbers are left out first when the
    terminal is too narrow; `shrink` text may be cut short with an ellipsis."""

    header: str
    drop: int = 0
    shrink: bool = False
    justify: Literal["left", "right"] = "left"


@dataclass(frozen=True)
class Fitted:
    """A table made to fit, and what it leaves out (nothing when `wide`). The title is
    printed above it as a line of its own, not folded to the table's width."""

    title: str
    table: Table
    wide: bool
    dropped: list[str]
    shortened: bool
    ids_shortened: bool

    def note(self) -> str | None:
        """One line saying what the table does not show, or None when it shows all."""
        parts = [f"not shown: {', '.join(self.dropped)}"] if self.dropped else []
        if self.shortened:
            parts.append("long text cut short")
        if self.ids_shortened:
            parts.append("short ids")
        return "; ".join([*parts, WIDE_HINT]) if parts else None


def short_ids(ids: Iterable[str], among: Sequence[str], minimum: int = SHORT_ID
              ) -> dict[str, str]:
    """Each id cut to its shortest start of at least `minimum` characters that no other
    id of `among` shares, so the short form still names one node."""
    wanted = list(ids)
    if all(len(node) <= minimum for node in wanted):
        return {node: node for node in wanted}  # short already: no need to sort `among`
    ordered = sorted(among)
    out: dict[str, str] = {}
    for node in wanted:
        at = bisect_left(ordered, node)
        neighbours = [ordered[i] for i in (at - 1, at, at + 1)
                      if 0 <= i < len(ordered) and ordered[i] != node]
        shared = max((_common(node, other) for other in neighbours), default=0)
        out[node] = node[:max(minimum, shared + 1)]
    return out


def _common(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def fit(title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]],
        width: int | None, ids_shortened: bool = False) -> Fitted:
    """A table of `rows` in at most `width` cells, one line per row where possible;
    with `width` None, every column and nothing cut (`--wide`).

    Optional columns (`drop` > 0) with nothing in them are not shown; then the
    columns with the highest `drop` go until the rest fit; then `shrink` columns share
    what width is left."""
    natural = [max([cell_len(c.header), *(cell_len(row[i]) for row in rows)])
               for i, c in enumerate(columns)]
    keep = [i for i, c in enumerate(columns)
            if c.drop == 0 or width is None or any(row[i] for row in rows)]
    empty = {i for i in range(len(columns)) if i not in keep}
    while (width is not None and _least(columns, natural, keep) > width
           and any(columns[i].drop for i in keep)):
        keep.remove(max((i for i in keep if columns[i].drop), key=lambda i: columns[i].drop))
    limits = {} if width is None else _share(columns, natural, keep, width)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
    for i in keep:
        table.add_column(columns[i].header, justify=columns[i].justify, no_wrap=True,
                         overflow="ellipsis", max_width=limits.get(i))
    for row in rows:
        table.add_row(*(row[i] for i in keep))
    dropped = [c.header for i, c in enumerate(columns) if i not in keep and i not in empty]
    return Fitted(title, table, width is None, dropped,
                  any(natural[i] > limit for i, limit in limits.items()), ids_shortened)


def _least(columns: Sequence[Column], natural: list[int], keep: list[int]) -> int:
    """The width the kept columns need, shrinkable ones cut to ROOMY: text such as a
    name is worth more than an optional column."""
    cells = sum(min(natural[i], ROOMY) if columns[i].shrink else natural[i] for i in keep)
    return cells + GAP * (len(keep) - 1)


def _share(columns: Sequence[Column], natural: list[int], keep: list[int], width: int
           ) -> dict[int, int]:
    """Widths for the shrinkable columns: the narrowest get all they need first, the
    rest share what is left equally (never below NARROWEST)."""
    flexible = sorted((i for i in keep if columns[i].shrink), key=lambda i: natural[i])
    left = width - GAP * (len(keep) - 1) - sum(natural[i] for i in keep
                                               if not columns[i].shrink)
    limits: dict[int, int] = {}
    for count, i in enumerate(flexible):
        limits[i] = max(NARROWEST, min(natural[i], left // (len(flexible) - count)))
        left -= limits[i]
    return limits


def label_columns(among: Sequence[str], people: Sequence[tuple[str, str]], wide: bool,
                  headers: tuple[str, str] = ("label", "id")
                  ) -> tuple[list[Column], list[list[str]], bool]:
    """The label and id columns for (id, label) pairs, label first (no label column
    where none of them has one), ids short unless `wide`, and whether any was cut.
    `headers` names the two columns (a table of pairs has two of each)."""
    labelled = any(label != node for node, label in people)
    short = {node: node for node, _ in people} if wide else short_ids(
        (node for node, _ in people), among)
    columns = [*([Column(headers[0], shrink=True)] if labelled else []), Column(headers[1])]
    cells = [[*([label] if labelled else []), short[node]] for node, label in people]
    return columns, cells, any(short[node] != node for node, _ in people)


def named(node: str, label: str, short: dict[str, str]) -> str:
    """Someone named in a sentence: label first, then the short id."""
    return short[node] if label == node else f"{label} ({short[node]})"


def limited(items: list[str], limit: int | None) -> list[str]:
    """The first `limit` items and "+N more" for the rest (all of them with None)."""
    if limit is None or len(items) <= limit:
        return items
    return [*items[:limit], f"+{len(items) - limit} more"]


def print_fitted(console: Console, fitted: Fitted) -> None:
    """The table, then the line saying what it leaves out (if anything)."""
    console.print(fitted.title, soft_wrap=fitted.wide)
    if fitted.wide:
        print_wide(console, fitted.table)
        return
    console.print(fitted.table)
    note = fitted.note()
    if note:
        console.print(note)


def print_indented(console: Console, lines: list[str], limit: int | None, indent: int
                   ) -> None:
    """Lines under a heading, at most `limit` and "+N more", a wrapped line keeping the
    indent; with `limit` None (`--wide`) all of them, each on one line however long."""
    for line in limited(lines, limit):
        if limit is None:
            console.print(" " * indent + line, soft_wrap=True)
        else:
            console.print(Padding(Text(line), (0, 0, 0, indent), expand=False))


def print_wide(console: Console, table: Table) -> None:
    """Print at the table's natural width, even past the terminal's edge: nothing folded."""
    natural = Measurement.get(console, console.options.update_width(10_000), table).maximum
    lines = console.render_lines(table, console.options.update_width(natural), pad=False,
                                 new_lines=True)
    console.print(Segments(segment for line in lines for segment in line), soft_wrap=True,
                  end="")
