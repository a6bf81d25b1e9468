"""The engine's short cuts give what its general path gives: a text cell of a one-column
property is cleaned without `_raw_values`, and the buffer keeps columns, not rows."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from pinchpoint.ingest import engine
from pinchpoint.ingest.engine import MappingEngine, StatementBuffer
from pinchpoint.ingest.mapping import parse_mapping
from pinchpoint.ingest.records import RawRecord
from pinchpoint.model.ftm import get_model
from pinchpoint.model.owned import is_owned, is_reference
from pinchpoint.store.records import ROW_COLUMNS, QuarantineItem

MAPPING = {"entities": {
    "person": {"schema": "Person", "keys": ["name"], "properties": {
        "name": {"column": "name"}, "birthDate": {"column": "born"},
        "phone": {"column": "phone", "region": "gb"}}},
    "account": {"schema": "BankAccount", "keys": ["iban"], "optional": True,
                "properties": {"iban": {"column": "iban"}}},
    "holder": {"schema": "Ownership", "keys": ["name", "iban"], "requires": ["account"],
               "properties": {"owner": {"entity": "person"}, "asset": {"entity": "account"}}},
}}


def mapped(values: dict[str, Any]) -> tuple[list[tuple[str | None, ...]], list[QuarantineItem]]:
    engine = MappingEngine(parse_mapping(MAPPING), "file.csv", "source")
    buffer, bad = StatementBuffer("NCA"), []
    engine.map(RawRecord(values, line=2), buffer, bad)
    columns = buffer.take()
    return sorted(zip(*(columns[c] for c in ROW_COLUMNS), strict=True)), bad


@pytest.mark.parametrize(("cell", "same_as"), [
    (["1990-03-02"], "1990-03-02"),  # a JSON list of one: the general path
    ([" 1990-03-02 "], " 1990-03-02 "),
    ("  07911 123466 ", "07911 123466"),
])
def test_a_text_cell_maps_as_the_general_path_maps_it(cell: Any, same_as: str) -> None:
    column = "phone" if "07911" in same_as else "born"
    base = {"name": "Ali Khan", "iban": "GB29NWBK60161331926819", "born": "", "phone": ""}
    assert mapped({**base, column: cell}) == mapped({**base, column: same_as})
    statements, bad = mapped({**base, column: same_as})
    assert not bad
    assert {s[2] for s in statements} >= {column if column == "phone" else "birthDate"}


def test_a_bad_text_cell_is_quarantined_with_its_column() -> None:
    statements, bad = mapped({"name": "Ali Khan", "born": "2023-00-12", "phone": "",
                              "iban": ""})
    assert [(b.field, b.raw_value) for b in bad] == [("born", "2023-00-12")]
    assert "birthDate" not in {s[2] for s in statements}


def test_references_are_owned_when_taken() -> None:
    statements, _ = mapped({"name": "Ali Khan", "born": "", "phone": "",
                            "iban": "GB29NWBK60161331926819"})
    owners = [s for s in statements if s[2] == "owner"]
    persons = {s[0] for s in statements if s[1] == "Person"}
    assert len(owners) == 1 and owners[0][3] in persons
    assert all(is_owned("NCA", s[0]) for s in statements)


def test_adding_statements_makes_no_object_for_the_collector() -> None:
    buffer = StatementBuffer("NCA")
    gc.collect()
    gc.disable()
    try:
        before = gc.get_count()[0]
        for n in range(5_000):
            buffer.add(f"e{n}", "Person", "name", f"n{n}", None, None, "f.csv:2")
        made = gc.get_count()[0] - before
    finally:
        gc.enable()
    assert made < 100  # rows kept as tuples would make 5,000
    assert len(buffer) == 5_000


def test_every_reference_property_is_owned_when_taken() -> None:
    """`take` asks `is_reference` only of the names it lists: it must list them all."""
    schemata = get_model().schemata.values()
    references = {(s.name, p.name) for s in schemata for p in s.properties.values()
                  if is_reference(s.name, p.name)}
    assert references
    assert {name for _, name in references} <= engine._reference_names()
    assert "id" in engine._reference_names()
