"""Hypothesis strategies for malformed input files: CSV, XLSX, FtM JSON lines, phone
extractions, mapping files and plain bytes. The invariants they are checked against
live in ``invariants.py``."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import yaml
from builders import LAYOUTS, TABLE_HEADER
from hypothesis import strategies as st

# -- cell values ------------------------------------------------------------------------


def texts(max_size: int) -> st.SearchStrategy[str]:
    """Free text that is valid Unicode (no lone surrogates). Invalid UTF-8 is added on
    purpose and at a known rate by the file strategies, not by accident everywhere."""
    return st.text(st.characters(codec="utf-8"), max_size=max_size)


BAD_VALUES = [
    "31/02/2024", "2024-02-30", "yesterday", "2024-13-01", "02.03.2024",  # dates
    "07911 123456", "+44 7911", "12345", "phone me", "+999 1234",  # phones
    "£250", "1.500,00", "lots", "1e5", "12 500 EUR", "NaN",  # amounts
    "Narnia", "Atlantis", "Q1",  # countries
    "kayak", "elvish",  # item kinds, languages
]
GOOD_VALUES = sorted({v for _, rows in LAYOUTS.values() for row in rows for v in row})
ODD_VALUES = ["", " ", "\t", "null", "None", "N/A", "-", "0", "[/b]", "[bold]x", "\"",
              "'", "a\nb", "a\rb", "\x00", "Amanj\x00Ali", "\ufeff", "\u202eevil",
              "ئامانج حەسەن", "أمانج حسن زاده", "=1/0", "#N/A"]
HUGE = ["x" * 200_000, "2024-03-02" + " " * 70_000, "+44" + "7" * 50_000]

cells = st.one_of(st.sampled_from(GOOD_VALUES), st.sampled_from(BAD_VALUES),
                  st.sampled_from(ODD_VALUES), texts(20))


@st.composite
def headers(draw: st.DrawFn, columns: list[str]) -> list[str]:
    """Mostly the layout's own header (maybe reordered); sometimes broken."""
    header = list(columns)
    how = draw(st.sampled_from(["exact", "exact", "exact", "shuffled", "missing", "extra",
                                "duplicate", "empty", "random"]))
    if how == "shuffled":
        header = draw(st.permutations(header))
    elif how == "missing" and header:
        header.pop(draw(st.integers(0, len(header) - 1)))
    elif how == "extra":
        header.append(draw(st.sampled_from(["notes", "country", "passport_no", "", " "])))
    elif how == "duplicate" and header:
        header.append(draw(st.sampled_from(header)))
    elif how == "empty":
        header = ["" for _ in header]
    elif how == "random":
        header = draw(st.lists(cells, max_size=8))
    return header


@st.composite
def rows_for(draw: st.DrawFn, width: int) -> list[list[str]]:
    """Up to six rows, some ragged; now and then one huge field."""
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        ragged = draw(st.sampled_from([0, 0, 0, 0, -1, 1, -width]))
        size = max(0, width + ragged)
        rows.append(draw(st.lists(cells, min_size=size, max_size=size)))
    if rows and rows[0] and draw(st.integers(0, 7)) == 3:
        rows[0][draw(st.integers(0, len(rows[0]) - 1))] = draw(st.sampled_from(HUGE))
    return rows


# -- CSV --------------------------------------------------------------------------------

