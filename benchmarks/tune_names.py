"""Choose the name matcher's constants on one half of the benchmark, test on the other.

The nomenklatura name benchmark (``../shared/data/names/name_bench_cases.csv``) is split
in two halves by a hash of each row (``case_group|schema|name1|name2``), so the split is
fixed, stratified by chance and independent of labels. A small grid of the
:class:`MatchConfig` constants that shape the score (part threshold, weight of a part only
one name has, adjacent-sounds penalty, and the strengths of the one-part-name,
generic-only-organisation and near-miss rules) is scored on half A; for each setting the
decision threshold with the best F1 on A is found. The best setting on A is then measured
on half B, which played no part in the choice. The run is repeated with the roles swapped
(tune on B, test on A) as a check of how much the choice depends on the half.

The cross-script set (benchmarks/data/crossscript_pairs.csv) is never used here: it is
a test set only.

    .venv/bin/python benchmarks/tune_names.py            # full grid, a few minutes
    .venv/bin/python benchmarks/tune_names.py --quick    # a coarse grid

Results go to benchmarks/results/name_tuning.json.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import json
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from pinchpoint.resolve.names import MatchConfig, compare_names

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT.parent / "shared" / "data" / "names" / "name_bench_cases.csv"
OUTPUT = ROOT / "benchmarks" / "results" / "name_tuning.json"
THRESHOLDS = [round(0.5 + 0.01 * i, 2) for i in range(41)]
# Earlier grids (864 settings, then 324) settled the conflict penalty, the number factor
# and the weight of a missing organisation word (shipped: 0.6, 0.8, 0.6); this one covers the
# part threshold, the weight of a missing person part, the adjacent-sounds penalty and the
# three rules added after them: a one-part name against a longer one, organisations that
# agree on generic words only, and partial credit for a near-miss organisation word.
GRID: dict[str, list[float]] = {
    "pair_threshold": [0.75, 0.78],
    "extra_weight": [0.15, 0.2],
    "block_penalty": [0.0, 0.1],
    "single_part_factor": [1.0, 0.85, 0.7],
    "generic_only_factor": [1.0, 0.7],
    "near_miss_credit": [0.0, 0.5, 1.0],
}
QUICK_GRID: dict[str, list[float]] = {
    "single_part_factor": [1.0, 0.7],
    "near_miss_credit": [0.0, 0.5],
}


def half(row: dict[str, str]) -> str:
    """``A`` or ``B``: a fixed split by hash of the row's identity, blind to the label."""
    key = "|".join((row["case_group"], row["schema"], row["name1"], row["name2"]))
    return "A" if hashlib.sha1(key.encode("utf-8")).digest()[0] % 2 == 0 else "B"


def f1(scores: list[tuple[bool, float]], threshold: float) -> float:
    tp = sum(1 for truth, s in scores if truth and s >= threshold)
    fp = sum(1 for truth, s in scores if not truth and s >= threshold)
    fn = sum(1 for truth, s in scores if truth and s < threshold)
    if tp == 0:
        return 0.0
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return 2 * precision * recall / (precision + recall)


def score_rows(rows: list[dict[str, str]], config: MatchConfig) -> list[float]:
    return [compare_names(r["name1"], r["name2"], r["schema"], config).score for r in rows]


def evaluate_grid(rows: list[dict[str, str]], grid: dict[str, list[float]]
                  ) -> list[tuple[dict[str, float], list[float]]]:
    """Scores of every row under every setting of the grid (computed once, reused)."""
    names = list(grid)
    out = []
    for values in itertools.product(*(grid[n] for n in names)):
        params = dict(zip(names, values, strict=True))
        out.append((params, score_rows(rows, replace(MatchConfig(), **params))))
    return out


def tune(rows: list[dict[str, str]], results: list[tuple[dict[str, float], list[float]]],
         train: str) -> dict[str, Any]:
    """Best setting and threshold on half ``train``; its F1 on the other half."""
    test = "B" if train == "A" else "A"
    halves = [half(r) for r in rows]
    truth = [r["is_match"].strip().lower() == "true" for r in rows]
    best: dict[str, Any] | None = None
    for params, scores in results:
        on_train = [(t, s) for t, s, h in zip(truth, scores, halves, strict=True) if h == train]
        on_test = [(t, s) for t, s, h in zip(truth, scores, halves, strict=True) if h == test]
        threshold = max(THRESHOLDS, key=lambda th: (f1(on_train, th), -abs(th - 0.7)))
        result = {"params": params, "threshold": threshold,
                  "f1_train": round(f1(on_train, threshold), 4),
                  "f1_test": round(f1(on_test, threshold), 4)}
        if best is None or result["f1_train"] > best["f1_train"]:
            best = result
    assert best is not None
    return {"train": train, "test": test, **best}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    with args.cases.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    grid = QUICK_GRID if args.quick else GRID
    started = time.perf_counter()
    results = evaluate_grid(rows, grid)
    runs = [tune(rows, results, "A"), tune(rows, results, "B")]
    out = {
        "cases": ("../" + str(args.cases.resolve().relative_to(ROOT.parent))
                  if args.cases.resolve().is_relative_to(ROOT.parent) else str(args.cases)),
        "rows": len(rows),
        "rows_per_half": {h: sum(1 for r in rows if half(r) == h) for h in "AB"},
        "grid": grid,
        "runs": runs,
        "defaults_before_tuning": asdict(MatchConfig()),
        "seconds": round(time.perf_counter() - started, 1),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    for run in runs:
        print(f"tuned on {run['train']}: {run['params']} threshold {run['threshold']} "
              f"F1 {run['f1_train']} (train) / {run['f1_test']} (held out {run['test']})")


if __name__ == "__main__":
    main()
