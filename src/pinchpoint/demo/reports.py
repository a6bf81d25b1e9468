"""Case reports (kind `document`): what an officer writes after an operation.

English for the UK, Belgian and German forces (Belgian and German reports arrive in
translation), French for the Police aux Frontières. Names appear as officers write them
(upper-case surnames, "AKA" and "dit" aliases, kunyas of people abroad), and every name
written is listed in the truth as a mention with its exact text, so a later
name-extraction stage can be scored.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from pinchpoint.demo.corrupt import Spec, plant
from pinchpoint.demo.names import ALIAS, POLICE, render
from pinchpoint.demo.nominals import COUNTRY_NAMES
from pinchpoint.demo.people import Person
from pinchpoint.demo.truth import Ref

CODENAMES = ("SEAGULL", "KESTREL", "BOSPHORUS", "LANTERN", "TIDEWAY", "MISTRAL", "HARBOUR",
             "CORMORANT", "ESTUARY", "DUNE", "PENNANT", "MERIDIAN", "SHINGLE", "BEACON",
             "GALLEON", "PETREL", "KITTIWAKE", "TURNSTONE", "SANDPIPER", "BREAKWATER")
UNITS = {"NCA": "NCA Organised Immigration Crime Unit",
         "PAF-FR": "Police aux Frontières, BMRZ de Coquelles",
         "POLICE-BE": "Federal Judicial Police, Human Smuggling Unit (translated)",
         "BKA-DE": "Bundeskriminalamt, SO 33 (translated)"}
DEMONYMS = {"iq": "Iraqi", "af": "Afghan", "al": "Albanian", "vn": "Vietnamese",
            "er": "Eritrean", "sd": "Sudanese", "ir": "Iranian", "sy": "Syrian"}
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre")
BAD_DATE = Spec("date", "PlainText", "date",
                lambda rng, good: rng.choice((f"{int(good[8:10])} {MONTHS_FR[int(good[5:7]) - 1]}"
                                              f" {good[:4]}", f"{good[8:10]}/{good[5:7]}/"
                                              f"{good[:4]}", "see header")))


@dataclass
class Operation:
    agency: str
    day: date
    codename: str
    reference: str
    city: str
    group_name: str
    arrested: list[tuple[Person, str]]  # (person, outcome)
    exhibits: list[str]
    abroad: list[Person]  # organisers named but out of reach (kingpin, lieutenant)
    victims: list[Person]
    beaches: list[str]
    outlets: list[str]
    mentions: list[Ref] = field(default_factory=list)

    def name(self, rng: random.Random, person: Person, upper: bool = True) -> str:
        text, form = render(rng, person.name, POLICE)
        if upper:
            first, _, rest = text.partition(" ")
            text = text.upper() if "," in text else f"{first.upper()} {rest.upper()}"
        self.mentions.append(("mention", person.id, form, text))
        alias = person.name.nickname or person.name.kunya_text()
        if alias and rng.random() < 0.6:
            self.mentions.append(("mention", person.id, ALIAS, alias))
            if self.agency == "PAF-FR":
                return f"{text}, dit « {alias} »"
            return f'{text} AKA "{alias}"'
        return text

    def alias_only(self, rng: random.Random, person: Person) -> str:
        text = person.name.kunya_text() or person.name.nickname
        if not text:
            text, form = render(rng, person.name, POLICE)
        else:
            form = ALIAS
        self.mentions.append(("mention", person.id, form, text))
        return text


def text(rng: random.Random, op: Operation) -> tuple[str, str | None]:
    """The report, and the bad date line planted in it (or None)."""
    good = op.day.isoformat()
    shown = good
    bad = None
    if rng.random() < 0.05:
        planted = plant(rng, BAD_DATE, good, None)
        if planted:
            shown, bad = planted[0], planted[0]
    body = _french(rng, op, shown) if op.agency == "PAF-FR" else _english(rng, op, shown)
    return body, bad


def _english(rng: random.Random, op: Operation, shown: str) -> str:
    lines = [f"OPERATION {op.codename}: ARREST AND SEIZURE REPORT", "", f"Date: {shown}",
             f"Reference: {op.reference}", f"Author: DC {rng.randrange(1000, 9999)}, "
             f"{UNITS.get(op.agency, op.agency)}", "Handling: OFFICIAL-SENSITIVE", "",
             "Summary"]
    names = [op.name(rng, p) for p, _ in op.arrested]
    when = f"{op.day.day} {MONTHS_EN[op.day.month - 1]} {op.day.year}"
    lines.append(f"At 06:{rng.randrange(0, 60):02d} on {when} officers executed warrants in "
                 f"{op.city} and arrested {_join(names)} on suspicion of facilitating "
                 "unlawful immigration.")
    if op.exhibits:
        lines.append(f"{len(op.exhibits)} phone(s) were seized and sent for extraction "
                     f"(exhibits {', '.join(op.exhibits)}).")
    lines += ["", "Background"]
    lines.append(f"Intelligence links the suspects to the {op.group_name}, which advertises "
                 'crossings on social media ("100% safe") and collects fees through hawala '
                 f"offices ({', '.join(op.outlets) or 'unknown'}).")
    for person in op.abroad:
        where = COUNTRY_NAMES.get(person.country, person.country)
        lines.append(f"Messages refer to a man known as {op.alias_only(rng, person)}, "
                     f"believed to be in {person.city}, {where}, who directs the crossings.")
    if op.beaches:
        lines.append(f"Launches from {', '.join(op.beaches)} are attributed to the network.")
    lines += ["", "Persons"]
    for (_, outcome), name in zip(op.arrested, names, strict=True):
        lines.append(f"- {name.split(' AKA ')[0]}: suspect, arrested, {outcome}.")
    for victim in op.victims:
        nationality = DEMONYMS.get(victim.nationality, victim.nationality.upper())
        lines.append(f"- {op.name(rng, victim, upper=False)}: {nationality} national, "
                     "passenger; to be treated as a potential victim, no further action.")
    lines += ["", "Actions", "1. Request subscriber checks on the numbers in the extractions.",
              "2. Share the hawala references with the Financial Investigation Unit.",
              "3. Seek partner intelligence on the launch points named above."]
    return "\n".join(lines) + "\n"


def _french(rng: random.Random, op: Operation, shown: str) -> str:
    when = f"{op.day.day} {MONTHS_FR[op.day.month - 1]} {op.day.year}"
    names = [op.name(rng, p) for p, _ in op.arrested]
    lines = [f"PROCÈS-VERBAL DE SYNTHÈSE : OPÉRATION {op.codename}", "", f"Date: {shown}",
             f"Référence: {op.reference}", f"Service: {UNITS['PAF-FR']}",
             "Diffusion: restreinte", "", "Résumé",
             f"Le {when}, les enquêteurs ont interpellé à {op.city} {_join(names, ' et ')} "
             "pour aide à l'entrée et au séjour irréguliers en bande organisée."]
    if op.exhibits:
        lines.append(f"{len(op.exhibits)} téléphone(s) saisi(s), scellés {', '.join(op.exhibits)}.")
    lines += ["", "Contexte",
              f"Les mis en cause appartiendraient au réseau {op.group_name}, qui recrute sur "
              "les réseaux sociaux et encaisse les passages par hawala."]
    for person in op.abroad:
        lines.append(f"Les échanges mentionnent un commanditaire surnommé "
                     f"{op.alias_only(rng, person)}, qui résiderait à {person.city}.")
    if op.beaches:
        lines.append(f"Départs attribués au réseau : {', '.join(op.beaches)}.")
    lines += ["", "Personnes"]
    for (_, outcome), name in zip(op.arrested, names, strict=True):
        lines.append(f"- {name.split(', dit')[0]} : mis en cause, placé en garde à vue, "
                     f"{outcome}.")
    for victim in op.victims:
        lines.append(f"- {op.name(rng, victim, upper=False)} : passager, victime présumée.")
    lines += ["", "Suites", "1. Réquisitions aux opérateurs téléphoniques.",
              "2. Transmission des références hawala à la cellule financière."]
    return "\n".join(lines) + "\n"


def _join(items: list[str], last: str = " and ") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + last + items[-1]
