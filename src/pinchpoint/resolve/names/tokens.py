# ruff: noqa: RUF001, RUF002 -- Arabic-script and Cyrillic letters are the data here
"""Splitting a raw name string into aliases and tokens.

Case files write names every way: ``PUTIN, Vladimir``, ``Zeeshan Banghis AKA Bangash
Zeeshan``, ``Ahmad "Hama" Karim``, ``Abd-al-Latif``, ``VladimirPutin``, ``Ig0r``. This
module undoes the formatting so the part analyser sees words. It knows nothing about
what a word means; that is ``parts.py``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_AKA = re.compile(
    r"\s+(?:a\.?k\.?a\.?|f\.?k\.?a\.?|alias|also known as|known as)\s+"
    r"|(?<=\w\w)\s*/\s*(?=\w\w)",  # "/" between words, not in A/S or M/V
    re.IGNORECASE,
)
_RELATION_SLASH = re.compile(r"\b([sd])\s*/\s*o\b", re.IGNORECASE)  # s/o, d/o
_RELATION_WORDS = re.compile(r"\b(son|daughter) of\b", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“”«»„]([^\"“”«»„]+)[\"“”«»„]")
_PARENS = re.compile(r"\(([^()]*)\)")
_APOSTROPHES = "'’ʿʾ`´ʼ‘"
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "9": "g"})


@dataclass(frozen=True)
class Segments:
    """A raw name split into its main form and weak aliases (AKA, nickname, bracketed)."""

    main: str
    aliases: tuple[str, ...]


def split_aliases(text: str, person: bool) -> Segments:
    """Separate AKAs and, for persons, quoted nicknames and bracketed names.

    ``s/o``, ``son of`` and their relatives become one marker token before ``/`` is
    read as an alias separator. In a person's name quotes and brackets hold a nickname
    (``Ahmad "Hama" Karim``); in an organisation's they hold the name itself (``ООО
    "Байкал"``) or a qualifier (``Deutsche Bank (Schweiz) AG``), so they stay.
    """
    text = unicodedata.normalize("NFC", text).strip()
    text = _RELATION_SLASH.sub(lambda m: f" {m.group(1).lower()}_o ", text)
    text = _RELATION_WORDS.sub(lambda m: f" {m.group(1)[0].lower()}_o ", text)
    aliases: list[str] = []
    if person:
        aliases.extend(m.group(1) for m in _QUOTED.finditer(text))
        text = _QUOTED.sub(" ", text)
        aliases.extend(m.group(1) for m in _PARENS.finditer(text))
        text = _PARENS.sub(" ", text)
    pieces = [p.strip() for p in _AKA.split(text) if p and p.strip()]
    if not pieces:
        return Segments(main="", aliases=tuple(a.strip() for a in aliases if a.strip()))
    main, rest = pieces[0], pieces[1:]
    aliases = rest + aliases
    return Segments(main=main, aliases=tuple(a.strip() for a in aliases if a.strip()))


def unswap_comma(text: str) -> tuple[str, bool]:
    """``PUTIN, Vladimir`` -> ``Vladimir PUTIN``; returns the text and whether it swapped.

    Only one comma with words on both sides counts; lists and company suffixes (``Apple,
    Inc.``) are left to the caller, which only asks for persons.
    """
    if text.count(",") != 1:
        return text, False
    head, tail = (p.strip() for p in text.split(","))
    if not head or not tail:
        return text.replace(",", " "), False
    return f"{tail} {head}", True


def split_camel(text: str) -> list[str]:
    """Split words written together at case changes: ``SiemensAG`` -> ``Siemens AG``."""
    out: list[str] = []
    for word in text.split():
        if word.isupper() or word.islower():
            out.append(word)
        else:
            out.extend(p for p in _CAMEL.split(word) if p)
    return out


def _is_word_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LNM" or char == "\u200c" or char == "_"


def tokenize(text: str, leet: bool = False) -> list[str]:
    """Split into word tokens, keeping each token's original case and script.

    Apostrophes inside a word are dropped (``Qa'ida`` -> ``Qaida``, ``'Abd`` -> ``Abd``);
    any other non-letter splits (hyphens, dots, commas, the Chinese middle dot). Mixed-case
    runs are split at case changes (``VladimirPutin``); with ``leet`` digits inside a
    word become the letters they imitate (``Ig0r`` -> ``Igor``).
    """
    for char in _APOSTROPHES:
        text = text.replace(char, "")
    tokens: list[str] = []
    current: list[str] = []
    for char in text:
        if _is_word_char(char):
            current.append(char)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    out: list[str] = []
    for token in tokens:
        token = token.strip("\u200c")
        if not token:
            continue
        if leet and any(c.isdigit() for c in token) and sum(c.isalpha() for c in token) >= 2:
            token = token.translate(_LEET)
        if not token.isupper() and not token.islower():
            out.extend(p for p in _CAMEL.split(token) if p)
        else:
            out.append(token)
    return out


# Number words, so "Brigade Forty-Four" and "Brigade 44" agree.
_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}
_ORDINAL_SUFFIX = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_ROMAN = re.compile(r"^(?=[ivxlc]+$)(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def roman_value(token: str) -> int | None:
    """The value of a lowercase Roman numeral (``xiii`` -> 13), or None."""
    if not token or not _ROMAN.match(token):
        return None
    total = 0
    for i, char in enumerate(token):
        value = _ROMAN_VALUES[char]
        nxt = _ROMAN_VALUES[token[i + 1]] if i + 1 < len(token) else 0
        total += -value if value < nxt else value
    return total


def number_value(token: str) -> int | None:
    """Digits, ``1st``, ``first`` or a unit/tens word as an integer; None otherwise."""
    if token.isdigit():
        return int(token)
    match = _ORDINAL_SUFFIX.match(token)
    if match:
        return int(match.group(1))
    for table in (_UNITS, _TENS, _ORDINALS):
        if token in table:
            return table[token]
    return None


def merge_numbers(tokens: list[str]) -> list[str]:
    """Join ``forty`` + ``four`` (or ``forty`` + ``4``) into ``44``; others unchanged."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in _TENS and i + 1 < len(tokens):
            unit = number_value(tokens[i + 1])
            if unit is not None and 0 < unit < 10:
                out.append(str(_TENS[token] + unit))
                i += 2
                continue
        value = number_value(token)
        out.append(str(value) if value is not None else token)
        i += 1
    return out
