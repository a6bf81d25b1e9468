"""Each seized item with everything else that names it: its seizures (in any country),
the sale, the import, the storage search and the vehicle check whose rows give its
serial, and the people and companies those rows name (its handlers), each link with
the record that states it and that record's provenance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pinchpoint.supply.link import Supply, Unit
from pinchpoint.supply.parties import Handlers
from pinchpoint.supply.places import Place, place
from pinchpoint.supply.rows import UPSTREAM, Item, Row

STAGES = ("purchase", "import", "storage", "transport", "seizure", "other")


@dataclass(frozen=True, slots=True)
class Named:
    """A handler as one record names it."""

    handler: str  # the handler id (parties.Handlers)
    label: str
    role: str
    entity: str

    def as_dict(self) -> dict[str, str]:
        return {"handler": self.handler, "label": self.label, "role": self.role,
                "entity": self.entity}


@dataclass(frozen=True, slots=True)
class Sighting:
    """One record that names the item: what it is, where and when, and who it names."""

    kind: str
    ref: str
    date: str
    place: Place
    country: str
    entity: str  # the item's entity on this record
    serial: str  # as this record writes it
    parties: tuple[Named, ...]
    plates: tuple[str, ...]
    site: str
    record: str
    provenance: dict[str, str]

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "ref": self.ref, "date": self.date,
                "place": self.place.as_dict(), "country": self.country,
                "entity": self.entity, "serial": self.serial,
                "parties": [p.as_dict() for p in self.parties], "plates": list(self.plates),
                "site": self.site, "record": self.record, "provenance": self.provenance}


@dataclass(frozen=True, slots=True)
class ItemChain:
    """A seized item's chain, sightings in stage order (sale first, seizure last)."""

    id: str
    kind: str
    make: str
    model: str
    serial: str
    sightings: tuple[Sighting, ...]
    handlers: tuple[Named, ...]  # each handler once, in its first role

    @property
    def seizures(self) -> list[Sighting]:
        return [s for s in self.sightings if s.kind == "seizure"]

    @property
    def links(self) -> list[Sighting]:
        return [s for s in self.sightings if s.kind != "seizure"]

    def suppliers(self) -> list[Named]:
        return [h for h in self.handlers if h.role in UPSTREAM]

    def import_to_seizure(self) -> int | None:
        """Days from the first import declaration to the first seizure, if both known."""
        imports = sorted(s.date for s in self.sightings if s.kind == "import" and s.date)
        seized = sorted(s.date for s in self.seizures if s.date)
        if not imports or not seized:
            return None
        return (date.fromisoformat(seized[0]) - date.fromisoformat(imports[0])).days

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "kind": self.kind, "make": self.make, "model": self.model,
                "serial": self.serial,
                "seizures": [s.as_dict() for s in self.seizures],
                "links": [s.as_dict() for s in self.links],
                "handlers": [h.as_dict() for h in self.handlers],
                "suppliers": [h.as_dict() for h in self.suppliers()],
                "import_to_seizure_days": self.import_to_seizure()}


def _named(row: Row, handlers: Handlers) -> tuple[Named, ...]:
    out = []
    for party in row.parties:
        handler = handlers.handler(party)
        if not handlers.hidden(handler):
            out.append(Named(handler, handlers.label(handler), party.role, party.entity_id))
    return tuple(out)


def _sighting(row: Row, item: Item, handlers: Handlers) -> Sighting:
    return Sighting(row.kind, row.ref, row.date, place(row.site or row.place), row.country,
                    item.entity_id, item.serial, _named(row, handlers), row.plates, row.site,
                    row.provenance.record, row.provenance.as_dict())


def chain_of(unit: Unit, handlers: Handlers) -> ItemChain:
    """One unit's chain (seized or not)."""
    sightings = sorted((_sighting(r, i, handlers) for r, i in unit.sightings),
                       key=lambda s: (STAGES.index(s.kind), s.date, s.record))
    seen: dict[str, Named] = {}
    for s in sightings:
        for named in s.parties:
            seen.setdefault(named.handler, named)
    return ItemChain(unit.id, unit.kind, unit.make, unit.model, unit.serial,
                     tuple(sightings), tuple(seen.values()))


def chains(supply: Supply, kind: str | None = None, linked_only: bool = False
           ) -> list[ItemChain]:
    """Every seized item's chain (of one item kind if given; with `linked_only`, only
    items some other record names), in order of first seizure."""
    units = [u for u in supply.seized() if kind is None or u.kind == kind]
    found = [chain_of(u, supply.handlers) for u in units]
    if linked_only:
        found = [c for c in found if c.links]
    return sorted(found, key=lambda c: (c.seizures[0].date if c.seizures else "", c.id))


__all__ = ["STAGES", "ItemChain", "Named", "Sighting", "chain_of", "chains"]
