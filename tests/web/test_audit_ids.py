"""The audit log in the browser reads as what was done, not as hashes (issue 19): a request's
path shows each entity id shortened to its first digits, and the full path, id included,
is one click away in a field marked as the id on purpose, to copy."""

from __future__ import annotations

from typing import Any

from test_no_raw_ids import RAW_ID, _top_hit, raw_ids
from test_workbench import log_in


def test_the_audit_log_shortens_ids_and_keeps_the_full_path(base_url: str,
                                                            offline: Any) -> None:
    page = offline().page
    log_in(page, base_url, "aud")
    entity = _top_hit(page, base_url)
    page.goto(f"{base_url}/#/entity/{entity}")
    page.locator("[data-testid=entity-profile], [data-testid=state-error]").first.wait_for(
        timeout=20_000)
    page.goto(f"{base_url}/#/audit")
    page.get_by_test_id("audit-row").first.wait_for(timeout=20_000)

    path = f"GET /api/entities/{entity}"
    what = page.get_by_test_id("audit-what").filter(has_text=f"GET /api/entities/{entity[:8]}…")
    what.last.wait_for(timeout=20_000)
    summary = what.last.locator("summary")
    assert summary.inner_text().strip() == f"GET /api/entities/{entity[:8]}…"
    assert not RAW_ID.search(page.get_by_test_id("audit-log").inner_text())

    summary.click()  # the full path, to copy
    full = what.last.get_by_test_id("audit-what-full")
    full.wait_for(timeout=10_000)
    assert full.inner_text().strip() == path
    assert full.get_attribute("data-id-field") is not None
    assert not raw_ids(page)  # shown on purpose, in the marked field only
