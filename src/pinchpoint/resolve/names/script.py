"""Which writing system a name (or one part of it) is written in.

The comparison of two name parts depends on their scripts: two Latin spellings are
compared letter by letter, a Latin spelling against an Arabic-script one through a
consonant skeleton (Arabic script leaves short vowels unwritten), and two parts in a dense
script such as Han or Hangul syllable by syllable, where one differing character is a
different name. Unicode's Script property (via rigour's ICU4X binding) does the
classification; this module only names the few groups the matcher cares about.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from rigour.text.scripts import codepoint_script

LATIN = "Latin"
ARABIC = "Arabic"
CYRILLIC = "Cyrillic"
HAN = "Han"
HANGUL = "Hangul"
UNKNOWN = "Unknown"

#: Scripts where one character carries a syllable or a morpheme: a substituted
#: character is a substituted name element, not a typo.
DENSE_SCRIPTS = frozenset({"Han", "Hangul", "Hiragana", "Katakana"})

#: Scripts that write consonants and long vowels only (an abjad): the matcher compares
#: them to Latin through consonant skeletons. Syriac and Hebrew behave the same way.
ABJADS = frozenset({"Arabic", "Hebrew", "Syriac"})


@lru_cache(maxsize=4096)
def char_script(char: str) -> str | None:
    """The Unicode script of one character, or None for digits, spaces and punctuation."""
    script = codepoint_script(ord(char))
    if script in (None, "Common", "Inherited", "Unknown"):
        return None
    return script


def scripts(text: str) -> set[str]:
    """Every real script present in ``text`` (digits and punctuation do not count)."""
    found: set[str] = set()
    for char in text:
        script = char_script(char)
        if script is not None:
            found.add(script)
    return found


@lru_cache(maxsize=65536)
def dominant_script(text: str) -> str:
    """The script most letters of ``text`` are written in; ``Unknown`` if it has none.

    A name part mixing scripts (a Latin ``Al`` glued to Arabic letters) is rare; taking
    the majority keeps such a part in one comparison path instead of failing.
    """
    if text.isascii():  # every ASCII letter is Latin; digits and punctuation are none
        return LATIN if any(c.isalpha() for c in text) else UNKNOWN
    counts: Counter[str] = Counter()
    for char in text:
        script = char_script(char)
        if script is not None:
            counts[script] += 1
    if not counts:
        return UNKNOWN
    return counts.most_common(1)[0][0]


def is_arabic_script(text: str) -> bool:
    """True when ``text`` is written mostly in Arabic script (any of its languages)."""
    return dominant_script(text) == ARABIC


def is_dense(script: str) -> bool:
    """True for scripts compared character by character (Han, Hangul, kana)."""
    return script in DENSE_SCRIPTS


def is_abjad(script: str) -> bool:
    """True for scripts that leave short vowels unwritten."""
    return script in ABJADS
