"""The case's own threat picture (issue 19): the workspace's trends for the dashboard and
the dated, placed transit points and seizures for the map, from what the caller's scope
sees.

Both are read once per scope from its cached statements and dated events (`picture.events`,
the timeline's: one statement scan, kept until the next write) into `Facts`; a request
then only counts or filters those.

- trends: crossings, payments and seizures per month (an event's month is that of its
  first day), and new people per month (a person, as resolved, is new in the month of the
  first dated event naming any of their records; people no dated event names are counted
  apart, `undated_people`); crossings also by route, new people also by nationality. The
  months run from the first to the last month of the scope's dated events, every month
  listed (a month with nothing is a 0, not a gap); the first and last of them, and the
  current month, are only partly covered by the data and listed in `partial`, so a half
  month is not read as a drop. A date more than `MAX_MONTHS` before the last month (a
  placeholder 1900-01-01, say) is counted in `earlier`, so the months stay readable and
  the counts still add up to the totals.
- a crossing's route: launch country → landing country. The launch country is the
  gazetteer's (`pinchpoint.supply.places`) for the launch point, when it is one of the
  crossing's countries; the landing country is then the crossing's other country. When
  the gazetteer does not place the launch point, the landing point is tried the same way
  the other way round. Otherwise the route is the launch and landing points as the data
  writes them ("Bodrum → Crotone"): which of two countries a crossing left from is never
  guessed. A side the data does not give reads "launch not recorded" or "no landing
  recorded".
- map points: each dated crossing's, trip's, event's and seizure's places: its launch and
  landing points, location and address (text, placed by the gazetteer), and the
  Addresses it links to (their own latitude and longitude, else the gazetteer's place for
  their text). A text the gazetteer does not know is not drawn, and counted as unplaced.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from followthemoney.types import registry

from pinchpoint.api import cache
from pinchpoint.api.picture import events
from pinchpoint.api.view import StatementView
from pinchpoint.store.scope import REDACTED, Scope
from pinchpoint.store.sql_store import SqlStore
from pinchpoint.supply.places import place

MAX_MONTHS = 240
"""Months listed at most (20 years): older dates are counted in `earlier`."""
PLACED = ("Crossing", "Trip", "Event", "Seizure")
TEXT_PLACES = {"launchPoint": "launch", "landingPoint": "landing", "location": "place",
               "address": "place"}
ADDRESS_LINKS = {"startLocation": "launch", "endLocation": "landing", "addressEntity": "place"}
NO_LAUNCH, NO_LANDING = "launch not recorded", "no landing recorded"
UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Point:
    """A place an event was at, on one day: `kind` is launch, landing, seizure or place."""

    day: str
    kind: str
    name: str
    lat: float
    lon: float
    country: str
    precision: str
    event: str


@dataclass(frozen=True, slots=True)
class Facts:
    """What the trends and the map count, for one scope."""

    first: str | None  # first and last day of any dated event
    last: str | None
    crossings: tuple[tuple[str, str], ...]  # (day, route)
    payments: tuple[str, ...]  # days
    seizures: tuple[dict[str, Any], ...]  # id, date, label, country, lat, lon, precision
    people: tuple[tuple[str, str], ...]  # (first day, nationality code or UNKNOWN)
    undated_people: int
    points: tuple[Point, ...]
    unplaced: tuple[tuple[str, str], ...]  # (day, text) of places the gazetteer lacks


def _props(view_columns: dict[str, list[Any]]) -> dict[str, dict[str, list[str]]]:
    """Each entity's visible values by property (redacted values left out)."""
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for entity, prop, value in zip(view_columns["entity_id"], view_columns["prop"],
                                   view_columns["value"], strict=True):
        if value is not None and value != REDACTED:
            out[entity][prop].append(value)
    return out


def country_name(code: str) -> str:
    """A country code written out ("gb": "United Kingdom"); the text itself otherwise."""
    return registry.country.caption(code) or code


