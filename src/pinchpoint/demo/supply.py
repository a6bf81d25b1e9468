"""Supply chains: boats and engines bought in Turkey or China, stored in Bulgaria or
Germany, driven in vans to the French coast, and seized along the way.

Each shipment is one chain (truth/supply_chains.csv) with the serial numbers of its
boats and engines; boats that get through stock the group's crossings, so a serial
seized on a beach leads back to the warehouse, the van and the supplier who paid. The
invoices, customs declarations, storage searches and vehicle checks that name those
serials are written by `supply_records` (its docstring says which public descriptions
each follows), from random streams of their own, so they change nothing here.
"""

from __future__ import annotations

import random
from datetime import date

from pinchpoint.demo.config import AGENCIES, RATES, agency_for
from pinchpoint.demo.context import Chain, Context, day_in, shift
from pinchpoint.demo.money import pay
from pinchpoint.demo.network import Group
from pinchpoint.demo.people import Person
from pinchpoint.demo.supply_records import Kit, write_records
from pinchpoint.demo.truth import Ref, Slot, slot_records

# (make, model, serial format) of the hulls and outboards found in seizures.
BOATS = (("unbranded", "grey inflatable 10m", "CN-HSN{n:05d}{m}{y}"),
         ("Seago", "Sprint 330", "CN-SGO{n:05d}{m}{y}"),
         ("Zodiac", "Pro 650", "FR-ZDC{n:05d}{m}{y}"),
         ("unbranded", "black inflatable 12m", "TR-IST{n:05d}{m}{y}"))
ENGINES = (("Yamaha", "F40FETL", "6BG-{n:07d}"), ("Tohatsu", "MFS40", "Q4012-{n:05d}"),
           ("Suzuki", "DF40A", "04004F-{n:06d}"), ("Parsun", "F40BWS", "PS40-{n:06d}"),
           ("Hidea", "HDF40", "HD40-{n:06d}"), ("Mercury", "40 ELPT", "2B{n:06d}"))
STORES = {"bg": ("Sofia", "warehouse, Iliyantsi industrial zone, Sofia"),
          "de": ("Osnabrück", "lorry park, Fürstenauer Weg, Osnabrück")}
ROUTES = {("tr", "bg"): "Istanbul - Kapitan Andreevo - Sofia",
          ("cn", "bg"): "Ningbo - Burgas port - Sofia",
          ("cn", "de"): "Ningbo - Hamburg port - Osnabrück",
          ("tr", "de"): "Istanbul - Sofia - Vienna - Osnabrück"}
VANS = (("Ford", "Transit"), ("Mercedes-Benz", "Sprinter"), ("Renault", "Master"),
        ("Volkswagen", "Crafter"))
AGENCY_NAMES = {"PAF-FR": "Police aux Frontières", "BKA-DE": "Bundespolizei",
                "POLICE-BE": "Police fédérale", "EUROPOL": "GDBOP (Bulgaria)"}


def _plate(rng: random.Random, country: str) -> str:
    letters = "ABCEHKMOPTX"
    if country == "bg":
        return (f"CB {rng.randrange(1000, 10000)} "
                f"{rng.choice(letters)}{rng.choice(letters)}")
    return f"OS-{rng.choice(letters)}{rng.choice(letters)} {rng.randrange(100, 10000)}"


def month(ctx: Context, group: Group, rng: random.Random) -> None:
    """A shipment now and then; beach stock tops up the crossings to come."""
    year, mon = ctx.ym
    if rng.random() < RATES.shipments * ctx.rate:
        shipment(ctx, group, rng, day_in(rng, year, mon, 1, 20))


def _supplier(ctx: Context, group: Group, rng: random.Random) -> Person:
    """The group's own supplier, or one who sells to a partner group: a few suppliers
    equip several networks, which is what makes them worth disrupting."""
    if rng.random() < 0.35:
        partners = [g for g in ctx.world.groups if g.id in group.partners] or (
            ctx.world.groups if rng.random() < 0.3 else [])
        if partners:
            return rng.choice(partners).pick(rng, "supplier")
    return group.pick(rng, "supplier")


