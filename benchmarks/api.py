"""The REST API under load: 32 concurrent clients for 60 seconds on loopback.

On a copy of the resolved medium workspace (`benchmarks/work/medium-resolved`, left as it
is) at `benchmarks/work/api-ws` (reused), adds the agencies, sharing group and grants of
`benchmarks/access.py` (`access.prepare`), a user `nca.bench` with a password (an NCA
analyst cleared to OFFICIAL: the same restricted scope as `access.py`'s `nca.analyst`),
and resolves that scope once (the neighbourhood endpoint needs a resolution of the
caller's own scope; about a minute). Then, for each of two runs:

1. starts the real server in a separate process (`uvicorn.run(create_app(...))`, one
   worker: the app holds the store's one read-write DuckDB connection, so a second
   worker process could not open it) and waits until it answers;
2. logs in (`POST /api/login`) and picks, through the same scope, the run's visible
   Person entities and search terms (their names);
3. waits until the server says the scope is prepared (`GET /api/me`; logging in starts
   making its resolution, statements, search index and network), warms up for 10 s,
   then runs 32 clients (asyncio, one keep-alive connection each, `RawClient`; `--client
   httpx` for one `httpx.AsyncClient` each) for 60 seconds, each issuing a mix: 50%
   `GET /api/entities/{id}`, 30% `GET /api/entities/{id}/neighbourhood?hops=1`, 20%
   `GET /api/search?q=...`;
4. records every latency and status: count, throughput, p50/p90/p99/max and errors per
   endpoint and overall (any non-2xx or exception is an error; the ids are visible, so a
   404 is an error too). Target: overall p99 under 150 ms with zero errors.

The runs (`RUNS`): `working_set`, 500 entities and 200 names drawn once, as 32 analysts
of one scope on one case load would ask (the server keeps answers per scope until the
next write, so most requests are answered from what it kept; this is the run the target
is judged on, and the one earlier versions measured); and `cold`, every visible person
and every name, so nearly every request is computed. Both go to
`benchmarks/results/api.json` (`runs`; `results` repeats the working set).

    .venv/bin/python benchmarks/api.py                  # about 3 minutes after preparing
    .venv/bin/python benchmarks/api.py --runs cold      # one of the runs
    .venv/bin/python benchmarks/api.py --profile 20     # and py-spy the server 20 s a run
    .venv/bin/python benchmarks/api.py --team 2 --runs cold   # and on PostgreSQL (below)

`--team N` (issue 16) runs each run twice, side by side: on the DuckDB copy with one
process, as above, then on PostgreSQL with N server processes (`pinchpoint serve
--workers N`): a throwaway cluster is made for the run (`tests/postgres.py`, with
PostgreSQL's durable defaults: fsync and synchronous commit on), the prepared copy is
copied to it whole (`pinchpoint copy-to-server`), and every worker is made to prepare
the scope before the warm-up (each process keeps its own). Results go to
`benchmarks/results/api_team.json`.

A profile goes to `benchmarks/work/api-ws/` unless `--output` says otherwise. The client
and the server share the machine's cores; the load average before and after is recorded.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET_P99_MS = 150.0
USER, PASSWORD = "nca.bench", "bench-password-1"
MIX = (("entity", 0.5), ("neighbourhood", 0.3), ("search", 0.2))


# -- the workspace -------------------------------------------------------------------------
def prepare(source: Path, work: Path) -> dict[str, Any]:
    """The copy with the access setup, the benchmark user and the scope's resolution."""
    from access import prepare as access_prepare

    from pinchpoint.access import directory
    from pinchpoint.access.entitlements import scope_for
    from pinchpoint.model.reader import Clearance, Role
    from pinchpoint.resolve import ResolveOptions, resolve
    from pinchpoint.store import DuckDBStore, graph_reads

    if not (work / "store.duckdb").exists():
        work.mkdir(parents=True, exist_ok=True)
        for name in ("store.duckdb", "workspace.json"):
            shutil.copy2(source / name, work / name)
        # The signing key comes along: the copy keeps the workspace id, so its pin.
        shutil.copytree(source / "keys", work / "keys")
    access_prepare(source, work, fresh=False)
    info: dict[str, Any] = {}
    with DuckDBStore(work / "store.duckdb") as store:
        con = store.con
        if not any(u.user == USER for u in directory.users(con)):
            directory.add_user(con, USER, "NCA", Role.ANALYST, Clearance.OFFICIAL, PASSWORD)
        scope = scope_for(con, directory.reader(con, USER))
        if not graph_reads.resolved_count(store, scope):
            print("resolving the restricted scope (about a minute) ...", flush=True)
            started = time.perf_counter()
            report = resolve(store, scope, ResolveOptions(user=USER))
            info["resolve_s"] = round(time.perf_counter() - started, 1)
            info["resolve"] = report.as_dict()
        info["scope_key"] = scope.key()
        info["resolved_records"] = graph_reads.resolved_count(store, scope)
        info["grants"] = [g.__dict__ for g in scope.grants]
    return info


