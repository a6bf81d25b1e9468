"""The workspace of `api_writes.py` and the check of its acknowledged writes afterwards.

The demo scenario that `make demo` uses, built through the library (as `pinchpoint demo`
and the `make demo` steps do) with the benchmark's users and grants; a fresh copy per run
with throwaway users; what each analyst's requests are drawn from; and, after the server
has stopped, every acknowledged write looked for in its store.
"""

from __future__ import annotations

import collections
import json
import random
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PASSWORD = "bench-writes-password-1"
ADMIN = "nca-admin"
USERS = {  # name: agency, role, clearance
    "nca-analyst": ("NCA", "analyst", "SECRET"),
    "nca-analyst2": ("NCA", "analyst", "SECRET"),
    "bf-analyst": ("BORDER-FORCE", "analyst", "OFFICIAL-SENSITIVE"),
    "bf-analyst2": ("BORDER-FORCE", "analyst", "OFFICIAL-SENSITIVE"),
    "bf-supervisor": ("BORDER-FORCE", "supervisor", "OFFICIAL-SENSITIVE"),
    ADMIN: ("NCA", "administrator", "SECRET"),
}
ANALYSTS = [u for u, (_a, role, _c) in USERS.items() if role == "analyst"]


# -- the workspace -------------------------------------------------------------------------
def build_demo(work: Path, demo: Path) -> dict[str, Any]:
    """The demo workspace with the users, grants and resolutions (reused when present)."""
    from pinchpoint.access import directory
    from pinchpoint.access.entitlements import scope_for
    from pinchpoint.demo.examples import ingest_examples, missing_agencies
    from pinchpoint.demo.generate import generate
    from pinchpoint.resolve import resolve
    from pinchpoint.store import init_workspace

    if (demo / "ready").exists():
        return dict(json.loads((demo / "ready").read_text()))
    started = time.perf_counter()
    scenario = work / "demo-scenario"
    if not (scenario / "manifest.yaml").exists():
        generate("small", 1, scenario)
    shutil.rmtree(demo, ignore_errors=True)
    ws = init_workspace(demo, agency="NCA")
    with ws.open_store() as store:
        directory.add_agency(store.con, "BORDER-FORCE", "UK Border Force")
    missing = missing_agencies(ws, scenario)
    with ws.open_store() as store:
        for name, title in missing.items():
            directory.add_agency(store.con, name, title)
    ingest_examples(ws, scenario)
    with ws.open_store() as store:
        con = store.con
        readers = {n: directory.add_user(con, n, *spec, PASSWORD) for n, spec in USERS.items()}
        directory.grant(con, readers["bf-supervisor"], "NCA", "benchmark: Border Force "
                        "arrivals and interviews for the joint investigation")
        directory.grant(con, readers[ADMIN], "BORDER-FORCE", "benchmark: the London ledger",
                        source="nca_ledger_london_ex001")
        for analyst in ("nca-analyst", "bf-analyst"):
            resolve(store, scope_for(con, readers[analyst]))
    info = {"built_s": round(time.perf_counter() - started, 1), "scenario": str(scenario)}
    (demo / "ready").write_text(json.dumps(info))
    return info


def copy_for_run(demo: Path, ws: Path, clients: int) -> list[str]:
    """A fresh copy of the demo workspace with two throwaway analysts per client (each
    with a token, so revoking has something to revoke); their names, client by client."""
    from pinchpoint.access import directory
    from pinchpoint.store import open_workspace

    shutil.rmtree(ws, ignore_errors=True)
    shutil.copytree(demo, ws)
    names = [f"tmp-c{c:02d}-{j}" for c in range(clients) for j in range(2)]
    with open_workspace(ws).open_store() as store:
        for i, name in enumerate(names):
            agency = "NCA" if i % 2 else "BORDER-FORCE"
            directory.add_user(store.con, name, agency, "analyst", "OFFICIAL", PASSWORD)
            directory.issue_token(store.con, name, note="benchmark")
    return names


@dataclass
class Material:
    """What one analyst's requests are drawn from (all read through their scope)."""

    ids: list[str]
    terms: list[str]
    pairs: list[tuple[str, str]]


