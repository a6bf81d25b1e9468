"""The ground truth, written beside the sources in DIR/truth/ (docs/formats.md).

Truth rows are streamed as they become known, so the large scenario never holds them:
a record's locator is known only when its file's rows for the month are sorted and
written, so sources hand the truth a :class:`Slot` that the writer fills in, and the
money, crossing and supply-chain rows that list records are written after that.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from pinchpoint.demo.network import World
from pinchpoint.demo.people import Person

RECORDS = ["file", "record", "entity", "truth_id", "name_form", "as_written"]
PERSONS = ["id", "name", "name_script", "gender", "birth_date", "nationality", "role",
           "category", "groups", "country", "city", "phones", "aliases"]
GROUPS = ["id", "name", "kind", "base_city", "base_country", "kingpin", "members",
          "corridors", "partners", "brokers"]
MONEY = ["id", "typology", "groups", "date", "amount", "currency", "persons", "payments",
         "records"]
CROSSINGS = ["id", "group", "date", "vessel_kind", "launch_point", "landing_point",
             "passengers", "deaths", "pilot", "boat", "engine", "organisers", "records"]
SUPPLY = ["id", "group", "supplier", "origin", "route", "storage", "driver", "vehicle",
          "boats", "engines", "lifejackets", "crossings", "seizures", "records"]
# One row per true supply-chain link: an item, the kind of link (purchase, import,
# storage, transport, handler), what it links to, its chain, and the records stating it.
SUPPLY_LINKS = ["item", "kind", "target", "chain", "records"]
OBJECTS = ["id", "kind", "description", "owner", "groups"]
LINKS = ["a", "b", "kind", "weight"]
CORRUPTIONS = ["file", "record", "field", "raw_value", "reason", "row_rejected"]
# A reference from a record to what it is about: (entity, truth id, name form, as written).
Ref = tuple[str, str, str, str]


class Slot:
    """Where a record ended up (``file.csv:17``); filled in when its file is written."""

    __slots__ = ("record",)

    def __init__(self, record: str | None = None) -> None:
        self.record = record


def slot_records(slots: Iterable[Slot]) -> str:
    return ";".join(s.record for s in slots if s.record)


class Truth:
    """Open writers for every truth file; close() writes the ones kept in memory."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._handles: list[IO[str]] = []
        self.records = self._writer("records.csv", RECORDS)
        self.persons = self._writer("persons.csv", PERSONS)
        self.money = self._writer("money.csv", MONEY)
        self.crossings = self._writer("crossings.csv", CROSSINGS)
        self.objects = self._writer("objects.csv", OBJECTS)
        self.links = self._writer("links.csv", LINKS)
        self.corruptions = self._writer("corruptions.csv", CORRUPTIONS)
        self.supply_links = self._writer("supply_links.csv", SUPPLY_LINKS)
        self.counts: dict[str, int] = {}

    def _writer(self, name: str, header: list[str]) -> Any:
        handle = open(self.folder / name, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self._handles.append(handle)
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        return writer

    def refs(self, file: str, record: str, refs: Iterable[Ref]) -> None:
        write = self.records.writerow
        for entity, truth_id, form, written in refs:
            write((file, record, entity, truth_id, form, written))

    def person(self, person: Person) -> None:
        name = person.name
        self.persons.writerow((
            person.id, name.canonical(), name.in_script() or "", name.gender,
            person.birth.isoformat(), person.nationality, person.role, person.category,
            ";".join(person.groups), person.country, person.city,
            ";".join(p.e164 for p in person.phones), ";".join(name.aliases())))
        self.counts["persons"] = self.counts.get("persons", 0) + 1

    def obj(self, ident: str, kind: str, description: str, owner: str = "",
            groups: str = "") -> None:
        self.objects.writerow((ident, kind, description, owner, groups))

    def link(self, a: str, b: str, kind: str, weight: int = 1) -> None:
        """A tie that involves a migrant or a relative (streamed, never aggregated)."""
        self.links.writerow((a, b, kind, weight) if a < b else (b, a, kind, weight))

    def corruption(self, file: str, record: str, field: str, raw: str, reason: str,
                   row_rejected: bool) -> None:
        self.corruptions.writerow((file, record, field, raw, reason,
                                   "true" if row_rejected else "false"))

    def world(self, world: World) -> None:
        """Members, brokers, groups, outlets, accounts and handsets: known up front."""
        for person in world.people.values():
            self.person(person)
        with open(self.folder / "groups.csv", "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(GROUPS)
            for g in world.groups:
                writer.writerow((g.id, g.name, g.kind.name, g.base[0], g.base[1],
                                 g.kingpin.id, ";".join(p.id for p in g.members),
                                 ";".join(g.kind.corridors), ";".join(g.partners),
                                 ";".join(b.id for b in g.brokers)))
        for outlet in world.outlets:
            self.obj(outlet.id, "outlet", f"{outlet.name}, {outlet.city}",
                     outlet.operator.id, ";".join(outlet.groups))
        for group in world.groups:
            for account in group.accounts:
                self.obj(account.id, "account", f"{account.platform} {account.username}",
                         account.owner.id, group.id)
        for handsets in world.handsets.values():
            for h in handsets:
                self.obj(h.id, "handset", f"{h.make} {h.model} IMEI {h.imei}", h.owner.id,
                         ";".join(h.owner.groups))

    def ties(self, world: World) -> None:
        for (a, b), kinds in world.ties.items():
            for kind, weight in kinds.items():
                self.links.writerow((a, b, kind, weight))

    def close(self) -> None:
        for handle in self._handles:
            handle.close()


def write_table(path: Path, header: list[str], rows: Iterable[Iterable[object]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def read_table(path: Path) -> list[dict[str, str]]:
    """A truth file as dictionaries (for tests and benchmarks)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
