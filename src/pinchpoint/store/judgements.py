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

import dataclasses
import uuid
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from pinchpoint.store.schema_sql import JUDGEMENT_SHARES_DDL, table_exists
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore


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


def _seen(judged: str, where: str) -> str:
    """CTEs `judged_ids` and `seen`: the ids the judgements of CTE `judged` name, and
    those of them the scope (`where`) sees. Visibility is checked for the judged ids only,
    not for every entity in the store."""
    return f"""judged_ids AS (SELECT left_id AS id FROM {judged}
                              UNION SELECT right_id FROM {judged}),
               seen AS (SELECT DISTINCT entity_id FROM statements
                        WHERE {where} AND entity_id IN (SELECT id FROM judged_ids))"""


_BOTH_SEEN = ("j.left_id IN (SELECT entity_id FROM seen) "
              "AND j.right_id IN (SELECT entity_id FROM seen)")


def add_judgement(store: SqlStore, scope: Scope, left: str, right: str, verdict: str,
                  reason: str, user: str) -> Judgement:
    a, b = sorted((left, right))
    judgement = Judgement(uuid.uuid4().hex, a, b, verdict, reason, user, scope.agency,
                          _now(), None, None, None)
    store.con.execute(
        "INSERT INTO judgements VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)",
        [judgement.id, a, b, verdict, reason, user, scope.agency, judgement.created_at])
    return judgement


def judgements(store: SqlStore, scope: Scope, active_only: bool = True
               ) -> list[Judgement]:
    """The scope's agency's judgements on pairs the scope sees both sides of, oldest
    first (another agency's judgement is that agency's analysis: never read here)."""
    where, params = scope.sql()
    sql = (f"""WITH own AS (SELECT * FROM judgements WHERE agency = ?), {_seen("own", where)}
           SELECT j.* FROM own j WHERE {_BOTH_SEEN}""")
    if active_only:
        sql += " AND j.undone_at IS NULL"
    sql += " ORDER BY j.created_at, j.id"
    rows = store.con.execute(sql, [scope.agency, *params]).fetchall()
    return [Judgement(*row) for row in rows]


def undo_judgement(store: SqlStore, scope: Scope, judgement_id: str, user: str,
                   reason: str) -> Judgement | None:
    """Mark a judgement undone (kept for the record) and return it so; None if the
    scope cannot see it."""
    found = [j for j in judgements(store, scope) if j.id == judgement_id]
    if not found:
        return None
    at = _now()
    store.con.execute("UPDATE judgements SET undone_at = ?, undone_by = ?, undo_reason = ? "
                      "WHERE id = ?", [at, user, reason, judgement_id])
    return dataclasses.replace(found[0], undone_at=at, undone_by=user, undo_reason=reason)


# -- shares: one agency's judgement disclosed to another --------------------------------
@dataclass(frozen=True)
class JudgementShare:
    """A disclosure of one judgement by its agency (`owner`) to `recipient`."""

    id: str
    judgement_id: str
    owner: str
    recipient: str
    shared_by: str
    shared_at: datetime
    purpose: str
    withdrawn_at: datetime | None
    withdrawn_by: str | None
    withdraw_reason: str | None

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


@dataclass(frozen=True)
class SharedJudgement:
    """Another agency's judgement as disclosed to the reader's: the owner's analysis,
    shown as the owner's (its agency, author and reason) with why it was shared."""

    judgement: Judgement
    share: JudgementShare

    def as_dict(self) -> dict[str, Any]:
        j, s = self.judgement, self.share
        return {"id": j.id, "left": j.left, "right": j.right, "verdict": j.verdict,
                "reason": j.reason, "user": j.user, "agency": j.agency,
                "created_at": j.created_at, "share_id": s.id, "shared_by": s.shared_by,
                "shared_at": s.shared_at, "purpose": s.purpose}


def add_share(store: SqlStore, scope: Scope, judgement_id: str, recipient: str,
              purpose: str, user: str) -> JudgementShare | None:
    """Disclose one of the scope's agency's active judgements to `recipient`; None when
    the scope has no such judgement (another agency's id and an unknown one alike)."""
    if judgement_id not in {j.id for j in judgements(store, scope)}:
        return None
    store.con.execute(JUDGEMENT_SHARES_DDL)  # a workspace made before shares existed
    share = JudgementShare(uuid.uuid4().hex, judgement_id, scope.agency, recipient, user,
                           _now(), purpose, None, None, None)
    store.con.execute(
        "INSERT INTO judgement_shares VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)",
        [share.id, judgement_id, share.owner, recipient, user, share.shared_at, purpose])
    return share


def shares(store: SqlStore, scope: Scope, active_only: bool = True
           ) -> list[JudgementShare]:
    """What the scope's agency has disclosed of its judgements, oldest first."""
    if not table_exists(store.con, "judgement_shares"):
        return []
    sql = "SELECT * FROM judgement_shares WHERE owner = ?"
    if active_only:
        sql += " AND withdrawn_at IS NULL"
    rows = store.con.execute(sql + " ORDER BY shared_at, id", [scope.agency]).fetchall()
    return [JudgementShare(*row) for row in rows]


def withdraw_share(store: SqlStore, scope: Scope, judgement_id: str, recipient: str,
                   user: str, reason: str) -> JudgementShare | None:
    """Withdraw the scope's agency's active disclosure of a judgement to `recipient`
    (kept for the record); None when there is none."""
    found = [s for s in shares(store, scope)
             if s.judgement_id == judgement_id and s.recipient == recipient]
    if not found:
        return None
    store.con.execute("UPDATE judgement_shares SET withdrawn_at = ?, withdrawn_by = ?, "
                      "withdraw_reason = ? WHERE id = ?", [_now(), user, reason, found[0].id])
    return found[0]


def shared_with(store: SqlStore, scope: Scope) -> list[SharedJudgement]:
    """Other agencies' active judgements disclosed to the scope's agency and not
    withdrawn, on pairs the scope sees both sides of, oldest disclosure first."""
    if not table_exists(store.con, "judgement_shares"):
        return []
    where, params = scope.sql()
    rows = store.con.execute(
        f"""WITH s AS (SELECT * FROM judgement_shares
                       WHERE recipient = ? AND withdrawn_at IS NULL),
                 theirs AS (SELECT * FROM judgements WHERE undone_at IS NULL
                            AND id IN (SELECT judgement_id FROM s)), {_seen("theirs", where)}
            SELECT j.*, s.* FROM s JOIN theirs j ON j.id = s.judgement_id
                AND j.agency = s.owner AND j.agency <> s.recipient
            WHERE {_BOTH_SEEN} ORDER BY s.shared_at, s.id""",
        [scope.agency, *params]).fetchall()
    width = len(fields(Judgement))
    return [SharedJudgement(Judgement(*row[:width]), JudgementShare(*row[width:]))
            for row in rows]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
