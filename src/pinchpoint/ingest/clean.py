"""Value cleaning: FtM's type cleaners, made strict and made to say why.

FtM returns None for a value it cannot clean and the caller usually drops it. Here a
cleaner returns either the clean value or the reason it failed, and the engine puts
every failure in the quarantine.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from followthemoney.exc import InvalidData
from followthemoney.property import Property
from followthemoney.types import registry
from rigour.langs import iso_639_alpha3

from pinchpoint.ingest.limits import MAX_VALUE, too_long
from pinchpoint.model.category import parse_category

Cleaned = tuple[str | None, str | None]  # (value, reason it failed)
Cleaner = Callable[[str, str | None], Cleaned]

_NUMBER = re.compile(r"^[+-]?(\d{1,3}([ ,']\d{3})+|\d+)([.,]\d+)?$")
ITEM_KINDS = {"boat", "engine", "lifejackets", "fuel", "other"}
_ITEM_ALIASES = {"life jackets": "lifejackets", "life jacket": "lifejackets",
                 "lifejacket": "lifejackets", "outboard engine": "engine", "motor": "engine",
                 "dinghy": "boat", "vessel": "boat"}


def text_of(value: Any) -> str:
    """A cell value as text: numbers without a spurious '.0', dates as ISO."""
    if type(value) is str:
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _bad_text(value: str) -> str | None:
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "not valid UTF-8 text"
    if "\x00" in value:
        return "contains a NUL byte"
    return None


_SLASHED_DATE = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_DATE_PRECISION = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")


def _clean_date(value: str, fmt: str | None) -> Cleaned:
    if fmt:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            return None, f"not a date in the format {fmt}"
        has_time = any(code in fmt for code in ("%H", "%M", "%S", "%I"))
        value = parsed.isoformat(timespec="seconds") if has_time else parsed.date().isoformat()
    slashed = _SLASHED_DATE.match(value.strip())
    if slashed:  # 2024/03/07 and 2024.03.07: FtM would keep only the year
        year, month, day = slashed.groups()
        value = f"{year}-{int(month):02d}-{int(day):02d}" + value.strip()[slashed.end():]
    cleaned = registry.date.clean(value)
    if cleaned is None:
        return None, "not a valid date (expected ISO 8601 such as 2024-03-02)"
    # FtM shortens an impossible date to what it can parse ('2023-00-12' -> '2023');
    # storing that would silently lose the day, so it is quarantined instead.
    stated = _DATE_PRECISION.match(value.strip())
    if stated and len(cleaned) < len(stated.group(0)):
        return None, "not a valid date (no such month or day)"
    return cleaned, None


def _clean_number(value: str) -> Cleaned:
    compact = value.strip()
    if not _NUMBER.match(compact):
        return None, "not a number"
    if "," in compact and "." not in compact and re.search(r",\d{1,2}$", compact):
        compact = compact.replace(",", ".")
    return re.sub(r"[ ,']", "", compact), None


def _typed(prop: Property, fmt: str | None) -> Cleaner:
    type_ = prop.type
    if type_ == registry.date:
        return lambda v, hint: _clean_date(v, fmt)
    if type_ == registry.number:
        return lambda v, hint: _clean_number(v)
    if type_ == registry.phone:
        def phone(value: str, hint: str | None) -> Cleaned:
            try:
                cleaned = dialled(value, hint or fmt)
            except InvalidData:
                return None, f"{hint or fmt!r} is not a country phone numbers are dialled in"
            if cleaned is None:
                region = hint or fmt
                if region:
                    return None, f"not a valid phone number (dialled in {region})"
                if value.lstrip().startswith(("+", "00")):
                    return None, "not a valid phone number"
                return None, "not a valid phone number (no country prefix; see --phone-region)"
            return cleaned, None
        return phone
    if type_ == registry.country:
        return lambda v, hint: _or_reason(registry.country.clean(v), "unknown country")
    if type_ == registry.email:
        return lambda v, hint: _or_reason(registry.email.clean(v), "not a valid e-mail address")
    if type_ == registry.url:
        return lambda v, hint: _or_reason(registry.url.clean(v), "not a valid URL")
    if type_ == registry.language:
        return lambda v, hint: _or_reason(_language(v), "unknown language (ISO 639 code)")
    if type_ == registry.gender:
        return lambda v, hint: _or_reason(registry.gender.clean(v), "unknown gender")
    return lambda v, hint: _or_reason(type_.clean(v), f"not a valid {type_.name}")


# Language names analysts write, for languages of the smuggling corridors.
_LANGUAGE_NAMES = {"sorani": "ckb", "kurdish sorani": "ckb", "kurmanji": "kmr",
                   "kurdish": "kur", "dari": "prs", "pashto": "pus", "farsi": "fas",
                   "persian": "fas", "arabic": "ara", "albanian": "sqi", "vietnamese": "vie",
                   "english": "eng", "french": "fra", "german": "deu", "urdu": "urd",
                   "tigrinya": "tir", "amharic": "amh", "turkish": "tur"}


def _language(value: str) -> str | None:
    """ISO 639 codes, including those FtM's short list lacks (ckb, prs, kmr)."""
    key = value.strip().lower()
    return _LANGUAGE_NAMES.get(key) or iso_639_alpha3(key)


