"""The same workbench used by Border Force's analyst (bruno): nothing NCA holds, and does
not share with Border Force, reaches the browser. Checked three ways: in what the pages
show, in every /api/ JSON answer the browser received, and in the counts shown, which
must equal Border Force's own visible counts computed from the store."""

from __future__ import annotations

from typing import Any

from test_workbench import dashboard_counts, log_in
from web_harness import leaks

NCA_ONLY = ["Amanj Hassan Zada", "أمانج حسن زاده", "Zeeshan Banghis", "+9647501234567"]


def test_the_fixture_has_unshared_nca_data(facts: Any) -> None:
    """NCA grants nothing to Border Force, so there is something to leak."""
    assert facts.counts["nadia"].statements > facts.counts["bruno"].statements > 0
    assert "NCA" not in facts.counts["bruno"].by_owner
    assert facts.counts["nadia"].by_owner["NCA"][0] > 100
    assert len(facts.hidden_ids) > 100 and len(facts.hidden_values) > 20
    assert {"Amanj Hassan Zada", "+9647501234567"} <= facts.hidden_values


def test_other_agency_sees_nothing_unshared(base_url: str, offline: Any, facts: Any) -> None:
    session = offline(capture_api=True)
    page = session.page
    log_in(page, base_url, "bruno")
    assert page.get_by_test_id("user-agency").inner_text().strip() == "BORDER-FORCE"
    shown_text: list[str] = []

    # Counts: the status panel shows exactly what the store says bruno may see.
    panel = page.get_by_test_id("status-panel")
    panel.locator("dl.stats dt").first.wait_for()
    stats = dict(zip(panel.locator("dl.stats dt").all_inner_texts(),
                     panel.locator("dl.stats dd").all_inner_texts(),
                     strict=False))
    counts = facts.counts["bruno"]
    assert int(stats["Statements"].replace(",", "")) == counts.statements
    assert int(stats["Entities"].replace(",", "")) == counts.entities
    assert int(stats["Quarantined"].replace(",", "")) == counts.quarantined
    assert int(stats["Batches"].replace(",", "")) == counts.batches

    # Search: NCA-only names and numbers find nothing.
    search = page.get_by_test_id("search-input")
    for query in NCA_ONLY:
        search.fill(query)
        page.get_by_text(f"No results for “{query}” that you are entitled to see") \
            .wait_for(timeout=10_000)
        assert page.get_by_test_id("search-result").count() == 0, query
        # The empty state repeats the query; anything else from NCA is a leak.
        shown_text.append(page.inner_text("body").replace(f"“{query}”", "“…”"))

    # Opening NCA's entity by URL (its record id, and nadia's canonical id) is not found.
    for entity in facts.nca_person:
        page.goto(f"{base_url}/#/entity/{entity}")
        error = page.get_by_test_id("state-error")
        error.wait_for(timeout=10_000)
        assert "HTTP 404" in error.inner_text() and "Not found" in error.inner_text()
        assert page.get_by_test_id("entity-profile").count() == 0
        page.goto(f"{base_url}/#/network?id={entity}")
        page.locator("[data-testid=state-error], [data-testid=network-not-resolved]").first \
            .wait_for(timeout=10_000)
        assert page.get_by_test_id("network-node-item").count() == 0

    # Every other view.
    page.goto(f"{base_url}/#/network")
    page.locator("[data-testid=network-not-resolved], [data-testid=network-empty], "
                 "[data-testid=network-status]").first.wait_for(timeout=20_000)
    shown_text.append(page.inner_text("body"))
    page.get_by_test_id("nav-review").click()
    page.locator("[data-testid=review-item], [data-testid=review-empty], "
                 "[data-testid=state-error]").first.wait_for(timeout=20_000)
    shown_text.append(page.inner_text("body"))
    page.get_by_test_id("nav-map").click()
    page.wait_for_function(
        "() => /\\d+ places/.test(document.querySelector('[data-testid=map-status]')"
        "?.textContent ?? '')", timeout=20_000)
    shown_text.append(page.inner_text("body"))
    page.get_by_test_id("nav-timeline").click()
    page.locator("[data-testid=timeline-item], [data-testid=timeline-empty]").first \
        .wait_for(timeout=20_000)
    for item in page.get_by_test_id("timeline-item").all():
        assert item.get_attribute("data-id") not in facts.hidden_ids
    shown_text.append(page.inner_text("body"))
    page.get_by_test_id("nav-dashboard").click()
    page.get_by_test_id("dashboard-workspace").wait_for(timeout=20_000)
    assert dashboard_counts(page) == facts.figures["bruno"]
    assert dashboard_counts(page) != facts.figures["nadia"]
    shown_text.append(page.inner_text("body"))

    # What the pages showed.
    for text in shown_text:
        for value in facts.hidden_values:
            assert value not in text, f"NCA's value {value!r} is on bruno's page"

    # What the API answered: every JSON body the browser received.
    bodies = [(url, status, text) for url, status, text in session.api_bodies
              if text and not text.startswith("<unreadable")]
    assert len(bodies) >= 10, [url for url, _s, _t in session.api_bodies]
    assert any(url.endswith("/api/status") for url, _s, _t in bodies)
    found = {url: leaks(text, facts) for url, _status, text in bodies}
    assert not {url: f for url, f in found.items() if f}, "NCA's data reached bruno"
    statuses = {url.split("/api/")[1].split("?")[0]: status for url, status, _t in bodies}
    assert statuses.get(f"entities/{facts.nca_person[0]}") == 404
