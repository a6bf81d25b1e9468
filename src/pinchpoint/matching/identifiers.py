"""What of a person can be matched, normalised so two agencies write it alike.

A person's facts (`pinchpoint.store.match_reads`) become identifiers of seven kinds:

- ``phone``: E.164 (``+447824746944``); a number with no country code is kept as its digits;
- ``document``: the number in upper-case letters and digits, qualified by the issuing
  country where one is recorded;
- ``email``: lower-cased; ``iban``: upper-case without spaces; ``imei``: its first 14
  digits (the 15th is a check digit some tools leave off);
- ``name``: the resolver's cross-script key of a name of two or more parts
  (`pinchpoint.resolve.features.name_features`: ``Mohammed Hassan``, ``Muhammad Hasan`` and
  ``محمد حسن`` share one), qualified by the birth year where one is recorded. A one-part
  name (a nickname) is no identifier: it would hit half the world.

A qualifier (birth year, issuing country) makes a hit stronger where both sides know it
and the same; where one side does not know it the hit is kept, weaker; where both know
it and it differs there is no hit (`pinchpoint.matching.tokens` spells this out).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import phonenumbers
from normality import ascii_text

from pinchpoint.resolve.features import name_features, strong_names
from pinchpoint.store.match_reads import Fact
from pinchpoint.store.records import EntityValues

KINDS = ("phone", "document", "email", "iban", "imei", "name")
QUALIFIED = frozenset({"document", "name"})
_ALNUM = re.compile(r"[^0-9A-Z]")
_DIGITS = re.compile(r"[^0-9]")
_YEAR = re.compile(r"^(\d{4})")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, order=True)
class Identifier:
    """One matchable value: ``qualifiers`` are the birth years (names) or issuing countries
    (documents) known for it, empty where none is."""

    kind: str
    value: str
    qualifiers: tuple[str, ...] = ()


@dataclass
class Person:
    """The identifiers of one person (an entity, or a resolved cluster of them), and the
    name to show them by: their most frequent name, else a phone number."""

    entity: str
    identifiers: set[Identifier]
    label: str = ""


def phone(value: str) -> str | None:
    """E.164 where the number carries its country code, else its digits (7 or more)."""
    text = value.strip()
    if text.startswith(("+", "00")):
        try:
            parsed = phonenumbers.parse("+" + text.lstrip("+0") if text.startswith("00")
                                        else text, None)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is not None and phonenumbers.is_possible_number(parsed):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    digits = _DIGITS.sub("", text)
    return digits if len(digits) >= 7 else None


def document(value: str) -> str | None:
    """Upper-case letters and digits, at least four of them."""
    norm = _ALNUM.sub("", ascii_text(value).upper())
    return norm if len(norm) >= 4 else None


def email(value: str) -> str | None:
    text = value.strip().lower()
    return text if _EMAIL.match(text) else None


def iban(value: str) -> str | None:
    norm = _ALNUM.sub("", value.upper())
    return norm if len(norm) >= 15 and norm[:2].isalpha() and norm[2:4].isdigit() else None


def imei(value: str) -> str | None:
    digits = _DIGITS.sub("", value)
    return digits[:14] if len(digits) in (14, 15, 16) else None


def name_key(value: str) -> str | None:
    """The resolver's key of a name of two or more identity-bearing parts."""
    feats = name_features(value)
    return feats.key if feats is not None and len(feats.tokens) >= 2 else None


def _strong(key: str) -> bool:
    """A resolver key of two or more parts (its tokens are joined by ``|``)."""
    return key.count("|") >= 1


# (schema, property) -> (kind, normaliser) for every fact that is itself an identifier.
_NORMALISERS = {
    "phone": ("phone", phone), "phoneNumber": ("phone", phone), "email": ("email", email),
    "passportNumber": ("document", document), "idNumber": ("document", document),
    "number": ("document", document), "iban": ("iban", iban), "imei": ("imei", imei),
}
NAME_FACTS = frozenset({"name", "alias", "previousName", "firstName", "middleName",
                        "lastName"})
KnownKeys = dict[str, list[str]]  # record -> the resolver's name keys of it


def people(facts: Iterable[Fact], group_of: dict[str, str] | None = None,
           known: KnownKeys | None = None) -> Iterator[Person]:
    """The identifiers of each person, from facts ordered by person. With ``group_of``
    (a record's resolved entity), the records of one resolved entity are one person:
    facts then need not arrive grouped, so they are gathered first. ``known`` are the
    name keys the resolver already worked out for records (`resolver_name_keys`); the
    names of other records are keyed here, the same way."""
    keys = known or {}
    if group_of is not None:
        gathered: dict[str, list[Fact]] = {}
        for fact in facts:
            gathered.setdefault(group_of.get(fact.person, fact.person), []).append(fact)
        for entity, found in sorted(gathered.items()):
            yield _person(entity, found, keys)
        return
    current: list[Fact] = []
    for fact in facts:
        if current and fact.person != current[0].person:
            yield _person(current[0].person, current, keys)
            current = []
        current.append(fact)
    if current:
        yield _person(current[0].person, current, keys)


def _person(entity: str, facts: list[Fact], known: KnownKeys) -> Person:
    names = Counter(f.value for f in facts if f.prop == "name" and f.via == f.person)
    phones = sorted(f.value for f in facts if f.prop in ("phone", "phoneNumber"))
    label = (min(names, key=lambda n: (-names[n], n)) if names
             else phones[0] if phones else entity)
    return Person(entity, identifiers_of(facts, known), label)


def identifiers_of(facts: Iterable[Fact], known: KnownKeys | None = None) -> set[Identifier]:
    """One person's identifiers: names qualified by their birth years, documents by the
    issuing country recorded on the document itself (a person's own ``passportNumber``
    has none). Names are the resolver's strong names (name, multi-part aliases, previous
    names, first and last name), keyed as the resolver keys them."""
    years: set[str] = set()
    countries: dict[str, set[str]] = {}
    plain: list[tuple[str, str, str]] = []  # kind, value, the entity it was read from
    names: dict[str, dict[str, list[str]]] = {}  # record -> name property -> values
    for fact in facts:
        if fact.prop in NAME_FACTS:
            if fact.via == fact.person:
                names.setdefault(fact.person, {}).setdefault(fact.prop, []).append(fact.value)
        elif fact.prop == "birthDate":
            if found := _YEAR.match(fact.value):
                years.add(found.group(1))
        elif fact.prop == "country":
            countries.setdefault(fact.via, set()).add(fact.value.strip().lower())
        elif fact.prop in _NORMALISERS:
            kind, normalise = _NORMALISERS[fact.prop]
            if (value := normalise(fact.value)) is not None:
                plain.append((kind, value, fact.via))
    for record, values in names.items():
        keys = (known or {}).get(record)
        if keys is None:
            keys = [k for k in (name_key(n) for n in strong_names(
                EntityValues(record, "", values))) if k is not None]
        plain += [("name", key, record) for key in keys if _strong(key)]
    out: set[Identifier] = set()
    for kind, value, via in plain:
        qualifiers: set[str] = set()
        if kind == "name":
            qualifiers = years
        elif kind == "document":
            qualifiers = countries.get(via, set())
        out.add(Identifier(kind, value, tuple(sorted(qualifiers))))
    return out
