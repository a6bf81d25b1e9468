"""The sharing groups' matching keys: who can compute, and so check, a filter's digests.

A filter is only as private as its key: with the key, anyone can hash a candidate phone
number and ask the filter about it. So each sharing group has its own random 256-bit key,
kept in the workspace beside the trusted key list (``match_keys``, this module's own
table, written only here), handed to a member on another instance only by an
administrator's export (`pinchpoint match key export`), and replaced by `rotate`, after
which filters made under the old key are refused: the old key is kept, retired, only so
the refusal can say why.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from pinchpoint.store.database import Connection
from pinchpoint.store.schema_sql import table_exists

KEY_BYTES = 32
EXPORT_FORMAT = "pinchpoint-match-key/1"
MATCH_KEYS_DDL = """
CREATE TABLE IF NOT EXISTS match_keys (
    grp VARCHAR NOT NULL,
    key_id VARCHAR NOT NULL,
    secret VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by VARCHAR NOT NULL,
    retired_at TIMESTAMP,
    retired_by VARCHAR
)
"""


class GroupKeyError(ValueError):
    """A key that does not exist, is retired, or cannot be read; one clear sentence."""


@dataclass(frozen=True)
class GroupKey:
    """One key of one sharing group."""

    group: str
    key_id: str
    secret: bytes
    created_at: datetime
    created_by: str
    retired_at: datetime | None = None

    @property
    def current(self) -> bool:
        return self.retired_at is None


def key_id(secret: bytes) -> str:
    """A public name for a key that reveals nothing of it."""
    return hashlib.sha256(b"pinchpoint-match-key-id\x00" + secret).hexdigest()[:16]


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _keys(con: Connection, where: str = "", params: list[object] | None = None
          ) -> list[GroupKey]:
    if not table_exists(con, "match_keys"):
        return []
    rows = con.execute("SELECT grp, key_id, secret, created_at, created_by, retired_at "
                       f"FROM match_keys {where} ORDER BY grp, created_at, key_id",
                       params or []).fetchall()
    return [GroupKey(r[0], r[1], base64.b64decode(r[2]), r[3], r[4], r[5]) for r in rows]


def keys_of(con: Connection, group: str) -> list[GroupKey]:
    """Every key the group has had here, oldest first."""
    return _keys(con, "WHERE grp = ?", [group])


def current(con: Connection, group: str) -> GroupKey | None:
    return next((k for k in reversed(keys_of(con, group)) if k.current), None)


def by_id(con: Connection, kid: str) -> GroupKey | None:
    found = _keys(con, "WHERE key_id = ?", [kid])
    return found[0] if found else None


def _insert(con: Connection, key: GroupKey) -> GroupKey:
    con.execute(MATCH_KEYS_DDL)
    con.execute("INSERT INTO match_keys VALUES (?, ?, ?, ?, ?, NULL, NULL)",
                [key.group, key.key_id, base64.b64encode(key.secret).decode(),
                 key.created_at, key.created_by])
    return key


def rotate(con: Connection, group: str, by: str) -> GroupKey:
    """A new current key for ``group``; its previous key is retired."""
    con.execute(MATCH_KEYS_DDL)
    con.execute("UPDATE match_keys SET retired_at = ?, retired_by = ? "
                "WHERE grp = ? AND retired_at IS NULL", [_now(), by, group])
    secret = secrets.token_bytes(KEY_BYTES)
    return _insert(con, GroupKey(group, key_id(secret), secret, _now(), by))


def current_or_new(con: Connection, group: str, by: str) -> GroupKey:
    """The group's current key, made on first use."""
    return current(con, group) or rotate(con, group, by)


def export_text(key: GroupKey) -> str:
    """The key as a file for a member on another instance (keep it as a secret)."""
    return json.dumps({"format": EXPORT_FORMAT, "group": key.group, "key_id": key.key_id,
                       "secret": base64.b64encode(key.secret).decode(),
                       "created_at": key.created_at.isoformat()}, indent=2) + "\n"


def import_text(con: Connection, text: str, by: str) -> GroupKey:
    """Hold a key exported elsewhere; it becomes the group's current key."""
    try:
        obj = json.loads(text)
        secret = base64.b64decode(obj["secret"], validate=True)
        group, kid = str(obj["group"]).strip(), str(obj["key_id"])
        created = datetime.fromisoformat(obj["created_at"])
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise GroupKeyError("not a matching key file") from exc
    if obj.get("format") != EXPORT_FORMAT or len(secret) != KEY_BYTES or not group:
        raise GroupKeyError("not a matching key file")
    if key_id(secret) != kid:
        raise GroupKeyError("the key file's key id does not match its key")
    held = by_id(con, kid)
    if held is not None:
        if held.group != group:
            raise GroupKeyError(f"key {kid} is already held for group {held.group!r}")
        return held
    con.execute(MATCH_KEYS_DDL)
    con.execute("UPDATE match_keys SET retired_at = ?, retired_by = ? "
                "WHERE grp = ? AND retired_at IS NULL", [_now(), by, group])
    return _insert(con, GroupKey(group, kid, secret, created.replace(tzinfo=None), by))
