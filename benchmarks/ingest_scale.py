"""Ingest that scales (issue 16, item 3): a batch costs in proportion to the batch, not
to the store.

(a) A 10,000-row hawala ledger (the layout of benchmarks/ingest.py, another seed) is
    ingested into an empty store and into a store already holding about 20 million
    statements; target: the second takes at most twice as long as the first. The large
    store is built through the normal path, one `ingest_file` of a 1,000,000-row ledger
    (about 21M statements), and kept in the scratch folder for the next run.
(b) `pinchpoint demo ingest` of the medium scenario, the command a user runs, in a
    fresh workspace; target: 100,000 statements/s overall (wall time of the command).

The backend is one function (`BACKENDS`): it makes a workspace at a path. With
`--backend postgresql` a throwaway cluster is started for the run (tests/postgres.py,
with PostgreSQL's durable defaults: fsync and synchronous commit on) and each workspace
gets a database of its own on it; the large store is built again in each such run.
The machine's load average is recorded before and after each part: the benchmark
machine is shared, and a loaded machine stretches every wall time.

    .venv/bin/python benchmarks/ingest_scale.py                  # both parts
    .venv/bin/python benchmarks/ingest_scale.py --part store     # (a) only
    .venv/bin/python benchmarks/ingest_scale.py --scenario DIR   # (b) on a scenario folder
    .venv/bin/python benchmarks/ingest_scale.py --part demo --scenario benchmarks/work/large

Results go to benchmarks/results/ingest_scale.json (``--output``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ingest import ensure_ledger
from machine import basics, head_commit, src_changes, version

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work" / "ingest_scale"
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "ingest_scale.json"
PINCHPOINT = [sys.executable, "-m", "pinchpoint.cli"]
SMALL_ROWS, SMALL_SEED = 10_000, 7
LARGE_ROWS, LARGE_SEED = 1_000_000, 20240601  # benchmarks/ingest.py's ledger
TARGET_RATIO = 2.0
TARGET_STATEMENTS_PER_SECOND = 100_000


def duckdb_workspace(path: Path) -> Any:
    """A fresh DuckDB workspace at `path` (the embedded default)."""
    from pinchpoint.store.workspace import init_workspace

    shutil.rmtree(path, ignore_errors=True)
    return init_workspace(path, agency="NCA")


def postgresql_workspace(path: Path) -> Any:
    """A fresh workspace at `path` whose store is a new database on the run's cluster."""
    from pinchpoint.store.workspace import init_workspace

    shutil.rmtree(path, ignore_errors=True)
    return init_workspace(path, agency="NCA", database=_cluster().url)


_CLUSTERS: list[Any] = []
# A server sized for bulk loading, as docs/team-server.md advises: a quarter of the
# machine's memory for shared buffers and checkpoints far enough apart that a batch's
# index pages are not written again in full after every checkpoint.
SERVER_SETTINGS = {"shared_buffers": "6GB", "max_wal_size": "16GB",
                   "checkpoint_timeout": "30min"}


def _cluster() -> Any:
    """The run's PostgreSQL cluster, started on first use (stopped by `main`)."""
    if not _CLUSTERS:
        sys.path.insert(0, str(ROOT / "tests"))
        import postgres

        _CLUSTERS.append(postgres.start(durable=True, settings=SERVER_SETTINGS))
    return _CLUSTERS[0]


BACKENDS: dict[str, Callable[[Path], Any]] = {"duckdb": duckdb_workspace,
                                              "postgresql": postgresql_workspace}


def statements(workspace: Any) -> int:
    """Every statement the store holds, whoever owns it (a count, not a read of them)."""
    with workspace.open_store(read_only=True) as store:
        return int(store.con.execute("SELECT count(*) FROM statements").fetchall()[0][0])


def timed_ingest(workspace: Any, csv: Path, source: str) -> dict[str, Any]:
    from pinchpoint.ingest import IngestOptions, ingest_file

    started, cpu = time.perf_counter(), time.process_time()
    report = ingest_file(workspace, "ledger", csv, IngestOptions(source=source))
    return {"seconds": round(time.perf_counter() - started, 3),
            "cpu_seconds": round(time.process_time() - cpu, 3),
            "statements_added": report.batch.statements_added,
            "load_after": os.getloadavg()[0]}


def large_store(backend: str, csv: Path) -> tuple[Any, dict[str, Any]]:
    """The ~20M-statement store, built once through `ingest_file` and kept."""
    from pinchpoint.store.workspace import open_workspace

    path = WORK / f"{backend}-large"
    built = path / "built.json"
    if built.exists() and backend == "duckdb":  # a cluster lives for one run
        return open_workspace(path), json.loads(built.read_text())
    workspace = BACKENDS[backend](path)
    run = timed_ingest(workspace, csv, "large-ledger")
    info = {"how": f"one ingest_file of a {LARGE_ROWS:,}-row ledger (benchmarks/ingest.py "
                   f"generator, seed {LARGE_SEED}) into a fresh workspace",
            "statements": statements(workspace), **run}
    built.write_text(json.dumps(info, indent=2) + "\n")
    return workspace, info


