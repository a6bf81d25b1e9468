"""Hit/no-hit between agencies over HTTP (issue 20; docs/matching.md): a filter of the
caller's shareable people for a sharing group, a check of the caller's own people
against a partner's filter, the hits kept for profiles, a request about a hit, and the
owner's answer.

The same `pinchpoint.matching.workflow` functions as `pinchpoint match`. Every step's
audit entries (`Step`, both sides' where both agencies are in this workspace) are written
through the app's audit writer; a step that cannot be taken answers 400 (403 for a role
that may not) in the library's one sentence, never 500. A write runs under the app's
write lock and then clears what was derived (a disclosure grants sources: the
requester's scope changes). Each side sees only its own entities: the requester the
people its request names, the owner which of its people match; digests never leave.
"""

from __future__ import annotations

import base64
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path as FilePath
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, File, Form, HTTPException, Path, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from pinchpoint.access import directory, journal
from pinchpoint.api import cache
from pinchpoint.api.changes import reason_for
from pinchpoint.api.deps import Session, SessionDep
from pinchpoint.api.entities import briefs
from pinchpoint.matching import records
from pinchpoint.matching.check import Hit
from pinchpoint.matching.filters import FilterError
from pinchpoint.matching.group_keys import GroupKeyError
from pinchpoint.matching.identifiers import KINDS
from pinchpoint.matching.workflow import (
    MatchError,
    Step,
    answer,
    check_filter,
    make_filter,
    make_request,
    receive,
)
from pinchpoint.model.reader import AccessError, Role

router = APIRouter(prefix="/api/match")
T = TypeVar("T")
MAX_UPLOAD = 256 * 1024 * 1024  # a filter of ten million identifiers is about 40 MB
CHECKERS = (Role.ANALYST, Role.SUPERVISOR, Role.ADMINISTRATOR)
REFUSED: dict[int | str, dict[str, Any]] = {
    400: {"description": "a step that cannot be taken: a file that is not a trusted filter, "
          "request or answer, no hit to ask about, a request decided already, no reason"},
    403: {"description": "the caller's role may not take this step"}}


# -- writing steps ------------------------------------------------------------------------
def _write(session: Session, steps: Sequence[Step]) -> None:
    """Each step's entry through the app's audit writer (the other side's too)."""
    for step in steps:
        session.app.writer().record((step.user, step.agency, step.action, step.what,
                                     journal.justification(step.why),
                                     tuple(step.recipients), step.detail))


def _step(session: Session, make: Callable[[], tuple[T, Sequence[Step]]]) -> T:
    """``make()`` under the write lock, its refusals as 400 or 403, its steps logged; what
    was derived is cleared whatever happened (a check replaces hits, an answer grants)."""
    with session.app.write_lock:
        try:
            found, steps = make()
        except AccessError as exc:
            raise HTTPException(403, str(exc)) from None
        except (MatchError, FilterError, GroupKeyError) as exc:
            raise HTTPException(400, str(exc)) from None
        finally:
            session.app.invalidate()
    _write(session, steps)
    return found


def _upload(file: UploadFile) -> bytes:
    data = file.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise HTTPException(400, f"the file is larger than {MAX_UPLOAD // 2**20} MB")
    if not data:
        raise HTTPException(400, "the file is empty")
    return data


def _grade(strength: float) -> str:
    """"strong", "medium" or "weak", as `Hit.grade` says."""
    return Hit("", "", [], strength).grade


def _kinds(text: str | None) -> list[str] | None:
    if not text or not text.strip():
        return None
    chosen = [k.strip() for k in text.split(",") if k.strip()]
    unknown = sorted(set(chosen) - set(KINDS))
    if unknown or not chosen:
        raise HTTPException(400, f"unknown kinds {', '.join(unknown) or '(none)'}; choose "
                            f"from {', '.join(KINDS)}")
    return chosen


def _titles(session: Session) -> dict[str, str]:
    """Each agency's name as people say it ("Border Force"), else its short name."""
    return {name: title or name
            for name, title in directory.agencies(session.store.con).items()}


def _expanded(session: Session, ids: Sequence[str]) -> list[str]:
    """The ids, each with its canonical id and records: a check keeps hits under the
    resolution of its day, a profile may be opened by a record or a canonical id."""
    resolution = cache.resolution(session.store, session.scope)
    out: dict[str, None] = {}
    for entity in ids:
        canon, members = resolution.of(entity)
        out.update(dict.fromkeys([entity, canon, *members]))
    return list(out)


# -- groups ---------------------------------------------------------------------------------
@router.get("/groups")
def match_groups(session: SessionDep) -> list[dict[str, Any]]:
    """The sharing groups of the caller's agency, each with its other members: whom a
    filter for the group is made for."""
    con, agency = session.store.con, session.scope.agency
    titles = _titles(session)
    mine = directory.groups_of(con, agency)
    members: dict[str, list[dict[str, str]]] = {g: [] for g in mine}
    for other in sorted(titles):
        if other == agency:
            continue
        for group in directory.groups_of(con, other):
            if group in members:
                members[group].append({"agency": other, "name": titles[other]})
    return [{"group": g, "members": members[g]} for g in sorted(mine)]


