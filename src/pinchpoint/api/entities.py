"""Entity profiles and labels, read only through the caller's scope.

An id may be a record id or a canonical id of the scope's resolution; a profile of a
canonical entity covers all its records. An id with no visible statement is simply not
found (the same answer as an unknown id). Statements come from the scope's in-memory
view (`pinchpoint.api.view`), read through the same rules as every store read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pinchpoint.api import cache
from pinchpoint.model.handling import CLASSIFICATION_ORDER, Classification
from pinchpoint.resolve.names import dominant_script
from pinchpoint.store.duckdb_store import DuckDBStore
from pinchpoint.store.entities import entity_schema
from pinchpoint.store.records import Statement
from pinchpoint.store.scope import Scope

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


def resolved_map(store: DuckDBStore, scope: Scope) -> dict[str, str]:
    return cache.resolution(store, scope).canonical


def any_visible(store: DuckDBStore, scope: Scope, ids: Sequence[str]) -> bool:
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


def briefs(store: DuckDBStore, scope: Scope, ids: Iterable[str],
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


def profile(store: DuckDBStore, scope: Scope, entity_id: str) -> dict[str, Any] | None:
    """Everything the caller may see about one entity; None when nothing is visible."""
    canon, records = cache.resolution(store, scope).of(entity_id)
    statements = cache.statements(store, scope).statements(records)
    if not statements:
        return None
    seen_records = sorted({s.entity_id for s in statements})
    handling = sorted({(s.handling, s.handling_conditions or "") for s in statements})
    categories = sorted({s.value for s in statements if s.prop == "personCategory"})
    return {
        "id": canon,
        "schema": entity_schema(statements),
        "label": _label(statements, canon),
        "names": [{"value": s.value, "lang": s.lang, "script": dominant_script(s.value),
                   "prop": s.prop, "owner": s.owner, "source": s.source}
                  for s in statements if s.prop in NAME_PROPS],
        "records": seen_records,
        "statements": [{"entity": s.entity_id, **{f: getattr(s, f) for f in STATEMENT_FIELDS}}
                       for s in statements if s.prop != "id"],
        "first_seen": min(s.first_seen for s in statements),
        "last_seen": max(s.last_seen for s in statements),
        "category": categories[0] if categories else None,
        "banners": {"classification": _highest(s.classification for s in statements),
                    "handling": [{"code": code, "conditions": cond or None}
                                 for code, cond in handling]},
    }