def part_store(backend: str, repeat: int) -> dict[str, Any]:
    """(a): the same 10,000-row file into an empty store and into the large one, each
    `repeat` times under a new source name (so every run adds the whole file)."""
    small, _ = ensure_ledger(WORK, SMALL_ROWS, SMALL_SEED)
    large_csv, _ = ensure_ledger(WORK, LARGE_ROWS, LARGE_SEED)
    big, built = large_store(backend, large_csv)
    before = statements(big)  # the built store, plus the files earlier runs added
    load_before = os.getloadavg()[0]
    empty_runs, full_runs = [], []
    for n in range(repeat):  # interleaved, so a change in the machine's load hits both
        empty = BACKENDS[backend](WORK / f"{backend}-empty")
        empty_runs.append(timed_ingest(empty, small, f"small-{n}"))
        full_runs.append(timed_ingest(big, small, f"small-{dt.datetime.now():%H%M%S}-{n}"))
    empty_s = statistics.median(r["seconds"] for r in empty_runs)
    full_s = statistics.median(r["seconds"] for r in full_runs)
    return {
        "file": {"rows": SMALL_ROWS, "seed": SMALL_SEED, "kind": "ledger",
                 "statements": empty_runs[0]["statements_added"]},
        "large_store": built, "store_statements_before": before,
        "empty_runs": empty_runs, "full_runs": full_runs,
        "empty_seconds_median": empty_s, "full_seconds_median": full_s,
        "ratio": round(full_s / empty_s, 2), "target_ratio": TARGET_RATIO,
        "meets_target": full_s / empty_s <= TARGET_RATIO,
        "load_before": load_before, "load_after": os.getloadavg()[0],
    }


def part_demo(backend: str, scenario: Path) -> dict[str, Any]:
    """(b): `pinchpoint demo ingest` of a scenario in a fresh workspace, as `make demo`
    runs it (init and agency add outside the timing)."""
    path = WORK / f"{backend}-demo"
    workspace = BACKENDS[backend](path)
    ws = ["--workspace", str(path)]
    subprocess.run([*PINCHPOINT, *ws, "agency", "add", "BORDER-FORCE", "--title",
                    "UK Border Force"], check=True, capture_output=True)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([*PINCHPOINT, *ws, "demo", "ingest", str(scenario)], check=True,
                   capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    count = statements(workspace)
    return {
        "scenario": str(scenario), "files": _files(scenario), "statements": count,
        "seconds": round(wall, 1),
        "cpu_seconds": round(after.ru_utime + after.ru_stime - before.ru_utime
                             - before.ru_stime, 1),
        "statements_per_second": round(count / wall),
        "target_statements_per_second": TARGET_STATEMENTS_PER_SECOND,
        "meets_target": count / wall >= TARGET_STATEMENTS_PER_SECOND,
        "peak_rss_mb": round(after.ru_maxrss / 1024),
        **_blocks(workspace, _files(scenario)),
        "load_before": load_before, "load_after": os.getloadavg()[0],
    }


def _blocks(workspace: Any, files: int) -> dict[str, Any]:
    size = 500 if files < 10_000 else 5_000
    return {f"blocks_of_{size}_files": blocks(workspace, size)}


def blocks(workspace: Any, size: int = 500) -> list[dict[str, Any]]:
    """Seconds per block of `size` files, from the batches' commit times (whole
    seconds): a batch that cost in proportion to the store made each block slower."""
    with workspace.open_store(read_only=True) as store:
        rows = store.con.execute("SELECT finished_at, statements_added FROM batches "
                                 "ORDER BY finished_at, started_at").fetchall()
    out, previous = [], rows[0][0] if rows else None
    for start in range(0, len(rows), size):
        block = rows[start:start + size]
        out.append({"files": len(block), "seconds": (block[-1][0] - previous).total_seconds(),
                    "statements_added": sum(int(r[1]) for r in block)})
        previous = block[-1][0]
    return out


def _files(scenario: Path) -> int:
    from pinchpoint.demo.examples import load_manifest

    return len(load_manifest(scenario))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=sorted(BACKENDS), default="duckdb")
    parser.add_argument("--part", choices=["store", "demo", "all"], default="all")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scenario", type=Path, default=WORK / "medium",
                        help="a generated scenario (made with seed 1 when missing)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    previous = json.loads(args.output.read_text()) if args.output.exists() else {}
    # DuckDB's figures under "store" and "demo", PostgreSQL's under "store_postgresql"
    # and "demo_postgresql"; a run replaces only its own backend's and parts' figures.
    suffix = "" if args.backend == "duckdb" else f"_{args.backend}"
    result: dict[str, Any] = {
        **previous,
        "benchmark": "ingest_scale", "description": __doc__.split("\n\n")[1],
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": head_commit(), "src_changes": src_changes(), "backend": args.backend,
        "machine": {**basics(), "duckdb": version("duckdb")},
    }
    if args.part in ("store", "all"):
        result[f"store{suffix}"] = {**part_store(args.backend, args.repeat),
                                    "commit": head_commit(), "date": result["date"],
                                    **({} if args.backend == "duckdb" else
                                       {"server_settings": SERVER_SETTINGS})}
        print(json.dumps(result[f"store{suffix}"], indent=1), flush=True)
    if args.part in ("demo", "all"):
        if not (args.scenario / "manifest.yaml").exists():
            subprocess.run([*PINCHPOINT, "demo", "generate", "--size", "medium", "--seed",
                            "1", "--out", str(args.scenario)], check=True)
        # the medium scenario's figures under "demo", another's under "demo_<folder>"
        key = "demo" + ("" if args.scenario.name == "medium" else f"_{args.scenario.name}")
        result[key + suffix] = {**part_demo(args.backend, args.scenario),
                                "commit": head_commit(), "date": result["date"]}
        print(json.dumps(result[key + suffix], indent=1), flush=True)
    args.output.write_text(json.dumps(result, indent=1) + "\n")


def run() -> None:
    try:
        main()
    finally:
        if _CLUSTERS:
            import postgres

            postgres.stop(_CLUSTERS[0])


if __name__ == "__main__":
    run()
