"""How well does entity resolution find the people behind the demo scenario's records?

Generates the medium scenario (seed 1) into benchmarks/work/medium and ingests it into
benchmarks/work/medium-ws (both reused when present; an interrupted ingest resumes with
the files not yet in the store). The ingested workspace is copied afresh to
benchmarks/work/medium-resolved, so every run resolves from scratch, and the resolver runs
there in a subprocess (wall time and that process's peak RSS). Its clusters are scored
against the truth ids of ``pinchpoint.demo.truth_map`` (entities with no truth id are left
out): pairwise precision, recall and F1 over pairs of entities put in one cluster, and
B-cubed precision, recall and F1 (target: B-cubed F1 >= 0.95), next to the same figures for
no resolution at all (every entity its own cluster). The worst false merges and missed
merges are listed with the entities' names for diagnosis.

    .venv/bin/python benchmarks/resolve_scenario.py              # about ... minutes
    .venv/bin/python benchmarks/resolve_scenario.py --baseline   # no resolver: baseline only

Writes benchmarks/results/resolve_scenario.json. The helpers here (machine, commit,
preparing a scenario, running the resolver in a subprocess) are shared with
resolve_scale.py.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from machine import cpu_model, head_commit, memory_kb, src_changes, version

from pinchpoint.demo.examples import example_options
from pinchpoint.demo.summary import demo_scope
from pinchpoint.demo.truth_map import Scores, TruthMap, bcubed, pairwise_scores, person_truth
from pinchpoint.ingest.run import ingest_file
from pinchpoint.store import Scope, Workspace, init_workspace, open_workspace

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "work"
OUTPUT = ROOT / "benchmarks" / "results" / "resolve_scenario.json"
TARGET_BCUBED_F1 = 0.95
WORST = 20

# Runs in a subprocess, so that its peak RSS is the resolver's alone.
RESOLVE_RUNNER = """
import dataclasses, json, resource, sys, time
from pathlib import Path
from pinchpoint.demo.summary import demo_scope
from pinchpoint.resolve import ResolveOptions, resolve
from pinchpoint.store import open_workspace
workspace = open_workspace(sys.argv[1])
scope, _ = demo_scope(workspace, Path(sys.argv[2]))
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.perf_counter()
with workspace.open_store() as store:
    report = resolve(store, scope, ResolveOptions(), progress=None)
seconds = time.perf_counter() - started
fields = dataclasses.asdict(report) if dataclasses.is_dataclass(report) else vars(report)
print(json.dumps({"seconds": seconds, "rss_before_mb": rss_before, "report": fields},
                 default=str))
"""


# --------------------------------------------------------------------------------------
# Shared with resolve_scale.py
# --------------------------------------------------------------------------------------

def machine() -> dict[str, Any]:
    return {"cores": os.cpu_count(), "cpu": cpu_model() or "unknown",
            "memory_mb": (memory_kb() or 0) // 1024,
            "python": platform.python_version(), "duckdb": version("duckdb"),
            "memory_limit_duckdb": os.environ.get("PINCHPOINT_MEMORY_LIMIT", "2GB (default)"),
            "load_average_before": [round(x, 2) for x in os.getloadavg()]}


def commit() -> dict[str, Any]:
    """The commit measured, and the files under src/ that differed from it."""
    return {"commit": head_commit() or "unknown", "src_changes": src_changes()}


GENERATE_RUNNER = """
import sys
from pinchpoint.demo.generate import generate
generate(sys.argv[1], int(sys.argv[2]), sys.argv[3])
"""


def generate_scenario(size: str, seed: int, out: Path) -> dict[str, Any]:
    """Generate (in a niced subprocess: the large one takes minutes) unless present."""
    if (out / "manifest.yaml").exists():
        log(f"reusing the scenario in {out}")
        return {"reused": True}
    started = time.perf_counter()
    subprocess.run(["nice", "-n", "10", sys.executable, "-c", GENERATE_RUNNER, size,
                    str(seed), str(out)], cwd=ROOT, check=True)
    seconds = round(time.perf_counter() - started, 1)
    log(f"generated {size} in {seconds} s")
    return {"reused": False, "wall_seconds": seconds}


def ingest_entries(workspace: Workspace, scope: Scope, folder: Path,
                   entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Ingest the entries not yet in the store (one batch per file), in order."""
    with workspace.open_store(read_only=True) as store:
        done = {str(Path(b.path).resolve()) for b in store.batches(scope)}
    todo = [e for e in entries if str((folder / e["file"]).resolve()) not in done]
    started = time.perf_counter()
    statements = rows = 0
    for i, entry in enumerate(todo, 1):
        report = ingest_file(workspace, entry["kind"], folder / entry["file"],
                             example_options(entry, folder))
        statements += report.batch.statements_added
        rows += report.batch.rows_read
        if i % 500 == 0 or i == len(todo):
            log(f"  ingested {i:,}/{len(todo):,} files, {statements:,} statements, "
                f"{time.perf_counter() - started:.0f} s")
    return {"files": len(todo), "files_already_in": len(entries) - len(todo),
            "rows": rows, "statements_added": statements,
            "wall_seconds": round(time.perf_counter() - started, 1)}


