"""The picture views: a timeline of dated events, a map, and the dashboard figures.

All derived from the caller's visible statements only (`Scope.relation()`):

- timeline: entities of EVENT_SCHEMATA with a date (a value of `graph_reads.DATE_PROPS`
  starting YYYY-MM-DD), their label, and the people and organisations they name
  (canonical ids). Filtered on the server, a page at a time: by party (an entity id;
  the events naming any record resolved into its entity), by kind and by period. (The
  page once took the first 500 events of the whole workspace and filtered them in the
  browser: a busy person's later calls and messages never showed, issue 19.) The events
  and what they name are derived once per scope from its cached statements (`events`),
  so a page, a party or the next page costs a few Arrow filters, not a statement scan;
- map: `places` are the ISO country codes in `country` / `nationality` statements with
  the number of entities naming each (no coordinates are stored, so `lat`/`lon` are
  null unless an Address carries `latitude`/`longitude`); `routes` go from the
  nationality of each person a crossing or event names to that crossing's or event's
  country; `seizures` are Seizure entities with their date, country and location; with
  a period, routes and seizures are those of events dated in it (the dated transit
  points, seizures' coordinates and the dashboard's trends are in `pinchpoint.api.trends`);
- dashboard: the Home Office small-boat figures (monthly.csv and yearly.csv of
  thenationalnews-datavis/uk_small_boats, Open Government Licence) and the caller's
  own counts: arrests (Events whose name, summary or description says "arrest"),
  seizures, social-media posts and operations (distinct `OP-...` references).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache as cache_result
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from followthemoney.types import registry

from pinchpoint.api import cache, search
from pinchpoint.api.entities import any_visible, briefs, resolved_map
from pinchpoint.api.view import StatementView
from pinchpoint.model.ftm import get_model
from pinchpoint.store import database, graph_reads
from pinchpoint.store.scope import REDACTED, Scope
from pinchpoint.store.sql_store import SqlStore

EVENT_SCHEMATA = ("Call", "Message", "Payment", "Crossing", "Trip", "Seizure", "Event",
                  "SocialMediaPost")
PARTIES = ("Person", "Organization", "Company", "LegalEntity", "PublicBody")
DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _visible(scope: Scope) -> tuple[str, list[object]]:
    visible, params = scope.relation()
    return f"SELECT * FROM ({visible}) AS r WHERE r.value <> '{REDACTED}'", params


@dataclass(frozen=True)
class TimelineFilter:
    """What the caller asked of the timeline: a party (an entity id: its resolved
    entity's records), kinds (schemata of `EVENT_SCHEMATA`), a period, and the page."""

    party: str | None = None
    kinds: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    offset: int = 0
    limit: int = 500


@dataclass(frozen=True)
class Events:
    """The scope's dated events, read once from its cached statements (`cache.statements`)
    and kept until the next write: `dated` has one row per event (`entity_id`, `kind`, its
    `first` and `last` day), sorted by first day then id; `named` one row per entity
    property of an event (`entity_id`, `prop`, `target`: payer, caller, involved, ...),
    for the party filter and each event's parties."""

    dated: pa.Table
    named: pa.Table


@cache_result
def party_props() -> tuple[str, ...]:
    """The entity properties by which an event of `EVENT_SCHEMATA` names another entity."""
    model = get_model()
    return tuple(sorted({p.name for name in EVENT_SCHEMATA
                         for p in model.get(name).properties.values()  # type: ignore[union-attr]
                         if p.type == registry.entity}))


def kind_of(text: str) -> str | None:
    """The timeline kind `text` names (any case: "payment", "Payment"), or None."""
    return {k.lower(): k for k in EVENT_SCHEMATA}.get(text.strip().lower())


def _coded(view: StatementView, column: str, wanted: Sequence[str]) -> npt.NDArray[np.bool_]:
    """Which rows of the view hold one of `wanted` in a dictionary column (compared as
    codes: no string per row)."""
    keep = set(wanted)
    codes = [n for n, word in enumerate(view.words[column]) if word in keep]
    return np.isin(view.codes[column], codes)


def read_events(view: StatementView) -> Events:
    """`Events` of a scope's statement view, with Arrow (no Python object per row). A
    redacted value is the redaction marker: never a day, never an id, so it dates and
    names nothing (as `_visible` leaves it out of the SQL reads)."""
    empty = Events(pa.table({"entity_id": pa.array([], pa.string()),
                             "kind": pa.array([], pa.string()),
                             "first": pa.array([], pa.string()),
                             "last": pa.array([], pa.string())}),
                   pa.table({"entity_id": pa.array([], pa.string()),
                             "prop": pa.array([], pa.string()),
                             "target": pa.array([], pa.string())}))
    if not len(view) or "schema" not in view.codes or "prop" not in view.codes:
        return empty
    event = _coded(view, "schema", EVENT_SCHEMATA)
    rows = view.table.select(["entity_id", "schema", "prop", "value"])
    dated = rows.filter(pa.array(event & _coded(view, "prop", graph_reads.DATE_PROPS)))
    day = pc.utf8_slice_codeunits(dated.column("value"), 0, 10)
    days = pa.table({"entity_id": dated.column("entity_id"),
                     "kind": pc.cast(dated.column("schema"), pa.string()), "day": day}
                    ).filter(pc.match_substring_regex(day, DAY))
    spans = days.group_by("entity_id").aggregate(
        [("kind", "min"), ("day", "min"), ("day", "max")]).rename_columns(
        ["entity_id", "kind", "first", "last"]).select(["entity_id", "kind", "first", "last"])
    named = rows.filter(pa.array(event & _coded(view, "prop", party_props())))
    named = pa.table({"entity_id": named.column("entity_id"),
                      "prop": pc.cast(named.column("prop"), pa.string()),
                      "target": named.column("value")})
    return Events(spans.sort_by([("first", "ascending"), ("entity_id", "ascending")]),
                  named.sort_by([("entity_id", "ascending"), ("prop", "ascending"),
                                 ("target", "ascending")]))


def events(store: SqlStore, scope: Scope) -> Events:
    """`read_events` of the scope's statements, made once per scope until the next write."""
    at = cache.generation()
    view = cache.statements(store, scope)
    return cache.derived(store, scope, "timeline events", lambda: read_events(view),
                         inputs_at=at)


def _mask(table: pa.Table, asked: TimelineFilter, ids: pa.Array | None) -> pa.Array:
    """Events in the period (an event spanning its start or end counts) and, with
    `ids`, only those events."""
    keep = pa.array(np.ones(table.num_rows, dtype=bool))
    if asked.since is not None:
        keep = pc.and_(keep, pc.greater_equal(table.column("last"), asked.since))
    if asked.until is not None:
        keep = pc.and_(keep, pc.less_equal(table.column("first"), asked.until))
    if ids is not None:
        keep = pc.and_(keep, pc.is_in(table.column("entity_id"), value_set=ids))
    return keep


def timeline(store: SqlStore, scope: Scope, asked: TimelineFilter) -> dict[str, Any] | None:
    """One page of the dated events the caller may see, filtered by `asked`, oldest
    first, with `total` (how many match), `kinds` (how many of each kind match the
    party and period, whatever kinds were asked) and `labels` (the party's and the
    page's parties' labels, by canonical id). None when the party is nothing the caller
    can see."""
    found = events(store, scope)
    party, ids = None, None
    if asked.party is not None:
        party, records = cache.resolution(store, scope).of(asked.party)
        if not any_visible(store, scope, records):
            return None
        named = found.named.filter(pc.is_in(found.named.column("target"),
                                            value_set=pa.array(records, pa.string())))
        ids = pc.unique(named.column("entity_id"))
    matching = found.dated.filter(_mask(found.dated, asked, ids))
    counts = pc.value_counts(matching.column("kind")).to_pylist() if matching.num_rows else []
    kinds = {str(c["values"]): int(c["counts"]) for c in counts}
    if asked.kinds:
        matching = matching.filter(pc.is_in(matching.column("kind"),
                                            value_set=pa.array(asked.kinds, pa.string())))
    items = _items(store, scope, found, matching.slice(asked.offset, asked.limit))
    named = {p for item in items for p in item["parties"]} | ({party} if party else set())
    return {"total": matching.num_rows, "offset": asked.offset, "limit": asked.limit,
            "party": party, "kinds": {k: kinds[k] for k in EVENT_SCHEMATA if k in kinds},
            "items": items,
            "labels": _labels(store, scope, named)}


def _labels(store: SqlStore, scope: Scope, ids: set[str]) -> dict[str, str]:
    """Each entity's label, as `briefs` gives it. From the scope's search index when it
    has been built (it keeps what a label needs per record, and gives the same labels):
    `briefs` of a page of 200 events' 220 people reads their every statement (0.5 s on
    the medium scenario, 0.05 s from the index), but building the index for a timeline
    alone would cost 5 s."""
    if "search" in cache.held(store, scope):
        found = search.index(store, scope)
        return {i: b.label for i in sorted(ids) if (b := found.brief(i)) is not None}
    return {i: b.label for i, b in briefs(store, scope, ids).items()}


def _items(store: SqlStore, scope: Scope, found: Events, page: pa.Table
           ) -> list[dict[str, Any]]:
    """The page's events: kind, first and last day, label, and the people and
    organisations each names (canonical ids, visible ones only)."""
    ids = page.column("entity_id").to_pylist()
    if not ids:
        return []
    named = found.named.filter(pc.is_in(found.named.column("entity_id"),
                                        value_set=pa.array(ids, pa.string())))
    targets = named.column("target").to_pylist()
    view = cache.statements(store, scope)
    schemata = view.columns(targets, ("entity_id", "schema"))
    party_ids = {e for e, s in zip(schemata["entity_id"], schemata["schema"], strict=True)
                 if s in PARTIES}
    canonical = resolved_map(store, scope)
    parties: dict[str, list[str]] = {}
    for event, target in zip(named.column("entity_id").to_pylist(), targets, strict=True):
        if target in party_ids and target != event:
            ends = parties.setdefault(event, [])
            canon = canonical.get(target, target)
            if canon not in ends:
                ends.append(canon)
    info = briefs(store, scope, ids, whole=False)
    return [{"id": e, "schema": kind, "date": first, "end": last,
             "label": info[e].label if e in info else e, "parties": parties.get(e, [])}
            for e, kind, first, last in zip(ids, *(page.column(c).to_pylist()
                                                   for c in ("kind", "first", "last")),
                                            strict=True)]


PERIOD = re.compile(r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$")


def _period_sql(since: str | None, until: str | None) -> str:
    """A SQL condition on a `date` statement's `value`: in the period (YYYY-MM or
    YYYY-MM-DD, both ends included; checked, so they are written in as literals)."""
    parts = ["prop = 'date'"]
    for bound, op in ((since, ">="), (until, "<=")):
        if bound is not None:
            if not PERIOD.match(bound):
                raise ValueError(f"not a month or day: {bound!r}")
            parts.append(f"substr(value, 1, {len(bound)}) {op} '{bound}'")
    return " AND ".join(parts)


def map_view(store: SqlStore, scope: Scope, since: str | None = None,
             until: str | None = None) -> dict[str, Any]:
    """The map's places, routes and seizures (the module docstring). With a period
    (`since`, `until`: months or days), routes and seizures are those of events dated in
    it; places (country and nationality mentions) are not dated and stay whole."""
    visible, params = _visible(scope)
    con = store.con
    dated = "" if since is None and until is None else (
        f" AND entity_id IN (SELECT entity_id FROM v WHERE {_period_sql(since, until)})")
    places = con.execute(
        f"WITH v AS ({visible}) SELECT lower(value), count(DISTINCT entity_id) FROM v "
        "WHERE prop IN ('country', 'nationality') GROUP BY 1 ORDER BY 2 DESC, 1",
        params).fetchall()
    routes = con.execute(
        f"""WITH v AS ({visible}),
        ev AS (SELECT entity_id, lower(min(value)) AS country FROM v
               WHERE schema IN ('Crossing', 'Event', 'Trip') AND prop = 'country'{dated}
               GROUP BY entity_id),
        refs AS (SELECT s.entity_id, s.value AS person FROM v s JOIN ev USING (entity_id)),
        nat AS (SELECT entity_id AS person, lower(value) AS nationality FROM v
                WHERE schema = 'Person' AND prop = 'nationality')
        SELECT nat.nationality, ev.country, count(*) FROM refs
        JOIN nat ON nat.person = refs.person JOIN ev ON ev.entity_id = refs.entity_id
        WHERE nat.nationality <> ev.country GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2""",
        params).fetchall()
    seizures = con.execute(
        f"""WITH v AS ({visible}) SELECT entity_id,
        min(value) FILTER (WHERE prop = 'date'), min(lower(value)) FILTER (WHERE prop = 'country'),
        min(value) FILTER (WHERE prop = 'location')
        FROM v WHERE schema = 'Seizure'{dated} GROUP BY entity_id ORDER BY 2, 1""",
        params).fetchall()
    return {
        "places": [{"name": c, "country": c, "lat": None, "lon": None, "count": int(n)}
                   for c, n in places],
        "routes": [{"from_country": a, "to_country": b, "count": int(n)} for a, b, n in routes],
        "seizures": [{"id": i, "date": d, "country": c, "location": loc}
                     for i, d, c, loc in seizures],
    }


def workspace_figures(store: SqlStore, scope: Scope) -> dict[str, int]:
    visible, params = _visible(scope)
    row = store.con.execute(
        f"""WITH v AS ({visible}) SELECT
        count(DISTINCT entity_id) FILTER (WHERE schema = 'Event'
            AND prop IN ('name', 'summary', 'description') AND value ILIKE '%arrest%'),
        count(DISTINCT entity_id) FILTER (WHERE schema = 'Seizure'),
        count(DISTINCT entity_id) FILTER (WHERE schema = 'SocialMediaPost'),
        count(DISTINCT upper({database.regex_extract("value", "(OP-[A-Za-z0-9-]+)", store.con)}))
            FILTER (WHERE value ~ 'OP-[A-Za-z0-9]')
        FROM v""", params).fetchall()  # all: a fetchone leaves the result open
    arrests, seizures, posts, operations = row[0] if row else (0, 0, 0, 0)
    return {"investigations": int(operations), "arrests": int(arrests),
            "seizures": int(seizures), "posts": int(posts)}


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def small_boats(folder: Path | None) -> dict[str, Any]:
    """Monthly and yearly arrivals, boats and people per boat; empty without the data."""
    if folder is None or not (folder / "monthly.csv").exists():
        return {"available": False, "monthly": [], "yearly": [], "source": None}
    out: dict[str, Any] = {"available": True, "source": (
        "Home Office and Border Force small-boat arrivals (OGL v3.0), processed by The "
        "National (CC BY 4.0); provisional, subject to revision")}
    for name, key in (("monthly", "date_month"), ("yearly", "n_year")):
        rows = []
        path = folder / f"{name}.csv"
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                period = row[key][:7] if name == "monthly" else row[key]
                arrivals, boats = _number(row.get("migrants_arrived")), \
                    _number(row.get("boats_arrived"))
                rows.append({"period": period, "arrivals": int(arrivals or 0),
                             "boats": int(boats or 0),
                             "people_per_boat": round(arrivals / boats, 2)
                             if arrivals and boats else None})
        out[name] = rows
    return out