def route(props: dict[str, list[str]]) -> str:
    """A crossing's route (the module docstring)."""
    countries = sorted(set(c.lower() for c in props.get("country", [])))
    launch_text = min(props.get("launchPoint", []), default="")
    landing_text = min(props.get("landingPoint", []), default="")

    def other(code: str) -> str | None:
        rest = [c for c in countries if c != code]
        return rest[0] if len(rest) == 1 else None

    launch = place(launch_text).country if launch_text else ""
    landing = place(landing_text).country if landing_text else ""
    if launch and launch in countries:
        to = other(launch)
        return f"{country_name(launch)} → " + (country_name(to) if to else
                                                (landing_text or NO_LANDING))
    if landing and landing in countries:
        start = other(landing)
        return (country_name(start) if start else launch_text or NO_LAUNCH) + \
            f" → {country_name(landing)}"
    if not launch_text and len(countries) == 1:
        return f"{NO_LAUNCH} → {country_name(countries[0])}"
    if not landing_text and len(countries) == 1 and launch_text:
        return f"{launch_text} → {NO_LANDING}"
    return f"{launch_text or NO_LAUNCH} → {landing_text or NO_LANDING}"


def _coordinate(values: list[str]) -> float | None:
    for value in values:
        try:
            return float(value)
        except ValueError:
            continue
    return None


def _places(event: str, day: str, kind: str, props: dict[str, list[str]],
            addresses: dict[str, dict[str, list[str]]]
            ) -> tuple[list[Point], list[tuple[str, str]]]:
    """An event's placed points and the texts the gazetteer could not place."""
    points: list[Point] = []
    unplaced: list[tuple[str, str]] = []

    def put(text: str, role: str, lat: float | None = None, lon: float | None = None,
            country: str = "") -> None:
        role = "seizure" if kind == "Seizure" else role
        if lat is not None and lon is not None:
            points.append(Point(day, role, text, lat, lon, country, "recorded", event))
            return
        found = place(text)
        if found.lat is None or found.lon is None:
            unplaced.append((day, text))
            return
        points.append(Point(day, role, text, found.lat, found.lon, found.country,
                            found.precision, event))

    for prop, role in TEXT_PLACES.items():
        for text in sorted(set(props.get(prop, []))):
            put(text, role)
    for prop, role in ADDRESS_LINKS.items():
        for target in sorted(set(props.get(prop, []))):
            address = addresses.get(target, {})
            text = min(address.get("full", []) or address.get("name", []), default="")
            lat, lon = _coordinate(address.get("latitude", [])), \
                _coordinate(address.get("longitude", []))
            if text or (lat is not None and lon is not None):
                put(text or f"{lat}, {lon}", role, lat, lon,
                    min(address.get("country", []), default=""))
    return points, unplaced


def read_facts(store: SqlStore, scope: Scope) -> Facts:
    """`Facts` of the scope (made once per scope by `facts`)."""
    found = events(store, scope)
    view = cache.statements(store, scope)
    dated = found.dated
    days = dated.column("first")
    first = pc.min(days).as_py() if dated.num_rows else None
    last = pc.max(dated.column("last")).as_py() if dated.num_rows else None
    kinds = dated.column("kind").to_pylist()
    ids = dated.column("entity_id").to_pylist()
    day_of = dict(zip(ids, days.to_pylist(), strict=True))
    payments = tuple(d for d, k in zip(days.to_pylist(), kinds, strict=True) if k == "Payment")
    placed = [e for e, k in zip(ids, kinds, strict=True) if k in PLACED]
    kind_of = dict(zip(ids, kinds, strict=True))
    props = _props(view.columns(placed, ("entity_id", "prop", "value")))
    linked = {t for e in placed for p in ADDRESS_LINKS for t in props[e].get(p, [])}
    addresses = _props(view.columns(linked, ("entity_id", "prop", "value")))
    crossings: list[tuple[str, str]] = []
    seizures: list[dict[str, Any]] = []
    points: list[Point] = []
    unplaced: list[tuple[str, str]] = []
    for event in placed:
        day, kind, mine = day_of[event], kind_of[event], props[event]
        if kind == "Crossing":
            crossings.append((day, route(mine)))
        spots, missed = _places(event, day, kind, mine, addresses)
        points += spots
        unplaced += missed
        if kind == "Seizure":
            at = spots[0] if spots else None
            seizures.append({
                "id": event, "date": day,
                "label": min(mine.get("name", []), default=""),
                "location": min(mine.get("location", []), default=""),
                "country": min((c.lower() for c in mine.get("country", [])), default=""),
                "lat": at.lat if at else None, "lon": at.lon if at else None,
                "precision": at.precision if at else ""})
    people, undated = _people(store, scope, found.named, day_of)
    return Facts(first, last, tuple(crossings), payments, tuple(seizures), people, undated,
                 tuple(points), tuple(unplaced))