# -- hits ---------------------------------------------------------------------------------
@router.get("/hits")
def match_hits(session: SessionDep,
               entity: Annotated[str | None, Query(min_length=1, max_length=200)] = None
               ) -> list[dict[str, Any]]:
    """The caller agency's kept hits on partners' filters (of one entity, its records
    and canonical id included, with `entity`), strongest first: who holds something
    (`sender`, `sender_name`), under which sharing group, on which kinds of identifier,
    how strong, and when the filter was checked. Never the digests."""
    agency = session.scope.agency
    found = records.hits(session.store.con, agency,
                         _expanded(session, [entity]) if entity else None)
    titles = _titles(session)
    seen: set[tuple[str, str, str]] = set()
    out = []
    for hit in found:
        # One line per partner and group for a profile (a record and its canonical id
        # may both hold one after a resolution), one per entity for the whole list.
        key = (hit.sender, hit.group, "" if entity else hit.entity)
        if key in seen:
            continue
        seen.add(key)
        row: dict[str, Any] = {
            "sender": hit.sender, "sender_name": titles.get(hit.sender, hit.sender),
            "group": hit.group, "kinds": hit.kinds, "strength": hit.strength,
            "grade": _grade(hit.strength), "exact": hit.exact,
            "checked_at": hit.checked_at.isoformat(sep=" ", timespec="minutes")}
        if not entity:
            row = {"entity": hit.entity, "label": hit.label, **row}
        out.append(row)
    return out


@router.post("/check", responses=REFUSED)
def match_check(session: SessionDep, file: Annotated[UploadFile, File()],
                reason: Annotated[str | None, Form(max_length=2000)] = None,
                kinds: Annotated[str | None, Form(max_length=200)] = None
                ) -> dict[str, Any]:
    """Check the caller agency's own people against a partner's filter file, here (a
    combination in the audit log); the hits are kept for profiles and the Requests
    page, replacing those of the sender's last filter for the group. Analysts and up."""
    session.require(*CHECKERS)
    why = reason_for(session, reason)
    data = _upload(file)
    wanted = _kinds(kinds)
    checked = _step(session, lambda: check_filter(
        session.store, session.scope, session.workspace.path, data, why, wanted))
    info = checked.info
    return {"sender": info.sender, "sender_name": _titles(session).get(info.sender,
                                                                        info.sender),
            "group": info.group, "people": checked.people, "kinds": list(info.kinds),
            "names_comparable": checked.names_comparable,
            "hits": [{"entity": h.entity, "label": h.label, "kinds": h.kinds,
                      "strength": h.strength, "grade": h.grade, "exact": h.exact}
                     for h in checked.hits]}


# -- filters ------------------------------------------------------------------------------
class FilterRequest(BaseModel):
    group: str = Field(min_length=1, max_length=200, description="the sharing group")
    kinds: list[str] | None = Field(None, max_length=len(KINDS), description="identifier "
                                    f"kinds [default: all of {', '.join(KINDS)}]")
    reason: str | None = Field(None, max_length=2000, description="why; kept in the audit "
                               "log (default: the X-Purpose header)")


