"""Journeys: dinghy crossings of the Channel and yacht voyages from Turkey to Italy.

A crossing brings together a cell of the group (the lieutenant in Europe, a middleman
who gathered the people, a driver, a safe-house keeper, the recruiter who advertised),
a boat and engine from the group's supply chain, a pilot chosen among the migrants,
and passengers whose fees wait with a hawaladar until they arrive. What records see:
Border Force's arrivals log, the French police's log of launches they saw or stopped,
the seized ledgers' escrow rows, interviews of some passengers and, now and then, a
passenger's phone.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import random
from datetime import date

from pinchpoint.demo.config import (
    CHANNEL_LANDINGS,
    CHANNEL_LAUNCHES,
    GROUP_KINDS,
    RATES,
    YACHT_LANDINGS,
    YACHT_LAUNCHES,
    YACHT_PASSENGERS,
)
from pinchpoint.demo.context import Context, day_in, poisson, shift
from pinchpoint.demo.money import HOME_OUTLETS, instance, payment_ids, transfer
from pinchpoint.demo.names import PILOT, render
from pinchpoint.demo.network import Group, Outlet
from pinchpoint.demo.nominals import nominal
from pinchpoint.demo.people import Person, make_migrant, make_relative
from pinchpoint.demo.phone_dump import migrant_phone
from pinchpoint.demo.supply import beach_seizure, take_boat
from pinchpoint.demo.truth import Ref, Slot, slot_records

# Full-journey prices (USD) paid at home, as reported for each route.
JOURNEY_FEES = {"kurdish": (9_000, 16_000), "afghan": (7_000, 13_000),
                "albanian": (4_000, 7_000), "vietnamese": (12_000, 25_000)}
YACHT_FEE = (7_000, 10_000)


def month(ctx: Context, group: Group, rng: random.Random) -> None:
    year, mon = ctx.ym
    if "channel" in group.kind.corridors:
        for _ in range(poisson(rng, RATES.dinghy_crossings * ctx.rate)):
            crossing(ctx, group, rng, day_in(rng, year, mon), yacht=False)
    if "kurdistan_yacht" in group.kind.corridors:
        for _ in range(poisson(rng, RATES.yacht_voyages * ctx.rate)):
            crossing(ctx, group, rng, day_in(rng, year, mon), yacht=True)


@functools.cache
def _origin_table(kind: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    origins = GROUP_KINDS[kind].migrant_origins
    return tuple(o for o, _ in origins), tuple(itertools.accumulate(w for _, w in origins))


def _migrant_origin(rng: random.Random, group: Group) -> str:
    names, cumulative = _origin_table(group.kind.name)
    return names[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


def _passengers(ctx: Context, rng: random.Random, group: Group, n: int, role: str
                ) -> list[Person]:
    out = []
    for _ in range(n):
        person = make_migrant(rng, ctx.ids, ctx.phones, _migrant_origin(rng, group), role)
        ctx.truth.person(person)
        out.append(person)
    return out


def crossing(ctx: Context, group: Group, rng: random.Random, day: date, yacht: bool) -> None:
    """One crossing with everything that records of it."""
    ident = ctx.ids.next("X")
    passengers = rng.randint(*YACHT_PASSENGERS) if yacht else ctx.band.draw(rng, day.year)
    # A crossing is run by one lieutenant's cell; roles the cell lacks are borrowed.
    lieutenant = group.pick(rng, "lieutenant")
    cell = [p for p in group.members if p.lieutenant == lieutenant.id]
    roles = ("recruiter", "middleman", "driver", "safe_house_keeper") + (
        ("skipper",) if yacht else ())
    crew = {"lieutenant": lieutenant}
    for role in roles:
        own = [p for p in cell if p.role == role]
        crew[role] = rng.choice(own) if own else group.pick(rng, role)
    members = list(crew.values())
    # Coordination runs through the lieutenant and the middleman, not everyone with
    # everyone: the cell is a star with a few cross ties, as phone data shows.
    for a, b in (("lieutenant", "middleman"), ("lieutenant", "recruiter"),
                 ("middleman", "driver"), ("middleman", "safe_house_keeper"),
                 ("recruiter", "middleman"), ("lieutenant", "skipper")):
        if a in crew and b in crew:
            ctx.world.tie(crew[a], crew[b], "crossing")
    pilot = None if yacht else _passengers(ctx, rng, group, 1, "pilot")[0]
    named = _passengers(ctx, rng, group, max(0, round(passengers * RATES.named_share) - 1),
                        "migrant")
    for person in ([pilot] if pilot else []) + named:
        ctx.truth.link(person.id, crew["recruiter"].id, "recruited")
        ctx.truth.link(person.id, crew["middleman"].id, "gathered")
    if pilot:
        ctx.truth.link(pilot.id, crew["middleman"].id, "chose_pilot")
    if yacht:
        boat, engine = ctx.ids.next("B"), ""
        ctx.truth.obj(boat, "yacht", "sailing yacht, 14-16 m, bought in Turkey",
                      crew["skipper"].id, group.id)
    else:
        boat, engine = take_boat(ctx, group, ident)
    prevented = not yacht and rng.random() < 0.12
    deaths = rng.randint(1, 5) if not prevented and rng.random() < 0.015 else 0
    slots: list[Slot] = []
    launch = rng.choice(YACHT_LAUNCHES if yacht else CHANNEL_LAUNCHES)
    landing = "" if prevented else rng.choice(YACHT_LANDINGS if yacht else CHANNEL_LANDINGS)
    log = _Log(ctx, rng, ident, day, passengers, deaths, launch, landing, boat, pilot)
    if yacht:
        log.yacht(slots, crew["skipper"])
    else:
        if not prevented:
            log.border_force(slots)
        if prevented or rng.random() < 0.3:
            log.french_police(slots, prevented)
        if prevented:
            slots += beach_seizure(ctx, rng, group, day, launch, boat, engine, ident)
    group.recent_migrants.extend(named)
    arrived = not prevented
    _escrow(ctx, rng, group, day, named, crew, arrived, yacht)
    _aftermath(ctx, rng, group, day, named, pilot, crew, arrived, yacht)
    vessel = "sailing yacht" if yacht else "inflatable dinghy"

    def write() -> None:
        ctx.truth.crossings.writerow((
            ident, group.id, day.isoformat(), vessel, launch, landing, passengers, deaths,
            pilot.id if pilot else crew["skipper"].id, boat, engine,
            ";".join(p.id for p in members), slot_records(slots)))
    ctx.deferred.append(write)


class _Log:
    """Rows about one crossing in the agencies' crossing logs."""

    def __init__(self, ctx: Context, rng: random.Random, ident: str, day: date, passengers: int,
                 deaths: int, launch: str, landing: str, boat: str, pilot: Person | None
                 ) -> None:
        self.ctx, self.rng, self.ident, self.day = ctx, rng, ident, day
        self.passengers, self.deaths = passengers, deaths
        self.launch, self.landing, self.boat, self.pilot = launch, landing, boat, pilot

    def _pilot(self, refs: list[Ref], rate: float) -> str:
        if self.pilot is None or self.rng.random() > rate:
            return ""
        text, form = render(self.rng, self.pilot.name, PILOT)
        refs.append(("pilot", self.pilot.id, form, text))
        return text

    def border_force(self, slots: list[Slot]) -> None:
        ctx, rng, year = self.ctx, self.rng, self.day.year
        sink = ctx.sources.csv(f"bf-crossings:{year}", "BORDER-FORCE", "crossings",
                               f"bf_small_boat_arrivals_{year}.csv",
                               source=f"bf-small-boat-arrivals-{year}",
                               reason="Small-boat arrivals log, Border Force Maritime Command")
        seq = ctx.next_seq(f"bf:{year}")
        refs: list[Ref] = [("crossing", self.ident, "", ""), ("vessel", self.boat, "", "")]
        known = rng.random() < 0.6
        notes = "intercepted by Border Force" if rng.random() < 0.8 else "landed unassisted"
        if self.deaths:
            notes = f"{self.deaths} persons recovered deceased; {notes}"
        row = {"crossing_ref": f"SB-{year}-{seq:05d}", "date": self.day.isoformat(),
               "launch_point": self.launch if known else "",
               "launch_country": "France" if known else "", "landing_point": self.landing,
               "landing_country": "United Kingdom", "vessel_ref": f"SBV-{year}-{seq:05d}",
               "vessel_type": "inflatable dinghy", "passengers": str(self.passengers),
               "deaths": str(self.deaths), "pilot": self._pilot(refs, 0.55), "notes": notes}
        slots.append(sink.add(self.day.isoformat(), row, refs))

    def french_police(self, slots: list[Slot], prevented: bool) -> None:
        ctx, rng, year = self.ctx, self.rng, self.day.year
        sink = ctx.sources.csv(f"paf-crossings:{year}", "PAF-FR", "crossings",
                               f"paf_departs_littoral_{year}.csv",
                               source=f"paf-departs-littoral-{year}",
                               reason="Départs de small boats observés ou empêchés, littoral Nord")
        seq = ctx.next_seq(f"paf:{year}")
        dept = "59" if self.launch in ("Gravelines beach", "Loon-Plage", "Dunkirk canal") \
            else "62"
        band = ctx.band
        estimate = min(band.high, max(band.low, self.passengers + rng.randint(-4, 4)))
        refs: list[Ref] = [("crossing", self.ident, "", ""), ("vessel", self.boat, "", "")]
        notes = "départ empêché, personnes prises en charge" if prevented else "départ observé"
        row = {"crossing_ref": f"PAF{dept}-{year}-{seq:04d}", "date": self.day.isoformat(),
               "launch_point": self.launch, "launch_country": "France",
               "landing_point": "", "landing_country": "" if prevented else "United Kingdom",
               "vessel_ref": f"EMB-{dept}-{year}-{seq:04d}", "vessel_type": "small boat",
               "passengers": str(estimate), "deaths": "0" if prevented else "",
               "pilot": self._pilot(refs, 0.2 if prevented else 0.05), "notes": notes}
        slots.append(sink.add(self.day.isoformat(), row, refs))

    def yacht(self, slots: list[Slot], skipper: Person) -> None:
        ctx, rng, year = self.ctx, self.rng, self.day.year
        sink = ctx.sources.csv(f"eu-yachts:{year}", "EUROPOL", "crossings",
                               f"europol_yacht_arrivals_{year}.csv",
                               source=f"europol-yacht-arrivals-{year}",
                               reason="Sailing-yacht arrivals in Calabria and Apulia "
                                      "(partner contributions)")
        seq = ctx.next_seq(f"yacht:{year}")
        text, form = render(rng, skipper.name, PILOT)
        refs: list[Ref] = [("crossing", self.ident, "", ""), ("vessel", self.boat, "", ""),
                           ("pilot", skipper.id, form, text)]
        row = {"crossing_ref": f"EU-YA-{year}-{seq:04d}", "date": self.day.isoformat(),
               "launch_point": self.launch, "launch_country": "Turkey",
               "landing_point": self.landing, "landing_country": "Italy",
               "vessel_ref": f"YACHT-{rng.choice(('AURORA', 'BLUE STAR', 'NEMO', 'ARGO'))}-"
                             f"{seq:03d}",
               "vessel_type": "sailing yacht", "passengers": str(self.passengers),
               "deaths": str(self.deaths), "pilot": text, "notes": "skipper arrested"}
        slots.append(sink.add(self.day.isoformat(), row, refs))


