"""One writer per ingest layout, and the manifest entry for every file written.

CSV files are written a month at a time: each month's rows for a file are sorted by
date and appended, so a ledger reads in date order, memory holds one month, and a row's
line number (its locator in the store, ``ledger.csv:17``) is known only then. Phone
extractions, case reports and FtM files are written whole as soon as they are made.
Column lists are the built-in layouts' (tests/demo check them against ingest/mappings).
"""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pinchpoint.demo.config import AGENCIES, CORRUPTION_RATE
from pinchpoint.demo.corrupt import MAKERS, Spec, plant
from pinchpoint.demo.phones import Phone, written
from pinchpoint.demo.truth import Ref, Slot, Truth

LEDGER = ("date", "sender", "sender_phone", "receiver", "receiver_phone", "amount",
          "currency", "agent", "city", "reference", "country", "notes")
SEIZURES = ("seizure_ref", "date", "place", "country", "seizing_agency", "item_kind", "make",
            "model", "serial_number", "quantity", "notes")
CROSSINGS = ("crossing_ref", "date", "launch_point", "launch_country", "landing_point",
             "landing_country", "vessel_ref", "vessel_type", "passengers", "deaths", "pilot",
             "notes")
POSTS = ("post_id", "platform", "account", "account_name", "posted_at", "language", "text",
         "url", "phone")
ARRESTS = ("arrest_ref", "event", "date", "agency", "place", "country", "nominal_ref",
           "surname", "forenames", "aliases", "dob", "nationality", "category", "phone",
           "document_type", "document_number", "offence", "outcome")
# The mapping for arrest and interview records (kind `table`); {dob} is the date format.
ARRESTS_MAPPING = """\
# Arrest and interview records (nominals) as the agency's case system exports them.
# One row per person per event; nominal_ref is the agency's own id for the person.
entities:
  person:
    schema: Person
    keys: [nominal_ref]
    properties:
      name: {{template: "{{forenames}} {{surname}}"}}
      firstName: {{column: forenames}}
      lastName: {{column: surname}}
      alias: {{column: aliases, split: ";"}}
      birthDate: {{column: dob{dob}}}
      nationality: {{column: nationality}}
      personCategory: {{column: category}}
      phone: {{column: phone}}
  document:
    schema: Identification
    keys: [document_type, document_number]
    optional: true
    requires: [person]
    properties:
      holder: {{entity: person}}
      type: {{column: document_type}}
      number: {{column: document_number}}
  agency:
    schema: Organization
    keys: [agency]
    optional: true
    properties:
      name: {{column: agency}}
  event:
    schema: Event
    keys: [arrest_ref, nominal_ref]
    properties:
      name: {{template: "{{event}} {{arrest_ref}}"}}
      organizer: {{entity: agency}}
      date: {{column: date}}
      location: {{column: place}}
      country: {{column: country}}
      involved: {{entity: person}}
      summary: {{column: offence}}
      description: {{column: outcome}}
"""
DMY = "%d/%m/%Y"


@dataclass(frozen=True)
class Layout:
    kind: str  # the ingest kind
    folder: str
    header: tuple[str, ...]
    specs: tuple[Spec, ...]


def _spec(column: str, schema: str, prop: str, maker: str, fmt: str | None = None) -> Spec:
    return Spec(column, schema, prop, MAKERS[maker], fmt)


