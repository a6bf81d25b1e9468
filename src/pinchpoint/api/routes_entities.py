"""Search and entity pages; review, judgements (and their sharing between agencies) and
resolution (the analyst's side)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from typing import Annotated, Any, Literal

import numpy as np
import numpy.typing as npt
from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from pinchpoint.access.bounds import MAX_PURPOSE
from pinchpoint.api import cache
from pinchpoint.api.deps import Session, SessionDep
from pinchpoint.api.entities import EVENT_DATES, HELD, briefs, profile, summary
from pinchpoint.api.routes_network import (
    analysis_for,
    ego_graph,
    network_for,
    never_targets,
)
from pinchpoint.api.search import search as run_search
from pinchpoint.model.reader import AccessError
from pinchpoint.money import RatesError
from pinchpoint.network import Analysis, Network, NetworkError
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
    """People and organisations by name across scripts; phones (as E.164 or as written
    down: "07824 746944", "447824746944", "0044 7824 746944"), documents, places, and
    payments by their ledger reference with their payer and beneficiary."""
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
    """Every visible statement of the entity (all its records when resolved), when
    the records say it was active, and its `summary` (`profile_summary`). Made on the
    event loop only once the scope's event dates, held identifiers and ranking places
    are made: the first profile after a write makes them in the thread pool."""
    held = cache.held(session.store, session.scope)
    found = await session.answer_soon(
        ("profile", entity_id), lambda: profile_with_summary(session, entity_id),
        quick=summary_ready(held))
    if found is None:
        raise HTTPException(404, NOT_FOUND)
    return found



# -- the profile's summary card (issue 19) ------------------------------------------------
PLACES = "profile places"  # the name `ranking_places` is kept under (`cache.derived`)


@dataclasses.dataclass(frozen=True)
class Places:
    """Each node's place in the ranking `GET /api/network/rank` gives (1 = first, 0 =
    never ranked: a victim or witness, or one whose details the caller sees withheld),
    how many are ranked, and who may never be a target."""

    place: npt.NDArray[np.int64]
    ranked: int
    protected: npt.NDArray[np.bool_]


def summary_ready(held: dict[Any, Any]) -> bool:
    """Whether a profile with its summary is made from kept data alone (milliseconds)."""
    if not {EVENT_DATES, HELD} <= set(held):
        return False
    resolution = held.get("resolution")
    return PLACES in held or (resolution is not None and not resolution.resolved)


def ranking_places(session: Session, network: Network, result: Analysis) -> Places:
    """Places as `network_rank` numbers them: by score, ties in input order, victims and
    witnesses left out, then those whose details are withheld left out."""
    protected = never_targets(session, network)
    allowed = np.flatnonzero(network.targetable())
    order = allowed[np.lexsort((allowed, -np.round(result.scores.score[allowed], 12)))]
    kept = order[~protected[order]]
    place = np.zeros(network.n, dtype=np.int64)
    place[kept] = np.arange(1, len(kept) + 1)
    return Places(place, len(kept), protected)


def network_summary(session: Session, canon: str) -> dict[str, Any]:
    """Where the entity stands in the caller's whole network: `status` ("not resolved",
    "unavailable" with a `reason`, "not in the network", or "ranked"), and when in it
    its group (id, name, size), score, place in the ranking (of `ranked`), broker role,
    suggested role, whether it is `protected` (a victim or witness: no score, place or
    role), and its links by type (`links`: how many people it is linked to so, and
    `records`: how many records behind those links)."""
    store, scope = session.store, session.scope
    if not cache.resolution(store, scope).resolved:
        return {"status": "not resolved"}
    at = session.generation
    network = network_for(store, scope, None, None, at)
    try:
        result = analysis_for(store, scope, network, None, None, at, session.workspace.path)
    except RatesError as exc:
        return {"status": "unavailable", "reason": str(exc)}
    places: Places = cache.derived(store, scope, PLACES,
                                   lambda: ranking_places(session, network, result),
                                   inputs_at=at)
    try:
        i = network.index(canon)
    except NetworkError:
        return {"status": "not in the network"}
    graph, _wanted = ego_graph(store, scope, at, (None, None), network, None)
    kinds = network.link_attrs.get("type")
    links: Counter[str] = Counter()
    records: Counter[str] = Counter()
    for e in graph.incident(i):  # every link (the graph of every type keeps their order)
        kind = str(kinds[e]) if kinds else "link"
        links[kind] += 1
        records[kind] += round(float(network.weight[e]))
    group = result.groups.groups[int(result.groups.membership[i])]
    protected = bool(places.protected[i])
    return {
        "status": "ranked",
        "group": {"id": group.id, "name": group.name, "size": group.size},
        "score": None if protected else float(result.scores.score[i]),
        "rank": int(places.place[i]) or None, "ranked": places.ranked,
        "broker_role": None if protected else result.scores.brokerage.main_role(i),
        "suggested_role": None if protected else result.suggested_roles().get(canon),
        "protected": protected,
        "linked": len(set(graph.neighbors(i))),
        "links": [{"type": kind, "links": n, "records": records[kind]}
                  for kind, n in sorted(links.items(), key=lambda x: (-x[1], x[0]))],
    }


def profile_with_summary(session: Session, entity_id: str) -> dict[str, Any] | None:
    """`profile`, with its `summary`: names with counts and key facts
    (`pinchpoint.api.entities.summary`) and its place in the network
    (`network_summary`), all of what the caller's scope sees."""
    found = profile(session.store, session.scope, entity_id)
    if found is None:
        return None
    return {**found, "summary": {**summary(session.store, session.scope, found["records"]),
                                 "network": network_summary(session, found["id"])}}

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
def list_judgements(session: SessionDep, all: bool = False,
                    limit: int | None = Query(None, ge=1, le=1000)) -> list[dict[str, Any]]:
    """The agency's judgements (undone ones too with `all`), oldest first; with `limit`,
    the newest `limit` of them, newest first (the review page's list). Each names its two
    records as the reader sees them (`left_label`, `right_label`) and says whether it is
    still in force (`active`), so that a list of them reads as people, not ids."""
    found = store_judgements.judgements(session.store, session.scope, active_only=not all)
    if limit is not None:
        found = found[::-1][:limit]
    labels = briefs(session.store, session.scope,
                    {i for j in found for i in (j.left, j.right)}, whole=False)

    def label(record: str) -> str | None:
        return labels[record].label if record in labels else None

    return [{**dataclasses.asdict(j), "active": j.active, "left_label": label(j.left),
             "right_label": label(j.right)} for j in found]


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
