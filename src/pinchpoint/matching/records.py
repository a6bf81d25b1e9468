"""What hit/no-hit matching remembers: the hits of each check, and the requests.

Two tables of this module's own (written only here, like the trusted key list):
``match_hits``, the latest check of each partner filter by each agency (what profiles
show: "Border Force holds something on this phone"), replaced by the next check of a
filter from the same sender and group; and ``match_requests``, one row per request,
read by both its sides (the requester and the filter's owner), each only its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pinchpoint.matching.check import Hit
from pinchpoint.store.database import Connection
from pinchpoint.store.schema_sql import table_exists

HITS_DDL = """
CREATE TABLE IF NOT EXISTS match_hits (
    agency VARCHAR NOT NULL,
    sender VARCHAR NOT NULL,
    grp VARCHAR NOT NULL,
    key_id VARCHAR NOT NULL,
    filter_sha256 VARCHAR NOT NULL,
    entity VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    kinds VARCHAR NOT NULL,
    strength DOUBLE PRECISION NOT NULL,
    exact VARCHAR NOT NULL,
    tokens VARCHAR NOT NULL,
    checked_at TIMESTAMP NOT NULL,
    checked_by VARCHAR NOT NULL
)
"""
REQUESTS_DDL = """
CREATE TABLE IF NOT EXISTS match_requests (
    id VARCHAR NOT NULL,
    requester VARCHAR NOT NULL,
    owner VARCHAR NOT NULL,
    grp VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    items VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    decided_at TIMESTAMP,
    decided_by VARCHAR,
    decision_reason VARCHAR,
    answer VARCHAR,
    document VARCHAR NOT NULL,
    remote BOOLEAN NOT NULL,
    refs VARCHAR NOT NULL,
    matches VARCHAR NOT NULL
)
"""


@dataclass(frozen=True)
class StoredHit:
    """One hit as a profile or the Requests page shows it."""

    agency: str
    sender: str
    group: str
    entity: str
    label: str
    kinds: list[str]
    strength: float
    exact: dict[str, bool]
    tokens: list[str]
    checked_at: datetime
    checked_by: str
    filter_sha256: str


def replace_hits(con: Connection, agency: str, sender: str, group: str, key_id: str,
                 filter_sha256: str, hits: list[Hit], by: str) -> None:
    """The hits of ``agency``'s latest check of ``sender``'s filter for ``group``."""
    con.execute(HITS_DDL)
    con.execute("DELETE FROM match_hits WHERE agency = ? AND sender = ? AND grp = ?",
                [agency, sender, group])
    now = datetime.now().replace(microsecond=0)
    rows = [[agency, sender, group, key_id, filter_sha256, h.entity, h.label,
             json.dumps(h.kinds), h.strength, json.dumps(h.exact), json.dumps(h.tokens), now,
             by] for h in hits]
    if rows:
        con.executemany("INSERT INTO match_hits VALUES "
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def hits(con: Connection, agency: str, entities: list[str] | None = None,
         sender: str | None = None) -> list[StoredHit]:
    """``agency``'s stored hits (of those entities, from that sender), strongest first."""
    if not table_exists(con, "match_hits"):
        return []
    sql = ("SELECT agency, sender, grp, entity, label, kinds, strength, exact, tokens, "
           "checked_at, checked_by, filter_sha256 FROM match_hits WHERE agency = ?")
    params: list[object] = [agency]
    if entities is not None:
        sql += f" AND entity IN ({', '.join('?' for _ in entities) or 'NULL'})"
        params += entities
    if sender is not None:
        sql += " AND sender = ?"
        params.append(sender)
    rows = con.execute(sql + " ORDER BY strength DESC, label, entity, sender", params
                       ).fetchall()
    return [StoredHit(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), float(r[6]),
                      json.loads(r[7]), json.loads(r[8]), r[9], r[10], r[11]) for r in rows]


@dataclass(frozen=True)
class RequestRow:
    """One request, as either side lists it."""

    id: str
    requester: str
    owner: str
    group: str
    created_at: datetime
    created_by: str
    reason: str
    items: list[dict[str, Any]]
    status: str  # open, disclosed, declined
    decided_at: datetime | None
    decided_by: str | None
    decision_reason: str | None
    answer: dict[str, Any] | None
    document: str  # the signed request file, base64
    remote: bool  # received from another instance (else both sides are agencies here)
    refs: dict[str, str]  # the requester's own: item ref -> its entity (never the owner's)
    matches: dict[str, list[str]]  # the owner's own: item ref -> its entities that match

    def side(self, agency: str) -> str:
        return "sent" if agency == self.requester else "received"


_REQUEST_COLUMNS = ("id, requester, owner, grp, created_at, created_by, reason, items, "
                    "status, decided_at, decided_by, decision_reason, answer, document, "
                    "remote, refs, matches")


def _request(row: tuple[Any, ...]) -> RequestRow:
    return RequestRow(row[0], row[1], row[2], row[3], row[4], row[5], row[6],
                      json.loads(row[7]), row[8], row[9], row[10], row[11],
                      json.loads(row[12]) if row[12] else None, row[13], bool(row[14]),
                      json.loads(row[15]), json.loads(row[16]))


def add_request(con: Connection, row: RequestRow) -> bool:
    """Store a request (False when one with its id is held already)."""
    con.execute(REQUESTS_DDL)
    if con.execute("SELECT count(*) FROM match_requests WHERE id = ?", [row.id]
                   ).fetchall()[0][0]:
        return False
    con.execute(f"INSERT INTO match_requests ({_REQUEST_COLUMNS}) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [row.id, row.requester, row.owner, row.group, row.created_at, row.created_by,
                 row.reason, json.dumps(row.items), row.status, row.decided_at,
                 row.decided_by, row.decision_reason,
                 json.dumps(row.answer) if row.answer is not None else None, row.document,
                 row.remote, json.dumps(row.refs), json.dumps(row.matches)])
    return True


def requests_of(con: Connection, agency: str, request_id: str | None = None
                ) -> list[RequestRow]:
    """The requests ``agency`` sent or received, newest first."""
    if not table_exists(con, "match_requests"):
        return []
    sql = (f"SELECT {_REQUEST_COLUMNS} FROM match_requests "
           "WHERE (requester = ? OR owner = ?)")
    params: list[object] = [agency, agency]
    if request_id is not None:
        sql += " AND id = ?"
        params.append(request_id)
    return [_request(r) for r in con.execute(sql + " ORDER BY created_at DESC, id",
                                             params).fetchall()]


def set_matches(con: Connection, request_id: str, matches: dict[str, list[str]]) -> None:
    """The owner's entities each item matches (worked out when the owner receives it)."""
    con.execute("UPDATE match_requests SET matches = ? WHERE id = ?",
                [json.dumps(matches), request_id])


def decide(con: Connection, request_id: str, status: str, by: str, reason: str,
           answer: dict[str, Any], decided_at: datetime | None = None) -> bool:
    """Record the decision (and the answer sent or received) on an open request; False
    when it was decided already."""
    if con.execute("SELECT count(*) FROM match_requests WHERE id = ? AND status = 'open'",
                   [request_id]).fetchall()[0][0] == 0:
        return False
    con.execute("UPDATE match_requests SET status = ?, decided_at = ?, decided_by = ?, "
                "decision_reason = ?, answer = ? WHERE id = ?",
                [status, decided_at or datetime.now().replace(microsecond=0), by, reason,
                 json.dumps(answer), request_id])
    return True
