"""The profile's "Briefing pack (PDF)" button (issue 19 item 6, "export and briefing"), as
nadia (NCA) in Chromium: it downloads the pack the server makes (a PDF, saved with its
content type), recorded in the audit log as a disclosure with the purpose typed at the
top. What the PDF holds, page by page, is tested in tests/api/test_briefing_api.py."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from test_exports import _disclosures, _page, _recorded, _save
from test_workbench import log_in


def test_profile_button_downloads_the_briefing_pack(base_url: str, offline: Any,
                                                    facts: Any) -> None:
    page = _page(offline)
    log_in(page, base_url, "nadia")
    _record, person = facts.nca_person  # Amanj Hassan Zada, nadia's canonical id
    page.goto(f"{base_url}/#/entity/{quote(person)}")
    page.get_by_test_id("profile-title").wait_for(timeout=20_000)
    label = page.get_by_test_id("profile-title").inner_text().strip()
    before = len(_disclosures(page, base_url))
    name, data, kind = _save(page, "profile-briefing-pdf")
    assert kind == "application/pdf" and data.startswith(b"%PDF"), (kind, data[:16])
    assert name.startswith("briefing-") and name.endswith(".pdf"), name
    entry = _recorded(page, base_url, before, f"exported briefing pack of {label} as pdf")
    assert entry["detail"]["format"] == "pdf" and entry["detail"]["entity"] == person
    assert "recorded in the audit log" in page.get_by_test_id(
        "profile-briefing-pdf-status").inner_text()
