"""Linking by serial number: every row that names the same item, across files,
agencies and countries, read once into a `Supply` that chains, hubs and the planner
share.

An item (a `Unit`) is every (row, item) pair whose serial has the same key
(`serials.serial_key`) and whose makes agree (`serials.makes_agree`); a serial written
on two makes is two units, and a row whose make is unknown joins the one unit of a
known make when there is exactly one (else it stands alone). Nothing else links: not a
make and a date, not a quantity, so a serial never declared links nothing, and a
mistyped serial stays on its own, visible, not guessed at.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from pinchpoint.store import resolution as tables
from pinchpoint.store.schema_sql import table_exists
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore
from pinchpoint.store.supply_reads import person_categories, serial_rows
from pinchpoint.supply.parties import Handlers, group_parties
from pinchpoint.supply.rows import Item, Row, read_rows


@dataclass
class Unit:
    """One physical item: every row that names it, with the item as that row wrote it."""

    key: str
    make_key: str
    sightings: list[tuple[Row, Item]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.make_key or '?'}:{self.key}"

    def _common(self, attribute: str) -> str:
        counts = Counter(getattr(i, attribute) for _, i in self.sightings
                         if getattr(i, attribute))
        return min(counts, key=lambda v: (-counts[v], v)) if counts else ""

    @property
    def kind(self) -> str:
        return self._common("kind")

    @property
    def make(self) -> str:
        known = [i.make for _, i in self.sightings if i.make_key == self.make_key and i.make]
        return min(known, key=lambda m: (-known.count(m), m)) if known else ""

    @property
    def model(self) -> str:
        return self._common("model")

    @property
    def serial(self) -> str:
        return self._common("serial")

    def rows(self, kind: str | None = None) -> list[Row]:
        return [r for r, _ in self.sightings if kind is None or r.kind == kind]

    @property
    def seized(self) -> bool:
        return any(r.kind == "seizure" for r, _ in self.sightings)

    def first_seized(self) -> str:
        days = sorted(r.date for r in self.rows("seizure") if r.date)
        return days[0] if days else ""


@dataclass
class Supply:
    """Everything the scope's records say about the supply chain, linked."""

    rows: list[Row]
    units: list[Unit]
    handlers: Handlers

    def seized(self) -> list[Unit]:
        return [u for u in self.units if u.seized]


def link(store: SqlStore, scope: Scope) -> Supply:
    """The scope's supply picture: its rows naming serials, linked into units, with
    the parties grouped into handlers (victims and witnesses marked protected)."""
    rows = list(read_rows(serial_rows(store, scope)))
    # a store never resolved has no resolution table yet: each entity is itself
    canonical = tables.resolution(store, scope) if table_exists(store.con, "resolution") \
        else {}
    return Supply(rows, units_of(rows), group_parties(
        rows, canonical, _categories(store, scope, rows, canonical)))


def _categories(store: SqlStore, scope: Scope, rows: list[Row], canonical: dict[str, str]
                ) -> dict[str, set[tuple[str, str]]]:
    """Per party entity: the person categories of it and of its resolution cluster."""
    parties = {p.entity_id for r in rows for p in r.parties if p.schema == "Person"}
    clusters = {canonical[e] for e in parties if e in canonical}
    members = [e for e, c in canonical.items() if c in clusters]
    found = person_categories(store, scope, sorted(parties | set(members)))
    by_cluster: dict[str, set[tuple[str, str]]] = {}
    for entity, values in found.items():
        if entity in canonical:
            by_cluster.setdefault(canonical[entity], set()).update(values)
    return {e: found.get(e, set()) | by_cluster.get(canonical.get(e, ""), set())
            for e in parties}


def units_of(rows: Iterable[Row]) -> list[Unit]:
    """The units (module docstring), in order of key and make."""
    by_key: dict[str, list[tuple[Row, Item]]] = {}
    for row in rows:
        for item in row.items:
            by_key.setdefault(item.key, []).append((row, item))
    units: list[Unit] = []
    for key in sorted(by_key):
        sightings = by_key[key]
        makes = sorted({i.make_key for _, i in sightings if i.make_key})
        made = {m: Unit(key, m) for m in makes}
        loose = Unit(key, "")
        for row, item in sightings:
            target = made.get(item.make_key) if item.make_key else (
                made[makes[0]] if len(makes) == 1 else loose)
            (target or loose).sightings.append((row, item))
        units += [made[m] for m in makes] + ([loose] if loose.sightings else [])
    return units


__all__ = ["Supply", "Unit", "link", "units_of"]
