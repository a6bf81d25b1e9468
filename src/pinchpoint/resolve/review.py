"""Analysts' judgements, and the queue of pairs that need one.

A judgement (same / different / unsure) is kept with who, when and why; it overrides the
model at the next clustering (``judge`` re-clusters straight away, without rescoring),
propagates transitively (a "different" keeps the two records' whole entities apart) and
can be undone, which is recorded too. Re-resolution after new data keeps every judgement.

The review queue holds the pairs whose decision is open: scores in the uncertain band
around the threshold, pairs the rules held back (a victim and a suspect proposed as one),
and pairs judged "unsure". It is ordered by how much a decision would change the network:
the ties each side brings to a merged entity (relationships, payments, calls, ... that
name any record of either entity), so a merge that would join two busy parts of the
network comes before one between two isolated contact-list entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from pinchpoint.resolve.cluster import VERDICTS, Clusters
from pinchpoint.resolve.run import (
    ResolveError,
    active_verdicts,
    cluster_scope,
    known_records,
)
from pinchpoint.store import judgements as store_judgements
from pinchpoint.store import resolution as tables
from pinchpoint.store.judgements import Judgement
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore

#: Pairs scored in [LOW, threshold) are uncertain enough to review.
REVIEW_LOW = 0.3


def _last_threshold(store: SqlStore, scope: Scope) -> float:
    threshold = tables.last_threshold(store, scope)
    if threshold is None:
        raise ResolveError("nothing resolved yet: run `pinchpoint resolve` first")
    return threshold


def recluster(store: SqlStore, scope: Scope) -> Clusters:
    """Cluster the kept pairs again with the judgements in force (no rescoring)."""
    return cluster_scope(store, scope, _last_threshold(store, scope))


def judge(store: SqlStore, scope: Scope, left: str, right: str, verdict: str,
          reason: str, user: str) -> Judgement:
    """Record a judgement on a pair and re-cluster with it."""
    if verdict not in VERDICTS:
        raise ResolveError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    if left == right:
        raise ResolveError("a record cannot be judged against itself")
    if not reason.strip():
        raise ResolveError("give a reason: judgements are kept with who, when and why")
    known_records(store, scope, left, right)
    judgement = store_judgements.add_judgement(store, scope, left, right, verdict,
                                               reason.strip(), user)
    recluster(store, scope)
    return judgement


def undo(store: SqlStore, scope: Scope, judgement_id: str, reason: str, user: str
         ) -> Judgement:
    """Undo a judgement (it stays on record as undone) and re-cluster."""
    if not reason.strip():
        raise ResolveError("give a reason for undoing the judgement")
    found = store_judgements.undo_judgement(store, scope, judgement_id, user, reason.strip())
    if found is None:
        raise ResolveError(f"no active judgement {judgement_id}")
    recluster(store, scope)
    return found


@dataclass(frozen=True)
class ReviewItem:
    left: str
    right: str
    probability: float
    why: str
    impact: int  # ties the two sides bring together
    left_names: list[str]
    right_names: list[str]
    left_category: str | None
    right_category: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _ties(store: SqlStore, scope: Scope, canonical: dict[str, str]) -> dict[str, int]:
    """Per canonical entity: statements of other entities that point at its records."""
    ties: dict[str, int] = {}
    for entity, n in tables.references(store, scope).items():
        canon = canonical.get(entity, entity)
        ties[canon] = ties.get(canon, 0) + n
    return ties


def _names(rows: dict[str, dict[str, Any]], record: str) -> list[str]:
    return list(rows.get(record, {}).get("names") or [])


def record_names(store: SqlStore, scope: Scope, ids: Iterable[str]) -> dict[str, list[str]]:
    """The names each record goes by in the scope's last resolution (none for an id it
    lacks), so that a list of judged ids can be read as people."""
    wanted = sorted(set(ids))
    rows = tables.record_rows(store, scope, wanted)
    return {record: _names(rows, record) for record in wanted}


def review_queue(store: SqlStore, scope: Scope, limit: int | None = 50,
                 low: float = REVIEW_LOW) -> list[ReviewItem]:
    """Open decisions, biggest network impact first."""
    try:
        threshold = _last_threshold(store, scope)
    except ResolveError:
        return []
    canonical = tables.resolution(store, scope)
    verdicts = active_verdicts(store, scope)
    items: dict[tuple[str, str], tuple[float, str]] = {}
    for pair in tables.uncertain_pairs(store, scope, low, threshold):
        key = (pair.left, pair.right)
        if key in verdicts and verdicts[key] != "unsure":
            continue
        if canonical.get(pair.left) == canonical.get(pair.right):
            continue  # already one entity through other records
        items[key] = (pair.probability, "uncertain score")
    for key, why in tables.held_pairs(store, scope).items():
        found = tables.pair(store, scope, *key)
        items[key] = (found.probability if found else 0.0, why)
    for key, verdict in verdicts.items():
        if verdict == "unsure":
            found = tables.pair(store, scope, *key)
            items.setdefault(key, (found.probability if found else 0.0, "judged unsure"))
    ties = _ties(store, scope, canonical)
    rows = tables.record_rows(store, scope, sorted({i for k in items for i in k}))
    out = []
    for (a, b), (prob, why) in items.items():
        impact = ties.get(canonical.get(a, a), 0) + ties.get(canonical.get(b, b), 0)
        out.append(ReviewItem(a, b, round(prob, 6), why, impact, _names(rows, a),
                              _names(rows, b), rows.get(a, {}).get("category"),
                              rows.get(b, {}).get("category")))
    out.sort(key=lambda r: (-r.impact, abs(0.5 - r.probability), r.left, r.right))
    return out[:limit] if limit is not None else out


__all__ = ["ReviewItem", "judge", "recluster", "record_names", "review_queue", "undo"]
