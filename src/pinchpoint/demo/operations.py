"""Police operations: arrests, phones seized for extraction, and the case report.

Operations hit the people on the ground in Europe (drivers, middlemen, safe-house
keepers, facilitators, now and then a lieutenant or a hawaladar); the kingpin abroad is
out of reach except, rarely, for the Kurdistan Region's own security service. Each
arrest is a nominal record, most arrested phones are extracted, and most operations end
in a report.
"""

from __future__ import annotations

import random
from datetime import date

from pinchpoint.demo.config import AGENCIES, RATES, agency_for
from pinchpoint.demo.context import Context, day_in
from pinchpoint.demo.network import Group
from pinchpoint.demo.nominals import nominal
from pinchpoint.demo.people import Person
from pinchpoint.demo.phone_dump import suspect_phone
from pinchpoint.demo.reports import CODENAMES, Operation, text

# Who gets arrested, by role (weights): the exposed lower ranks far more than the top.
EXPOSURE = {"driver": 6, "middleman": 5, "safe_house_keeper": 4, "facilitator": 4,
            "recruiter": 2, "hawaladar": 2, "supplier": 2, "lieutenant": 1, "skipper": 3,
            "kingpin": 0}
OFFENCES = {"NCA": "s.25 Immigration Act 1971: assisting unlawful immigration",
            "BORDER-FORCE": "s.25 Immigration Act 1971",
            "PAF-FR": "aide à l'entrée et au séjour irréguliers en bande organisée "
                      "(CESEDA L823-1)",
            "POLICE-BE": "mensensmokkel (art. 77bis Vreemdelingenwet)",
            "BKA-DE": "Einschleusen von Ausländern (§ 96 AufenthG)",
            "ASAYISH-KRG": "smuggling of persons (KRG Law 6 of 2018)",
            "EUROPOL": "facilitation of illegal immigration"}
OUTCOMES = ("remanded in custody", "released on bail", "charged", "released under "
            "investigation", "placed under judicial supervision")


def month(ctx: Context, group: Group, rng: random.Random) -> None:
    if rng.random() < RATES.operations * ctx.rate:
        year, mon = ctx.ym
        operation(ctx, group, rng, day_in(rng, year, mon))


def _targets(rng: random.Random, group: Group) -> tuple[str, list[Person]]:
    countries = [c for c in ("gb", "fr", "be", "de", "iq")
                 if any(p.country == c and EXPOSURE.get(p.role, 1) for p in group.members)]
    if not countries:
        return "", []
    country = rng.choice(countries)
    pool = [p for p in group.members if p.country == country and EXPOSURE.get(p.role, 1)]
    weights = [EXPOSURE.get(p.role, 1) for p in pool]
    chosen: list[Person] = []
    for _ in range(rng.randint(1, 4)):
        person = rng.choices(pool, weights=weights)[0]
        if person not in chosen:
            chosen.append(person)
    return country, chosen


def operation(ctx: Context, group: Group, rng: random.Random, day: date) -> None:
    country, arrested = _targets(rng, group)
    if not arrested:
        return
    agency = agency_for(country)
    codename = f"{rng.choice(CODENAMES)}-{ctx.next_seq('op'):03d}"
    exhibits: list[str] = []
    outcomes = []
    for person in arrested:
        outcome = rng.choice(OUTCOMES)
        outcomes.append((person, outcome))
        nominal(ctx, rng, agency, person, "arrest", day, person.city, country, "suspect",
                OFFENCES[agency], outcome)
        ctx.europol_known[person.id] = person
        if agency != "ASAYISH-KRG" and rng.random() < RATES.suspect_phone_seized:
            exhibits.append(suspect_phone(ctx, rng, person, group, day, agency))
    for a in arrested:
        for b in arrested:
            if a.id < b.id:
                ctx.world.tie(a, b, "co_arrested")
    if agency in ("NCA", "PAF-FR", "POLICE-BE", "BKA-DE") and \
            rng.random() < RATES.report_per_operation:
        _report(ctx, rng, group, agency, day, codename, outcomes, exhibits)


def _report(ctx: Context, rng: random.Random, group: Group, agency: str, day: date,
            codename: str, outcomes: list[tuple[Person, str]], exhibits: list[str]) -> None:
    abroad = [group.kingpin] + [p for p in group.role("lieutenant")
                                if p.country != AGENCIES[agency].country]
    victims = list(group.recent_migrants)[-2:] if rng.random() < 0.6 else []
    op = Operation(agency, day, codename,
                   f"{agency}-{codename}/R{rng.randint(1, 9)}", outcomes[0][0].city,
                   group.name.split(" (")[0], outcomes, exhibits, abroad[:2], victims,
                   rng.sample(("Gravelines", "Loon-Plage", "Wimereux", "Hardelot",
                               "Équihen-Plage"), 2),
                   [f"{o.name}, {o.city}" for o in group.outlets[:2]])
    body, bad = text(rng, op)
    ident = ctx.ids.next("D")
    name = f"{agency.lower()}_report_{codename.lower()}.txt"
    rel, entry = ctx.sources.whole(agency, "reports", name, "document", body,
                                   source=f"{agency.lower()}-reports",
                                   reason=f"Operation {codename}: case report")
    label = rel.rsplit("/", 1)[1]
    ctx.truth.obj(ident, "report", f"Operation {codename} report", "", group.id)
    ctx.truth.refs(rel, f"{label}:1", [("document", ident, "", ""), *op.mentions])
    entry.records = 1
    if bad is not None:
        ctx.truth.corruption(rel, f"{label}:1", "date", bad, "bad_date", False)
        entry.expect_quarantined += 1
