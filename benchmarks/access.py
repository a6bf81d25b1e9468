"""What the access rules cost: reads under a restrictive user scope against the trusted path.

On a copy of the resolved medium workspace (benchmarks/work/medium-resolved, left as it
is), adds the agencies, a sharing group, users and grants with `pinchpoint.access
.directory`, then times the same reads under two scopes, interleaved (a, b, a, b ...) so
machine load weighs on both alike:

- (a) unrestricted: ``Scope("NCA", visible_owners=all seven owners)``, the trusted path
  (`Scope.relation()` is a plain owner filter);
- (b) restricted: an NCA analyst cleared to OFFICIAL (`scope_for`): Border Force shares
  everything directly without victim details (so victims' and witnesses' identifiers are
  redacted: the redaction path of `relation()` is on), Europol shares through a sharing
  group (so H2 is left out), PAF-FR shares one source; the clearance filter applies
  (NCA's own statements are all OFFICIAL-SENSITIVE, so this user sees none of them).

Reads: `store.statements(scope, entity_id=...)` for a sample of Person entities the
restricted scope sees (the same sample for both), and `neighbourhood(...)` with one and
two hops for a smaller sample. Target: restricted under 1.5 times unrestricted.

    .venv/bin/python benchmarks/access.py [--entities 300] [--graph 60] [--fresh]

Results go to benchmarks/results/access.json (``--output``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from machine import basics, head_commit, src_changes, version

from pinchpoint.access import directory
from pinchpoint.access.entitlements import scope_for
from pinchpoint.model.reader import Clearance, Role
from pinchpoint.store import DuckDBStore, Scope
from pinchpoint.store.neighbourhood import neighbourhood

HERE = Path(__file__).resolve().parent
TARGET = 1.5
READER = "nca.analyst"
GROUP = "EMPACT-CHANNEL"
SOURCE = "paf-fr_seizures_2025"  # the one PAF-FR source shared


def prepare(source: Path, work: Path, fresh: bool) -> Path:
    """A copy of the workspace with the agencies, group, users and grants added."""
    if fresh and work.exists():
        shutil.rmtree(work)
    if not (work / "store.duckdb").exists():
        work.mkdir(parents=True, exist_ok=True)
        for name in ("store.duckdb", "workspace.json"):
            shutil.copy2(source / name, work / name)
        # The signing key comes along: the copy keeps the workspace id, so its pin.
        shutil.copytree(source / "keys", work / "keys")
    with DuckDBStore(work / "store.duckdb") as store:
        con = store.con
        if any(u.user == READER for u in directory.users(con)):
            return work
        owners = [str(r[0]) for r in con.execute(
            "SELECT DISTINCT owner FROM statements ORDER BY 1").fetchall()]
        for owner in owners:
            if owner not in directory.agencies(con):
                directory.add_agency(con, owner)
        for member in ("NCA", "EUROPOL", "BKA-DE"):
            directory.add_to_group(con, GROUP, member)
        chiefs = {o: directory.add_user(con, f"{o.lower()}.chief", o, Role.SUPERVISOR,
                                        Clearance.OFFICIAL_SENSITIVE)
                  for o in ("BORDER-FORCE", "EUROPOL", "PAF-FR")}
        directory.grant(con, chiefs["BORDER-FORCE"], "NCA", "joint operation")
        directory.grant(con, chiefs["EUROPOL"], GROUP, "EMPACT priority", group=True)
        directory.grant(con, chiefs["PAF-FR"], "NCA", "seizures 2025", source=SOURCE)
        directory.add_user(con, READER, "NCA", Role.ANALYST, Clearance.OFFICIAL)
    return work


def _stats(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"median_ms": round(statistics.median(ordered) * 1e3, 2),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1e3, 2),
            "total_s": round(sum(ordered), 3)}


def interleaved(scopes: dict[str, Scope], ids: list[str],
                read: Callable[[Scope, str], int]) -> dict[str, Any]:
    """Each id read under every scope in turn, the order alternating id by id."""
    times: dict[str, list[float]] = {name: [] for name in scopes}
    sizes: dict[str, int] = dict.fromkeys(scopes, 0)
    names = list(scopes)
    for i, entity in enumerate(ids):
        for name in names if i % 2 == 0 else names[::-1]:
            start = time.perf_counter()
            sizes[name] += read(scopes[name], entity)
            times[name].append(time.perf_counter() - start)
    out: dict[str, Any] = {name: {**_stats(times[name]), "rows": sizes[name]}
                           for name in names}
    a, b = (out[n] for n in names)
    out["ratio_total"] = round(b["total_s"] / a["total_s"], 2)
    out["ratio_median"] = round(b["median_ms"] / a["median_ms"], 2)
    out["within_target"] = out["ratio_total"] < TARGET
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workspace", type=Path, default=HERE / "work" / "medium-resolved")
    parser.add_argument("--work", type=Path, default=HERE / "work" / "access-ws")
    parser.add_argument("--entities", type=int, default=300)
    parser.add_argument("--graph", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="copy the workspace afresh")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "access.json")
    args = parser.parse_args()
    work = prepare(args.workspace, args.work, args.fresh)
    load_before = os.getloadavg()
    with DuckDBStore(work / "store.duckdb", read_only=True) as store:
        con = store.con
        owners = frozenset(str(r[0]) for r in con.execute(
            "SELECT DISTINCT owner FROM statements").fetchall())
        scopes = {"unrestricted": Scope("NCA", owners),
                  "restricted": scope_for(con, directory.reader(con, READER))}
        restricted = scopes["restricted"]
        visible, params = restricted.relation()
        persons = sorted(str(r[0]) for r in con.execute(
            f"SELECT DISTINCT entity_id FROM ({visible}) AS v WHERE schema = 'Person'",
            params).fetchall())
        sample = random.Random(args.seed).sample(persons, args.entities)
        graph = sample[:args.graph]
        protected = con.execute(
            "SELECT lower(value), count(DISTINCT entity_id) FROM statements "
            "WHERE prop = 'personCategory' GROUP BY 1 ORDER BY 1").fetchall()
        redacted = sum(1 for e in sample for s in store.statements(restricted, entity_id=e)
                       if s.value == "[redacted]")

        def entity(scope: Scope, entity_id: str) -> int:
            return len(store.statements(scope, entity_id=entity_id))

        def hops(n: int) -> Callable[[Scope, str], int]:
            def read(scope: Scope, entity_id: str) -> int:
                return len(neighbourhood(store, scope, [entity_id], hops=n).edges)
            return read

        interleaved(scopes, sample[:20], entity)  # warm up
        interleaved(scopes, graph[:5], hops(2))
        started = time.perf_counter()
        results = {"entity_statements": interleaved(scopes, sample, entity),
                   "neighbourhood_1hop": interleaved(scopes, graph, hops(1)),
                   "neighbourhood_2hop": interleaved(scopes, graph, hops(2))}
        wall = time.perf_counter() - started
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": basics(), "duckdb": version("duckdb"), "commit": head_commit(),
        "src_changes": src_changes(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "workspace": str(args.workspace), "copy": str(work),
        "statements": int(store_rows(work)),
        "scopes": {"unrestricted": sorted(owners),
                   "restricted": {"reader": READER, "clearance": "OFFICIAL",
                                  "grants": [g.__dict__ for g in restricted.grants]}},
        "protected_persons": {str(k): int(v) for k, v in protected},
        "visible_persons_restricted": len(persons),
        "sample": {"entities": len(sample), "graph": len(graph), "seed": args.seed,
                   "redacted_values_in_sample": redacted},
        "target_ratio": TARGET, "wall_s": round(wall, 1), **results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


def store_rows(work: Path) -> int:
    with DuckDBStore(work / "store.duckdb", read_only=True) as store:
        return int(store.con.execute("SELECT count(*) FROM statements").fetchall()[0][0])


if __name__ == "__main__":
    main()