def sample(work: Path, entities: int | None, terms: int | None, seed: int
           ) -> tuple[list[str], list[str]]:
    """Visible Person ids and names of them, via the scope (None: all of them)."""
    from pinchpoint.access import directory
    from pinchpoint.access.entitlements import scope_for
    from pinchpoint.store import DuckDBStore
    from pinchpoint.store.scope import REDACTED

    with DuckDBStore(work / "store.duckdb", read_only=True) as store:
        con = store.con
        scope = scope_for(con, directory.reader(con, USER))
        visible, params = scope.relation()
        rows = con.execute(
            f"SELECT entity_id, min(value) FILTER (WHERE prop = 'name' AND value <> ?) "
            f"FROM ({visible}) AS v WHERE schema = 'Person' GROUP BY entity_id ORDER BY 1",
            [REDACTED, *params]).fetchall()
    rng = random.Random(seed)
    chosen = rng.sample(rows, min(entities or len(rows), len(rows)))
    names = sorted({str(n) for _e, n in chosen if n})
    return ([str(e) for e, _n in chosen],
            rng.sample(names, min(terms or len(names), len(names))))


# -- the server ----------------------------------------------------------------------------
def serve(workspace: Path, port: int) -> None:
    """The server process: the real app, one worker."""
    import uvicorn

    from pinchpoint.api.app import create_app

    uvicorn.run(create_app(workspace), host="127.0.0.1", port=port, workers=None,
                log_level="warning", access_log=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(workspace: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, str(Path(__file__).resolve()), "--serve", str(workspace),
               "--port", str(port)]
    handle = log.open("wb")
    return subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT)


def wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 120.0) -> float:
    import httpx

    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise SystemExit("the server did not answer in time")


# -- the team server (PostgreSQL, --team N) --------------------------------------------------
def team_copy(work: Path, server_url: str) -> Path:
    """The prepared DuckDB copy, copied whole to the PostgreSQL server (once per run of
    the script: the cluster is the script's own)."""
    from pinchpoint.store import open_workspace
    from pinchpoint.store.workspace import copy_to_server

    team = work.parent / (work.name + "-pg")
    if team.exists():
        shutil.rmtree(team)
    started = time.perf_counter()
    copy_to_server(open_workspace(work), team, server_url)
    print(f"copied to PostgreSQL in {time.perf_counter() - started:.0f} s", flush=True)
    return team


def start_team_server(team: Path, workers: int, port: int, log: Path
                      ) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "pinchpoint.cli", "--workspace", str(team), "serve",
               "--workers", str(workers), "--port", str(port)]
    handle = log.open("wb")
    return subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT)


