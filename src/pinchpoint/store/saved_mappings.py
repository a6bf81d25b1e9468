"""Table mappings saved by an agency: their only writer and reader.

The workbench's mapping editor saves a mapping under a name so that the next file
of the same layout (the same phone company's call records, next month) is ingested
with it; the CLI lists them and writes one out for `ingest table --mapping`. Each
agency sees and changes only its own: the agency is part of the key and of every
query. The text is stored as the analyst saved it; it was validated before (the caller
parses it with `pinchpoint.ingest.mapping.mapping_from_text`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from pinchpoint.store.database import Connection
from pinchpoint.store.schema_sql import table_exists
from pinchpoint.store.scope import Scope

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class SavedMappingError(ValueError):
    """A name that cannot name a mapping."""


@dataclass(frozen=True)
class SavedMapping:
    agency: str
    name: str
    yaml: str
    saved_by: str
    saved_at: datetime


def checked_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise SavedMappingError(
            f"a mapping's name is 1 to 64 letters, digits, '.', '-' or '_', starting with a "
            f"letter or digit, not {name[:80]!r}")
    return name


def save(con: Connection, scope: Scope, name: str, yaml: str, user: str) -> SavedMapping:
    """Save (or replace) the scope's agency's mapping `name`."""
    agency = scope.agency
    saved = SavedMapping(agency, checked_name(name), yaml, user,
                         datetime.now().replace(microsecond=0))
    con.execute("DELETE FROM saved_mappings WHERE agency = ? AND name = ?", [agency, name])
    con.execute("INSERT INTO saved_mappings (agency, name, yaml, saved_by, saved_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [saved.agency, saved.name, saved.yaml, saved.saved_by, saved.saved_at])
    return saved


def delete(con: Connection, scope: Scope, name: str) -> bool:
    """Remove the scope's agency's mapping `name`; False when it has none of that name."""
    agency = scope.agency
    if get(con, scope, name) is None:
        return False
    con.execute("DELETE FROM saved_mappings WHERE agency = ? AND name = ?", [agency, name])
    return True


def get(con: Connection, scope: Scope, name: str) -> SavedMapping | None:
    """The scope's agency's mapping `name`, if it saved one."""
    if not table_exists(con, "saved_mappings"):
        return None
    rows = con.execute("SELECT agency, name, yaml, saved_by, saved_at FROM saved_mappings "
                       "WHERE agency = ? AND name = ?", [scope.agency, name]).fetchall()
    return SavedMapping(*rows[0]) if rows else None


def listed(con: Connection, scope: Scope) -> list[SavedMapping]:
    """The scope's agency's mappings by name (none in a read-only store made before them)."""
    if not table_exists(con, "saved_mappings"):
        return []
    rows = con.execute("SELECT agency, name, yaml, saved_by, saved_at FROM saved_mappings "
                       "WHERE agency = ? ORDER BY name", [scope.agency]).fetchall()
    return [SavedMapping(*row) for row in rows]
