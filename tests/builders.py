"""Small, realistic input files for the tests, and whole-store snapshots to compare.

The people, phones and places are invented but shaped like real casework: Kurdish and
Arabic names in Latin script, UK and Iraqi mobiles, French launch beaches.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from pinchpoint.store.workspace import Workspace

LEDGER_HEADER = ["date", "sender", "sender_phone", "receiver", "receiver_phone", "amount",
                 "currency", "agent", "city", "reference"]
LEDGER_ROWS = [
    ["2024-03-02", "Amanj Hassan Zada", "+447911123456", "Rebin Ali", "+9647501234567",
     "1500", "GBP", "Kawa Exchange", "Erbil", "HW-0001"],
    ["2024-03-05", "Rebin Ali", "+9647501234567", "Dilan Aziz", "+905321234567",
     "4200", "EUR", "Kawa Exchange", "Erbil", "HW-0002"],
    ["2024-03-09", "Amanj Hassan Zada", "+447911123456", "Saman Karim", "+33612345678",
     "900", "GBP", "Pira Transfer", "Sulaymaniyah", "HW-0003"],
]

SEIZURES_HEADER = ["seizure_ref", "date", "place", "country", "seizing_agency", "item_kind",
                   "make", "model", "serial_number", "quantity"]
SEIZURES_ROWS = [
    ["SZ-2024-017", "2024-04-11", "Gravelines beach", "fr", "Police aux Frontieres", "boat",
     "Zodiac", "Pro 7m", "ZD-77812", "1"],
    ["SZ-2024-017", "2024-04-11", "Gravelines beach", "fr", "Police aux Frontieres", "engine",
     "Yamaha", "F60", "6C5-1034455", "1"],
    ["SZ-2024-017", "2024-04-11", "Gravelines beach", "fr", "Police aux Frontieres",
     "life jackets", "", "", "", "55"],
    ["SZ-2024-018", "2024-04-20", "Dunkirk", "fr", "Police aux Frontieres", "fuel", "", "", "",
     "12"],
]

CROSSINGS_HEADER = ["crossing_ref", "date", "launch_point", "launch_country", "landing_point",
                    "landing_country", "vessel_ref", "vessel_type", "passengers", "deaths"]
CROSSINGS_ROWS = [
    ["CR-0412", "2024-04-12", "Gravelines", "fr", "Dungeness", "gb", "BOAT-88", "inflatable",
     "52", "0"],
    ["CR-0419", "2024-04-19", "Wimereux", "fr", "Dover", "gb", "BOAT-91", "inflatable", "61",
     "2"],
]

POSTS_HEADER = ["post_id", "platform", "account", "account_name", "posted_at", "language",
                "text", "url", "phone"]
POSTS_ROWS = [
    ["1001", "tiktok", "@uk_trip_safe", "Safe Trip UK", "2024-02-01", "ara",
     "Trips to UK every week, boat and papers, call now",
     "https://www.tiktok.com/@uk_trip_safe/video/1001", "+447911123456;+9647501234567"],
    ["1002", "facebook", "kawa.travel", "Kawa Travel", "2024-02-03", "eng",
     "Guaranteed crossing, pay in Erbil", "https://facebook.com/kawa.travel/posts/1002", ""],
]

# The supply-chain layouts (docs/formats.md): one item per row, each naming a serial.
PURCHASES_HEADER = ["invoice_ref", "date", "seller", "seller_vat", "seller_country", "buyer",
                    "buyer_country", "item_kind", "make", "model", "serial_number",
                    "quantity", "unit_price", "currency"]
PURCHASES_ROWS = [["6789/2025/0001", "2025-03-01", "Marmara Trade GmbH", "DE123456789", "DE",
                   "Rebin Ali", "IQ", "engine", "YAMAHA", "F40FETL", "6bg 1234567", "1",
                   "3850", "EUR"]]
IMPORTS_HEADER = ["declaration_ref", "date", "customs_office", "origin_country", "importer",
                  "importer_eori", "consignee", "goods_description", "item_kind", "make",
                  "model", "serial_number", "quantity"]
IMPORTS_ROWS = [["BG25IM0000001", "2025-03-05", "Burgas port", "China", "Marmara Trade GmbH",
                 "DE123456789", "Rebin Ali", "marine equipment", "engine", "Yamaha",
                 "F40FETL", "6BG1234567", "1"]]
STORAGE_HEADER = ["search_ref", "date", "site", "site_kind", "address", "country",
                  "rented_by", "item_kind", "make", "model", "serial_number", "quantity"]
STORAGE_ROWS = [["BKA-DS-1", "2025-03-08", "lorry park", "lorry park",
                 "lorry park, Fürstenauer Weg, Osnabrück", "Germany", "Dilan Kaya", "engine",
                 "Yamaha", "F40FETL", "6BG.123.4567", "1"]]
CHECKS_HEADER = ["check_ref", "date", "place", "country", "plate", "vehicle", "driver",
                 "item_kind", "make", "model", "serial_number", "quantity", "notes"]
CHECKS_ROWS = [["VC-1", "2025-03-15", "E40 motorway, parking Jabbeke", "Belgium", "OS-AB 123",
                "Ford Transit", "Hemin Rasul", "engine", "Yamaha", "F40FETL", "6BG-1234567",
                "1", ""]]

# kind -> (header, good rows) for the built-in layouts.
LAYOUTS: dict[str, tuple[list[str], list[list[str]]]] = {
    "ledger": (LEDGER_HEADER, LEDGER_ROWS),
    "seizures": (SEIZURES_HEADER, SEIZURES_ROWS),
    "crossings": (CROSSINGS_HEADER, CROSSINGS_ROWS),
    "posts": (POSTS_HEADER, POSTS_ROWS),
    "purchases": (PURCHASES_HEADER, PURCHASES_ROWS),
    "imports": (IMPORTS_HEADER, IMPORTS_ROWS),
    "storage": (STORAGE_HEADER, STORAGE_ROWS),
    "vehicle_checks": (CHECKS_HEADER, CHECKS_ROWS),
}

FTM_ENTITIES: list[dict[str, Any]] = [
    {"id": "person-amanj", "schema": "Person",
     "properties": {"name": ["Amanj Hassan Zada"], "phone": ["+447911123456"],
                    "nationality": ["iq"], "personCategory": ["suspect"],
                    "birthDate": ["1991-06-14"]}},
    {"id": "person-rebin", "schema": "Person",
     "properties": {"name": ["Rebin Ali"], "phone": ["+9647501234567"],
                    "personCategory": ["victim"]}},
    {"id": "handset-1", "schema": "Handset",
     "properties": {"name": ["Samsung A12 (seized)"], "imei": ["356938035643809"],
                    "phoneNumber": ["+447911123456"], "owner": ["person-amanj"]}},
    {"id": "link-1", "schema": "UnknownLink",
     "properties": {"subject": ["person-amanj"], "object": ["person-rebin"],
                    "role": ["paid for crossing"]}},
]

# A mapping for kind `table`: a list of persons of interest.
TABLE_MAPPING = """\
entities:
  person:
    schema: Person
    keys: [full_name, phone]
    properties:
      name: {column: full_name}
      phone: {column: phone}
      birthDate: {column: dob}
      nationality: {column: nationality}
      personCategory: {column: category}