def material(ws: Path, seed: int) -> dict[str, Material]:
    from pinchpoint.access import directory
    from pinchpoint.access.entitlements import scope_for
    from pinchpoint.resolve import review_queue
    from pinchpoint.store import open_workspace
    from pinchpoint.store.scope import REDACTED

    out: dict[str, Material] = {}
    rng = random.Random(seed)
    with open_workspace(ws).open_store(read_only=True) as store:
        for analyst in ANALYSTS:
            scope = scope_for(store.con, directory.reader(store.con, analyst))
            visible, params = scope.relation()
            rows = store.con.execute(
                f"SELECT entity_id, min(value) FILTER (WHERE prop = 'name' AND value <> ?) "
                f"FROM ({visible}) AS v WHERE schema = 'Person' GROUP BY 1 ORDER BY 1",
                [REDACTED, *params]).fetchall()
            chosen = rng.sample(rows, min(300, len(rows)))
            pairs = [(i.left, i.right) for i in review_queue(store, scope, 200)]
            out[analyst] = Material([str(e) for e, _n in chosen],
                                    sorted({str(n) for _e, n in chosen if n})[:150],
                                    pairs + namesakes(rows, rng, 200 - len(pairs)))
    return out


def namesakes(rows: list[tuple[Any, Any]], rng: random.Random, wanted: int
              ) -> list[tuple[str, str]]:
    """Up to `wanted` pairs of Person records that share a surname (the review queue's
    open decisions come first; the small demo's is often empty), topped up at random."""
    by_word: dict[str, list[str]] = collections.defaultdict(list)
    for entity, name in rows:
        if name:
            by_word[str(name).split()[-1].lower()].append(str(entity))
    pairs = [tuple(rng.sample(ids, 2)) for ids in by_word.values() if len(ids) > 1]
    rng.shuffle(pairs)
    ids = [str(e) for e, _n in rows]
    while len(pairs) < wanted and len(ids) > 1:
        pairs.append(tuple(rng.sample(ids, 2)))
    return [(a, b) for a, b in pairs[:max(0, wanted)]]


@dataclass
class Acked:
    """The writes the server acknowledged (2xx), for the check afterwards."""

    judgements: dict[str, tuple[str, str]] = field(default_factory=dict)  # id: user, verdict
    undone: set[str] = field(default_factory=set)
    batches: dict[str, tuple[str, int]] = field(default_factory=dict)  # id: user, added
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)  # user: state
    revoked: set[str] = field(default_factory=set)


# -- what was acknowledged, afterwards -----------------------------------------------------
def missing_writes(ws: Path, acked: Acked) -> dict[str, list[str]]:
    """Every acknowledged write that the stopped server's store does not show."""
    from pinchpoint.access import directory
    from pinchpoint.access.entitlements import scope_for
    from pinchpoint.store import judgements as store_judgements
    from pinchpoint.store import open_workspace

    missing: dict[str, list[str]] = collections.defaultdict(list)
    with open_workspace(ws).open_store(read_only=True) as store:
        con = store.con
        for analyst in {USERS[a][0]: a for a in ANALYSTS}.values():  # one per agency
            scope = scope_for(con, directory.reader(con, analyst))
            stored = {j.id: j for j in
                      store_judgements.judgements(store, scope, active_only=False)}
            for jid, (user, verdict) in acked.judgements.items():
                if USERS[user][0] != USERS[analyst][0]:
                    continue
                j = stored.get(jid)
                if j is None or j.verdict != verdict or j.user != user:
                    missing["judgements"].append(jid)
                elif (jid in acked.undone) != (j.undone_at is not None):
                    missing["undos" if jid in acked.undone else "undone_unasked"].append(jid)
            batches = {b.id: b for b in store.batches(scope)}
            for bid, (user, added) in acked.batches.items():
                if USERS[user][0] != USERS[analyst][0]:
                    continue
                held = con.execute("SELECT count(*) FROM statements WHERE batch = ?",
                                   [bid]).fetchall()[0][0]
                if bid not in batches or batches[bid].statements_added != added or held < added:
                    missing["batches"].append(bid)
        for user, state in acked.accounts.items():
            role, clearance, disabled = con.execute(
                "SELECT role, clearance, disabled_at IS NOT NULL FROM users WHERE name = ?",
                [user]).fetchall()[0]
            now = {"role": role, "clearance": clearance, "disabled": bool(disabled)}
            if any(now[k] != v for k, v in state.items()):
                missing["accounts"].append(f"{user}: acknowledged {state}, stored {now}")
        for user in acked.revoked:
            active = con.execute('SELECT count(*) FROM tokens WHERE "user" = ? AND '
                                 "revoked_at IS NULL", [user]).fetchall()[0][0]
            if active:
                missing["revocations"].append(user)
    return dict(missing)
