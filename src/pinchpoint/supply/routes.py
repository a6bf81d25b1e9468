"""The chain on the map: the places items passed through, in stage order (origin,
customs office, storage site, vehicle check, seizure), and how many items went along
each leg.

Each seized item contributes one path: the origin country its import declaration
gives, the office it was declared at, the site it was stored at, where its van was
checked, where it was seized; a stage no record gives is skipped. Places carry
coordinates only where the gazetteer knows them (`places`); a leg with an unplaced end
is still listed, without coordinates, so nothing is silently dropped.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass

from pinchpoint.supply.chains import ItemChain, Sighting
from pinchpoint.supply.places import Place, place


@dataclass(frozen=True)
class Leg:
    start: Place
    end: Place
    items: int

    def as_dict(self) -> dict[str, object]:
        return {"from": self.start.as_dict(), "to": self.end.as_dict(), "items": self.items}


def _stops(chain: ItemChain) -> list[Place]:
    stops: list[Place] = []

    def add(found: Place) -> None:
        if found.text and (not stops or stops[-1].text != found.text):
            stops.append(found)

    for s in chain.sightings:
        if s.kind == "import":
            add(place(s.country))
            add(place(s.place.text))
        elif s.kind in ("storage", "transport", "seizure"):
            add(_where(s))
    return stops


def _where(s: Sighting) -> Place:
    return s.place if s.place.text else place(s.country)


def legs(found: list[ItemChain]) -> list[Leg]:
    """The legs of the seized items' paths, most travelled first."""
    counts: Counter[tuple[str, str]] = Counter()
    places: dict[str, Place] = {}
    for chain in found:
        stops = _stops(chain)
        for a, b in itertools.pairwise(stops):
            places.setdefault(a.text, a)
            places.setdefault(b.text, b)
            counts[(a.text, b.text)] += 1
    return [Leg(places[a], places[b], n)
            for (a, b), n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]


def places_of(found: list[ItemChain]) -> list[Place]:
    """Every distinct place the chains name, placed or not."""
    seen: dict[str, Place] = {}
    for chain in found:
        for stop in _stops(chain):
            seen.setdefault(stop.text, stop)
    return sorted(seen.values(), key=lambda p: p.text)


__all__ = ["Leg", "legs", "places_of"]
