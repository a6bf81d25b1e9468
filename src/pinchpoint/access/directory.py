"""Agencies, sharing groups, users, API tokens and sharing grants, kept in the workspace.

Passwords are hashed with scrypt (stdlib `hashlib.scrypt`, n=2**14, r=8, p=1, 16-byte
salt); tokens are random (32 bytes) and only their SHA-256 is stored, so a copy of the
store gives no one a usable token. Revoking a token or a grant keeps the row (who, when,
why) and stops it working at once: scopes are built from these tables on every request,
never cached, so a revoked grant cannot linger in a permission cache.

The tables are the store's (`pinchpoint.store.directory` creates them with the other
store tables and is their only writer); this module holds the rules about who may
change them and reads them for the access checks.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from functools import cache

from pinchpoint.access.passwords import check_password
from pinchpoint.model.reader import AccessError, Clearance, Reader, Role
from pinchpoint.store import directory as store_directory
from pinchpoint.store.database import Connection
from pinchpoint.store.directory import DirectoryError, GrantRow, checked_name, ensure
from pinchpoint.store.schema_sql import table_exists

__all__ = [
    "SCRYPT", "TOKEN_LIFETIME", "DirectoryError", "GrantRow", "add_agency", "add_to_group",
    "add_user", "agencies", "ensure", "grant", "grants", "groups_of", "hash_password",
    "issue_token", "login", "password_matches", "reader", "record_received",
    "revoke_grant", "revoke_token", "token_holder", "token_id_of", "token_reader", "users",
]

SCRYPT = {"n": 2**14, "r": 8, "p": 1}
TOKEN_LIFETIME = timedelta(hours=12)
"""How long a token works after it is issued, unless the server is given another
lifetime (`pinchpoint serve --token-hours`); an expired token answers 401."""


# -- agencies and groups -------------------------------------------------------------------
def add_agency(con: Connection, name: str, title: str = "") -> None:
    store_directory.add_agency(con, name, title)


def agencies(con: Connection) -> dict[str, str]:
    if not table_exists(con, "agencies"):
        return {}
    return {str(n): str(t) for n, t in con.execute(
        "SELECT name, title FROM agencies ORDER BY name").fetchall()}


def add_to_group(con: Connection, group: str, agency: str) -> None:
    _known_agency(con, agency)
    store_directory.add_group_member(con, checked_name(group, "group"), agency)


def groups_of(con: Connection, agency: str) -> list[str]:
    if not table_exists(con, "sharing_groups"):
        return []
    return [str(r[0]) for r in con.execute(
        "SELECT name FROM sharing_groups WHERE member = ? ORDER BY name", [agency]).fetchall()]


def _known_agency(con: Connection, agency: str) -> None:
    if agency not in agencies(con):
        raise DirectoryError(f"no agency {agency}; add it with `pinchpoint agency add`")


# -- users, passwords, tokens ------------------------------------------------------------
def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **SCRYPT)
    return "scrypt${n}${r}${p}$".format(**SCRYPT) + \
        f"{base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n),
                             r=int(r), p=int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


def add_user(con: Connection, name: str, agency: str, role: Role | str,
             clearance: Clearance | str, password: str | None = None) -> Reader:
    name = checked_name(name, "user")
    _known_agency(con, agency)
    try:
        role, clearance = Role(role), Clearance(clearance)
    except ValueError as exc:
        raise DirectoryError(str(exc)) from None
    if con.execute("SELECT count(*) FROM users WHERE name = ?", [name]).fetchall()[0][0]:
        raise DirectoryError(f"user {name} already exists")
    if password is not None:
        check_password(name, password)
    store_directory.add_user(con, name, agency, role.value, clearance.value,
                             hash_password(password) if password else None)
    return Reader(name, agency, role, clearance)


def reader(con: Connection, name: str) -> Reader:
    """The user as the access rules see them; an unknown or disabled user is refused."""
    if not table_exists(con, "users"):
        raise AccessError(f"no user {name}")
    row = con.execute("SELECT name, agency, role, clearance FROM users WHERE name = ? "
                      "AND disabled_at IS NULL", [name]).fetchall()
    if not row:
        raise AccessError(f"no user {name}")
    n, agency, role, clearance = row[0]
    return Reader(str(n), str(agency), Role(role), Clearance(clearance))


def users(con: Connection, agency: str | None = None) -> list[Reader]:
    if not table_exists(con, "users"):
        return []
    sql = "SELECT name, agency, role, clearance FROM users WHERE disabled_at IS NULL"
    params: list[object] = []
    if agency is not None:
        sql += " AND agency = ?"
        params.append(agency)
    return [Reader(str(n), str(a), Role(role), Clearance(clearance))
            for n, a, role, clearance in con.execute(sql + " ORDER BY name", params).fetchall()]


def login(con: Connection, name: str, password: str) -> Reader:
    """The user when the password is right; the same refusal, after the same work, for a
    wrong password, an unknown or disabled user and one without a password: a name that
    is not found is checked against a dummy hash, so the time taken does not tell a
    caller which names exist (guessing is slowed down by `pinchpoint.access.accounts`)."""
    if name.encode(errors="replace").decode() != name:
        name = ""  # not text the store can hold (a lone surrogate): nobody's name
    row = con.execute("SELECT password_hash FROM users WHERE name = ? AND disabled_at IS NULL",
                      [name]).fetchall()
    stored = str(row[0][0]) if row and row[0][0] else None
    matches = password_matches(password, stored or _dummy_hash())
    if stored is None or not matches:
        raise AccessError("wrong user name or password")
    return reader(con, name)


@cache
def _dummy_hash() -> str:
    """A hash no password is known for, made once, for names that have none."""
    return hash_password(secrets.token_urlsafe(24))


def issue_token(con: Connection, user: str, note: str = "") -> tuple[str, str]:
    """A new API token for `user`: (token id, the token itself, shown once)."""
    reader(con, user)
    token = secrets.token_urlsafe(32)
    return store_directory.add_token(con, user, _digest(token), note), token


def token_reader(con: Connection, token: str,
                 lifetime: timedelta = TOKEN_LIFETIME) -> Reader:
    return token_holder(con, token, lifetime)[0]


def token_holder(con: Connection, token: str,
                 lifetime: timedelta = TOKEN_LIFETIME, at: datetime | None = None
                 ) -> tuple[Reader, datetime]:
    """The user of an active token and when it expires: refused when the token is unknown,
    revoked, older than `lifetime` (at `at`, default now) or its user is disabled."""
    if not table_exists(con, "tokens"):
        raise AccessError("unknown or revoked token")
    row = con.execute('SELECT "user", created_at FROM tokens WHERE digest = ? AND '
                      "revoked_at IS NULL", [_digest(token)]).fetchall()
    if not row:
        raise AccessError("unknown or revoked token")
    expires = row[0][1] + lifetime
    if (at or store_directory.now()) >= expires:
        raise AccessError("the token has expired; log in again")
    return reader(con, str(row[0][0])), expires


def token_id_of(con: Connection, token: str) -> str | None:
    """The id of `token` (active or revoked), the handle `revoke_token` takes; None for a
    token never issued here."""
    if not table_exists(con, "tokens"):
        return None
    row = con.execute("SELECT id FROM tokens WHERE digest = ?", [_digest(token)]).fetchall()
    return str(row[0][0]) if row else None


def revoke_token(con: Connection, token_id: str) -> None:
    if not store_directory.revoke_token(con, token_id):
        raise DirectoryError(f"no active token {token_id}")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# -- grants ----------------------------------------------------------------------------------
def grant(con: Connection, by: Reader, recipient: str, reason: str,
          source: str | None = None, victim_details: bool = False, group: bool = False
          ) -> GrantRow:
    """Share the granting user's agency's statements (all, or one source's) with another
    agency or a sharing group. Only supervisors and administrators grant, and only their
    own agency's data."""
    by.require(Role.SUPERVISOR, Role.ADMINISTRATOR)
    if not reason.strip():
        raise DirectoryError("a grant needs a reason (it is part of the disclosure record)")
    if group:
        if not con.execute("SELECT count(*) FROM sharing_groups WHERE name = ?",
                           [recipient]).fetchall()[0][0]:
            raise DirectoryError(f"no sharing group {recipient}")
    else:
        _known_agency(con, recipient)
        if recipient == by.agency:
            raise DirectoryError("an agency always sees its own data; nothing to grant")
    kind = "group" if group else "agency"
    return store_directory.add_grant(con, by.agency, recipient, kind, source, victim_details,
                                     by.user, reason.strip())


def record_received(con: Connection, sender: str, recipient: str,
                    sources: list[str], package: str, user: str) -> list[GrantRow]:
    """What arrived in a verified package was disclosed by its sender to this agency:
    recorded as the sender's grants (one per source), so the importing agency sees it and
    nobody else here does. The package's values are already as the sender chose to
    disclose them (redactions applied), so they are shown as received."""
    if sender not in agencies(con):
        add_agency(con, sender)
    have = {(g.source, g.recipient) for g in grants(con, owner=sender)}
    rows = []
    for source in sorted(set(sources)):
        if (source, recipient) in have:
            continue
        rows.append(store_directory.add_grant(
            con, sender, recipient, "agency", source, True,
            f"package {package} (imported by {user})",
            f"received from {sender} in a signed package"))
    return rows


def revoke_grant(con: Connection, by: Reader, grant_id: str, reason: str
                 ) -> GrantRow:
    by.require(Role.SUPERVISOR, Role.ADMINISTRATOR)
    found = [g for g in grants(con, owner=by.agency) if g.id == grant_id]
    if not found:
        raise DirectoryError(f"no active grant {grant_id} of {by.agency}")
    store_directory.revoke_grant(con, grant_id, by.user, reason)
    return found[0]


def grants(con: Connection, owner: str | None = None,
           recipient_agency: str | None = None) -> list[GrantRow]:
    """Active grants: made by `owner`, or reaching `recipient_agency` (directly or through
    one of its groups)."""
    if not table_exists(con, "grants"):
        return []
    sql = ("SELECT id, owner, recipient, recipient_kind, source, victim_details, granted_by, "
           "granted_at, reason, revoked_at FROM grants WHERE revoked_at IS NULL")
    params: list[object] = []
    if owner is not None:
        sql += " AND owner = ?"
        params.append(owner)
    if recipient_agency is not None:
        sql += (" AND ((recipient_kind = 'agency' AND recipient = ?) OR (recipient_kind = "
                "'group' AND recipient IN (SELECT name FROM sharing_groups WHERE member = ?)))")
        params += [recipient_agency, recipient_agency]
    return [GrantRow(*row) for row in con.execute(sql + " ORDER BY granted_at, id",
                                                  params).fetchall()]