LAYOUTS = {
    "ledger": Layout("ledger", "ledger", LEDGER, (
        _spec("date", "Payment", "date", "date"), _spec("amount", "Payment", "amount", "amount"),
        _spec("sender_phone", "Person", "phone", "phone"),
        _spec("receiver_phone", "Person", "phone", "phone"),
        _spec("country", "Organization", "country", "country"))),
    "seizures": Layout("seizures", "seizures", SEIZURES, (
        _spec("date", "Seizure", "date", "date"), _spec("country", "Seizure", "country", "country"),
        _spec("item_kind", "SeizedItem", "itemKind", "item_kind"),
        _spec("quantity", "SeizedItem", "quantity", "quantity"))),
    "crossings": Layout("crossings", "crossings", CROSSINGS, (
        _spec("date", "Crossing", "date", "date"),
        _spec("passengers", "Crossing", "passengerCount", "passengers"),
        _spec("deaths", "Crossing", "deaths", "deaths"),
        _spec("launch_country", "Crossing", "country", "country"))),
    "posts": Layout("posts", "posts", POSTS, (
        _spec("posted_at", "SocialMediaPost", "postedAt", "datetime"),
        _spec("language", "SocialMediaPost", "language", "language"),
        _spec("phone", "SocialMediaPost", "phoneMentioned", "phone"))),
    "arrests": Layout("table", "arrests", ARRESTS, (
        _spec("dob", "Person", "birthDate", "dob"),
        _spec("nationality", "Person", "nationality", "nationality"),
        _spec("category", "Person", "personCategory", "category"),
        _spec("phone", "Person", "phone", "phone"))),
    "arrests_dmy": Layout("table", "arrests", ARRESTS, (
        _spec("dob", "Person", "birthDate", "dob", DMY),
        _spec("nationality", "Person", "nationality", "nationality"),
        _spec("category", "Person", "personCategory", "category"),
        _spec("phone", "Person", "phone", "phone"))),
}


@dataclass
class Entry:
    """One manifest entry: a file, how to ingest it, what it quarantines on purpose."""

    kind: str
    file: str
    options: dict[str, str]
    expect_quarantined: int = 0
    records: int = 0


def provenance(rng: random.Random, agency: str, source: str, reason: str,
               region: str | None = None) -> dict[str, str]:
    """Ingest options for one file: the agency's grading, handling and marking."""
    spec = AGENCIES[agency]
    source_grade, info_grade = rng.choice(spec.grades)
    handling = rng.choice(spec.handling)
    options = {"source": source, "owner": agency, "grading": spec.grading,
               "source_grade": source_grade, "info_grade": info_grade, "handling": handling}
    if handling in ("C", "H3") and spec.conditions:
        options["conditions"] = spec.conditions
    options["classification"] = spec.classification
    if region:
        options["phone_region"] = region
    options["reason"] = reason
    return options


@dataclass
class _Row:
    key: str
    seq: int
    values: list[str]
    refs: list[Ref]
    slot: Slot
    bad: tuple[str, str, str, bool] | None  # (field, raw, reason class, row rejected)


class CsvSink:
    """A CSV source file, appended a month at a time in date order."""

    def __init__(self, sources: Sources, rel: str, layout: Layout, entry: Entry,
                 region: str | None) -> None:
        self.sources = sources
        self.rel = rel
        self.label = Path(rel).name
        self.layout = layout
        self.entry = entry
        self.region = region
        self.pending: list[_Row] = []
        self.lines = 1  # the header
        self.rng = random.Random(f"{sources.seed}:corrupt:{self.label}")
        self.columns = {c: i for i, c in enumerate(layout.header)}
        path = sources.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerow(layout.header)

    def number(self, phone: Phone, rng: random.Random) -> str:
        return written(phone, rng.random(), self.region)

    def add(self, key: str, row: dict[str, str], refs: list[Ref],
            corrupt: bool = True) -> Slot:
        values = [""] * len(self.layout.header)
        for column, value in row.items():
            values[self.columns[column]] = value
        bad = None
        if corrupt and self.rng.random() < CORRUPTION_RATE:
            bad, refs = self._corrupt(values, refs)
        slot = Slot()
        self.pending.append(_Row(key, len(self.pending), values, refs, slot, bad))
        return slot

    def _corrupt(self, values: list[str], refs: list[Ref]
                 ) -> tuple[tuple[str, str, str, bool] | None, list[Ref]]:
        if self.layout.kind == "ledger" and self.rng.random() < 0.15:
            # A row with the sender left blank: rejected whole (no key for the sender).
            values[self.columns["sender"]] = values[self.columns["sender_phone"]] = ""
            return ("sender,sender_phone", "", "missing_key", True), [
                r for r in refs if r[0] != "sender"]
        specs = [s for s in self.layout.specs if values[self.columns[s.column]]
                 and ";" not in values[self.columns[s.column]]]
        if not specs:
            return None, refs
        spec = self.rng.choice(specs)
        index = self.columns[spec.column]
        planted = plant(self.rng, spec, values[index], self.region)
        if planted is None:
            return None, refs
        values[index] = planted[0]
        return (spec.column, planted[0], planted[1], False), refs

    def flush(self, truth: Truth) -> None:
        if not self.pending:
            return
        self.pending.sort(key=lambda r: (r.key, r.seq))
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(r.values for r in self.pending)
        text = buffer.getvalue()
        if text.count("\n") != len(self.pending):
            raise ValueError(f"{self.label}: a value holds a line break; a row must be one "
                             "physical line so its record locator is its line number")
        for row in self.pending:
            self.lines += 1
            record = f"{self.label}:{self.lines}"
            row.slot.record = record
            truth.refs(self.rel, record, row.refs)
            if row.bad is not None:
                field_name, raw, reason, rejected = row.bad
                truth.corruption(self.rel, record, field_name, raw, reason, rejected)
                self.entry.expect_quarantined += 1
        self.entry.records += len(self.pending)
        with open(self.sources.out / self.rel, "a", encoding="utf-8", newline="") as fh:
            fh.write(text)
        self.pending = []


