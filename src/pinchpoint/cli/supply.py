"""`pinchpoint supply ...`: thin Typer wrappers around `pinchpoint.supply`.

Every command links the rows the reader's scope sees that name serial numbers (with
the scope's last resolution for who is who) and is logged as a consultation like every
read; a record the reader cannot see links nothing. docs/supply.md.
"""

from __future__ import annotations

from typing import Annotated

import typer

from pinchpoint.cli.common import REFUSALS, JsonOption, console, print_json, session, table
from pinchpoint.supply import (
    ItemChain,
    Supply,
    chains,
    disputed,
    hubs,
    hubs_report,
    lead_times,
    legs,
    link,
    makes_over_time,
    plan,
    serial_key,
)

supply_app = typer.Typer(help="The supply chain: seized boats and engines linked by serial "
                         "number, supplier hubs, and what to disrupt.", no_args_is_help=True)
TopOption = Annotated[int, typer.Option("--top", min=1, help="How many to list")]


def _linked() -> Supply:
    with session(read_only=True, kinds=REFUSALS) as s:
        return link(s.store, s.scope)


def _select(supply: Supply, kind: str | None, serial: str | None, every: bool
            ) -> list[ItemChain]:
    found = chains(supply, kind, linked_only=not every and serial is None)
    if serial is not None:
        key = serial_key(serial)
        found = [c for c in found if c.id.endswith(f":{key}")]
    return found


@supply_app.command("chains")
def chains_command(
    kind: Annotated[str | None, typer.Option(
        "--kind", help="Only items of this kind (boat, engine, ...)")] = None,
    serial: Annotated[str | None, typer.Option(
        "--serial", help="Only the item with this serial number (any spacing or case)")
                      ] = None,
    every: Annotated[bool, typer.Option(
        "--all", help="Also seized items no other record names")] = False,
    top: TopOption = 20,
    as_json: JsonOption = False,
) -> None:
    """Each seized item with every record that names its serial (sale, import, storage,
    vehicle check, other seizures) and the people and companies those records name."""
    supply = _linked()
    found = _select(supply, kind, serial, every)
    if as_json:
        print_json({"items": len(found), "chains": [c.as_dict() for c in found[:top]],
                    "legs": [leg.as_dict() for leg in legs(found)]})
        return
    listed = table(f"seized items and what names them ({len(found)})", "item", "serial",
                   "seized", "named by", "suppliers")
    for c in found[:top]:
        seized = "; ".join(f"{s.date} {s.place.text}" for s in c.seizures)
        named = ", ".join(f"{s.kind} {s.ref}" for s in c.links)
        listed.add_row(f"{c.kind} {c.make} {c.model}".strip(), c.serial, seized, named,
                       ", ".join(h.label for h in c.suppliers()))
    console.print(listed)


@supply_app.command("hubs")
def hubs_command(top: TopOption = 10, as_json: JsonOption = False) -> None:
    """Suppliers ranked by how many seized items they are upstream of (then seizures,
    countries, buyers); makes and models over time; days from import to seizure."""
    supply = _linked()
    if as_json:
        print_json(hubs_report(supply, top))
        return
    listed = table("supplier hubs", "supplier", "seized items", "seizures", "countries",
                   "buyers", "items", right=("seized items", "seizures", "buyers", "items"))
    for h in hubs(supply, top):
        listed.add_row(h.label, str(len(h.seized_items)), str(len(h.seizures)),
                       ", ".join(sorted(h.countries)), str(len(h.buyers)), str(len(h.items)))
    console.print(listed)
    lead = lead_times(supply)
    if lead.items:
        console.print(f"import to seizure: median {lead.median:.0f} days over {lead.items} "
                      f"items ({lead.shortest} to {lead.longest})")
    totals: dict[tuple[str, str, str], int] = {}
    for m in makes_over_time(supply):
        totals[(m.kind, m.make, m.model)] = totals.get((m.kind, m.make, m.model), 0) + m.count
    makes = table("seized makes and models", "kind", "make", "model", "items",
                  right=("items",))
    for (kind, make, model), n in sorted(totals.items(), key=lambda x: -x[1])[:top]:
        makes.add_row(kind, make, model, str(n))
    console.print(makes)
    for d in disputed(supply):
        console.print(f"disputed, not ranked: {d.label}, a victim or witness for "
                      f"{', '.join(d.protected_by)}, a suspect for {', '.join(d.accused_by)}")


@supply_app.command("plan")
def plan_command(
    steps: Annotated[int, typer.Option("--steps", min=1, max=50,
                                       help="How many disruptions to plan")] = 5,
    as_json: JsonOption = False,
) -> None:
    """Which supplier or storage site, disrupted, removes the most boats (then engines)
    from the chain: greedy, step by step, with the cumulative count."""
    found = plan(_linked(), steps)
    if as_json:
        print_json(found.as_dict())
        return
    listed = table(f"disruption plan ({found.boats} boats, {found.engines} engines known; "
                   f"{found.unreachable_boats} boats with no known supplier or site)",
                   "step", "target", "kind", "boats", "engines", "boats so far",
                   right=("step", "boats", "engines", "boats so far"))
    for s in found.steps:
        listed.add_row(str(s.rank), s.target.label, s.target.kind, str(s.boats),
                       str(s.engines), str(s.cumulative_boats))
    console.print(listed)
