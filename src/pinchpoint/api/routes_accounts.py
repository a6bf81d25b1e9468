"""Administrators' account changes over HTTP: disable, enable, new password, role,
clearance, revoke a user's tokens (`pinchpoint.access.accounts` holds the rules).

Each change is made by `pinchpoint.api.changes.apply`: under the app's write lock,
followed by `forget_callers` (so the scopes remembered per token are built afresh from
the user's row on the very next request: a disabled user or a revoked token gets 401 at
once, a lowered clearance bites at once), and written to the audit log as an
alteration with its reason (the body's, else the X-Purpose header; 400 without
either). No statement changes, so what the server derived from the statements per
scope key is kept (a reader's key holds their clearance): an account change no longer
makes every scope rebuild. Listing and adding users: `routes_admin`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from pinchpoint.access import accounts
from pinchpoint.access.passwords import MAX_LENGTH
from pinchpoint.api.changes import REFUSED, Reason, apply, reason_for
from pinchpoint.api.deps import SessionDep
from pinchpoint.model.reader import Clearance, Role

router = APIRouter(prefix="/api/users", tags=["accounts"])


class Change(BaseModel):
    reason: Reason = None


class NewPassword(Change):
    password: str = Field(min_length=1, max_length=MAX_LENGTH)


class NewRole(Change):
    role: Role


class NewClearance(Change):
    clearance: Clearance


def _change(session: SessionDep, name: str, what: str, reason: str | None,
            make: Callable[[], Any]) -> dict[str, Any]:
    """Run one account change as the caller (`changes.apply`: 403 for who may not, 400
    for what may not be or no reason) and log it."""
    why = reason_for(session, reason)
    result = apply(session, f"user {name}: {what}", why, make)
    detail = {"result": result} if isinstance(result, (int, str)) else None
    session.record("alteration", f"user {name}: {what}", why, detail)
    return {"user": name, "changed": what, "result": result}


def _args(session: SessionDep) -> tuple[Any, Any, str]:
    return session.store.con, session.reader, session.workspace.agency


@router.post("/{name}/disable", responses=REFUSED)
def disable(session: SessionDep, name: str, body: Change) -> dict[str, Any]:
    """Disable a user: their tokens are revoked and they cannot log in."""
    return _change(session, name, "disabled", body.reason,
                   lambda: accounts.disable(*_args(session), name))


@router.post("/{name}/enable", responses=REFUSED)
def enable(session: SessionDep, name: str, body: Change) -> dict[str, Any]:
    """Let a disabled user log in again (their old tokens stay revoked)."""
    return _change(session, name, "enabled", body.reason,
                   lambda: accounts.enable(*_args(session), name))


@router.post("/{name}/password", responses=REFUSED)
def password(session: SessionDep, name: str, body: NewPassword) -> dict[str, Any]:
    """Set a new password (the policy: docs/security.md); every token is revoked."""
    return _change(session, name, "password changed", body.reason,
                   lambda: accounts.set_password(*_args(session), name, body.password))


@router.post("/{name}/role", responses=REFUSED)
def role(session: SessionDep, name: str, body: NewRole) -> dict[str, Any]:
    """Change a user's role; it applies from their next request."""
    return _change(session, name, f"role {body.role.value}", body.reason,
                   lambda: accounts.set_role(*_args(session), name, body.role).value)


@router.post("/{name}/clearance", responses=REFUSED)
def clearance(session: SessionDep, name: str, body: NewClearance) -> dict[str, Any]:
    """Change a user's clearance; it applies from their next request."""
    return _change(session, name, f"clearance {body.clearance.value}", body.reason,
                   lambda: accounts.set_clearance(*_args(session), name,
                                                  body.clearance).value)


@router.post("/{name}/revoke-tokens", responses=REFUSED)
def revoke_tokens(session: SessionDep, name: str, body: Change) -> dict[str, Any]:
    """Revoke every active token of a user at once; answers how many."""
    return _change(session, name, "tokens revoked", body.reason,
                   lambda: accounts.revoke_tokens(*_args(session), name))
