"""Search and entity pages; review, judgements (and their sharing between agencies) and
resolution (the analyst's side)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from pinchpoint.access.bounds import MAX_PURPOSE
from pinchpoint.api import cache
from pinchpoint.api.deps import SessionDep
from pinchpoint.api.entities import profile
from pinchpoint.api.search import search as run_search
from pinchpoint.model.reader import AccessError
from pinchpoint.resolve import ResolveError, ResolveOptions, resolve
from pinchpoint.resolve.explain import explain
from pinchpoint.resolve.ids import expand_judgement
from pinchpoint.resolve.review import judge, review_queue, undo
from pinchpoint.resolve.sharing_judgements import (
    Logged,
    NoSuchJudgement,
    adopt,
    judgement_shares,
    share_judgement,
    shared_judgements,
    withdraw_share,
)
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

    found = await session.answer_soon(("search", q.strip(), limit), hits, quick=True)
    assert found is not None  # a list, perhaps empty
    return found


@router.get("/entities/{entity_id}", response_model=dict[str, Any],
            responses={404: {"description": NOT_FOUND}})
async def entity(session: SessionDep, entity_id: str) -> Response:
    """Every visible statement of the entity (all its records when resolved)."""
    found = await session.answer_soon(
        ("profile", entity_id), lambda: profile(session.store, session.scope, entity_id),
        quick=True)
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


class UndoRequest(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


@router.post("/judgements/{judgement_id}/undo",
             responses={404: {"description": "no active judgement of this agency"}})
def undo_judgement(session: SessionDep, judgement_id: Annotated[str, Path(max_length=200)],
                   body: UndoRequest) -> dict[str, Any]:
    """Undo one of the agency's judgements (kept on record as undone) and re-cluster;
    another agency's judgement is unknown here, as it is to `pinchpoint undo-judgement`."""
    with session.app.write_lock:
        try:
            wanted = expand_judgement(session.store, session.scope, judgement_id)
        except ResolveError as exc:  # the start of several of its ids
            raise HTTPException(400, str(exc)) from None
        if wanted not in {j.id for j in store_judgements.judgements(session.store,
                                                                     session.scope)}:
            raise HTTPException(404, f"no active judgement {judgement_id}")
        try:
            found = undo(session.store, session.scope, wanted, body.reason,
                         session.scope.user)
        finally:
            session.app.invalidate()
    session.record("alteration", f"judgement {found.id} undone: {found.left} "
                   f"{found.verdict} {found.right}", body.reason)
    return dataclasses.asdict(found)


@router.get("/judgements")
def list_judgements(session: SessionDep, all: bool = False) -> list[dict[str, Any]]:
    return [dataclasses.asdict(j) for j in
            store_judgements.judgements(session.store, session.scope, active_only=not all)]


# -- judgements shared between agencies (`pinchpoint.resolve.sharing_judgements`) ---------
JudgementPath = Annotated[str, Path(max_length=200)]
REFUSED: dict[int | str, dict[str, Any]] = {
    400: {"description": "bad input"}, 403: {"description": "not this user's to do"},
    404: {"description": "no such judgement for this agency"}}


class ShareRequest(BaseModel):
    to: str = Field(min_length=1, max_length=200)
    # Longer than a purpose may be, so that the library refuses it in one sentence.
    purpose: str = Field(max_length=4 * MAX_PURPOSE)


class WithdrawRequest(BaseModel):
    to: str = Field(min_length=1, max_length=200)
    reason: str = Field(max_length=2000)


class AdoptRequest(BaseModel):
    reason: str = Field(max_length=2000)


def _refusal(exc: Exception) -> HTTPException:
    """A sharing refusal as its 4xx: who may not (403), no such judgement for this
    agency (404), what may not be (400)."""
    status = (403 if isinstance(exc, AccessError) else
              404 if isinstance(exc, NoSuchJudgement) else 400)
    return HTTPException(status, str(exc))


def _judgement_write(session: SessionDep, change: Callable[..., tuple[Any, Logged]],
                     judgement_id: str, *args: str) -> dict[str, Any]:
    """`change(store, scope, judgement_id, *args, user)` under the write lock, refusals
    as 4xx, then its audit entry (a disclosure names its recipient)."""
    with session.app.write_lock:
        try:
            found, logged = change(session.store, session.scope, judgement_id, *args,
                                   session.scope.user)
        except (AccessError, ResolveError) as exc:
            raise _refusal(exc) from None
        finally:
            session.app.invalidate()
    session.record(logged.action, logged.what, logged.why, logged.detail, logged.recipients)
    return dataclasses.asdict(found)


@router.post("/judgements/{judgement_id}/share", responses=REFUSED)
def share(session: SessionDep, judgement_id: JudgementPath, body: ShareRequest
          ) -> dict[str, Any]:
    """Share one of the agency's judgements with another agency (a logged disclosure)."""
    return _judgement_write(session, share_judgement, judgement_id, body.to, body.purpose)


@router.post("/judgements/{judgement_id}/withdraw", responses=REFUSED)
def withdraw(session: SessionDep, judgement_id: JudgementPath, body: WithdrawRequest
             ) -> dict[str, Any]:
    """Withdraw the sharing of a judgement with an agency; it stops seeing it at once."""
    return _judgement_write(session, withdraw_share, judgement_id, body.to, body.reason)


@router.get("/judgements/shared")
def list_shared(session: SessionDep) -> list[dict[str, Any]]:
    """Other agencies' judgements shared with the caller's agency (not yet its own)."""
    return [r.as_dict() for r in shared_judgements(session.store, session.scope)]


@router.get("/judgements/shares")
def list_shares(session: SessionDep, all: bool = False) -> list[dict[str, Any]]:
    """The caller's agency's judgements shared with other agencies (what it may withdraw;
    withdrawn ones too with `all`)."""
    return [dataclasses.asdict(share) for share in
            judgement_shares(session.store, session.scope, active_only=not all)]


@router.post("/judgements/{judgement_id}/adopt", responses=REFUSED)
def adopt_shared(session: SessionDep, judgement_id: JudgementPath, body: AdoptRequest
                 ) -> dict[str, Any]:
    """Make a judgement shared with the caller's agency its own (and re-cluster)."""
    return _judgement_write(session, adopt, judgement_id, body.reason)


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
