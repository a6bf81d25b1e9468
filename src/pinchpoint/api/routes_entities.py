"""Search and entity pages; review, judgements and resolution (the analyst's side)."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from pinchpoint.api import cache
from pinchpoint.api.deps import SessionDep
from pinchpoint.api.entities import profile
from pinchpoint.api.search import search as run_search
from pinchpoint.resolve import ResolveError, ResolveOptions, resolve
from pinchpoint.resolve.explain import explain
from pinchpoint.resolve.review import judge, review_queue
from pinchpoint.store import judgements as store_judgements

router = APIRouter(prefix="/api")
NOT_FOUND = "no such entity"


class SearchHit(BaseModel):
    id: str
    schema_: str = Field(alias="schema")
    label: str
    names: list[str]
    score: float
    match: str

    model_config = {"populate_by_name": True}


@router.get("/search", response_model=list[SearchHit], response_model_by_alias=True)
async def search(session: SessionDep, q: str = Query(..., min_length=1, max_length=200),
                 limit: int = Query(20, ge=1, le=200)) -> Response:
    """People and organisations by name across scripts; phones, documents, places."""
    def hits() -> list[dict[str, Any]]:
        return [{"id": h.id, "schema": h.schema, "label": h.label, "names": h.names,
                 "score": h.score, "match": h.match}
                for h in run_search(session.store, session.scope, q, limit)]

    found = await session.answer_soon(("search", q.strip(), limit), hits)
    assert found is not None  # a list, perhaps empty
    return found


@router.get("/entities/{entity_id}", response_model=dict[str, Any],
            responses={404: {"description": NOT_FOUND}})
async def entity(session: SessionDep, entity_id: str) -> Response:
    """Every visible statement of the entity (all its records when resolved)."""
    found = await session.answer_soon(
        ("profile", entity_id), lambda: profile(session.store, session.scope, entity_id))
    if found is None:
        raise HTTPException(404, NOT_FOUND)
    return found


def _side(session: SessionDep, record: str) -> list[dict[str, Any]]:
    return [{"prop": s.prop, "value": s.value, "owner": s.owner, "source": s.source,
             "source_grade": s.source_grade, "info_grade": s.info_grade,
             "handling": s.handling, "handling_conditions": s.handling_conditions}
            for s in cache.statements(session.store, session.scope).statements([record])
            if s.prop != "id"]


@router.get("/review")
def review(session: SessionDep, limit: int = Query(20, ge=1, le=500)) -> list[dict[str, Any]]:
    """Open decisions, biggest network impact first, both sides and the explanation."""
    out = []
    for item in review_queue(session.store, session.scope, limit):
        try:
            why: dict[str, Any] | None = explain(session.store, session.scope, item.left,
                                                 item.right).as_dict()
        except ResolveError:
            why = None
        out.append({**item.as_dict(), "left_statements": _side(session, item.left),
                    "right_statements": _side(session, item.right), "explanation": why})
    return out


class JudgementRequest(BaseModel):
    left: str = Field(max_length=200)
    right: str = Field(max_length=200)
    verdict: Literal["same", "different", "unsure"]
    reason: str = Field(min_length=1, max_length=2000)


@router.post("/judgements", responses={400: {"description": "cannot judge this pair"}})
def add_judgement(session: SessionDep, body: JudgementRequest) -> dict[str, Any]:
    """Record a judgement and re-cluster (a merge is a combination in the audit log)."""
    with session.app.write_lock:
        try:
            found = judge(session.store, session.scope, body.left, body.right, body.verdict,
                          body.reason, session.scope.user)
        except ResolveError as exc:
            raise HTTPException(400, str(exc)) from None
        finally:
            session.app.invalidate()
    action = "combination" if body.verdict == "same" else "alteration"
    session.record(action, f"judgement {found.id}: {body.left} {body.verdict} {body.right}",
                   body.reason)
    return dataclasses.asdict(found)


@router.get("/judgements")
def list_judgements(session: SessionDep, all: bool = False) -> list[dict[str, Any]]:
    return [dataclasses.asdict(j) for j in
            store_judgements.judgements(session.store, session.scope, active_only=not all)]


@router.post("/resolve", responses={400: {"description": "nothing to resolve"}})
def run_resolve(session: SessionDep) -> dict[str, Any]:
    """Resolve the people the caller sees (incremental after the first run)."""
    with session.app.write_lock:
        try:
            report = resolve(session.store, session.scope,
                             ResolveOptions(user=session.reader.user))
        except (ResolveError, ValueError) as exc:
            raise HTTPException(400, str(exc)) from None
        finally:
            session.app.invalidate()
    session.record("combination", "POST /api/resolve", detail=report.as_dict())
    return report.as_dict()
