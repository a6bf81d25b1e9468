"""The case's own threat picture in the browser (issue 19): the dashboard charts the
workspace's crossings, payments, seizures and new people per month, by route and by
nationality, with the partly covered months hatched and labelled "partial"; the map draws
the dated transit points and seizures of a month range, kept in the URL.

The web world: NCA sees the examples' crossings (April and May 2024, granted by Border
Force), its ledger and the supply case's two seizures (20 March 2025 at Gravelines beach,
2 April 2025 on the A16 near Calais); Border Force sees its crossings only."""

from __future__ import annotations

from typing import Any

from test_workbench import log_in

CHARTS = ("trend-crossings", "trend-payments", "trend-seizures", "trend-people",
          "trend-by-route", "trend-by-nationality")


def open_dashboard(page: Any) -> Any:
    page.get_by_test_id("nav-dashboard").click()
    trends = page.get_by_test_id("dashboard-trends")
    trends.wait_for(timeout=20_000)
    return trends


def test_trend_charts_mark_partial_months(base_url: str, offline: Any,
                                          screenshot: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    trends = open_dashboard(page)
    for testid in CHARTS:
        chart = trends.get_by_test_id(testid)
        assert chart.locator("svg rect").count() > 0, testid
    crossings = trends.get_by_test_id("trend-crossings")
    marks = crossings.get_by_test_id("trend-partial")
    assert marks.count() >= 2  # the first and the last month of the data
    periods = [marks.nth(i).get_attribute("data-period") for i in range(marks.count())]
    months = crossings.locator("table tbody tr")
    assert periods[0] == min(periods) and "partial" in (marks.first.text_content() or "")
    assert "partial" in (months.first.text_content() or "")
    assert "partial" in (months.last.text_content() or "")
    assert crossings.get_by_test_id("trend-partial-note").is_visible()
    summary = trends.get_by_test_id("trends-summary").inner_text()
    assert "5 crossings" in summary and "2 seizures" in summary and "Partial months" in summary
    assert "France → United Kingdom (3)" in trends.get_by_test_id("trend-by-route").inner_text()
    # the workspace's own counts and the national figures are still there
    page.get_by_test_id("dashboard-workspace").wait_for()
    trends.get_by_test_id("trend-crossings").scroll_into_view_if_needed()
    screenshot(page, "dashboard_trends.png")


def test_another_agency_sees_its_own_trends(base_url: str, offline: Any) -> None:
    page = offline().page
    log_in(page, base_url, "bruno")
    summary = open_dashboard(page).get_by_test_id("trends-summary").inner_text()
    assert "5 crossings" in summary and "0 payments" in summary and "0 seizures" in summary


def drawn(page: Any, period: str) -> dict[str, int]:
    """What the map drew, once it drew the `period` ("since/until")."""
    page.wait_for_function(
        "p => document.querySelector('[data-testid=map-status]')?.dataset.period === p",
        arg=period, timeout=20_000)
    status = page.get_by_test_id("map-status")
    return {k: int(status.get_attribute(f"data-{k}")) for k in ("transit", "seizures")}


def test_map_time_filter_changes_what_is_drawn(base_url: str, offline: Any,
                                               screenshot: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    page.get_by_test_id("nav-map").click()
    page.get_by_test_id("map-container").wait_for()
    whole = drawn(page, "/")
    assert whole["seizures"] == 2 and whole["transit"] >= 4
    assert "Gravelines beach" in page.get_by_test_id("map-transit").inner_text()

    page.get_by_test_id("map-since").fill("2025-03")
    page.get_by_test_id("map-until").fill("2025-03")
    march = drawn(page, "2025-03/2025-03")
    assert march["seizures"] == 1 and march["transit"] < whole["transit"]
    assert page.get_by_test_id("map-seizure").count() == 1
    assert "2025-03-20" in page.get_by_test_id("map-seizures").inner_text()
    assert "since=2025-03" in page.url and "until=2025-03" in page.url
    screenshot(page, "map_period.png")

    page.goto(f"{base_url}/#/map?since=2024-04&until=2024-05")  # the URL keeps the filter
    spring = drawn(page, "2024-04/2024-05")
    assert spring["seizures"] == 0 and spring["transit"] >= 3
    assert page.get_by_test_id("map-since").input_value() == "2024-04"
    assert "Wimereux" in page.get_by_test_id("map-transit").inner_text()

    page.get_by_test_id("map-period-clear").click()
    assert drawn(page, "/") == whole
    assert "since=" not in page.url
