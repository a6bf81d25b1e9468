"""Nominal records: a person arrested or interviewed, as an agency's case system holds it.

Police systems split names into surname and forenames (and get the split wrong), list
aliases, and hold birth dates that are missing, conflicting, or the "1 January" that
registration gives people who do not know theirs. Migrants interviewed after a crossing
are recorded as witnesses, never as suspects.
"""

from __future__ import annotations

import random
from datetime import date

from pinchpoint.demo.config import AGENCIES
from pinchpoint.demo.context import Context
from pinchpoint.demo.names import POLICE, split_police
from pinchpoint.demo.people import Person
from pinchpoint.demo.truth import Ref, Slot
from pinchpoint.demo.writers import DMY, CsvSink

COUNTRY_NAMES = {"gb": "United Kingdom", "fr": "France", "be": "Belgium", "de": "Germany",
                 "iq": "Iraq", "tr": "Turkey", "bg": "Bulgaria", "af": "Afghanistan",
                 "al": "Albania", "vn": "Vietnam", "gr": "Greece", "it": "Italy",
                 "rs": "Serbia", "nl": "Netherlands", "ir": "Iran", "sd": "Sudan",
                 "er": "Eritrea", "ua": "Ukraine", "sy": "Syria", "ba": "Bosnia and Herzegovina",
                 "hr": "Croatia", "at": "Austria"}
# How each agency's export writes a nationality.
NATIONALITY_STYLE = {"NCA": "name", "BORDER-FORCE": "code", "PAF-FR": "name",
                     "POLICE-BE": "code", "BKA-DE": "code"}
DOCUMENTS = ("passport", "national ID card", "residence permit", "asylum registration card")


def arrests_sink(ctx: Context, agency: str, year: int) -> CsvSink:
    dmy = agency in ("PAF-FR", "POLICE-BE")
    name = f"{agency.lower()}_nominals_{year}.csv"
    reason = ("Interviews of arrivals (Border Force)" if agency == "BORDER-FORCE"
              else f"Arrests for facilitation, {AGENCIES[agency].name}")
    return ctx.sources.csv(f"nominals:{agency}:{year}", agency,
                           "arrests_dmy" if dmy else "arrests", name, source=name[:-4],
                           reason=reason, region=AGENCIES[agency].phone_region)


def _dob(rng: random.Random, person: Person, dmy: bool) -> str:
    roll = rng.random()
    if roll < 0.1:
        return ""
    born = person.birth
    if roll < 0.18:  # a conflicting date: a year out, or day and month swapped
        if born.day <= 12 and rng.random() < 0.5:
            born = born.replace(day=born.month, month=born.day)
        elif (born.month, born.day) != (2, 29):
            born = born.replace(year=born.year + rng.choice((-1, 1)))
    elif person.nationality == "af" and roll < 0.4:
        born = born.replace(month=1, day=1)  # registered as born on 1 January
    return born.strftime(DMY) if dmy else born.isoformat()


def _nationality(agency: str, person: Person) -> str:
    if NATIONALITY_STYLE.get(agency) == "code":
        return person.nationality.upper()
    return COUNTRY_NAMES.get(person.nationality, person.nationality.upper())


def nominal(ctx: Context, rng: random.Random, agency: str, person: Person, event: str,
            day: date, place: str, country: str, category: str, offence: str,
            outcome: str) -> Slot:
    """One row in the agency's nominals file for the year; returns its slot."""
    sink = arrests_sink(ctx, agency, day.year)
    dmy = sink.layout.specs[0].fmt == DMY
    surname, forenames, form = split_police(person.name, rng, POLICE)
    aliases = person.name.aliases()
    script = person.name.in_script()
    if script and rng.random() < 0.4:
        aliases.append(script)
    listed = [a for a in aliases if rng.random() < 0.7]
    prefix = {"arrest": "ARR", "interview": "INT", "charge": "CHG"}[event]
    ref = f"{agency}-{prefix}-{day.year}-{ctx.next_seq(f'{agency}:{prefix}:{day.year}'):05d}"
    has_doc = rng.random() < (0.5 if category == "suspect" else 0.25)
    row = {"arrest_ref": ref, "event": event, "date": day.isoformat(),
           "agency": AGENCIES[agency].name, "place": place,
           "country": COUNTRY_NAMES.get(country, country), "nominal_ref":
           ctx.nominal(agency, person), "surname": surname, "forenames": forenames,
           "aliases": ";".join(listed), "dob": _dob(rng, person, dmy),
           "nationality": _nationality(agency, person), "category": category,
           "phone": sink.number(person.phone(rng), rng) if rng.random() < 0.7 else "",
           "document_type": rng.choice(DOCUMENTS) if has_doc else "",
           "document_number": f"{person.nationality.upper()}{rng.randrange(10**7, 10**8)}"
           if has_doc else "",
           "offence": offence, "outcome": outcome}
    written = f"{forenames} {surname}"
    event_id = ctx.ids.next("R")
    ctx.truth.obj(event_id, event, f"{event} {ref} by {agency}", person.id,
                  ";".join(person.groups))
    refs: list[Ref] = [("person", person.id, form, written), ("event", event_id, "", "")]
    if has_doc:
        refs.append(("document", "I" + person.id[1:], "", ""))
    if listed:
        refs.append(("alias", person.id, "alias", ";".join(listed)))
    return sink.add(day.isoformat(), row, refs)
