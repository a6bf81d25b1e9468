"""Retention under the UK Data Protection Act 2018 s.39: personal data is kept no longer
than necessary, and that is checked by periodic review.

Every source (an ``(owner, source)`` pair, as in ``batches``) has a review date: by
default the day it was first ingested plus :data:`DEFAULT_REVIEW_YEARS`, or the date an
analyst set with :func:`set_review` (with a reason, kept as history in ``retention``).
:func:`due` lists the agency's own sources whose review has come; :func:`erase` removes
a source's statements and quarantine rows and records that it did (``erasures``).

Decisions that shape the tables:

* The ``batches`` rows of an erased source stay: they are the record that collection
  happened (when, by whom, why, from which file hash) and hold no statement content.
  An erasure lists the batch ids it covered, and a source is *live* while it has a batch
  no erasure covers. So an erased source drops out of :func:`due`, and the same source
  ingested again later starts a new retention clock from that new ingest. Batch ids
  are compared rather than timestamps so a skewed clock cannot resurrect an erasure.
* Erasure deletes the source's review-date overrides: they were decisions about the
  data that is gone, and must not silently apply to a later collection.
* Resolution output (pairs, clusters, features, models, ...) of every scope key is
  deleted, because a stale merge would keep showing erased names. Judgements stay
  (they are analysts' decisions about entity ids, and apply again if the data returns)
  and so do ``resolve_runs`` (counts and thresholds, no personal data: history). The
  next ``pinchpoint resolve`` retrains from the remaining statements.
* The store does the deleting (`SqlStore.erase_source`, the one write path for
  statements); this module decides who may erase what and when, and keeps its own two
  tables, ``retention`` and ``erasures``, which are written only here.
* A source another agency owns does not exist for the caller: every refusal about
  one reads exactly as for a name never ingested (design principle 3).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from pinchpoint.model.reader import Role
from pinchpoint.store.database import Connection
from pinchpoint.store.records import ErasedRows
from pinchpoint.store.schema_sql import RESOLUTION_OUTPUT_TABLES
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore

DEFAULT_REVIEW_YEARS = 6

RETENTION_DDL = """
CREATE TABLE IF NOT EXISTS retention (
    owner VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    review_date DATE NOT NULL,
    set_by VARCHAR NOT NULL,
    set_at TIMESTAMP NOT NULL,
    reason VARCHAR NOT NULL
)
"""

ERASURES_DDL = """
CREATE TABLE IF NOT EXISTS erasures (
    owner VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    statements_removed BIGINT NOT NULL,
    quarantine_removed BIGINT NOT NULL,
    erased_at TIMESTAMP NOT NULL,
    "user" VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    batches VARCHAR[] NOT NULL,
    resolution_rows_removed BIGINT NOT NULL
)
"""

DDL = [RETENTION_DDL, ERASURES_DDL]

# What an erasure clears whole (the store decides: derived output, not judgements).
RESOLUTION_TABLES = RESOLUTION_OUTPUT_TABLES


@dataclass(frozen=True)
class DueSource:
    """One of the agency's sources whose review date has come."""

    owner: str
    source: str
    statements: int
    first_ingested: datetime
    review_date: date
    overridden: bool


@dataclass(frozen=True)
class ErasureReport:
    """What one erasure removed; the same facts as its ``erasures`` row."""

    owner: str
    source: str
    statements_removed: int
    quarantine_removed: int
    resolution_rows_removed: int
    batches: tuple[str, ...]
    erased_at: datetime
    user: str
    reason: str





def ensure(con: Connection) -> None:
    """Create the retention tables (the store file then needs to be writable)."""
    for statement in DDL:
        con.execute(statement)


def add_years(day: date, years: int) -> date:
    """``day`` a whole number of years later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _con(store: SqlStore | Connection) -> Connection:
    return store.con if isinstance(store, SqlStore) else store


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise ValueError("a reason is required")
    return text


def _may_erase(scope: Scope) -> None:
    """Erasure is a supervisor's or an administrator's decision (the workspace operator,
    ``reader`` None, acts as administrator)."""
    if scope.reader is not None:
        scope.reader.require(Role.SUPERVISOR, Role.ADMINISTRATOR)


def _no_source(source: str) -> ValueError:
    return ValueError(f"no source {source!r}")


_LIVE_BATCHES = """
SELECT b.id, b.started_at FROM batches b
WHERE b.owner = ? AND b.source = ?
  AND b.id NOT IN (SELECT unnest(e.batches) FROM erasures e
                   WHERE e.owner = b.owner AND e.source = b.source)
