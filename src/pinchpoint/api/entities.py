"""Entity profiles and labels, read only through the caller's scope.

An id may be a record id or a canonical id of the scope's resolution; a profile of a
canonical entity covers all its records. An id with no visible statement is simply not
found (the same answer as an unknown id). Statements come from the scope's in-memory
view (`pinchpoint.api.view`), read through the same rules as every store read.

When an entity was active, by what the records say (`active_first` / `active_last`), is
not when its statements were ingested (`first_seen` / `last_seen`): the earliest and
latest day (YYYY-MM-DD) among the values of the event date properties (`DATE_PROPS`:
date, startDate, endDate, postedAt, authoredAt, publishedAt) of its own records and of
the visible events (`ACTIVITY_SCHEMATA`, the timeline's) that name any of its records in
an entity property (payer, beneficiary, caller, receiver, sender, recipients, involved,
pilot, vessel, ...). A person's own birthDate, a record's modifiedAt or retrievedAt are
facts about a person or a file, not activity, and never count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache as cache_result
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from followthemoney.types import registry

from pinchpoint.access.directory import agencies
from pinchpoint.api import cache
from pinchpoint.api.view import StatementView
from pinchpoint.model.display_name import Tallies, fold, grade, withheld_label
from pinchpoint.model.ftm import get_model
from pinchpoint.model.handling import CLASSIFICATION_ORDER, Classification
from pinchpoint.resolve.names import dominant_script
from pinchpoint.store.entities import common_schema, entity_schema
from pinchpoint.store.graph_reads import DATE_PROPS, HELD_IDENTIFIERS
from pinchpoint.store.records import Statement
from pinchpoint.store.scope import REDACTED, Scope
from pinchpoint.store.sql_store import SqlStore

NAME_PROPS = ("name", "alias", "weakAlias", "previousName", "firstName", "lastName")
# The timeline's events (`pinchpoint.api.picture.EVENT_SCHEMATA`; that module imports this
# one, so the list is repeated here and a test keeps the two the same).
ACTIVITY_SCHEMATA = ("Call", "Message", "Payment", "Crossing", "Trip", "Seizure", "Event",
                     "SocialMediaPost")
EVENT_DATES = "event dates"  # the name `event_index` is kept under (`cache.derived`)
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


LabelRow = tuple[str, str, str, str | None, str | None, object, str]
"""What a label is chosen from, per statement: (prop, value, record, source grade,
information grade, first_seen, owner)."""
LABEL_COLUMNS = ("prop", "value", "entity_id", "source_grade", "info_grade", "first_seen",
                 "owner")  # a `LabelRow`'s columns of the statement view


def label_of(rows: Iterable[LabelRow], what: str, fallback: str,
             agency_names: Callable[[], Mapping[str, str]]) -> str:
    """The entity's display name by the one rule (`model.display_name`: the name stated
    by the most records, folded, ties to the better grade, then the earliest, then the
    alphabetically first; a phone-only contact is its number). A person whose every name
    is withheld from the reader is "witness (identity withheld, Border Force)": what
    they are (their category, else `what`) and whose record it is; `fallback` when
    nothing names it at all; `agency_names` (code: title) is only read then."""
    tallies = Tallies()
    withheld: str | None = None
    category: str | None = None
    for prop, value, record, source_grade, info_grade, first_seen, owner in rows:
        if value == REDACTED:
            if prop == "name":
                withheld = min(withheld or owner, owner)
        elif prop == "personCategory":
            category = min(category or value, value)
        else:
            tallies.add(prop, value, record, grade(source_grade, info_grade), first_seen)
    name = tallies.name()
    if name is not None:
        return name
    if withheld is not None:
        return withheld_label(category or what, agency_names().get(withheld) or withheld)
    return fallback


def agency_titles(store: SqlStore) -> Callable[[], Mapping[str, str]]:
    """The agencies' names (code: title), read when a withheld person is labelled."""
    return lambda: agencies(store.con)


def _label(store: SqlStore, statements: list[Statement], fallback: str) -> str:
    return label_of(((s.prop, s.value, s.entity_id, s.source_grade, s.info_grade,
                      s.first_seen, s.owner) for s in statements),
                    entity_schema(statements), fallback, agency_titles(store))


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
        out[i] = Brief(i, entity_schema(found), _label(store, found, found[0].schema), names)
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
    schema = common_schema(Counter(cols["schema"]))
    label = label_of(zip(*(cols[c] for c in LABEL_COLUMNS), strict=True), schema, canon,
                     agency_titles(store))
    keys = ("entity", *STATEMENT_FIELDS)
    rows = zip(cols["entity_id"], *(cols[f] for f in STATEMENT_FIELDS), strict=True)
    handling = sorted(set(zip(cols["handling"],
                              [c or "" for c in cols["handling_conditions"]], strict=True)))
    categories = sorted({v for p, v in zip(props, values, strict=True)
                         if p == "personCategory"})
    return {
        "id": canon,
        "schema": schema,
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
        **active(store, scope, records, props, values),
        "category": categories[0] if categories else None,
        "banners": {"classification": _highest(cols["classification"]),
                    "handling": [{"code": code, "conditions": cond or None}
                                 for code, cond in handling]},
    }


