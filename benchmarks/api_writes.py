"""The REST API under concurrent reads and writes: no 5xx, and no acknowledged write lost.

Issue 14 (finding 9): 32 clients with ingests and judgements gave four 500s, a cache race
(an ego graph built from a network read before a write was kept under the generation after
it). This benchmark is the proof that the fix holds, and that the writes the server
acknowledges are all in the store afterwards.

The workspace is the embedded demo scenario that `make demo` uses (`demo generate --size
small --seed 1`), built through the library (`pinchpoint.demo.generate`, `ingest_examples`,
`access.directory`, `resolve`; `api_writes_world.py`) into
`benchmarks/work/api-writes-demo` (reused when present), with the users of `USERS`: two
NCA analysts (SECRET), two Border Force analysts (OFFICIAL-SENSITIVE), Border Force's
supervisor (who shares Border Force's material with NCA, as `make demo` does), and an
NCA administrator; NCA shares its London ledger with Border Force. Each agency's analyst
scope is resolved. Each run copies it afresh to `benchmarks/work/api-writes-ws` and adds
two throwaway analysts per client (the only users whose accounts the run changes: one
client changes each, so the last change it saw acknowledged is the one in force).

Then:

1. the real server in its own process (`benchmarks/api.py`'s `serve`: `uvicorn.run(
   create_app(ws))`, one worker), each analyst and the administrator log in, and the
   run waits until every analyst's scope is prepared (`GET /api/me`);
2. `--clients` clients (asyncio, one `httpx.AsyncClient` each, one keep-alive
   connection) for `--seconds`, client `i` as analyst `i mod 4`, each request drawn
   from `MIX`: 90% reads (profile, neighbourhood, search, judgements list, kingpin rank,
   groups, status, review queue, dashboard) and 10% writes: judgements (`POST
   /api/judgements`, same or different, on a pair of records the caller sees: its
   review queue first, then namesakes; undone through `POST /api/judgements/{id}/undo`
   where the API has it, which it has not yet), small ingests (`POST /api/ingest`, an
   FtM file of one new Person, unique per write) and account changes by the
   administrator (role, clearance, disable, enable, revoke tokens of the client's own
   throwaway users);
3. every status is kept: 5xx (target zero) and 4xx by route (`EXPECTED_4XX` says why
   none is expected in this mix; any 4xx is listed as unexplained);
4. the server is stopped and every acknowledged (2xx) write is looked for in the store:
   each judgement (and its undo) among the agency's judgements, each ingest's batch with
   the statements it reported, each throwaway user's role, clearance and disabled state
   as last acknowledged, and no active token after an acknowledged revocation or
   disabling.

Reported: count, throughput, p50/p90/p99/max overall, for reads and for writes and per
route; 5xx; missing writes; load average before and after (the machine's cores are
shared with other jobs, so latencies are noisy). Results: `benchmarks/results/
api_writes.json`. Targets: zero 5xx, zero missing writes, no 4xx left unexplained.

    .venv/bin/python benchmarks/api_writes.py      # about 2 minutes (+30 s the first time)
    .venv/bin/python benchmarks/api_writes.py --clients 8 --seconds 20 --seed 2
    .venv/bin/python benchmarks/api_writes.py --team 2 --clients 50   # on PostgreSQL

`--team N` (issue 16): the run's copy is copied whole to a throwaway PostgreSQL cluster
(`tests/postgres.py`, durable defaults) and served by N processes (`pinchpoint serve
--workers N`); the acknowledged writes are then looked for in that database. Results:
`benchmarks/results/api_writes_team.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import json
import os
import random
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import api
from api_writes_world import (
    ADMIN,
    ANALYSTS,
    PASSWORD,
    Acked,
    Material,
    build_demo,
    copy_for_run,
    material,
    missing_writes,
)

HERE = Path(__file__).resolve().parent
MIX = {  # route: share of requests
    "entity": 0.28, "neighbourhood": 0.20, "search": 0.15, "judgements": 0.08,
    "rank": 0.07, "groups": 0.03, "status": 0.04, "review": 0.02, "dashboard": 0.03,
    "judge": 0.035, "undo": 0.015, "ingest": 0.03, "account": 0.02,
}
WRITES = {"judge", "undo", "ingest", "account"}
ACCOUNT_CHANGES = ("role", "clearance", "disable", "enable", "revoke-tokens")
ROLES, CLEARANCES = ("analyst", "supervisor", "auditor"), ("OFFICIAL", "OFFICIAL-SENSITIVE",
                                                           "SECRET")
EXPECTED_4XX: dict[str, str] = {}  # `route status`: why this mix may get it
WHY_NO_4XX = """No 4xx is expected in this mix: every id read is one the
caller's scope sees and a record folded into another entity by a concurrent judgement
still answers with that entity; judged pairs are records the caller sees (a pair may be
judged again); each client undoes only its own judgements, once; account changes touch
only the client's own throwaway users, never a logged-in user. So any 4xx is counted as
unexplained (`unexplained_4xx`)."""


# -- the load ------------------------------------------------------------------------------
Sample = tuple[str, float, float, int | str]


@dataclass
class Client:
    number: int
    analyst: str
    own: list[str]  # the throwaway users this client's administrator changes
    rng: random.Random
    mine: list[str] = field(default_factory=list)  # own judgements not undone


async def one_request(http: Any, c: Client, kind: str, stuff: Material, admin: dict[str, str],
                      acked: Acked, undo_path: str | None) -> tuple[int, str | None]:
    """One request of `kind`; writes acknowledged go to `acked`. Returns the status and,
    for an answer other than 2xx, what it said."""
    rng = c.rng
    if kind == "entity":
        r = await http.get(f"/api/entities/{rng.choice(stuff.ids)}")
    elif kind == "neighbourhood":
        r = await http.get(f"/api/entities/{rng.choice(stuff.ids)}/neighbourhood",
                           params={"hops": rng.choice((1, 1, 2))})
    elif kind == "search":
        r = await http.get("/api/search", params={"q": rng.choice(stuff.terms)})
    elif kind in ("judgements", "status", "dashboard"):
        r = await http.get(f"/api/{kind}")
    elif kind == "rank":
        r = await http.get("/api/network/rank", params={"top": 20})
    elif kind == "groups":
        r = await http.get("/api/network/groups")
    elif kind == "review":
        r = await http.get("/api/review", params={"limit": 5})
    elif kind == "judge":
        left, right = rng.choice(stuff.pairs)
        verdict = rng.choice(("same", "different"))
        r = await http.post("/api/judgements", json={
            "left": left, "right": right, "verdict": verdict,
            "reason": f"api_writes benchmark, client {c.number}"})
        if r.status_code == 200:
            found = r.json()
            acked.judgements[found["id"]] = (c.analyst, verdict)
            c.mine.append(found["id"])
    elif kind == "undo":
        gone = c.mine.pop(rng.randrange(len(c.mine)))
        assert undo_path is not None
        r = await http.post(undo_path.replace("{id}", gone),
                            json={"reason": f"api_writes benchmark, client {c.number}"})
        if r.status_code == 200:
            acked.undone.add(gone)
    elif kind == "ingest":
        tag = uuid.uuid4().hex
        line = json.dumps({"id": f"bench-{tag}", "schema": "Person", "properties": {
            "name": [f"Bench Person {tag[:12]}"], "nationality": ["gb"]}})
        r = await http.post("/api/ingest", data={"kind": "ftm", "source": "api-writes-bench"},
                            files={"file": (f"bench-{tag}.ftm.json", line.encode() + b"\n")})
        if r.status_code == 200:
            batch = r.json()["batch"]
            acked.batches[batch["id"]] = (c.analyst, int(batch["statements_added"]))
    else:
        r = await account_change(http, c, admin, acked)
    await r.aread()
    return int(r.status_code), None if r.is_success else r.text[:300]


async def account_change(http: Any, c: Client, admin: dict[str, str], acked: Acked) -> Any:
    """One change by the administrator to one of this client's throwaway users."""
    rng, user = c.rng, c.rng.choice(c.own)
    change = rng.choice(ACCOUNT_CHANGES)
    body: dict[str, str] = {"reason": f"api_writes benchmark, client {c.number}"}
    if change == "role":
        body["role"] = rng.choice(ROLES)
    elif change == "clearance":
        body["clearance"] = rng.choice(CLEARANCES)
    r = await http.post(f"/api/users/{user}/{change}", json=body, headers=admin)
    if r.status_code == 200:
        state = acked.accounts.setdefault(user, {})
        if change in ("role", "clearance"):
            state[change] = body[change]
        elif change in ("disable", "enable"):
            state["disabled"] = change == "disable"
        if change in ("disable", "revoke-tokens"):
            acked.revoked.add(user)
    return r


