"""`pinchpoint network ...`: thin Typer wrappers around `pinchpoint.network`.

Every command runs on a plain graph given with `--edges FILE` (so results can be checked
on published networks) or, without it, on the workspace's network: the resolved
entities the reader's scope sees (`--workspace`, `--agency`), projected by
`pinchpoint.network.project`, optionally sliced to `--since` / `--until`.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from pinchpoint.cli.common import console, err, open_session, print_json, user_errors
from pinchpoint.network import (
    STRATEGY_HELP,
    Network,
    NetworkError,
    analyse,
    plan,
    rank,
    read_edges,
    read_nodes,
    shortest_paths,
)
from pinchpoint.network.analysis import DETECTED
from pinchpoint.network.export import FORMATS, write_csv, write_edges_csv, write_gexf, write_graphml
from pinchpoint.network.kingpin import describe
from pinchpoint.network.project import project

network_app = typer.Typer(
    help="Network analytics: kingpins, brokers, crime groups, disruption plans, paths.",
    no_args_is_help=True)

EdgesOption = Annotated[Path | None, typer.Option(
    "--edges", help="Plain graph: 'u v' or 'u v weight' lines, a source/target CSV or an "
    "adjacency matrix CSV (default: the workspace network)")]
NodesOption = Annotated[Path | None, typer.Option(
    "--nodes", help="Node attributes CSV: id plus label, category, role, location...")]
DirectedOption = Annotated[bool, typer.Option(
    "--directed", help="Read an edge list as directed (used by brokerage)")]
SeedOption = Annotated[int, typer.Option(help="Random seed (groups, sampled betweenness)")]
SHORT = {"betweenness": "btw", "brokerage": "brk", "pagerank": "pr", "eigenvector": "eig",
         "kcore": "core"}
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON")]
SinceOption = Annotated[datetime | None, typer.Option(
    "--since", formats=["%Y-%m-%d"],
    help="Workspace network: only ties dated on or after this day (undated ties are kept)")]
UntilOption = Annotated[datetime | None, typer.Option(
    "--until", formats=["%Y-%m-%d"],
    help="Workspace network: only ties dated on or before this day (undated ties are kept)")]


def load(edges: Path | None, nodes: Path | None, directed: bool,
         since: datetime | None = None, until: datetime | None = None) -> Network:
    if edges is None:
        return workspace_network(since.date() if since else None,
                                 until.date() if until else None)
    if since is not None or until is not None:
        raise NetworkError("--since and --until slice the workspace network; "
                           "they do not apply to --edges")
    network = read_edges(edges, directed=directed)
    if nodes is not None:
        read_nodes(nodes, network)
    return network


def workspace_network(since: date | None, until: date | None) -> Network:
    """The resolved workspace's network, as the reader's scope sees it."""
    with open_session(read_only=True) as s:
        return project(s.store, s.scope, since, until)


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


@network_app.command("rank")
def rank_command(
    edges: EdgesOption = None, nodes: NodesOption = None, directed: DirectedOption = False,
    top: Annotated[int, typer.Option(help="How many people to list")] = 20,
    across: Annotated[str, typer.Option(
        help="Brokerage across detected 'groups' or a node attribute (location, role...)")
    ] = DETECTED,
    seed: SeedOption = 0, as_json: JsonOption = False,
    since: SinceOption = None, until: UntilOption = None,
) -> None:
    """Rank people by the kingpin score, each ingredient shown (victims never listed)."""
    with user_errors():
        network = load(edges, nodes, directed, since, until)
        with err.status("measuring the network"):
            result = analyse(network, across, seed)
        ranked = rank(network, result.scores, top, result.groups.labels())
    if as_json:
        print_json([entry.to_dict() for entry in ranked])
        return
    names = list(result.scores.weights)
    labelled = any(entry.label != entry.id for entry in ranked)
    table = _table(f"kingpin score ({network.n} nodes, {network.m} links)", "#", "id",
                   *(["label"] if labelled else []), "score",
                   *(SHORT.get(name, name) for name in names), "group", "role", "broker")
    for entry in ranked:
        table.add_row(str(entry.rank), entry.id, *([entry.label] if labelled else []),
                      f"{entry.score:.3f}",
                      *(f"{entry.ingredients[name].scaled:.2f}" for name in names),
                      entry.group or "", entry.role or "", entry.broker_role or "")
    console.print(table)
    info = describe(result.scores, ranked, network)
    weights = ", ".join(f"{name} {weight:.2f}" for name, weight in info["weights"].items())
    console.print(f"ingredients scaled to 0-1 by their 99.9th percentile; weights: {weights} "
                  f"({', '.join(f'{v} = {k}' for k, v in SHORT.items())})")
    console.print(f"betweenness: {info['betweenness']}; brokerage across {across}")


@network_app.command("groups")
def groups_command(
    edges: EdgesOption = None, nodes: NodesOption = None, directed: DirectedOption = False,
    seed: SeedOption = 0, as_json: JsonOption = False,
    since: SinceOption = None, until: UntilOption = None,
) -> None:
    """Crime groups (Leiden), named by their most central members and main location."""
    with user_errors():
        network = load(edges, nodes, directed, since, until)
        with err.status("finding groups"):
            found = analyse(network, DETECTED, seed).groups
    if as_json:
        print_json({"modularity": found.modularity, "seed": found.seed,
                     "groups": [vars(group) for group in found.groups]})
        return
    table = _table(f"{len(found.groups)} groups, modularity {found.modularity:.3f} "
                   f"(seed {seed})", "group", "size", "name", "locations", "roles")
    for group in found.groups:
        table.add_row(group.id, str(group.size), group.name,
                      ", ".join(f"{k} ({v})" for k, v in group.locations),
                      ", ".join(f"{k} ({v})" for k, v in group.roles))
    console.print(table)


@network_app.command("plan")
def plan_command(
    k: Annotated[int, typer.Option("--k", help="How many arrests to plan")],
    edges: EdgesOption = None, nodes: NodesOption = None, directed: DirectedOption = False,
    strategy: Annotated[str, typer.Option(help="; ".join(
        f"{name}: {text}" for name, text in STRATEGY_HELP.items()))] = "betweenness",
    mode: Annotated[str, typer.Option(
        help="sequential (re-rank after each arrest) or block (raids)")] = "sequential",
    block: Annotated[int, typer.Option(help="People per raid in block mode")] = 5,
    rewire: Annotated[bool, typer.Option(
        "--rewire", help="Let the network heal after each arrest (and show the unhealed "
        "curve for comparison)")] = False,
    rewire_p: Annotated[float, typer.Option(help="Chance each lost tie is re-formed")] = 1.0,
    tiebreak: Annotated[str, typer.Option(
        help="Equal scores: 'input' (later in the file first) or 'id' (larger id first)")
    ] = "input",
    seed: SeedOption = 0, as_json: JsonOption = False,
    since: SinceOption = None, until: UntilOption = None,
) -> None:
    """Simulate arrests and report the largest connected component after each."""
    with user_errors():
        network = load(edges, nodes, directed, since, until)
        with err.status("simulating arrests"):
            result = plan(network, k, strategy, mode, block, rewire, rewire_p, tiebreak, seed)
    if as_json:
        print_json(result.to_dict())
        return
    columns = ["step", "raid", "id", "label", "score", "ties", "LCC after",
               "evidence (or contacts)"]
    table = _table(f"{strategy} plan, {mode} (LCC at start: {result.lcc_start} people)",
                   *columns)
    for target in result.targets:
        table.add_row(str(target.step), str(target.raid), target.id, target.label,
                      f"{target.score:.4g}", str(target.ties), f"{target.lcc_after:.3f}",
                      ", ".join(target.evidence[:5] or target.contacts[:5]))
    console.print(table)
    console.print("LCC curve: " + " ".join(f"{v:.3f}" for v in result.curve))
    if result.baseline_curve is not None:
        console.print("without healing: " + " ".join(f"{v:.3f}" for v in result.baseline_curve))
    console.print(f"fragmentation after the plan: {result.fragmentation:.3f}")
    for note in result.notes:
        console.print(f"note: {note}")


@network_app.command("path")
def path_command(
    a: Annotated[str, typer.Argument(help="From this node id")],
    b: Annotated[str, typer.Argument(help="To this node id")],
    edges: EdgesOption = None, nodes: NodesOption = None, directed: DirectedOption = False,
    k: Annotated[int, typer.Option("--k", help="How many shortest paths")] = 1,
    weighted: Annotated[bool, typer.Option(help="Strong ties count as short")] = False,
    time_order: Annotated[bool, typer.Option(
        "--time-order", help="Only paths whose hops happen in date order")] = False,
    as_json: JsonOption = False, since: SinceOption = None, until: UntilOption = None,
) -> None:
    """Shortest paths between two people, with the evidence for every hop."""
    with user_errors():
        network = load(edges, nodes, directed, since, until)
        found = shortest_paths(network, a, b, k, weighted, time_order)
        if not found:
            raise NetworkError(f"no {'time-ordered ' if time_order else ''}path from {a} to {b}")
    if as_json:
        print_json([path.to_dict() for path in found])
        return
    for number, path in enumerate(found, start=1):
        console.print(f"path {number}: " + " -> ".join(path.labels) + f" (cost {path.cost:g})")
        for hop in path.hops:
            when = f" on {hop.when}" if hop.when else ""
            detail = "; ".join(
                f"{link.type} x{link.weight:g}"
                + (f" [{', '.join(link.evidence)}]" if link.evidence else "")
                + (f" {link.first_seen}" if link.first_seen else "") for link in hop.links)
            console.print(f"  {hop.source} - {hop.target}{when}: {detail}")


@network_app.command("export")
def export_command(
    edges: EdgesOption = None, nodes: NodesOption = None, directed: DirectedOption = False,
    fmt: Annotated[str, typer.Option("--format", help="graphml, gexf or csv")] = "graphml",
    out: Annotated[Path | None, typer.Option(
        help="Output file (a folder for csv; default: standard output)")] = None,
    measures: Annotated[bool, typer.Option(
        help="Add group, kingpin score and its ingredients to each node")] = True,
    seed: SeedOption = 0, since: SinceOption = None, until: UntilOption = None,
) -> None:
    """Export the network, with its measures, for Gephi or a spreadsheet."""
    with user_errors():
        if fmt not in FORMATS:
            raise NetworkError(f"unknown format {fmt!r}; choose graphml, gexf or csv")
        network = load(edges, nodes, directed, since, until)
        extra: dict[str, list[Any]] = {}
        if measures:
            result = analyse(network, DETECTED, seed)
            extra["group"] = list(result.groups.labels())
            extra["kingpin"] = result.scores.score.tolist()
            extra.update({name: values.tolist()
                          for name, values in result.scores.values.items()})
        _export(network, fmt, out, extra)


def _export(network: Network, fmt: str, out: Path | None, extra: dict[str, list[Any]]) -> None:
    if fmt == "csv":
        if out is None:
            write_edges_csv(network, sys.stdout)
            return
        paths = write_csv(network, out, extra)
        err.print(f"wrote {', '.join(str(p) for p in paths)}")
        return
    writer = write_graphml if fmt == "graphml" else write_gexf
    if out is None:
        writer(network, sys.stdout, extra)
        return
    with out.open("w", encoding="utf-8") as handle:
        writer(network, handle, extra)
    err.print(f"wrote {out}")
