"""`pinchpoint network leaders`: the head of every group, a thin wrapper around
`pinchpoint.network.leaders` (registered under `network` in `cli/__init__.py`).

On the workspace it reads the money (with `--rates`, else the workspace's rates) and
who initiated each call and message through the reader's scope; on a plain graph
(`--edges`) there is neither, and the order says so.
"""

from __future__ import annotations

from typing import Annotated

import typer

from pinchpoint.cli.common import (
    WideOption,
    console,
    err,
    print_json,
    user_errors,
)
from pinchpoint.cli.money import RatesOption
from pinchpoint.cli.network import (
    EdgesOption,
    JsonOption,
    NodesOption,
    SeedOption,
    business_signals,
    load,
    workspace_session,
)
from pinchpoint.cli.tables import Column, Fitted, fit, label_columns, print_fitted
from pinchpoint.network import (
    GroupLeaders,
    Network,
    NetworkError,
    Signals,
    analyse,
    find_groups,
    leaders,
)

GroupOption = Annotated[str | None, typer.Option(
    "--group", help="Only this group (G1, G2... as `network groups` numbers them)")]


def leaders_command(
    group: GroupOption = None, edges: EdgesOption = None, nodes: NodesOption = None,
    rates: RatesOption = None, seed: SeedOption = 0, as_json: JsonOption = False,
    wide: WideOption = False,
) -> None:
    """The head of every group: members ordered by how likely each leads it (money kept,
    who gives the orders, insulation, centrality), each with a suggested role and why.
    Victims and witnesses are never listed."""
    with workspace_session(edges) as s:
        network = load(edges, nodes, False, session=s)
        signals = business_signals(s, rates)
    with user_errors(), err.status("finding the head of every group"):
        found = _leaders(network, signals, seed, group)
    if as_json:
        print_json([entry.to_dict() for entry in found])
        return
    for entry in found:
        print_fitted(console, _fitted(network, entry, wide))
    console.print("ingredients used per group: " + "; ".join(
        f"{entry.group} {', '.join(entry.used)}" for entry in found[:5])
        + ("..." if len(found) > 5 else ""))


def _leaders(network: Network, signals: Signals | None, seed: int, group: str | None
             ) -> list[GroupLeaders]:
    """Every group's leaders, or `group`'s: on the workspace those of the one analysis
    `network rank` and `network groups` make (groups with two heads split, named after
    their heads); on a plain graph, of Leiden's groups."""
    if signals is None:
        return leaders(network, find_groups(network, seed=seed), None, group=group)
    every = analyse(network, seed=seed, signals=signals).leaders
    chosen = [entry for entry in every if group is None or entry.group == group]
    if group is not None and not chosen:
        raise NetworkError(f"no group {group!r}: the groups are G1 to G{len(every)}")
    return chosen


def _fitted(network: Network, entry: GroupLeaders, wide: bool) -> Fitted:
    """One line per member, the head first: label, short id, score, role, then why."""
    people = [(m.id, m.label) for m in entry.members]
    who, cells, shortened = label_columns(network.ids, people, wide)
    columns = [Column("#", justify="right"), *who, Column("score", justify="right"),
               Column("role"), Column("why", shrink=True)]
    rows = [[str(place), *cell, f"{m.score:.3f}", m.role or "-", m.why]
            for place, (m, cell) in enumerate(zip(entry.members, cells, strict=True), 1)]
    title = f"{entry.group} {entry.name}: {len(entry.members)} listed"
    return fit(title, columns, rows, None if wide else console.width, shortened)


__all__ = ["leaders_command"]