def _or_reason(value: str | None, reason: str) -> Cleaned:
    return (value, None) if value is not None else (None, reason)


def _category(value: str, hint: str | None) -> Cleaned:
    category = parse_category(value)
    if category is None:
        return None, "not a person category (suspect, convicted, victim, witness, other)"
    return category.value, None


def _item_kind(value: str, hint: str | None) -> Cleaned:
    key = value.strip().lower()
    key = _ITEM_ALIASES.get(key, key)
    if key not in ITEM_KINDS:
        return None, f"not an item kind ({', '.join(sorted(ITEM_KINDS))})"
    return key, None


# Properties whose values come from a closed list, beyond what their FtM type checks.
_VOCABULARIES: dict[str, Cleaner] = {
    "Person:personCategory": _category,
    "SeizedItem:itemKind": _item_kind,
}


# Characters that change how text shows without showing themselves: bidirectional
# embeddings, overrides, isolates and marks (U+202E shows 'Ali' + U+202E + 'nahk' as
# 'Alikhan'), zero-width and other format characters, and control characters. Tab, line
# feed, carriage return and form feed stay (notes and documents use them), and so do
# ZWNJ and ZWJ (U+200C, U+200D), which Persian and Kurdish spelling needs. NUL is left
# for _bad_text, which quarantines the value.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVISIBLE = re.compile(
    "[\x01-\x08\x0b\x0e-\x1f\x7f-\x9f\u00ad\u180e\u200b\u2060-\u2064\u206a-\u206f"
    f"\ufeff\ufff9-\ufffb\U000e0000-\U000e007f{_BIDI}]")
_BIDI_CHARS = re.compile(f"[{_BIDI}]")


def visible(value: str) -> tuple[str, str | None]:
    """The value without invisible controls, and a note naming those removed (else None)."""
    if value.isprintable():  # most values; every character _INVISIBLE finds is not
        return value, None
    found = sorted(set(_INVISIBLE.findall(value)))
    if not found:
        return value, None
    kind = "bidirectional" if _BIDI_CHARS.search(value) else "invisible"
    codes = ", ".join(f"U+{ord(c):04X}" for c in found[:10])
    return _INVISIBLE.sub("", value), f"{kind} control characters removed ({codes})"


def clean_visible(cleaner: Cleaner, raw: str, hint: str | None
                  ) -> tuple[str | None, str | None, str | None]:
    """Clean a value once invisible controls are out of it: (value, reason it failed,
    note saying what was removed). Every kind cleans through here, so none stores a
    value whose display differs from its text without a quarantine note."""
    if raw.isprintable():  # most values: nothing to remove (as `visible` says)
        value, reason = cleaner(raw, hint)
        return value, reason, None
    text, note = visible(raw)
    value, reason = cleaner(text.strip(), hint) if note else cleaner(raw, hint)
    return value, reason, note


class Memo:
    """Results of a pure function kept for the whole process, within bounds.

    A run maps thousands of files whose phone numbers, dates and countries recur from
    file to file, and parsing a phone number alone costs FtM about 100 µs; a cache per
    file parsed each number again in every file. Only short keys are kept (a long
    cell rarely recurs and would cost its length), and the cache starts over when it
    holds `entries` results, so a long-running server's memory stays bounded.
    """

    def __init__(self, entries: int = 200_000, longest: int = 200) -> None:
        self.entries = entries
        self.longest = longest
        self.results: dict[Any, Any] = {}

    def keep(self, key: Any, value: str, result: Any) -> None:
        """Remember `result` for `key`, unless `value` (the text it is for) is long."""
        if len(value) <= self.longest:
            if len(self.results) >= self.entries:
                self.results.clear()
            self.results[key] = result


_CLEANED = Memo()
_DIALLED = Memo()


def dialled(number: str, region: str | None) -> str | None:
    """FtM's E.164 spelling of a number dialled in `region`, None when it is not a valid
    number; raises InvalidData when `region` is no country. Kept for the process (see
    `Memo`): a phone extraction looks its numbers up, then cleans the same numbers."""
    results = _DIALLED.results
    key = (number, region)
    if key in results:
        known: str | None = results[key]
        return known
    cleaned: str | None = registry.phone.clean(number, format=region)
    _DIALLED.keep(key, number, cleaned)
    return cleaned


def make_cleaner(prop: Property, fmt: str | None = None) -> Cleaner:
    """The cleaner of one mapped property: its results are shared by every cleaner of
    the same property and format in the process (see `Memo`)."""
    inner = _VOCABULARIES.get(prop.qname) or _typed(prop, fmt)
    identity = f"{prop.qname}\x1f{fmt}"  # text, so that its hash is computed once
    results = _CLEANED.results

    def clean(value: str, hint: str | None) -> Cleaned:
        if len(value) > MAX_VALUE:  # checked before the cache, which would keep it
            return None, too_long(value)
        key = (identity, value, hint)
        hit: Cleaned | None = results.get(key)
        if hit is not None:
            return hit
        bad = _bad_text(value)
        result: Cleaned = (None, bad) if bad else inner(value.strip(), hint)
        _CLEANED.keep(key, value, result)
        return result

    return clean
