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
from typing import Any

import numpy as np
import pyarrow as pa

from pinchpoint.resolve import context, engines
from pinchpoint.resolve.cluster import DIFFERENT, SAME, Clusters, PairColumns, cluster_columns
from pinchpoint.resolve.columns import Universe
from pinchpoint.resolve.features import PERSON_PROPS, RECORD_SCHEMA, records_table
from pinchpoint.store import judgements as store_judgements
from pinchpoint.store import resolution as tables
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore

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
    engine: str = "duckdb"  # where Splink scores pairs: "duckdb" or "spark"
    spark_master: str | None = None  # Spark's master URL (default local[*])


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
    try:
        engines.check(options.engine, options.spark_master)
    except engines.EngineError as exc:
        raise ResolveError(str(exc)) from None


def active_verdicts(store: SqlStore, scope: Scope) -> dict[tuple[str, str], str]:
    """The verdict in force per pair: the latest active judgement wins."""
    verdicts: dict[tuple[str, str], str] = {}
    for judgement in store_judgements.judgements(store, scope):
        verdicts[(judgement.left, judgement.right)] = judgement.verdict
    return verdicts


def resolve(store: SqlStore, scope: Scope, options: ResolveOptions | None = None,
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
    # A chunk of entities at a time becomes Arrow: 1.9M persons held as Python values and
    # row dicts all at once took most of a national-scale run's memory.
    table = pa.concat_tables(
        [RECORD_SCHEMA.empty_table(),
         *(records_table(chunk) for chunk in store.entity_values(
             scope, "Person", PERSON_PROPS, changed))])
    tables.replace_records(store, scope, [*removed, *changed], table)
    del table

    pairs_scored = 0
    if full or changed:
        try:
            pairs_scored = _score(store, scope, options, full, changed, saved_model, say)
        except engines.EngineError as exc:
            raise ResolveError(str(exc)) from None

    say("clustering")
    verdicts = active_verdicts(store, scope)
    if full:
        cluster_scope(store, scope, options.threshold, verdicts=verdicts)
    elif changed or removed:
        cluster_scope(store, scope, options.threshold, touched=[*changed, *removed],
                      verdicts=verdicts)
    canonical = tables.resolution(store, scope)
    if clustering_is_stale(store, scope, canonical, verdicts):
        # A judgement made or undone under another scope of the agency (a colleague of
        # another clearance) is in force here but was never clustered: cluster it now,
        # so the judgements this run reports are the judgements it applied.
        cluster_scope(store, scope, options.threshold, verdicts=verdicts)
        canonical = tables.resolution(store, scope)
    sizes: dict[str, int] = {}
    for canon in canonical.values():
        sizes[canon] = sizes.get(canon, 0) + 1
    held = len(tables.held_pairs(store, scope))
    matched = tables.count_pairs(store, scope, options.threshold)
    mode = "full" if full else ("incremental" if changed or removed else "unchanged")
    report = ResolveReport(
        mode=mode, records=len(current), new_records=len(changed),
        removed_records=len(removed), pairs_scored=pairs_scored, pairs_matched=matched,
        clusters=len(sizes), merged_records=sum(n for n in sizes.values() if n > 1),
        held=held, judgements=len(verdicts), threshold=options.threshold,
        seconds=round(time.perf_counter() - started, 3))
    tables.add_run(store, scope, {
        "user": options.user, "started_at": start_time,
        "finished_at": datetime.now(UTC).replace(tzinfo=None), "mode": mode,
        "threshold": options.threshold, "records": report.records,
        "new_records": report.new_records, "removed_records": report.removed_records,
        "pairs_scored": report.pairs_scored, "pairs_matched": report.pairs_matched,
        "clusters": report.clusters, "held": report.held})
    return report


def _score(store: SqlStore, scope: Scope, options: ResolveOptions, full: bool,
           changed: list[str], saved_model: dict[str, Any] | None, say: Progress) -> int:
    """Score pairs with Splink on the run's engine and store them; how many were kept.

    The records, blocks and term frequencies are made in a scratch DuckDB connection
    whichever the engine; the engine only runs Splink (see :mod:`engines`).
    """
    # Splink loads only when a run scores pairs (not for every CLI command).
    from pinchpoint.resolve import model as linkage

    con = linkage.connect(scratch_dir(store))
    try:
        if full:
            records = tables.records(store, scope)
        else:
            # Only the changed records and those sharing a block key with them can
            # form a new pair; term frequencies still count every record.
            records = tables.records_near(store, scope, changed)
            con.register("_tf", tables.tf_source(store, scope))
            con.execute("CREATE TABLE tf_source AS SELECT * FROM _tf")
            con.unregister("_tf")
        con.register("_records", records)
        con.execute("CREATE TABLE records_raw AS SELECT * FROM _records")
        con.unregister("_records")
        count = records.num_rows
        del records  # DuckDB holds (and can spill) its copy
        linkage.add_blocks(con, "records_raw", "records")
        linkage.short_ids(con, "records", "records_short")
        with engines.opened(options.engine, options.spark_master,
                            scratch_dir(store)) as engine:
            if full:
                say(f"training the linkage model on {count:,} records")
                trained = linkage.train(con, "records", say).model_json()
                tables.save_model(store, scope, trained, count)
                model = linkage.load(con, "records_short", trained, engine=engine)
                say("scoring blocked pairs" + ("" if engine is engines.DUCKDB else " on Spark"))
                scored = linkage.predict_all(model)
            else:
                assert saved_model is not None
                model = linkage.load(con, "records_short", saved_model, "tf_source", engine)
                say(f"scoring pairs of {len(changed):,} new or changed records "
                    f"({count:,} records near them)")
                scored = linkage.predict_new(model, changed)
        tables.replace_pairs(store, scope, scored, full=full)
        return int(scored.num_rows)
    finally:
        con.close()


def clustering_is_stale(store: SqlStore, scope: Scope, canonical: dict[str, str],
                         verdicts: dict[tuple[str, str], str]) -> bool:
    """Whether the scope's stored clustering lacks a judgement in force: a "same" pair
    apart that no rule holds back, or a "different" pair together."""
    held = tables.held_pairs(store, scope)
    for (a, b), verdict in verdicts.items():
        together = canonical.get(a, a) == canonical.get(b, b)
        if verdict == SAME and not together and (a, b) not in held:
            return True
        if verdict == DIFFERENT and together:
            return True
    return False


def cluster_scope(store: SqlStore, scope: Scope, threshold: float,
                  touched: list[str] | None = None,
                  verdicts: dict[tuple[str, str], str] | None = None) -> Clusters:
    """Cluster the scope's kept pairs with its judgements and the network context, and
    store the result (two passes: see :mod:`pinchpoint.resolve.context`).

    With ``touched`` (an incremental run: the new, changed or removed records), only the
    entities those records are in or have a kept pair with are clustered again, with the
    pairs among them and the context model of the last full clustering; every other
    entity keeps its canonical id. A full run re-clusters everything.
    """
    tables.ensure(store, RECORD_SCHEMA)
    previous = tables.resolution(store, scope) if touched is not None else {}
    only: set[str] | None = None
    if touched is not None:
        near = tables.pairs_touching(store, scope, touched) | set(touched)
        affected = {previous.get(x, x) for x in near}
        only = {e for e, c in previous.items() if c in affected} | near
    ids, cats, named = tables.record_attrs(store, scope, only)
    categories = dict(zip(ids, cats, strict=True))
    nameless = frozenset(i for i, n in zip(ids, named, strict=True) if not n)
    if verdicts is None:
        verdicts = active_verdicts(store, scope)
    if only is not None:
        verdicts = {k: v for k, v in verdicts.items() if k[0] in only and k[1] in only}
    scored = tables.scored_pairs(store, scope, only)
    cooccur = tables.cooccurrences(store, scope, only)
    universe = Universe(ids, scored["left_id"], scored["right_id"], cooccur["a"], cooccur["b"],
                        [x for key in verdicts for x in key], list(previous),
                        list(previous.values()))
    pairs = PairColumns(universe.index(scored["left_id"]), universe.index(scored["right_id"]),
                        scored["probability"].to_numpy().astype(np.float64))
    del scored
    records = universe.index(ids)
    first, canon = cluster_columns(universe, records, pairs, threshold, verdicts, categories,
                                   nameless)
    mapping = canon
    if previous:  # an incremental run: the entities of untouched records stay as they were
        outside = np.ones(len(universe), dtype=np.bool_)
        outside[universe.index(list(first.canonical))] = False
        mapping = np.where(outside, universe.canon(previous), canon)
    found = context.contexts(universe.index(cooccur["a"]), universe.index(cooccur["b"]),
                             mapping)
    del cooccur
    saved = tables.context_model(store, scope)
    if only is None or saved is None:
        model = context.estimate(pairs, found)
        tables.save_context_model(store, scope, model.m, model.u, model.applied)
    else:
        model = context.ContextModel(*saved)
    adjusted, applied = context.adjust(universe, pairs, canon, found.entities, model)
    final, _ = cluster_columns(universe, records, adjusted, threshold, verdicts, categories,
                               nameless)
    tables.replace_resolution(store, scope, final.canonical, final.held, only)
    tables.replace_context(store, scope, applied, only)
    return final


def resolution_map(store: SqlStore, scope: Scope) -> dict[str, str]:
    """entity id -> canonical id of every Person entity of the scope's last run."""
    return tables.resolution(store, scope)


def known_records(store: SqlStore, scope: Scope, *ids: str) -> dict[str, dict[str, Any]]:
    """The linkage rows of ``ids``; a clear error for an id the last resolution lacks."""
    rows = tables.record_rows(store, scope, list(ids))
    for entity in ids:
        if entity not in rows:
            raise ResolveError(f"no person record {entity} in the last resolution "
                               "(unknown id, not a person, or not resolved yet: run "
                               "`pinchpoint resolve`)")
    return rows


def scratch_dir(store: SqlStore) -> Path:
    """Where Splink's scratch database spills: the workspace's ``.tmp``."""
    return store.path.parent / ".tmp" / "resolve"
