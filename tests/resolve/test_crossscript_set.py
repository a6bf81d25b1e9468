"""The cross-script test set is what its README says: reproducible, large enough, balanced."""

from __future__ import annotations

import csv
import importlib.util
from collections import Counter
from pathlib import Path

BENCH_DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_crossscript",
                                                  BENCH_DATA / "make_crossscript.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_csv_is_the_seeded_output() -> None:
    generated = _generator().generate()
    with (BENCH_DATA / "crossscript_pairs.csv").open(encoding="utf-8", newline="") as handle:
        committed = list(csv.DictReader(handle))
    assert committed == generated


def test_size_balance_and_coverage() -> None:
    rows = _generator().generate()
    assert len(rows) >= 500
    labels = Counter(r["is_match"] for r in rows)
    assert labels["true"] == labels["false"]
    assert set(Counter(r["category"] for r in rows)) == {"kurdish", "arabic", "pashto", "dari"}
    assert {"father_son", "common_given", "confusable", "script"} <= {r["case_group"]
                                                                       for r in rows}
