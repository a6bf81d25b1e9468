"""How well does the supply stage link seized boats and engines to what else names them?

Generates the medium scenario (seed 1) into benchmarks/work/supply-medium and ingests it
into benchmarks/work/supply-medium-ws (both reused when present; an interrupted ingest
resumes), then links it with every agency of the manifest visible (`demo_scope`).

Scored against `truth/supply_links.csv`, restricted to the items some seizure log
names (the stage chains seized items): each true link is (item, kind, target) with kind
purchase, import, storage, transport (the target is that record) or handler (the person
or company a record naming the item names). A store entity is mapped to truth through
its record locator and its role in the row (`truth/records.csv`): the seized item by
its seizure row, a linked record by its row and kind, a handler by its row and role.
Recall and precision per kind and overall (targets: both at least 0.9), whether the top
5 supplier hubs are true suppliers (a supplier person of a chain, or a company one of
them owns), and the timings.

    .venv/bin/python benchmarks/supply.py        # about two minutes the first time

Writes benchmarks/results/supply.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from machine import basics, head_commit, src_changes
from resolve_scenario import scenario_scope

from pinchpoint.supply import ItemChain, chains, hubs, lead_times, link, plan

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "benchmarks" / "results" / "supply.json"
KINDS = ("purchase", "import", "storage", "transport", "handler")
TARGET = 0.9
Link = tuple[str, str, str]
T = TypeVar("T")


def _refs(truth: Path) -> dict[tuple[str, str], str]:
    """(record locator, role in the row) -> truth id."""
    with open(truth / "records.csv", encoding="utf-8", newline="") as fh:
        return {(r["record"], r["entity"]): r["truth_id"] for r in csv.DictReader(fh)}


def _seized_items(truth: Path) -> set[str]:
    with open(truth / "records.csv", encoding="utf-8", newline="") as fh:
        return {r["truth_id"] for r in csv.DictReader(fh)
                if r["entity"] == "item" and "_seizures_" in r["file"]}


def _true_links(truth: Path, seized: set[str]) -> set[Link]:
    with open(truth / "supply_links.csv", encoding="utf-8", newline="") as fh:
        return {(r["item"], r["kind"], r["target"]) for r in csv.DictReader(fh)
                if r["item"] in seized}


def _found_links(found: list[ItemChain], refs: dict[tuple[str, str], str]) -> set[Link]:
    """The stage's links, as truth ids (an end that maps to nothing is kept unmapped,
    so it counts against precision)."""
    links: set[Link] = set()
    for chain in found:
        items = {refs.get((s.record, "item"), f"?{s.entity}") for s in chain.seizures}
        for s in chain.links:
            targets = [(s.kind, refs.get((s.record, s.kind), f"?{s.record}"))]
            targets += [("handler", refs.get((s.record, n.role), f"?{n.entity}"))
                        for n in s.parties]
            links.update((item, kind, target) for item in items for kind, target in targets)
    return links


def _score(true: set[Link], found: set[Link]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in (*KINDS, "all"):
        t = {x for x in true if kind in ("all", x[1])}
        f = {x for x in found if kind in ("all", x[1])}
        hit = len(t & f)
        out[kind] = {"true": len(t), "found": len(f), "correct": hit,
                     "recall": round(hit / len(t), 4) if t else None,
                     "precision": round(hit / len(f), 4) if f else None}
    return out


def _suppliers(truth: Path) -> set[str]:
    """Chain suppliers and the companies they own."""
    with open(truth / "supply_chains.csv", encoding="utf-8", newline="") as fh:
        people = {r["supplier"] for r in csv.DictReader(fh)}
    with open(truth / "objects.csv", encoding="utf-8", newline="") as fh:
        companies = {r["id"] for r in csv.DictReader(fh)
                     if r["kind"] == "company" and r["owner"] in people}
    return people | companies


def _hub_truth(records: set[str], roles: set[str], refs: dict[tuple[str, str], str]
               ) -> str:
    counts = Counter(refs[(r, role)] for r in records for role in roles if (r, role) in refs)
    return counts.most_common(1)[0][0] if counts else ""


def run(size: str, seed: int) -> dict[str, Any]:
    folder, workspace, scope, data = scenario_scope("supply", size, seed)
    with workspace.open_store(read_only=True) as store:
        supply, link_seconds = _timed(lambda: link(store, scope))
    found, chains_seconds = _timed(lambda: chains(supply))
    ranked, hubs_seconds = _timed(lambda: hubs(supply, 20))
    planned, plan_seconds = _timed(lambda: plan(supply, 5))
    truth = folder / "truth"
    refs = _refs(truth)
    true = _true_links(truth, _seized_items(truth))
    suppliers = _suppliers(truth)
    top = []
    for hub in ranked[:5]:
        mapped = _hub_truth(hub.records, hub.roles, refs)
        shown = {k: v for k, v in hub.as_dict().items() if k != "records"}
        top.append({**shown, "truth": mapped, "true_supplier": mapped in suppliers})
    return {"size": size, "seed": seed, "data": data, "rows": len(supply.rows),
            "units": len(supply.units), "seized_items": len(found),
            "timings": {"link_seconds": link_seconds, "chains_seconds": chains_seconds,
                        "hubs_seconds": hubs_seconds, "plan_seconds": plan_seconds},
            "links": _score(true, _found_links(found, refs)),
            "top5_hubs": top, "top5_all_true_suppliers": all(h["true_supplier"] for h in top),
            "import_to_seizure": lead_times(supply, found).as_dict(),
            "plan": planned.as_dict()}


def _timed(step: Callable[[], T]) -> tuple[T, float]:
    began = time.perf_counter()
    result = step()
    return result, round(time.perf_counter() - began, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="medium")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    result = {"machine": basics(), "commit": head_commit(), "src_changes": src_changes(),
              **run(args.size, args.seed)}
    overall = result["links"]["all"]
    result["targets"] = {"recall": TARGET, "precision": TARGET,
                         "met": bool(overall["recall"] and overall["recall"] >= TARGET
                                     and overall["precision"] >= TARGET
                                     and result["top5_all_true_suppliers"])}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({"links": result["links"], "top5": result["top5_all_true_suppliers"],
                      "timings": result["timings"], "met": result["targets"]["met"]},
                     indent=1))


if __name__ == "__main__":
    main()
