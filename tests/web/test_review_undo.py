"""Undo on the review page (issue 19: "judgements are reversible", but the workbench had
no undo). The page lists the agency's recent judgements, each with Undo; undoing asks
for a reason inline (never a browser prompt), calls the API, and the judgement shows as
undone. The test judges a pair "unsure" and undoes it, so the shared web world ends as
it began (an "unsure" never changes the clustering, and the pair stays in the queue)."""

from __future__ import annotations

import re
from typing import Any

from test_workbench import log_in

HEX_ID = re.compile(r"\b[0-9a-f]{40}\b")


def test_judge_then_undo_with_a_reason(base_url: str, offline: Any) -> None:
    page = offline().page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    log_in(page, base_url, "nadia")
    page.get_by_test_id("nav-review").click()
    page.get_by_test_id("review-item").first.wait_for(timeout=30_000)
    recent = page.get_by_test_id("review-recent")
    recent.wait_for(timeout=20_000)

    # Judge the last pair on the page (the workbench test judges the first).
    item = page.get_by_test_id("review-item").last
    left, right = item.get_attribute("data-left"), item.get_attribute("data-right")
    item.get_by_test_id("review-reason").fill("undo test: not sure from the photos")
    with page.expect_response(lambda r: r.url.endswith("/api/judgements")
                              and r.request.method == "POST") as posted:
        item.get_by_test_id("review-unsure").click()
    assert posted.value.status == 200, posted.value.text()
    made = posted.value.json()

    # It appears at once in the recent list, named as people, with Undo.
    row = recent.locator(f"[data-testid=judgement-item][data-id='{made['id']}']")
    row.wait_for(timeout=10_000)
    assert row.get_attribute("data-state") == "active"
    assert {row.get_attribute("data-left"), row.get_attribute("data-right")} == {left, right}
    assert "unsure" in row.inner_text().lower()
    assert not HEX_ID.search(recent.inner_text()), recent.inner_text()

    # Undo (reached from the judged card too) asks for a reason inline; without one
    # nothing is sent.
    assert row.get_by_test_id("judgement-undo").count() == 1
    item.get_by_test_id("review-undo-link").click()
    reason = row.get_by_test_id("judgement-undo-reason")
    reason.wait_for()
    assert reason.evaluate("el => document.activeElement === el")
    undo_posts: list[str] = []
    page.on("request", lambda r: undo_posts.append(r.url) if r.url.endswith("/undo") else None)
    row.get_by_test_id("judgement-undo-confirm").click()
    assert "reason" in row.get_by_test_id("judgement-message").inner_text().lower()
    assert undo_posts == []

    why = "undo test: the photos were of someone else"
    reason.fill(why)
    with page.expect_response(lambda r: r.url.endswith(f"/api/judgements/{made['id']}/undo")
                              and r.request.method == "POST") as undone:
        row.get_by_test_id("judgement-undo-confirm").click()
    assert undone.value.status == 200, undone.value.text()
    page.wait_for_function(
        f"() => document.querySelector(\"[data-testid=judgement-item][data-id='{made['id']}']\")"
        "?.dataset.state === 'undone'")
    assert "undone" in row.inner_text().lower() and why in row.inner_text()
    assert row.get_by_test_id("judgement-undo").count() == 0
    assert dialogs == []

    # The pair can be decided again on the page; the API keeps the undone judgement.
    assert item.get_attribute("data-verdict") is None
    assert item.get_by_test_id("review-same").is_enabled()
    token = page.evaluate("() => sessionStorage.getItem('pinchpoint.token')")
    listed = page.request.get(f"{base_url}/api/judgements?all=true",
                              headers={"Authorization": f"Bearer {token}"}).json()
    [kept] = [j for j in listed if j["id"] == made["id"]]
    assert kept["undone_by"] == "nadia" and kept["undo_reason"] == why

    # After a reload the list still shows it as undone, from the API.
    page.reload()
    again = page.locator(f"[data-testid=judgement-item][data-id='{made['id']}']")
    again.wait_for(timeout=20_000)
    assert again.get_attribute("data-state") == "undone"
