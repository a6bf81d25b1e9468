"""Mobile numbers that are valid where they claim to be, unique, and cheap to make.

Every number the generator writes must clean (a bad number is only ever a deliberate
corruption), yet the large scenario needs hundreds of thousands of them, too many to
check one by one with ``phonenumbers``. Each plan below lists mobile prefixes whose every
completion is a valid number (tests/demo/test_phones.py samples them), and numbers are
drawn by scrambling a counter, so they never repeat.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

# country -> (calling code, mobile prefixes, digits after the prefix, grouping of the
# national number when written with spaces)
PLANS: dict[str, tuple[str, tuple[str, ...], int, tuple[int, ...]]] = {
    "gb": ("44", ("7400", "7403", "7440", "7459", "7707", "7710", "7723", "7771", "7800",
                  "7824", "7846", "7904", "7912", "7956", "7983"), 6, (4, 6)),
    "fr": ("33", ("60", "61", "62", "64", "65", "66", "67", "68", "73", "74", "75", "76",
                  "77", "78"), 7, (1, 2, 2, 2, 2)),
    "be": ("32", ("460", "465", "470", "471", "472", "473", "475", "476", "477", "478",
                  "479", "484", "485", "486", "487", "488", "489", "490", "491", "492",
                  "493", "494", "495", "496", "497", "498", "499"), 6, (3, 2, 2, 2)),
    "de": ("49", ("151", "152", "157", "159", "160", "162", "163", "170", "171", "172",
                  "173", "174", "175", "176", "177", "178", "179"), 8, (3, 8)),
    "nl": ("31", ("61", "62", "63", "64", "65", "68"), 7, (1, 8)),
    "iq": ("964", ("750", "751", "770", "771", "772", "773", "780", "781", "790"), 7,
           (3, 3, 4)),
    "af": ("93", ("70", "71", "72", "73", "74", "75", "76", "77", "78", "79"), 7, (2, 3, 4)),
    "tr": ("90", ("501", "505", "530", "531", "532", "533", "535", "536", "537", "538",
                  "539", "541", "542", "543", "544", "545", "546", "552", "553", "555"), 7,
           (3, 3, 2, 2)),
    "bg": ("359", ("87", "88", "89", "98"), 7, (2, 3, 4)),
    "gr": ("30", ("690", "691", "693", "694", "695", "697", "698", "699"), 7, (3, 3, 4)),
    "al": ("355", ("69",), 7, (2, 3, 4)),
    "vn": ("84", ("86", "96", "97", "98", "32", "33", "34", "35", "36", "37", "38", "39",
                  "91", "94", "88", "90", "93", "70", "79", "77", "76", "78"), 7, (2, 3, 4)),
    "ir": ("98", ("910", "911", "912", "913", "914", "915", "916", "917", "918", "919",
                  "990", "930", "933", "935", "936", "937", "938", "939", "901", "902"), 7,
           (3, 3, 4)),
    "rs": ("381", ("60", "61", "62", "63", "64", "65", "66", "69"), 7, (2, 3, 4)),
    "it": ("39", ("320", "327", "328", "329", "330", "331", "333", "334", "335", "338",
                  "339", "340", "345", "346", "347", "348", "349", "380", "388", "393"), 7,
           (3, 3, 4)),
    "er": ("291", ("7",), 6, (1, 6)),
    "sd": ("249", ("91", "92", "96", "99", "90", "12", "11"), 7, (2, 3, 4)),
    "sy": ("963", ("93", "94", "95", "96", "98", "99"), 7, (2, 3, 4)),
}
# Where a person's numbers come from, by where they live.
COUNTRY_PLAN = {"hr": "rs", "ba": "rs", "at": "de", "ua": "tr", "eu": "be", "er": "er",
                "sd": "sd", "sy": "sy", "ir": "ir", "vn": "vn", "al": "al"}
_GOLDEN = 0.6180339887  # multipliers near this share of the modulus spread numbers out


@dataclass(frozen=True, slots=True)
class Phone:
    """A number as E.164 and the country it belongs to."""

    e164: str
    country: str
    national: str  # the digits after the calling code


class PhoneBook:
    """Hands out distinct numbers per country plan, deterministically for a seed."""

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.counters: dict[str, int] = {}

    def new(self, country: str) -> Phone:
        plan = country if country in PLANS else COUNTRY_PLAN.get(country, "gb")
        code, prefixes, digits, _ = PLANS[plan]
        i = self.counters.get(plan, 0)
        self.counters[plan] = i + 1
        # An affine map modulo the plan's size is a bijection when the multiplier is
        # coprime to it: every counter value gives a different (prefix, suffix).
        modulus = len(prefixes) * 10**digits
        value = ((i + 1) * _multiplier(modulus) + self.offset) % modulus
        prefix, suffix = prefixes[value // 10**digits], value % 10**digits
        national = f"{prefix}{suffix:0{digits}d}"
        return Phone(f"+{code}{national}", plan, national)


@functools.cache
def _multiplier(modulus: int) -> int:
    candidate = int(modulus * _GOLDEN) | 1
    while math.gcd(candidate, modulus) != 1:
        candidate += 2
    return candidate


def spaced(phone: Phone) -> str:
    """International form with spaces, as people type it: +44 7911 123456."""
    code, _, _, groups = PLANS[phone.country]
    parts, pos = [], 0
    for size in groups:
        if pos >= len(phone.national):
            break
        parts.append(phone.national[pos:pos + size])
        pos += size
    if pos < len(phone.national):
        parts[-1] += phone.national[pos:]
    return f"+{code} " + " ".join(parts)


def national(phone: Phone) -> str:
    """The number as dialled at home (07911 123456, 06 12 34 56 78): valid only with the
    file's --phone-region set to the number's own country."""
    nat = phone.national
    if phone.country == "fr":
        return "0" + " ".join([nat[0], *(nat[i:i + 2] for i in range(1, len(nat), 2))])
    if phone.country == "gb":
        return f"0{nat[:4]} {nat[4:]}"
    return "0" + nat


def written(phone: Phone, style: float, region: str | None) -> str:
    """One way of writing a number, chosen by ``style`` in [0, 1) and the file's region."""
    if region == phone.country and style < 0.6:
        return national(phone)
    if style < 0.5:
        return phone.e164
    return spaced(phone)
