"""What a column's values are: phone numbers, dates, countries, e-mail addresses, IBANs,
names or amounts.

A suggested mapping is only as good as its guess at each column, and a guess the engine
then rejects is worse than none. So each column's sample is put through the same
cleaners the mapping engine uses (`ingest/clean.py`): a kind is found only when most
values clean as it, and a date `format` found is one the engine then accepts. A column's
name only breaks ties (and makes a bare number an amount or a duration). What the kinds
are used for, parties and a mapping, is `ingest/suggest.py`'s.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from followthemoney.types import registry

from pinchpoint.ingest.clean import make_cleaner, text_of
from pinchpoint.ingest.engine import check_region
from pinchpoint.model.ftm import get_model

__all__ = ["AMOUNT_WORDS", "DATE_FORMATS", "DURATION_WORDS", "KINDS", "MIN_SHARE",
           "ROLE_WORDS", "SAMPLE", "Found", "checked_region", "detect_all", "name_says",
           "name_tokens"]

MIN_SHARE = 0.6  # share of a column's values that must clean as a kind
SAMPLE = 200  # values looked at per column
# In order of preference when two kinds fit a column equally well.
KINDS = ("email", "iban", "phone", "date", "country", "name", "number")
# Date formats tried after ISO 8601 (which needs none), as the engine's `format`.
DATE_FORMATS = ("%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y",
                "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S",
                "%d.%m.%Y %H:%M", "%d-%m-%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")

# Words of a column's name that speak for a kind (a tie-break, never a verdict).
_KIND_WORDS = {
    "email": {"email", "mail"}, "iban": {"iban", "account"},
    "phone": {"phone", "tel", "telephone", "mobile", "msisdn", "cell"},
    "date": {"date", "time", "dob", "birth", "born", "when", "day", "timestamp"},
    "country": {"country", "nationality", "citizenship"},
    "name": {"name", "alias", "aliases", "aka"},
}
AMOUNT_WORDS = {"amount", "sum", "paid", "value", "total", "price", "fee"}
DURATION_WORDS = {"duration", "seconds", "secs", "minutes", "mins"}
# Column names that are a party on their own ("sender" beside "sender_phone").
ROLE_WORDS = {"caller", "callee", "called", "calling", "dialled", "dialed", "receiver",
              "recipient", "sender", "payer", "payee", "beneficiary", "originator", "subscriber",
              "contact", "from", "to", "source", "target", "remitter", "buyer", "seller", "owner",
              "holder"}
_NAME_MARKS = "'\u2019.-\u200c\u200d"  # apostrophes, dot, hyphen, ZWNJ, ZWJ


@dataclass(frozen=True)
class Found:
    """A column's kind, from its values."""

    column: str
    kind: str
    matched: int
    seen: int
    format: str | None
    examples: tuple[str, ...]
    split: str | None = None  # names: several in one cell, separated by this
    local: bool = False  # phones: some are written without a country prefix


# -- the words of a column's name ---------------------------------------------------------------
def name_tokens(column: str) -> list[str]:
    """'callerNumber', 'caller_number', 'Caller Number' -> ['caller', 'number']."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", column)
    return re.findall(r"[^\W_]+", spaced.lower())


def name_says(column: str, words: set[str]) -> bool:
    """Whether a column's name holds one of `words`, alone or run together ('dateofbirth')."""
    tokens = name_tokens(column)
    if words & set(tokens):
        return True
    squashed = "".join(tokens)
    return any(len(w) >= 4 and w in squashed for w in words)


# -- what the values are ------------------------------------------------------------------------
def _sample(rows: Sequence[Mapping[str, Any]], column: str) -> list[str]:
    values = []
    for row in rows:
        raw = row.get(column)
        if raw is None or isinstance(raw, dict | list):
            continue
        text = text_of(raw).strip()
        if text:
            values.append(text)
        if len(values) >= SAMPLE:
            break
    return values


def _cleaner(qname: str, fmt: str | None = None) -> Callable[[str, str | None], bool]:
    schema, name = qname.split(":")
    clean = make_cleaner(get_model()[schema].properties[name], fmt)
    return lambda value, hint: clean(value, hint)[0] is not None


