"""The profile says when the records place the entity, not when it was ingested (issue
19: "Seen" showed the time of ingest, the same at both ends). The header reads "Active
(from the records)": the earliest and latest date of the events naming the entity (its
payments here), never its birth date; the ingest times stay, as "Ingested", with the
provenance."""

from __future__ import annotations

import re
from typing import Any

from test_workbench import log_in


def _api(page: Any, base_url: str, path: str) -> Any:
    token = page.evaluate("() => sessionStorage.getItem('pinchpoint.token')")
    answer = page.request.get(f"{base_url}{path}", headers={"Authorization": f"Bearer {token}"})
    assert answer.ok, answer.text()
    return answer.json()


def test_profile_shows_when_the_records_say(base_url: str, offline: Any, facts: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    person = facts.nca_person[1]
    page.goto(f"{base_url}/#/entity/{person}")
    header = page.get_by_test_id("profile-header")
    header.wait_for(timeout=20_000)
    entity = _api(page, base_url, f"/api/entities/{person}")

    # Amanj Hassan Zada's payments: the examples' ledger from 2 March 2024 and the
    # London agent's from 14 to 17 March; born 1984-07-01, which is no activity.
    assert entity["active_first"] == "2024-03-02"
    assert entity["active_last"] == "2024-03-17"
    active = page.get_by_test_id("profile-active")
    text = active.inner_text()
    assert "Active (from the records)" in text, text
    assert "2024-03-02" in text and "2024-03-17" in text, text
    assert str(entity["active_events"]) in text, text
    assert "1984" not in text

    # The ingest times are no longer in the header as "seen ..."; they are in the
    # provenance section as "Ingested" (closed below the summary card until asked for).
    page.get_by_test_id("profile-details-toggle").click()
    shown = header.inner_text()
    assert not re.search(r"\bseen\b", shown, re.IGNORECASE), shown
    assert entity["first_seen"][:10] not in shown.replace(text, ""), shown
    ingested = page.get_by_test_id("profile-ingested")
    assert ingested.inner_text().startswith("Ingested"), ingested.inner_text()
    assert entity["first_seen"][:10] in ingested.inner_text()
    assert page.locator("[data-testid=provenance-table] thead").inner_text().count(
        "Ingested") == 1


def test_undated_entity_says_so_plainly(base_url: str, offline: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    hits = _api(page, base_url, "/api/search?q=Kawa%20Exchange")
    [org] = [h for h in hits if h["label"] == "Kawa Exchange"][:1]
    page.goto(f"{base_url}/#/entity/{org['id']}")
    active = page.get_by_test_id("profile-active")
    active.wait_for(timeout=20_000)
    assert "no dated event" in active.inner_text().lower(), active.inner_text()
