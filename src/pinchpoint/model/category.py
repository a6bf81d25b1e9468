"""Categories of data subject, as the Data Protection Act 2018 s.38(3) asks.

Smuggled people are victims or witnesses: never targets. Later stages read this
category to keep them out of rankings and to redact them when sharing.
"""

from __future__ import annotations

from enum import StrEnum


class PersonCategory(StrEnum):
    SUSPECT = "suspect"
    CONVICTED = "convicted"
    VICTIM = "victim"
    WITNESS = "witness"
    OTHER = "other"


PROTECTED_CATEGORIES = frozenset({PersonCategory.VICTIM, PersonCategory.WITNESS})
ACCUSED_CATEGORIES = frozenset({PersonCategory.SUSPECT, PersonCategory.CONVICTED})

_ALIASES = {
    "migrant": PersonCategory.VICTIM,
    "smuggled person": PersonCategory.VICTIM,
    "offender": PersonCategory.CONVICTED,
}


def parse_category(value: str) -> PersonCategory | None:
    """A category from free text, or None when it is none of the five."""
    key = value.strip().lower()
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        return PersonCategory(key)
    except ValueError:
        return None


def is_protected(value: str) -> bool:
    """Whether a category as written makes a person a victim or witness ("migrant")."""
    return parse_category(value) in PROTECTED_CATEGORIES


def is_accused(value: str) -> bool:
    """Whether a category as written makes a person a suspect or a convicted one: the
    other side of a dispute, where one record protects whom another accuses."""
    return parse_category(value) in ACCUSED_CATEGORIES
