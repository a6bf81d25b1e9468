"""The workbench's shell (issue 19): a header that stays on one line for long user and
agency names, a "Page not found" view for an unknown route, "Retry" offered only where
retrying can help, and a purpose the analyst types before anything is fetched.

Each test that needs a user of its own adds one with an agency of its own (as
`test_ingest_mapping._join` does), so the other browser tests see the workspace as it was."""

from __future__ import annotations

import json
from typing import Any

import pytest
from api_world import PASSWORD
from test_workbench import log_in

from pinchpoint.access import directory

LONG_USER = "konstantina.papadopoulou-whitfield"  # 34 characters
LONG_AGENCY = "NATIONAL-ECONOMIC-CRIME-CENTRE"  # 30 characters
TYPED = "Operation Kestrel: web test of the purpose"

HEADER = """() => {
  const bar = document.querySelector('header.topbar');
  const box = bar.getBoundingClientRect();
  const shown = [...bar.children].filter((e) => {
    const s = getComputedStyle(e);
    return s.position !== 'absolute' && s.display !== 'none';
  });
  const mids = shown.map((e) => {
    const b = e.getBoundingClientRect();
    return b.top + b.height / 2;
  });
  const links = [...bar.querySelectorAll('nav a')].map((a) => {
    const b = a.getBoundingClientRect();
    return { text: a.textContent, mid: b.top + b.height / 2, bottom: b.bottom, right: b.right,
             width: b.width, clipped: a.scrollWidth > a.clientWidth + 1 };
  });
  return { height: box.height, bottom: box.bottom, overflow: bar.scrollWidth - bar.clientWidth,
           mids, links, viewport: window.innerWidth };
}"""


def _join(world: Any, user: str, agency: str, role: str = "analyst") -> None:
    """A user of an agency of their own (the app holds the store; this process joins the
    same database)."""
    with world.workspace.open_store() as store:
        if agency not in set(directory.agencies(store.con)):
            directory.add_agency(store.con, agency)
        if user not in {r.user for r in directory.users(store.con)}:
            directory.add_user(store.con, user, agency, role, "SECRET", PASSWORD)


def _header(page: Any) -> dict[str, Any]:
    measured: dict[str, Any] = page.evaluate(HEADER)
    return measured


def _assert_one_line(page: Any, height: float) -> None:
    """Every part of the header, and every nav link, on one line of the given height;
    nothing pushed past the right edge, no nav link cut."""
    got = _header(page)
    where = json.dumps(got, indent=1)
    assert got["height"] <= height + 1, f"the header wraps:\n{where}"
    assert max(got["mids"]) - min(got["mids"]) < 4, f"the parts are not on one line:\n{where}"
    assert got["overflow"] <= 0, f"the header overflows to the right:\n{where}"
    for link in got["links"]:
        assert link["width"] > 0 and not link["clipped"], f"a nav link is hidden or cut: {link}"
        assert abs(link["mid"] - got["mids"][0]) < 4 and link["right"] <= got["viewport"], link