"""


def _live_batches(con: Connection, owner: str, source: str) -> list[tuple[str, datetime]]:
    rows = con.execute(_LIVE_BATCHES + " ORDER BY b.started_at, b.id",
                       [owner, source]).fetchall()
    return [(str(i), at) for i, at in rows]


def set_review(store: SqlStore | Connection, scope: Scope, source: str, review_date: date,
               reason: str) -> None:
    """Set the review date of one of the agency's own sources (kept with who and why).

    Accepts the store or its connection. The latest setting wins; earlier ones stay as
    the history of the decision.
    """
    con = _con(store)
    ensure(con)
    why = _reason(reason)
    if not _live_batches(con, scope.agency, source):
        raise _no_source(source)
    con.execute("INSERT INTO retention VALUES (?, ?, ?, ?, ?, ?)",
                [scope.agency, source, review_date, scope.user, datetime.now(), why])


def due(store: SqlStore, scope: Scope, on: date) -> list[DueSource]:
    """The agency's own live sources whose review date is ``on`` or earlier.

    Only ``scope.agency``'s sources: a partner's data that the scope may read is the
    partner's to review, not this agency's.
    """
    con = store.con
    ensure(con)
    rows = con.execute(
        """WITH live AS (
              SELECT b.source, min(b.started_at) AS first_ingested FROM batches b
              WHERE b.owner = ? AND b.id NOT IN (
                  SELECT unnest(e.batches) FROM erasures e
                  WHERE e.owner = b.owner AND e.source = b.source)
              GROUP BY b.source),
            counts AS (
              SELECT source, count(*) AS n FROM statements WHERE owner = ? GROUP BY source),
            latest AS (
              SELECT DISTINCT ON (source) source, review_date FROM retention
              WHERE owner = ? ORDER BY source, set_at DESC)
        SELECT l.source, coalesce(c.n, 0), l.first_ingested, r.review_date
        FROM live l LEFT JOIN counts c USING (source) LEFT JOIN latest r USING (source)
        ORDER BY l.source""",
        [scope.agency] * 3).fetchall()
    found: list[DueSource] = []
    for name, count, first, override in rows:
        review = override if override is not None else add_years(first.date(),
                                                                   DEFAULT_REVIEW_YEARS)
        if review <= on:
            found.append(DueSource(owner=scope.agency, source=str(name), statements=int(count),
                                   first_ingested=first, review_date=review,
                                   overridden=override is not None))
    found.sort(key=lambda d: (d.review_date, d.source))
    return found


def erasure_preview(store: SqlStore, scope: Scope, source: str, reason: str) -> int:
    """Make every check :func:`erase` makes, and say how many statements it would
    remove: so a confirmation prompt is never shown for an erasure that would fail."""
    _may_erase(scope)
    _reason(reason)
    con = store.con
    ensure(con)
    if not _live_batches(con, scope.agency, source):
        raise _no_source(source)
    row = con.execute("SELECT count(*) FROM statements WHERE owner = ? AND source = ?",
                      [scope.agency, source]).fetchone()
    return int(row[0]) if row else 0


def erase(store: SqlStore, scope: Scope, source: str, reason: str,
          on_erased: Callable[[ErasureReport], object] | None = None) -> ErasureReport:
    """Remove every statement and quarantine row of the agency's ``source``, in one
    transaction with the ``erasures`` record and the clearing of resolution output.

    ``on_erased`` runs inside the transaction, after everything else: if it raises (the
    audit log could not be written), nothing is erased. An unaudited erasure is worse
    than a late one.
    """
    _may_erase(scope)
    why = _reason(reason)
    con = store.con
    ensure(con)
    owner = scope.agency
    batches = tuple(i for i, _ in _live_batches(con, owner, source))
    if not batches:
        raise _no_source(source)
    reports: list[ErasureReport] = []

    def record(erased: ErasedRows) -> None:
        """Inside the store's transaction: this module's own record of the erasure."""
        con.execute("DELETE FROM retention WHERE owner = ? AND source = ?", [owner, source])
        report = ErasureReport(
            owner=owner, source=source, statements_removed=erased.statements,
            quarantine_removed=erased.quarantine,
            resolution_rows_removed=erased.resolution_rows, batches=batches,
            erased_at=datetime.now(), user=scope.user, reason=why)
        con.execute(
            "INSERT INTO erasures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [owner, source, erased.statements, erased.quarantine, report.erased_at,
             report.user, why, list(batches), erased.resolution_rows])
        if on_erased is not None:
            on_erased(report)
        reports.append(report)

    store.erase_source(owner, source, record)
    return reports[0]


def erasures(store: SqlStore, scope: Scope) -> list[ErasureReport]:
    """The agency's own erasures, oldest first."""
    con = store.con
    ensure(con)
    rows = con.execute(
        'SELECT owner, source, statements_removed, quarantine_removed, '
        'resolution_rows_removed, batches, erased_at, "user", reason FROM erasures '
        "WHERE owner = ? ORDER BY erased_at", [scope.agency]).fetchall()
    return [ErasureReport(owner=o, source=s, statements_removed=int(n), quarantine_removed=int(q),
                          resolution_rows_removed=int(r), batches=tuple(b), erased_at=at,
                          user=u, reason=why)
            for o, s, n, q, r, b, at, u, why in rows]

