"""Splink on Spark next to DuckDB: the same entities, and what each costs as records grow.

Steps (``--steps``, each written to benchmarks/results/resolve_spark.json as it ends):

1. ``medium``: the medium scenario (benchmarks/work/medium-ws, ingested by
   resolve_scenario.py) resolved from scratch twice, ``engine=duckdb`` and
   ``engine=spark`` (``local[2]``), each on a fresh copy, each in a subprocess; the Spark
   entities scored against the DuckDB ones (B-cubed and pairwise, target B-cubed F1 at
   least 0.99) and both against the scenario's truth.
2. ``curve``: the linkage stage alone (blocks, training, scoring every blocked pair, the
   first clustering pass) at 100k, 300k and 1M person records on each engine, in a
   subprocess each: wall time per stage and the peak memory of the process and its
   children (Spark's JVM), sampled from /proc. The records are the medium scenario's
   linkage rows (82,957) tiled: copy ``k`` suffixes every id, key, phone, document and
   address with ``~k`` and moves birth years on by ``100 * k``, so each copy is an
   independent population with the medium scenario's structure and the work grows in
   proportion to the records (a tiled fixture, not the large demo scenario: generating
   and ingesting that takes hours on this machine). The rows are read from a resolved
   medium workspace (``--records-from``, default benchmarks/work/medium-resolved, which
   resolve_scenario.py makes).

The load average is recorded before, during (sampled) and after every run: the machine
is shared. DuckDB's memory limit is ``PINCHPOINT_MEMORY_LIMIT`` (4GB by default), Spark's
driver memory ``PINCHPOINT_SPARK_DRIVER_MEMORY`` (4g).

    .venv/bin/python benchmarks/resolve_spark.py                       # both steps
    .venv/bin/python benchmarks/resolve_spark.py --steps curve --sizes 100000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from machine import basics, head_commit, src_changes
from resolve_scenario import ROOT, WORK, log, scores

from pinchpoint.demo.summary import demo_scope
from pinchpoint.demo.truth_map import bcubed, pairwise_scores, person_truth
from pinchpoint.store import open_workspace

OUTPUT = ROOT / "benchmarks" / "results" / "resolve_spark.json"
SCENARIO = WORK / "medium"
INGESTED = WORK / "medium-ws"
RECORDS = WORK / "spark-records"
MASTER = "local[2]"
SIZES = (100_000, 300_000, 1_000_000)
ENGINES = ("duckdb", "spark")
TARGET_AGREEMENT = 0.99

RESOLVE = """
import json, sys, time
from pathlib import Path
from pinchpoint.demo.summary import demo_scope
from pinchpoint.resolve import ResolveOptions, resolve
from pinchpoint.store import open_workspace
workspace = open_workspace(sys.argv[1])
scope, _ = demo_scope(workspace, Path(sys.argv[2]))
engine = sys.argv[3]
options = ResolveOptions(full=True, engine=engine,
                         spark_master=sys.argv[4] if engine == "spark" else None)
with workspace.open_store() as store:
    report = resolve(store, scope, options, progress=lambda m: print(m, file=sys.stderr))
print(json.dumps({"report": report.as_dict()}))
"""

LINKAGE = """
import json, sys, time
from pathlib import Path
import pyarrow.parquet as pq
from pinchpoint.resolve import engines, model as linkage
from pinchpoint.resolve.cluster import ScoredPair, cluster
path, size, engine, master = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
tmp = Path(sys.argv[5])
stages, clock = {}, time.perf_counter()
def lap(name):
    global clock
    now = time.perf_counter(); stages[name] = round(now - clock, 1); clock = now
    print(name, stages[name], file=sys.stderr, flush=True)