def team_audit_size(team: Path) -> int:
    from pinchpoint.access import journal

    con = journal.database(team)
    try:
        return int(con.execute("SELECT count(*) FROM audit_log").fetchall()[0][0])
    finally:
        con.close()


# -- the load ------------------------------------------------------------------------------
def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not ordered:
        return float("nan")
    rank = max(1, int(-(-q * len(ordered) // 1)))
    return ordered[min(rank, len(ordered)) - 1]


def summary(samples: list[tuple[str, float, float, int | str]], wall: float
            ) -> dict[str, Any]:
    def figures(rows: list[tuple[str, float, float, int | str]]) -> dict[str, Any]:
        ms = sorted(r[2] * 1e3 for r in rows)
        errors = [r[3] for r in rows if not (isinstance(r[3], int) and 200 <= r[3] < 300)]
        return {"count": len(rows), "throughput_rps": round(len(rows) / wall, 1),
                "p50_ms": round(percentile(ms, 0.50), 1),
                "p90_ms": round(percentile(ms, 0.90), 1),
                "p99_ms": round(percentile(ms, 0.99), 1),
                "max_ms": round(ms[-1], 1) if ms else None,
                "mean_ms": round(sum(ms) / len(ms), 1) if ms else None,
                "errors": len(errors),
                "error_kinds": dict(collections.Counter(str(e) for e in errors))}

    out = {name: figures([r for r in samples if r[0] == name]) for name, _w in MIX}
    out["overall"] = figures(samples)
    return out


def timeline(samples: list[tuple[str, float, float, int | str]], step: float = 5.0
             ) -> list[dict[str, Any]]:
    """p50/p99 and count per `step` seconds of the run (to see cache expiry, growth)."""
    buckets: dict[int, list[float]] = collections.defaultdict(list)
    for _n, at, lat, _s in samples:
        buckets[int(at // step)].append(lat * 1e3)
    return [{"from_s": k * step, "count": len(v), "p50_ms": round(percentile(sorted(v), .5), 1),
             "p99_ms": round(percentile(sorted(v), .99), 1), "max_ms": round(max(v), 1)}
            for k, v in sorted(buckets.items())]


class RawClient:
    """One keep-alive HTTP/1.1 connection, requests written by hand and answers parsed by
    `httptools` (uvicorn's own parser), the whole body read. httpx spent about 1.8 ms of
    CPU per request on the client side, a quarter of what the server spent, on the same
    two cores: the load generator took a share of the machine the server was measured on.
    This client spends a fraction of that; ``--client httpx`` keeps the old one."""

    def __init__(self, base: str, headers: dict[str, str]) -> None:
        host, _, port = base.removeprefix("http://").partition(":")
        self.host, self.port = host, int(port or 80)
        self.head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, params: dict[str, Any] | None = None) -> int:
        import httptools

        target = f"{path}?{urllib.parse.urlencode(params)}" if params else path
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                          f"{self.head}\r\n".encode())
        done = asyncio.Event()

        class Answer:
            def on_message_complete(self) -> None:
                done.set()

        parser = httptools.HttpResponseParser(Answer())
        try:
            async with asyncio.timeout(60):
                await self._read(parser, done)
        except Exception:
            await self.close()
            raise
        if not parser.should_keep_alive():
            await self.close()
        return int(parser.get_status_code())

    async def _read(self, parser: Any, done: asyncio.Event) -> None:
        assert self.reader is not None
        while not done.is_set():
            data = await self.reader.read(1 << 16)
            if not data:
                raise ConnectionError("the server closed the connection")
            parser.feed_data(data)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


async def load(base: str, token: str, ids: list[str], terms: list[str], clients: int,
               seconds: float, seed: int, kind: str = "raw"
               ) -> tuple[list[tuple[str, float, float, int | str]], float]:
    samples: list[tuple[str, float, float, int | str]] = []
    headers = {"Authorization": f"Bearer {token}", "X-Purpose": "api benchmark"}
    names = [n for n, _w in MIX]
    weights = [w for _n, w in MIX]
    get = _raw_clients(base, headers, clients) if kind == "raw" else _httpx_clients(
        base, headers, clients)
    t0 = time.perf_counter()
    deadline = t0 + seconds

    async def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        while time.perf_counter() < deadline:
            kind = rng.choices(names, weights)[0]
            if kind == "entity":
                url, params = f"/api/entities/{rng.choice(ids)}", None
            elif kind == "neighbourhood":
                url, params = f"/api/entities/{rng.choice(ids)}/neighbourhood", {"hops": 1}
            else:
                url, params = "/api/search", {"q": rng.choice(terms)}
            started = time.perf_counter()
            status: int | str
            try:
                status = await get[number](url, params)
            except Exception as exc:  # every failure is an error
                status = type(exc).__name__
            samples.append((kind, started - t0, time.perf_counter() - started, status))

    try:
        await asyncio.gather(*(client(i) for i in range(clients)))
    finally:
        await asyncio.gather(*(close() for close in get.closers))
    return samples, time.perf_counter() - t0


class _Getters(list[Any]):
    closers: list[Any]


def _raw_clients(base: str, headers: dict[str, str], clients: int) -> _Getters:
    made = [RawClient(base, headers) for _ in range(clients)]
    out = _Getters(m.get for m in made)
    out.closers = [m.close for m in made]
    return out


def _httpx_clients(base: str, headers: dict[str, str], clients: int) -> _Getters:
    """One `httpx.AsyncClient` per client, one keep-alive connection each. They are made
    before the clock starts: each builds an SSL context (about 30 ms of the client's CPU,
    even for plain HTTP), which had shown as a latency spike of the server in the first
    seconds of every run."""
    import httpx

    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    made = [httpx.AsyncClient(base_url=base, headers=headers, limits=limits,
                              timeout=httpx.Timeout(60.0)) for _ in range(clients)]

    def getter(http: Any) -> Any:
        async def get(url: str, params: dict[str, Any] | None) -> int:
            response = await http.get(url, params=params)
            await response.aread()
            return int(response.status_code)
        return get

    out = _Getters(getter(m) for m in made)
    out.closers = [m.aclose for m in made]
    return out


def wait_prepared(base: str, token: str, timeout: float = 600.0, fresh: bool = False
                  ) -> float:
    """Seconds until the server says the caller's scope is made (`GET /api/me`:
    `prepared`), which logging in starts: the warm-up then measures answers being
    filled, not the scope's index and network being built. `fresh`: ask on a new
    connection each time, until 20 answers in a row say so, so that every worker
    process of a team server (each keeps its own) has made it."""
    import httpx

    started = time.perf_counter()
    headers = {"Authorization": f"Bearer {token}", "X-Purpose": "api benchmark"}
    in_a_row = 0
    with httpx.Client(timeout=60) as client:
        while time.perf_counter() - started < timeout:
            me = (httpx.get(f"{base}/api/me", headers=headers, timeout=60) if fresh
                  else client.get(f"{base}/api/me", headers=headers))
            me.raise_for_status()
            in_a_row = in_a_row + 1 if me.json().get("prepared") else 0
            if in_a_row >= (20 if fresh else 1):
                return time.perf_counter() - started
            time.sleep(0.05 if fresh and in_a_row else 0.5)
    raise SystemExit("the server did not prepare the scope in time")


def login(base: str) -> str:
    import httpx

    response = httpx.post(f"{base}/api/login", json={"username": USER, "password": PASSWORD},
                          timeout=60)
    response.raise_for_status()
    return str(response.json()["token"])


def profile_server(pid: int, seconds: int, out: Path, waiting: bool = False
                   ) -> dict[str, Any]:
    """py-spy the server while the load runs: the hottest functions by own and total time,
    counting only the thread holding the GIL (one Python process runs one at a time, so
    that is where its CPU goes; waiting threads are left out)."""
    raw = out.with_suffix(".folded")
    subprocess.run([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid),
                    "--duration", str(seconds), "--rate", "50", "--format", "raw",
                    "--nonblocking", "--threads",
                    *(["--idle"] if waiting else ["--gil"]), "--output", str(raw)],
                   check=True, capture_output=True)
    total, own, inclusive = 0, collections.Counter(), collections.Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        frames = [f for f in stack.split(";") if not f.startswith("thread ")]
        if frames and "idle" in frames[-1] and not waiting:
            continue
        total += n
        if frames:
            own[frames[-1]] += n
        for f in set(frames):
            inclusive[f] += n
    return {"samples": total, "folded": str(raw),
            "own": [(f, round(100 * n / total, 1)) for f, n in own.most_common(25)],
            "inclusive": [(f, round(100 * n / total, 1)) for f, n in inclusive.most_common(60)]}


def cpu_seconds(pid: int) -> tuple[float, float]:
    """User and system CPU time so far of a process (all its threads) and of its living
    children (a team server's worker processes)."""
    tick = os.sysconf("SC_CLK_TCK")
    user = system = 0.0
    for one in [pid, *children(pid)]:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        user, system = user + int(fields[11]) / tick, system + int(fields[12]) / tick
    return user, system


def children(pid: int) -> list[int]:
    """Every descendant process of `pid`, as /proc lists them."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids = [int(k) for k in (task / "children").read_text().split()]
        except OSError:
            continue
        for kid in kids:
            found += [kid, *children(kid)]
    return found


def machine_ticks() -> list[int]:
    """The machine's CPU ticks so far (/proc/stat: user, nice, system, idle, iowait, irq,
    softirq, steal), summed over its cores."""
    return [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]


def postgres_seconds() -> float:
    """CPU seconds so far of every PostgreSQL process on the machine (the team server's
    database: its backends, WAL writer and checkpointer)."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if text.partition("(")[2].startswith("postgres)"):
            fields = text.rpartition(")")[2].split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def machine_cpu(before: list[int], after: list[int], wall: float) -> dict[str, float]:
    """Cores busy, idle, waiting on the disk and stolen by the host during the window."""
    tick = os.sysconf("SC_CLK_TCK")
    used = [(b - a) / tick / wall for a, b in zip(before, after, strict=True)]
    return {"busy_cores": round(used[0] + used[1] + used[2] + used[5] + used[6], 2),
            "idle_cores": round(used[3], 2), "iowait_cores": round(used[4], 2),
            "steal_cores": round(used[7], 2)}


def audit_size(path: Path) -> int | None:
    """Entries in the run's audit log (one per GET: the consultation)."""
    import duckdb

    if not path.exists():
        return None
    con = duckdb.connect(str(path), read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM audit_log").fetchall()[0][0])
    finally:
        con.close()


def measure(args: argparse.Namespace, ids: list[str], terms: list[str], label: str,
            team: Path | None = None) -> dict[str, Any]:
    """One run on a fresh server (nothing kept from an earlier run; on DuckDB an empty
    audit log). `team`: the PostgreSQL copy, served by `args.team` processes."""
    audit = args.work / "audit.duckdb"
    if team is None:
        audit.unlink(missing_ok=True)  # each run starts with an empty audit log (README)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = args.work / f"server-{port}.log"
    server = (start_server(args.work, port, log) if team is None
              else start_team_server(team, args.team, port, log))
    profiled: dict[str, Any] = {}
    try:
        ready_s = wait_ready(base, server)
        token = login(base)
        prepared_s = wait_prepared(base, token, fresh=team is not None)
        print(f"[{label}] server ready in {ready_s:.1f} s, scope prepared in "
              f"{prepared_s:.1f} s after login; {len(ids)} ids, {len(terms)} terms; "
              f"warming up {args.warmup:.0f} s", flush=True)
        warm, _ = asyncio.run(load(base, token, ids, terms, args.clients, args.warmup,
                                   args.seed + 99, args.client))
        load_before = os.getloadavg()
        print(f"[{label}] warm-up: {len(warm)} requests; measuring {args.seconds:.0f} s with "
              f"{args.clients} clients (load {load_before})", flush=True)
        spy = None
        if args.profile:
            # a team server's parent only hands out sockets: profile its busiest worker
            target = (max(children(server.pid), key=lambda c: sum(cpu_seconds(c)))
                      if team is not None else server.pid)
            spy = threading.Thread(target=lambda: profiled.update(profile_server(
                target, args.profile, args.work / f"api-profile-{label}.json",
                args.profile_waiting)))
            spy.start()
        cpu_before = cpu_seconds(server.pid), time.process_time()
        whole_before, pg_before = machine_ticks(), postgres_seconds()
        each_before = {c: sum(cpu_seconds(c)) for c in children(server.pid)}
        samples, wall = asyncio.run(load(base, token, ids, terms, args.clients,
                                         args.seconds, args.seed, args.client))
        cpu_after = cpu_seconds(server.pid), time.process_time()
        whole_after, pg_after = machine_ticks(), postgres_seconds()
        each_after = {c: sum(cpu_seconds(c)) for c in children(server.pid)}
        if spy is not None:
            spy.join()
        load_after = os.getloadavg()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    figures = summary(samples, wall)
    overall = figures["overall"]
    server_s = sum(cpu_after[0]) - sum(cpu_before[0])
    out: dict[str, Any] = {
        "server_ready_s": round(ready_s, 1), "scope_prepared_s": round(prepared_s, 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "load": {"clients": args.clients, "seconds": args.seconds, "wall_s": round(wall, 1),
                 "warmup_s": args.warmup, "warmup_requests": len(warm),
                 "mix": dict(MIX), "entities": len(ids), "terms": len(terms),
                 "seed": args.seed, "client": CLIENTS[args.client]},
        "cpu": {"server_s": round(server_s, 1),
                "server_user_s": round(cpu_after[0][0] - cpu_before[0][0], 1),
                "server_system_s": round(cpu_after[0][1] - cpu_before[0][1], 1),
                "client_s": round(cpu_after[1] - cpu_before[1], 1),
                "server_ms_per_request": round(1e3 * server_s / max(1, len(samples)), 2),
                "postgresql_s": round(pg_after - pg_before, 1) if team is not None else None,
                "machine": machine_cpu(whole_before, whole_after, wall),
                "per_process_s": sorted((round(each_after[c] - each_before.get(c, 0.0), 1)
                                         for c in each_after), reverse=True),
                "note": "CPU time used during the measured window; the machine's other "
                "jobs took the rest (see load averages)"},
        "audit_entries_after": audit_size(audit) if team is None else team_audit_size(team),
        "target_met": bool(overall["errors"] == 0 and overall["p99_ms"] < TARGET_P99_MS),
        "results": figures,
        "timeline_5s": timeline(samples),
    }
    if profiled:
        out["profile"] = profiled
    return out


CLIENTS = {
    "raw": "asyncio, one keep-alive HTTP/1.1 connection per client written by hand and "
    "parsed by httptools (RawClient), same machine as the server",
    "httpx": "asyncio, one httpx.AsyncClient (one keep-alive connection) per client, same "
    "machine as the server",
}

RUNS = {
    "working_set": "500 Person entities and 200 of their names, drawn once (seed 1): 32 "
    "analysts of one scope working on one case load, who ask for the same entities and "
    "names again (answers are kept per scope until the next write)",
    "cold": "every visible Person entity (27,865) and every one of their names: almost "
    "every request asks for something not asked before in the run, so it is computed "
    "(profile from the in-memory statements, neighbourhood from the cached network, "
    "search by comparing up to 80 candidate names)",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workspace", type=Path, default=HERE / "work" / "medium-resolved")
    parser.add_argument("--work", type=Path, default=HERE / "work" / "api-ws")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--entities", type=int, default=500)
    parser.add_argument("--terms", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", default=",".join(RUNS),
                        help="which runs, comma-separated: working_set, cold")
    parser.add_argument("--client", choices=sorted(CLIENTS), default="raw",
                        help="the load generator: raw (lean, default) or httpx")
    parser.add_argument("--profile", type=int, default=0,
                        help="py-spy the server for this many seconds of each run")
    parser.add_argument("--profile-waiting", action="store_true",
                        help="profile every thread, waiting ones too (where a server "
                        "process's time goes when it is not computing)")
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--team", type=int, default=0,
                        help="also run on PostgreSQL with this many server processes")
    parser.add_argument("--team-only", action="store_true",
                        help="with --team: skip the DuckDB run (for profiling; the figures "
                        "the issue asks for are the side-by-side runs)")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    from machine import basics, head_commit, src_changes, version

    if args.output is not None:
        output = args.output
    elif args.profile:
        output = args.work / "api-profile.json"
    else:
        output = HERE / "results" / ("api_team.json" if args.team else "api.json")
    prepared = prepare(args.workspace, args.work)
    cluster, team = None, None
    if args.team:
        sys.path.insert(0, str(ROOT / "tests"))
        import postgres

        cluster = postgres.start(durable=True)
        team = team_copy(args.work, cluster.url)
    runs: dict[str, Any] = {}
    try:
        for label in args.runs.split(","):
            if label == "working_set":
                ids, terms = sample(args.work, args.entities, args.terms, args.seed)
            elif label == "cold":
                ids, terms = sample(args.work, None, None, args.seed)
            else:
                raise SystemExit(f"unknown run {label!r}; choose from {', '.join(RUNS)}")
            if not args.team_only:
                runs[label] = {"what": RUNS[label], **measure(args, ids, terms, label)}
            if team is not None:
                runs[f"{label}_postgresql"] = {
                    "what": RUNS[label] + f"; on PostgreSQL, {args.team} server processes",
                    **measure(args, ids, terms, f"{label}_postgresql", team)}
    finally:
        if cluster is not None:
            postgres.stop(cluster)
    headline = runs.get("working_set") or next(iter(runs.values()))
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": basics(), "commit": head_commit(), "src_changes": src_changes(),
        "versions": {p: version(p) for p in ("fastapi", "uvicorn", "httpx", "duckdb",
                                             "igraph", "uvloop", "httptools")},
        "workspace": str(args.workspace), "copy": str(args.work),
        "scope": {"user": USER, "agency": "NCA", "role": "analyst", "clearance": "OFFICIAL",
                  "note": "restricted analyst scope of benchmarks/access.py (Border Force "
                  "direct without victim details, Europol via EMPACT-CHANNEL, one PAF-FR "
                  "source; NCA's own OFFICIAL-SENSITIVE statements hidden by clearance)",
                  **prepared},
        "server": {"how": "uvicorn.run(create_app(workspace)) in a separate process, "
                   "127.0.0.1, uvloop and httptools", "workers": 1,
                   "note": "one worker: the app holds the store's read-write DuckDB "
                   "connection. Kept answers are served on the event loop; the rest run "
                   "in the anyio thread pool (40 threads)",
                   "team": {"workers": args.team, "how": "pinchpoint serve --workers N on "
                            "a PostgreSQL copy (runs named *_postgresql)"} if args.team
                   else None},
        "target_p99_ms": TARGET_P99_MS,
        "target_met": headline["target_met"],
        "results": headline["results"],
        "runs": runs,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: {"cpu": v["cpu"], "target_met": v["target_met"],
                          "overall": v["results"]["overall"]} for k, v in runs.items()},
                     indent=2))


if __name__ == "__main__":
    main()
