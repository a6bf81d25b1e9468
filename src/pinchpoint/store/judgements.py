"""Analysts' judgements: an agency's decisions that two entity ids are (not) one.

A judgement belongs to the agency whose analyst made it, not to a scope key as the
derived resolution tables do (`store.resolution`): a scope reads only its own agency's
judgements, and only those on pairs it sees both sides of, so another agency's
judgement never changes its resolution and its reason and author are never shown to
another agency. Keeping them in their own module keeps that rule, and the explicit
sharing of a judgement with another agency, in one place apart from the derived tables.
Every reader here takes the store and the scope first, like the store's own methods.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from pinchpoint.store.duckdb_store import DuckDBStore
from pinchpoint.store.scope import Scope


@dataclass(frozen=True)
class Judgement:
    id: str
    left: str
    right: str
    verdict: str
    reason: str
    user: str
    agency: str
    created_at: datetime
    undone_at: datetime | None
    undone_by: str | None
    undo_reason: str | None

    @property
    def active(self) -> bool:
        return self.undone_at is None


def add_judgement(store: DuckDBStore, scope: Scope, left: str, right: str, verdict: str,
                  reason: str, user: str) -> Judgement:
    a, b = sorted((left, right))
    judgement = Judgement(uuid.uuid4().hex, a, b, verdict, reason, user, scope.agency,
                          datetime.now(UTC).replace(tzinfo=None), None, None, None)
    store.con.execute(
        "INSERT INTO judgements VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)",
        [judgement.id, a, b, verdict, reason, user, scope.agency, judgement.created_at])
    return judgement


def judgements(store: DuckDBStore, scope: Scope, active_only: bool = True
               ) -> list[Judgement]:
    """The scope's agency's judgements on pairs the scope sees both sides of, oldest
    first (another agency's judgement is that agency's analysis: never read here)."""
    where, params = scope.sql()
    # Visibility is checked for the judged ids only, not for every entity in the store.
    sql = (f"""WITH own AS (SELECT * FROM judgements WHERE agency = ?),
                judged AS (SELECT left_id AS id FROM own UNION SELECT right_id FROM own),
                v AS (SELECT DISTINCT entity_id FROM statements
                      WHERE {where} AND entity_id IN (SELECT id FROM judged))
           SELECT j.* FROM own j
           WHERE j.left_id IN (SELECT entity_id FROM v)
           AND j.right_id IN (SELECT entity_id FROM v)""")
    if active_only:
        sql += " AND j.undone_at IS NULL"
    sql += " ORDER BY j.created_at, j.id"
    rows = store.con.execute(sql, [scope.agency, *params]).fetchall()
    return [Judgement(*row) for row in rows]


def undo_judgement(store: DuckDBStore, scope: Scope, judgement_id: str, user: str,
                   reason: str) -> Judgement | None:
    """Mark a judgement undone (kept for the record); None if the scope cannot see it."""
    found = [j for j in judgements(store, scope) if j.id == judgement_id]
    if not found:
        return None
    now = datetime.now(UTC).replace(tzinfo=None)
    store.con.execute("UPDATE judgements SET undone_at = ?, undone_by = ?, undo_reason = ? "
                      "WHERE id = ?", [now, user, reason, judgement_id])
    return found[0]
