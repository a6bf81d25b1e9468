"""`pinchpoint network ...`: thin Typer wrappers around `pinchpoint.network`.

Every command runs on a plain graph given with `--edges FILE` (so results can be checked
on published networks) or, without it, on the workspace's network: the resolved
entities the reader's scope sees (`--workspace`, `--agency`), projected by
`pinchpoint.network.project`, optionally sliced to `--since` / `--until`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from pinchpoint.cli.common import (
    USER_ERRORS,
    Session,
    WideOption,
    console,
    err,
    open_session,
    print_json,
    user_errors,
)
from pinchpoint.cli.money import RatesOption
from pinchpoint.cli.tables import (
    Column,
    Fitted,
    fit,
    label_columns,
    limited,
    named,
    print_fitted,
    print_indented,
    short_ids,
)
from pinchpoint.money import RatesError, chosen_rates
from pinchpoint.network import (
    STRATEGY_HELP,
    Network,
    NetworkError,
    Signals,
    analyse,
    gather,
    plan,
    rank,
    read_edges,
    read_nodes,
    shortest_paths,
)
from pinchpoint.network.analysis import DETECTED, Analysis
from pinchpoint.network.disruption import Plan, Target
from pinchpoint.network.evidence import Evidence, describe_evidence, varied
from pinchpoint.network.export import FORMATS, write_csv, write_edges_csv, write_gexf, write_graphml
from pinchpoint.network.kingpin import Ranked, describe
from pinchpoint.network.paths import Hop
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
         "kcore": "core", "money": "money", "leadership": "lead"}
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON")]
SinceOption = Annotated[datetime | None, typer.Option(
    "--since", formats=["%Y-%m-%d"],
    help="Workspace network: only ties dated on or after this day (undated ties are kept)")]
UntilOption = Annotated[datetime | None, typer.Option(
    "--until", formats=["%Y-%m-%d"],
    help="Workspace network: only ties dated on or before this day (undated ties are kept)")]
EVIDENCE = 3  # described pieces of evidence per plan step or hop (--wide: all)


def load(edges: Path | None, nodes: Path | None, directed: bool,
         since: datetime | None = None, until: datetime | None = None,
         session: Session | None = None) -> Network:
    """The plain graph of `--edges` (with `--nodes`), or the workspace's network (read
    in `session` when the command holds one); a bad file or an unresolved workspace ends
    the command with one sentence."""
    with user_errors():
        return _read(edges, nodes, directed, since, until, session)


def _read(edges: Path | None, nodes: Path | None, directed: bool,
          since: datetime | None, until: datetime | None, session: Session | None) -> Network:
    if edges is None:
        return workspace_network(since.date() if since else None,
                                 until.date() if until else None, session)
    if since is not None or until is not None:
        raise NetworkError("--since and --until slice the workspace network; "
                           "they do not apply to --edges")
    network = read_edges(edges, directed=directed)
    if nodes is not None:
        read_nodes(nodes, network)
    return network


def workspace_network(since: date | None, until: date | None,
                      session: Session | None = None) -> Network:
    """The resolved workspace's network, as the reader's scope sees it (in `session`,
    else in a session of its own)."""
    if session is not None:
        return project(session.store, session.scope, since, until)
    with open_session(read_only=True) as s:
        return project(s.store, s.scope, since, until)


@contextmanager
def workspace_session(edges: Path | None) -> Iterator[Session | None]:
    """One read-only session (its read logged) for a command that reads the workspace
    network and then describes its evidence, so the store is opened once; None for a
    plain graph (`--edges`)."""
    if edges is not None:
        yield None
        return
    with ExitStack() as stack:
        with user_errors():  # no workspace here: one sentence, exit status 2
            s = stack.enter_context(open_session(read_only=True))
        yield s


def analysed(network: Network, across: str, seed: int, doing: str,
             signals: Signals | None = None) -> tuple[Network, Analysis]:
    """The network and its analysis (groups, then scores), with a spinner saying what is
    being done; expected failures end the command with one sentence."""
    with user_errors(), err.status(doing):
        return network, analyse(network, across, seed, signals)


def business_signals(session: Session | None, rates: Path | None) -> Signals | None:
    """The money and call direction the reader's scope sees (None on a plain graph)."""
    if session is None:
        return None
    with user_errors((*USER_ERRORS, RatesError)), err.status("reading money and calls"):
        return gather(session.store, session.scope, chosen_rates(session.workspace.path,
                                                                 rates))


