"""Entity profiles and labels, read only through the caller's scope.

An id may be a record id or a canonical id of the scope's resolution; a profile of a
canonical entity covers all its records. An id with no visible statement is simply not
found (the same answer as an unknown id). Statements come from the scope's in-memory
view (`pinchpoint.api.view`), read through the same rules as every store read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pinchpoint.api import cache
from pinchpoint.model.handling import CLASSIFICATION_ORDER, Classification
from pinchpoint.resolve.names import dominant_script
from pinchpoint.store.entities import common_schema, entity_schema
from pinchpoint.store.records import Statement
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore

NAME_PROPS = ("name", "alias", "weakAlias", "previousName", "firstName", "lastName")
LABEL_PROPS = ("name", "caption", "title", "summary", "number", "phoneNumber", "full",
               "username", "description")
STATEMENT_FIELDS = ("prop", "value", "original_value", "owner", "source", "record",
                    "source_grade", "info_grade", "grade_original", "handling",
                    "handling_conditions", "classification", "first_seen", "last_seen")


@dataclass(frozen=True)
class Brief:
    """What a list needs of an entity: schema, label and names."""

    id: str
    schema: str
    label: str
    names: list[str]


def resolved_map(store: SqlStore, scope: Scope) -> dict[str, str]:
    return cache.resolution(store, scope).canonical


def any_visible(store: SqlStore, scope: Scope, ids: Sequence[str]) -> bool:
    """Whether the caller sees anything of these entities (a 404 check)."""
    return cache.statements(store, scope).has_any(ids)


def _label(statements: Iterable[Statement], fallback: str) -> str:
    by_prop: dict[str, str] = {}
    for s in statements:
        by_prop.setdefault(s.prop, s.value)
    for prop in LABEL_PROPS:
        if prop in by_prop:
            return by_prop[prop]
    return fallback


def briefs(store: SqlStore, scope: Scope, ids: Iterable[str],
           whole: bool = True) -> dict[str, Brief]:
    """Schema, label and names of each visible id (with `whole`, a canonical id covers
    all its records)."""
    members = cache.resolution(store, scope).records if whole else {}
    groups = {i: members.get(i) or [i] for i in set(ids)}
    statements = cache.statements(store, scope).statements(
        {r for g in groups.values() for r in g})
    by_entity: dict[str, list[Statement]] = {}
    for s in statements:
        by_entity.setdefault(s.entity_id, []).append(s)
    out: dict[str, Brief] = {}
    for i, records in groups.items():
        found = [s for r in records for s in by_entity.get(r, [])]
        if not found:
            continue
        names = sorted({s.value for s in found if s.prop in NAME_PROPS[:4]})
        out[i] = Brief(i, entity_schema(found), _label(found, found[0].schema), names)
    return out


def _highest(classifications: Iterable[str]) -> str:
    order = {c.value: n for n, c in enumerate(CLASSIFICATION_ORDER)}
    return max(classifications, key=lambda c: order.get(c, 0),
               default=Classification.OFFICIAL.value)


def profile(store: SqlStore, scope: Scope, entity_id: str) -> dict[str, Any] | None:
    """Everything the caller may see about one entity; None when nothing is visible.

    Built from the scope's columns directly (no statement objects: a profile of a
    person with a hundred records' statements is the API's most frequent answer)."""
    canon, records = cache.resolution(store, scope).of(entity_id)
    cols = cache.statements(store, scope).columns(records)
    if not cols["id"]:
        return None
    props, values = cols["prop"], cols["value"]
    first: dict[str, str] = {}
    for prop, value in zip(props, values, strict=True):
        first.setdefault(prop, value)
    label = next((first[p] for p in LABEL_PROPS if p in first), canon)
    keys = ("entity", *STATEMENT_FIELDS)
    rows = zip(cols["entity_id"], *(cols[f] for f in STATEMENT_FIELDS), strict=True)
    handling = sorted(set(zip(cols["handling"],
                              [c or "" for c in cols["handling_conditions"]], strict=True)))
    categories = sorted({v for p, v in zip(props, values, strict=True)
                         if p == "personCategory"})
    return {
        "id": canon,
        "schema": common_schema(Counter(cols["schema"])),
        "label": label,
        "names": [{"value": v, "lang": lang, "script": dominant_script(v), "prop": p,
                   "owner": owner, "source": source}
                  for p, v, lang, owner, source in zip(props, values, cols["lang"],
                                                       cols["owner"], cols["source"],
                                                       strict=True) if p in NAME_PROPS],
        "records": sorted(set(cols["entity_id"])),
        "statements": [dict(zip(keys, row, strict=True)) for row in rows if row[1] != "id"],
        "first_seen": min(cols["first_seen"]),
        "last_seen": max(cols["last_seen"]),
        "category": categories[0] if categories else None,
        "banners": {"classification": _highest(cols["classification"]),
                    "handling": [{"code": code, "conditions": cond or None}
                                 for code, cond in handling]},
    }
