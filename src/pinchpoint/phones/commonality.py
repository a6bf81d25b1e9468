"""Commonality across seized phones: the numbers, e-mail addresses and handles found on
many devices, ranked, because a number saved by forty arrivals is the smuggler's.

Each identifier comes with how many devices hold it (and how many of those are
arrivals' phones), the names it was saved under on them (the contact labels, which
ingest also keeps as the contact's weak aliases, so resolution weighs them), the first
and last call or message with it, and on how many devices it was contacted before the
phone was seized: on an arrival's phone, before the crossing.

Smuggled people are never ranked as smugglers. An identifier a visible record gives to
a victim or witness (an arrival's own number, saved by the people they crossed with) is
left out of the ranking and only counted. A victim label does not make a shield either:
where one agency records a holder as a victim or witness and another (or the same)
records a holder of the same identifier as a suspect, the identifier is neither ranked
nor hidden but listed as *disputed*, with the agencies on each side, for an analyst.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from pinchpoint.model.category import is_accused, is_protected
from pinchpoint.store.phone_reads import (
    Sighting,
    devices_of,
    person_categories,
    saved_names,
    sightings,
)
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore

MIN_DEVICES = 2
LIMIT = 50
NAMES_SHOWN = 10
PHONE_LIKE = re.compile(r"^\+?[\d\s().-]{6,}$")


class PhonesError(ValueError):
    """A request the commonality cannot answer (a bad bound); its text says why."""


@dataclass(frozen=True)
class SavedName:
    """A name an identifier was saved under, by whose phones, on how many of them."""

    name: str
    agency: str
    devices: int

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "agency": self.agency, "devices": self.devices}


@dataclass(frozen=True)
class Common:
    """One identifier found on many devices."""

    identifier: str
    kind: str
    devices: int
    arrival_devices: int
    contacts: int
    first_contact: str | None
    last_contact: str | None
    dated_devices: int
    before_seizure: int
    names: tuple[SavedName, ...] = ()

    @classmethod
    def of(cls, sighting: Sighting) -> Common:
        return cls(sighting.identifier, sighting.kind, sighting.devices,
                   sighting.arrival_devices, sighting.contacts, sighting.first,
                   sighting.last, sighting.dated_devices, sighting.before_seizure)

    def as_dict(self) -> dict[str, object]:
        return {"identifier": self.identifier, "kind": self.kind, "devices": self.devices,
                "arrival_devices": self.arrival_devices, "contacts": self.contacts,
                "first_contact": self.first_contact, "last_contact": self.last_contact,
                "dated_devices": self.dated_devices, "before_seizure": self.before_seizure,
                "names": [n.as_dict() for n in self.names]}


@dataclass(frozen=True)
class Disputed:
    """An identifier one side records as a victim's or witness's and one as a suspect's."""

    identifier: str
    devices: int
    protected_by: tuple[str, ...]
    accused_by: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"identifier": self.identifier, "devices": self.devices,
                "protected_by": list(self.protected_by), "accused_by": list(self.accused_by)}


@dataclass
class Commonality:
    """The ranking, best first, with what was left out of it and why."""

    ranked: list[Common]
    candidates: int  # identifiers on at least min_devices devices, before the rules below
    protected: int  # left out: held by a victim or witness
    disputed: list[Disputed] = field(default_factory=list)
    min_devices: int = MIN_DEVICES

    def as_dict(self) -> dict[str, object]:
        return {"min_devices": self.min_devices, "candidates": self.candidates,
                "protected": self.protected, "disputed": [d.as_dict() for d in self.disputed],
                "ranked": [c.as_dict() for c in self.ranked]}


def _categories(store: SqlStore, scope: Scope) -> tuple[list[str], list[str]]:
    """The category values as written that protect a holder, and that accuse one."""
    values = person_categories(store, scope)
    return [v for v in values if is_protected(v)], [v for v in values if is_accused(v)]


def common(store: SqlStore, scope: Scope, min_devices: int = MIN_DEVICES,
           limit: int = LIMIT) -> Commonality:
    """The identifiers found on at least `min_devices` seized devices the scope can
    see, most devices first (then most arrivals' devices, then most contacts), at most
    `limit` of them, each with the names it was saved under."""
    if min_devices < 1:
        raise PhonesError(f"--min-devices must be at least 1, not {min_devices}")
    if limit < 1:
        raise PhonesError(f"--top must be at least 1, not {limit}")
    protected, accused = _categories(store, scope)
    found = sightings(store, scope, protected, accused, min_devices)
    ranked: list[Common] = []
    disputed: list[Disputed] = []
    kept_out = 0
    for sighting in found:
        if sighting.protected_by and sighting.accused_by:
            disputed.append(Disputed(sighting.identifier, sighting.devices,
                                     sighting.protected_by, sighting.accused_by))
        elif sighting.protected_by:
            kept_out += 1
        elif len(ranked) < limit:
            ranked.append(Common.of(sighting))
    names = saved_names(store, scope, [c.identifier for c in ranked])
    ranked = [_named(c, names.get(c.identifier, [])) for c in ranked]
    return Commonality(ranked, len(found), kept_out, disputed, min_devices)


def _named(item: Common, names: list[tuple[str, str, int]]) -> Common:
    return dataclasses.replace(item, names=tuple(
        SavedName(n, agency, k) for n, agency, k in names[:NAMES_SHOWN]))


def devices(store: SqlStore, scope: Scope, identifier: str) -> list[tuple[str, str | None]]:
    """The devices (``agency/file``) an identifier was found on, with each one's
    seizure date where known; a number may be written with spaces or dashes."""
    text = identifier.strip()
    if not text:
        raise PhonesError("give a number, e-mail address or handle")
    if PHONE_LIKE.match(text):
        text = ("+" if text.startswith("+") else "") + "".join(c for c in text if c.isdigit())
    return devices_of(store, scope, text)
