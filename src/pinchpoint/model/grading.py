"""Source and information grading, mapped to one internal form (UK 3x5x2).

Partners grade intelligence in different systems. We store the UK 3x5x2 grade
(source 1-3, information A-E) that every read path compares on, and keep the grade
as the partner gave it (``NATO:B2``) so nothing is lost in the mapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class GradingSystem(StrEnum):
    UK = "uk"  # 3x5x2: source 1-3, information A-E
    NATO = "nato"  # Admiralty: reliability A-F, credibility 1-6
    EUROPOL = "europol"  # 4x4: source A/B/C/X, information 1-4


SOURCE_GRADES = {
    "1": "Reliable",
    "2": "Untested",
    "3": "Not reliable",
}
INFO_GRADES = {
    "A": "Known directly to the source",
    "B": "Known indirectly to the source but corroborated",
    "C": "Known indirectly to the source",
    "D": "Not known",
    "E": "Suspected to be false or malicious",
}

# NATO Admiralty reliability -> UK source grade. F ("cannot be judged") is untested.
_NATO_SOURCE = {"A": "1", "B": "1", "C": "2", "D": "3", "E": "3", "F": "2"}
# NATO credibility -> UK information grade. 6 ("cannot be judged") is not known.
_NATO_INFO = {"1": "A", "2": "B", "3": "C", "4": "D", "5": "E", "6": "D"}
# Europol source: A no doubt, B mostly reliable, C mostly unreliable, X cannot be assessed.
_EUROPOL_SOURCE = {"A": "1", "B": "1", "C": "3", "X": "2"}
# Europol information: 1 known without doubt, 2 known personally to the source,
# 3 not known personally but corroborated, 4 not known personally, uncorroborated.
_EUROPOL_INFO = {"1": "A", "2": "A", "3": "B", "4": "C"}

DEFAULT_SOURCE_GRADE = "2"
DEFAULT_INFO_GRADE = "C"


class GradingError(ValueError):
    """A grade that does not exist in the grading system it claims."""


@dataclass(frozen=True)
class Grade:
    """A grade in internal (UK 3x5x2) form plus the grade as it was given."""

    source: str
    info: str
    original: str

    @property
    def label(self) -> str:
        return f"{self.source}{self.info}"


def _lookup(table: dict[str, str], value: str, what: str, system: GradingSystem) -> str:
    key = value.strip().upper()
    if key not in table:
        allowed = ", ".join(sorted(table))
        raise GradingError(f"{what} grade {value!r} is not valid in {system.value} ({allowed})")
    return table[key]


def parse_grade(source: str, info: str, system: GradingSystem | str = GradingSystem.UK) -> Grade:
    """Map a (source, information) grade in any accepted system to internal form."""
    try:
        system = GradingSystem(str(system).strip().lower())
    except ValueError:
        allowed = ", ".join(s.value for s in GradingSystem)
        raise GradingError(f"grading system {system!r} is not one of {allowed}") from None
    if system is GradingSystem.UK:
        tables = ({k: k for k in SOURCE_GRADES}, {k: k for k in INFO_GRADES})
    elif system is GradingSystem.NATO:
        tables = (_NATO_SOURCE, _NATO_INFO)
    else:
        tables = (_EUROPOL_SOURCE, _EUROPOL_INFO)
    src = _lookup(tables[0], source, "source", system)
    inf = _lookup(tables[1], info, "information", system)
    original = f"{system.value.upper()}:{source.strip().upper()}{info.strip().upper()}"
    return Grade(source=src, info=inf, original=original)
