"""Partners' signed audit heads received in packages: their only writer and reader.

A package carries its sender's latest signed audit tree head (`pinchpoint.sharing`).
The recipient keeps each one here, so the sender's auditor can be handed them later
(`pinchpoint share heads`): the sender's log must still contain exactly what each
covered, which no one who can write only the sender's folder can fake. The rule about
a head smaller than one received before is `pinchpoint.sharing.heads`'; what is here
keeps the rows: written once each, read by the receiving agency only.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import datetime

from pinchpoint.store.database import Connection
from pinchpoint.store.schema_sql import table_exists
from pinchpoint.store.scope import Scope

_COLUMNS = 'sender, recipient, key_id, size, root, "at", signature, package, received_at'


@dataclass(frozen=True)
class HeldHead:
    """One head as received: whose log (`sender`, signed by `key_id`), held by which
    agency, from which package (its file's SHA-256), and when."""

    sender: str
    recipient: str
    key_id: str
    size: int
    root: str
    at: str
    signature: str
    package: str
    received_at: datetime


def add(con: Connection, head: HeldHead) -> bool:
    """Keep a received head; False (nothing written) when this recipient holds the same
    signed head already (a package imported twice, or two packages between appends)."""
    same = con.execute(
        "SELECT count(*) FROM partner_heads WHERE sender = ? AND recipient = ? AND "
        "key_id = ? AND size = ? AND root = ? AND signature = ?",
        [head.sender, head.recipient, head.key_id, head.size, head.root,
         head.signature]).fetchall()
    if same[0][0]:
        return False
    con.execute(f"INSERT INTO partner_heads ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                list(astuple(head)))
    return True


def held(con: Connection, scope: Scope, sender: str) -> list[HeldHead]:
    """The heads of `sender`'s log that the scope's agency received, oldest log size
    first (none where no table exists yet: a read-only store made before heads)."""
    if not table_exists(con, "partner_heads"):
        return []
    rows = con.execute(f"SELECT {_COLUMNS} FROM partner_heads WHERE recipient = ? AND "
                       'sender = ? ORDER BY size, "at", received_at',
                       [scope.agency, sender]).fetchall()
    return [HeldHead(*row) for row in rows]
