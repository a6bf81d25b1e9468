"""The rows that name serials, read into records: what each row is about (a seizure, a
sale, a customs declaration, a storage search, a vehicle check), its items, its
parties in their roles, its vehicle and site, and its provenance.

A row's kind is its event's: a `Seizure` is a seizure; an `Event` or `Trip` says its
kind with a keyword (`purchase`, `import`, `storage`, `transport`: the built-in
layouts set it, an analyst's own mapping may too); anything else is `other`. A party's
role is the event property that names it, read for the row's kind (the organizer of a
purchase is the seller, of an import the importer; the involved party of a purchase
is the buyer, of an import the consignee, of a storage search the renter, of a vehicle
check the driver).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby

from pinchpoint.store.supply_reads import RowValue
from pinchpoint.supply.serials import make_key, serial_key

KINDS = ("seizure", "purchase", "import", "storage", "transport")
EVENT_SCHEMATA = ("Seizure", "Event", "Trip")
PARTY_SCHEMATA = ("Person", "Company", "Organization", "LegalEntity", "PublicBody")
ROLES = {("purchase", "organizer"): "seller", ("purchase", "involved"): "buyer",
         ("import", "organizer"): "importer", ("import", "involved"): "consignee",
         ("storage", "organizer"): "site operator", ("storage", "involved"): "renter",
         ("transport", "organizer"): "operator", ("transport", "involved"): "driver"}
UPSTREAM = frozenset({"seller", "importer"})  # the roles that supply items


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a row comes from: its owner, source and record, and its weakest grades."""

    owner: str
    source: str
    record: str
    source_grade: str
    info_grade: str
    handling: str
    classification: str

    def as_dict(self) -> dict[str, str]:
        return {"owner": self.owner, "source": self.source, "record": self.record,
                "source_grade": self.source_grade, "info_grade": self.info_grade,
                "handling": self.handling, "classification": self.classification}


@dataclass(frozen=True, slots=True)
class Item:
    """An item a row names by serial."""

    entity_id: str
    kind: str
    make: str
    model: str
    serial: str  # as written
    key: str  # serials.serial_key
    make_key: str


@dataclass(frozen=True, slots=True)
class Party:
    """A person or organisation a row names, in its role."""

    entity_id: str
    schema: str
    role: str
    name: str
    registration: str


@dataclass(frozen=True, slots=True)
class Row:
    """One record row that names at least one serial."""

    kind: str
    event: str  # the entity id of its seizure, sale, declaration, search or check
    ref: str
    date: str
    place: str
    country: str
    items: tuple[Item, ...]
    parties: tuple[Party, ...]
    plates: tuple[str, ...]
    site: str
    provenance: Provenance

    def label(self) -> str:
        return self.ref or self.provenance.record


Values = dict[str, dict[str, list[str]]]  # entity -> prop -> values
_GRADE_ORDER = "123456ABCDEFX"


def read_rows(values: Iterable[RowValue]) -> Iterator[Row]:
    """The rows, one per owner and record, from `supply_reads.serial_rows` (ordered)."""
    for _, group in groupby(values, key=lambda v: (v.owner, v.record)):
        row = _row(list(group))
        if row is not None:
            yield row


def _weakest(grades: Iterable[str]) -> str:
    known = [g for g in grades if g]
    return max(known, key=lambda g: (_GRADE_ORDER.find(g[:1]), g)) if known else ""


def _row(values: list[RowValue]) -> Row | None:
    by_entity: Values = {}
    schema: dict[str, str] = {}
    for v in values:
        by_entity.setdefault(v.entity_id, {}).setdefault(v.prop, []).append(v.value)
        schema[v.entity_id] = v.schema
    events = [e for e in by_entity if schema[e] in EVENT_SCHEMATA]
    event = events[0] if events else ""
    props = by_entity.get(event, {})
    kind = _kind(schema.get(event, ""), props.get("keywords", []))
    first = values[0]
    provenance = Provenance(first.owner, first.source, first.record,
                            _weakest(v.source_grade for v in values),
                            _weakest(v.info_grade for v in values),
                            ",".join(sorted({v.handling for v in values if v.handling})),
                            ",".join(sorted({v.classification for v in values
                                             if v.classification})))
    items = tuple(_items(by_entity, schema))
    if not items:
        return None
    return Row(kind, event, _one(props, "name"), _one(props, "date")[:10],
               _one(props, "location"), _one(props, "country"), items,
               tuple(_parties(kind, props, by_entity, schema)),
               tuple(sorted({p for e, s in schema.items() if s == "Vehicle"
                             for p in by_entity[e].get("registrationNumber", [])})),
               next((_one(by_entity[e], "full") for e, s in schema.items()
                     if s == "Address"), ""), provenance)


def _kind(schema: str, keywords: list[str]) -> str:
    if schema == "Seizure":
        return "seizure"
    found = [k.casefold() for k in keywords if k.casefold() in KINDS]
    return found[0] if found else "other"


def _one(props: dict[str, list[str]], prop: str) -> str:
    found = props.get(prop)
    return found[0] if found else ""


def _items(by_entity: Values, schema: dict[str, str]) -> Iterator[Item]:
    for entity, props in by_entity.items():
        if schema[entity] != "SeizedItem":
            continue
        for serial in props.get("serialNumber", []):
            key = serial_key(serial)
            if key:
                make = _one(props, "make")
                yield Item(entity, _one(props, "itemKind"), make, _one(props, "model"),
                           serial, key, make_key(make))


def _parties(kind: str, event: dict[str, list[str]], by_entity: Values,
             schema: dict[str, str]) -> Iterator[Party]:
    for prop in ("organizer", "involved"):
        for entity in event.get(prop, []):
            if schema.get(entity) not in PARTY_SCHEMATA:
                continue
            props = by_entity[entity]
            yield Party(entity, schema[entity], ROLES.get((kind, prop), prop),
                        _one(props, "name"), _one(props, "registrationNumber"))


__all__ = ["KINDS", "ROLES", "UPSTREAM", "Item", "Party", "Provenance", "Row", "read_rows"]
