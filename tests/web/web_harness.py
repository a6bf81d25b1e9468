"""What the browser tests and `benchmarks/web_render.py` share: where Chromium and the
built web app are, how to serve an app on a free local port, how to launch Chromium, and a
page that may reach nothing but 127.0.0.1 (the workbench must work offline)."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
WEB_DIST = ROOT / "src" / "pinchpoint" / "web" / "dist"
README_SCREENSHOTS = ROOT / "docs" / "screenshots"  # written by `make screenshots` only
VIEWPORT = {"width": 1280, "height": 800}
ARRIVALS = 3  # arrivals' phones the web world adds beside the example's (conftest)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
LOCAL_HOSTS = {"127.0.0.1"}


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (the Makefile installs Debian's chromium)"
    if not (WEB_DIST / "index.html").exists():
        return f"the web app is not built ({WEB_DIST}/index.html missing; run `make web`)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(app: Any, timeout: float = 30.0) -> Iterator[str]:
    """Run `app` with uvicorn in a background thread on 127.0.0.1; yield its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, name="pinchpoint-web-test", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(base + "/", timeout=2) as response:
                if response.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            raise RuntimeError(f"the app did not answer on {base} within {timeout} s")
        time.sleep(0.05)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


class OfflinePage:
    """A page in a fresh context whose every request to a host other than 127.0.0.1 is
    aborted and remembered (`blocked`), and whose /api/ JSON answers are kept
    (`api_bodies`: (url, status, text))."""

    def __init__(self, browser: Any, capture_api: bool = False) -> None:
        self.context = browser.new_context(viewport=VIEWPORT)
        self.page = self.context.new_page()
        self.blocked: list[str] = []
        self.api_bodies: list[tuple[str, int, str]] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        # What the app's Content-Security-Policy blocks is an error too (api/headers.py).
        self.page.on("console", lambda message: self.errors.append(message.text)
                     if "Content Security Policy" in message.text else None)
        if capture_api:
            self.page.on("response", self._response)

    def _route(self, route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def _response(self, response: Any) -> None:
        if "/api/" not in urlsplit(response.url).path:
            return
        try:
            text = response.text()
        except Exception as exc:  # a body the browser dropped (navigation): keep the fact
            text = f"<unreadable: {exc}>"
        self.api_bodies.append((response.url, response.status, text))

    def close(self) -> None:
        self.context.close()


def chromium_version(browser: Any) -> str:
    return str(browser.version)


def screenshot_folder(default: Path) -> Path:
    """Where the browser tests save screenshots: $PINCHPOINT_SCREENSHOTS when set (`make
    screenshots` names docs/screenshots, the README's images), else `default`, a temporary
    folder, so running the tests never rewrites tracked files."""
    chosen = os.environ.get("PINCHPOINT_SCREENSHOTS")
    return Path(chosen).resolve() if chosen else default


def digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file in `folder`, by name: to tell whether a run rewrote one."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.glob("*")) if path.is_file()}


def screenshot(page: Any, path: Path) -> Path:
    """Save the viewport as `path` (overwritten each run)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    return path


# Where the nodes are: the browser decodes a screenshot of the sigma container and
# returns the centres of the most saturated blobs (node colours; edges are grey, labels
# dark, the stage white), biggest first, in page coordinates.
_FIND_NODES = """async ([dataUrl, left, top, scale]) => {
  const img = new Image();
  img.src = dataUrl;
  await img.decode();
  const c = document.createElement("canvas");
  c.width = img.width; c.height = img.height;
  const g = c.getContext("2d");
  g.drawImage(img, 0, 0);
  const {data, width, height} = g.getImageData(0, 0, c.width, c.height);
  const sat = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const r = data[4 * i], gr = data[4 * i + 1], b = data[4 * i + 2];
    sat[i] = Math.max(r, gr, b) - Math.min(r, gr, b) > 70 ? 1 : 0;
  }
  const R = 3, found = [];
  for (let y = R; y < height - R; y += 2) for (let x = R; x < width - R; x += 2) {
    if (!sat[y * width + x]) continue;
    let n = 0;
    for (let dy = -R; dy <= R; dy++)
      for (let dx = -R; dx <= R; dx++) n += sat[(y + dy) * width + x + dx];
    found.push([n, x, y]);
  }
  found.sort((a, b) => b[0] - a[0]);
  const picked = [];
  for (const [n, x, y] of found) {
    if (picked.length >= 30) break;
    if (picked.some(([px, py]) => Math.abs(px - x) < 12 && Math.abs(py - y) < 12)) continue;
    picked.push([x, y, n]);
  }
  return picked.map(([x, y, n]) => [left + x / scale, top + y / scale, n]);
}"""


def _drawn_nodes(page: Any, canvas: Any, box: dict[str, float], seconds: float = 10.0
                 ) -> list[list[float]]:
    """Where nodes are drawn on the canvas, looked for again until some are: on a busy
    machine WebGL may draw the next frame (after a layout stops, say) a few seconds late,
    and the layout may have moved the graph out of view (Fit brings it back); a node not
    yet drawn, or out of view, is not a node missing."""
    import base64

    scale = page.evaluate("window.devicePixelRatio") or 1
    for _ in range(max(1, int(seconds / 0.5))):
        png = canvas.screenshot()
        data_url = "data:image/png;base64," + base64.b64encode(png).decode()
        spots: list[list[float]] = page.evaluate(_FIND_NODES, [data_url, box["x"], box["y"],
                                                               scale])
        if spots:
            return spots
        fit = page.get_by_test_id("network-fit")  # the graph may have drifted out of view
        if fit.count():
            fit.click()
        page.wait_for_timeout(500)
    return []


def click_a_node(page: Any, attempts: int = 30) -> dict[str, Any]:
    """Hover the network canvas until sigma reports a node under the mouse (the app's
    `enterNode` handler sets the pointer cursor), then click it (`clickNode`: the app
    selects it). Returns where, the hover latency and the selected label."""
    canvas = page.get_by_test_id("network-canvas")
    box = canvas.bounding_box()
    assert box is not None, "the network canvas is not on the page"
    spots = _drawn_nodes(page, canvas, box)
    assert spots, "no node drawn on the network canvas"
    cursor = "() => document.querySelector('[data-testid=network-canvas]').style.cursor"
    for x, y, _n in spots[:attempts]:
        page.mouse.move(box["x"] + 2, box["y"] + 2)
        page.mouse.move(x, y)
        started = page.evaluate("performance.now()")
        try:
            page.wait_for_function(f"() => ({cursor})() === 'pointer'", timeout=300)
        except Exception:
            continue
        hovered_ms = page.evaluate("performance.now()") - started
        page.mouse.click(x, y)
        label = page.get_by_test_id("network-selected-label")
        label.wait_for(timeout=5000)
        return {"x": x, "y": y, "hover_ms": hovered_ms, "label": label.inner_text(),
                "tried": spots.index([x, y, _n]) + 1}
    raise AssertionError(f"no node reacted to the mouse at {len(spots[:attempts])} spots")


READY = "() => window.__pinchpoint && window.__pinchpoint.networkReadyAt !== null"

# Installed before the app's scripts: the app keeps an existing window.__pinchpoint, so
# this object's networkReadyAt setter sees the moment the app stamps "ready" and posts a
# message; the message runs as the first task after the one holding the stamp, that is
# when the main thread is next free to handle input (`freeAt`). Long tasks are kept too.
PROBE = """(() => {
  let ready = null;
  const probe = {nodes: 0, edges: 0, freeAt: null, longTasks: []};
  Object.defineProperty(probe, "networkReadyAt", {enumerable: true, get: () => ready, set: (v) => {
    ready = v;
    probe.freeAt = null;
    if (v !== null) {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { probe.freeAt = performance.now(); };
      channel.port2.postMessage(0);
    }
  }});
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        probe.longTasks.push([Math.round(e.startTime), Math.round(e.duration)]);
    }).observe({type: "longtask", buffered: true});
  } catch (e) { /* no long-task timing: freeAt still works */ }
  window.__pinchpoint = probe;
})();"""


def measure_bench(browser: Any, base: str, nodes: int = 2000, edges: int = 5000,
                  seed: int = 1) -> dict[str, Any]:
    """Open #/network-bench in a fresh page (cold cache); from navigation start, when
    the app stamps the network ready (`ready_ms`) and when the main thread is next free
    for input after that (`interactive_ms`); then check the canvas answers the mouse
    (hover a drawn node: sigma's enterNode; click it: the app selects it)."""
    offline = OfflinePage(browser)
    page = offline.page
    try:
        page.add_init_script(PROBE)
        page.goto(f"{base}/#/network-bench?nodes={nodes}&edges={edges}&seed={seed}")
        page.wait_for_function(
            "() => window.__pinchpoint && window.__pinchpoint.freeAt != null", timeout=30_000)
        probe = page.evaluate("() => ({...window.__pinchpoint})")
        navigation = page.evaluate(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " return n ? {dom_content_loaded_ms: n.domContentLoadedEventEnd,"
            " load_ms: n.loadEventEnd} : null; }")
        page.get_by_test_id("network-layout-toggle").click()  # stop ForceAtlas2: nodes hold still
        clicked = click_a_node(page)
        return {"ready_ms": round(probe["networkReadyAt"], 1),
                "interactive_ms": round(probe["freeAt"], 1),
                "view_ms": round(probe.get("networkReadyMs") or 0, 1),
                "nodes": probe["nodes"], "edges": probe["edges"],
                "long_tasks_before_interactive": [t for t in probe["longTasks"]
                                                  if t[0] < probe["freeAt"]],
                "navigation": navigation, "interaction": clicked,
                "blocked": list(offline.blocked), "errors": list(offline.errors)}
    finally:
        offline.close()


def strings(value: Any) -> list[str]:
    """Every string in a JSON document, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def leaks(text: str, facts: Any) -> list[str]:
    """What in one JSON answer is an NCA-only id, or holds an NCA-only value."""
    found = []
    for s in strings(json.loads(text)):
        if s in facts.hidden_ids:
            found.append(f"id {s}")
        found += [f"value {v!r} in {s[:80]!r}" for v in facts.hidden_values if v in s]
    return found