def _matching(values: list[str], accepts: Callable[[str], bool]) -> list[str]:
    return [v for v in values if accepts(v)]


def _dates(values: list[str]) -> tuple[list[str], str | None]:
    """The values that clean as dates in the best format (None: ISO 8601, preferred)."""
    def plausible(value: str) -> bool:  # a bare number is a date only as a year
        return not value.isdigit() or (len(value) == 4 and 1800 <= int(value) <= 2100)

    candidates = [v for v in values if plausible(v)]
    best: tuple[list[str], str | None] = ([], None)
    for fmt in (None, *DATE_FORMATS):
        accepts = _cleaner("Event:date", fmt)
        found = [v for v in candidates if accepts(v, None)]
        if len(found) > len(best[0]):
            best = (found, fmt)
    return best


def _is_word(token: str) -> bool:
    return any(c.isalpha() for c in token) and all(
        c.isalpha() or c in _NAME_MARKS or unicodedata.category(c).startswith("M")
        for c in token)


def _is_name(value: str, loose: bool) -> bool:
    parts = [p.strip() for p in value.split(";")]
    return all(_is_name_part(p, loose) for p in parts if p) and any(parts)


def _is_name_part(value: str, loose: bool) -> bool:
    words = value.split()
    fewest = 1 if loose else 2
    return (fewest <= len(words) <= 4 and all(_is_word(w) for w in words)
            and registry.country.clean(value) is None)


def _checks(column: str, region: str | None) -> dict[str, Callable[[str], bool]]:
    """Each kind's test of one value (dates are tried format by format in `_dates`)."""
    phone = _cleaner("Person:phone")
    country = _cleaner("Person:nationality")
    email = _cleaner("Person:email")
    number = _cleaner("Payment:amount")
    loose = name_says(column, _KIND_WORDS["name"] | ROLE_WORDS)
    return {
        "email": lambda v: email(v, None),
        "iban": lambda v: registry.identifier.clean(v, format="iban") is not None,
        "phone": lambda v: phone(v, region),
        "country": lambda v: country(v, None),
        "name": lambda v: _is_name(v, loose),
        "number": lambda v: number(v, None),
    }


def _hinted(column: str) -> str | None:
    """The kind a column's name speaks for, if any."""
    if name_says(column, AMOUNT_WORDS | DURATION_WORDS):
        return "number"
    for kind, words in _KIND_WORDS.items():
        if name_says(column, words):
            return kind
    return None


def _detect(column: str, values: list[str], region: str | None) -> Found | None:
    """The kind most of a column's values clean as, the name breaking ties."""
    if not values:
        return None
    results: dict[str, tuple[list[str], str | None]] = {
        kind: (_matching(values, check), None) for kind, check in _checks(column, region).items()}
    results["date"] = _dates(values)
    hint = _hinted(column)
    if hint != "number":  # a bare number is an amount or a duration only by its name
        results.pop("number")
    fits = [k for k in KINDS if k in results and len(results[k][0]) >= MIN_SHARE * len(values)]
    if not fits:
        return None
    kind = hint if hint in fits else max(fits, key=lambda k: len(results[k][0]))
    matched, fmt = results[kind]
    return _found(column, kind, matched, len(values), fmt)


def _found(column: str, kind: str, matched: list[str], seen: int, fmt: str | None) -> Found:
    split = ";" if kind == "name" and any(";" in v for v in matched) else None
    local = kind == "phone" and any(not v.startswith(("+", "00")) for v in matched)
    examples = tuple(dict.fromkeys(matched))[:3]
    return Found(column, kind, len(matched), seen, fmt, examples, split, local)


def detect_all(header: Sequence[str], rows: Sequence[Mapping[str, Any]],
               region: str | None) -> dict[str, Found]:
    """Each named column's kind, for the columns whose sampled values mostly have one."""
    found = {}
    for column in header:
        if column:
            result = _detect(column, _sample(rows, column), region)
            if result is not None:
                found[column] = result
    return found


# -- the country phone numbers are dialled in --------------------------------------------------
def checked_region(region: str | None) -> str | None:
    """The region in lower case, or None; IngestError for a region that is no country."""
    return check_region(region.lower()) if region else None
