"""`pinchpoint money ...`: thin Typer wrappers around `pinchpoint.money`.

Every command reads the payments the reader's scope sees, joined to the scope's last
resolution, and is logged as a consultation like every read. Amounts keep their
currency; totals use the rates given with `--rates FILE` (docs/money.md), or, without
one, only the most common currency (and say so).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

from pinchpoint.cli.common import (
    REFUSALS,
    JsonOption,
    ReasonOption,
    Session,
    console,
    print_json,
    session,
    table,
)
from pinchpoint.model.reader import Role
from pinchpoint.money import (
    FlowGraph,
    Rates,
    Trace,
    build,
    chosen_rates,
    party_money,
    save_rates,
    sinks,
    trace,
    trace_sinks,
)
from pinchpoint.money.trace import DEFAULT_HOPS, DEFAULT_TOLERANCE
from pinchpoint.money.typologies import TYPOLOGIES, Alert, Params, alerts, thresholds

money_app = typer.Typer(help="Follow the money: traces hop by hop, and who ends up with it.",
                        no_args_is_help=True)

RatesOption = Annotated[Path | None, typer.Option(
    "--rates", help="Exchange rates CSV (currency,to_base[,date,source]; docs/money.md) "
    "[default: the workspace's (`money rates`), else only the most common currency]")]
DayOption = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"])]
TopOption = Annotated[int, typer.Option("--top", min=1, help="How many to list")]


def _graph(s: Session, rates_file: Path | None) -> FlowGraph:
    return build(s.store, s.scope, chosen_rates(s.workspace.path, rates_file))


def _rates_line(rates: Rates) -> str:
    return f"amounts in {rates.base} ({rates.source})"


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _left_out(unconverted: int) -> None:
    """Say how many transfers a total left out for want of a rate (nothing when none)."""
    if unconverted:
        console.print(f"{unconverted} transfers in currencies without a rate are left out "
                      "(give --rates)")


@money_app.command("trace")
def trace_command(
    start: Annotated[str, typer.Option("--from", help="The party: an id, its start, or a name")],
    to: Annotated[str | None, typer.Option("--to", help="Only chains that reach this party")
                  ] = None,
    since: Annotated[datetime | None, typer.Option(
        "--since", formats=["%Y-%m-%d"], help="Only transfers on or after this day")] = None,
    until: Annotated[datetime | None, typer.Option(
        "--until", formats=["%Y-%m-%d"], help="Only transfers on or before this day")] = None,
    back: Annotated[bool, typer.Option(
        "--back", help="Where the money that reached the party came from")] = False,
    hops: Annotated[int, typer.Option("--hops", min=1, max=12, help="Hops to follow")
                    ] = DEFAULT_HOPS,
    tolerance: Annotated[float, typer.Option(
        "--tolerance", min=0.0, max=1.0, help="Share a hop may exceed what was held "
        "(fees, rounding, rates)")] = float(DEFAULT_TOLERANCE),
    rates: RatesOption = None,
    as_json: JsonOption = False,
) -> None:
    """Where money from a party went (or, with --back, came from), hop by hop in time
    order, each hop carrying no more than its sender held of the traced money."""
    with session(read_only=True, kinds=REFUSALS) as s:
        graph = _graph(s, rates)
        party = graph.find(start)
        target = graph.find(to) if to else None
        found = trace(graph, party, target, _day(since), _day(until),
                      "in" if back else "out", hops, Decimal(str(tolerance)))
    if as_json:
        print_json(_trace_json(graph, found))
        return
    _print_trace(graph, found)


def _day(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def _trace_json(graph: FlowGraph, found: Trace) -> dict[str, Any]:
    assert graph.rates is not None
    return {
        "start": found.start, "label": graph.label(found.start),
        "direction": found.direction, "base": found.base, "rates": graph.rates.source,
        "hops": [{"hop": hop, "carried": str(sum((s.carried for s in steps), Decimal(0))),
                  "steps": [s.as_dict(graph) for s in steps]}
                 for hop, steps in found.hops().items()],
        "held": [h.as_dict() for h in trace_sinks(graph, found, top=50)],
        "unconverted": len(found.unconverted),
    }


def _print_trace(graph: FlowGraph, found: Trace) -> None:
    assert graph.rates is not None
    way = "came to" if found.direction == "in" else "went from"
    console.print(f"where money {way} {graph.label(found.start)} "
                  f"({_rates_line(graph.rates)})")
    if not found.steps:
        console.print("no traced transfer")
    for hop, steps in found.hops().items():
        listed = table(f"hop {hop}: {_money(sum((s.carried for s in steps), Decimal(0)))}",
                       "date", "from", "to", "amount", "carried", "reference",
                       right=("amount", "carried"))
        for s in steps:
            t = s.transfer
            listed.add_row(t.day, graph.label(t.payer), graph.label(t.beneficiary),
                           f"{_money(t.amount)} {t.currency}", _money(s.carried),
                           t.reference or "")
        console.print(listed)
    held = trace_sinks(graph, found, top=10)
    if held:
        where = "came from" if found.direction == "in" else "held at the end"
        console.print(f"{where}: " + "; ".join(
            f"{label} {_money(amount)}" for _, label, amount in held))
    if found.unconverted:
        console.print(f"{len(found.unconverted)} transfers in currencies without a rate "
                      "carried nothing (give --rates)")


@money_app.command("sinks")
def sinks_command(
    start: Annotated[str | None, typer.Option(
        "--from", help="Where this party's traced money stopped [default: the whole scope]")
                     ] = None,
    top: TopOption = 20,
    rates: RatesOption = None,
    as_json: JsonOption = False,
) -> None:
    """Who ends up with the money: the parties that keep most of what they receive."""
    with session(read_only=True, kinds=REFUSALS) as s:
        graph = _graph(s, rates)
        if start is not None:
            held = trace_sinks(graph, trace(graph, graph.find(start)), top)
        else:
            found, unconverted = sinks(graph, top)
    assert graph.rates is not None
    if start is not None:
        if as_json:
            print_json([h.as_dict() for h in held])
            return
        listed = table(f"where the money from {start} stopped "
                       f"({_rates_line(graph.rates)})", "party", "amount", right=("amount",))
        for _, label, amount in held:
            listed.add_row(label, _money(amount))
        console.print(listed)
        return
    if as_json:
        print_json({"base": graph.rates.base, "rates": graph.rates.source,
                    "unconverted": unconverted, "sinks": [x.as_dict() for x in found]})
        return
    listed = table(f"who keeps the money ({_rates_line(graph.rates)})", "party", "kept",
                   "received", "sent", "payers", right=("kept", "received", "sent", "payers"))
    for x in found:
        listed.add_row(x.label, _money(x.kept), _money(x.received), _money(x.sent),
                       str(x.payers))
    console.print(listed)
    _left_out(unconverted)


@money_app.command("party")
def party_command(
    name: Annotated[str, typer.Argument(help="The party: an id, its start, or a name")],
    top: TopOption = 5,
    rates: RatesOption = None,
    as_json: JsonOption = False,
) -> None:
    """One party's money in and out (a profile's money) and whom it deals with most; an
    escrowed fee counts once."""
    with session(read_only=True, kinds=REFUSALS) as s:
        graph = _graph(s, rates)
        found = party_money(graph, graph.find(name), top)
    if as_json:
        print_json(found.as_dict())
        return
    assert graph.rates is not None
    console.print(f"{found.label}: received {_money(found.received)}, sent "
                  f"{_money(found.sent)}, keeps {_money(found.kept)} "
                  f"({found.payments_in} in, {found.payments_out} out, "
                  f"{found.first or '-'} to {found.last or '-'}; {_rates_line(graph.rates)})")
    listed = table("deals most with", "party", "received from", "sent to", "payments",
                   right=("received from", "sent to", "payments"))
    for c in found.counterparties:
        listed.add_row(c.label, _money(c.received), _money(c.sent), str(c.payments))
    console.print(listed)
    _left_out(found.unconverted)


@money_app.command("rates")
def rates_command(
    path: Annotated[Path | None, typer.Argument(
        help="A rates CSV to keep as the workspace's [default: show the workspace's]")] = None,
    reason: ReasonOption = "exchange rates for money totals",
) -> None:
    """Keep a rates file in the workspace: what `money` commands and the API add amounts
    up with when given no --rates (supervisors and administrators; logged)."""
    with session(read_only=path is None, kinds=REFUSALS) as s:
        if path is None:
            kept = chosen_rates(s.workspace.path, None)
        else:
            s.reader.require(Role.SUPERVISOR, Role.ADMINISTRATOR)
            kept = save_rates(s.workspace.path, path)
            s.record("alteration", f"exchange rates from {path.name}", reason,
                     detail={"base": kept.base, "currencies": kept.currencies()})
    if kept is None:
        console.print("no rates kept in the workspace: totals use the most common currency")
        return
    console.print(f"rates into {kept.base} for {', '.join(kept.currencies())} "
                  f"({kept.source})")


@money_app.command("alerts")
def alerts_command(
    typology: Annotated[list[str] | None, typer.Option(
        "--typology", help=f"Only these (repeat): {', '.join(TYPOLOGIES)}")] = None,
    threshold: Annotated[list[str] | None, typer.Option(
        "--threshold", help="A reporting threshold for structuring, CURRENCY=AMOUNT "
        "(repeat; replaces that currency's default: GBP, EUR and USD 1,000)")] = None,
    top: TopOption = 50,
    rates: RatesOption = None,
    as_json: JsonOption = False,
) -> None:
    """Laundering typologies in the payments the scope sees (docs/money.md): AMLworld's
    fans, scatter-gather, gather-scatter and cycles, structuring, hawala escrow releases
    and settlements; busy businesses that trade all year are not alerts."""
    with session(read_only=True, kinds=REFUSALS) as s:
        params = Params(thresholds=thresholds(threshold or []))
        found = alerts(_graph(s, rates), typology, params)[:top]
    if as_json:
        print_json([a.as_dict() for a in found])
        return
    _print_alerts(found)


def _print_alerts(found: list[Alert]) -> None:
    listed = table(f"{len(found)} alerts", "typology", "score", "dates", "total",
                   "grading", "why", right=("score", "total"))
    for a in found:
        listed.add_row(a.typology, f"{a.score:.2f}", f"{a.start} to {a.end}",
                       f"{_money(a.total)} {a.currency}",
                       f"{a.provenance['source_grade']}{a.provenance['info_grade']} "
                       f"{a.provenance['classification']}", a.why)
    console.print(listed)
