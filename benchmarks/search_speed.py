"""CPU per search: `GET /api/search`'s work, before and after the score-only name path.

A profile of `benchmarks/api.py --runs cold` showed searches (20% of requests) taking
half the server's CPU, nearly all of it scoring up to `MAX_CANDIDATES` candidate names
per query with `compare_names`. This replays the cold run's searches in-process, without
HTTP, and times each one:

- the terms are every visible person's name for user `nca.bench`, drawn exactly as
  `benchmarks/api.py` draws them for its cold run (`sample(work, None, None, seed)`); the
  first `--searches` (default 2,000) of them are replayed, each once;
- the index is the one the server builds (`pinchpoint.api.search.index`), over a copy of
  the prepared `benchmarks/work/api-ws` (copied once to `benchmarks/work/search-speed/`,
  opened read-only; the source is never written), pickled so every worker loads the same;
- each search is `pinchpoint.api.search._search(index, q, 20)`, timed with
  `time.process_time` (CPU of the worker process, garbage collection included; the
  loaded index is frozen out of the collector, as the server freezes what it derives);
- three worker processes, each with its own process-wide caches, starting cold:
  `base`, the library as of `--base` (exported with `git archive`); `explain`, this tree
  with names scored through `compare_names(...).score` (the full explanation, this tree's
  caches); `fast`, this tree as shipped (`name_score`);
- the searches go in chunks of `--chunk`, each chunk to every worker in turn (the order
  rotating), so the machine's load (shared with other work) falls on all alike; every
  worker's hits (ids, labels, names, scores, match text, order) must be identical, or the
  script fails.

    .venv/bin/python benchmarks/search_speed.py                 # about 2 minutes
    .venv/bin/python benchmarks/search_speed.py --searches 300  # quick check

Results go to `benchmarks/results/search_speed.json`, with the load average before and
after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASE = "f84fb43"  # the commit before the score-only path and the part caches
WORKERS = ("base", "explain", "fast")
LIMIT = 20


# -- the worker ----------------------------------------------------------------------------
def worker(data: Path, scorer: str) -> None:
    """Answer `start end` lines with one JSON line: CPU ms and hits per search."""
    from pinchpoint.api import search

    if scorer == "explain":
        from pinchpoint.resolve.names import compare_names

        def explained(left: str, right: str, schema: str) -> float:
            return compare_names(left, right, schema).score

        search.name_score = explained  # type: ignore[attr-defined]
    with data.open("rb") as handle:
        terms, index = pickle.load(handle)
    gc.freeze()  # as the server does with the derived data it keeps (`api.cache.derived`)
    for line in sys.stdin:
        start, end = (int(x) for x in line.split())
        cpu, hits = [], []
        for q in terms[start:end]:
            began = time.process_time()
            found = search._search(index, q, LIMIT)
            cpu.append((time.process_time() - began) * 1e3)
            hits.append([[h.id, h.schema, h.label, h.names, h.score, h.match] for h in found])
        print(json.dumps({"cpu_ms": cpu, "hits": hits}), flush=True)


# -- the set-up ----------------------------------------------------------------------------
def copy_workspace(source: Path, work: Path) -> None:
    """A copy of the prepared workspace, made once; the source is only read."""
    if (work / "store.duckdb").exists():
        return
    if not (source / "store.duckdb").exists():
        raise SystemExit(f"{source} has no store: run benchmarks/api.py once to prepare it")
    work.mkdir(parents=True, exist_ok=True)
    for name in ("store.duckdb", "workspace.json"):
        shutil.copy2(source / name, work / name)
    shutil.copytree(source / "keys", work / "keys")


def build(work: Path, seed: int, searches: int) -> tuple[Path, int, int]:
    """Terms and index, pickled for the workers; (path, terms drawn, names indexed)."""
    from api import USER, sample

    from pinchpoint.access import directory
    from pinchpoint.access.entitlements import scope_for
    from pinchpoint.api import search
    from pinchpoint.store import DuckDBStore

    _ids, terms = sample(work, None, None, seed)
    with DuckDBStore(work / "store.duckdb", read_only=True) as store:
        scope = scope_for(store.con, directory.reader(store.con, USER))
        index = search.index(store, scope)
    data = work / "index.pickle"
    with data.open("wb") as handle:
        pickle.dump((terms[:searches], index), handle)
    return data, len(terms), len(index.names)


def base_tree(base: str, work: Path) -> Path:
    """The library as of `base`, exported (not checked out) under `work`."""
    out = work / f"src-{base}"
    if not (out / "pinchpoint").exists():
        out.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", base, "src/pinchpoint"], cwd=ROOT,
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "--strip-components=1", "-C", str(out)],
                       input=archive, check=True)
    return out


def start(name: str, data: Path, src: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.Popen(
        [sys.executable, __file__, "--worker", name, "--data", str(data)], env=env,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def ask(process: subprocess.Popen[str], start_at: int, end: int) -> dict[str, Any]:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(f"{start_at} {end}\n")
    process.stdin.flush()
    line = process.stdout.readline()
    if not line:
        raise SystemExit(f"a worker stopped (exit {process.wait()})")
    answer: dict[str, Any] = json.loads(line)
    return answer


def figures(cpu: list[float]) -> dict[str, float]:
    ordered = sorted(cpu)
    return {"mean_ms": round(statistics.fmean(ordered), 3),
            "p50_ms": round(ordered[len(ordered) // 2], 3),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 3),
            "max_ms": round(ordered[-1], 3), "total_s": round(sum(ordered) / 1e3, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=HERE / "work" / "api-ws")
    parser.add_argument("--work", type=Path, default=HERE / "work" / "search-speed")
    parser.add_argument("--searches", type=int, default=2000)
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--base", default=BASE)
    parser.add_argument("--output", type=Path, default=HERE / "results" / "search_speed.json")
    parser.add_argument("--worker", choices=WORKERS, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.data, args.worker)
        return
    sys.path.insert(0, str(HERE))
    from machine import basics, head_commit, src_changes

    load_before = os.getloadavg()
    copy_workspace(args.source, args.work)
    data, drawn, indexed = build(args.work, args.seed, args.searches)
    sources = {"base": base_tree(args.base, args.work), "explain": ROOT / "src",
               "fast": ROOT / "src"}
    workers = {name: start(name, data, src) for name, src in sources.items()}
    cpu: dict[str, list[float]] = {name: [] for name in WORKERS}
    hits: dict[str, list[Any]] = {name: [] for name in WORKERS}
    searches = min(args.searches, drawn)
    began = time.perf_counter()
    for n, at in enumerate(range(0, searches, args.chunk)):
        order = WORKERS[n % 3:] + WORKERS[:n % 3]
        for name in order:
            answer = ask(workers[name], at, min(at + args.chunk, searches))
            cpu[name] += answer["cpu_ms"]
            hits[name] += answer["hits"]
    for process in workers.values():
        assert process.stdin is not None
        process.stdin.close()
        process.wait()
    differ = {name: sum(a != b for a, b in zip(hits["base"], hits[name], strict=True))
              for name in WORKERS[1:]}
    results = {name: figures(cpu[name]) for name in WORKERS}
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": basics(), "commit": head_commit(), "src_changes": src_changes(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "workspace": str(args.source), "copy": str(args.work),
        "terms": {"drawn": drawn, "replayed": searches, "seed": args.seed,
                  "how": "benchmarks/api.py sample(work, None, None, seed): every visible "
                  "person's name for nca.bench, shuffled; the first N, each once"},
        "names_indexed": indexed, "limit": LIMIT, "chunk": args.chunk,
        "workers": {"base": f"the library at {args.base} (compare_names)",
                    "explain": "this tree, names scored by compare_names(...).score",
                    "fast": "this tree as shipped: name_score"},
        "cpu_per_search": results,
        "speedup_mean": {name: round(results["base"]["mean_ms"] / results[name]["mean_ms"], 2)
                         for name in WORKERS[1:]},
        "searches_with_other_hits_than_base": differ,
        "wall_s": round(time.perf_counter() - began, 1),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("cpu_per_search", "speedup_mean",
                                             "searches_with_other_hits_than_base",
                                             "load_average_before", "load_average_after")},
                     indent=2))
    if any(differ.values()):
        raise SystemExit("the hits differ from the base library's")


if __name__ == "__main__":
    main()