@network_app.command("rank")
def rank_command(
    edges: EdgesOption = None, nodes: NodesOption = None, directed: DirectedOption = False,
    top: Annotated[int, typer.Option(help="How many people to list")] = 20,
    across: Annotated[str, typer.Option(
        help="Brokerage across detected 'groups' or a node attribute (location, role...)")
    ] = DETECTED,
    seed: SeedOption = 0, as_json: JsonOption = False,
    since: SinceOption = None, until: UntilOption = None, wide: WideOption = False,
    rates: RatesOption = None,
) -> None:
    """Rank people by the kingpin score, each ingredient shown (victims never listed).
    On the workspace, the money kept and the head-of-group score join the structural
    ingredients, and each person's suggested role shows beside the broker role."""
    with workspace_session(edges) as s:
        network = load(edges, nodes, directed, since, until, session=s)
        signals = business_signals(s, rates)
    network, result = analysed(network, across, seed, "measuring the network", signals)
    with user_errors():
        ranked = rank(network, result.scores, top, result.groups.labels(),
                      result.suggested_roles())
    if as_json:
        print_json([entry.to_dict() for entry in ranked])
        return
    names = list(result.scores.weights)
    title = f"kingpin score ({network.n} nodes, {network.m} links)"
    print_fitted(console, _rank_fitted(title, network, ranked, names, wide))
    info = describe(result.scores, ranked, network)
    weights = ", ".join(f"{name} {weight:.2f}" for name, weight in info["weights"].items())
    console.print(f"ingredients scaled to 0-1 by their 99.9th percentile; weights: {weights} "
                  f"({', '.join(f'{v} = {k}' for k, v in SHORT.items())})")
    console.print(f"betweenness: {info['betweenness']}; brokerage across {across}")


def _rank_fitted(title: str, network: Network, ranked: list[Ranked], names: list[str],
                 wide: bool) -> Fitted:
    """One line per person: label, short id, score and context first, then as many
    ingredients as the terminal has room for (all of them, and full ids, if `wide`)."""
    who, cells, shortened = label_columns(network.ids, [(e.id, e.label) for e in ranked], wide)
    columns = [Column("#", justify="right"), *who, Column("score", justify="right"),
               Column("group", 1), Column("role", 2), Column("suggested", 2),
               Column("broker", 3),
               *(Column(SHORT.get(name, name), 4 + k, justify="right")
                 for k, name in enumerate(names))]
    rows = [[str(entry.rank), *cell, f"{entry.score:.3f}", entry.group or "",
             entry.role or "", entry.suggested_role or "", entry.broker_role or "",
             *(f"{entry.ingredients[name].scaled:.2f}" for name in names)]
            for entry, cell in zip(ranked, cells, strict=True)]
    return fit(title, columns, rows, None if wide else console.width, shortened)


