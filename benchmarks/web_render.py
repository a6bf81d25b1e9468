"""How fast the network view draws 2,000 nodes and 5,000 edges in headless Chromium.

The same measurement as tests/web/test_network_render.py, five times: Debian's Chromium
(software WebGL: --disable-gpu) opens the app's dev route
``#/network-bench?nodes=2000&edges=5000`` (a generated graph, no API call) in a fresh
context, and from navigation start (``performance.timeOrigin``) records

- ``ready_ms``: when the app stamps ``window.__pinchpoint.networkReadyAt`` (the first
  task after the frame that drew the first sigma render; ForceAtlas2 starts after it);
- ``interactive_ms``: when the main thread is next free after that stamp (a message
  posted at the stamp runs), i.e. when a mouse event would first be handled;

then checks the canvas answers the mouse (hovering a drawn node fires sigma's enterNode,
clicking it selects the node). Target: under 2,000 ms. The app is served by uvicorn on
127.0.0.1 over an empty workspace; every request elsewhere is blocked.

    .venv/bin/python benchmarks/web_render.py [--runs 5] [--nodes 2000] [--edges 5000]

Results go to benchmarks/results/web_render.json (``--output``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "web"))

import web_harness  # noqa: E402
from machine import basics, head_commit, src_changes, version  # noqa: E402

from pinchpoint.api.app import create_app  # noqa: E402
from pinchpoint.store import init_workspace  # noqa: E402

TARGET_MS = 2000.0


def stats(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 1), "min": round(min(values), 1),
            "max": round(max(values), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--edges", type=int, default=5000)
    parser.add_argument("--output", type=Path, default=HERE / "results" / "web_render.json")
    args = parser.parse_args()
    reason = web_harness.missing()
    if reason:
        raise SystemExit(f"cannot measure: {reason}")
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()
    started = time.perf_counter()
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="pinchpoint-web-render-") as tmp:
        workspace = init_workspace(Path(tmp) / "ws", agency="NCA")
        with web_harness.serve(create_app(workspace.path)) as base, \
                sync_playwright() as playwright:
            browser = web_harness.launch(playwright)
            try:
                chromium = web_harness.chromium_version(browser)
                for i in range(args.runs):
                    run = web_harness.measure_bench(browser, base, args.nodes, args.edges)
                    runs.append({"run": i + 1, **run})
                    print(f"run {i + 1}: ready {run['ready_ms']:.0f} ms, interactive "
                          f"{run['interactive_ms']:.0f} ms, hover answered in "
                          f"{run['interaction']['hover_ms']:.0f} ms", flush=True)
            finally:
                browser.close()
    ready = [r["ready_ms"] for r in runs]
    interactive = [r["interactive_ms"] for r in runs]
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": basics(), "chromium": chromium, "playwright": version("playwright"),
        "commit": head_commit(), "src_changes": src_changes(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "route": f"#/network-bench?nodes={args.nodes}&edges={args.edges}&seed=1",
        "chromium_args": web_harness.CHROMIUM_ARGS, "viewport": web_harness.VIEWPORT,
        "nodes": args.nodes, "edges": args.edges, "target_ms": TARGET_MS,
        "ready_ms": stats(ready), "interactive_ms": stats(interactive),
        "median_under_target": statistics.median(interactive) < TARGET_MS,
        "wall_s": round(time.perf_counter() - started, 1),
        "runs": runs,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=2))


if __name__ == "__main__":
    main()
