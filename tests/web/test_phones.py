"""Seized phones in the browser: the Phones view ranks the numbers found on most phones,
with the names they were saved under, and opens the devices holding one (issue 17)."""

from __future__ import annotations

import re
from typing import Any

from test_workbench import log_in
from web_harness import ARRIVALS

RAW_ID = re.compile(r"\b[0-9a-f]{40}\b")
SELLER = "+905324172290"


def test_phones_view_ranks_and_opens_devices(base_url: str, offline: Any,
                                             screenshot: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    page.get_by_test_id("nav-phones").click()
    rows = page.get_by_test_id("phones-row")
    rows.first.wait_for(timeout=20_000)
    first = rows.first.inner_text()
    assert SELLER in first and str(ARRIVALS + 1) in first
    assert "Boxer" in first and "Bhai engines" in first
    assert f"{ARRIVALS + 1} of {ARRIVALS + 1}" in first  # called before every seizure
    assert not RAW_ID.search(page.get_by_test_id("phones-result").inner_text())
    screenshot(page, "phones.png")
    rows.first.get_by_test_id("phones-open").click()
    devices = page.get_by_test_id("phones-devices-table").locator("tbody tr")
    devices.first.wait_for(timeout=20_000)
    assert devices.count() == ARRIVALS + 1
    assert "2024-05-20" in page.get_by_test_id("phones-devices").inner_text()

    page.get_by_test_id("phones-min").select_option("10")
    page.get_by_test_id("phones-empty").wait_for(timeout=20_000)
    assert "min=10" in page.url


def test_another_agency_sees_no_ranking(base_url: str, offline: Any) -> None:
    page = offline().page
    log_in(page, base_url, "bruno")
    page.get_by_test_id("nav-phones").click()
    page.get_by_test_id("phones-empty").wait_for(timeout=20_000)
    assert SELLER not in page.get_by_test_id("phones-result").inner_text()