def _file_name(*parts: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", "-".join(parts))[:120]


@router.post("/filter", responses={**REFUSED, 200: {
    "content": {"application/octet-stream": {}},
    "description": "the signed filter file (pinchpoint-match-filter/1)"}},
    response_class=Response)
def match_filter(session: SessionDep, body: FilterRequest) -> Response:
    """A filter of the caller agency's shareable people for a sharing group, as a file
    to send its members (keyed digests only; its making is logged as a disclosure of a
    filter, not of data). Supervisors and administrators."""
    why = reason_for(session, body.reason)
    kinds = _kinds(",".join(body.kinds)) if body.kinds else None
    name = _file_name(session.scope.agency, body.group, "match.filter")
    with tempfile.TemporaryDirectory(prefix="pinchpoint-filter-") as tmp:
        out = FilePath(tmp) / name

        def make() -> tuple[bytes, list[Step]]:
            _info, steps = make_filter(session.store, session.scope, session.workspace.path,
                                       body.group, out, why, kinds or KINDS)
            return out.read_bytes(), steps

        data = _step(session, make)
    return Response(data, media_type="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# -- requests -----------------------------------------------------------------------------
def _shown(session: Session, row: records.RequestRow) -> dict[str, Any]:
    """A request as the caller's side sees it: the requester its own people each item
    names (`refs`), the owner which of its people each item matches (`matches`); never
    the other side's ids, never the digests."""
    agency = session.scope.agency
    side = row.side(agency)
    mine = (set(row.refs.values()) if side == "sent"
            else {e for found in row.matches.values() for e in found})
    labels = briefs(session.store, session.scope, mine) if mine else {}

    def named(entity: str) -> dict[str, Any]:
        brief = labels.get(entity)
        return {"id": entity, "label": brief.label if brief else "one of your people"}

    items = []
    for item in row.items:
        ref = str(item.get("ref"))
        shown: dict[str, Any] = {"ref": ref, "kinds": list(item.get("kinds") or []),
                                 "strength": item.get("strength"),
                                 "grade": _grade(float(item.get("strength") or 0.0))}
        if side == "sent":
            shown["entity"] = named(row.refs[ref]) if ref in row.refs else None
        else:
            shown["matches"] = [named(e) for e in row.matches.get(ref, [])]
        items.append(shown)
    answered = row.answer or {}
    shared = answered.get("shared") or {}
    titles = _titles(session)
    return {
        "id": row.id, "side": side, "requester": row.requester, "owner": row.owner,
        "requester_name": titles.get(row.requester, row.requester),
        "owner_name": titles.get(row.owner, row.owner), "group": row.group,
        "created_at": row.created_at.isoformat(sep=" ", timespec="minutes"),
        "created_by": row.created_by, "reason": row.reason, "status": row.status,
        "decided_at": (row.decided_at.isoformat(sep=" ", timespec="minutes")
                       if row.decided_at else None),
        "decided_by": row.decided_by, "decision_reason": row.decision_reason,
        "remote": row.remote, "items": items,
        "matched": (sum(bool(v) for v in row.matches.values()) if side == "received"
                    else None),
        "shared": {"sources": list(shared.get("grants") or []),
                   "entities": shared.get("entities"),
                   "package": bool(shared.get("package"))} if shared else None,
    }


@router.get("/requests")
def match_requests(session: SessionDep) -> list[dict[str, Any]]:
    """The requests the caller's agency sent (`side` "sent") and received ("received"),
    newest first, each with its status and answer."""
    return [_shown(session, r)
            for r in records.requests_of(session.store.con, session.scope.agency)]


class NewRequest(BaseModel):
    to: str = Field(min_length=1, max_length=200, description="the filter's owner agency")
    entities: list[str] | None = Field(None, max_length=1000, description="only the hits "
                                       "on these of your entities [default: every hit]")
    reason: str | None = Field(None, max_length=2000, description="why; kept in both audit "
                               "logs (default: the X-Purpose header)")


def _with_file(shown: dict[str, Any], name: str, data: bytes | None) -> dict[str, Any]:
    """The signed file for a side on another instance, to send it by hand."""
    if data is None:
        return shown
    return {**shown, name: base64.b64encode(data).decode()}


@router.post("/requests", responses=REFUSED)
def match_request(session: SessionDep, body: NewRequest) -> dict[str, Any]:
    """Ask a filter's owner about the caller agency's hits on its filter (of `entities`,
    or all): a signed request carrying only the digests that hit. An owner in this
    workspace sees it at once; for one elsewhere the answer's `file` (base64) is the
    signed request to send it."""
    why = reason_for(session, body.reason)
    session.require(*CHECKERS)
    wanted = _expanded(session, body.entities) if body.entities else None

    def make() -> tuple[tuple[records.RequestRow, bytes], list[Step]]:
        row, document, steps = make_request(session.store, session.scope,
                                            session.workspace.path, body.to, why, wanted)
        return (row, document), steps

    row, document = _step(session, make)
    local = body.to in directory.agencies(session.store.con)
    return _with_file(_shown(session, row), "file", None if local else document)


class Decision(BaseModel):
    disclose: bool = Field(description="share the matched people (true) or decline")
    reason: str | None = Field(None, max_length=2000, description="why; kept in both audit "
                               "logs (default: the X-Purpose header)")


@router.post("/requests/{request_id}/answer", responses=REFUSED)
def match_answer(session: SessionDep,
                 request_id: Annotated[str, Path(min_length=1, max_length=100)],
                 body: Decision) -> dict[str, Any]:
    """The owner's decision on a request about its filter: disclose (the sources
    holding the matched people are granted to a requester in this workspace; for one
    elsewhere `package` is the signed share package) or decline. Supervisors and
    administrators."""
    why = reason_for(session, body.reason)
    with tempfile.TemporaryDirectory(prefix="pinchpoint-answer-") as tmp:
        package = FilePath(tmp) / _file_name(session.scope.agency, request_id, "package.zip")

        def make() -> tuple[tuple[records.RequestRow, bytes, bytes | None], list[Step]]:
            row, document, steps = answer(session.store, session.scope,
                                          session.workspace.path, request_id,
                                          body.disclose, why, package)
            return (row, document, package.read_bytes() if package.exists() else None), \
                steps

        row, document, packed = _step(session, make)
    shown = _shown(session, row)
    if row.remote:
        shown = _with_file(_with_file(shown, "file", document), "package", packed)
    return shown


@router.post("/receive", responses=REFUSED)
def match_receive(session: SessionDep, file: Annotated[UploadFile, File()],
                  reason: Annotated[str | None, Form(max_length=2000)] = None
                  ) -> dict[str, Any]:
    """Take a request file from a partner elsewhere (the caller's agency owns the
    filter: it sees which of its people match) or an owner's answer file."""
    session.require(*CHECKERS)
    why = reason_for(session, reason)
    data = _upload(file)
    row = _step(session, lambda: receive(session.store, session.scope,
                                         session.workspace.path, data, why))
    return _shown(session, row)

