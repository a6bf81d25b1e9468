"""The process-wide caches of the mapping side: cleaned values, phone lookups and parsed
mappings are shared across the files of a run, and never mix what must stay apart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from followthemoney.types import registry

from pinchpoint.ingest import clean, phone
from pinchpoint.ingest.clean import Memo, make_cleaner
from pinchpoint.ingest.errors import MappingError
from pinchpoint.ingest.limits import MAX_VALUE
from pinchpoint.ingest.mapping import builtin_layout, load_mapping
from pinchpoint.ingest.phone import phone_mappings
from pinchpoint.model.ftm import get_model

MAPPING = """\
entities:
  person:
    schema: Person
    keys: [name]
    properties:
      name: {{column: {column}}}
"""


def prop(qname: str) -> Any:
    schema, name = qname.split(":")
    return get_model()[schema].properties[name]


def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every number FtM's phone type is asked to clean, in order."""
    calls: list[str] = []
    real: Callable[..., Any] = registry.phone.clean

    def clean_counted(value: str, **kwargs: Any) -> Any:
        calls.append(value)
        return real(value, **kwargs)

    monkeypatch.setattr(registry.phone, "clean", clean_counted)
    return calls


def test_a_number_is_parsed_once_for_every_file_of_a_run(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting(monkeypatch)
    first, second = (make_cleaner(prop("Person:phone")) for _ in range(2))  # two files
    assert first("+44 7911 123462", None) == ("+447911123462", None)
    assert second("+44 7911 123462", None) == ("+447911123462", None)
    assert calls == ["+44 7911 123462"]


def test_cached_results_stay_apart_by_property_format_and_hint() -> None:
    day_first = make_cleaner(prop("Person:birthDate"), "%d/%m/%Y")
    month_first = make_cleaner(prop("Person:birthDate"), "%m/%d/%Y")
    assert day_first("03/04/1990", None) == ("1990-04-03", None)
    assert month_first("03/04/1990", None) == ("1990-03-04", None)
    assert make_cleaner(prop("Person:birthDate"))("03/04/1990", None)[0] is None
    dialled = make_cleaner(prop("Person:phone"))
    assert dialled("07911 123461", "gb") == ("+447911123461", None)
    assert dialled("07911 123461", None)[0] is None
    assert dialled("07911 123461", "fr")[0] is None
    assert make_cleaner(prop("Person:nationality"))("Britain", None) == ("gb", None)
    assert make_cleaner(prop("Person:name"))("Britain", None) == ("Britain", None)


def test_a_value_too_long_is_refused_whatever_was_cached() -> None:
    cleaner = make_cleaner(prop("Person:notes"))
    short = "a note"
    assert cleaner(short, None) == (short, None)
    value, reason = cleaner(short + " " * MAX_VALUE + "x", None)
    assert value is None and reason is not None and "over the limit" in reason


def test_memo_keeps_only_short_values_and_starts_over_when_full() -> None:
    memo = Memo(entries=3, longest=5)
    memo.keep("long", "x" * 6, 1)
    assert memo.results == {}
    for n in range(3):
        memo.keep(n, "x", n)
    assert memo.results == {0: 0, 1: 1, 2: 2}
    memo.keep(3, "x", 3)
    assert memo.results == {3: 3}


def test_long_cells_are_cleaned_but_not_kept() -> None:
    cleaner = make_cleaner(prop("Person:notes"))
    text = "long note " * 100
    before = len(clean._CLEANED.results)
    assert cleaner(text, None) == (text.strip(), None)
    assert len(clean._CLEANED.results) == before


def test_phone_lookups_are_parsed_once_per_number_and_region(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting(monkeypatch)
    assert phone._lookup("07911 123463", "gb") == "+447911123463"
    assert phone._lookup("07911 123463", "gb") == "+447911123463"
    assert phone._lookup("07911 123463", None) == "07911123463"  # digits: no region
    assert phone._lookup("07911 123463", None) == "07911123463"
    assert calls == ["07911 123463", "07911 123463"]


def test_a_mapping_file_is_parsed_once_while_it_is_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "people.yaml"
    path.write_text(MAPPING.format(column="name"), encoding="utf-8")
    first = load_mapping(path)
    assert load_mapping(path) is first


def test_a_changed_mapping_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "people.yaml"
    path.write_text(MAPPING.format(column="name"), encoding="utf-8")
    assert load_mapping(path).entities[0].properties[0].columns == ("name",)
    path.write_text(MAPPING.format(column="nom_"), encoding="utf-8")  # same size
    assert load_mapping(path).entities[0].properties[0].columns == ("nom_",)
    path.write_text(MAPPING.format(column="nom_") + "  &a x: *a\n", encoding="utf-8")
    with pytest.raises(MappingError, match="anchors"):
        load_mapping(path)


def test_the_same_mapping_at_another_path_names_its_own_origin(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(MAPPING.format(column="name"), encoding="utf-8")
    assert load_mapping(tmp_path / "b.yaml").origin == str(tmp_path / "b.yaml")
    assert load_mapping(tmp_path / "a.yaml").origin == str(tmp_path / "a.yaml")


def test_builtin_layouts_are_parsed_once() -> None:
    assert builtin_layout("ledger", "built-in ledger layout") is builtin_layout(
        "ledger", "built-in ledger layout")
    first, second = phone_mappings(), phone_mappings()
    assert first is not second  # each caller may change its own dict
    assert all(first[name] is second[name] for name in first)


def test_a_number_looked_up_in_an_extraction_is_cleaned_without_parsing_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting(monkeypatch)
    assert phone._lookup("07911 123464", "gb") == "+447911123464"
    assert make_cleaner(prop("Person:phone"))("07911 123464", "gb") == ("+447911123464", None)
    assert calls == ["07911 123464"]


def test_a_region_that_is_no_country_is_refused_each_time() -> None:
    cleaner = make_cleaner(prop("Person:phone"))
    for _ in range(2):
        value, reason = cleaner("07911 123465", "zz")
        assert value is None and reason is not None and "'zz' is not a country" in reason
    assert phone._lookup("07911 123465", "zz") == "07911123465"


def test_a_shared_mapping_cannot_be_changed_by_one_of_its_users() -> None:
    mapping = builtin_layout("ledger", "built-in ledger layout")
    with pytest.raises(TypeError):
        mapping.extra["entities"] = {}  # type: ignore[index]
    with pytest.raises(AttributeError):
        mapping.entities = ()  # type: ignore[misc]
