"""Serial numbers as keys: the same engine is written `6BG-1234567`, `6bg 1234567` and
`6BG1234567` by three clerks, and must be one engine.

The rule (docs/supply.md): upper-case; drop spaces, dashes, dots, slashes and
underscores; keep every other character, leading zeros included (`2B012345` and
`2B12345` are different engines: makers pad their numbers, so a zero is data). A key
shorter than four characters identifies nothing and links nothing. Makes are compared
by their first word, folded (`YAMAHA`, `Yamaha Motor` and `yamaha` are one make); an
unbranded or unknown make agrees with any make, two known makes that differ never do,
so one serial on a Yamaha and a Suzuki is two items.
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-./_\\]+")
MIN_KEY = 4
UNKNOWN_MAKES = frozenset({"", "unbranded", "unknown", "n/k", "none", "generic", "van"})
_MAKE_ALIASES = {"mercurymarine": "mercury", "yamaha-motor": "yamaha"}


def serial_key(serial: str) -> str:
    """The serial's key under the rule above, or "" when it identifies nothing."""
    text = unicodedata.normalize("NFKC", serial).upper()
    key = _SEPARATORS.sub("", text)
    return key if len(key) >= MIN_KEY else ""


def make_key(make: str) -> str:
    """A make's key: its first word, case folded; "" for an unknown or unbranded make."""
    words = unicodedata.normalize("NFKC", make).casefold().split()
    if not words or " ".join(words) in UNKNOWN_MAKES or words[0] in UNKNOWN_MAKES:
        return ""
    return _MAKE_ALIASES.get("".join(words), words[0])


def makes_agree(a: str, b: str) -> bool:
    """Whether two make keys can be one item's: equal, or one of them unknown."""
    return not a or not b or a == b


__all__ = ["MIN_KEY", "make_key", "makes_agree", "serial_key"]