async def load(base: str, tokens: dict[str, str], stuff: dict[str, Material],
               throwaway: list[str], clients: int, seconds: float, seed: int,
               undo_path: str | None, acked: Acked,
               said: collections.defaultdict[str, list[str]]
               ) -> tuple[list[Sample], float]:
    """The clients' samples and the wall time; the first answers of each route and
    status other than 2xx go to `said`."""
    import httpx

    samples: list[Sample] = []
    mix = {k: w for k, w in MIX.items() if undo_path is not None or k != "undo"}
    kinds, weights = list(mix), list(mix.values())
    admin = {"Authorization": f"Bearer {tokens[ADMIN]}"}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    made = []
    for i in range(clients):
        analyst = ANALYSTS[i % len(ANALYSTS)]
        headers = {"Authorization": f"Bearer {tokens[analyst]}", "X-Purpose": "api writes"}
        made.append((Client(i, analyst, throwaway[2 * i:2 * i + 2],
                             random.Random(seed * 1000 + i)),
                     httpx.AsyncClient(base_url=base, headers=headers, limits=limits,
                                       timeout=httpx.Timeout(120.0))))
    t0 = time.perf_counter()
    deadline = t0 + seconds

    async def run(c: Client, http: httpx.AsyncClient) -> None:
        async with http:
            while time.perf_counter() < deadline:
                kind = c.rng.choices(kinds, weights)[0]
                if kind == "undo" and not c.mine:
                    kind = "judge"
                started = time.perf_counter()
                status: int | str
                try:
                    status, detail = await one_request(http, c, kind, stuff[c.analyst], admin,
                                                       acked, undo_path)
                except Exception as exc:  # every failure is kept
                    status, detail = type(exc).__name__, str(exc)[:300]
                if detail is not None and len(told := said[f"{kind} {status}"]) < 3:
                    told.append(detail)
                samples.append((kind, started - t0, time.perf_counter() - started, status))

    await asyncio.gather(*(run(c, http) for c, http in made))
    return samples, time.perf_counter() - t0


