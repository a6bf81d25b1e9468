# ruff: noqa: RUF001, RUF002 -- Arabic-script and Cyrillic letters are the data here
"""Known spelling variants of common name parts, read from package data.

Rules (transliteration, skeletons) cannot tell that ``Gamal`` is the Egyptian spelling of
``Jamal`` or that ``Hassan`` and ``Hussein`` - one consonant frame, h-s-n - are different
names. A small table of equivalence classes can, and it also lets the matcher say *why*
two parts agree ("known variant") rather than only *how much*. The table is data
(``resolve/data/name_variants.yaml``) so an analyst can extend it without touching code.

The table also feeds the opposite judgement: two parts that are both listed, in different
groups, are known to be different names, however close their spellings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

_ARABIC_FOLD = str.maketrans({
    "ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا", "آ": "ا",
    "ٱ": "ا", "ؤ": "و", "ھ": "ه", "ہ": "ه",
})
_ARABIC_DROP = re.compile("[\u064b-\u065f\u0670\u0640\u200c\u200d\u200e\u200f]")


def fold_arabic(word: str) -> str:
    """Fold the letter variants Arabic, Persian and Urdu spell differently, for lookups.

    ي/ی, ك/ک, ة/ه and the hamza-carrying alefs are the same letter for identity purposes;
    harakat, tatweel and zero-width joiners are dropped.
    """
    word = unicodedata.normalize("NFC", word)
    return _ARABIC_DROP.sub("", word).translate(_ARABIC_FOLD)


@dataclass(frozen=True)
class VariantTable:
    """Lookup from a spelling to the variant groups (and nickname groups) it belongs to."""

    latin: dict[str, frozenset[int]] = field(default_factory=dict)
    arabic: dict[str, frozenset[int]] = field(default_factory=dict)
    nicknames: dict[str, frozenset[int]] = field(default_factory=dict)
    display: dict[int, str] = field(default_factory=dict)
    common: frozenset[int] = frozenset()

    def groups(self, latin: str, arabic: str | None = None) -> frozenset[int]:
        """Variant groups of a part given its ASCII form and, if any, its Arabic spelling."""
        found = self.latin.get(latin, frozenset())
        if arabic:
            folded = fold_arabic(arabic)
            found = found | self.arabic.get(folded, frozenset())
            if not found and folded.startswith("ال") and len(folded) > 3:
                found = self.arabic.get(folded[2:], frozenset())
        return found

    def nickname_groups(self, latin: str) -> frozenset[int]:
        """Nickname groups a part belongs to (as a nickname or as the full name)."""
        return self.nicknames.get(latin, frozenset())

    def is_common(self, groups: frozenset[int]) -> bool:
        """True if any of the groups is marked as a very common name."""
        return bool(groups & self.common)


def _add(index: dict[str, set[int]], key: str, group: int) -> None:
    index.setdefault(key, set()).add(group)


def _freeze(index: dict[str, set[int]]) -> dict[str, frozenset[int]]:
    return {key: frozenset(value) for key, value in index.items()}


def build_table(data: dict[str, Any]) -> VariantTable:
    """Build the lookup from the YAML structure (``groups`` and ``nicknames``)."""
    latin: dict[str, set[int]] = {}
    arabic: dict[str, set[int]] = {}
    nicknames: dict[str, set[int]] = {}
    display: dict[int, str] = {}
    common: set[int] = set()
    for number, group in enumerate(data.get("groups", [])):
        spellings = [str(s).lower() for s in group.get("latin", [])]
        if spellings:
            display[number] = spellings[0]
        for spelling in spellings:
            _add(latin, spelling, number)
        for spelling in group.get("arabic", []):
            _add(arabic, fold_arabic(str(spelling)), number)
        if group.get("common"):
            common.add(number)
    for number, names in enumerate(data.get("nicknames", [])):
        for name in names:
            _add(nicknames, str(name).lower(), number)
    return VariantTable(
        latin=_freeze(latin), arabic=_freeze(arabic), nicknames=_freeze(nicknames),
        display=display, common=frozenset(common),
    )


@lru_cache(maxsize=1)
def load_variants() -> VariantTable:
    """The shipped table (``resolve/data/name_variants.yaml``), read once."""
    text = resources.files("pinchpoint.resolve").joinpath("data/name_variants.yaml")
    data = yaml.safe_load(text.read_text(encoding="utf-8"))
    return build_table(data)


@lru_cache(maxsize=1)
def load_name_parts() -> dict[str, Any]:
    """The structural-word lists (``resolve/data/name_parts.yaml``), read once."""
    text = resources.files("pinchpoint.resolve").joinpath("data/name_parts.yaml")
    data: dict[str, Any] = yaml.safe_load(text.read_text(encoding="utf-8"))
    return data