def _people(store: SqlStore, scope: Scope, named: pa.Table, day_of: dict[str, str]
            ) -> tuple[tuple[tuple[str, str], ...], int]:
    """Each person (as resolved) with the first day a dated event names any of their
    records and their nationality (the most written one; UNKNOWN without), and how many
    persons no dated event names."""
    view = cache.statements(store, scope)
    canonical = cache.resolution(store, scope).canonical
    person_rows = view.table.filter(pa.array(_is(view, "schema", "Person")))
    records = set(person_rows.column("entity_id").to_pylist())
    first: dict[str, str] = {}
    for event, target in zip(named.column("entity_id").to_pylist(),
                             named.column("target").to_pylist(), strict=True):
        day = day_of.get(event)
        if day is None or target not in records:
            continue
        person = canonical.get(target, target)
        if person not in first or day < first[person]:
            first[person] = day
    nationalities: dict[str, Counter[str]] = defaultdict(Counter)
    nat = person_rows.filter(pa.array(_is_rows(person_rows, "prop", "nationality")))
    for record, value in zip(nat.column("entity_id").to_pylist(),
                             nat.column("value").to_pylist(), strict=True):
        if value and value != REDACTED:
            nationalities[canonical.get(record, record)][value.lower()] += 1
    everyone = {canonical.get(r, r) for r in records}
    out = []
    for person, day in sorted(first.items()):
        counted = nationalities.get(person)
        code = min(counted, key=lambda c: (-counted[c], c)) if counted else UNKNOWN
        out.append((day, code))
    return tuple(out), len(everyone - set(first))


def _is(view: StatementView, column: str, word: str) -> npt.NDArray[np.bool_]:
    """Rows of a statement view whose dictionary column holds `word`."""
    codes = [n for n, w in enumerate(view.words[column]) if w == word]
    return np.isin(view.codes[column], codes)


def _is_rows(table: pa.Table, column: str, word: str) -> pa.Array:
    return pc.equal(pc.cast(table.column(column), pa.string()), word)


def facts(store: SqlStore, scope: Scope) -> Facts:
    """`read_facts`, once per scope until the next write."""
    at = cache.generation()
    cache.statements(store, scope)
    events(store, scope)
    cache.resolution(store, scope)
    return cache.derived(store, scope, "picture facts", lambda: read_facts(store, scope),
                         inputs_at=at)


# -- the dashboard's trends ---------------------------------------------------------------

def months_between(first: str, last: str) -> list[str]:
    """Every month from `first`'s to `last`'s (YYYY-MM), both included."""
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    out = []
    while (year, month) <= end:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _series(months: list[str], days: Iterable[str]) -> tuple[list[int], int]:
    """Counts per month of `months` and the count of earlier days."""
    at = {m: n for n, m in enumerate(months)}
    counts, earlier = [0] * len(months), 0
    for day in days:
        n = at.get(day[:7])
        if n is None:
            earlier += 1
        else:
            counts[n] += 1
    return counts, earlier