# -- figures -------------------------------------------------------------------------------
def figures(rows: list[Sample], wall: float) -> dict[str, Any]:
    ms = sorted(r[2] * 1e3 for r in rows)
    statuses = collections.Counter(str(r[3]) for r in rows)
    return {"count": len(rows), "throughput_rps": round(len(rows) / wall, 1),
            "p50_ms": round(api.percentile(ms, 0.50), 1),
            "p90_ms": round(api.percentile(ms, 0.90), 1),
            "p99_ms": round(api.percentile(ms, 0.99), 1),
            "max_ms": round(ms[-1], 1) if ms else None, "statuses": dict(statuses)}


def summary(samples: list[Sample], wall: float) -> dict[str, Any]:
    def failed(row: Sample) -> bool:
        return not isinstance(row[3], int) or row[3] >= 500

    four = collections.Counter(f"{k} {s}" for k, _t, _l, s in samples
                               if isinstance(s, int) and 400 <= s < 500)
    return {
        "overall": figures(samples, wall),
        "reads": figures([r for r in samples if r[0] not in WRITES], wall),
        "writes": figures([r for r in samples if r[0] in WRITES], wall),
        "routes": {k: figures([r for r in samples if r[0] == k], wall)
                   for k in MIX if any(r[0] == k for r in samples)},
        "server_errors": sum(1 for r in samples if failed(r)),
        "client_4xx": dict(four),
        "unexplained_4xx": {k: n for k, n in four.items() if k not in EXPECTED_4XX},
    }


def undo_route(base: str) -> str | None:
    """The API's route undoing a judgement, if it has one (`{id}` for the judgement)."""
    import httpx

    for path, ops in httpx.get(f"{base}/openapi.json", timeout=30).json()["paths"].items():
        if path.startswith("/api/judgements/{") and "undo" in path and "post" in ops:
            return path.replace(path[path.index("{"):path.index("}") + 1], "{id}")
    return None


