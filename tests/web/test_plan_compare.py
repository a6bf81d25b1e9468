"""The disruption planner compares (issue 19, item 4), as nadia (NCA) in Chromium at
1280x800: one "Plan disruption" draws every ticked strategy's removal curve and random
arrests (their mean, and the band from lowest to highest) on one full-width chart over
the canvas, each strategy in plain words with its technical name beside; the chart, its
legend and the chosen plan's targets are in view without scrolling; the chart says what
it shows to a screen reader and gives its numbers as a table; no victim or witness is a
target; the analyst's own targets are drawn against the strategies at the same k.
"""

from __future__ import annotations

import re
from typing import Any

from test_network_fixes import HUB, _api, _open_network
from test_workbench import log_in
from web_harness import VIEWPORT

WORDS = {
    "betweenness": "Brokers first (betweenness)",
    "degree": "Most connected first (degree)",
    "katz": "Influence (Katz)",
    "ci": "Collective influence (CI)",
    "pagerank": "Importance (PageRank)",
    "kpp": "Fragmenting set (KPP)",
}
K = 10  # the default


def _in_view(page: Any, testid: str) -> None:
    """`testid` lies inside the viewport, the page unscrolled, and is what is drawn at
    its centre (not hidden under something else)."""
    box = page.get_by_test_id(testid).bounding_box()
    assert box, testid
    assert box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORT["height"], (testid, box)
    assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORT["width"], (testid, box)
    assert page.evaluate("() => [window.scrollX, window.scrollY]") == [0, 0]
    on_top = page.evaluate(
        """([x, y, id]) => document.elementFromPoint(x, y)
             ?.closest(`[data-testid="${id}"]`) !== null""",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, testid])
    assert on_top, f"{testid} is covered"


def _legend(page: Any) -> dict[str, tuple[str, str]]:
    """The legend's lines by key: (the name shown, the value at the last arrest)."""
    items = page.get_by_test_id("curve-legend-item")
    return {items.nth(i).get_attribute("data-series"): (
        items.nth(i).inner_text(), items.nth(i).get_attribute("data-last") or "")
        for i in range(items.count())}


def _protected(page: Any, base: str) -> set[str]:
    found = _api(page, base, f"/api/entities/{HUB}/neighbourhood?hops=4").json()
    return {n["id"] for n in found["nodes"] if n["protected"]}


def test_strategies_and_random_arrests_on_one_chart(base_url: str, offline: Any,
                                                    screenshot: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    _open_network(page, base_url)
    strategy = page.get_by_test_id("plan-strategy")
    assert [o.strip() for o in strategy.locator("option").all_inner_texts()] == list(
        WORDS.values())
    strategy.select_option("betweenness")
    page.get_by_test_id("plan-k").fill(str(K))
    page.get_by_test_id("plan-button").click()
    chart = page.get_by_test_id("plan-compare-chart")
    chart.wait_for(timeout=30_000)
    screenshot(page, "plan-compare.png")

    # One chart: every strategy in plain words, random arrests' mean and band.
    legend = _legend(page)
    assert set(legend) == {*WORDS, "random", "band"}, legend
    for key, words in WORDS.items():
        assert words in legend[key][0]
    assert "Random arrests (baseline, mean of 20 runs)" in legend["random"][0]
    assert "lowest to highest" in legend["band"][0]
    assert page.locator("[data-testid=curve-legend-item].strong").get_attribute(
        "data-series") == "betweenness"  # the chosen plan, drawn thicker
    at_k = {key: float(last) for key, (_name, last) in legend.items() if last}
    assert at_k["random"] >= min(v for key, v in at_k.items() if key in WORDS)
    svg = chart.locator("svg.curve-svg")
    assert svg.locator("path").count() == len(WORDS) + 1  # six strategies, the mean
    assert svg.locator("polygon.curve-band").count() == 1
    texts = svg.locator("text.axis-label").all_text_contents()  # SVG: no innerText
    assert texts == ["arrests", "share of the network left connected"]

    # Accessible: a title and a description, and the numbers as a table.
    assert svg.get_attribute("role") == "img"
    assert svg.locator("title").first.text_content() == chart.locator(
        "figcaption").inner_text()
    assert "lower is more disruptive" in (svg.locator("desc").text_content() or "")
    table = chart.get_by_test_id("curve-table")
    assert not table.is_visible()  # folded in its <details>
    chart.locator("details.chart-data summary").click()
    assert table.locator("tbody tr").count() == K + 1
    heads = table.locator("thead th").all_inner_texts()
    assert heads[0] == "arrests" and WORDS["kpp"] in heads
    chart.locator("details.chart-data summary").click()

    # In view at 1280x800 without scrolling: the chart, the summary and the targets.
    for testid in ("plan-compare-chart", "plan-summary", "plan-targets"):
        _in_view(page, testid)
    summary = page.get_by_test_id("plan-summary").inner_text()
    assert "Brokers first (betweenness)" in summary and "largest connected part" in summary
    assert "random arrests leave" in summary
    targets = page.get_by_test_id("plan-targets").locator("li")
    assert targets.count() == K
    chosen = [targets.nth(i).get_attribute("data-id") for i in range(K)]
    assert not set(chosen) & _protected(page, base_url)
    listed = page.get_by_test_id("plan-targets").inner_text()
    assert not re.search(r"[0-9a-f]{40}", listed), listed  # names, not ids

    # Back to the network (the targets in red), and the results again.
    page.get_by_test_id("plan-close").click()
    assert not page.get_by_test_id("plan-results").is_visible()
    page.get_by_test_id("plan-show").click()
    assert page.get_by_test_id("plan-results").is_visible()
    page.keyboard.press("Escape")
    assert not page.get_by_test_id("plan-results").is_visible()


def test_fewer_strategies_and_my_own_targets(base_url: str, offline: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    _open_network(page, base_url)
    for key in ("katz", "ci", "pagerank", "kpp"):
        page.get_by_test_id(f"plan-compare-{key}").set_checked(False)
    page.get_by_test_id("plan-random-runs").fill("5")
    page.locator(f"[data-testid=network-node-item][data-id='{HUB}']").click()
    page.get_by_test_id("network-add-target").click()
    page.get_by_test_id("plan-use-targets").set_checked(True)
    page.get_by_test_id("plan-button").click()
    page.get_by_test_id("plan-compare-chart").wait_for(timeout=30_000)
    legend = _legend(page)
    assert set(legend) == {"analyst", "betweenness", "degree", "random", "band"}, legend
    assert "My selected targets" in legend["analyst"][0]
    assert "mean of 5 runs" in legend["random"][0]
    assert page.locator("[data-testid=curve-legend-item].strong").get_attribute(
        "data-series") == "analyst"
    targets = page.get_by_test_id("plan-targets").locator("li")
    assert targets.count() == 1 and targets.first.get_attribute("data-id") == HUB
    chart = page.get_by_test_id("plan-compare-chart")
    chart.locator("details.chart-data summary").click()
    assert chart.get_by_test_id("curve-table").locator("tbody tr").count() == 2  # k = 1
