"""One display name per entity, chosen by one rule in every view (issue 19).

A resolved person is many records, and the records spell their name differently. Which
name the workbench shows was decided in several places (the first statement read in
one, the alphabetically first in another, the most frequent in the network), so one
person could carry three names on three pages. Every label the server gives is now
chosen here:

1. The properties are tried in order (`LABEL_PROPS`: `name`, then `caption`, `title`,
   ..., then `CONTACT_PROPS`: a phone-only contact is named by its phone number, then
   its e-mail); the first property with any value the reader sees gives the name.
2. Its values are folded (`fold`): spellings that differ only in case, width or spacing
   are one name.
3. The name stated by the most records wins (a record counts once per spelling it
   states; a name's count is its spellings' counts added up). Ties go to the better
   grade (source grade 1 best, then information grade A best), then to the name seen
   first (earliest `first_seen`), then to the alphabetically first.
4. The spelling shown is chosen among the winner's spellings by the same order.

Values withheld from the reader (`[redacted]`) never name anyone: callers leave them
out, and a person whose every name is withheld is "witness (identity withheld, Border
Force)" (`withheld_label`), never the placeholder or an id.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

LABEL_PROPS = ("name", "caption", "title", "summary", "number", "phoneNumber", "full",
               "username", "description")
CONTACT_PROPS = ("phone", "email")
"""What names an entity with no `LABEL_PROPS` value: a phone-only contact is its number."""
ALL_PROPS = (*LABEL_PROPS, *CONTACT_PROPS)
UNGRADED = "9Z"  # sorts after every real grade ("1A" ... "3E")
UNSEEN = "~"  # sorts after every timestamp


def fold(value: str) -> str:
    """Two spellings that differ only in case, width or spacing are one name."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


@dataclass(frozen=True)
class Tally:
    """What the rule knows of one spelling: how many records state it, the best grade of
    the statements giving it (source then information grade, "1A" best) and when it was
    first seen (ISO text: only compared with the other spellings of the same call)."""

    records: int
    grade: str = UNGRADED
    first_seen: str = UNSEEN

    def key(self, value: str) -> tuple[int, str, str, str]:
        return (-self.records, self.grade, self.first_seen, value)

    def plus(self, other: Tally) -> Tally:
        return Tally(self.records + other.records, min(self.grade, other.grade),
                     min(self.first_seen, other.first_seen))


def choose(spellings: Mapping[str, Tally]) -> str | None:
    """The name among these spellings of one property, by the module's rule."""
    groups: dict[str, dict[str, Tally]] = {}
    for value, tally in spellings.items():
        if value.strip() and tally.records > 0:
            groups.setdefault(fold(value), {})[value] = tally
    if not groups:
        return None
    totals = {key: _total(found.values()) for key, found in groups.items()}
    best = min(totals, key=lambda key: totals[key].key(key))
    found = groups[best]
    return min(found, key=lambda value: found[value].key(value))


def _total(tallies: Iterable[Tally]) -> Tally:
    out = Tally(0)
    for tally in tallies:
        out = out.plus(tally)
    return out


def display_name(by_prop: Mapping[str, Mapping[str, Tally]],
                 props: Iterable[str] = ALL_PROPS) -> str | None:
    """The name of an entity from its tallies per property (`Tallies.by_prop`): the
    first of `props` that has a value, chosen by `choose`; None when none has one."""
    for prop in props:
        found = by_prop.get(prop)
        if found:
            chosen = choose(found)
            if chosen is not None:
                return chosen
    return None


class Tallies:
    """Counts statements into `Tally`s: distinct records per (property, value), the best
    grade and the earliest first_seen. Give it only values the reader sees."""

    def __init__(self) -> None:
        self._records: dict[str, dict[str, set[str]]] = {}
        self._grade: dict[tuple[str, str], str] = {}
        self._seen: dict[tuple[str, str], str] = {}

    def add(self, prop: str, value: str, record: str, grade: str | None = None,
            first_seen: object = None) -> None:
        if prop not in ALL_PROPS:
            return
        self._records.setdefault(prop, {}).setdefault(value, set()).add(record)
        at = (prop, value)
        if grade:
            self._grade[at] = min(self._grade.get(at, UNGRADED), grade)
        if first_seen is not None:
            self._seen[at] = min(self._seen.get(at, UNSEEN), str(first_seen))

    @property
    def by_prop(self) -> dict[str, dict[str, Tally]]:
        return {prop: {value: Tally(len(records), self._grade.get((prop, value), UNGRADED),
                                    self._seen.get((prop, value), UNSEEN))
                       for value, records in values.items()}
                for prop, values in self._records.items()}

    def name(self) -> str | None:
        return display_name(self.by_prop)


def grade(source_grade: str | None, info_grade: str | None) -> str:
    """One comparable grade ("1A" best) from a statement's source and information grade."""
    return f"{source_grade or '9'}{info_grade or 'Z'}"


def withheld_label(category: str | None, agency: str | None) -> str:
    """The name of a person whose every name is withheld from the reader: what they are
    and whose record it is, e.g. "witness (identity withheld, Border Force)"."""
    what = (category or "person").strip().lower() or "person"
    return f"{what} (identity withheld, {agency})" if agency else f"{what} (identity withheld)"


__all__ = ["ALL_PROPS", "CONTACT_PROPS", "LABEL_PROPS", "Tallies", "Tally", "choose",
           "display_name", "fold", "grade", "withheld_label"]
