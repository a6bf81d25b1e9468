"""A scenario end to end on one machine (issue 16): ingest, resolve, network.

Each stage is the command a user runs, in its own subprocess on one workspace:
`pinchpoint demo ingest SCENARIO`, `pinchpoint resolve` (the whole store, DuckDB engine)
and `pinchpoint network rank --top 10` (the network of the resolved entities, ranked).
Each stage's wall time, CPU seconds and peak resident memory come from the stage's own
process and the processes it waited for (`os.wait4`). The machine's load average before
and after each stage is recorded: the benchmark machine is shared.

`--grant-all` first has each partner agency whose statements the workspace holds grant
the workspace's agency all of them (a supervisor per partner, as `benchmarks/access.py`
makes them; victims' details stay withheld), so the resolution and the network cover
every source record, not only those the workspace's agency may see by itself; its
figures go under `<scenario>_all_partners`.

`--ingested WORKSPACE` starts from a workspace `benchmarks/ingest_scale.py --part demo`
already ingested the scenario into (its ingest figures are read from that script's
JSON, key `--ingest-key`), so the 14-minute ingest of the large scenario is not run a
second time; the workspace is used as it is (resolution adds its tables). That script
makes every scenario's workspace at the same path: run this before its next `--part
demo`, which replaces the workspace.

`--until resolve` stops after resolution (the entry records network as not run), so
that a later `--resume` runs only the network.

`--resolve-full` runs `resolve --full`: after a resolution that failed once its records
were analysed (they are stored), a plain `resolve` finds nothing new to do.

`--resume` starts from this script's own workspace of an earlier run whose ingest
finished but a later stage failed: the figures of every stage that finished before the
first failure (and the grants) are the earlier run's, read from the output JSON, and the
stages from the failed one on run again.

    .venv/bin/python benchmarks/end_to_end.py --scenario benchmarks/work/large
    .venv/bin/python benchmarks/end_to_end.py --scenario benchmarks/work/large \\
        --ingested benchmarks/work/ingest_scale/duckdb-demo --ingest-key demo_large
    .venv/bin/python benchmarks/end_to_end.py --scenario benchmarks/work/large \\
        --grant-all --resume

Results go to benchmarks/results/end_to_end.json (`--output`), one entry per scenario.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from machine import basics, head_commit, src_changes, version

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "end_to_end.json"
INGEST_JSON = ROOT / "benchmarks" / "results" / "ingest_scale.json"
PINCHPOINT = [sys.executable, "-m", "pinchpoint.cli"]


def stage(command: list[str], log: Path) -> dict[str, Any]:
    """Run one stage; its wall time, CPU seconds, peak RSS and exit status."""
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
    return {"command": " ".join(command[2:]),
            "seconds": round(time.perf_counter() - started, 1),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024),
            "exit_status": os.waitstatus_to_exitcode(status),
            "load_before": load_before, "load_after": os.getloadavg()[0], "log": str(log)}


def counts(workspace: Path, scenario: Path) -> dict[str, int]:
    """What the workspace holds (statements, entities read from the sources, person
    records among them) and how many records the scenario's files hold (rows, messages,
    calls, items: the generator's count in its manifest)."""
    import duckdb

    con = duckdb.connect(str(workspace / "store.duckdb"), read_only=True)
    try:
        statements = con.execute("SELECT count(*) FROM statements").fetchall()[0][0]
        entities = con.execute("SELECT count(DISTINCT entity_id) FROM statements "
                               "WHERE prop = 'id'").fetchall()[0][0]
        persons = con.execute("SELECT count(DISTINCT entity_id) FROM statements "
                              "WHERE prop = 'id' AND schema = 'Person'").fetchall()[0][0]
    finally:
        con.close()
    return {"statements": int(statements), **source_records(scenario),
            "source_entities": int(entities), "person_records": int(persons)}


def source_records(scenario: Path) -> dict[str, int]:
    """The records in the scenario's files, as its manifest counts them."""
    from pinchpoint.demo.examples import read_manifest

    manifest = read_manifest(scenario)
    return {"source_files": len(manifest["sources"]),
            "source_records": int(manifest["scenario"]["records"])}


def recount(output: Path) -> None:
    """Earlier entries counted the entities read from the sources as `source_records`:
    keep that figure as `source_entities` and count the records from the manifest."""
    results = json.loads(output.read_text())
    for entry in results.values():
        if "source_entities" not in entry:
            entry["source_entities"] = entry.pop("source_records")
            entry.update(source_records(ROOT / entry["scenario"]))
    output.write_text(json.dumps(results, indent=1) + "\n")


def grant_all(workspace: Path) -> list[str]:
    """Every partner whose statements the workspace holds grants its agency all of them;
    the partners whose grant is in force (made now, or by an earlier run)."""
    from pinchpoint.access import directory
    from pinchpoint.model.reader import Clearance, Role
    from pinchpoint.store import open_workspace

    ws = open_workspace(workspace)
    granted = []
    with ws.open_store() as store:
        con = store.con
        owners = [str(r[0]) for r in con.execute(
            "SELECT DISTINCT owner FROM statements ORDER BY 1").fetchall()]
        users = {u.user for u in directory.users(con)}
        for owner in (o for o in owners if o != ws.agency):
            if owner not in directory.agencies(con):
                directory.add_agency(con, owner)
            name = f"{owner.lower()}.chief"
            granted.append(owner)
            if name in users:
                continue
            chief = directory.add_user(con, name, owner, Role.SUPERVISOR,
                                       Clearance.OFFICIAL_SENSITIVE)
            directory.grant(con, chief, ws.agency, "end-to-end benchmark: every partner")
    return granted