def _render_cell(cell: str, delimiter: str, quote: bool) -> str:
    if quote or any(c in cell for c in (delimiter, '"', "\n", "\r")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


@st.composite
def csv_files(draw: st.DrawFn, columns: list[str]) -> bytes:
    header = draw(headers(columns))
    rows = draw(rows_for(len(header)))
    delimiter = draw(st.sampled_from([",", ",", ",", ";", "\t", "|"]))
    row_delimiter = draw(st.sampled_from([None, None, None, ";", ",", " "]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    quote = draw(st.booleans())
    lines = [delimiter.join(_render_cell(c, delimiter, quote) for c in header)]
    for row in rows:
        sep = row_delimiter or delimiter
        lines.append(sep.join(_render_cell(c, sep, quote) for c in row))
    if draw(st.booleans()):  # break the quoting: an unbalanced quote somewhere
        index = draw(st.integers(0, len(lines) - 1))
        lines[index] = '"' + lines[index]
    text = newline.join(lines) + draw(st.sampled_from(["", newline, newline * 3]))
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 9)) == 5:  # invalid UTF-8 somewhere (latin-1, cut sequences)
        position = draw(st.integers(0, len(data)))
        data = data[:position] + draw(st.sampled_from([b"\xff", b"\xe9", b"\xc3", b"\x80\x80"]))\
            + data[position:]
    return data


# -- XLSX -------------------------------------------------------------------------------

xlsx_cells = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.times(), st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=9)),
    st.sampled_from(GOOD_VALUES), st.sampled_from(BAD_VALUES),
    st.sampled_from(["=1/0", "=SUM(A1:A2)", "#N/A", "#DIV/0!", "[/b]", "x" * 40_000]),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=20),
)


@st.composite
def xlsx_files(draw: st.DrawFn, columns: list[str]) -> bytes:
    from openpyxl import Workbook

    how = draw(st.sampled_from(["book", "book", "book", "book", "truncated", "not a zip",
                                "empty zip", "no sheets", "corrupt sheet", "flipped"]))
    if how == "not a zip":
        return draw(st.binary(max_size=300))
    if how == "empty zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "not a workbook")
        return buffer.getvalue()
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def legal(cell: Any) -> Any:  # openpyxl cannot write control characters at all
        return ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell

    book = Workbook()
    sheet = book.active
    header: list[Any] = [legal(c) for c in draw(headers(columns))]
    if draw(st.integers(0, 4)) == 2:
        header = [draw(xlsx_cells) for _ in header]
    if how != "no sheets":
        sheet.append(header)
        for _ in range(draw(st.integers(0, 5))):
            width = len(header) + draw(st.sampled_from([0, 0, 0, -1, 2]))
            sheet.append([legal(draw(xlsx_cells)) for _ in range(max(0, width))])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if how == "truncated":
        return data[: draw(st.integers(0, len(data) - 1))]
    if how == "flipped":  # one bit of the compressed bytes: CRC or deflate errors
        at = draw(st.integers(len(data) // 4, len(data) - 1))
        return data[:at] + bytes([data[at] ^ (1 << draw(st.integers(0, 7)))]) + data[at + 1:]
    if how == "corrupt sheet":
        return _corrupt_member(data, draw(st.sampled_from(
            ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/sharedStrings.xml",
             "[Content_Types].xml"])), draw(st.integers(0, 200)))
    return data


def _corrupt_member(data: bytes, member: str, cut: int) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == member:
                content = content[: max(0, len(content) // 2 - cut)]
            archive.writestr(item, content)
    return buffer.getvalue()


# -- JSON -------------------------------------------------------------------------------

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                         texts(20), st.sampled_from(BAD_VALUES + GOOD_VALUES))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(texts(8), inner, max_size=4)),
    max_leaves=12)
PROPERTY_NAMES = ["name", "phone", "birthDate", "nationality", "personCategory", "notes",
                  "imei", "owner", "subject", "object", "amount", "date", "passengerCount",
                  "smugglerRank", "id", "ownershipOwner", ""]
SCHEMA_NAMES = ["Person", "Handset", "Crossing", "Payment", "UnknownLink", "Thing",
                "LegalEntity", "Smuggler", "", "person"]
prop_values = st.one_of(
    st.lists(st.one_of(st.sampled_from(GOOD_VALUES + BAD_VALUES + ODD_VALUES), json_values),
             max_size=3),
    json_values)


def nested(depth: int, inner: str = '"x"') -> str:
    """JSON text nested `depth` deep, written out (json.dumps would itself recurse)."""
    opens = "".join("[" if i % 2 else '{"a":' for i in range(depth))
    closes = "".join("]" if i % 2 else "}" for i in reversed(range(depth)))
    return opens + inner + closes


