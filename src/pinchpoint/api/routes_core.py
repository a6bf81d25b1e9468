"""Log in and out, who am I, the caller's counts, the audit log."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import (
    APIRouter,
    Depends,
    HTTPException,
    Query,
    Request,
)
from pydantic import BaseModel, Field

from pinchpoint.access import accounts, directory
from pinchpoint.access.audit import AuditError
from pinchpoint.access.entitlements import scope_for
from pinchpoint.api.deps import AppState, SessionDep, app_state
from pinchpoint.model.reader import AccessError, Role
from pinchpoint.store import graph_reads
from pinchpoint.store.sql_store import SqlStore

router = APIRouter(prefix="/api")
WRONG = "wrong user name or password"


class Credentials(BaseModel):
    username: str = Field(max_length=200)
    password: str = Field(max_length=1000)


class Me(BaseModel):
    user: str
    agency: str
    role: str
    clearance: str
    prepared: bool = Field(default=False, description=(
        "whether the server has made what the caller's scope needs (resolution, "
        "statements in memory, search index, network): until then the first searches "
        "and profiles wait for it; making it starts at login"))


class LoggedIn(Me):
    token: str


class Count(BaseModel):
    statements: int
    entities: int


class Status(BaseModel):
    statements: int
    entities: int
    quarantined: int
    batches: int
    by_source: dict[str, Count]
    by_schema: dict[str, Count]
    by_owner: dict[str, Count]
    resolved: int


@router.post("/login", response_model=LoggedIn, responses={
    401: {"description": WRONG},
    429: {"description": "too many failed logins for this name; see Retry-After"}})
def login(body: Credentials, request: Request,
          state: Annotated[AppState, Depends(app_state)]) -> LoggedIn:
    """A bearer token for the user, valid for the server's token lifetime (12 hours by
    default); the same 401, after the same work, for an unknown user and a wrong
    password. Repeated failures lock the name, and many from one client address lock
    the address, for a while (429). Every login and every refusal is written to the
    audit log."""
    client = (state.client_guard, request.client.host if request.client else "unknown")
    with state.write_lock:
        store = state.store()
        generation = state.generation
        try:
            reader = accounts.authenticate(store.con, state.guard, body.username,
                                           body.password, client)
            _id, token = directory.issue_token(store.con, reader.user, note="api login")
            _reader, expires = state.holder(store, token)
            scope = scope_for(store.con, reader)
        except accounts.LockedOut as exc:
            _log_login(state, store, body.username, f"refused: {exc}")
            raise HTTPException(429, str(exc), headers={"Retry-After": str(exc.retry_after)}
                                ) from None
        except AccessError:
            _log_login(state, store, body.username, "refused: wrong user name or password")
            raise HTTPException(401, WRONG) from None
        finally:
            store.close()
    state.record(scope, "alteration", "POST /api/login (token issued)", "login")
    # The analyst's first search or profile should not wait for their scope's index,
    # statements and network: start making them now; the scope itself is known already.
    state.remember(token, reader, scope, generation, expires)
    state.first_seen(token, scope)
    return LoggedIn(token=token, user=reader.user, agency=reader.agency,
                    role=reader.role.value, clearance=reader.clearance.value)


def _log_login(state: AppState, store: SqlStore, name: str, outcome: str) -> None:
    """A refused login, in the log of the named user's agency (the workspace's own
    agency's for a name that does not exist)."""
    shown = "".join(c if c.isprintable() else "?" for c in name[:80]).strip() or "-"
    agency = accounts.agency_of(store.con, shown) or state.workspace.agency
    state.writer().record((shown, agency, "alteration", "POST /api/login " + outcome,
                           "login", (), None))


@router.post("/logout")
def logout(session: SessionDep) -> dict[str, bool]:
    """Revoke the token this request carries."""
    with session.app.write_lock:
        token_id = directory.token_id_of(session.store.con, session.token)
        if token_id is not None:
            directory.revoke_token(session.store.con, token_id)
            session.app.invalidate()
    session.record("alteration", "POST /api/logout (token revoked)")
    return {"logged_out": True}


@router.get("/me", response_model=Me)
def me(session: SessionDep) -> Me:
    r = session.reader
    return Me(user=r.user, agency=r.agency, role=r.role.value, clearance=r.clearance.value,
              prepared=session.app.prepared(session.scope))


@router.get("/status", response_model=Status)
def status(session: SessionDep) -> Status:
    """The caller's counts: only statements the caller may see are counted."""
    counts = session.store.counts(session.scope)

    def facet(data: dict[str, tuple[int, int]]) -> dict[str, Count]:
        return {k: Count(statements=s, entities=e) for k, (s, e) in data.items()}

    return Status(statements=counts.statements, entities=counts.entities,
                  quarantined=counts.quarantined, batches=counts.batches,
                  by_source=facet(counts.by_source), by_schema=facet(counts.by_schema),
                  by_owner=facet(counts.by_owner),
                  resolved=graph_reads.resolved_count(session.store, session.scope))


@router.get("/audit", responses={403: {"description": "not an auditor or administrator"}})
def audit(session: SessionDep, action: str | None = Query(None, max_length=40),
          limit: int = Query(100, ge=1, le=10_000)) -> list[dict[str, Any]]:
    """The caller's agency's audit entries, newest last (auditors and administrators)."""
    session.require(Role.AUDITOR, Role.ADMINISTRATOR)
    with session.app.audit_lock:
        try:
            entries = session.app.audit().entries(session.scope.agency, action or None,
                                                  limit=limit)
        except AuditError as exc:
            raise HTTPException(400, str(exc)) from None
    return [dataclasses.asdict(e) for e in entries]