def shipment(ctx: Context, group: Group, rng: random.Random, day: date) -> Chain:
    supplier = _supplier(ctx, group, rng)
    origin = "tr" if rng.random() < 0.5 else "cn"
    storage = "bg" if rng.random() < 0.5 else "de"
    drivers = [p for p in group.role("driver") if p.country in (storage, "be", "fr")]
    driver = rng.choice(drivers or group.role("driver") or group.role("lieutenant"))
    n = rng.randint(2, 6)
    boat_make = rng.choice(BOATS)
    engine_make = rng.choice(ENGINES)
    vehicle = ctx.ids.next("V")
    make, model = rng.choice(VANS)
    plate = _plate(rng, storage)
    ctx.truth.obj(vehicle, "vehicle", f"{make} {model} {plate}", driver.id,
                  ";".join(driver.groups))
    chain = Chain(ctx.ids.next("S"), group.id, supplier, origin, ROUTES[(origin, storage)],
                  STORES[storage][1], driver, vehicle,
                  [ctx.ids.next("B") for _ in range(n)], [ctx.ids.next("E") for _ in range(n)],
                  n * rng.randint(40, 60))
    ctx.chains[chain.id] = chain
    serials = {}
    for ident in chain.boats:
        serial = boat_make[2].format(n=rng.randrange(10**5), m="ABCDEFGHIJKL"[day.month - 1],
                                     y=str(day.year)[-1] + str(day.year)[-2:])
        serials[ident] = (boat_make[0], boat_make[1], serial)
        ctx.truth.obj(ident, "boat", f"{boat_make[0]} {boat_make[1]} {serial}", supplier.id,
                      group.id)
    for ident in chain.engines:
        serial = engine_make[2].format(n=rng.randrange(10**5, 10**6))
        serials[ident] = (engine_make[0], engine_make[1], serial)
        ctx.truth.obj(ident, "engine", f"{engine_make[0]} {engine_make[1]} {serial}",
                      supplier.id, group.id)
    ctx.serials.update(serials)
    ctx.boat_chain.update(dict.fromkeys(chain.boats, chain.id))
    lieutenant = group.pick(rng, "lieutenant")
    for a, b in ((supplier, lieutenant), (supplier, driver), (driver, lieutenant)):
        ctx.world.tie(a, b, "supply")
    price = n * rng.randrange(6_000, 11_000, 500)
    chain.slots += pay(ctx, rng, group, "supplier_payment", day, lieutenant, supplier, price,
                       "EUR", f"{n} boats + {n} engines" if rng.random() < 0.5 else "")
    chain.slots += pay(ctx, rng, group, "driver_payment", shift(day, 5), lieutenant, driver,
                       rng.randrange(400, 1_500, 50), "EUR", "transport")
    where = ""
    if rng.random() < RATES.shipment_seized:
        where = "storage" if rng.random() < 0.5 else "transit"
        agency = agency_for(storage) if where == "storage" else rng.choice(("POLICE-BE",
                                                                            "PAF-FR"))
        place = STORES[storage][1] if where == "storage" else {
            "POLICE-BE": "E40 motorway, parking Jabbeke", "PAF-FR": "A16 near Calais"}[agency]
        country = storage if where == "storage" else AGENCIES[agency].country
        items = [(b, "boat", 1) for b in chain.boats] + [(e, "engine", 1) for e in chain.engines]
        items.append((f"L{chain.id[1:]}", "lifejackets", chain.lifejackets))
        items.append((vehicle, "other", 1))
        chain.slots += _seize(ctx, rng, chain, shift(day, rng.randint(3, 8)), agency, place,
                              country, items, {vehicle: ("van", f"{make} {model}", plate)})
    else:
        stock = ctx.stock.setdefault(group.id, [])
        stock.extend(zip(chain.boats, chain.engines, [chain.id] * n, strict=True))
    kit = [(i, "boat" if i in chain.boats else "engine", *serials[i])
           for i in (*chain.boats, *chain.engines)]
    write_records(ctx, Kit(chain, kit, day, lieutenant, (make, model, plate), where))
    return chain


