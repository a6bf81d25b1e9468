"""Handling codes and protective markings.

UK 3x5x2 handling is P (lawful sharing permitted) or C (permitted with conditions,
which must be written down). Europol handling codes H0-H3 are accepted as they are,
because their rules (H2: never re-disseminated; H1: not for court) differ from P/C
and the access layer needs the exact code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class HandlingCode(StrEnum):
    P = "P"
    C = "C"
    H0 = "H0"
    H1 = "H1"
    H2 = "H2"
    H3 = "H3"


HANDLING_LABELS = {
    HandlingCode.P: "Lawful sharing permitted",
    HandlingCode.C: "Lawful sharing permitted with conditions",
    HandlingCode.H0: "Europol H0: no restriction beyond the data protection rules",
    HandlingCode.H1: "Europol H1: not to be used in judicial proceedings without permission",
    HandlingCode.H2: "Europol H2: not to be disseminated without permission of the provider",
    HandlingCode.H3: "Europol H3: other restrictions, stated in the conditions",
}


class Classification(StrEnum):
    OFFICIAL = "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"
    SECRET = "SECRET"

    @property
    def level(self) -> int:
        return CLASSIFICATION_ORDER.index(self)


CLASSIFICATION_ORDER = [
    Classification.OFFICIAL,
    Classification.OFFICIAL_SENSITIVE,
    Classification.SECRET,
]


class HandlingError(ValueError):
    """A handling code or marking that does not exist, or C/H3 without conditions."""


@dataclass(frozen=True)
class Handling:
    code: HandlingCode
    conditions: str | None
    classification: Classification


def parse_handling(
    code: str = "P", conditions: str | None = None, classification: str = "OFFICIAL"
) -> Handling:
    try:
        parsed = HandlingCode(code.strip().upper())
    except ValueError:
        allowed = ", ".join(c.value for c in HandlingCode)
        raise HandlingError(f"handling code {code!r} is not one of {allowed}") from None
    try:
        marking = Classification(classification.strip().upper().replace(" ", "-"))
    except ValueError:
        allowed = ", ".join(c.value for c in Classification)
        raise HandlingError(f"classification {classification!r} is not one of {allowed}") from None
    text = (conditions or "").strip() or None
    if parsed in (HandlingCode.C, HandlingCode.H3) and text is None:
        raise HandlingError(f"handling code {parsed.value} needs its conditions written down")
    return Handling(code=parsed, conditions=text, classification=marking)
