"""The supply chain in the browser: the Supply view's hubs, plan and linked items, and
the chain drawn on the map from China to the French coast (issue 17). The world is the
API tests' one with the supply tests' small case held by NCA (`conftest.add_supply_case`)."""

from __future__ import annotations

import re
from typing import Any

from test_workbench import log_in

RAW_ID = re.compile(r"\b[0-9a-f]{40}\b")


def test_supply_view_hubs_plan_and_chains(base_url: str, offline: Any,
                                          screenshot: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    page.get_by_test_id("nav-supply").click()
    hub = page.get_by_test_id("supply-hub")
    hub.first.wait_for(timeout=20_000)
    assert "Marmara Trade GmbH" in hub.first.inner_text()
    steps = page.get_by_test_id("supply-plan-step")
    steps.first.wait_for(timeout=20_000)
    assert "Marmara Trade GmbH" in steps.first.inner_text()
    assert "1 of 2" in steps.first.inner_text()  # boats removed, of the boats named
    chains = page.get_by_test_id("supply-chain")
    chains.first.wait_for(timeout=20_000)
    engine = [t for t in chains.all_inner_texts() if "6BG-1234567" in t]
    assert engine and "purchase" in engine[0] and "storage" in engine[0]
    assert "Marmara Trade GmbH" in engine[0]
    assert "days" in page.get_by_test_id("supply-lead").inner_text()
    assert not RAW_ID.search(page.locator("main").inner_text())
    screenshot(page, "supply.png")


def test_the_chain_is_drawn_on_the_map(base_url: str, offline: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    page.get_by_test_id("nav-map").click()
    legs = page.get_by_test_id("map-supply-leg")
    legs.first.wait_for(timeout=20_000)
    drawn = " | ".join(legs.all_inner_texts())
    assert "Burgas port → lorry park, Fürstenauer Weg, Osnabrück" in drawn
    assert "Gravelines beach" in drawn
    assert "supply legs" in page.get_by_test_id("map-status").inner_text()


def test_another_agency_sees_no_supply(base_url: str, offline: Any) -> None:
    page = offline().page
    log_in(page, base_url, "bruno")
    page.get_by_test_id("nav-supply").click()
    page.get_by_test_id("supply-hubs-empty").wait_for(timeout=20_000)
    assert "Marmara" not in page.locator("main").inner_text()
