"""Exports (issue 19, "what an analyst reaches for" 6), as nadia (NCA) in Chromium: the
timeline's CSV holds every event of the filter shown (all pages, made on the server), the
search results' CSV the results shown, the disruption plan's CSV its targets in order;
the plan's chart and the dashboard's charts download as SVG and PNG, and so does the
network as drawn. Each file is a disclosure in the audit log with the purpose typed at
the top, and a file whose record fails is not saved.

Each export is saved through a Blob; an init script keeps each Blob's type as the page
makes its object URL, so the test reads the content type the file was saved with."""

from __future__ import annotations

import csv
import io
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from api_world import PASSWORD
from test_network_fixes import _open_network
from test_workbench import PURPOSE, log_in

SVG = "{http://www.w3.org/2000/svg}"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
KEEP_TYPES = """
  window.__blobTypes = [];
  const made = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (blob) => { window.__blobTypes.push(blob.type); return made(blob); };
"""


def _page(offline: Any) -> Any:
    page = offline().page
    page.add_init_script(KEEP_TYPES)
    return page


def _disclosures(page: Any, base: str) -> list[dict[str, Any]]:
    """NCA's disclosures in the audit log, as its auditor reads them."""
    token = page.request.post(f"{base}/api/login",
                              data={"username": "aud", "password": PASSWORD}).json()["token"]
    entries: list[dict[str, Any]] = page.request.get(
        f"{base}/api/audit?action=disclosure&limit=10000",
        headers={"Authorization": f"Bearer {token}", "X-Purpose": "web test: exports"}).json()
    return entries


def _save(page: Any, testid: str, within: Any = None) -> tuple[str, bytes, str]:
    """Click an export button; the file's name, bytes and the type it was saved with."""
    button = (within or page).get_by_test_id(testid)
    with page.expect_download(timeout=30_000) as download:
        button.click()
    path = download.value.path()
    kind = page.evaluate("() => window.__blobTypes[window.__blobTypes.length - 1]")
    return download.value.suggested_filename, Path(path).read_bytes(), kind


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def _recorded(page: Any, base: str, before: int, what: str) -> dict[str, Any]:
    """The one disclosure written since `before` entries: nadia's, `what`, her purpose."""
    new = _disclosures(page, base)[before:]
    assert [e["what"] for e in new] == [what], new
    entry = new[0]
    assert entry["user"] == "nadia" and entry["why"] == PURPOSE, entry
    assert entry["recipients"] == ["download by nadia"]
    return entry


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC, data[:16]
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_timeline_csv_is_every_page_of_the_filter(base_url: str, offline: Any) -> None:
    page = _page(offline)
    log_in(page, base_url, "nadia")
    page.goto(f"{base_url}/#/timeline?since=2000-01-01&limit=10")
    count = page.get_by_test_id("timeline-count")
    page.wait_for_function("() => document.querySelector('[data-testid=timeline-count]')"
                           "?.dataset.total !== undefined", timeout=20_000)
    shown, total = int(count.get_attribute("data-shown")), int(count.get_attribute("data-total"))
    assert shown == 10 < total, (shown, total)
    before = len(_disclosures(page, base_url))
    name, data, kind = _save(page, "timeline-download")
    assert name == "timeline.csv" and kind.startswith("text/csv"), (name, kind)
    rows = _rows(data)
    assert len(rows) == total and {"Payment", "Call"} <= {r["Kind"] for r in rows}
    shown_ids = page.get_by_test_id("timeline-item").evaluate_all(
        "items => items.map(i => i.dataset.id)")
    assert [r["Id"] for r in rows[:shown]] == shown_ids
    entry = _recorded(page, base_url, before, "exported timeline as csv")
    assert entry["detail"]["rows"] == total
    assert entry["detail"]["arguments"] == {"since": "2000-01-01"}
    assert "recorded in the audit log" in page.get_by_test_id(
        "timeline-download-status").inner_text()


def test_search_results_csv(base_url: str, offline: Any) -> None:
    page = _page(offline)
    log_in(page, base_url, "nadia")
    page.get_by_test_id("search-input").fill("Rebin")
    results = page.get_by_test_id("search-result")
    results.first.wait_for(timeout=20_000)
    page.get_by_test_id("search-download").wait_for()
    ids = [r.get_attribute("data-id") for r in results.all()]
    before = len(_disclosures(page, base_url))
    name, data, kind = _save(page, "search-download")
    assert name == "search-results.csv" and kind.startswith("text/csv")
    rows = _rows(data)
    assert [r["Id"] for r in rows] == ids
    assert [r["Rank"] for r in rows] == [str(i) for i in range(1, len(ids) + 1)]
    assert any("Rebin" in r["Name"] for r in rows)
    entry = _recorded(page, base_url, before, 'exported search results for "Rebin" as csv')
    assert entry["detail"] == {"format": "csv", "rows": len(ids), "file": "search-results.csv"}


def test_key_people_csv_is_recorded(base_url: str, offline: Any) -> None:
    page = _page(offline)
    log_in(page, base_url, "nadia")
    page.get_by_test_id("nav-people").click()
    rows = page.get_by_test_id("people-row")
    rows.first.wait_for(timeout=30_000)
    before = len(_disclosures(page, base_url))
    name, data, kind = _save(page, "people-download")
    assert name == "key-people.csv" and kind.startswith("text/csv")
    assert len(_rows(data)) == rows.count()
    entry = _recorded(page, base_url, before, "exported key people as csv")
    assert entry["detail"]["rows"] == rows.count()