@cache_result
def party_props() -> frozenset[str]:
    """The entity properties by which an event of `ACTIVITY_SCHEMATA` names a party."""
    model = get_model()
    return frozenset(p.name for name in ACTIVITY_SCHEMATA
                     for p in model.get(name).properties.values()  # type: ignore[union-attr]
                     if p.type == registry.entity)


def event_dates(view: StatementView) -> dict[str, tuple[str, str, int]]:
    """Per id named by a dated visible event: the earliest and latest day of those events
    and how many times a dated event names it. Computed over the whole view with Arrow
    (no per-row Python; days as dates, so min and max compare numbers): the events' dated
    statements grouped by event, joined to the events' party statements, grouped by the
    party named. About half a second for 1.3M statements of 300k payments."""
    if not len(view) or "schema" not in view.codes or "prop" not in view.codes:
        return {}

    def coded(column: str, wanted: Iterable[str]) -> Any:
        keep = set(wanted)
        codes = [n for n, word in enumerate(view.words[column]) if word in keep]
        return np.isin(view.codes[column], codes)

    event = coded("schema", ACTIVITY_SCHEMATA)
    rows = view.table.select(["entity_id", "value"])
    dated = rows.filter(pa.array(event & coded("prop", DATE_PROPS)))
    day = pc.cast(pc.strptime(pc.utf8_slice_codeunits(dated.column("value"), 0, 10),
                              format="%Y-%m-%d", unit="s", error_is_null=True), pa.date32())
    days = pa.table({"entity_id": dated.column("entity_id"), "day": day}).filter(
        pc.is_valid(day))
    spans = days.group_by("entity_id").aggregate([("day", "min"), ("day", "max")])
    parties = rows.filter(pa.array(event & coded("prop", party_props())))
    named = parties.join(spans, "entity_id", join_type="inner").group_by("value").aggregate(
        [("day_min", "min"), ("day_max", "max"), ("entity_id", "count")])
    return {str(v): (a.isoformat(), b.isoformat(), int(n)) for v, a, b, n in zip(
        named.column("value").to_pylist(), named.column("day_min_min").to_pylist(),
        named.column("day_max_max").to_pylist(), named.column("entity_id_count").to_pylist(),
        strict=True)}


def event_index(store: SqlStore, scope: Scope) -> dict[str, tuple[str, str, int]]:
    """`event_dates` of the scope's statements, made once per scope until the next write."""
    at = cache.generation()
    view = cache.statements(store, scope)
    return cache.derived(store, scope, EVENT_DATES, lambda: event_dates(view),
                         inputs_at=at)


def _day(value: str) -> str | None:
    """The day a value starts with (YYYY-MM-DD, a real one), else None."""
    try:
        return date.fromisoformat(value[:10]).isoformat() if len(value) >= 10 else None
    except ValueError:
        return None


def active(store: SqlStore, scope: Scope, records: Sequence[str], props: Sequence[str],
           values: Sequence[str]) -> dict[str, Any]:
    """When the records say the entity was active (the module's rule): `active_first`,
    `active_last` (None when nothing dated names it) and `active_events`, how many times
    dated events name its records (one naming two of its records counts twice)."""
    wanted = set(DATE_PROPS)
    days = [d for p, v in zip(props, values, strict=True)
            if p in wanted and (d := _day(v)) is not None]
    index = event_index(store, scope)
    events = 0
    for record in records:
        found = index.get(record)
        if found is not None:
            days += found[:2]
            events += found[2]
    return {"active_first": min(days, default=None), "active_last": max(days, default=None),
            "active_events": events}


# -- the profile's summary card (issue 19): names with counts and key facts -------------
SUMMARY_NAMES = NAME_PROPS[:4]  # whole names; first and last names are parts of them
# (key, label) of each key fact, in the card's order; "document" gathers a person's own
# passport and ID numbers and the numbers of the identity documents held.
FACTS = (("birthDate", "Date of birth"), ("birthPlace", "Place of birth"),
         ("nationality", "Nationality"), ("citizenship", "Citizenship"),
         ("country", "Country"), ("gender", "Gender"), ("phone", "Phones"),
         ("email", "E-mail"), ("document", "Documents"), ("address", "Addresses"))
COUNTRY_FACTS = frozenset({"nationality", "citizenship", "country"})
OWN_DOCUMENTS = {"passportNumber": "Passport number", "idNumber": "ID number"}
HELD = "held identifiers"  # the name `held_index` is kept under (`cache.derived`)