"""
TABLE_HEADER = ["full_name", "phone", "dob", "nationality", "category"]
TABLE_ROWS = [
    ["Amanj Hassan Zada", "+447911123456", "1991-06-14", "iq", "suspect"],
    ["Rebin Ali", "+9647501234567", "1998-01-02", "iq", "victim"],
]


def write_csv(path: Path, header: Sequence[str] | None, rows: Iterable[Sequence[Any]],
              delimiter: str = ",") -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        if header is not None:
            writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: Sequence[Any] | None, rows: Iterable[Sequence[Any]],
               title: str = "Sheet1") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    if header is not None:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def write_jsonl(path: Path, objects: Iterable[Any]) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for obj in objects:
            fh.write((obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)) + "\n")
    return path


def write_layout(folder: Path, kind: str, suffix: str = ".csv",
                 rows: list[list[Any]] | None = None, name: str | None = None) -> Path:
    """A built-in layout's file (CSV or XLSX) with its good rows, or the rows given."""
    header, good = LAYOUTS[kind]
    path = folder / f"{name or kind}{suffix}"
    writer = write_xlsx if suffix == ".xlsx" else write_csv
    return writer(path, header, good if rows is None else rows)


def write_table(folder: Path, name: str = "persons") -> tuple[Path, Path]:
    """A persons-of-interest CSV and its mapping file."""
    mapping = folder / f"{name}.yaml"
    mapping.write_text(TABLE_MAPPING, encoding="utf-8")
    return write_csv(folder / f"{name}.csv", TABLE_HEADER, TABLE_ROWS), mapping