def run(args: argparse.Namespace) -> dict[str, Any]:
    import httpx

    built = build_demo(args.work, args.demo)
    throwaway = copy_for_run(args.demo, args.ws, args.clients)
    stuff = material(args.ws, args.seed)
    port = api.free_port()
    base = f"http://127.0.0.1:{port}"
    served, cluster = args.ws, None
    if args.team:
        sys.path.insert(0, str(HERE.parent / "tests"))
        import postgres

        cluster = postgres.start(durable=True)
        served = api.team_copy(args.ws, cluster.url)
        server = api.start_team_server(served, args.team, port, args.ws / f"server-{port}.log")
    else:
        server = api.start_server(args.ws, port, args.ws / f"server-{port}.log")
    acked, said = Acked(), collections.defaultdict(list)
    try:
        api.wait_ready(base, server)
        tokens = {u: httpx.post(f"{base}/api/login", json={"username": u, "password": PASSWORD},
                                timeout=60).json()["token"] for u in [*ANALYSTS, ADMIN]}
        started = time.perf_counter()
        for analyst in ANALYSTS:
            api.wait_prepared(base, tokens[analyst], fresh=bool(args.team))
        prepared = time.perf_counter() - started
        undo_path = undo_route(base)
        load_before = os.getloadavg()
        print(f"measuring {args.seconds:.0f} s with {args.clients} clients (load "
              f"{load_before}); undo route: {undo_path}", flush=True)
        samples, wall = asyncio.run(load(base, tokens, stuff, throwaway, args.clients,
                                         args.seconds, args.seed, undo_path, acked, said))
        load_after = os.getloadavg()
    finally:
        server.terminate()
        server.wait(timeout=60)
    try:
        missing = missing_writes(served, acked)
    finally:
        if cluster is not None:
            postgres.stop(cluster)
    found = summary(samples, wall)
    return {"demo": built, "scope_prepared_s": round(prepared, 1), "undo_route": undo_path,
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in load_after],
            "load": {"clients": args.clients, "seconds": args.seconds, "wall_s": round(wall, 1),
                     "seed": args.seed, "mix": MIX, "analysts": ANALYSTS,
                     "ids_per_analyst": {a: len(m.ids) for a, m in stuff.items()},
                     "pairs_per_analyst": {a: len(m.pairs) for a, m in stuff.items()}},
            "acknowledged": {"judgements": len(acked.judgements), "undos": len(acked.undone),
                             "ingests": len(acked.batches),
                             "account_changes": found["routes"].get("account", {}).get(
                                 "statuses", {}).get("200", 0),
                             "users_changed": len(acked.accounts)},
            "missing_writes": missing,
            "missing_write_count": sum(len(v) for v in missing.values()),
            "results": found, "answers_not_2xx": dict(said),
            "timeline_5s": api.timeline(samples)}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--demo", type=Path, default=HERE / "work" / "api-writes-demo")
    parser.add_argument("--ws", type=Path, default=HERE / "work" / "api-writes-ws")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--team", type=int, default=0,
                        help="serve a PostgreSQL copy with this many processes")
    args = parser.parse_args()
    if args.output is None:
        args.output = HERE / "results" / ("api_writes_team.json" if args.team
                                          else "api_writes.json")
    from machine import basics, head_commit, src_changes, version

    measured = run(args)
    results = measured["results"]
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": basics(), "commit": head_commit(), "src_changes": src_changes(),
        "versions": {p: version(p) for p in ("fastapi", "uvicorn", "httpx", "duckdb")},
        "targets": {"server_errors": 0, "missing_writes": 0, "unexplained_4xx": 0,
                    "latency": "p50 and p99 reported; no target"},
        "target_met": not (results["server_errors"] or results["unexplained_4xx"]
                           or measured["missing_write_count"]),
        "expected_4xx": {"kinds": EXPECTED_4XX, "why": " ".join(WHY_NO_4XX.split())},
        "backend": ({"store": "postgresql", "workers": args.team, "how": "a copy of the run's "
                     "workspace on a throwaway durable cluster, pinchpoint serve --workers"}
                    if args.team else {"store": "duckdb", "workers": 1}),
        "notes": [
            "The machine's 2 cores are shared with other jobs (load averages recorded): "
            "latencies are noisy and only roughly comparable between runs.",
            "Every write takes the app's write lock and clears what the server keeps per "
            "scope, so reads after a write are computed again: 10% writes are a worst "
            "case for the cache, not a typical analyst session.",
            "Writes wait for the app's one write lock and for the CPU that reads rebuilding "
            "what the last write cleared hold: under 32 clients their latency is queueing "
            "(benchmarks/README.md compares one client alone).",
            "A server error is any 5xx or an exception in the client (a timeout of 120 s, "
            "a dropped connection).",
        ],
        **measured,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: result[k] for k in ("target_met", "missing_write_count",
                                             "acknowledged")} | {
        "server_errors": results["server_errors"], "client_4xx": results["client_4xx"],
        "overall": results["overall"], "reads": results["reads"],
        "writes": results["writes"]}, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