@st.composite
def ftm_lines(draw: st.DrawFn) -> str:
    how = draw(st.sampled_from(["entity", "entity", "entity", "json", "text", "blank",
                                "deep"]))
    if how == "deep":  # past what json and every walk over its result can recurse
        return nested(draw(st.sampled_from([33, 999, 3000, 20_000])))
    if how == "text":
        return draw(texts(60)).replace("\n", " ").replace("\r", " ")
    if how == "blank":
        return ""
    if how == "json":
        return json.dumps(draw(json_values))
    entity: dict[str, Any] = {}
    if draw(st.integers(0, 5)):
        entity["id"] = draw(st.one_of(st.sampled_from(["p1", "p2", "person-amanj", "a b",
                                                       "  ", ""]), json_scalars))
    if draw(st.integers(0, 5)):
        entity["schema"] = draw(st.one_of(st.sampled_from(SCHEMA_NAMES), json_values))
    if draw(st.integers(0, 3)):
        entity["properties"] = draw(st.one_of(
            st.dictionaries(st.sampled_from(PROPERTY_NAMES), prop_values, max_size=4),
            json_values))
    return json.dumps(entity, ensure_ascii=draw(st.booleans()))


@st.composite
def jsonl_files(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(ftm_lines(), max_size=8))
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 5:
        data += b'\n{"id": "p9", "schema": "Person", "properties": {"name": ["\xff"]}}'
    return data


@st.composite
def phone_documents(draw: st.DrawFn) -> bytes:
    """JSON shaped like a phone extraction, with every part possibly the wrong type."""
    item = st.dictionaries(
        st.sampled_from(["id", "name", "phones", "number", "direction", "from", "to", "body",
                         "timestamp", "duration", "service", "username", "app"]),
        st.one_of(st.sampled_from(["+447911123456", "+9647501234567", "07911 123456",
                                   "incoming", "outgoing", "missed", "sideways", "2024-03-02",
                                   "2024-02-30T25:00", "Rebin Ali", "", "12345"]),
                  json_values), max_size=6)
    section = st.one_of(st.lists(st.one_of(item, json_scalars), max_size=4), json_values)
    document = draw(st.fixed_dictionaries({}, optional={
        "device": st.one_of(st.fixed_dictionaries({}, optional={
            "imei": st.sampled_from(["356938035643809", "", "not an imei"]),
            "imsi": json_scalars,
            "phone_numbers": st.one_of(st.lists(json_scalars), json_values),
            "make": json_scalars, "model": json_scalars,
            "owner": st.one_of(st.fixed_dictionaries({"name": json_scalars}), json_values)}),
            json_values),
        "extraction": json_values,
        "contacts": section, "calls": section, "messages": section, "accounts": section}))
    return json.dumps(document).encode()


# -- mappings ---------------------------------------------------------------------------

MAP_COLUMNS = [*TABLE_HEADER, "missing_col", ""]
# Mostly columns the file has, so most mappings get past validation and reach the rows.
map_column = st.one_of(st.sampled_from(TABLE_HEADER), st.sampled_from(TABLE_HEADER),
                       st.sampled_from(TABLE_HEADER), st.sampled_from(MAP_COLUMNS),
                       st.integers(0, 3))
map_entities = st.sampled_from(["person", "other", "ghost"])
SCHEMA_PROPS = {
    "Person": ["name", "phone", "birthDate", "nationality", "personCategory", "notes", "alias",
               "ownershipOwner"],
    "Passport": ["holder", "number", "country", "startDate"],
    "Ownership": ["owner", "asset", "role", "startDate"],
    "Organization": ["name", "country", "phone", "incorporationDate"],
}
prop_specs = st.one_of(
    st.fixed_dictionaries({"column": map_column}),
    st.fixed_dictionaries({"column": map_column}, optional={
        "format": st.sampled_from(["%d/%m/%Y", "%Y-%m-%d", "%", "gb", "zz", 5]),
        "lang": st.sampled_from(["eng", "ara", 5]), "split": st.sampled_from([";", ",", ""]),
        "region": st.sampled_from(["gb", "iq", "zz", "narnia"]),
        "region_column": map_column}),
    st.fixed_dictionaries({"columns": st.lists(map_column, max_size=3)},
                          optional={"join": st.sampled_from([" ", "-", ""])}),
    st.fixed_dictionaries({"literal": st.one_of(st.sampled_from(GOOD_VALUES + BAD_VALUES),
                                                st.lists(texts(8), max_size=3))}),
    st.fixed_dictionaries({"entity": map_entities}),
    st.fixed_dictionaries({"template": st.sampled_from(
        ["{full_name} ({nationality})", "{full_name", "}", "{}", "{0}", "{missing_col}",
         "{full_name!r}", "plain text"])}),
    json_values,
)