def _escrow(ctx: Context, rng: random.Random, group: Group, day: date, named: list[Person],
            crew: dict[str, Person], arrived: bool, yacht: bool) -> None:
    """Fees left with a hawaladar under a code, released to the smugglers on arrival.

    People pay at home (the full journey, in dollars) when the group has an outlet in
    their own country, otherwise at one of its outlets in Europe (the crossing only).
    One typology instance per outlet used for the crossing.
    """
    collector = crew["lieutenant"] if rng.random() < 0.6 else crew["recruiter"]
    by_outlet: dict[str, tuple[Outlet, list[Person]]] = {}
    for migrant in named:
        if rng.random() >= RATES.escrow_share:
            continue
        outlets = [o for o in group.outlets if o.country == migrant.nationality] or \
            [o for o in group.outlets if o.country not in HOME_OUTLETS]
        if outlets:
            outlet = outlets[0] if len(outlets) == 1 else rng.choice(outlets)
            by_outlet.setdefault(outlet.id, (outlet, []))[1].append(migrant)
    for outlet, payers in by_outlet.values():
        if yacht:
            low, high, currency = *YACHT_FEE, "USD"
        elif outlet.country in HOME_OUTLETS:
            low, high = JOURNEY_FEES[group.kind.name]
            currency = "USD"
        else:
            low, high, currency = group.kind.fee
        ids = payment_ids(ctx, len(payers) * (2 if arrived else 1))
        slots: list[Slot] = []
        persons = [collector, outlet.operator]
        total = 0
        for k, migrant in enumerate(payers):
            payer = migrant
            if rng.random() < RATES.relative_pays:
                payer = make_relative(rng, ctx.ids, ctx.phones, migrant)
                ctx.truth.person(payer)
                ctx.truth.link(payer.id, migrant.id, "family")
            ctx.truth.link(payer.id, outlet.operator.id, "escrow")
            amount = rng.randrange(low, high, 100)
            total += amount
            code = rng.randrange(1000, 10000)
            persons.append(payer)
            transfer(ctx, rng, outlet, shift(day, -rng.randint(2, 12)), payer, collector,
                     amount, currency, ids[k], f"amanat, release on arrival, code {code}", slots)
            if arrived:
                transfer(ctx, rng, outlet, shift(day, rng.randint(0, 2)), outlet.operator,
                         collector, amount, currency, ids[len(payers) + k],
                         f"released, arrival confirmed, code {code}", slots)
        ctx.world.tie(collector, outlet.operator, "escrow", len(payers))
        if arrived:
            key = (collector.id, currency)
            group.takings[key] = group.takings.get(key, 0) + total
        instance(ctx, "escrow_fee", [group.id], day, total, currency, persons, ids, slots)


def _aftermath(ctx: Context, rng: random.Random, group: Group, day: date,
               named: list[Person], pilot: Person | None, crew: dict[str, Person],
               arrived: bool, yacht: bool) -> None:
    """Interviews of passengers after landing, and phones taken from some of them."""
    if yacht or not arrived:
        return
    witnesses = [p for p in named if rng.random() < RATES.witnesses / max(1, len(named))]
    if pilot is not None and rng.random() < 0.3:
        witnesses.append(pilot)
    for person in witnesses:
        nominal(ctx, rng, "BORDER-FORCE", person, "interview", day, "Dover",
                "gb", "witness", "Arrival by small boat; interviewed as witness",
                "No further action; referred to asylum process")
    if named and rng.random() < RATES.migrant_phone_seized:
        migrant_phone(ctx, rng, group, rng.choice(named), crew, day)
