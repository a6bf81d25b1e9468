"""Timeline, map and dashboard: the picture views of what the caller may see."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Query

from pinchpoint.api.deps import SessionDep
from pinchpoint.api.picture import map_view, small_boats, timeline, workspace_figures

router = APIRouter(prefix="/api")


@router.get("/timeline")
def get_timeline(session: SessionDep, since: date | None = None, until: date | None = None,
                 limit: int = Query(500, ge=1, le=10_000)) -> list[dict[str, Any]]:
    """Dated calls, messages, payments, crossings, seizures, events and posts."""
    if since and until and since > until:
        raise HTTPException(400, f"since {since} is after until {until}")
    return timeline(session.store, session.scope, since.isoformat() if since else None,
                    until.isoformat() if until else None, limit)


@router.get("/map")
def get_map(session: SessionDep) -> dict[str, Any]:
    return map_view(session.store, session.scope)


@router.get("/dashboard")
def dashboard(session: SessionDep) -> dict[str, Any]:
    return {"small_boats": small_boats(session.app.small_boats),
            "workspace": workspace_figures(session.store, session.scope)}