def held_identifiers(view: StatementView) -> dict[str, list[tuple[str, str, str]]]:
    """Per holder id, the phones and document numbers it holds through another visible
    entity (`HELD_IDENTIFIERS`: a handset's number, a passport's number), each as (fact
    key, value, the holding entity's schema), one per statement of the value. Joined
    over the whole view with Arrow, as `event_dates` is."""
    if not len(view) or "schema" not in view.codes or "prop" not in view.codes:
        return {}

    def where(schema: str, prop: str) -> Any:
        codes = {column: [n for n, word in enumerate(view.words[column]) if word == wanted]
                 for column, wanted in (("schema", schema), ("prop", prop))}
        return (np.isin(view.codes["schema"], codes["schema"])
                & np.isin(view.codes["prop"], codes["prop"]))

    rows = view.table.select(["entity_id", "value"])
    out: dict[str, list[tuple[str, str, str]]] = {}
    for schema, holder, number, kind in HELD_IDENTIFIERS:
        holders = rows.filter(pa.array(where(schema, holder))).rename_columns(
            ["entity_id", "holder"])
        numbers = rows.filter(pa.array(where(schema, number)))
        joined = numbers.join(holders, "entity_id", join_type="inner")
        fact = "phone" if kind == "phone" else "document"
        for who, value in zip(joined.column("holder").to_pylist(),
                              joined.column("value").to_pylist(), strict=True):
            if value != REDACTED:
                out.setdefault(str(who), []).append((fact, str(value), schema))
    return out


def held_index(store: SqlStore, scope: Scope) -> dict[str, list[tuple[str, str, str]]]:
    """`held_identifiers` of the scope's statements, made once per scope until a write."""
    at = cache.generation()
    view = cache.statements(store, scope)
    return cache.derived(store, scope, HELD, lambda: held_identifiers(view), inputs_at=at)


name_key = fold  # the display name's folding (`model.display_name.fold`)


def counted_names(pairs: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """Names (prop, value) deduplicated (`name_key`), each with how many statements give
    it, its most frequent spelling and the properties it is given under; most given
    first."""
    spellings: dict[str, Counter[str]] = {}
    props: dict[str, set[str]] = {}
    for prop, value in pairs:
        key = name_key(value)
        spellings.setdefault(key, Counter())[value] += 1
        props.setdefault(key, set()).add(prop)
    out = []
    for key, found in spellings.items():
        value = min(found, key=lambda v: (-found[v], v))
        out.append({"value": value, "count": sum(found.values()),
                    "script": dominant_script(value), "props": sorted(props[key]),
                    "spellings": sorted(found)})
    return sorted(out, key=lambda n: (-n["count"], n["value"]))


def fact_text(key: str, value: str) -> str:
    """A value as an analyst reads it: a country code written out ("iq": "Iraq")."""
    if key in COUNTRY_FACTS:
        return registry.country.caption(value) or value
    return value


def summary(store: SqlStore, scope: Scope, records: Sequence[str]) -> dict[str, Any]:
    """The profile card's names and key facts of these records, from what the scope
    sees: `names` (`counted_names`), `facts` (`FACTS` present, each value with its
    written-out `text`, the kinds of record giving it and how many statements do, most
    given first) and `withheld`, whether any of its values is withheld from the caller
    (those are left out of both)."""
    cols = cache.statements(store, scope).columns(records, ("prop", "value"))
    pairs = [(p, v) for p, v in zip(cols["prop"], cols["value"], strict=True)
             if v != REDACTED]
    found: dict[str, dict[str, Counter[str]]] = {key: {} for key, _label in FACTS}
    model = get_model()

    def add(key: str, value: str, kind: str) -> None:
        found[key].setdefault(value, Counter())[kind] += 1

    for prop, value in pairs:
        if prop in OWN_DOCUMENTS:
            add("document", value, OWN_DOCUMENTS[prop])
        elif prop in found:
            add(prop, value, "")
    index = held_index(store, scope)
    for record in records:
        for key, value, schema in index.get(record, ()):
            made = model.get(schema)
            add(key, value, made.label if made is not None else schema)
    facts: list[dict[str, Any]] = []
    for key, label in FACTS:
        if found[key]:
            values: list[dict[str, Any]] = [
                {"value": v, "text": fact_text(key, v), "count": sum(kinds.values()),
                 "kinds": sorted(k for k in kinds if k)}
                for v, kinds in found[key].items()]
            facts.append({"key": key, "label": label,
                          "values": sorted(values, key=lambda x: (-x["count"], x["value"]))})
    return {"names": counted_names((p, v) for p, v in pairs if p in SUMMARY_NAMES),
            "facts": facts, "withheld": len(pairs) < len(cols["prop"])}