@dataclass
class Sources:
    """Every source file of a scenario and its manifest entry."""

    out: Path
    seed: int
    truth: Truth
    entries: list[Entry] = field(default_factory=list)
    sinks: dict[str, CsvSink] = field(default_factory=dict)
    labels: set[str] = field(default_factory=set)

    def _claim(self, rel: str) -> None:
        label = Path(rel).name
        if label in self.labels:
            raise ValueError(f"two source files named {label}: records would collide")
        self.labels.add(label)

    def csv(self, key: str, agency: str, layout: str, name: str, source: str, reason: str,
            region: str | None = None) -> CsvSink:
        """The CSV file for a key, created (with its manifest entry) on first use."""
        sink = self.sinks.get(key)
        if sink is not None:
            return sink
        spec = LAYOUTS[layout]
        rel = f"sources/{agency}/{spec.folder}/{name}"
        self._claim(rel)
        rng = random.Random(f"{self.seed}:provenance:{name}")
        options = provenance(rng, agency, source, reason, region)
        if spec.kind == "table":
            mapping = f"sources/{agency}/{spec.folder}/{layout}_mapping.yaml"
            path = self.out / mapping
            path.parent.mkdir(parents=True, exist_ok=True)
            dob = f', format: "{DMY}"' if layout == "arrests_dmy" else ""
            path.write_text(ARRESTS_MAPPING.format(dob=dob), encoding="utf-8")
            options["mapping"] = mapping
        entry = Entry(spec.kind, rel, options)
        self.entries.append(entry)
        sink = self.sinks[key] = CsvSink(self, rel, spec, entry, region)
        return sink

    def flush(self) -> None:
        for sink in self.sinks.values():
            sink.flush(self.truth)

    def whole(self, agency: str, folder: str, name: str, kind: str, content: str,
              source: str, reason: str, region: str | None = None) -> tuple[str, Entry]:
        """A file written at once (phone extraction, report, FtM); returns its label."""
        rel = f"sources/{agency}/{folder}/{name}"
        self._claim(rel)
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        rng = random.Random(f"{self.seed}:provenance:{name}")
        entry = Entry(kind, rel, provenance(rng, agency, source, reason, region))
        self.entries.append(entry)
        return rel, entry


def dump_json(data: dict[str, Any]) -> str:
    """A phone extraction as readable JSON: one line per section item.

    Built from compact dumps of each item (json's C encoder) rather than ``indent``,
    which falls back to the pure-Python encoder and dominated the large scenario's time.
    """
    parts = []
    for key, value in data.items():
        if isinstance(value, list):
            items = ",\n  ".join(json.dumps(v, ensure_ascii=False) for v in value)
            parts.append(f"{json.dumps(key)}: [\n  {items}]" if value else f'"{key}": []')
        else:
            parts.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{" + ",\n ".join(parts) + "}\n"
