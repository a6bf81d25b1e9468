"""`GET /api/entities/{id}/briefing.pdf`: one person's briefing pack as PDF (briefing.py),
a disclosure recorded in the audit log with its purpose before the file is answered."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from pinchpoint.access.bounds import MAX_PURPOSE
from pinchpoint.api.briefing import pack
from pinchpoint.api.deps import SessionDep
from pinchpoint.api.routes_exports import NO_PURPOSE, record_export

router = APIRouter(prefix="/api")

NOT_FOUND = "no such entity"


@router.get("/entities/{entity_id}/briefing.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}},
                       400: {"description": "no purpose given"},
                       404: {"description": NOT_FOUND}})
def briefing_pdf(session: SessionDep, entity_id: str,
                 purpose: Annotated[str | None, Query(max_length=MAX_PURPOSE)] = None,
                 to: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    """The person's briefing pack (profile summary, neighbourhood chart, plan of its
    group), from what the caller sees, marked on every page with the highest
    classification and the handling conditions of what it holds. Needs a purpose
    (`purpose`, else X-Purpose): it is recorded as a disclosure before it is answered."""
    if not (purpose or session.purpose or "").strip():
        raise HTTPException(400, NO_PURPOSE)  # before any work: nothing leaves unrecorded
    made = pack(session, entity_id)
    if made is None:
        raise HTTPException(404, NOT_FOUND)
    label, pdf = made
    name = (re.sub(r"[^A-Za-z0-9._-]", "", label.replace(" ", "_"))[:60] or "person")
    record_export(session, f"briefing pack of {label}", "pdf", purpose=purpose, to=to,
                  detail={"entity": entity_id, "file": f"briefing-{name}.pdf"})
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="briefing-{name}.pdf"'})