@st.composite
def entity_specs(draw: st.DrawFn) -> Any:
    """Mostly well-formed entities of a few schemata, now and then anything at all."""
    if draw(st.integers(0, 9)) == 5:
        return draw(json_values)
    if draw(st.integers(0, 7)):
        schema: Any = draw(st.sampled_from(sorted(SCHEMA_PROPS)))
    else:
        schema = draw(st.one_of(st.sampled_from(SCHEMA_NAMES), json_scalars))
    spec: dict[str, Any] = {"schema": schema}
    if draw(st.integers(0, 5)):
        spec["keys"] = draw(st.lists(st.sampled_from(TABLE_HEADER), min_size=1, max_size=2))
    else:
        spec["keys"] = draw(st.one_of(map_column, json_values))
    names = SCHEMA_PROPS.get(schema, PROPERTY_NAMES) if isinstance(schema, str) else []
    if draw(st.integers(0, 7)):
        spec["properties"] = draw(st.dictionaries(
            st.sampled_from(names or PROPERTY_NAMES), prop_specs, max_size=4))
    optional = st.fixed_dictionaries({}, optional={
        "id_column": map_column,
        "key_literal": st.one_of(texts(5), st.integers()),
        "optional": st.one_of(st.booleans(), st.sampled_from(["no", "false"])),
        "requires": st.one_of(st.lists(map_entities, max_size=2), json_scalars),
        "filters": json_scalars})
    spec.update(draw(optional))
    return spec


@st.composite
def mapping_files(draw: st.DrawFn) -> bytes:
    how = draw(st.sampled_from(["structured", "structured", "structured", "structured",
                                "text", "bytes", "yaml-ish"]))
    if how == "text":
        return draw(texts(200)).encode("utf-8", "surrogatepass")
    if how == "bytes":
        return draw(st.binary(max_size=200))
    if how == "yaml-ish":
        return draw(st.sampled_from([
            "entities: {person: [\n", "entities:\n\t- x\n", "entities: *alias\n",
            "%YAML 9.9\n---\n", "entities: !!python/object:os.system {}\n",
            "? [a, b]\n: c\n", "entities:\n  person:\n    schema: Person\n   keys: [a]\n",
        ])).encode()
    document = draw(st.one_of(
        st.fixed_dictionaries({"entities": st.dictionaries(map_entities, entity_specs(),
                                                           max_size=3)}),
        json_values))
    return yaml.safe_dump(document, allow_unicode=True).encode()


# -- any file ---------------------------------------------------------------------------

@st.composite
def any_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """(suffix, content): anything at all, or something shaped like one input kind."""
    kind = draw(st.sampled_from(sorted(LAYOUTS)))
    columns = LAYOUTS[kind][0]
    suffix, content = draw(st.one_of(
        st.tuples(st.sampled_from([".csv", ".txt", ".json", ".xlsx", ".md", ""]),
                  st.binary(max_size=400)),
        st.tuples(st.sampled_from([".txt", ".md", ".csv", ".jsonl"]),
                  texts(400).map(lambda t: t.encode("utf-8", "surrogatepass"))),
        st.tuples(st.sampled_from([".csv", ".txt"]), csv_files(columns)),
        st.tuples(st.just(".xlsx"), xlsx_files(columns)),
        st.tuples(st.sampled_from([".jsonl", ".json"]), jsonl_files()),
        st.tuples(st.sampled_from([".json"]), phone_documents()),
    ))
    return suffix, content