records = pq.read_table(path).slice(0, size)
con = linkage.connect(tmp)
con.register("_r", records); con.execute("CREATE TABLE records_raw AS SELECT * FROM _r")
con.unregister("_r"); linkage.add_blocks(con, "records_raw", "records")
linkage.short_ids(con, "records", "records_short"); lap("blocks")
with engines.opened(engine, master if engine == "spark" else None, tmp) as eng:
    lap("engine_start")
    trained = linkage.train(con, "records").model_json(); lap("train")
    model = linkage.load(con, "records_short", trained, engine=eng)  # as resolve scores
    scored = linkage.predict_all(model); lap("score")
pairs = [ScoredPair(a, b, p) for a, b, p in zip(
    scored["unique_id_l"].to_pylist(), scored["unique_id_r"].to_pylist(),
    scored["match_probability"].to_pylist(), strict=True)]
ids = records["unique_id"].to_pylist()
cats = dict(zip(ids, records["category"].to_pylist(), strict=True))
found = cluster(ids, pairs, 0.8, {}, cats, frozenset()); lap("cluster")
print(json.dumps({"stages": stages, "pairs": scored.num_rows,
                  "clusters": len(set(found.canonical.get(i, i) for i in ids))}))
"""


def _tree_rss(pid: int) -> int:
    """Resident memory (kB) of ``pid`` and every process below it, from /proc."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total


def measured(args: list[str], log_file: Path) -> dict[str, Any]:
    """Run ``python -c ...`` with ``args``: wall time, peak tree RSS, load, last JSON."""
    load_before = os.getloadavg()
    started = time.perf_counter()
    peak, loads = 0, []
    with open(log_file, "w") as err:
        proc = subprocess.Popen([sys.executable, "-c", *args], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=err, text=True)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.5):
                peak = max(peak, _tree_rss(proc.pid))
                loads.append(os.getloadavg()[0])

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        stdout, _ = proc.communicate()
        done.set()
        sampler.join()
    result: dict[str, Any] = {
        "wall_seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mb": round(peak / 1024, 1), "exit_status": proc.returncode,
        "load_before": [round(x, 2) for x in load_before],
        "load_during_mean": round(sum(loads) / len(loads), 2) if loads else None,
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "log": str(log_file.relative_to(ROOT))}
    if proc.returncode != 0:
        result["error"] = log_file.read_text(errors="replace").strip().splitlines()[-20:]
    else:
        result.update(json.loads(stdout.strip().splitlines()[-1]))
    return result


def medium(state: dict[str, Any]) -> None:
    """Resolve the medium scenario with both engines; Spark scored against DuckDB."""
    maps: dict[str, dict[str, str]] = {}
    runs: dict[str, Any] = {}
    for engine in ENGINES:
        copy = WORK / f"medium-{engine}"
        if copy.exists():
            shutil.rmtree(copy)
        shutil.copytree(INGESTED, copy, ignore=shutil.ignore_patterns(".tmp"))
        log(f"medium: resolving with {engine}")
        runs[engine] = measured([RESOLVE, str(copy), str(SCENARIO), engine, MASTER],
                                WORK / f"resolve-spark-medium-{engine}.log")
        log(f"medium {engine}: {runs[engine]['wall_seconds']} s")
        workspace = open_workspace(copy)
        scope, _ = demo_scope(workspace, SCENARIO)
        with workspace.open_store(read_only=True) as store:
            from pinchpoint.resolve import resolution_map

            maps[engine] = dict(resolution_map(store, scope))
            if engine == "duckdb":
                truth = person_truth(store, scope, SCENARIO).mapping
        runs[engine]["against_truth"] = scores(maps[engine], truth)
    agreement = bcubed(maps["spark"], maps["duckdb"])
    state["medium"] = {
        "master": MASTER, "runs": runs,
        "spark_against_duckdb": {
            "bcubed": {k: round(v, 4) for k, v in agreement._asdict().items()},
            "pairwise": {k: round(v, 4) for k, v in
                         pairwise_scores(maps["spark"], maps["duckdb"])._asdict().items()},
            "identical_clusters": maps["spark"] == maps["duckdb"],
            "records_with_another_canonical_id": sum(
                1 for e, c in maps["duckdb"].items() if maps["spark"].get(e) != c)},
        "target_bcubed_f1": TARGET_AGREEMENT,
        "meets_target": agreement.f1 >= TARGET_AGREEMENT}
    log(f"medium: Spark against DuckDB {state['medium']['spark_against_duckdb']}")


