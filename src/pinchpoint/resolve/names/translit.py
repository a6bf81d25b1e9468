# ruff: noqa: RUF001, RUF002 -- Arabic-script and Cyrillic letters are the data here
"""Arabic-script names to Latin, and any other script to ASCII.

General transliterators (ICU, anyascii) treat Arabic script as Arabic: they do not know
the letters Persian, Sorani Kurdish, Pashto and Urdu add (پ چ ژ گ, ە ێ ۆ ڕ ڵ ڤ,
ګ ښ ځ ټ ړ ډ ږ ۍ ې, ٹ ڈ ڑ ں ے), and they cannot tell a و or ی that is a vowel from one
that is a consonant. This module has its own letter table and context rules for those.

It produces two forms of a word:

- the **phone string**, used for matching: consonants as lowercase letters or one
  uppercase letter per digraph sound (``S`` sh, ``C`` ch, ``X`` kh, ``G`` gh, ``T`` th,
  ``D`` dh/emphatic z, ``J`` zh), written vowels as uppercase *vowel units* (``A`` alef,
  ``W`` vowel waw, ``Y`` vowel ya, ``E`` Kurdish/Pashto e, ``O`` Kurdish o, ``H`` final
  he that is a vowel) and ``'`` for ain and hamza. Short vowels written as harakat become
  lowercase vowels, exactly like Latin vowels. ``skeleton.py`` compares phone strings;
  the uppercase units let it know which vowels the spelling did not write;
- the **display form**, plain lowercase ASCII (``حەسەن`` -> ``hesen``, ``زاده`` ->
  ``zade``), for explanations and keys.

Short vowels that Arabic, Persian and Pashto leave unwritten are not guessed: حسن is
``hsn``. Matching against ``Hassan`` is the skeleton module's job, not a dictionary's.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import normality
from anyascii import anyascii
from rigour.text.translit import maybe_ascii, should_ascii

from pinchpoint.resolve.names.script import dominant_script

# Consonants: letter -> (phone, display). Letters the languages add are marked.
_CONSONANTS: dict[str, tuple[str, str]] = {
    "ب": ("b", "b"), "پ": ("p", "p"),  # پ Persian/Kurdish/Pashto/Urdu
    "ت": ("t", "t"), "ٹ": ("t", "t"), "ټ": ("t", "t"),  # ٹ Urdu, ټ Pashto retroflex
    "ث": ("T", "th"), "ج": ("j", "j"), "چ": ("C", "ch"),  # چ Persian and others
    "ح": ("h", "h"), "خ": ("X", "kh"),
    "ځ": ("z", "dz"), "څ": ("s", "ts"),  # Pashto
    "د": ("d", "d"), "ڈ": ("d", "d"), "ډ": ("d", "d"),  # ڈ Urdu, ډ Pashto
    "ذ": ("D", "dh"), "ر": ("r", "r"), "ڑ": ("r", "r"), "ړ": ("r", "r"),  # ڑ Urdu, ړ Pashto
    "ڕ": ("r", "r"),  # Sorani trilled r
    "ز": ("z", "z"), "ژ": ("J", "zh"), "ږ": ("J", "zh"),  # ژ Persian, ږ Pashto
    "س": ("s", "s"), "ش": ("S", "sh"), "ښ": ("S", "sh"),  # ښ Pashto (sh or kh by dialect)
    "ص": ("s", "s"), "ض": ("D", "d"), "ط": ("t", "t"), "ظ": ("D", "z"),
    "ع": ("'", ""), "غ": ("G", "gh"), "ف": ("f", "f"), "ڤ": ("v", "v"),  # ڤ Kurdish v
    "ق": ("q", "q"), "ک": ("k", "k"), "ك": ("k", "k"), "ګ": ("g", "g"), "گ": ("g", "g"),
    "ڭ": ("g", "ng"), "ل": ("l", "l"), "ڵ": ("l", "l"),  # ڵ Sorani velar l
    "م": ("m", "m"), "ن": ("n", "n"), "ں": ("n", "n"), "ڼ": ("n", "n"),  # ں Urdu, ڼ Pashto
    "ھ": ("h", "h"), "ہ": ("h", "h"),  # Urdu he forms
    "ء": ("'", ""), "ئ": ("'", ""), "ؤ": ("'", ""), "ٔ": ("", ""),
}
# Letters that are always vowels, with their vowel unit and display.
_VOWELS: dict[str, tuple[str, str]] = {
    "ا": ("A", "a"), "آ": ("A", "a"), "أ": ("A", "a"), "إ": ("A", "i"), "ٱ": ("A", "a"),
    "ى": ("A", "a"), "ة": ("H", "a"),
    "ە": ("E", "e"), "ێ": ("E", "e"), "ۆ": ("O", "o"),  # Sorani
    "ې": ("E", "e"), "ۍ": ("Y", "ai"),  # Pashto
    "ے": ("E", "e"), "ۓ": ("E", "e"),  # Urdu bari ye
}
_WAW = "و"
_YA = frozenset("يیۑ")
_HE = frozenset("ه")
_HARAKAT: dict[str, str] = {
    "\u064e": "a", "\u064f": "u", "\u0650": "i",  # fatha, damma, kasra
    "\u064b": "an", "\u064c": "un", "\u064d": "in",  # tanwin
    "\u0670": "a",  # superscript alef
    "\u0652": "", "\u0653": "", "\u0654": "", "\u0655": "",  # sukun, madda, hamza marks
}
_SHADDA = "\u0651"
_ZWNJ = "\u200c"
_IGNORED = frozenset({"\u0640", "\u200d", "\u200e", "\u200f"})  # tatweel, joiners, marks
_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {
    chr(0x06F0 + i): str(i) for i in range(10)
}
_VOWEL_UNITS = frozenset("AWYEOH")
_SPECIAL_DISPLAY = {"الله": "allah", "لله": "llah"}


def _is_vowel_letter(char: str | None) -> bool:
    return char is not None and (char in _VOWELS or char == _WAW or char in _YA)


def _units(word: str) -> list[tuple[str, str]]:
    """(phone, display) per sound of one Arabic-script word, with context rules.

    و and ی are consonants (w, y) at the start of a word, next to another vowel letter,
    or before alef (و also before ی: پرویز Parwiz); otherwise they write the long
    vowels u/o and i/e. ه at the end of a
    word (or before a zero-width non-joiner, the older Kurdish way of writing e) is the
    vowel e/a that Persian, Pashto and Kurdish names end in (زاده zade).
    """
    letters = [c for c in word if c not in _IGNORED]
    out: list[tuple[str, str]] = []
    prev_vowel_letter: bool | None = None  # None: at the start of the word
    i = 0
    while i < len(letters):
        char = letters[i]
        nxt = letters[i + 1] if i + 1 < len(letters) else None
        if char in _DIGITS:
            out.append((_DIGITS[char], _DIGITS[char]))
            prev_vowel_letter = False
        elif char in _HARAKAT:
            value = _HARAKAT[char]
            if value:
                out.append((value, value))
        elif char in (_SHADDA, _ZWNJ):
            pass  # a doubled consonant is compared as a single one anyway
        elif char in _VOWELS:
            out.append(_VOWELS[char])
            prev_vowel_letter = True
        elif char == _WAW:
            if nxt == _WAW:  # Sorani وو: long u
                out.append(("W", "u"))
                i += 1
                prev_vowel_letter = True
            elif (prev_vowel_letter is None or prev_vowel_letter or nxt in ("ا", "آ")
                  or nxt in _YA):
                out.append(("w", "w"))
                prev_vowel_letter = False
            else:
                out.append(("W", "u"))
                prev_vowel_letter = True
        elif char in _YA:
            if prev_vowel_letter is None or prev_vowel_letter or nxt in ("ا", "آ", _WAW):
                out.append(("y", "y"))
                prev_vowel_letter = False
            else:
                out.append(("Y", "i"))
                prev_vowel_letter = True
        elif char in _HE:
            at_end = nxt is None or nxt == _ZWNJ
            if at_end and i > 0:
                out.append(("H", "e"))
                prev_vowel_letter = True
            else:
                out.append(("h", "h"))
                prev_vowel_letter = False
        elif char in _CONSONANTS:
            phone, display = _CONSONANTS[char]
            if phone or display:
                out.append((phone, display))
            prev_vowel_letter = False
        elif unicodedata.category(char).startswith("M"):
            pass  # other combining marks carry no sound we use
        else:
            ascii_form = anyascii(char).lower()
            out.extend((c, c) for c in ascii_form if c.isalnum())
            prev_vowel_letter = False
        i += 1
    return out


@lru_cache(maxsize=65536)
def arabic_phones(word: str) -> str:
    """The phone string of one Arabic-script word (see the module docstring)."""
    return "".join(phone for phone, _ in _units(word))


@lru_cache(maxsize=65536)
def transliterate_arabic(text: str) -> str:
    """Arabic-script text (Arabic, Persian, Sorani, Pashto, Urdu) to lowercase Latin."""
    words = []
    for word in text.split():
        special = _SPECIAL_DISPLAY.get(word)
        if special is not None:
            words.append(special)
            continue
        words.append("".join(display for _, display in _units(word)))
    return " ".join(w for w in words if w)


def has_vowel_units(phones: str) -> bool:
    """True if a phone string came from an abjad spelling (it has uppercase vowel units)."""
    return any(c in _VOWEL_UNITS for c in phones)


@lru_cache(maxsize=65536)
def to_ascii(text: str) -> str:
    """Any text to lowercase ASCII: our rules for Arabic script, libraries for the rest.

    rigour's ``maybe_ascii`` gives the conventional spellings for the scripts it admits
    (Cyrillic ``Шевченко`` -> ``shevchenko``, Greek, Armenian, Georgian, Hangul); ICU via
    ``normality`` handles most others; ``anyascii`` covers what ICU leaves as ``?``
    (Khmer, for one).
    """
    if not text:
        return ""
    if dominant_script(text) == "Arabic":
        return transliterate_arabic(text)
    if text.isascii():
        return text.lower()
    if should_ascii(text):
        out = maybe_ascii(text)
        if out.isascii():
            return out.lower()
    icu = normality.ascii_text(text)
    if icu and "?" not in icu:
        return icu.lower()
    return anyascii(text).lower()
