"""Deliberate bad values: what clerks, scrapers and exports really get wrong.

A corruption is only planted when Pinchpoint's own cleaner rejects it (checked here, with
the file's phone region and date format), so "ingest quarantines exactly the corrupted
values" is a promise the generator can keep. Each planted value is listed in
truth/corruptions.csv with the reason class the quarantine should give.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from pinchpoint.ingest.clean import Cleaner, make_cleaner
from pinchpoint.model.ftm import get_model

# Reason classes, and the words of the quarantine's reason that identify each.
REASONS = {
    "bad_date": ("not a valid date", "not a date in the format"),
    "bad_number": ("not a number",),
    "bad_phone": ("not a valid phone number",),
    "bad_country": ("unknown country",),
    "bad_language": ("unknown language",),
    "bad_item_kind": ("not an item kind",),
    "bad_category": ("not a person category",),
    "missing_key": ("missing key",),
    "bad_direction": ("direction must be",),
}


def reason_class(reason: str) -> str:
    """The class of a quarantine reason, or "other" (which the tests treat as a bug)."""
    for name, words in REASONS.items():
        if any(w in reason for w in words):
            return name
    return "other"


Maker = Callable[[random.Random, str], str]


def _date(rng: random.Random, good: str) -> str:
    y, m, d = good[:4], good[5:7] or "01", good[8:10] or "01"
    return rng.choice((f"{d}/{m}/{y}", f"{y}-02-30", f"{y}-13-{d}", "yesterday",
                       f"{d}.{m}.{y[2:]}", f"{y}-{m}-00", "unknown"))


def _datetime(rng: random.Random, good: str) -> str:
    return rng.choice(("3 days ago", "yesterday " + good[11:16], "last Thursday",
                       f"{good[8:10]}/{good[5:7]}/{good[:4]} {good[11:16]}"))


def _dob(rng: random.Random, good: str) -> str:
    return rng.choice(("00/00/" + good[-4:], "unknown", "31/02/" + good[-4:], "n/k",
                       good[-4:] + "-00-00"))


def _amount(rng: random.Random, good: str) -> str:
    digits = good.replace(",", "")
    return rng.choice((f"{digits[:-3] or '1'}.{digits[-3:]},00", f"£{digits}",
                       f"{digits} USD", digits.replace("0", "O", 1), "approx " + digits,
                       f"{digits[:-3] or '1'},5k"))


def _phone(rng: random.Random, good: str) -> str:
    compact = good.replace(" ", "")
    if compact.startswith("+") and rng.random() < 0.5:
        return compact[:-5]  # digits lost when copied out
    if compact.startswith("+"):
        return compact[1:]  # the plus sign dropped
    return compact[:5]


def _choice(*values: str) -> Maker:
    return lambda rng, good: rng.choice(values)


@dataclass(frozen=True)
class Spec:
    """One corruptible column: the property that cleans it, and bad values to try."""

    column: str
    schema: str
    prop: str
    make: Maker
    fmt: str | None = None


MAKERS: dict[str, Maker] = {
    "date": _date, "datetime": _datetime, "dob": _dob, "amount": _amount, "phone": _phone,
    "passengers": _choice("about 50", "50+", "c. 60", "unknown", "45-50"),
    "deaths": _choice("n/k", "?", "several"),
    "quantity": _choice("several", "approx. 40", "2 boxes", "x3"),
    "item_kind": _choice("jetski", "kayak", "outboard", "pump"),
    "country": _choice("Kurdistan Region", "KRG", "Pas-de-Calais", "Dunkerque", "Persia"),
    "nationality": _choice("Kurdish", "Kurdistan Region", "Persia", "Stateless (Bidoon)"),
    "language": _choice("kurdi", "farsi/dari", "badini", "AR/EN"),
    "category": _choice("smuggler", "driver", "OIC nominal", "person of interest"),
}


@cache
def _cleaner(schema: str, prop: str, fmt: str | None) -> Cleaner:
    return make_cleaner(get_model()[schema].properties[prop], fmt)


def rejects(schema: str, prop: str, value: str, region: str | None = None,
            fmt: str | None = None) -> str | None:
    """The quarantine reason Pinchpoint gives for this value, or None if it cleans."""
    cleaned, reason = _cleaner(schema, prop, fmt)(value, region)
    return reason if cleaned is None else None


def plant(rng: random.Random, spec: Spec, good: str, region: str | None
          ) -> tuple[str, str] | None:
    """A bad value for a column and its reason class, or None if none could be found."""
    for _ in range(4):
        bad = spec.make(rng, good)
        if bad == good or not bad.strip():
            continue
        reason = rejects(spec.schema, spec.prop, bad, region, spec.fmt)
        if reason is not None:
            return bad, reason_class(reason)
    return None