@network_app.command("groups")
def groups_command(
    edges: EdgesOption = None, nodes: NodesOption = None, directed: DirectedOption = False,
    seed: SeedOption = 0, as_json: JsonOption = False,
    since: SinceOption = None, until: UntilOption = None, wide: WideOption = False,
    rates: RatesOption = None,
) -> None:
    """Crime groups (Leiden), named by their heads (`network leaders`) on the workspace,
    by their most central members on a plain graph, and by their main location."""
    with workspace_session(edges) as s:
        network = load(edges, nodes, directed, since, until, session=s)
        signals = business_signals(s, rates)
    found = analysed(network, DETECTED, seed, "finding groups", signals)[1].groups
    if as_json:
        print_json({"modularity": found.modularity, "seed": found.seed,
                     "groups": [vars(group) for group in found.groups]})
        return
    title = f"{len(found.groups)} groups, modularity {found.modularity:.3f} (seed {seed})"
    rows = [[group.id, str(group.size), group.name,
             ", ".join(f"{k} ({v})" for k, v in group.locations),
             ", ".join(f"{k} ({v})" for k, v in group.roles)] for group in found.groups]
    columns = [Column("group"), Column("size", justify="right"), Column("name", shrink=True),
               Column("locations", 1, True), Column("roles", 2, True)]
    print_fitted(console, fit(title, columns, rows, None if wide else console.width))


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
    since: SinceOption = None, until: UntilOption = None, wide: WideOption = False,
) -> None:
    """Simulate arrests and report the largest connected component after each."""
    with user_errors(), workspace_session(edges) as s:
        network = load(edges, nodes, directed, since, until, s)
        with err.status("simulating arrests"):
            result = plan(network, k, strategy, mode, block, rewire, rewire_p, tiebreak, seed)
        cited = [] if as_json else [t.evidence for t in result.targets]
        described = workspace_evidence(s, network, cited)
    if as_json:
        print_json(result.to_dict())
        return
    title = f"{strategy} plan, {mode} (LCC at start: {result.lcc_start} people)"
    print_fitted(console, _plan_fitted(title, network, result, wide))
    _print_grounds(network, result.targets, described, wide)
    console.print("LCC curve: " + " ".join(f"{v:.3f}" for v in result.curve))
    if result.baseline_curve is not None:
        console.print("without healing: " + " ".join(f"{v:.3f}" for v in result.baseline_curve))
    console.print(f"fragmentation after the plan: {result.fragmentation:.3f}")
    for note in result.notes:
        console.print(f"note: {note}")


def _plan_fitted(title: str, network: Network, result: Plan, wide: bool) -> Fitted:
    """One line per arrest: step, who (label first), score, ties and what is left."""
    people = [(t.id, t.label) for t in result.targets]
    who, cells, shortened = label_columns(network.ids, people, wide)
    raids = wide or result.mode == "block"
    columns = [Column("step", justify="right"), *([Column("raid", 1)] if raids else []), *who,
               Column("score", justify="right"), Column("ties", 2, justify="right"),
               Column("LCC after", justify="right")]
    rows = [[str(t.step), *([str(t.raid)] if raids else []), *cell, f"{t.score:.4g}",
             str(t.ties), f"{t.lcc_after:.3f}"]
            for t, cell in zip(result.targets, cells, strict=True)]
    return fit(title, columns, rows, None if wide else console.width, shortened)


def _print_grounds(network: Network, targets: list[Target],
                   described: list[list[Evidence]] | None, wide: bool) -> None:
    """Under the table, each arrest's grounds: the evidence its ties rest on, described
    (a workspace network), else a plain graph's own evidence ids, else its contacts.
    `wide`: all of them, with full ids and the statement ids behind each description."""
    limit = None if wide else EVIDENCE
    more = "" if wide else f" (up to {limit} each; --wide shows all)"
    console.print(("evidence" if described is not None else "ties") + more + ":")
    short = {t.id: t.id for t in targets} if wide else short_ids(
        (t.id for t in targets), network.ids)
    for n, target in enumerate(targets):
        head = f"{target.step}. {named(target.id, target.label, short)}"
        if described is not None:
            console.print(head)
            print_indented(console, _texts(described[n], wide), limit, 3)
        elif target.evidence:
            console.print(f"{head}: evidence {', '.join(target.evidence)}")
        else:
            contacts = [network.label(network.index(c)) for c in target.contacts]
            console.print(f"{head}: contacts {', '.join(limited(contacts, limit))}")


def _texts(described: list[Evidence], wide: bool) -> list[str]:
    """Evidence as sentences, different ties first; `wide` adds the statement ids each
    one rests on."""
    return [e.text + (f" [{', '.join(e.statement_ids)}]" if wide else "")
            for e in varied(described)]


