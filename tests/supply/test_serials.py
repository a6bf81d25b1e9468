"""The linking rule for serial numbers and makes (docs/supply.md)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pinchpoint.supply import make_key, makes_agree, serial_key


def test_case_spaces_dashes_and_dots_do_not_matter() -> None:
    forms = ("6BG-1234567", "6bg 1234567", "6BG1234567", "6BG.123.4567", " 6bg-123 4567 ",
             "6BG/1234567", "6\uff22\uff27-1234567")  # full-width B and G
    assert {serial_key(f) for f in forms} == {"6BG1234567"}


def test_leading_zeros_are_kept_and_short_keys_link_nothing() -> None:
    assert serial_key("2B012345") != serial_key("2B12345")
    assert serial_key("PS40-001234") == "PS40001234"
    assert serial_key("1-2") == "" and serial_key("") == ""


def test_makes_are_compared_by_their_first_word() -> None:
    assert make_key("YAMAHA") == make_key("Yamaha Motor") == make_key("yamaha") == "yamaha"
    assert make_key("unbranded") == make_key("") == ""
    assert makes_agree("yamaha", "") and makes_agree("", "suzuki")
    assert not makes_agree("yamaha", "suzuki")


@given(st.text(alphabet="ABCDEFGHJK0123456789", min_size=4, max_size=12),
       st.lists(st.sampled_from([" ", "-", "."]), max_size=3))
def test_any_separators_and_case_give_one_key(serial: str, seps: list[str]) -> None:
    noisy = serial.lower()
    for i, sep in enumerate(seps):
        at = min(len(noisy), 1 + 3 * i)
        noisy = noisy[:at] + sep + noisy[at:]
    assert serial_key(noisy) == serial_key(serial) == serial
