"""Name matching: Pinchpoint's matcher against nomenklatura's logic-v2, on two test sets.

1. The nomenklatura name benchmark (``../shared/data/names/name_bench_cases.csv``, 826
   labelled pairs of persons, companies, organisations and vessels in six groups).
2. Pinchpoint's own cross-script set (``benchmarks/data/crossscript_pairs.csv``, 640
   pairs of Kurdish, Arabic, Pashto and Dari names: Latin against Arabic script, spelling
   variants, and hard negatives such as father/son swaps; see benchmarks/data/README.md).

Both matchers see exactly the same pairs. logic-v2 runs the way nomenklatura's own
``contrib/name_bench`` harness runs it: two FtM ``ValueEntity`` objects of the case's
schema with only the ``name`` property, scored by ``LogicV2.compare`` with its default
configuration, at its published threshold 0.7. Its best threshold on each set is also
reported (an optimistic figure for logic-v2: chosen on the test data itself).

Ours runs with the shipped ``MatchConfig`` (constants tuned on half A of the benchmark by
``benchmarks/tune_names.py``); per-half figures show the held-out half B separately.
The ablation "ours, no variant table" switches off the shipped known-variant table.

    .venv/bin/python benchmarks/name_bench.py
    .venv/bin/python benchmarks/name_bench.py --no-baseline     # ours only

Results go to benchmarks/results/name_bench.json.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import json
import platform
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from importlib import metadata
from pathlib import Path
from typing import Any

from pinchpoint.resolve.names import DEFAULT_CONFIG, MatchConfig, compare_names
from pinchpoint.resolve.names.similarity import word_symbols

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "data" / "names" / "name_bench_cases.csv"
CROSS = ROOT / "benchmarks" / "data" / "crossscript_pairs.csv"
OUTPUT = ROOT / "benchmarks" / "results" / "name_bench.json"
LOGIC_V2_THRESHOLD = 0.7
TARGETS = {"bench_overall": 0.90, "bench_synth_people": 0.85, "crossscript_overall": 0.90}

Row = dict[str, str]
Scorer = Callable[[str, str, str], float]


def load(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def half(row: Row) -> str:
    """The tuning half of a row (same rule as benchmarks/tune_names.py)."""
    key = "|".join((row["case_group"], row["schema"], row["name1"], row["name2"]))
    return "A" if hashlib.sha1(key.encode("utf-8")).digest()[0] % 2 == 0 else "B"


def metrics(truth: list[bool], scores: list[float], threshold: float) -> dict[str, Any]:
    tp = sum(1 for t, s in zip(truth, scores, strict=True) if t and s >= threshold)
    fp = sum(1 for t, s in zip(truth, scores, strict=True) if not t and s >= threshold)
    fn = sum(1 for t, s in zip(truth, scores, strict=True) if t and s < threshold)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    tn = len(truth) - tp - fp - fn
    accuracy = (tp + tn) / len(truth) if truth else 0.0
    return {"n": len(truth), "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "accuracy": round(accuracy, 4)}


def best_threshold(truth: list[bool], scores: list[float]) -> float:
    candidates = [round(0.3 + 0.01 * i, 2) for i in range(66)]
    return max(candidates, key=lambda th: metrics(truth, scores, th)["f1"])


def ours(config: MatchConfig) -> Scorer:
    def score(name1: str, name2: str, schema: str) -> float:
        return compare_names(name1, name2, schema, config).score
    return score


def logic_v2() -> Scorer | None:
    """nomenklatura's logic-v2 on two one-name FtM entities, or None if not installed."""
    try:
        from followthemoney import ValueEntity, model
        from nomenklatura.matching.logic_v2.model import LogicV2
    except ImportError:
        return None
    config = LogicV2.default_config()
    counter = itertools.count()

    def score(name1: str, name2: str, schema: str) -> float:
        schema_obj = model.get(schema)
        if schema_obj is None:
            return 0.0
        # Fresh ids per pair: nomenklatura caches per entity id, so reused ids would
        # return the first pair's score for every later pair.
        left = ValueEntity(schema_obj, {"id": f"q{next(counter)}"})
        left.add("name", name1)
        right = ValueEntity(schema_obj, {"id": f"r{next(counter)}"})
        right.add("name", name2)
        return float(LogicV2.compare(left, right, config).score)
    return score


def run(rows: list[Row], scorer: Scorer) -> tuple[list[float], float]:
    """Scores and wall seconds; one-time data loading happens before the clock starts."""
    word_symbols("warm-up")  # rigour's name database (both matchers use it): ~7 s once
    scorer(rows[0]["name1"], rows[0]["name2"], rows[0]["schema"])
    started = time.perf_counter()
    scores = [scorer(r["name1"], r["name2"], r["schema"]) for r in rows]
    return scores, time.perf_counter() - started


