"""The network view renders 2,000 nodes and 5,000 edges and is interactive within 2 s
of navigation start in headless Chromium (software WebGL), best of three tries because
the machine is shared. `benchmarks/web_render.py` runs the same measurement five times."""

from __future__ import annotations

from typing import Any

from web_harness import measure_bench

BUDGET_MS = 2000.0
TRIES = 3


def test_network_2000_nodes_5000_edges_interactive_in_2s(base_url: str, browser: Any) -> None:
    runs = []
    for _ in range(TRIES):
        run = measure_bench(browser, base_url, 2000, 5000)
        assert not run["blocked"], run["blocked"]
        assert not run["errors"], run["errors"]
        assert (run["nodes"], run["edges"]) == (2000, 5000)
        # The canvas answers the mouse: sigma's enterNode, then clickNode selects it.
        assert run["interaction"]["label"].startswith("Node ")
        assert run["interaction"]["hover_ms"] < 500
        runs.append(run)
        if run["interactive_ms"] < BUDGET_MS:
            break
    best = min(runs, key=lambda r: r["interactive_ms"])
    summary = [(r["ready_ms"], r["interactive_ms"]) for r in runs]
    assert best["ready_ms"] <= best["interactive_ms"]
    assert best["ready_ms"] < BUDGET_MS, f"ready, interactive (ms) per try: {summary}"
    assert best["interactive_ms"] < BUDGET_MS, f"ready, interactive (ms) per try: {summary}"
