"""A small supply-chain case in four agencies' files: a French seizure log, German
invoices and a storage search, Europol customs declarations, a Belgian vehicle check,
and an analyst's own mapping naming a victim as importer of record. Serials are
written as clerks write them (case, spaces, dashes dropped)."""

from __future__ import annotations

import csv
from pathlib import Path

from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.store import Workspace, init_workspace

SEIZURES = [  # seizure_ref, date, place, country, item_kind, make, model, serial
    ("PAF-SZ-1", "2025-03-20", "Gravelines beach", "France", "boat", "unbranded",
     "grey inflatable 10m", "CN-HSN00012C525"),
    ("PAF-SZ-1", "2025-03-20", "Gravelines beach", "France", "engine", "Yamaha", "F40FETL",
     "6BG-1234567"),
    ("PAF-SZ-2", "2025-04-02", "A16 near Calais", "France", "engine", "Suzuki", "DF40A",
     "04004F-555555"),
    ("PAF-SZ-2", "2025-04-02", "A16 near Calais", "France", "boat", "Zodiac", "Pro 650",
     "FR-ZDC99999C525"),  # named by nothing else
]
PURCHASES = [  # invoice, date, seller, vat, buyer, kind, make, model, serial
    ("6789/2025/0001", "2025-03-01", "Marmara Trade GmbH", "DE123456789", "Rebin Aziz",
     "boat", "unbranded", "grey inflatable 10m", "cnhsn00012c525"),
    ("6789/2025/0001", "2025-03-01", "Marmara Trade GmbH", "DE123456789", "Rebin Aziz",
     "engine", "YAMAHA", "F40FETL", "6bg 1234567"),
    ("6789/2025/0002", "2025-03-10", "MARMARA TRADE", "DE123456789", "Karwan Ali",
     "engine", "Suzuki", "DF40A", "04004F555555"),
    ("1111/2025/0001", "2025-03-11", "Small Boats OOD", "BG111111111", "Karwan Ali",
     "engine", "Suzuki", "DF40A", "04004F-777777"),
]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _seizures(folder: Path) -> Path:
    return _write(folder / "paf_seizures.csv", [
        "seizure_ref", "date", "place", "country", "seizing_agency", "item_kind", "make",
        "model", "serial_number", "quantity", "notes"],
        [[r, d, p, c, "PAF", k, m, mo, s, "1", ""] for r, d, p, c, k, m, mo, s in SEIZURES])


def _purchases(folder: Path) -> Path:
    return _write(folder / "bka_purchases.csv", [
        "invoice_ref", "date", "seller", "seller_vat", "seller_country", "buyer",
        "buyer_country", "item_kind", "make", "model", "serial_number", "quantity",
        "unit_price", "currency"],
        [[i, d, s, v, "DE", b, "IQ", k, m, mo, sn, "1", "2500", "EUR"]
         for i, d, s, v, b, k, m, mo, sn in PURCHASES])


def _imports(folder: Path) -> Path:
    return _write(folder / "europol_imports.csv", [
        "declaration_ref", "date", "customs_office", "origin_country", "importer",
        "importer_eori", "consignee", "goods_description", "item_kind", "make", "model",
        "serial_number", "quantity"], [
        ["BG25IM0000001", "2025-03-05", "Burgas port", "China", "Marmara Trade GmbH",
         "DE 123-456-789", "Rebin Aziz", "marine equipment", "engine", "Yamaha", "F40FETL",
         "6BG1234567", "1"],
        ["BG25IM0000001", "2025-03-05", "Burgas port", "China", "Marmara Trade GmbH",
         "DE 123-456-789", "Rebin Aziz", "marine equipment", "boat", "unbranded",
         "grey inflatable 10m", "", "1"]])


def _storage(folder: Path) -> Path:
    return _write(folder / "bka_storage.csv", [
        "search_ref", "date", "site", "site_kind", "address", "country", "rented_by",
        "item_kind", "make", "model", "serial_number", "quantity"], [
        ["BKA-DS-1", "2025-03-08", "lorry park", "lorry park",
         "lorry park, Fürstenauer Weg, Osnabrück", "Germany", "Dilan Kaya", "engine",
         "Yamaha", "F40FETL", "6BG.123.4567", "1"]])


def _checks(folder: Path) -> Path:
    return _write(folder / "be_checks.csv", [
        "check_ref", "date", "place", "country", "plate", "vehicle", "driver", "item_kind",
        "make", "model", "serial_number", "quantity", "notes"], [
        ["POLICE-VC-1", "2025-03-15", "E40 motorway, parking Jabbeke", "Belgium",
         "OS-AB 123", "Ford Transit", "Hemin Rasul", "engine", "Yamaha", "F40FETL",
         "6BG-1234567", "1", ""],
        # one serial on another make: a different engine, never linked
        ["POLICE-VC-1", "2025-03-15", "E40 motorway, parking Jabbeke", "Belgium",
         "OS-AB 123", "Ford Transit", "Hemin Rasul", "engine", "Tohatsu", "MFS40",
         "04004F-555555", "1", ""]])


VICTIM_MAPPING = """\
entities:
  importer:
    schema: Person
    keys: [importer]
    properties:
      name: {column: importer}
      personCategory: {column: category}
  import:
    schema: Event
    keys: [ref]
    properties:
      name: {column: ref}
      keywords: {literal: import}
      date: {column: date}
      organizer: {entity: importer}
  item:
    schema: SeizedItem
    keys: [ref, serial]
    properties:
      itemKind: {column: kind}
      make: {column: make}
      serialNumber: {column: serial}
"""


def _victim(folder: Path) -> tuple[Path, Path]:
    """A migrant whose identity was used as importer of record for every engine."""
    mapping = folder / "victim_mapping.yaml"
    mapping.write_text(VICTIM_MAPPING, encoding="utf-8")
    rows = [[f"X-{i}", "2025-03-02", "Sara Ahmadi", "victim", "engine", m, s]
            for i, (m, s) in enumerate((("Yamaha", "6BG-1234567"), ("Suzuki", "04004F555555"),
                                        ("Suzuki", "04004F-777777")))]
    return _write(folder / "paf_victim_imports.csv",
                  ["ref", "date", "importer", "category", "kind", "make", "serial"],
                  rows), mapping


def case_files(data: Path) -> list[tuple[str, Path, str]]:
    """The case's files in `data`, each with its kind and the agency that holds it."""
    return [("seizures", _seizures(data), "PAF-FR"), ("purchases", _purchases(data), "BKA-DE"),
            ("imports", _imports(data), "EUROPOL"), ("storage", _storage(data), "BKA-DE"),
            ("vehicle_checks", _checks(data), "POLICE-BE")]


def build(folder: Path) -> Workspace:
    """The workspace, owned by NCA, holding the four agencies' files."""
    workspace = init_workspace(folder / "ws", "NCA")
    data = folder / "data"
    data.mkdir()
    for kind, path, owner in case_files(data):
        ingest_file(workspace, kind, path, IngestOptions(owner=owner))
    victim, mapping = _victim(data)
    ingest_file(workspace, "table", victim, IngestOptions(owner="PAF-FR", mapping=mapping))
    return workspace


PASSWORD = "seized outboards follow their serials home"  # the users of conftest.shared
ALL = frozenset({"NCA", "PAF-FR", "BKA-DE", "EUROPOL", "POLICE-BE"})
