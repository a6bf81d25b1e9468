"""From a user to the scope every read takes: the rules of docs/security.md, applied.

`scope_for` reads the grants reaching the user's agency (directly or through its
sharing groups) at the moment of the call; nothing is cached, so a revoked grant or a
lowered clearance takes effect on the very next read.
"""

from __future__ import annotations

from pinchpoint.access import directory
from pinchpoint.model.reader import Clearance, Reader, Role
from pinchpoint.store.database import Connection
from pinchpoint.store.scope import Grant, Scope


def scope_for(con: Connection, reader: Reader, court: bool = False) -> Scope:
    """What `reader` may see now."""
    rules = tuple(sorted({
        Grant(row.owner, row.source, row.recipient_kind == "agency", row.victim_details)
        for row in directory.grants(con, recipient_agency=reader.agency)
        if row.owner != reader.agency
    }, key=lambda g: (g.owner, g.source or "", not g.direct, g.victim_details)))
    return Scope(reader.agency, frozenset({reader.agency}), reader, rules, court)


def agency_scope(con: Connection, agency: str, clearance: Clearance
                 ) -> Scope:
    """What an agency as a whole may see at a given clearance (sharing packages)."""
    return scope_for(con, Reader(f"{agency}:package", agency, Role.ANALYST, clearance))