def _breakdown(months: list[str], pairs: Iterable[tuple[str, str]],
               name: Any = None) -> list[dict[str, Any]]:
    """Counts per month of each key of (day, key) pairs, the largest total first."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for day, key in pairs:
        by_key[key].append(day)
    rows = []
    for key, days in by_key.items():
        counts, earlier = _series(months, days)
        rows.append({"key": key, "name": name(key) if name else key, "total": len(days),
                     "earlier": earlier, "counts": counts})
    return sorted(rows, key=lambda r: (-r["total"], r["key"]))


def _nationality(code: str) -> str:
    return "not recorded" if code == UNKNOWN else country_name(code)


def partial_months(months: list[str], current: str) -> list[str]:
    """The months the data covers only in part: the first and the last of the data, and
    the current month (not over yet) when it is one of them."""
    return sorted(set(months[:1] + months[-1:]) | ({current} & set(months)))


def trends(store: SqlStore, scope: Scope, today: datetime.date | None = None
           ) -> dict[str, Any]:
    """The workspace's trends (the module docstring), for the dashboard."""
    found = facts(store, scope)
    current = (today or datetime.date.today()).isoformat()[:7]
    if found.first is None or found.last is None:
        months: list[str] = []
    else:
        months = months_between(found.first, found.last)[-MAX_MONTHS:]
    partial = partial_months(months, current)
    series, earlier = {}, {}
    for key, days in (("crossings", [d for d, _ in found.crossings]),
                      ("payments", list(found.payments)),
                      ("seizures", [s["date"] for s in found.seizures]),
                      ("people", [d for d, _ in found.people])):
        series[key], earlier[key] = _series(months, days)
    return {
        "months": months, "partial": partial, "current_month": current,
        "first_day": found.first, "last_day": found.last,
        "series": series, "earlier": earlier,
        "totals": {"crossings": len(found.crossings), "payments": len(found.payments),
                   "seizures": len(found.seizures), "people": len(found.people)},
        "undated_people": found.undated_people,
        "by_route": _breakdown(months, found.crossings),
        "by_nationality": _breakdown(months, found.people, _nationality),
    }


# -- the map's dated points --------------------------------------------------------------

def _within(day: str, since: str | None, until: str | None) -> bool:
    """Whether a day falls in the period (months or days; `until` a month means its end)."""
    return (since is None or day[:len(since)] >= since) and \
        (until is None or day[:len(until)] <= until)


def map_points(store: SqlStore, scope: Scope, since: str | None = None,
               until: str | None = None) -> dict[str, Any]:
    """The placed transit points (one per place and kind, with how many events were there
    and their first and last day) and seizures of the period, the months the data covers
    (for the time filter) and how many places in the period could not be placed."""
    found = facts(store, scope)
    grouped: dict[tuple[str, float, float], list[Point]] = defaultdict(list)
    for point in found.points:
        if point.kind != "seizure" and _within(point.day, since, until):
            grouped[(point.kind, point.lat, point.lon)].append(point)
    transit: list[dict[str, Any]] = []
    for (kind, lat, lon), points in grouped.items():
        names = Counter(p.name for p in points)
        transit.append({"name": min(names, key=lambda n: (-names[n], n)), "kind": kind,
                        "lat": lat, "lon": lon, "country": points[0].country,
                        "precision": points[0].precision,
                        "count": len({p.event for p in points}),
                        "first": min(p.day for p in points),
                        "last": max(p.day for p in points)})
    transit.sort(key=lambda t: (-t["count"], t["kind"], t["name"]))
    seizures = [s for s in found.seizures if _within(s["date"], since, until)]
    months = months_between(found.first, found.last)[-MAX_MONTHS:] \
        if found.first and found.last else []
    return {"transit": transit, "dated_seizures": seizures, "months": months,
            "since": since, "until": until,
            "unplaced": sum(1 for day, _ in found.unplaced if _within(day, since, until))}