def report(rows: list[Row], scores: list[float], seconds: float | None, threshold: float,
           slices: dict[str, Callable[[Row], str]]) -> dict[str, Any]:
    """Overall and sliced metrics for one matcher on one set (``seconds`` None: untimed).

    For slices that hold only non-matches, precision and recall are 0 by definition;
    read ``accuracy`` (the share of pairs called correctly) there.
    """
    truth = [r["is_match"].strip().lower() == "true" for r in rows]
    out: dict[str, Any] = {"threshold": threshold, "overall": metrics(truth, scores, threshold)}
    if seconds:
        out["seconds"] = round(seconds, 3)
        out["pairs_per_second"] = round(len(rows) / seconds, 1)
    for name, key in slices.items():
        groups: dict[str, list[int]] = {}
        for index, row in enumerate(rows):
            groups.setdefault(key(row), []).append(index)
        out[name] = {
            label: metrics([truth[i] for i in idx], [scores[i] for i in idx], threshold)
            for label, idx in sorted(groups.items())
        }
    best = best_threshold(truth, scores)
    out["best_threshold"] = {"threshold": best, **metrics(truth, scores, best)}
    return out


def errors(rows: list[Row], scores: list[float], threshold: float, limit: int = 25
           ) -> list[dict[str, Any]]:
    """The worst misclassified pairs (for reading, not for tuning)."""
    wrong = []
    for row, score in zip(rows, scores, strict=True):
        truth = row["is_match"].strip().lower() == "true"
        if truth != (score >= threshold):
            wrong.append({"group": row["case_group"], "name1": row["name1"],
                          "name2": row["name2"], "is_match": truth, "score": round(score, 4),
                          "miss": abs(score - threshold)})
    wrong.sort(key=lambda w: -w["miss"])
    return [{k: v for k, v in w.items() if k != "miss"} for w in wrong[:limit]]


def evaluate(rows: list[Row], baseline: Scorer | None, slices: dict[str, Callable[[Row], str]]
             ) -> dict[str, Any]:
    scores, seconds = run(rows, ours(DEFAULT_CONFIG))
    # Untimed: the second run reuses the first one's caches.
    no_variants, _ = run(rows, ours(replace(DEFAULT_CONFIG, use_variants=False)))
    out: dict[str, Any] = {
        "pairs": len(rows),
        "positives": sum(r["is_match"].strip().lower() == "true" for r in rows),
        "ours": report(rows, scores, seconds, DEFAULT_CONFIG.threshold, slices),
        "ours_no_variant_table": report(rows, no_variants, None, DEFAULT_CONFIG.threshold,
                                        slices),
        "ours_errors": errors(rows, scores, DEFAULT_CONFIG.threshold),
    }
    if baseline is not None:
        lv2, lv2_seconds = run(rows, baseline)
        out["logic_v2"] = report(rows, lv2, lv2_seconds, LOGIC_V2_THRESHOLD, slices)
    return out


def _shown(path: Path) -> str:
    """A path as the project sees it (``../shared/...``, ``benchmarks/...``)."""
    resolved = path.resolve()
    if resolved.is_relative_to(ROOT):
        return str(resolved.relative_to(ROOT))
    if resolved.is_relative_to(ROOT.parent):
        return "../" + str(resolved.relative_to(ROOT.parent))
    return str(path)


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _commit() -> str | None:
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip()


def _print(name: str, result: dict[str, Any]) -> None:
    for who in ("ours", "logic_v2"):
        if who not in result:
            continue
        r = result[who]
        o = r["overall"]
        print(f"{name:12} {who:9} F1 {o['f1']:.3f} (P {o['precision']:.3f} R {o['recall']:.3f})"
              f" at {r['threshold']}; {r.get('pairs_per_second')} pairs/s")
        for label, m in r.get("group", {}).items():
            print(f"{'':12} {'':9}   {label:18} F1 {m['f1']:.3f} P {m['precision']:.3f} "
                  f"R {m['recall']:.3f} accuracy {m['accuracy']:.3f} (n={m['n']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=BENCH)
    parser.add_argument("--crossscript", type=Path, default=CROSS)
    parser.add_argument("--no-baseline", action="store_true", help="skip logic-v2")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    baseline = None if args.no_baseline else logic_v2()
    bench_rows, cross_rows = load(args.bench), load(args.crossscript)
    bench = evaluate(bench_rows, baseline, {"group": lambda r: r["case_group"],
                                            "tuning_half": half})
    cross = evaluate(cross_rows, baseline, {"group": lambda r: r["case_group"],
                                            "language": lambda r: r["category"]})
    ours_bench = bench["ours"]
    achieved = {
        "bench_overall": ours_bench["overall"]["f1"],
        "bench_synth_people": ours_bench["group"].get("synth_people", {}).get("f1"),
        "crossscript_overall": cross["ours"]["overall"]["f1"],
    }
    result = {
        "bench_file": _shown(args.bench),
        "crossscript_file": _shown(args.crossscript),
        "config": asdict(DEFAULT_CONFIG),
        "targets": TARGETS,
        "achieved": achieved,
        "targets_met": {k: (achieved[k] or 0) >= v for k, v in TARGETS.items()},
        "logic_v2_available": baseline is not None,
        "name_bench": bench,
        "crossscript": cross,
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "nomenklatura": _version("nomenklatura"), "rigour": _version("rigour"),
                    "followthemoney": _version("followthemoney")},
        "commit": _commit(),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                           encoding="utf-8")
    _print("name_bench", bench)
    _print("crossscript", cross)
    print(f"targets met: {result['targets_met']}")


if __name__ == "__main__":
    main()