def _seize(ctx: Context, rng: random.Random, chain: Chain | None, day: date, agency: str,
           place: str, country: str, items: list[tuple[str, str, int]],
           extra: dict[str, tuple[str, str, str]]) -> list[Slot]:
    """A seizure: one row per item in the agency's seizure log for the year."""
    name = f"{agency.lower()}_seizures_{day.year}.csv"
    sink = ctx.sources.csv(f"seizures:{agency}:{day.year}", agency, "seizures", name,
                           source=name[:-4], reason="Seizures of small-boat equipment",
                           region=None)
    seizure = ctx.ids.next("Z")
    ref = f"{agency.split('-')[0]}-SZ-{day.year}-{ctx.next_seq('sz:' + agency):04d}"
    ctx.truth.obj(seizure, "seizure", f"{ref} at {place}", "", chain.group if chain else "")
    if chain is not None:
        chain.seizures.append(seizure)
    country_name = {"fr": "France", "de": "Germany", "be": "Belgium", "bg": "Bulgaria"}.get(
        country, country.upper())
    slots = []
    for ident, kind, quantity in items:
        make, model, serial = ctx.serials.get(ident) or extra.get(ident) or ("", "", "")
        if kind == "lifejackets":
            ctx.truth.obj(ident, "lifejackets", f"{quantity} life jackets", "",
                          chain.group if chain else "")
        if kind == "fuel":
            make, model = "", "jerrycans"
        row = {"seizure_ref": ref, "date": day.isoformat(), "place": place,
               "country": country_name if rng.random() < 0.7 else country.upper(),
               "seizing_agency": AGENCY_NAMES.get(agency, agency), "item_kind":
               "life jackets" if kind == "lifejackets" and rng.random() < 0.5 else kind,
               "make": make, "model": model, "serial_number": serial,
               "quantity": str(quantity), "notes": ""}
        refs: list[Ref] = [("seizure", seizure, "", ""), ("item", ident, "", "")]
        slots.append(sink.add(day.isoformat(), row, refs))
    return slots


def take_boat(ctx: Context, group: Group, crossing: str) -> tuple[str, str]:
    """A boat and engine from the group's stock, or unknown ones when the stock is out."""
    stock = ctx.stock.get(group.id)
    if not stock:
        boat, engine = ctx.ids.next("B"), ctx.ids.next("E")
        ctx.truth.obj(boat, "boat", "inflatable of unknown origin", "", group.id)
        ctx.truth.obj(engine, "engine", "outboard of unknown origin", "", group.id)
        return boat, engine
    boat, engine, chain = stock.pop()
    ctx.chains[chain].crossings.append(crossing)
    return boat, engine


def beach_seizure(ctx: Context, rng: random.Random, group: Group, day: date, launch: str,
                  boat: str, engine: str, crossing: str) -> list[Slot]:
    """A launch stopped on the beach: the French police seize the kit."""
    chain_id = ctx.boat_chain.get(boat)
    chain = ctx.chains[chain_id] if chain_id else None
    items = [(boat, "boat", 1), (engine, "engine", 1),
             (f"L{crossing[1:]}", "lifejackets", rng.randint(10, 60))]
    if rng.random() < 0.5:
        items.append((f"F{crossing[1:]}", "fuel", rng.randint(2, 8)))
        ctx.truth.obj(f"F{crossing[1:]}", "fuel", "jerrycans of petrol", "", group.id)
    return _seize(ctx, rng, chain, day, "PAF-FR", launch, "fr", items, {})


def write_chains(ctx: Context) -> None:
    from pinchpoint.demo.truth import SUPPLY, write_table

    rows = ((c.id, c.group, c.supplier.id, c.origin, c.route, c.storage, c.driver.id,
             c.vehicle, ";".join(c.boats), ";".join(c.engines), c.lifejackets,
             ";".join(c.crossings), ";".join(c.seizures), slot_records(c.slots))
            for c in ctx.chains.values())
    write_table(ctx.truth.folder / "supply_chains.csv", SUPPLY, rows)
