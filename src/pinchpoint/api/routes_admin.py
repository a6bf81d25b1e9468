"""The admin API: users, grants, agencies and sharing groups, while the server runs.

Each route runs the rule the CLI runs (`pinchpoint.access.administration`, `directory`
and `accounts`): administrators list and add their own agency's users (the operator's,
of the workspace's own agency, any agency's), supervisors and administrators grant and
revoke shares of their own agency's data and list agencies and groups, administrators
add agencies and put them in groups. Anyone else gets 403 with the library's sentence.

Every call is in the audit log: a GET as a consultation (`deps.session`), a change as
an alteration (a grant as a disclosure, naming its recipient) with who, what and the
reason the change needs (`pinchpoint.api.changes`). A change takes effect on the very
next request: `changes.apply` forgets every remembered caller, and a scope's derived
data is kept under a key naming every grant that reaches it, so a revoked grant's data
is not served from the caches (`tests/api/test_admin_api.py`).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from pinchpoint.access import administration, directory
from pinchpoint.access.administration import Direction
from pinchpoint.access.passwords import MAX_LENGTH
from pinchpoint.api.changes import REFUSED, Name, Reason, answered, apply, reason_for
from pinchpoint.api.deps import SessionDep
from pinchpoint.model.reader import Clearance, Role
from pinchpoint.store.directory import GrantRow

router = APIRouter(prefix="/api/admin", tags=["administration"])
READ_REFUSED: dict[int | str, dict[str, object]] = {
    403: {"description": "the caller's role may not see this"}}
SHARERS = (Role.SUPERVISOR, Role.ADMINISTRATOR)


# -- users ---------------------------------------------------------------------------------
class User(BaseModel):
    name: str
    agency: str
    role: Role
    clearance: Clearance
    disabled: bool = False


class NewUser(BaseModel):
    name: Name
    password: str = Field(min_length=1, max_length=MAX_LENGTH,
                          description="the policy of docs/security.md; never echoed")
    role: Role = Role.ANALYST
    clearance: Clearance = Clearance.OFFICIAL
    agency: Name | None = Field(None, description="default: the caller's own; only an "
                                "administrator of the workspace's own agency names another")
    reason: Reason = None


@router.get("/users", response_model=list[User], responses=READ_REFUSED)
def users(session: SessionDep) -> list[User]:
    """The users the caller administers (their own agency's; the operator's, of the
    workspace's own agency, every agency's), disabled ones too (administrators)."""
    found = answered(lambda: administration.users(
        session.store.con, session.reader, session.workspace.agency))
    return [User(**dataclasses.asdict(u)) for u in found]


@router.post("/users", response_model=User, responses=REFUSED)
def add_user(session: SessionDep, body: NewUser) -> User:
    """Add a user who logs in with the password given (administrators)."""
    why = reason_for(session, body.reason)
    added = apply(session, f"add user {body.name}", why, lambda: administration.add_user(
        session.store.con, session.reader, session.workspace.agency, body.name, body.agency,
        body.role, body.clearance, body.password))
    session.record("alteration", f"user {added.user}", why, {
        "added": True, "agency": added.agency, "role": added.role.value,
        "clearance": added.clearance.value})
    return User(name=added.user, agency=added.agency, role=added.role,
                clearance=added.clearance)


# -- grants --------------------------------------------------------------------------------
class Grant(BaseModel):
    id: str
    direction: Direction
    owner: str
    recipient: str
    recipient_kind: Literal["agency", "group"]
    source: str | None = Field(description="null: every source of the owner")
    victim_details: bool
    granted_by: str
    granted_at: datetime
    reason: str


class NewGrant(BaseModel):
    to: Name = Field(description="the agency (or, with group, the sharing group)")
    reason: str = Field(min_length=1, max_length=2000,
                        description="why: the disclosure record")
    group: bool = False
    source: Name | None = Field(None, description="only this source (default: all)")
    victim_details: bool = Field(False, description="do not redact victims' and "
                                 "witnesses' identifying details")


class Revocation(BaseModel):
    reason: Reason = None


def _grant(row: GrantRow, direction: Direction) -> Grant:
    fields = dataclasses.asdict(row)
    fields.pop("revoked_at")
    return Grant(direction=direction, **fields)


@router.get("/grants", response_model=list[Grant], responses=READ_REFUSED)
def grants(session: SessionDep) -> list[Grant]:
    """The active grants the caller's agency made and those reaching it (supervisors,
    administrators)."""
    session.require(*SHARERS)
    return [_grant(g, d) for d, g in administration.grants_of(session.store.con,
                                                                session.scope.agency)]


@router.post("/grants", response_model=Grant, responses=REFUSED)
def grant(session: SessionDep, body: NewGrant) -> Grant:
    """Share the caller's agency's statements (all, or one source's) with another agency
    or a sharing group, as `pinchpoint share grant` (supervisors, administrators)."""
    row = apply(session, f"grant to {body.to}", body.reason, lambda: directory.grant(
        session.store.con, session.reader, body.to, body.reason, body.source,
        body.victim_details, body.group))
    session.record("disclosure", f"grant {row.id}: {body.source or 'all sources'}",
                   row.reason, {"victim_details": body.victim_details, "group": body.group},
                   recipients=(body.to,))
    return _grant(row, "made")


@router.post("/grants/{grant_id}/revoke", response_model=Grant, responses=REFUSED)
def revoke(session: SessionDep, grant_id: str, body: Revocation) -> Grant:
    """Withdraw one of the caller's agency's grants; its recipients stop seeing the data
    on their next request (supervisors, administrators)."""
    why = reason_for(session, body.reason)
    row = apply(session, f"revoke grant {grant_id}", why, lambda: directory.revoke_grant(
        session.store.con, session.reader, grant_id, why))
    session.record("alteration", f"grant {grant_id} revoked", why,
                   recipients=(row.recipient,))
    return _grant(row, "made")


# -- agencies and sharing groups --------------------------------------------------------------
class Agency(BaseModel):
    name: str
    title: str
    groups: list[str]


class NewAgency(BaseModel):
    name: Name
    title: str = Field("", max_length=200)
    groups: list[Name] = Field(default_factory=list, max_length=50)
    reason: Reason = None


class Membership(BaseModel):
    group: Name
    reason: Reason = None


class Group(BaseModel):
    name: str
    members: list[str]


@router.get("/agencies", response_model=list[Agency], responses=READ_REFUSED)
def agencies(session: SessionDep) -> list[Agency]:
    """Every agency of the workspace and its sharing groups (supervisors,
    administrators: whom they may grant to)."""
    session.require(*SHARERS)
    return [Agency(**dataclasses.asdict(a))
            for a in administration.agencies(session.store.con)]


@router.post("/agencies", response_model=Agency, responses=REFUSED)
def add_agency(session: SessionDep, body: NewAgency) -> Agency:
    """Add a partner agency, in the sharing groups named (administrators)."""
    why = reason_for(session, body.reason)
    added = apply(session, f"add agency {body.name}", why, lambda: administration.add_agency(
        session.store.con, session.reader, body.name, body.title, body.groups))
    session.record("alteration", f"agency {added.name}", why,
                   {"added": True, "groups": added.groups})
    return Agency(**dataclasses.asdict(added))


@router.post("/agencies/{name}/groups", response_model=Agency, responses=REFUSED)
def join(session: SessionDep, name: str, body: Membership) -> Agency:
    """Put an agency in a sharing group; a new group is made by its first member
    (administrators)."""
    why = reason_for(session, body.reason)
    apply(session, f"agency {name} joins {body.group}", why, lambda: administration.join_group(
        session.store.con, session.reader, name, body.group))
    session.record("alteration", f"agency {name}", why, {"joined": body.group})
    found = [a for a in administration.agencies(session.store.con) if a.name == name]
    return Agency(**dataclasses.asdict(found[0]))


@router.get("/groups", response_model=list[Group], responses=READ_REFUSED)
def groups(session: SessionDep) -> list[Group]:
    """Every sharing group and its member agencies (supervisors, administrators)."""
    session.require(*SHARERS)
    return [Group(name=g, members=m)
            for g, m in administration.sharing_groups(session.store.con).items()]
