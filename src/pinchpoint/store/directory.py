"""The directory's rows (agencies, sharing groups, users, API tokens, grants): their
only writer.

The directory decides who may read what, so it lives in the store beside the data it
guards and is written only here, as the statements are (one write path; a second
backend implements these few functions). The rules about who may change it (roles,
known agencies, passwords, what a grant needs) are `pinchpoint.access.directory`'s;
what is here is only what keeps the rows themselves sound: a well-formed name, no
agency twice, an id and a time for every row. The writes expect the tables to exist,
as they do in any store opened for writing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from pinchpoint.store.database import Connection
from pinchpoint.store.schema_sql import DIRECTORY_DDL


class DirectoryError(ValueError):
    """A name that does not exist or already exists, or a bad value: one sentence."""


@dataclass(frozen=True)
class GrantRow:
    id: str
    owner: str
    recipient: str
    recipient_kind: str  # agency | group
    source: str | None
    victim_details: bool
    granted_by: str
    granted_at: datetime
    reason: str
    revoked_at: datetime | None


def ensure(con: Connection) -> None:
    """Create the directory's tables (a writable store does this when it opens)."""
    for statement in DIRECTORY_DDL:
        con.execute(statement)


def now() -> datetime:
    """The directory's timestamps: UTC, without a zone (as DuckDB's TIMESTAMP keeps it)."""
    return datetime.now(UTC).replace(tzinfo=None)


def checked_name(value: str, what: str) -> str:
    """`value` stripped, when it can name an agency, group or user."""
    value = value.strip()
    if not value or any(c.isspace() for c in value) or len(value) > 80:
        raise DirectoryError(f"{what} name must be 1-80 characters without spaces: {value!r}")
    return value


def add_agency(con: Connection, name: str, title: str = "") -> None:
    """Add an agency; one that exists already is refused."""
    name = checked_name(name, "agency")
    added = con.execute("INSERT INTO agencies VALUES (?, ?, ?) ON CONFLICT DO NOTHING "
                        "RETURNING name", [name, title or name, now()]).fetchall()
    if not added:
        raise DirectoryError(f"agency {name} already exists")


def add_group_member(con: Connection, group: str, agency: str) -> None:
    """Put `agency` in sharing group `group` (a member already is left as it is)."""
    con.execute("INSERT INTO sharing_groups VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [group, agency, now()])


def add_user(con: Connection, name: str, agency: str, role: str,
             clearance: str, password_hash: str | None) -> None:
    con.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, NULL)",
                [name, agency, role, clearance, password_hash, now()])


def add_token(con: Connection, user: str, digest: str, note: str) -> str:
    """Keep a new token's digest (never the token); returns the token's id."""
    token_id = uuid.uuid4().hex[:12]
    con.execute("INSERT INTO tokens VALUES (?, ?, ?, ?, NULL, ?)",
                [token_id, digest, user, now(), note])
    return token_id


def revoke_token(con: Connection, token_id: str) -> bool:
    """Stop a token working, keeping its row; False when no active token has that id."""
    return bool(con.execute("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at "
                            "IS NULL RETURNING id", [now(), token_id]).fetchall())


def add_grant(con: Connection, owner: str, recipient: str, kind: str,
              source: str | None, victim_details: bool, granted_by: str, reason: str
              ) -> GrantRow:
    """Write one active grant, made now, and return it."""
    row = GrantRow(uuid.uuid4().hex[:12], owner, recipient, kind, source, victim_details,
                   granted_by, now(), reason, None)
    con.execute("INSERT INTO grants VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)",
                [row.id, row.owner, row.recipient, row.recipient_kind, row.source,
                 row.victim_details, row.granted_by, row.granted_at, row.reason])
    return row


def revoke_grant(con: Connection, grant_id: str, by: str, reason: str) -> None:
    """Stop a grant working, keeping its row with who revoked it and why."""
    con.execute("UPDATE grants SET revoked_at = ?, revoked_by = ?, revoke_reason = ? "
                "WHERE id = ?", [now(), by, reason, grant_id])


# -- the account life cycle (the rules: `pinchpoint.access.accounts`) ------------------------
def set_disabled(con: Connection, user: str, disabled: bool) -> bool:
    """Disable a user (keeping the row: who they were stays answerable) or enable them
    again; False when no user has that name."""
    return bool(con.execute("UPDATE users SET disabled_at = ? WHERE name = ? RETURNING name",
                            [now() if disabled else None, user]).fetchall())


def set_user_field(con: Connection, user: str, column: str, value: str) -> bool:
    """Change a user's password hash, role or clearance; False when no user has that name."""
    if column not in ("password_hash", "role", "clearance"):
        raise DirectoryError(f"a user has no changeable field {column!r}")
    return bool(con.execute(f"UPDATE users SET {column} = ? WHERE name = ? RETURNING name",
                            [value, user]).fetchall())


def revoke_tokens_of(con: Connection, user: str) -> int:
    """Stop every active token of `user`; how many there were."""
    return len(con.execute('UPDATE tokens SET revoked_at = ? WHERE "user" = ? AND revoked_at '
                           "IS NULL RETURNING id", [now(), user]).fetchall())
