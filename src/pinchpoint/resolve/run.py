"""``resolve``: from the Person statements a scope sees to canonical entities.

One run:

1. reads a fingerprint of every visible Person entity and compares it with the features
   kept from the last run: only new or changed entities are analysed again;
2. on the first run (or with ``full``, or when more than half the records changed) trains
   the Splink model and scores every blocked pair; otherwise scores only the pairs that
   involve a new or changed record, with the kept model (incremental);
3. clusters all kept pairs with the analysts' judgements (:mod:`cluster`) and stores the
   canonical id of every entity, the pairs held back for review and a run record.

The CLI (``pinchpoint resolve``), the API and notebooks all call :func:`resolve`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from pinchpoint.resolve import context
from pinchpoint.resolve import model as linkage
from pinchpoint.resolve.cluster import Clusters, ScoredPair, cluster
from pinchpoint.resolve.features import PERSON_PROPS, RECORD_SCHEMA, records_table
from pinchpoint.store import resolution as tables
from pinchpoint.store.duckdb_store import DuckDBStore
from pinchpoint.store.scope import Scope

#: Pairs at or above this match probability become one entity unless a rule holds them.
DEFAULT_THRESHOLD = 0.8
#: A run re-trains from scratch when more than this share of records is new or changed.
RETRAIN_SHARE = 0.5

Progress = Callable[[str], None]


class ResolveError(RuntimeError):
    """Resolution cannot run (bad threshold, nothing to resolve, ...)."""


@dataclass(frozen=True)
class ResolveOptions:
    threshold: float = DEFAULT_THRESHOLD
    full: bool = False  # retrain and rescore every pair
    user: str = "cli"


@dataclass(frozen=True)
class ResolveReport:
    mode: str  # "full" or "incremental" or "unchanged"
    records: int
    new_records: int
    removed_records: int
    pairs_scored: int
    pairs_matched: int
    clusters: int
    merged_records: int
    held: int
    judgements: int
    threshold: float
    seconds: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _check(options: ResolveOptions) -> None:
    if not 0.0 < options.threshold <= 1.0:
        raise ResolveError(f"the threshold must be a probability in (0, 1], "
                           f"not {options.threshold}")


def active_verdicts(store: DuckDBStore, scope: Scope) -> dict[tuple[str, str], str]:
    """The verdict in force per pair: the latest active judgement wins."""
    verdicts: dict[tuple[str, str], str] = {}
    for judgement in tables.judgements(store, scope):
        verdicts[(judgement.left, judgement.right)] = judgement.verdict
    return verdicts


def resolve(store: DuckDBStore, scope: Scope, options: ResolveOptions | None = None,
            progress: Progress | None = None) -> ResolveReport:
    """Resolve the Person entities ``scope`` sees; see the module docstring."""
    options = options or ResolveOptions()
    _check(options)
    say = progress or (lambda _: None)
    started = time.perf_counter()
    start_time = datetime.now(UTC).replace(tzinfo=None)
    tables.ensure(store, RECORD_SCHEMA)

    say("reading person records")
    current = tables.person_fingerprints(store, scope)
    stored = tables.stored_fingerprints(store, scope)
    changed = sorted(e for e, fp in current.items() if stored.get(e) != fp)
    removed = sorted(e for e in stored if e not in current)
    saved_model = tables.model(store, scope)
    full = (options.full or saved_model is None
            or len(changed) > RETRAIN_SHARE * max(len(current), 1))

    say(f"analysing {len(changed):,} new or changed records")
    rows = [v for chunk in store.entity_values(scope, "Person", PERSON_PROPS, changed)
            for v in chunk]
    tables.replace_records(store, scope, [*removed, *changed], records_table(rows))

    pairs_scored = 0
    if full or changed:
        all_records = tables.records(store, scope)
        con = linkage.connect(store.path.parent / ".tmp" / "resolve")
        try:
            con.register("_records", all_records)
            con.execute("CREATE TABLE records_raw AS SELECT * FROM _records")
            con.unregister("_records")
            linkage.add_blocks(con, "records_raw", "records")
            if full:
                say(f"training the linkage model on {all_records.num_rows:,} records")
                model = linkage.train(con, "records", say)
                tables.save_model(store, scope, model.model_json(), all_records.num_rows)
                say("scoring blocked pairs")
                scored = linkage.predict_all(model)
            else:
                assert saved_model is not None
                model = linkage.load(con, "records", saved_model)
                say(f"scoring pairs of {len(changed):,} new or changed records")
                scored = linkage.predict_new(model, changed)
            pairs_scored = scored.num_rows
            tables.replace_pairs(store, scope, scored, full=full)
        finally:
            con.close()

    say("clustering")
    verdicts = active_verdicts(store, scope)
    found = cluster_scope(store, scope, options.threshold)
    sizes = found.members()
    matched = sum(1 for _a, _b, p in tables.pairs(store, scope, floor=options.threshold)
                  if p >= options.threshold)
    mode = "full" if full else ("incremental" if changed or removed else "unchanged")
    report = ResolveReport(
        mode=mode, records=len(current), new_records=len(changed),
        removed_records=len(removed), pairs_scored=pairs_scored, pairs_matched=matched,
        clusters=len(sizes), merged_records=sum(len(m) for m in sizes.values() if len(m) > 1),
        held=len(found.held), judgements=len(verdicts), threshold=options.threshold,
        seconds=round(time.perf_counter() - started, 3))
    tables.add_run(store, scope, {
        "user": options.user, "started_at": start_time,
        "finished_at": datetime.now(UTC).replace(tzinfo=None), "mode": mode,
        "threshold": options.threshold, "records": report.records,
        "new_records": report.new_records, "removed_records": report.removed_records,
        "pairs_scored": report.pairs_scored, "pairs_matched": report.pairs_matched,
        "clusters": report.clusters, "held": report.held})
    return report


def cluster_scope(store: DuckDBStore, scope: Scope, threshold: float) -> Clusters:
    """Cluster the scope's kept pairs with its judgements and the network context, and
    store the result (two passes: see :mod:`pinchpoint.resolve.context`)."""
    tables.ensure(store, RECORD_SCHEMA)
    rows = tables.records(store, scope).select(["unique_id", "category", "names"]).to_pydict()
    ids: list[str] = rows["unique_id"]
    categories = dict(zip(ids, rows["category"], strict=True))
    nameless = frozenset(i for i, names in zip(ids, rows["names"], strict=True) if not names)
    verdicts = active_verdicts(store, scope)
    pairs = [ScoredPair(a, b, p) for a, b, p in tables.pairs(store, scope)]
    first = cluster(ids, pairs, threshold, verdicts, categories, nameless)
    records, entities = context.contexts(tables.cooccurrences(store, scope), first.canonical)
    applied: dict[tuple[str, str], tuple[float, str]] = {}
    found = cluster(ids, context.adjust(pairs, first.canonical, entities,
                                        context.estimate(pairs, records, entities), applied),
                    threshold, verdicts, categories, nameless)
    tables.replace_resolution(store, scope, found.canonical, found.held)
    tables.replace_context(store, scope, applied)
    return found


def resolution_map(store: DuckDBStore, scope: Scope) -> dict[str, str]:
    """entity id -> canonical id of every Person entity of the scope's last run."""
    return tables.resolution(store, scope)


def scratch_dir(store: DuckDBStore) -> Path:
    return store.path.parent / ".tmp" / "resolve"
