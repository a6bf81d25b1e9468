"""The caller's supply chain: seized items linked by serial, supplier hubs, the
disruption plan, and the chain's places for the map (issue 17).

The same `pinchpoint.supply` functions as `pinchpoint supply`, on the rows naming
serials the caller may see, with the caller's resolution. The linked picture is made
once per scope key until the app's next write (`pinchpoint.api.cache`); every request
is logged like every other read, with the purpose the caller gives.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from pinchpoint.api import cache
from pinchpoint.api.deps import Session, SessionDep
from pinchpoint.supply import (
    Supply,
    chains,
    hubs_report,
    legs,
    link,
    places_of,
    plan,
    serial_key,
)

router = APIRouter(prefix="/api/supply")


def supply_of(session: Session) -> Supply:
    """The caller's linked supply picture, kept until the next write."""
    store, scope = session.store, session.scope
    return cache.derived(store, scope, ("supply",), lambda: link(store, scope),
                         freeze=False, inputs_at=session.generation)


@router.get("/chains")
def supply_chains(
    session: SessionDep,
    kind: str | None = Query(None, max_length=40, description="only items of this kind"),
    serial: str | None = Query(None, max_length=100, description="only this serial"),
    every: bool = Query(False, alias="all",
                        description="also seized items no other record names"),
    top: int = Query(50, ge=1, le=1000),
) -> dict[str, Any]:
    """Each seized item with every record naming its serial and who those records name;
    with the legs and places of the chain for the map (coordinates only where known)."""
    found = chains(supply_of(session), kind, linked_only=not every and serial is None)
    if serial is not None:
        key = serial_key(serial)
        found = [c for c in found if c.id.endswith(f":{key}")]
    return {"items": len(found), "chains": [c.as_dict() for c in found[:top]],
            "legs": [leg.as_dict() for leg in legs(found)],
            "places": [p.as_dict() for p in places_of(found)]}


@router.get("/hubs")
def supply_hubs(session: SessionDep, top: int = Query(20, ge=1, le=500)) -> dict[str, Any]:
    """Suppliers ranked by the seized items they are upstream of, with the makes and
    models seized per month and the days from import to seizure."""
    return hubs_report(supply_of(session), top)


@router.get("/plan")
def supply_plan(session: SessionDep, steps: int = Query(5, ge=1, le=50)) -> dict[str, Any]:
    """Which supplier or storage site, disrupted, removes the most boats (then engines),
    step by step with the cumulative count."""
    return plan(supply_of(session), steps).as_dict()
