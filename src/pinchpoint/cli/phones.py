"""`pinchpoint phones ...`: thin Typer wrappers around `pinchpoint.phones`.

Every command reads the seized phones' extractions the reader's scope sees and is
logged as a consultation like every read (docs/phones.md).
"""

from __future__ import annotations

from typing import Annotated

import typer

from pinchpoint.cli.common import REFUSALS, JsonOption, console, print_json, session, table
from pinchpoint.phones import LIMIT, MIN_DEVICES, Commonality, common, devices

phones_app = typer.Typer(help="Seized phones: the numbers found on many devices.",
                         no_args_is_help=True)


@phones_app.command("common")
def common_command(
    min_devices: Annotated[int, typer.Option(
        "--min-devices", min=1, help="Only identifiers found on at least this many devices")
    ] = MIN_DEVICES,
    limit: Annotated[int, typer.Option("--top", min=1, help="How many to list")] = LIMIT,
    as_json: JsonOption = False,
) -> None:
    """The numbers, e-mail addresses and handles found on many seized phones, most devices
    first, with the names they were saved under and when they were contacted. Numbers a
    record gives to a victim or witness are never ranked (counted, or listed as disputed
    where another record calls their holder a suspect)."""
    with session(read_only=True, kinds=REFUSALS) as s:
        found = common(s.store, s.scope, min_devices, limit)
    if as_json:
        print_json(found.as_dict())
        return
    _print_common(found)


def _print_common(found: Commonality) -> None:
    listed = table(f"found on {found.min_devices} devices or more: {found.candidates} "
                   f"identifiers, top {len(found.ranked)}", "identifier", "devices",
                   "arrivals", "contacts", "before seizure", "first", "last", "saved as",
                   right=("devices", "arrivals", "contacts", "before seizure"))
    for c in found.ranked:
        names = ", ".join(dict.fromkeys(n.name for n in c.names[:4]))
        before = f"{c.before_seizure} of {c.dated_devices}" if c.dated_devices else "-"
        listed.add_row(c.identifier, str(c.devices), str(c.arrival_devices), str(c.contacts),
                       before, (c.first_contact or "-")[:10], (c.last_contact or "-")[:10],
                       names)
    console.print(listed)
    if found.protected:
        console.print(f"{found.protected} held by victims or witnesses: not ranked")
    for d in found.disputed:
        console.print(f"disputed, not ranked: {d.identifier} on {d.devices} devices, a "
                      f"victim or witness for {', '.join(d.protected_by)}, a suspect for "
                      f"{', '.join(d.accused_by)}")


@phones_app.command("devices")
def devices_command(
    identifier: Annotated[str, typer.Argument(help="A number (E.164), e-mail or handle")],
    as_json: JsonOption = False,
) -> None:
    """The seized devices an identifier was found on (agency/extraction file), each with
    the day it was seized where the extraction says."""
    with session(read_only=True, kinds=REFUSALS) as s:
        found = devices(s.store, s.scope, identifier)
    if as_json:
        print_json([{"device": d, "seized_at": day} for d, day in found])
        return
    listed = table(f"{identifier}: on {len(found)} devices", "device", "seized")
    for device, day in found:
        listed.add_row(device, day or "-")
    console.print(listed)
