"""Search in the browser as an analyst types: a phone number in the national form it was
written down in ("07911 123456") finds its holder, as the E.164 number does, saying how
it was read; a ledger reference ("HW-1001") finds the payment, its payer and its
beneficiary (issue 19, "People named as people")."""

from __future__ import annotations

from typing import Any

from test_workbench import log_in

REBIN = "+447911123456"  # Rebin Ali, receiver of HW-1001 (docs/examples/ledger.csv)


def results_for(page: Any, q: str) -> Any:
    """The result items once the list answers `q` (the list keeps the query it shows)."""
    page.get_by_test_id("search-input").fill(q)
    page.wait_for_function(
        "(q) => { const r = document.querySelector('[data-testid=search-results]');"
        " return r.dataset.q === q && !r.hasAttribute('aria-busy')"
        " || (r.textContent || '').includes('No results for \u201c' + q + '\u201d'); }",
        arg=q, timeout=20_000)
    return page.get_by_test_id("search-result")


def test_national_forms_of_a_number_find_its_holder(base_url: str, offline: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    e164 = results_for(page, REBIN)
    holder = e164.first.get_attribute("data-id")
    assert holder and "Rebin Ali" in e164.first.inner_text()
    for typed in ("07911 123456", "447911123456", "0044 7911 123456", "+44 7911 123456"):
        found = results_for(page, typed)
        assert found.count() >= 1, typed
        assert found.first.get_attribute("data-id") == holder, typed
        if not typed.startswith("+"):
            assert f"read as {REBIN}" in found.first.inner_text(), typed
    found = results_for(page, "07911 123456")
    found.first.get_by_test_id("search-result-link").click()
    page.wait_for_url(f"**/#/entity/{holder}**", timeout=20_000)


def test_a_ledger_reference_finds_the_payment_and_its_parties(base_url: str,
                                                              offline: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    found = results_for(page, "HW-1001")
    payment = found.first.inner_text()
    assert "Payment" in payment and "HW-1001" in payment
    assert "from Amanj Hassan Zada" in payment and "to Rebin Ali" in payment
    texts = [found.nth(i).inner_text() for i in range(found.count())]
    assert any("Amanj Hassan Zada" in t and "payer of payment HW-1001" in t for t in texts)
    assert any("Rebin Ali" in t and "beneficiary of payment HW-1001" in t for t in texts)


def test_another_agency_finds_neither(base_url: str, offline: Any) -> None:
    page = offline().page
    log_in(page, base_url, "bruno")
    assert results_for(page, "07911 123456").count() == 0
    assert results_for(page, "HW-1001").count() == 0