def test_plan_targets_and_chart(base_url: str, offline: Any) -> None:
    page = _page(offline)
    log_in(page, base_url, "nadia")
    _open_network(page, base_url)
    page.get_by_test_id("plan-k").fill("5")
    page.get_by_test_id("plan-button").click()
    results = page.get_by_test_id("plan-results")
    results.get_by_test_id("plan-compare-chart").wait_for(timeout=30_000)
    targets = [li.get_attribute("data-id") for li in
               page.get_by_test_id("plan-targets").locator("li").all()]
    assert len(targets) == 5

    before = len(_disclosures(page, base_url))
    name, data, kind = _save(page, "plan-targets-download")
    assert name == "disruption-plan-targets.csv" and kind.startswith("text/csv")
    rows = _rows(data)
    assert [r["Id"] for r in rows] == targets and [r["Order"] for r in rows] == list("12345")
    assert all(r["Name"] and not re.fullmatch(r"[0-9a-f]{40}", r["Name"]) for r in rows)
    assert all(0 <= float(r["Share left connected after"]) <= 1 for r in rows)
    strategy = page.get_by_test_id("plan-strategy").locator("option:checked").inner_text()
    _recorded(page, base_url, before, f"exported disruption plan targets ({strategy}) as csv")

    # The chart as SVG: its title, its lines, its legend; as PNG, twice its size.
    before += 1
    name, data, kind = _save(page, "chart-export-svg", results)
    assert name == "share-of-the-network-left-connected-after-each-arrest.svg"
    assert kind == "image/svg+xml"
    root = ET.fromstring(data)
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "Share of the network left connected after each arrest" in texts
    assert any("Brokers first (betweenness)" in t for t in texts)  # the legend
    assert len(list(root.iter(f"{SVG}path"))) >= 2  # the curves
    _recorded(page, base_url, before,
              "exported chart: Share of the network left connected after each arrest as svg")
    before += 1
    name, data, kind = _save(page, "chart-export-png", results)
    assert name.endswith(".png") and kind == "image/png"
    width, height = _png_size(data)
    assert width == 2 * int(float(root.get("width") or 0)) and height > 300
    _recorded(page, base_url, before,
              "exported chart: Share of the network left connected after each arrest as png")


def test_network_as_svg_and_png(base_url: str, offline: Any) -> None:
    page = _page(offline)
    log_in(page, base_url, "nadia")
    _open_network(page, base_url)
    page.get_by_test_id("network-export-svg").wait_for()
    before = len(_disclosures(page, base_url))
    name, data, kind = _save(page, "network-export-svg")
    assert name == "network.svg" and kind == "image/svg+xml"
    root = ET.fromstring(data)
    nodes = list(root.iter(f"{SVG}circle"))
    assert len(nodes) > 5 and all(n.get("fill", "").startswith("#") or "rgb" in n.get(
        "fill", "") for n in nodes)
    assert len(list(root.iter(f"{SVG}line"))) > len(nodes) / 2  # links and legend swatches
    labels = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert any("Rebin" in t for t in labels), labels[:20]
    assert not any(re.fullmatch(r"[0-9a-f]{40}", t) for t in labels)
    _recorded(page, base_url, before, "exported network as svg")
    name, data, kind = _save(page, "network-export-png")
    assert name == "network.png" and kind == "image/png"
    canvas = page.get_by_test_id("network-canvas").bounding_box()
    width, _height = _png_size(data)
    assert abs(width - 2 * canvas["width"]) <= 4, (width, canvas)
    _recorded(page, base_url, before + 1, "exported network as png")


def test_dashboard_charts_as_svg_and_png(base_url: str, offline: Any) -> None:
    page = _page(offline)
    log_in(page, base_url, "nadia")
    page.get_by_test_id("nav-dashboard").click()
    chart = page.get_by_test_id("trend-payments")
    chart.wait_for(timeout=20_000)
    assert page.get_by_test_id("chart-export").count() == page.locator("figure.chart").count()
    title = chart.locator("figcaption").evaluate("c => c.firstChild.textContent.trim()")
    before = len(_disclosures(page, base_url))
    name, data, kind = _save(page, "chart-export-svg", chart)
    assert name.startswith("payments-per-month") and kind == "image/svg+xml"
    root = ET.fromstring(data)
    assert title in [t.text for t in root.iter(f"{SVG}text")]
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") != "#ffffff"]
    assert bars, "no bars"
    # The style sheet's colours are written in: the file looks the same on its own.
    assert any("fill" in (r.get("style") or "") for r in bars)
    _recorded(page, base_url, before, f"exported chart: {title} as svg")
    name, data, kind = _save(page, "chart-export-png", chart)
    assert kind == "image/png" and _png_size(data)[0] > 500
    _recorded(page, base_url, before + 1, f"exported chart: {title} as png")


def test_a_failed_record_saves_nothing(base_url: str, offline: Any) -> None:
    page = _page(offline)
    log_in(page, base_url, "nadia")
    page.get_by_test_id("search-input").fill("Rebin")
    page.get_by_test_id("search-download").wait_for(timeout=20_000)
    page.route("**/api/exports", lambda route: route.fulfill(
        status=503, content_type="application/json",
        body='{"detail": "the audit log cannot be written"}'))
    saved: list[Any] = []
    page.on("download", lambda download: saved.append(download))
    before = len(_disclosures(page, base_url))
    page.get_by_test_id("search-download").click()
    status = page.get_by_test_id("search-download-status")
    page.wait_for_function("() => document.querySelector("
                           "'[data-testid=search-download-status]').textContent.length > 0")
    assert "Not saved" in status.inner_text() and "audit log" in status.inner_text()
    page.wait_for_timeout(500)
    assert saved == [] and len(_disclosures(page, base_url)) == before
