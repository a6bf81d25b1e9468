# ruff: noqa: RUF001 -- Arabic-script letters are the data here
"""Script detection and Arabic-script transliteration, letter by letter."""

from __future__ import annotations

import pytest

from pinchpoint.resolve.names import dominant_script, scripts, to_ascii, transliterate_arabic
from pinchpoint.resolve.names.script import is_abjad, is_dense
from pinchpoint.resolve.names.translit import arabic_phones


@pytest.mark.parametrize(("text", "script"), [
    ("Amanj Hassan Zada", "Latin"),
    ("أمانج حسن زاده", "Arabic"),
    ("ذیشان بنگش", "Arabic"),
    ("Владимир Путин", "Cyrillic"),
    ("习近平", "Han"),
    ("김정은", "Hangul"),
    ("Κυριάκος", "Greek"),
    ("123 --", "Unknown"),
])
def test_dominant_script(text: str, script: str) -> None:
    assert dominant_script(text) == script


def test_scripts_ignore_digits_and_punctuation() -> None:
    assert scripts("Ali 2nd / علي") == {"Latin", "Arabic"}
    assert is_abjad("Arabic") and not is_abjad("Latin")
    assert is_dense("Han") and not is_dense("Cyrillic")


# Every letter Persian, Sorani, Pashto and Urdu add to the Arabic alphabet, in a word.
@pytest.mark.parametrize(("letter", "word", "latin"), [
    ("ە", "حەسەن", "hesen"),          # Sorani e
    ("ێ", "ڕێبوار", "rebwar"),        # Sorani ê (and ڕ)
    ("ۆ", "شێرکۆ", "sherko"),         # Sorani o
    ("ڕ", "ڕزگار", "rzgar"),          # Sorani trilled r
    ("ڵ", "دڵشاد", "dlshad"),         # Sorani velar l
    ("ڤ", "ئاڤین", "avin"),           # Kurdish v
    ("ګ", "منګل", "mngl"),            # Pashto g
    ("ښ", "ښکلی", "shkli"),           # Pashto x̌ (sh)
    ("ځ", "ځدراڼ", "dzdran"),         # Pashto dz (and ڼ)
    ("ټ", "خټک", "khtk"),             # Pashto retroflex t
    ("ړ", "کاکړ", "kakr"),            # Pashto retroflex r
    ("ډ", "ډاکټر", "daktr"),          # Pashto retroflex d
    ("ږ", "سپوږمۍ", "spuzhmai"),      # Pashto zh (and ۍ)
    ("ۍ", "ملالۍ", "mlalai"),         # Pashto final ai
    ("ې", "شېرزاد", "sherzad"),       # Pashto e
    ("پ", "پرویز", "prwiz"),          # Persian p
    ("چ", "چرا", "chra"),             # Persian ch
    ("ژ", "ژینۆ", "zhino"),           # Persian zh
    ("گ", "گۆران", "goran"),          # Persian g
])
def test_added_letters(letter: str, word: str, latin: str) -> None:
    assert letter in word
    assert transliterate_arabic(word) == latin


def test_urdu_letters() -> None:
    assert transliterate_arabic("ٹ ڈ ڑ ں ے") == "t d r n e"


def test_waw_and_ya_are_vowels_or_consonants_by_context() -> None:
    assert transliterate_arabic("محمود") == "mhmud"      # و after a consonant: u
    assert transliterate_arabic("وليد") == "wlid"        # و at the start: w
    assert transliterate_arabic("یوسف") == "yusf"        # ی at the start: y
    assert transliterate_arabic("داود") == "dawd"        # و after alef: w
    assert arabic_phones("حسین") == "hsYn"               # written vowel unit Y


def test_short_vowels_unwritten_and_harakat_used() -> None:
    assert transliterate_arabic("حسن") == "hsn"
    assert transliterate_arabic("حَسَن") == "hasan"


def test_final_he_is_a_vowel_and_special_words() -> None:
    assert transliterate_arabic("زاده") == "zade"
    assert transliterate_arabic("الله") == "allah"


def test_digits_and_to_ascii_for_other_scripts() -> None:
    assert transliterate_arabic("٢٠٢٤") == "2024"
    assert to_ascii("Шевченко") == "shevchenko"
    assert to_ascii("Erdoğan") == "erdogan"
    assert to_ascii("ប៉ុល ពត").isascii()
