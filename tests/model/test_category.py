"""Person category (DPA 2018 Part 3): five categories; smuggled people are victims."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pinchpoint.model import PersonCategory, parse_category
from pinchpoint.model.category import PROTECTED_CATEGORIES


def test_the_five_categories() -> None:
    assert [c.value for c in PersonCategory] == [
        "suspect", "convicted", "victim", "witness", "other"]


@pytest.mark.parametrize(("text", "expected"), [
    ("suspect", PersonCategory.SUSPECT),
    ("SUSPECT", PersonCategory.SUSPECT),
    ("  Convicted ", PersonCategory.CONVICTED),
    ("victim", PersonCategory.VICTIM),
    ("Witness", PersonCategory.WITNESS),
    ("other", PersonCategory.OTHER),
    ("migrant", PersonCategory.VICTIM),
    ("Smuggled person", PersonCategory.VICTIM),
    ("offender", PersonCategory.CONVICTED),
])
def test_parse_category(text: str, expected: PersonCategory) -> None:
    assert parse_category(text) is expected


@pytest.mark.parametrize("text", ["", "target", "suspects", "smuggler", "victim witness", "1"])
def test_unknown_categories_are_none(text: str) -> None:
    assert parse_category(text) is None


def test_victims_and_witnesses_are_protected() -> None:
    assert frozenset({PersonCategory.VICTIM, PersonCategory.WITNESS}) == PROTECTED_CATEGORIES
    assert parse_category("migrant") in PROTECTED_CATEGORIES


@given(st.text(max_size=30))
def test_parse_category_never_raises(text: str) -> None:
    assert parse_category(text) in (None, *PersonCategory)