def finished(entry: dict[str, Any]) -> bool:
    """Whether a stage finished: it exited 0, or its figures come from another
    benchmark's finished run (an ingest read from `ingest_scale.json`)."""
    status = entry.get("exit_status")
    return status == 0 or (status is None and "from" in entry and "seconds" in entry)


def stages_failed(stages: dict[str, Any]) -> list[str]:
    """The stages so far that did not finish (a later one must then run again)."""
    return [k for k, v in stages.items() if not finished(v)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", type=Path)
    parser.add_argument("--workspace", type=Path, default=None,
                        help="where to ingest (default benchmarks/work/e2e-<scenario>)")
    parser.add_argument("--ingested", type=Path, default=None)
    parser.add_argument("--ingest-key", default="demo_large")
    parser.add_argument("--grant-all", action="store_true")
    parser.add_argument("--resume", action="store_true",
                        help="keep the earlier run's ingest; run resolution and network again")
    parser.add_argument("--until", choices=["resolve", "network"], default="network",
                        help="the last stage to run (a later --resume runs the rest)")
    parser.add_argument("--resolve-full", action="store_true",
                        help="resolve --full: retrain and rescore every pair even where the "
                             "records were analysed by an earlier, failed run")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--recount", action="store_true",
                        help="only relabel earlier entries' counts (see recount)")
    args = parser.parse_args()
    if args.recount:
        recount(args.output)
        return
    if args.scenario is None:
        parser.error("--scenario is required")
    logs = ROOT / "benchmarks" / "work"
    name = args.scenario.name
    stages: dict[str, Any] = {}
    key = name + ("_all_partners" if args.grant_all else "")
    earlier = json.loads(args.output.read_text()).get(key, {}) if args.output.exists() else {}
    if args.resume:
        if not finished(earlier.get("stages", {}).get("ingest", {})):
            parser.error(f"--resume: no finished ingest under {key} in {args.output}")
        workspace = Path(earlier["workspace"])
        stages["ingest"] = {"from": f"the run of {earlier['date']}",
                            **earlier["stages"]["ingest"]}
    elif args.ingested is not None:
        workspace = args.ingested
        stages["ingest"] = {"from": f"{INGEST_JSON.name}, key {args.ingest_key}",
                            **json.loads(INGEST_JSON.read_text())[args.ingest_key]}
    else:
        workspace = args.workspace or logs / f"e2e-{name}"
        ws = ["--workspace", str(workspace)]
        subprocess.run([*PINCHPOINT, *ws, "init", "--agency", "NCA"], check=True,
                       capture_output=True)
        subprocess.run([*PINCHPOINT, *ws, "agency", "add", "BORDER-FORCE", "--title",
                        "UK Border Force"], check=True, capture_output=True)
        stages["ingest"] = stage([*PINCHPOINT, *ws, "demo", "ingest", str(args.scenario)],
                                 logs / f"e2e-{name}-ingest.log")
    granted = grant_all(workspace) if args.grant_all else []
    name = key
    ws = ["--workspace", str(workspace)]
    later = {"resolve": [*PINCHPOINT, *ws, "resolve",
                         *(["--full"] if args.resolve_full else [])],
             "network": [*PINCHPOINT, *ws, "network", "rank", "--top", "10"]}
    for label, command in later.items():
        if label == "network" and args.until == "resolve":
            break
        done = earlier.get("stages", {}).get(label, {})
        if args.resume and finished(done) and not stages_failed(stages):
            stages[label] = {"from": f"the run of {earlier['date']}", **done}
            continue
        stages[label] = stage(command, logs / f"e2e-{name}-{label}.log")
    if args.until == "resolve":
        stages["network"] = {"exit_status": None, "note": "not run yet (--until resolve)"}
    previous = json.loads(args.output.read_text()) if args.output.exists() else {}
    previous[name] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": head_commit(), "src_changes": src_changes(),
        "machine": {**basics(), "duckdb": version("duckdb")},
        "pinchpoint_memory_limit": os.environ.get(
            "PINCHPOINT_MEMORY_LIMIT", "unset: the defaults, 2GB for the store, 4GB for Splink"),
        "scenario": str(args.scenario), "workspace": str(workspace),
        **counts(workspace, args.scenario),
        **({"granted_by": granted} if args.grant_all else {}),
        "stages": stages,
        "total_seconds": round(sum(float(s.get("seconds", 0)) for s in stages.values()), 1),
        "peak_rss_mb": max(int(s.get("peak_rss_mb", 0)) for s in stages.values()),
    }
    args.output.write_text(json.dumps(previous, indent=1) + "\n")
    print(json.dumps(previous[name], indent=1))


if __name__ == "__main__":
    main()
