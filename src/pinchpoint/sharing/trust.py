"""The trusted key list: which partner agency signs its packages with which key.

It lives in the workspace's own DuckDB file, beside the data it lets in, so a copied
or backed-up workspace keeps the trust decisions that admitted its shared statements.
A key is trusted for exactly one agency: a key listed under two agencies would let
one partner sign packages, and so own statements, in the other's name. The
``trusted_keys`` table is this module's own (not a store table): only it writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from pinchpoint.access.keys import KeyFileError, key_id, parse_public, public_text
from pinchpoint.store.database import Connection
from pinchpoint.store.schema_sql import table_exists

TRUSTED_KEYS_DDL = """
CREATE TABLE IF NOT EXISTS trusted_keys (
    agency VARCHAR NOT NULL,
    public_key VARCHAR NOT NULL,
    key_id VARCHAR NOT NULL,
    added_at TIMESTAMP NOT NULL,
    added_by VARCHAR NOT NULL,
    note VARCHAR NOT NULL
)
"""


class TrustError(ValueError):
    """A key that cannot be trusted as asked (malformed, or already another agency's)."""


@dataclass(frozen=True)
class TrustedKey:
    """One row of the trusted key list, for listing it."""

    agency: str
    public_key: str
    key_id: str
    added_at: datetime
    added_by: str
    note: str


def ensure(con: Connection) -> None:
    """Create the trusted key table if this workspace has none yet."""
    con.execute(TRUSTED_KEYS_DDL)


def trust(con: Connection, agency: str, public_key_text: str, added_by: str,
          note: str = "") -> TrustedKey:
    """Trust ``public_key_text`` for packages from ``agency``; trusting it again is a no-op."""
    agency = agency.strip()
    if not agency:
        raise TrustError("a trusted key needs the agency it belongs to")
    try:
        key = parse_public(public_key_text)
    except KeyFileError as exc:
        raise TrustError(f"cannot trust that key: {exc}") from exc
    kid, text = key_id(key), public_text(key)
    ensure(con)
    for existing in entries(con):
        if existing.key_id == kid and existing.agency == agency:
            return existing
        if existing.key_id == kid:
            raise TrustError(f"key {kid} is already trusted for {existing.agency!r}; "
                             "distrust it there first")
    row = TrustedKey(agency=agency, public_key=text, key_id=kid,
                     added_at=datetime.now().replace(microsecond=0), added_by=added_by,
                     note=note)
    con.execute("INSERT INTO trusted_keys VALUES (?, ?, ?, ?, ?, ?)",
                [row.agency, row.public_key, row.key_id, row.added_at, row.added_by, row.note])
    return row


def distrust(con: Connection, agency: str, key_id: str) -> bool:
    """Stop trusting one of ``agency``'s keys; False when it was not trusted."""
    ensure(con)
    row = con.execute("SELECT count(*) FROM trusted_keys WHERE agency = ? AND key_id = ?",
                      [agency, key_id]).fetchone()
    if not row or not row[0]:
        return False
    con.execute("DELETE FROM trusted_keys WHERE agency = ? AND key_id = ?", [agency, key_id])
    return True


def entries(con: Connection) -> list[TrustedKey]:
    """The whole list, by agency then date added (empty where no table exists yet)."""
    if not table_exists(con, "trusted_keys"):
        return []
    rows = con.execute("SELECT agency, public_key, key_id, added_at, added_by, note "
                       "FROM trusted_keys ORDER BY agency, added_at, key_id").fetchall()
    return [TrustedKey(*row) for row in rows]


def trusted(con: Connection) -> dict[str, list[Ed25519PublicKey]]:
    """Agency -> its trusted public keys, the form ``read_package`` takes.

    Works on a read-only store too: a workspace that never trusted anyone has no table.
    """
    out: dict[str, list[Ed25519PublicKey]] = {}
    for entry in entries(con):
        out.setdefault(entry.agency, []).append(parse_public(entry.public_key))
    return out

