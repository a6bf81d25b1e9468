"""Does entity resolution scale: a million person records, then ten thousand more?

The figure: resolving 1,000,000 Person entities (from the large demo scenario) in under 15
minutes, and re-resolving incrementally in under 60 seconds after 10,000 new ones arrive.

Steps, each skipped when already done (``--force`` redoes those named in ``--steps``),
with their figures kept in benchmarks/work/large-state.json between runs:

1. ``prepare``: generate the large scenario (seed 1) into benchmarks/work/large (about 7
   minutes, 3 GB) and ingest its files in manifest order into benchmarks/work/large-ws
   until the store holds at least 1,000,000 Person entities; the files that follow in
   the manifest and together add about 10,000 Person entities are held back. Ingesting
   file after file into one store costs more per file as the store grows (each commit
   checks the batch's statement ids against the whole table: 0.08 s of CPU per small
   phone extraction into an empty store, 0.3 s into one of 2.8M statements), so the
   files are ingested with ``ingest_file`` into shards of about 100,000 records, by two
   worker processes, and the shards' rows are then appended to the store in one merge
   (statement ids do not depend on the store, so the rows are those a one-by-one ingest
   writes). Each file's Person entities are counted exactly in its shard. A copy of the
   prepared store is kept as large-ws-prepared, so ``--force full`` starts again from it.
2. ``full``: resolve the 1M workspace (subprocess: wall time, peak RSS).
3. ``add``: ingest the held-back files (wall time, Person entities added).
4. ``incremental``: resolve again with the default options (incremental).

    nice -n 10 .venv/bin/python benchmarks/resolve_scale.py --steps prepare  # the long one
    .venv/bin/python benchmarks/resolve_scale.py                             # the rest

Writes benchmarks/results/resolve_scale.json after every step.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from resolve_scenario import (
    ROOT,
    WORK,
    commit,
    count_persons,
    generate_scenario,
    ingest_entries,
    log,
    machine,
    resolver_available,
    run_resolver,
)

from pinchpoint.demo.examples import example_options
from pinchpoint.demo.summary import demo_scope
from pinchpoint.ingest.run import ingest_file
from pinchpoint.store import Scope, Workspace, init_workspace, open_workspace

SCENARIO = WORK / "large"
WS = WORK / "large-ws"
PREPARED = WORK / "large-ws-prepared"
SHARDS = WORK / "large-shards"
STATE = WORK / "large-state.json"
OUTPUT = ROOT / "benchmarks" / "results" / "resolve_scale.json"
PERSONS = 1_000_000
NEW_PERSONS = 10_000
TARGET_FULL_SECONDS = 15 * 60
TARGET_INCREMENTAL_SECONDS = 60
STEPS = ("prepare", "full", "add", "incremental")
# Ingest shards: consecutive manifest files up to this many records (or files) each,
# ingested by this many worker processes.
SHARD_RECORDS = 100_000
SHARD_FILES = 1_500
WORKERS = 2


def _persons(workspace: Workspace, scope: Scope) -> int:
    return count_persons(workspace, scope)["person_entities"]


# --------------------------------------------------------------------------------------
# Preparing the 1M store: sharded ingest, then one merge
# --------------------------------------------------------------------------------------
# Set before the worker pool forks, so workers inherit them instead of re-reading the
# 38,652-entry manifest.
_ENTRIES: list[dict[str, Any]] = []
_SCOPE = Scope("NCA", frozenset())


def _shard_ranges(entries: list[dict[str, Any]], start: int) -> Iterator[tuple[int, int, int]]:
    """(shard number, first entry, end) over the manifest from ``start``: consecutive
    files up to SHARD_RECORDS records or SHARD_FILES files each."""
    number, lo = 0, start
    while lo < len(entries):
        hi, records = lo, 0
        while hi < len(entries) and hi - lo < SHARD_FILES and records < SHARD_RECORDS:
            records += int(entries[hi].get("records", 0))
            hi += 1
        yield number, lo, hi
        number, lo = number + 1, hi


def ingest_shard(task: tuple[int, int, int]) -> dict[str, Any]:
    """Ingest entries[lo:hi] into their own workspace with ``ingest_file``, one batch per
    file, counting each file's Person entities (a file's entity ids depend on its source,
    which no other file shares, so counts add up across files and shards)."""
    number, lo, hi = task
    path = SHARDS / f"shard-{lo:05d}-{hi:05d}"
    done = path / "shard.json"
    if done.exists():
        cached: dict[str, Any] = json.loads(done.read_text())
        return cached
    if path.exists():
        shutil.rmtree(path)
    workspace = init_workspace(path, agency="NCA")
    where, params = _SCOPE.sql()
    started = time.perf_counter()
    files = []
    for index in range(lo, hi):
        entry = _ENTRIES[index]
        report = ingest_file(workspace, entry["kind"], SCENARIO / entry["file"],
                             example_options(entry, SCENARIO))
        with workspace.open_store(read_only=True) as store:
            row = store.con.execute(
                "SELECT count(DISTINCT entity_id) FROM statements WHERE batch = ? AND "
                f"schema = 'Person' AND {where}", [report.batch.id, *params]).fetchone()
        files.append({"index": index, "batch": report.batch.id,
                      "persons": int(row[0]) if row else 0,
                      "statements": report.batch.statements_added,
                      "rows": report.batch.rows_read})
    result = {"shard": number, "path": str(path), "first": lo, "end": hi, "files": files,
              "wall_seconds": round(time.perf_counter() - started, 1)}
    done.write_text(json.dumps(result))
    return result


def _sequential_part(workspace: Workspace, scope: Scope, entries: list[dict[str, Any]]
                     ) -> tuple[int, dict[str, Any]]:
    """The leading manifest files already ingested straight into the store (a run
    before the sharded ingest existed did that), with their figures from the batches."""
    with workspace.open_store(read_only=True) as store:
        batches = {str(Path(b.path).resolve()): b for b in store.batches(scope)}
    used = 0
    while used < len(entries) and str((SCENARIO / entries[used]["file"]).resolve()) in batches:
        used += 1
    if not used:
        return 0, {"files": 0}
    infos = list(batches.values())
    return used, {
        "files": used, "rows": sum(b.rows_read for b in infos),
        "statements_added": sum(b.statements_added for b in infos),
        "wall_seconds": (max(b.finished_at for b in infos)
                         - min(b.started_at for b in infos)).total_seconds()}


def _merge(workspace: Workspace, shards: list[dict[str, Any]], cut: int) -> float:
    """Append the shards' rows for the files before ``cut`` to the store.

    Statement ids hash the row and its batch's provenance (the source among it), never
    the store, so these are the rows ingesting the files one by one would have written;
    only batch ids and first/last-seen times differ, as between any two ingests."""
    started = time.perf_counter()
    with workspace.open_store() as store:
        con = store.con
        for shard in shards:
            kept = [f["batch"] for f in shard["files"] if f["index"] < cut]
            if not kept:
                continue
            con.execute(f"ATTACH '{Path(shard['path']) / 'store.duckdb'}' AS shard "
                        "(READ_ONLY)")
            con.execute("CREATE OR REPLACE TEMP TABLE kept AS SELECT unnest(?) AS batch",
                        [kept])
            con.execute("BEGIN TRANSACTION")
            for table, column in (("statements", "batch"), ("quarantine", "batch"),
                                  ("batches", "id")):
                con.execute(f"INSERT INTO {table} SELECT * FROM shard.{table} "
                            f"WHERE {column} IN (SELECT batch FROM kept)")
            con.execute("COMMIT")
            con.execute("DETACH shard")
    return time.perf_counter() - started


def _sharded_ingest(entries: list[dict[str, Any]], start: int, persons: int
                    ) -> tuple[list[dict[str, Any]], int, int, int]:
    """Shards from ``start`` on, in manifest order, until the files reach PERSONS Person
    entities (the cut) and the files after them NEW_PERSONS more (the held back ones).
    Returns the shards, the cut, the end of the held-back files and their persons."""
    global _ENTRIES, _SCOPE
    _ENTRIES = entries
    SHARDS.mkdir(parents=True, exist_ok=True)
    shards: list[dict[str, Any]] = []
    cut = end = new = 0
    with multiprocessing.get_context("fork").Pool(WORKERS) as pool:
        for shard in pool.imap(ingest_shard, _shard_ranges(entries, start)):
            shards.append(shard)
            for f in shard["files"]:
                if not cut:
                    persons += f["persons"]
                    cut = f["index"] + 1 if persons >= PERSONS else 0
                elif not end:
                    new += f["persons"]
                    end = f["index"] + 1 if new >= NEW_PERSONS else 0
            log(f"shard {shard['shard']} (files {shard['first']}-{shard['end'] - 1}) in "
                f"{shard['wall_seconds']} s: {persons:,} Person entities"
                + (f", {new:,} held back" if cut else ""))
            if end:
                pool.terminate()
                break
    return shards, cut, end, new


def prepare(state: dict[str, Any]) -> None:
    """Resumes an interrupted ingest (finished shards are kept); redone with --force it
    starts from an empty store."""
    global _SCOPE
    if "prepare" in state:
        for path in (WS, SHARDS):
            if path.exists():
                shutil.rmtree(path)
    state.clear()
    generation = generate_scenario("large", 1, SCENARIO)
    workspace = init_workspace(WS, agency="NCA")
    scope, entries = demo_scope(workspace, SCENARIO)
    _SCOPE = scope
    started = time.perf_counter()
    used, sequential = _sequential_part(workspace, scope, entries)
    persons = _persons(workspace, scope)
    log(f"{used:,} files already in the store: {persons:,} Person entities")
    shards, cut, end, new = _sharded_ingest(entries, used, persons)
    if not cut:
        raise SystemExit(f"the whole manifest holds fewer than {PERSONS:,} Person entities")
    sharded_seconds = time.perf_counter() - started
    merge_seconds = _merge(workspace, shards, cut)
    counts = count_persons(workspace, scope)
    files = [f for shard in shards for f in shard["files"] if f["index"] < cut]
    log(f"prepared: {counts['person_entities']:,} Person entities from {cut:,} files "
        f"(merged in {merge_seconds:.0f} s); holding back {end - cut} files with {new:,} more")
    if PREPARED.exists():
        shutil.rmtree(PREPARED)
    shutil.copytree(WS, PREPARED, ignore=shutil.ignore_patterns(".tmp"))
    state["prepare"] = {
        "generation": generation, "manifest_files": len(entries), "files_ingested": cut,
        "ingest": {
            "sequential": sequential,
            "sharded": {"files": len(files), "shards": len(shards), "workers": WORKERS,
                        "rows": sum(f["rows"] for f in files),
                        "statements_added": sum(f["statements"] for f in files),
                        "wall_seconds": round(sharded_seconds, 1),
                        "shard_seconds_sum": round(sum(s["wall_seconds"] for s in shards), 1)},
            "merge_seconds": round(merge_seconds, 1)},
        **counts,
        "store_mb": round((WS / "store.duckdb").stat().st_size / 2**20, 1),
        "held_back": {"first": cut, "files": end - cut, "person_entities": new,
                      "kinds": sorted({e["kind"] for e in entries[cut:end]})},
        "wall_seconds": round(time.perf_counter() - started, 1)}


def _timed_resolve(log_name: str, target_seconds: float) -> dict[str, Any]:
    """Resolve the workspace in a subprocess and say whether it met ``target_seconds``."""
    result = run_resolver(WS, SCENARIO, WORK / log_name)
    result["target_seconds"] = target_seconds
    result["meets_target"] = "report" in result and result["wall_seconds"] <= target_seconds
    return result


def full(state: dict[str, Any]) -> None:
    if WS.exists():
        shutil.rmtree(WS)
    # Start from the unresolved store.
    shutil.copytree(PREPARED, WS, ignore=shutil.ignore_patterns(".tmp"))
    log("full resolution of the prepared workspace")
    state["full"] = _timed_resolve("resolve-large-full.log", TARGET_FULL_SECONDS)
    state.pop("add", None)
    state.pop("incremental", None)


def add(state: dict[str, Any]) -> None:
    held = state["prepare"]["held_back"]
    workspace = open_workspace(WS)
    scope, entries = demo_scope(workspace, SCENARIO)
    before = _persons(workspace, scope)
    ingest = ingest_entries(workspace, scope, SCENARIO,
                            entries[held["first"]:held["first"] + held["files"]])
    after = count_persons(workspace, scope)
    state["add"] = {"ingest": ingest, "person_entities_added": after["person_entities"] - before,
                    **after}
    log(f"added {after['person_entities'] - before:,} Person entities in "
        f"{ingest['wall_seconds']} s")
    state.pop("incremental", None)


def incremental(state: dict[str, Any]) -> None:
    log("incremental resolution after the new files")
    state["incremental"] = _timed_resolve("resolve-large-incremental.log",
                                          TARGET_INCREMENTAL_SECONDS)


def write(state: dict[str, Any], output: Path) -> None:
    STATE.write_text(json.dumps(state, indent=2, ensure_ascii=False) + "\n")
    result = {"machine": machine(), **commit(),
              "targets": {"persons": PERSONS, "full_seconds": TARGET_FULL_SECONDS,
                          "new_persons": NEW_PERSONS,
                          "incremental_seconds": TARGET_INCREMENTAL_SECONDS},
              **state}
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default=",".join(STEPS),
                        help=f"comma-separated, from {', '.join(STEPS)}")
    parser.add_argument("--force", action="store_true", help="redo the steps named")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = set(steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps {sorted(unknown)}")
    state: dict[str, Any] = json.loads(STATE.read_text()) if STATE.exists() else {}
    actions = {"prepare": prepare, "full": full, "add": add, "incremental": incremental}
    for step in STEPS:
        if step not in steps or (step in state and not args.force):
            continue
        if step != "prepare":
            problem = resolver_available()
            if problem is not None:
                log(f"stopping before {step}: no resolver ({problem})")
                break
            needed = STEPS[STEPS.index(step) - 1]
            if needed not in state:
                log(f"stopping before {step}: {needed} has not been done")
                break
        actions[step](state)
        write(state, args.output)
        if step in ("full", "incremental") and "report" not in state[step]:
            log(f"{step} failed; see {state[step].get('log')}")
            break
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
