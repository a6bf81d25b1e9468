"""The persons of a scenario: network members, brokers, migrants and their relatives.

A person carries the truth about themselves (name, role, groups, category, where they
live, their numbers); records only ever see renderings of it. Members and brokers live
for the whole run; migrants and relatives are made per crossing and written to the truth
at once, so the large scenario never holds its millions of passengers in memory.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import ClassVar

from pinchpoint.demo.names import PersonName, make_name
from pinchpoint.demo.phones import Phone, PhoneBook

SUSPECT, VICTIM, OTHER = "suspect", "victim", "other"
# Where members of each role are based, as (country, city) choices per group kind;
# "base" is the kingpin's country.
ROLE_PLACES: dict[str, tuple[tuple[str, str], ...]] = {
    "lieutenant": (("gb", "London"), ("be", "Brussels"), ("de", "Essen"), ("tr", "Istanbul")),
    "recruiter": (("tr", "Istanbul"), ("gb", "Birmingham"), ("de", "Hamburg"),
                  ("gr", "Athens")),
    "middleman": (("fr", "Loon-Plage"), ("fr", "Calais"), ("be", "Brussels"),
                  ("fr", "Dunkirk")),
    "driver": (("fr", "Dunkirk"), ("be", "Ghent"), ("de", "Osnabrück"), ("bg", "Sofia"),
               ("fr", "Boulogne-sur-Mer")),
    "safe_house_keeper": (("fr", "Paris"), ("be", "Brussels"), ("tr", "Istanbul"),
                          ("rs", "Belgrade"), ("de", "Essen")),
    "supplier": (("tr", "Istanbul"), ("de", "Osnabrück"), ("bg", "Sofia"), ("de", "Essen")),
    "skipper": (("tr", "Bodrum"), ("ua", "Odesa"), ("tr", "Izmir")),
    "broker": (("be", "Brussels"), ("de", "Hamburg"), ("gb", "London"), ("tr", "Istanbul"),
               ("nl", "Rotterdam")),
}
FACILITATOR_CITIES = {"gb": "Dover", "be": "Brussels", "fr": "Calais", "de": "Essen"}
NATIONALITY = {"kurdish": "iq", "arabic": "iq", "sudanese": "sd", "afghan": "af",
               "iranian_kurdish": "ir", "albanian": "al", "vietnamese": "vn",
               "eritrean": "er", "turkish": "tr", "bulgarian": "bg", "ukrainian": "ua",
               "european": "gb"}


@dataclass(slots=True)
class Person:
    """One real person of the scenario, as the truth knows them."""

    id: str
    name: PersonName
    role: str
    category: str
    country: str  # where they live
    city: str
    nationality: str
    birth: date
    phones: list[Phone] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    lieutenant: str | None = None  # the member's cell: the lieutenant they answer to

    def phone(self, rng: random.Random) -> Phone:
        return self.phones[0] if len(self.phones) == 1 else rng.choice(self.phones)


class Ids:
    """Sequential ids per prefix: P0000001, X000001 ... deterministic in creation order."""

    WIDTH: ClassVar[dict[str, int]] = {"P": 7, "M": 8, "T": 7}

    def __init__(self) -> None:
        self.counters: dict[str, int] = {}

    def next(self, prefix: str) -> str:
        n = self.counters.get(prefix, 0) + 1
        self.counters[prefix] = n
        return f"{prefix}{n:0{self.WIDTH.get(prefix, 6)}d}"


def birth_date(rng: random.Random, first: int, last: int) -> date:
    start = date(first, 1, 1)
    return start + timedelta(days=rng.randrange((date(last, 12, 31) - start).days))


def make_member(rng: random.Random, ids: Ids, phones: PhoneBook, origin: str, role: str,
                country: str, city: str) -> Person:
    """A network member: nicknames and kunyas are common, several numbers (burners)."""
    gender = "f" if role in ("recruiter", "hawaladar", "safe_house_keeper") \
        and rng.random() < 0.1 else "m"
    name = make_name(rng, origin, gender, alias_rate=0.45, nickname_rate=0.5)
    person = Person(ids.next("P"), name, role, SUSPECT, country, city, NATIONALITY[origin],
                    birth_date(rng, 1968, 2001))
    for _ in range(1 + (rng.random() < 0.5) + (rng.random() < 0.25)):
        person.phones.append(phones.new(country if rng.random() < 0.8 else
                                        NATIONALITY[origin]))
    return person


def make_migrant(rng: random.Random, ids: Ids, phones: PhoneBook, origin: str,
                 role: str = "migrant") -> Person:
    """A smuggled person: a victim in the truth, whatever a record calls them."""
    gender = "f" if rng.random() < 0.14 else "m"
    name = make_name(rng, origin, gender, alias_rate=0.05)
    nationality = NATIONALITY[origin]
    person = Person(ids.next("P"), name, role, VICTIM, "fr", "Dunkirk", nationality,
                    birth_date(rng, 1982, 2007))
    # Most carry a number from home; some have bought a French or Turkish SIM on the way.
    home = nationality if rng.random() < 0.6 else rng.choice(("fr", "tr", "be", "gr"))
    person.phones.append(phones.new(home))
    return person


def make_relative(rng: random.Random, ids: Ids, phones: PhoneBook, migrant: Person) -> Person:
    """A relative who pays a migrant's fee in: category "other" (a third party)."""
    origin = migrant.name.origin
    name = make_name(rng, origin, "m")
    country = rng.choice((migrant.nationality, migrant.nationality, "gb", "de"))
    person = Person(ids.next("P"), name, "relative", OTHER, country, "", migrant.nationality,
                    birth_date(rng, 1955, 1995))
    person.phones.append(phones.new(country))
    return person
