"""Name parts and their roles: given, family, patronymic, kunya, honorific, ...

Comparing names word by word in order fails on the names Pinchpoint sees: ``Mohammed bin
Salman`` is also written ``bin Salman Mohammed``, ``Abdul Rahman`` is one name in two
words, ``Haji`` and ``Kaka`` are titles, and ``Ahmad bin Hasan`` (Ahmad, son of Hasan)
is the father of ``Hasan bin Ahmad``, not the same man. So each part is tagged with its
role first; the matcher then lets part order vary freely but never aligns a given name
with a father's name when both names spell out their lineage.

This module defines :class:`Part`, :class:`NameAnalysis` and how one part is built;
``person.py`` analyses person names and ``orgs.py`` organisation and vessel names into
these structures.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, fields
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import Any

from pinchpoint.resolve.names.script import dominant_script, is_abjad, is_dense
from pinchpoint.resolve.names.skeleton import latin_phones, wade_giles_pinyin
from pinchpoint.resolve.names.translit import arabic_phones, to_ascii, transliterate_arabic
from pinchpoint.resolve.names.variants import fold_arabic, load_name_parts, load_variants

SERIALS = itertools.count()
"""Serial numbers of parts and configs (see ``Part.serial``)."""
_PROCESS_LOCAL = frozenset({"_hash", "serial"})


def portable_state(state: dict[str, Any]) -> dict[str, Any]:
    """An object's attributes for pickling, without those that hold only in this process
    (a string's hash differs from process to process, and so do serial numbers)."""
    return {k: v for k, v in state.items() if k not in _PROCESS_LOCAL}


class Role(StrEnum):
    GIVEN = "given"
    MIDDLE = "middle"
    FAMILY = "family"
    NAME = "name"  # a part of an organisation or object name
    PATRONYMIC = "patronymic"
    KUNYA = "kunya"
    INITIAL = "initial"
    HONORIFIC = "honorific"
    PARTICLE = "particle"
    MARKER = "marker"  # bin, ibn, s/o, oglu: structure, not a name
    LEGAL_FORM = "legal_form"
    NUMBER = "number"
    STOPWORD = "stopword"


#: Roles that carry identity and take part in alignment.
CONTENT_ROLES = frozenset({
    Role.GIVEN, Role.MIDDLE, Role.FAMILY, Role.NAME, Role.PATRONYMIC, Role.KUNYA,
    Role.INITIAL, Role.LEGAL_FORM, Role.NUMBER,
})


@dataclass(frozen=True)
class Part:
    """One part of a name with everything the matcher compares it on."""

    text: str  # as written (possibly several words: "Abd al-Rahman")
    ascii: str  # lowercase ASCII form, for display, equality and keys
    phones: str  # phone string (see translit.py / skeleton.py)
    script: str
    role: Role
    level: int = 0  # patronymic generation: 1 father, 2 grandfather, ...
    groups: frozenset[str] = frozenset()  # known-variant groups
    nicks: frozenset[str] = frozenset()  # nickname groups (weak)
    common: bool = False  # a very common name (Mohammed, Ali, Khan)
    generic: bool = False  # an organisation word like "group" or "bank"
    alt_phones: str = ""  # another reading: no glued article ("Alrawi" -> "rawi"), Pinyin
    derived: bool = False  # a patronymic recognised by its ending (Vladimirovich)
    affix: str = ""  # compound affix: abd, abu, umm (prefix) or allah, aldin (suffix)
    core_phones: str = ""  # phones of the compound's distinctive element

    @cached_property
    def abjad(self) -> bool:
        """True when spelt in a script without short vowels (Arabic, Hebrew)."""
        return is_abjad(self.script)

    @cached_property
    def dense(self) -> bool:
        """True for Han/Hangul/kana parts, compared character by character."""
        return is_dense(self.script)

    # Parts key caches (``_interned``, and through analyses ``align._side_of``): the
    # hash of all fields is computed once per part, not on every look-up. Equal parts
    # still hash equal (the same fields, in order).
    @cached_property
    def _hash(self) -> int:
        return hash(tuple(getattr(self, name) for name in _PART_FIELDS))

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def serial(self) -> int:
        """A number no other part object in this process has: the key of the matcher's
        kept part comparisons (``align._fit``; equal parts of analyses are one object)."""
        return next(SERIALS)

    def __getstate__(self) -> dict[str, Any]:
        return portable_state(self.__dict__)


@dataclass(frozen=True)
class NameAnalysis:
    """A whole name: its parts in order, its weak aliases, and how it was read."""

    original: str
    kind: str  # "person", "org" or "object"
    parts: tuple[Part, ...]
    aliases: tuple[NameAnalysis, ...] = ()
    structured: bool = False  # spells out lineage with bin/ibn/s/o/oglu markers
    swapped: bool = False  # was written "FAMILY, Given"

    def __post_init__(self) -> None:
        # Equal parts as one object: the matcher's caches of part comparisons then find
        # a pair by identity instead of comparing every field of both parts.
        object.__setattr__(self, "parts", tuple(_interned(p) for p in self.parts))

    # Analyses key the aligner's cache of each name's runs of parts (``align._side_of``).
    @cached_property
    def _hash(self) -> int:
        return hash((self.original, self.kind, self.parts, self.aliases, self.structured,
                     self.swapped))

    def __hash__(self) -> int:
        return self._hash

    def __getstate__(self) -> dict[str, Any]:
        return portable_state(self.__dict__)

    @cached_property
    def content(self) -> tuple[Part, ...]:
        """The parts that carry identity, in order (kept: every comparison asks)."""
        return tuple(p for p in self.parts if p.role in CONTENT_ROLES)

    @cached_property
    def named(self) -> int:
        """How many content parts are names, not initials."""
        return sum(1 for p in self.content if p.role != Role.INITIAL)

    def display(self) -> str:
        """The analysed name in ASCII, roles in brackets for structural words."""
        out = []
        for part in self.parts:
            if part.role in CONTENT_ROLES:
                out.append(part.ascii)
            else:
                out.append(f"[{part.ascii}]")
        return " ".join(out)


_PART_FIELDS = tuple(f.name for f in fields(Part))


@lru_cache(maxsize=65536)
def _interned(part: Part) -> Part:
    """The first of the parts equal to ``part`` that is still kept (see NameAnalysis)."""
    return part


@dataclass(frozen=True)
class _Words:
    """The structural-word lists from ``data/name_parts.yaml``, as sets."""

    before: frozenset[str]
    after: frozenset[str]
    suffixes: tuple[str, ...]
    kunya: frozenset[str]
    honorifics: frozenset[str]
    particles: frozenset[str]
    abd: tuple[str, ...]
    allah: frozenset[str]
    aldin: frozenset[str]


@lru_cache(maxsize=1)
def words() -> _Words:
    """Load the structural-word lists once; Arabic-script entries are folded for lookup."""
    data = load_name_parts()

    def both(key: str) -> frozenset[str]:
        entry = data.get(key, {})
        latin = {str(w) for w in entry.get("latin", [])}
        arabic = {fold_arabic(str(w)) for w in entry.get("arabic", [])}
        return frozenset(latin | arabic)

    compounds = data.get("compound_suffixes", {})
    return _Words(
        before=both("patronymic_before"),
        after=both("patronymic_after"),
        suffixes=tuple(str(s) for s in data.get("patronymic_suffixes", [])),
        kunya=both("kunya"),
        honorifics=both("honorifics"),
        particles=both("particles"),
        abd=tuple(sorted(both("abd_prefixes"), key=len, reverse=True)),
        allah=frozenset(str(s).replace("-", "") for s in compounds.get("allah", [])),
        aldin=frozenset(str(s).replace("-", "") for s in compounds.get("aldin", [])),
    )


# Characters that are not letters or digits (``str.isalnum``); ``\w`` is exactly those
# plus the underscore.
_NOT_ALNUM = re.compile(r"[\W_]+")
_NOT_ALNUM_OR_UNDERSCORE = re.compile(r"\W+")


@lru_cache(maxsize=65536)
def word_key(token: str) -> str:
    """Lookup key of a raw token: folded Arabic script, or lowercase ASCII."""
    if dominant_script(token) == "Arabic":
        return fold_arabic(token)
    return _NOT_ALNUM_OR_UNDERSCORE.sub("", to_ascii(token))


@lru_cache(maxsize=4096)
def _group_ids(groups: frozenset[int], prefix: str, tag: str) -> frozenset[str]:
    """Variant (``g``) or nickname (``n``) group numbers as the part's group labels."""
    return frozenset(f"{prefix}{tag}{g}" for g in groups)


def _strip_article(token: str) -> str:
    """The Arabic-script word without a leading definite article (السيسي -> سيسي)."""
    folded = fold_arabic(token)
    if folded.startswith("ال") and len(folded) > 4:
        return token[2:] if token.startswith("ال") else folded[2:]
    return token


def make_part(text: str, role: Role, level: int = 0, ascii_form: str | None = None,
              phones: str | None = None, prefix: str = "") -> Part:
    """Build a part from its written form; ``ascii_form``/``phones`` override for compounds."""
    script = dominant_script(text)
    table = load_variants()
    if script == "Arabic":
        core = _strip_article(text)
        ascii_value = ascii_form if ascii_form is not None else transliterate_arabic(core)
        phone_value = phones if phones is not None else arabic_phones(core)
        groups = table.groups(ascii_value, core)
        alt = ""
    else:
        ascii_value = ascii_form if ascii_form is not None else _NOT_ALNUM.sub(
            "", to_ascii(text))
        phone_value = phones if phones is not None else latin_phones(ascii_value)
        groups = table.groups(ascii_value)
        alt = ""
        if ascii_value[:2] in ("al", "el") and len(ascii_value) >= 6 and not groups:
            alt = latin_phones(ascii_value[2:])
        elif pinyin := wade_giles_pinyin(ascii_value):
            alt = latin_phones(pinyin)
    nicks = table.nickname_groups(ascii_value)
    return Part(
        text=text, ascii=ascii_value, phones=phone_value, script=script, role=role,
        level=level, groups=_group_ids(groups, prefix, "g"),
        nicks=_group_ids(nicks, "", "n"),
        common=table.is_common(groups) and not prefix, alt_phones=alt,
    )