def count_persons(workspace: Workspace, scope: Scope) -> dict[str, int]:
    """Person entities and all statements the scope sees (SQL on the store)."""
    where, params = scope.sql()
    with workspace.open_store(read_only=True) as store:
        row = store.con.execute(
            "SELECT count(DISTINCT entity_id) FILTER (WHERE schema = 'Person'), count(*) "
            f"FROM statements WHERE {where}", params).fetchone()
    assert row is not None
    return {"person_entities": int(row[0]), "statements": int(row[1])}


def run_resolver(workspace: Path, scenario: Path, log_file: Path) -> dict[str, Any]:
    """resolve() in a subprocess: its report, wall time and peak RSS, or the error.

    Its stderr goes to ``log_file`` (progress, or the traceback)."""
    started = time.perf_counter()
    with open(log_file, "w") as err, subprocess.Popen(
            [sys.executable, "-c", RESOLVE_RUNNER, str(workspace), str(scenario)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True) as proc:
        assert proc.stdout is not None
        stdout = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    # Linux carries the spawning process's peak RSS into the child's ru_maxrss at exec,
    # so the child's own peak is only told when above rss_before_mb (that floor).
    result: dict[str, Any] = {"wall_seconds": round(wall, 1),
                              "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
                              "exit_status": proc.returncode,
                              "log": str(log_file.relative_to(ROOT))}
    if proc.returncode != 0:
        result["error"] = log_file.read_text(errors="replace").strip().splitlines()[-30:]
        if proc.returncode < 0:
            result["error"].append(f"killed by signal {-proc.returncode}")
        log(f"resolver failed after {wall:.1f} s: {result['error'][-1:]}")
        return result
    # The report is the last thing printed; a library may have written progress to
    # stdout before it without a line break.
    data = json.loads(stdout[stdout.rindex('{"seconds"'):])
    result.update(seconds_inside=round(data["seconds"], 1),
                  rss_before_mb=round(data["rss_before_mb"], 1), report=data["report"])
    log(f"resolved in {wall:.1f} s, peak RSS {result['peak_rss_mb']} MB")
    return result


def resolver_available() -> str | None:
    """None when the resolver imports, else why not."""
    try:
        from pinchpoint.resolve import ResolveOptions, resolution_map, resolve  # noqa: F401
    except ImportError as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------

def scores(predicted: Mapping[str, str], truth: Mapping[str, str]) -> dict[str, Any]:
    def rounded(s: Scores) -> dict[str, float]:
        return {k: round(v, 4) for k, v in s._asdict().items()}

    clusters = {predicted.get(e, "=" + e) for e in truth}
    return {"pairwise": rounded(pairwise_scores(predicted, truth)),
            "bcubed": rounded(bcubed(predicted, truth)), "clusters": len(clusters)}


def _label(truth_map: TruthMap, entity: str) -> str:
    names = " / ".join(truth_map.names.get(entity, ())[:3]) or "(no name)"
    return f"{names} [{truth_map.sources.get(entity, '?')}]"


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def worst_errors(predicted: Mapping[str, str], truth_map: TruthMap,
                 person_names: Mapping[str, str], n: int = WORST) -> dict[str, Any]:
    """The predicted clusters that join most wrong pairs, and the true persons left in
    most pieces, each with some of the entities' names and sources."""
    truth = truth_map.mapping
    by_cluster: dict[str, list[str]] = defaultdict(list)
    by_person: dict[str, list[str]] = defaultdict(list)
    for entity, person in truth.items():
        by_cluster[predicted.get(entity, "=" + entity)].append(entity)
        by_person[person].append(entity)
    merges = []
    for cluster, members in by_cluster.items():
        people = Counter(truth[e] for e in members)
        wrong = _pairs(len(members)) - sum(_pairs(k) for k in people.values())
        if wrong:
            merges.append((wrong, cluster, members, people))
    merges.sort(key=lambda m: (-m[0], m[1]))
    splits = []
    for person, members in by_person.items():
        parts = Counter(predicted.get(e, "=" + e) for e in members)
        missed = _pairs(len(members)) - sum(_pairs(k) for k in parts.values())
        if missed:
            splits.append((missed, person, members, parts))
    splits.sort(key=lambda s: (-s[0], s[1]))
    return {
        "false_merges": [
            {"cluster": cluster, "entities": len(members), "wrong_pairs": wrong,
             "persons": [{"truth_id": p, "truth_name": person_names.get(p, "?"),
                          "entities": k,
                          "examples": [_label(truth_map, e) for e in members
                                       if truth[e] == p][:3]}
                         for p, k in people.most_common(5)]}
            for wrong, cluster, members, people in merges[:n]],
        "missed_merges": [
            {"truth_id": person, "truth_name": person_names.get(person, "?"),
             "entities": len(members), "clusters": len(parts), "missed_pairs": missed,
             "parts": [{"cluster": c, "entities": k,
                        "examples": [_label(truth_map, e) for e in members
                                     if predicted.get(e, "=" + e) == c][:3]}
                       for c, k in parts.most_common(5)]}
            for missed, person, members, parts in splits[:n]],
        "false_merge_clusters": len(merges), "split_persons": len(splits),
    }


def person_names(scenario: Path) -> dict[str, str]:
    with open(scenario / "truth" / "persons.csv", encoding="utf-8", newline="") as fh:
        return {row["id"]: row["name"] for row in csv.DictReader(fh)}


def truth_summary(truth_map: TruthMap, seconds: float) -> dict[str, Any]:
    return {"person_entities": truth_map.entities, "mapped": len(truth_map.mapping),
            "coverage": round(truth_map.coverage, 4), "unmapped": truth_map.unmapped,
            "ambiguous": truth_map.ambiguous, "conflicting": truth_map.conflicting,
            "true_persons": len(set(truth_map.mapping.values())),
            "records_voted": truth_map.records_voted,
            "records_undecided": truth_map.records_undecided, "seconds": round(seconds, 1)}


# --------------------------------------------------------------------------------------
# The benchmark
# --------------------------------------------------------------------------------------

def prepare(size: str, seed: int, scenario: Path, ws_path: Path) -> dict[str, Any]:
    generation = generate_scenario(size, seed, scenario)
    workspace = init_workspace(ws_path, agency="NCA")
    scope, entries = demo_scope(workspace, scenario)
    ingest = ingest_entries(workspace, scope, scenario, entries)
    return {"size": size, "seed": seed, "scenario": str(scenario.relative_to(ROOT)),
            "generation": generation, "ingest": ingest, **count_persons(workspace, scope)}


def scenario_scope(name: str, size: str, seed: int
                   ) -> tuple[Path, Workspace, Scope, dict[str, Any]]:
    """A scenario of its own for one benchmark (`WORK/NAME-SIZE`, ingested into
    `WORK/NAME-SIZE-ws`, both reused): its folder, the workspace, the scope that sees
    every agency of the manifest, and what `prepare` reported."""
    folder, ingested = WORK / f"{name}-{size}", WORK / f"{name}-{size}-ws"
    data = prepare(size, seed, folder, ingested)
    workspace = open_workspace(ingested)
    scope, _ = demo_scope(workspace, folder)
    return folder, workspace, scope, data


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="medium")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline", action="store_true", help="score no resolution only")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    scenario, ingested = WORK / args.size, WORK / f"{args.size}-ws"
    resolved = WORK / f"{args.size}-resolved"
    result: dict[str, Any] = {"machine": machine(), **commit(),
                              "data": prepare(args.size, args.seed, scenario, ingested)}

    problem = "--baseline given" if args.baseline else resolver_available()
    resolution: dict[str, Any] = {"available": problem is None}
    if problem is None:
        if resolved.exists():
            shutil.rmtree(resolved)
        shutil.copytree(ingested, resolved, ignore=shutil.ignore_patterns(".tmp"))
        log(f"resolving a fresh copy of the workspace in {resolved}")
        resolution.update(run_resolver(resolved, scenario, WORK / f"resolve-{args.size}.log"))
    else:
        resolution["why_not"] = problem
        log(f"no resolver: {problem}")

    workspace = open_workspace(resolved if "report" in resolution else ingested)
    scope, _ = demo_scope(workspace, scenario)
    started = time.perf_counter()
    with workspace.open_store(read_only=True) as store:
        truth_map = person_truth(store, scope, scenario)
        seconds = time.perf_counter() - started
        predicted: dict[str, str] = {}
        if "report" in resolution:
            from pinchpoint.resolve import resolution_map

            predicted = dict(resolution_map(store, scope))
    result["truth_map"] = truth_summary(truth_map, seconds)
    log(f"truth map: {len(truth_map.mapping):,} of {truth_map.entities:,} Person entities "
        f"({truth_map.coverage:.2%}) in {seconds:.1f} s")
    baseline = {e: e for e in truth_map.mapping}
    result["baseline_no_resolution"] = scores(baseline, truth_map.mapping)
    if predicted:
        figures = scores(predicted, truth_map.mapping)
        figures["entities_in_resolution_map"] = len(predicted)
        figures["target_bcubed_f1"] = TARGET_BCUBED_F1
        figures["meets_target"] = figures["bcubed"]["f1"] >= TARGET_BCUBED_F1
        resolution["scores"] = figures
        resolution["worst_errors"] = worst_errors(predicted, truth_map,
                                                  person_names(scenario))
        log(f"B-cubed {figures['bcubed']}, pairwise {figures['pairwise']}")
    result["resolution"] = resolution
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
