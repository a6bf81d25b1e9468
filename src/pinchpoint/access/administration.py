"""What an administrator manages, under the rules the CLI and the admin API share:
users (listed with whether they are disabled, added), agencies and sharing groups, and
the grants an agency made and receives.

Users are managed per agency: an administrator lists and adds the users of their own
agency; an administrator of the workspace's own agency (`home`, the operator) those of
any agency, as `accounts` lets them change any. Agencies and sharing groups are the
workspace's, so any administrator adds them (as `pinchpoint agency add` always let
them); anyone may list them, since grants name them. Grants are made and revoked by
`directory.grant` and `directory.revoke_grant` (supervisors and administrators, their
own agency's data only); `grants_of` lists both sides for one agency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pinchpoint.access import directory
from pinchpoint.model.reader import AccessError, Clearance, Reader, Role
from pinchpoint.store.database import Connection
from pinchpoint.store.directory import GrantRow, checked_name
from pinchpoint.store.schema_sql import table_exists

__all__ = ["AgencyRow", "Direction", "UserRow", "add_agency", "add_user", "agencies", "grants_of",
           "join_group", "sharing_groups", "users"]


Direction = Literal["made", "received"]


@dataclass(frozen=True)
class UserRow:
    """A user as an administrator sees them (never their password hash)."""

    name: str
    agency: str
    role: str
    clearance: str
    disabled: bool


@dataclass(frozen=True)
class AgencyRow:
    name: str
    title: str
    groups: list[str]


# -- users ---------------------------------------------------------------------------------
def _may_manage(by: Reader, home: str, agency: str) -> None:
    """Refuse (`AccessError`) unless `by` administers `agency`'s users."""
    by.require(Role.ADMINISTRATOR)
    if by.agency not in (agency, home):
        raise AccessError(f"{by.user} administers {by.agency}'s users, not {agency}'s")


def users(con: Connection, by: Reader, home: str) -> list[UserRow]:
    """The users `by` administers, disabled ones too (so that they can be enabled)."""
    _may_manage(by, home, by.agency)
    if not table_exists(con, "users"):
        return []
    sql = "SELECT name, agency, role, clearance, disabled_at IS NOT NULL FROM users"
    params: list[object] = []
    if by.agency != home:
        sql += " WHERE agency = ?"
        params.append(by.agency)
    return [UserRow(str(n), str(a), str(r), str(c), bool(d))
            for n, a, r, c, d in con.execute(sql + " ORDER BY name", params).fetchall()]


def add_user(con: Connection, by: Reader, home: str, name: str,
             agency: str | None, role: Role | str, clearance: Clearance | str,
             password: str | None = None) -> Reader:
    """Add a user to `agency` (default: `by`'s own), when `by` administers its users;
    the password, when given, must pass the policy (`passwords.check_password`)."""
    agency = by.agency if agency is None else agency
    _may_manage(by, home, agency)
    return directory.add_user(con, name, agency, role, clearance, password)


# -- agencies and sharing groups --------------------------------------------------------------
def agencies(con: Connection) -> list[AgencyRow]:
    """Every agency of the workspace with the sharing groups it belongs to."""
    return [AgencyRow(name, title, directory.groups_of(con, name))
            for name, title in directory.agencies(con).items()]


def sharing_groups(con: Connection) -> dict[str, list[str]]:
    """Each sharing group and its member agencies."""
    if not table_exists(con, "sharing_groups"):
        return {}
    found: dict[str, list[str]] = {}
    for group, member in con.execute(
            "SELECT name, member FROM sharing_groups ORDER BY name, member").fetchall():
        found.setdefault(str(group), []).append(str(member))
    return found


def add_agency(con: Connection, by: Reader, name: str, title: str = "",
               groups: list[str] | tuple[str, ...] = ()) -> AgencyRow:
    """Add a partner agency, in the sharing groups named (administrators). Every group
    name is checked before anything is written."""
    by.require(Role.ADMINISTRATOR)
    name = checked_name(name, "agency")
    wanted = [checked_name(g, "group") for g in groups]
    directory.add_agency(con, name, title)
    for group in wanted:
        directory.add_to_group(con, group, name)
    return AgencyRow(name, directory.agencies(con)[name], directory.groups_of(con, name))


def join_group(con: Connection, by: Reader, agency: str, group: str) -> None:
    """Put an agency in a sharing group (administrators); the group is made by its first
    member."""
    by.require(Role.ADMINISTRATOR)
    directory.add_to_group(con, group, agency)


# -- grants --------------------------------------------------------------------------------
def grants_of(con: Connection, agency: str
              ) -> list[tuple[Direction, GrantRow]]:
    """The active grants `agency` made ("made") and that reach it ("received"),
    directly or through one of its sharing groups."""
    made = directory.grants(con, owner=agency)
    received = directory.grants(con, recipient_agency=agency)
    found: list[tuple[Direction, GrantRow]] = [("made", g) for g in made]
    return found + [("received", g) for g in received]