def workspace_evidence(session: Session | None, network: Network, cited: list[list[str]]
                       ) -> list[list[Evidence]] | None:
    """The cited statements of a workspace network, described through the reader's
    scope in the command's `session` (`pinchpoint.network.evidence`); None for a plain
    graph (`--edges`, no session), whose evidence ids are the user's own and are shown
    as they are."""
    if session is None:
        return None
    if not any(cited):
        return [[] for _ in cited]
    return describe_evidence(session.store, session.scope, network, cited)


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
    wide: WideOption = False,
) -> None:
    """Shortest paths between two people, with the evidence for every hop.

    A and B are node ids, or the start of one (the short ids the tables print)."""
    with user_errors(), workspace_session(edges) as s:
        network = load(edges, nodes, directed, since, until, s)
        a, b = network.find(a), network.find(b)
        found = shortest_paths(network, a, b, k, weighted, time_order)
        if not found:
            raise NetworkError(f"no {'time-ordered ' if time_order else ''}path from {a} to {b}")
        hops = [] if as_json else [hop for path in found for hop in path.hops]
        described = workspace_evidence(
            s, network, [[i for link in hop.links for i in link.evidence] for hop in hops])
    if as_json:
        print_json([path.to_dict() for path in found])
        return
    short = None if wide else short_ids({n for path in found for n in path.nodes}, network.ids)
    grounds = iter(described or [])
    for number, path in enumerate(found, start=1):
        console.print(f"path {number}: " + " -> ".join(path.labels) + f" (cost {path.cost:g})")
        for hop in path.hops:
            _print_hop(network, hop, short, described is None)
            if described is not None:
                print_indented(console, _texts(next(grounds), wide), None if wide else EVIDENCE,
                               6)


def _print_hop(network: Network, hop: Hop, short: dict[str, str] | None,
               evidence_ids: bool) -> None:
    """One hop: its two people (label and short id, or with `--wide` the full id, on one
    line however long), its links, and their evidence ids unless described under it."""
    when = f" on {hop.when}" if hop.when else ""
    detail = "; ".join(
        f"{link.type} x{link.weight:g}"
        + (f" [{', '.join(link.evidence)}]" if link.evidence and evidence_ids else "")
        + (f" {link.first_seen}" if link.first_seen else "") for link in hop.links)
    ends = [hop.source, hop.target] if short is None else [
        named(node, network.label(network.index(node)), short)
        for node in (hop.source, hop.target)]
    console.print(f"  {ends[0]} - {ends[1]}{when}: {detail}", soft_wrap=short is None)


@network_app.command("export")
def export_command(
    edges: EdgesOption = None, nodes: NodesOption = None, directed: DirectedOption = False,
    fmt: Annotated[str, typer.Option("--format", help="graphml, gexf or csv")] = "graphml",
    out: Annotated[Path | None, typer.Option(
        help="Output file (a folder for csv; default: standard output)")] = None,
    measures: Annotated[bool, typer.Option(
        help="Add group, kingpin score and its ingredients to each node")] = True,
    seed: SeedOption = 0, since: SinceOption = None, until: UntilOption = None,
    rates: RatesOption = None,
) -> None:
    """Export the network, with its measures (those of `network rank`), for Gephi or a
    spreadsheet."""
    with user_errors():
        if fmt not in FORMATS:
            raise NetworkError(f"unknown format {fmt!r}; choose graphml, gexf or csv")
    with workspace_session(edges) as s:
        network = load(edges, nodes, directed, since, until, session=s)
        signals = business_signals(s, rates) if measures else None
    with user_errors():
        extra: dict[str, list[Any]] = {}
        if measures:
            result = analyse(network, DETECTED, seed, signals)
            extra["group"] = list(result.groups.labels())
            extra["kingpin"] = result.scores.score.tolist()
            extra.update({name: values.tolist()
                          for name, values in result.scores.values.items()})
            if result.leaders:
                suggested = result.suggested_roles()
                extra["suggested_role"] = [suggested.get(i) or "" for i in network.ids]
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