def test_header_stays_on_one_line_with_long_names(web_world: Any, base_url: str,
                                                  offline: Any, screenshot: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    page.set_viewport_size({"width": 1400, "height": 800})
    one_line = _header(page)["height"]  # a short name: the height of one line
    assert one_line < 60, _header(page)

    # An administrator sees every nav item (Audit and Admin too): the widest header.
    _join(web_world, LONG_USER, LONG_AGENCY, "administrator")
    page = offline().page
    log_in(page, base_url, LONG_USER)
    for width in (1400, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_timeout(100)
        _assert_one_line(page, one_line)
    screenshot(page, "header-long-names.png")
    nav = {a.get_attribute("href") for a in page.locator("header nav a").all()}
    assert {"#/search", "#/network", "#/timeline", "#/audit", "#/admin"} <= nav
    # The full names stay readable: in the text (for a screen reader) and as a tooltip.
    assert page.get_by_test_id("user-name").inner_text().strip() == LONG_USER
    assert page.get_by_test_id("user-agency").inner_text().strip() == LONG_AGENCY
    title = page.get_by_test_id("user-info").get_attribute("title") or ""
    assert LONG_USER in title and LONG_AGENCY in title

    # Border Force's supervisor (the case) too.
    page = offline().page
    log_in(page, base_url, "bfsup")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.wait_for_timeout(100)
    _assert_one_line(page, one_line)


def test_unknown_route_shows_page_not_found(base_url: str, offline: Any,
                                            screenshot: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    page.goto(f"{base_url}/#/nonsense")
    missing = page.get_by_test_id("not-found")
    missing.wait_for(timeout=10_000)
    assert page.url.endswith("#/nonsense"), f"redirected to {page.url}"
    text = missing.inner_text()
    assert "Page not found" in text and "nonsense" in text
    links = {a.get_attribute("href") for a in missing.locator("a").all()}
    assert {"#/search", "#/network", "#/timeline", "#/dashboard"} <= links
    assert "Page not found" in page.title()
    assert page.get_by_test_id("search-input").count() == 0
    screenshot(page, "not-found.png")
    missing.locator("a[href='#/search']").click()
    page.get_by_test_id("search-input").wait_for()


@pytest.mark.parametrize(("status", "retry"), [
    (400, False), (403, False), (404, False), (409, True), (429, True), (500, True),
    (503, True), (0, True)])
def test_retry_only_where_it_can_help(base_url: str, offline: Any, status: int,
                                      retry: bool) -> None:
    """An entity's profile whose request answers `status` (0: the server cannot be
    reached): "Retry" for a network error, a 5xx, 409 (not ready yet) and 429, never
    for 400, 403 or 404, which the same request will get again."""
    page = offline().page
    log_in(page, base_url, "nadia")
    answered: list[str] = []

    def answer(route: Any) -> None:
        answered.append(route.request.url)
        if status == 0:
            route.abort("connectionrefused")
        else:
            route.fulfill(status=status, content_type="application/json",
                          body=json.dumps({"detail": f"answered {status} by the test"}))

    page.route("**/api/entities/no-such-entity*", answer)
    page.goto(f"{base_url}/#/entity/no-such-entity")
    error = page.get_by_test_id("state-error")
    error.wait_for(timeout=10_000)
    assert answered
    buttons = error.get_by_role("button", name="Retry")
    assert buttons.count() == (1 if retry else 0), error.inner_text()
    if retry:
        with page.expect_request("**/api/entities/no-such-entity*"):
            buttons.click()  # the same request again


def test_purpose_starts_empty_and_nothing_is_fetched_without_one(
        base_url: str, offline: Any, screenshot: Any) -> None:
    page = offline().page
    sent: list[tuple[str, str | None]] = []
    page.on("request", lambda r: sent.append((r.url, r.headers.get("x-purpose")))
            if "/api/" in r.url else None)
    page.goto(f"{base_url}/#/login")
    page.get_by_test_id("login-username").fill("nadia")
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    purpose = page.get_by_test_id("purpose-input")
    purpose.wait_for()
    prompt = page.get_by_test_id("purpose-prompt")
    prompt.wait_for()
    assert purpose.input_value() == "", "the purpose is filled in for the analyst"
    assert "purpose" in prompt.inner_text().lower()
    page.get_by_test_id("purpose-needed").wait_for()
    page.wait_for_timeout(500)
    screenshot(page, "purpose-needed.png")
    assert page.get_by_test_id("search-input").count() == 0
    assert [url for url, _why in sent if not url.endswith("/api/login")] == [], sent

    # Another page is no way round it.
    page.get_by_test_id("nav-dashboard").click()
    page.get_by_test_id("purpose-needed").wait_for()
    page.wait_for_timeout(300)
    assert [url for url, _why in sent if not url.endswith("/api/login")] == [], sent
    # Nor is an empty or blank purpose.
    purpose.fill("   ")
    page.get_by_test_id("purpose-continue").click()
    page.wait_for_timeout(300)
    assert page.get_by_test_id("purpose-needed").is_visible()
    assert [url for url, _why in sent if not url.endswith("/api/login")] == [], sent

    purpose.fill(TYPED)
    purpose.press("Enter")
    page.get_by_test_id("dashboard-workspace").wait_for(timeout=20_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=purpose-needed]')")
    page.wait_for_timeout(300)
    reads = [(url, why) for url, why in sent if not url.endswith("/api/login")]
    assert reads and all(why == TYPED for _url, why in reads), reads
    assert prompt.count() == 0 or not prompt.is_visible()
    # The audit log keeps the purpose as typed, as the justification of those reads.
    token = page.request.post(f"{base_url}/api/login",
                              data={"username": "aud", "password": PASSWORD}).json()["token"]
    entries = page.request.get(f"{base_url}/api/audit?action=consultation&limit=10000",
                               headers={"Authorization": f"Bearer {token}",
                                        "X-Purpose": "web test: checking the log"}).json()
    assert any(e["user"] == "nadia" and e["why"] == TYPED for e in entries), entries[-5:]

    # Cleared later: the next page waits for a purpose again, and asks for nothing.
    purpose.fill("")
    purpose.press("Enter")
    before = len(sent)
    page.get_by_test_id("nav-search").click()
    page.get_by_test_id("purpose-needed").wait_for()
    page.wait_for_timeout(300)
    assert sent[before:] == [], sent[before:]
    assert page.evaluate("() => sessionStorage.getItem('pinchpoint.purpose')") in (None, "")


@pytest.mark.parametrize(("status", "retry"), [(404, False), (409, True), (429, True)])
def test_the_phones_view_offers_retry_only_where_it_can_help(
        base_url: str, offline: Any, status: int, retry: bool) -> None:
    """The Money, Phones, Supply and Key people views show errors through their own helper
    (`moneyfmt.requestError`): the same rule holds there."""
    page = offline().page
    log_in(page, base_url, "nadia")
    page.route("**/api/phones/common*", lambda route: route.fulfill(
        status=status, content_type="application/json",
        body=json.dumps({"detail": f"answered {status} by the test"})))
    page.goto(f"{base_url}/#/phones")
    error = page.get_by_test_id("phones-result").get_by_test_id("state-error")
    error.wait_for(timeout=10_000)
    assert error.get_by_role("button", name="Retry").count() == (1 if retry else 0)
