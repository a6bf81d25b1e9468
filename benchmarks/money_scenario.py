"""The typology alerts against the demo scenario's truth (`money.py --scenario medium`).

Reuses the resolved workspace of `resolve_scenario.py` (`benchmarks/work/medium-resolved`,
made by it: generate with seed 1, ingest every file, resolve) and reads it with every
agency of the manifest visible (`demo_scope`) and the scenario's own `rates.csv`. The
truth (`truth/money.csv`) lists each typology instance with the ledger rows it ended up
in (`file.csv:line`); an instance none of whose rows were seized cannot be found and is
left out. A Payment entity's rows are its statements' records. An alert matches an
instance of its typology (`escrow_fee` in the truth is `escrow_release` here) when they
share at least half of the instance's rows and at least half of the alert's; precision
and recall as for the generated set. The scenario plants no AMLworld pattern, so those
detectors' alerts are counted, not scored.
"""

from __future__ import annotations

import csv
import shutil
import time
from collections import Counter
from pathlib import Path
from typing import Any

from resolve_scenario import WORK, prepare, run_resolver

from pinchpoint.demo.summary import demo_scope
from pinchpoint.money import alerts, build, read_rates
from pinchpoint.store import open_workspace

NAMES = {"escrow_fee": "escrow_release", "settlement": "settlement",
         "structuring": "structuring"}


def scenario(size: str, seed: int) -> dict[str, Any]:
    folder, ingested, resolved = WORK / size, WORK / f"{size}-ws", WORK / f"{size}-resolved"
    prepared = prepare(size, seed, folder, ingested)
    if not (resolved / "store.duckdb").exists():
        shutil.copytree(ingested, resolved, ignore=shutil.ignore_patterns(".tmp"))
        run_resolver(resolved, folder, WORK / f"resolve-{size}.log")
    workspace = open_workspace(resolved)
    scope, _ = demo_scope(workspace, folder)
    with workspace.open_store(read_only=True) as store:
        began = time.perf_counter()
        graph = build(store, scope, read_rates(folder / "rates.csv"))
        built = time.perf_counter() - began
        rows = _payment_rows(store, scope)
    began = time.perf_counter()
    found = alerts(graph)
    seconds = time.perf_counter() - began
    truth = _truth(folder / "truth" / "money.csv")
    scores = _grade([(a.typology, {r for p in a.payments for r in rows.get(p, ())})
                     for a in found], truth, _findable(graph, rows, truth))
    return {"size": size, "seed": seed, "transfers": len(graph.transfers),
            "incomplete": dict(graph.incomplete), "build_seconds": round(built, 2),
            "alert_seconds": round(seconds, 2), "data": prepared, "typologies": scores}


def _payment_rows(store: Any, scope: Any) -> dict[str, set[str]]:
    """Each Payment entity's rows (its statements' records)."""
    rows: dict[str, set[str]] = {}
    for statements in store.iter_entities(scope):
        if statements and statements[0].schema == "Payment":
            rows[statements[0].entity_id] = {s.record for s in statements}
    return rows


def _truth(path: Path) -> list[tuple[str, set[str]]]:
    with path.open(encoding="utf-8") as handle:
        return [(NAMES[row["typology"]], set(row["records"].split(";")))
                for row in csv.DictReader(handle)
                if row["typology"] in NAMES and row["records"]]


def _findable(graph: Any, rows: dict[str, set[str]], truth: list[tuple[str, set[str]]]
              ) -> set[int]:
    """Recall over the instances whose seized rows could show the pattern at all: a
    structuring episode with 3 payments or more, escrow with 2 releases or more by one
    name (a crossing that never arrived has no release), any seized settlement."""
    payer = {t.id: graph.label(t.payer) for t in graph.transfers}
    owner: dict[str, str] = {}
    for payment, records in rows.items():
        for r in records:
            owner[r] = payment
    findable = set()
    for n, (kind, records) in enumerate(truth):
        payments = {owner[r] for r in records if r in owner and owner[r] in payer}
        names = Counter(payer[p] for p in payments)
        ok = {"structuring": len(payments) >= 3, "settlement": bool(payments),
              "escrow_release": bool(names) and names.most_common(1)[0][1] >= 2}[kind]
        if ok:
            findable.add(n)
    return findable


def _grade(found: list[tuple[str, set[str]]], truth: list[tuple[str, set[str]]],
           findable: set[int]) -> dict[str, Any]:
    owner: dict[str, list[int]] = {}
    for n, (_, records) in enumerate(truth):
        for r in records:
            owner.setdefault(r, []).append(n)
    kinds = sorted({t for t, _ in found} | set(NAMES.values()))
    result: dict[str, Any] = {}
    for kind in kinds:
        mine = [records for t, records in found if t == kind]
        planted = [n for n, (t, _) in enumerate(truth) if t == kind]
        matched, good = set(), 0
        for records in mine:
            hits: dict[int, int] = {}
            for r in records:
                for n in owner.get(r, ()):
                    hits[n] = hits.get(n, 0) + 1
            ok = [n for n, k in hits.items() if truth[n][0] == kind
                  and k >= 0.5 * max(len(truth[n][1]), len(records))]
            matched.update(ok)
            good += bool(ok)
        can = findable.intersection(planted)
        result[kind] = {"alerts": len(mine), "planted": len(planted), "true_alerts": good,
                        "precision": round(good / len(mine), 4) if mine else None,
                        "recall": round(len(matched) / len(planted), 4) if planted
                        else None, "findable": len(can),
                        "recall_findable": round(len(matched & can) / len(can), 4) if can
                        else None}
    return result
