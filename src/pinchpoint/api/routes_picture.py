"""Timeline, map and dashboard: the picture views of what the caller may see."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from pinchpoint.api.deps import SessionDep
from pinchpoint.api.picture import (
    EVENT_SCHEMATA,
    TimelineFilter,
    kind_of,
    map_view,
    small_boats,
    timeline,
    workspace_figures,
)
from pinchpoint.api.routes_exports import csv_file, record_export
from pinchpoint.api.trends import map_points, trends

router = APIRouter(prefix="/api")


@router.get("/timeline", responses={400: {"description": "bad period or kind"},
                                    404: {"description": "no such party you can see"}})
def get_timeline(session: SessionDep, since: date | None = None, until: date | None = None,
                 party: str | None = Query(None, min_length=1, max_length=200),
                 kind: Annotated[list[str] | None, Query(max_length=20)] = None,
                 offset: int = Query(0, ge=0, le=100_000_000),
                 limit: int = Query(500, ge=1, le=10_000)) -> dict[str, Any]:
    """Dated calls, messages, payments, crossings, trips, seizures, events and posts, oldest
    first, a page at a time: of one party (its resolved entity's records), of some kinds
    (`kind` repeated or comma-separated, any case), in a period (an event overlapping it
    counts), with `total` matching and `kinds` (the count of each kind, all kinds)."""
    if since and until and since > until:
        raise HTTPException(400, f"since {since} is after until {until}")
    kinds: list[str] = []
    for text in (t for given in kind or [] for t in given.split(",") if t.strip()):
        found = kind_of(text)
        if found is None:
            raise HTTPException(400, f"unknown kind {text.strip()[:40]!r}; choose from "
                                f"{', '.join(k.lower() for k in EVENT_SCHEMATA)}")
        kinds.append(found)
    asked = TimelineFilter(party=party.strip() if party else None, kinds=tuple(kinds),
                           since=since.isoformat() if since else None,
                           until=until.isoformat() if until else None,
                           offset=offset, limit=limit)
    answer = timeline(session.store, session.scope, asked)
    if answer is None:
        raise HTTPException(404, "no such entity that you can see")
    return answer


TIMELINE_CSV_MAX = 100_000  # events in one CSV: more than any filter here has matched
TIMELINE_CSV = ("Date", "End", "Kind", "Label", "Parties", "Party ids", "Id")


@router.get("/timeline.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}},
                       400: {"description": "bad period or kind, or no purpose"},
                       404: {"description": "no such party you can see"}})
def get_timeline_csv(session: SessionDep, since: date | None = None,
                     until: date | None = None,
                     party: str | None = Query(None, min_length=1, max_length=200),
                     kind: Annotated[list[str] | None, Query(max_length=20)] = None
                     ) -> Response:
    """Every event `GET /api/timeline` matches with the same filter (all its pages, up to
    100,000), oldest first, as CSV: day, last day, kind, label, the parties' names and
    ids, the event's id. Recorded in the audit log as a disclosure with the purpose
    (X-Purpose) before it is answered; 400 without one."""
    found = get_timeline(session, since, until, party, kind, 0, TIMELINE_CSV_MAX)
    labels: dict[str, str] = found["labels"]
    rows = [(e["date"], e["end"] if e["end"] != e["date"] else "", e["schema"], e["label"],
             "; ".join(labels.get(p, p) for p in e["parties"]), " ".join(e["parties"]),
             e["id"]) for e in found["items"]]
    asked = {k: v for k, v in (("party", found["party"]), ("kind", ",".join(kind or [])),
                               ("since", since and since.isoformat()),
                               ("until", until and until.isoformat())) if v}
    whose = f" of {labels.get(found['party'], found['party'])}" if found["party"] else ""
    record_export(session, f"timeline{whose}", "csv", len(rows),
                  detail={"arguments": asked, "total": found["total"]})
    return csv_file(TIMELINE_CSV, rows, "timeline.csv")


MONTH_OR_DAY = r"^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$"


@router.get("/map", responses={400: {"description": "since is after until"}})
def get_map(session: SessionDep,
            since: str | None = Query(None, pattern=MONTH_OR_DAY),
            until: str | None = Query(None, pattern=MONTH_OR_DAY)) -> dict[str, Any]:
    """Places, routes and seizures, and the dated transit points (launch and landing
    points, places of trips, events and seizures, placed by the coordinates the data gives
    or the gazetteer, never guessed); with `since` / `until` (months or days, both
    included) only the routes, seizures and points of events dated in the period."""
    if since and until and since.ljust(10, "0") > until.ljust(10, "9"):
        raise HTTPException(400, f"since {since} is after until {until}")
    found = map_view(session.store, session.scope, since, until)
    points = map_points(session.store, session.scope, since, until)
    placed = {s["id"]: s for s in points["dated_seizures"]}
    for seizure in found["seizures"]:
        at = placed.get(seizure["id"])
        seizure.update({"lat": at["lat"], "lon": at["lon"], "precision": at["precision"]}
                       if at else {"lat": None, "lon": None, "precision": ""})
    return {**found, "transit": points["transit"], "months": points["months"],
            "since": since, "until": until, "unplaced": points["unplaced"]}


@router.get("/dashboard")
def dashboard(session: SessionDep) -> dict[str, Any]:
    """The Home Office small-boat figures, the caller's own counts, and the workspace's
    trends per month (`trends`: crossings, payments, seizures and new people, by route and
    nationality; partly covered months listed in `partial`)."""
    return {"small_boats": small_boats(session.app.small_boats),
            "workspace": workspace_figures(session.store, session.scope),
            "trends": trends(session.store, session.scope)}
