"""Supplier hubs, makes and models over time, and the time from import to seizure.

A hub is a handler in a supplying role (seller on an invoice, importer on a customs
declaration) and is ranked by how many seized items it is upstream of; ties go to more
seizures, then more countries those seizures were in, then more buyers (the distinct
handlers it sold or shipped to), then more items of any kind it handled. Every number
is a count of items or records the analyst can open; victims and witnesses are never
hubs.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from pinchpoint.supply.chains import ItemChain, chain_of, chains
from pinchpoint.supply.link import Supply
from pinchpoint.supply.rows import UPSTREAM

LEAD_BUCKETS = ((0, 7), (8, 30), (31, 90), (91, 180), (181, 100_000))


@dataclass
class Hub:
    """A supplier and what it is upstream of (module docstring)."""

    id: str
    label: str
    schema: str
    seized_items: set[str] = field(default_factory=set)
    seizures: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    buyers: set[str] = field(default_factory=set)
    items: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    records: set[str] = field(default_factory=set)

    def score(self) -> tuple[int, int, int, int, int]:
        return (len(self.seized_items), len(self.seizures), len(self.countries),
                len(self.buyers), len(self.items))

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "label": self.label, "schema": self.schema,
                "seized_items": len(self.seized_items), "seizures": len(self.seizures),
                "countries": sorted(self.countries), "buyers": len(self.buyers),
                "items": len(self.items), "roles": sorted(self.roles),
                "records": sorted(self.records)[:50], "record_count": len(self.records)}


def hubs(supply: Supply, top: int = 20) -> list[Hub]:
    """The top suppliers by the score in the module docstring."""
    found: dict[str, Hub] = {}
    for unit in supply.units:
        chain = chain_of(unit, supply.handlers)
        for sighting in chain.sightings:
            for named in sighting.parties:
                if named.role not in UPSTREAM:
                    continue
                hub = found.setdefault(named.handler, Hub(
                    named.handler, named.label,
                    supply.handlers.schemata.get(named.handler, "")))
                hub.roles.add(named.role)
                hub.records.add(sighting.record)
                hub.items.add(chain.id)
                hub.buyers.update(p.handler for p in sighting.parties
                                  if p.role not in UPSTREAM)
                if unit.seized:
                    hub.seized_items.add(chain.id)
                    hub.seizures.update(s.ref or s.record for s in chain.seizures)
                    hub.countries.update(s.place.country or s.country
                                         for s in chain.seizures)
    ranked = sorted(found.values(), key=lambda h: (tuple(-x for x in h.score()), h.label))
    return ranked[:top]


@dataclass(frozen=True)
class MakeMonth:
    """Seized items of one kind, make and model in one month."""

    month: str
    kind: str
    make: str
    model: str
    count: int

    def as_dict(self) -> dict[str, object]:
        return {"month": self.month, "kind": self.kind, "make": self.make,
                "model": self.model, "count": self.count}


def makes_over_time(supply: Supply) -> list[MakeMonth]:
    """Per month of first seizure: how many items of each kind, make and model."""
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for unit in supply.seized():
        day = unit.first_seized()
        if day:
            counts[(day[:7], unit.kind, unit.make, unit.model)] += 1
    return [MakeMonth(*key, n) for key, n in sorted(counts.items())]


@dataclass(frozen=True)
class LeadTimes:
    """Days from import declaration to first seizure, over the items that have both."""

    items: int
    median: float | None
    quartiles: tuple[float, float] | None
    shortest: int | None
    longest: int | None
    buckets: dict[str, int]

    def as_dict(self) -> dict[str, object]:
        return {"items": self.items, "median_days": self.median,
                "quartile_days": list(self.quartiles) if self.quartiles else None,
                "shortest_days": self.shortest, "longest_days": self.longest,
                "distribution": self.buckets}


def lead_times(supply: Supply, found: list[ItemChain] | None = None) -> LeadTimes:
    """`LeadTimes` over the seized items' chains."""
    days = sorted(d for c in (found if found is not None else chains(supply))
                  if (d := c.import_to_seizure()) is not None and d >= 0)
    buckets = {f"{lo}-{hi}" if hi < 100_000 else f"{lo}+":
               sum(lo <= d <= hi for d in days) for lo, hi in LEAD_BUCKETS}
    if not days:
        return LeadTimes(0, None, None, None, None, buckets)
    quartiles = statistics.quantiles(days, n=4) if len(days) > 1 else [days[0]] * 3
    return LeadTimes(len(days), float(statistics.median(days)),
                     (float(quartiles[0]), float(quartiles[2])), days[0], days[-1], buckets)


__all__ = ["Hub", "LeadTimes", "MakeMonth", "hubs", "lead_times", "makes_over_time"]


@dataclass(frozen=True)
class Disputed:
    """A handler one record calls a victim or witness and another a suspect."""

    handler: str
    label: str
    protected_by: tuple[str, ...]
    accused_by: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"handler": self.handler, "label": self.label,
                "protected_by": list(self.protected_by), "accused_by": list(self.accused_by)}


def disputed(supply: Supply) -> list[Disputed]:
    """The disputed handlers: never a hub nor a target until an analyst settles it, and
    never hidden either."""
    handlers = supply.handlers
    return [Disputed(h, handlers.label(h), protected, accused)
            for h, (protected, accused) in sorted(handlers.disputed.items())]


def hubs_report(supply: Supply, top: int = 20) -> dict[str, object]:
    """What `supply hubs --json` and `GET /api/supply/hubs` answer: the hubs, the makes
    and models seized per month, the days from import to seizure, the disputed."""
    return {"hubs": [h.as_dict() for h in hubs(supply, top)],
            "makes_over_time": [m.as_dict() for m in makes_over_time(supply)],
            "import_to_seizure": lead_times(supply).as_dict(),
            "disputed": [d.as_dict() for d in disputed(supply)]}
