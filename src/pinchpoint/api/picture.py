"""The picture views: a timeline of dated events, a map, and the dashboard figures.

All derived from the caller's visible statements only (`Scope.relation()`):

- timeline: entities of EVENT_SCHEMATA with a date (`graph_reads.entity_dates`), their
  label, and the people and organisations they name (canonical ids);
- map: `places` are the ISO country codes in `country` / `nationality` statements with
  the number of entities naming each (no coordinates are stored, so `lat`/`lon` are
  null unless an Address carries `latitude`/`longitude`); `routes` go from the
  nationality of each person a crossing or event names to that crossing's or event's
  country; `seizures` are Seizure entities with their date, country and location;
- dashboard: the Home Office small-boat figures (monthly.csv and yearly.csv of
  thenationalnews-datavis/uk_small_boats, Open Government Licence) and the caller's
  own counts: arrests (Events whose name, summary or description says "arrest"),
  seizures, social-media posts and operations (distinct `OP-...` references).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from pinchpoint.api.entities import briefs, resolved_map
from pinchpoint.store import database, graph_reads
from pinchpoint.store.scope import REDACTED, Scope
from pinchpoint.store.sql_store import SqlStore

EVENT_SCHEMATA = ("Call", "Message", "Payment", "Crossing", "Trip", "Seizure", "Event",
                  "SocialMediaPost")
PARTIES = ("Person", "Organization", "Company", "LegalEntity", "PublicBody")


def _visible(scope: Scope) -> tuple[str, list[object]]:
    visible, params = scope.relation()
    return f"SELECT * FROM ({visible}) AS r WHERE r.value <> '{REDACTED}'", params


def timeline(store: SqlStore, scope: Scope, since: str | None, until: str | None,
             limit: int) -> list[dict[str, Any]]:
    dated = graph_reads.entity_dates(store, scope, EVENT_SCHEMATA)
    chosen = sorted(((first, e) for e, (first, _last) in dated.items()
                     if (since is None or first >= since) and (until is None or first <= until)))
    chosen = chosen[:limit]
    ids = [e for _d, e in chosen]
    canonical = resolved_map(store, scope)
    parties: dict[str, list[str]] = {}
    for ref in graph_reads.references(store, scope, PARTIES):
        if ref.entity_id in dated:
            ends = parties.setdefault(ref.entity_id, [])
            canon = canonical.get(ref.target, ref.target)
            if canon not in ends:
                ends.append(canon)
    info = briefs(store, scope, ids, whole=False)
    return [{"id": e, "schema": info[e].schema if e in info else None, "date": d,
             "end": dated[e][1], "label": info[e].label if e in info else e,
             "parties": parties.get(e, [])} for d, e in chosen]


def map_view(store: SqlStore, scope: Scope) -> dict[str, Any]:
    visible, params = _visible(scope)
    con = store.con
    places = con.execute(
        f"WITH v AS ({visible}) SELECT lower(value), count(DISTINCT entity_id) FROM v "
        "WHERE prop IN ('country', 'nationality') GROUP BY 1 ORDER BY 2 DESC, 1",
        params).fetchall()
    routes = con.execute(
        f"""WITH v AS ({visible}),
        ev AS (SELECT entity_id, lower(min(value)) AS country FROM v
               WHERE schema IN ('Crossing', 'Event', 'Trip') AND prop = 'country'
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
        FROM v WHERE schema = 'Seizure' GROUP BY entity_id ORDER BY 2, 1""", params).fetchall()
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
        FROM v""", params).fetchone()
    arrests, seizures, posts, operations = row if row else (0, 0, 0, 0)
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