@dataclass(frozen=True)
class Snapshot:
    """Every row of every table, for 'the store is exactly as it was' comparisons."""

    statements: tuple[tuple[Any, ...], ...]
    quarantine: tuple[tuple[Any, ...], ...]
    batches: tuple[tuple[Any, ...], ...]

    @property
    def statement_ids(self) -> set[str]:
        return {row[0] for row in self.statements}

    @property
    def quarantine_ids(self) -> set[str]:
        return {row[0] for row in self.quarantine}


def _sql(workspace: Workspace, sql: str) -> list[tuple[Any, ...]]:
    """Plain SQL on the store (tests may; the application may not). Through the store's
    own connection, so DuckDB sees one configuration per file."""
    with workspace.open_store(read_only=True) as store:
        return store.con.execute(sql).fetchall()


def snapshot(workspace: Workspace) -> Snapshot:
    """Every row of every table."""
    with workspace.open_store(read_only=True) as store:
        tables = [tuple(sorted(store.con.execute(f"SELECT * FROM {t}").fetchall(), key=repr))
                  for t in ("statements", "quarantine", "batches")]
    return Snapshot(*tables)


def duplicate_ids(workspace: Workspace) -> dict[str, int]:
    """Rows whose id appears more than once, per table (should be none)."""
    return {t: int(_sql(workspace, f"SELECT count(*) - count(DISTINCT id) FROM {t}")[0][0])
            for t in ("statements", "quarantine", "batches")}


def stock_ftm_problems(data: Any) -> list[str]:
    """Why one exported JSON object is not a valid stock FtM entity (empty when it is).

    Stock FtM re-cleans every value (as `ftm validate` does); a value it would change or
    drop, a stub or unknown property, an extension schema or an id FtM cannot reference
    is a problem. Each problem starts with its kind in brackets: [schema], [id],
    [unreadable] (FtM raises), [stub], [property], [entity] (a reference FtM drops) or
    [value].
    """
    from followthemoney import model as stock
    from followthemoney.types import registry

    if not isinstance(data, dict) or set(data) - {"id", "schema", "properties"}:
        return [f"[schema] not an entity object: {data!r}"]
    schema = stock.get(data.get("schema"))
    if schema is None or schema.abstract:
        return [f"[schema] {data.get('id')}: {data.get('schema')!r} is not a stock FtM schema"]
    entity_id = data.get("id")
    if not isinstance(entity_id, str) or registry.entity.clean(entity_id) != entity_id:
        return [f"[id] {entity_id!r} is not an id FtM can refer to"]
    problems = []
    try:
        proxy = stock.get_proxy(data, cleaned=False)
    except Exception as exc:  # FtM refuses to read it at all (InvalidData)
        return [f"[unreadable] {entity_id}: {type(exc).__name__}: {exc}"]
    for name, values in data.get("properties", {}).items():
        prop = schema.get(name)
        if prop is None or prop.stub:
            kind = "stub" if prop is not None else "property"
            problems.append(f"[{kind}] {entity_id}: {schema.name} has no property {name}")
            continue
        got = sorted(proxy.get(prop))
        if got != sorted(values):
            kind = "entity" if prop.type == registry.entity else "value"
            problems.append(f"[{kind}] {entity_id}: {name} {values!r} re-cleans to {got!r}")
    return problems


FIRST_NAMES = ["Amanj", "Rebin", "Dilan", "Saman", "Kawa", "Hemin", "Shvan", "Zana", "Aram",
               "Karwan", "Nawzad", "Bestun", "Hawre", "Rebaz", "Soran", "Ahmad", "Omar",
               "Yousef", "Mohammed", "Ali"]
LAST_NAMES = ["Hassan Zada", "Ali", "Aziz", "Karim", "Rahim", "Mahmoud", "Salih", "Qadir",
              "Abdullah", "Hussein", "Rashid", "Osman"]


def many_ledger_rows(n: int, start: int = 0) -> list[list[str]]:
    """n distinct, valid ledger rows (deterministic), references HW-<start+i>."""
    rows = []
    for i in range(start, start + n):
        sender = f"{FIRST_NAMES[i % 20]} {LAST_NAMES[(i // 20) % 12]}"
        receiver = f"{FIRST_NAMES[(i * 7 + 3) % 20]} {LAST_NAMES[(i * 5 + 1) % 12]}"
        rows.append([f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", sender,
                     f"+4479111{i % 100000:05d}", receiver, f"+96475012{i % 100000:05d}",
                     str(100 + (i * 37) % 5000), ["GBP", "EUR", "USD"][i % 3],
                     ["Kawa Exchange", "Pira Transfer", "Hawala Soran"][i % 3],
                     ["Erbil", "Sulaymaniyah", "Duhok", "Istanbul"][i % 4], f"HW-{i:07d}"])
    return rows