def tiled_records(size: int, workspace: Path) -> Path:
    """At least ``size`` linkage rows: the medium scenario's, tiled (module docstring)."""
    path = RECORDS / f"records-{size}.parquet"
    if path.exists():
        return path
    import duckdb

    RECORDS.mkdir(parents=True, exist_ok=True)
    source = workspace / "store.duckdb"
    con = duckdb.connect()
    con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
    con.execute("CREATE TABLE base AS SELECT * EXCLUDE (scope_key) FROM src.resolve_records")
    con.execute("DETACH src")
    base = int(con.execute("SELECT count(*) FROM base").fetchall()[0][0])
    copies = -(-size // base)
    lists = ("name_keys", "name_tokens", "weak_keys", "block_keys", "phones", "documents",
             "addresses")
    suffix = ", ".join(f"list_transform({c}, lambda x: x || t) AS {c}" for c in lists)
    con.execute(f"""COPY (
        WITH k AS (SELECT range AS k, '~' || range AS t FROM range({copies}))
        SELECT * EXCLUDE (k, t) REPLACE (unique_id || t AS unique_id, name_main || t AS name_main,
                          {suffix},
                          CASE WHEN birth_date IS NULL THEN NULL ELSE
                            CAST(CAST(substr(birth_date, 1, 4) AS INTEGER) + 100 * k
                                 AS VARCHAR) || substr(birth_date, 5) END AS birth_date,
                          CASE WHEN birth_year IS NULL THEN NULL ELSE
                            CAST(TRY_CAST(birth_year AS INTEGER) + 100 * k AS VARCHAR)
                          END AS birth_year)
        FROM base, k ORDER BY k, unique_id LIMIT {size}) TO '{path}' (FORMAT parquet)""")
    con.close()
    return path


def curve(state: dict[str, Any], sizes: list[int], engines: list[str],
          records_from: Path) -> None:
    """The linkage stage at each size on each engine (module docstring)."""
    points = state.setdefault("curve", {})
    for size in sizes:
        path = tiled_records(size, records_from)
        for engine in engines:
            log(f"curve: {size:,} records on {engine}")
            tmp = WORK / f"spark-tmp-{engine}-{size}"
            shutil.rmtree(tmp, ignore_errors=True)
            run = measured([LINKAGE, str(path), str(size), engine, MASTER, str(tmp)],
                           WORK / f"resolve-spark-{engine}-{size}.log")
            shutil.rmtree(tmp, ignore_errors=True)
            points.setdefault(str(size), {})[engine] = run
            log(f"curve {size:,} {engine}: {run['wall_seconds']} s, "
                f"{run['peak_rss_mb']} MB, {run.get('stages')}")
            write(state)


def write(state: dict[str, Any]) -> None:
    output = Path(state.get("output", OUTPUT))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(state, indent=2, ensure_ascii=False) + "\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", nargs="+", default=["medium", "curve"])
    parser.add_argument("--sizes", nargs="+", type=int, default=list(SIZES))
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--records-from", type=Path, default=WORK / "medium-resolved",
                        help="a resolved medium workspace whose linkage rows are tiled")
    args = parser.parse_args(argv)
    output = args.output.resolve()
    state: dict[str, Any] = json.loads(output.read_text()) if output.exists() else {}
    if output != OUTPUT:  # a second run at once writes apart; merge by hand afterwards
        state["output"] = str(output)
    state.update(machine=basics(), commit=head_commit(), src_changes=src_changes(),
                 spark_master=MASTER,
                 pyspark=__import__("importlib.metadata").metadata.version("pyspark"))
    if "medium" in args.steps:
        medium(state)
        write(state)
    if "curve" in args.steps:
        curve(state, args.sizes, args.engines, args.records_from)
    write(state)
    log(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
