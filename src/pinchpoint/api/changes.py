"""One administrative change over HTTP (accounts, users, grants, agencies): the rules
are the library's (`pinchpoint.access`), this is how the API runs them.

A change is made under the app's write lock, as the caller; a refusal answers 403
(who may not: `AccessError`) or 400 (what may not be: `DirectoryError`), in the
library's one sentence. Whatever happened, the tokens' remembered callers and scopes
are then forgotten (`AppState.forget_callers`), so the very next request of anyone
reads its user and grants afresh: a disabled user's token answers 401, a revoked
grant's data is gone. What the server derived from the statements is kept per scope
key, and a key names the reader's clearance and every grant reaching them, so a
changed user or recipient lands on the data of the scope they have now, never of the
one they had; no statement changes here, so nothing derived needs rebuilding.

Every change needs a reason (the body's `reason`, else the `X-Purpose` header): it
goes into the audit log with who and what (`Session.record`), a refused change too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import HTTPException
from pydantic import Field

from pinchpoint.api.deps import Session
from pinchpoint.model.reader import AccessError
from pinchpoint.store.directory import DirectoryError

__all__ = ["NO_REASON", "REFUSED", "Name", "Reason", "answered", "apply", "reason_for"]

T = TypeVar("T")
NO_REASON = ("give a reason (the body's \"reason\" or the X-Purpose header): every "
             "administrative change is logged with why it was made")
REFUSED: dict[int | str, dict[str, object]] = {
    400: {"description": "no such user, agency, group or grant; one that exists already; "
          "a value the rules refuse; no reason given"},
    403: {"description": "the caller's role or agency may not make this change"}}


Name = Annotated[str, Field(min_length=1, max_length=200)]
"""A user, agency or group name (the library says which names it takes: 1-80 characters
without spaces); text with a lone surrogate, which the store cannot hold, is refused by
pydantic's JSON parser already (422)."""
Reason = Annotated[str | None, Field(max_length=2000, description="why; kept in the audit "
                                     "log (default: the X-Purpose header)")]


def reason_for(session: Session, reason: str | None) -> str:
    """The reason given in the body, else the request's purpose; 400 when neither."""
    why = (reason or "").strip() or (session.purpose or "").strip()
    if not why:
        raise HTTPException(400, NO_REASON)
    return why


def answered(make: Callable[[], T]) -> T:
    """`make()`, its refusals answered 403 (who may not) or 400 (what may not be)."""
    try:
        return make()
    except AccessError as exc:
        raise HTTPException(403, str(exc)) from None
    except DirectoryError as exc:
        raise HTTPException(400, str(exc)) from None


def apply(session: Session, attempt: str, why: str, make: Callable[[], T]) -> T:
    """Run one change as the caller under the write lock, then forget every remembered
    caller (see the module's notes); refusals are 403 or 400, and each is logged as a
    refused `attempt` (an analyst trying to add a user is on record too)."""
    with session.app.write_lock:
        try:
            return answered(make)
        except HTTPException as exc:
            session.record("alteration", f"refused: {attempt} ({exc.status_code}: "
                           f"{exc.detail})", why)
            raise
        finally:
            session.app.forget_callers()