@dataclass(frozen=True)
class BadCase:
    """Rows for one layout with known bad values (row index, column, raw value) and rows
    that must be rejected whole (row index). Row index 0 is the file's line 2."""

    rows: list[list[str]]
    bad_values: list[tuple[int, str, str]]
    rejected: list[int]

    def line(self, index: int) -> int:
        return index + 2


BAD_CASES: dict[str, BadCase] = {
    "ledger": BadCase(
        rows=[
            LEDGER_ROWS[0],
            ["31/02/2024", "Rebin Ali", "+9647501234567", "Dilan Aziz", "0532 123 45 67",
             "1.500,00", "EUR", "Kawa Exchange", "Erbil", "HW-0002"],
            ["2024-03-09", "", "", "Saman Karim", "+33612345678", "900", "GBP",
             "Pira Transfer", "Sulaymaniyah", "HW-0003"],
            ["2024-03-10", "Amanj Hassan Zada", "+447911123456", "Hemin Salih", "+44 7911",
             "£250", "GBP", "Pira Transfer", "Sulaymaniyah", "HW-0004"],
        ],
        bad_values=[(1, "date", "31/02/2024"), (1, "receiver_phone", "0532 123 45 67"),
                    (1, "amount", "1.500,00"), (3, "receiver_phone", "+44 7911"),
                    (3, "amount", "£250")],
        rejected=[2],
    ),
    "seizures": BadCase(
        rows=[
            SEIZURES_ROWS[0],
            ["SZ-2024-017", "2024-13-01", "Gravelines beach", "Narnia", "Police aux Frontieres",
             "kayak", "Intex", "Excursion 5", "", "several"],
            ["", "2024-04-20", "Dunkirk", "fr", "Police aux Frontieres", "fuel", "", "", "",
             "12"],
        ],
        bad_values=[(1, "date", "2024-13-01"), (1, "country", "Narnia"),
                    (1, "item_kind", "kayak"), (1, "quantity", "several")],
        rejected=[2],
    ),
    "crossings": BadCase(
        rows=[
            CROSSINGS_ROWS[0],
            ["CR-0420", "yesterday", "Wimereux", "Calais", "Dover", "gb", "BOAT-91",
             "inflatable", "about fifty", "n/a"],
            ["", "2024-04-21", "Wimereux", "fr", "Dover", "gb", "BOAT-92", "inflatable",
             "48", "0"],
        ],
        bad_values=[(1, "date", "yesterday"), (1, "launch_country", "Calais"),
                    (1, "passengers", "about fifty"), (1, "deaths", "n/a")],
        rejected=[2],
    ),
    "posts": BadCase(
        rows=[
            POSTS_ROWS[0],
            ["1003", "telegram", "@boats_dunkirk", "Boats", "last tuesday", "elvish",
             "Places left for Thursday", "telegram link", "12345;+447911123456"],
            ["1004", "", "", "", "2024-02-05", "eng", "no account", "", ""],
        ],
        bad_values=[(1, "posted_at", "last tuesday"), (1, "language", "elvish"),
                    (1, "url", "telegram link"), (1, "phone", "12345")],
        rejected=[2],
    ),
}


def everyone(workspace: Workspace) -> Any:
    """A scope that sees every owner present in the store (for assertions only)."""
    from pinchpoint.store import Scope

    owners = {r[0] for r in _sql(workspace, "SELECT owner FROM statements UNION SELECT owner "
                                            "FROM quarantine UNION SELECT owner FROM batches")}
    return Scope(agency="TEST-ALL", visible_owners=frozenset(owners))


def all_statements(workspace: Workspace) -> list[Any]:
    scope = everyone(workspace)
    with workspace.open_store(read_only=True) as store:
        return store.statements(scope)


def all_quarantine(workspace: Workspace, batch: str | None = None) -> list[Any]:
    scope = everyone(workspace)
    with workspace.open_store(read_only=True) as store:
        return store.quarantine(scope, batch=batch)
