"""Handling codes (P, C with conditions, Europol H0-H3) and protective markings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pinchpoint.model import Classification, HandlingCode, HandlingError, parse_handling
from pinchpoint.model.handling import CLASSIFICATION_ORDER, HANDLING_LABELS


def test_default_is_p_official_without_conditions() -> None:
    handling = parse_handling()
    assert handling.code is HandlingCode.P
    assert handling.conditions is None
    assert handling.classification is Classification.OFFICIAL


@pytest.mark.parametrize("code", ["C", "H3", "c", "h3"])
@pytest.mark.parametrize("conditions", [None, "", "   ", "\n\t"])
def test_c_and_h3_need_their_conditions_written_down(code: str, conditions: str | None) -> None:
    with pytest.raises(HandlingError, match="conditions"):
        parse_handling(code, conditions)


@pytest.mark.parametrize("code", ["C", "H3"])
def test_c_and_h3_keep_their_conditions(code: str) -> None:
    handling = parse_handling(code, "  not to be shared with Home Office Immigration Enforcement ")
    assert handling.code == code
    assert handling.conditions == "not to be shared with Home Office Immigration Enforcement"


@pytest.mark.parametrize("code", ["P", "H0", "H1", "H2", "h1", " h2 "])
def test_codes_without_conditions(code: str) -> None:
    assert parse_handling(code).code == code.strip().upper()


def test_every_code_has_a_label() -> None:
    assert set(HANDLING_LABELS) == set(HandlingCode)
    assert [c.value for c in HandlingCode] == ["P", "C", "H0", "H1", "H2", "H3"]


@pytest.mark.parametrize("code", ["", "X", "H4", "H", "PC", "C1", "0"])
def test_unknown_codes_are_rejected(code: str) -> None:
    with pytest.raises(HandlingError, match="handling code"):
        parse_handling(code, "conditions")


@pytest.mark.parametrize(("text", "expected"), [
    ("OFFICIAL", Classification.OFFICIAL),
    ("official", Classification.OFFICIAL),
    ("OFFICIAL-SENSITIVE", Classification.OFFICIAL_SENSITIVE),
    ("official sensitive", Classification.OFFICIAL_SENSITIVE),
    (" Secret ", Classification.SECRET),
])
def test_classifications(text: str, expected: Classification) -> None:
    assert parse_handling("P", None, text).classification is expected


@pytest.mark.parametrize("text", ["TOP SECRET", "RESTRICTED", "CONFIDENTIAL", "", "PROTECT"])
def test_unknown_classifications_are_rejected(text: str) -> None:
    with pytest.raises(HandlingError, match="classification"):
        parse_handling("P", None, text)


def test_classification_ordering() -> None:
    assert CLASSIFICATION_ORDER == [Classification.OFFICIAL, Classification.OFFICIAL_SENSITIVE,
                                    Classification.SECRET]
    levels = [c.level for c in CLASSIFICATION_ORDER]
    assert levels == sorted(levels) == [0, 1, 2]
    assert Classification.OFFICIAL.level < Classification.OFFICIAL_SENSITIVE.level
    assert Classification.OFFICIAL_SENSITIVE.level < Classification.SECRET.level


@given(st.text(max_size=6), st.one_of(st.none(), st.text(max_size=10)), st.text(max_size=20))
def test_parse_handling_only_ever_raises_handling_error(
        code: str, conditions: str | None, classification: str) -> None:
    try:
        handling = parse_handling(code, conditions, classification)
    except HandlingError:
        return
    if handling.code in (HandlingCode.C, HandlingCode.H3):
        assert handling.conditions
