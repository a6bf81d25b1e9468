"""The caller's seized phones: the numbers found on many devices (issue 17).

The same `pinchpoint.phones` functions as `pinchpoint phones`, on the extractions the
caller may see. A ranking is made once per scope key and bound until the app's next
write (`pinchpoint.api.cache`). Every request is logged like every other read.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query

from pinchpoint.api import cache
from pinchpoint.api.deps import SessionDep
from pinchpoint.phones import LIMIT, MIN_DEVICES, PhonesError, common, devices

router = APIRouter(prefix="/api/phones")


@router.get("/common")
def phones_common(session: SessionDep,
                  min_devices: int = Query(MIN_DEVICES, ge=1, le=100_000),
                  top: int = Query(LIMIT, ge=1, le=1_000)) -> dict[str, Any]:
    """The numbers, e-mail addresses and handles found on at least `min_devices` seized
    devices, most devices first, with the names they were saved under; identifiers held
    by victims or witnesses are counted, never ranked (docs/phones.md)."""
    store, scope = session.store, session.scope
    found = cache.derived(store, scope, ("phones", min_devices, top),
                          lambda: common(store, scope, min_devices, top),
                          freeze=False, inputs_at=session.generation)
    return found.as_dict()


@router.get("/devices")
def phones_devices(session: SessionDep,
                   identifier: str = Query(..., min_length=1, max_length=200)
                   ) -> dict[str, Any]:
    """The seized devices an identifier was found on, each with its seizure date."""
    try:
        found = devices(session.store, session.scope, identifier)
    except PhonesError as exc:
        raise HTTPException(400, str(exc)) from None
    return {"identifier": identifier,
            "devices": [{"device": d, "seized_at": day} for d, day in found]}
