"""No raw ids on screen (issue 19): every view of the demo, read as NCA (nadia) and as
Border Force (bruno), shows what a thing is, never its 40-character hex id, except in a field
marked as the explicit id (`[data-id-field]`: the profile's id line, the network
selection's Id row), where the id stays one click away for copying."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from test_workbench import log_in
from web_harness import READY, ROOT, click_a_node

# A record or entity id, with or without an owner's `.xxxxxxxxxxxxxxxx` suffix.
RAW_ID = re.compile(r"\b[0-9a-f]{40}(?:\.[0-9a-f]{16})?\b")

# The page's visible text, less the text of the fields that are the id on purpose.
VISIBLE_TEXT = """() => {
  let text = document.body.innerText;
  for (const el of document.querySelectorAll('[data-id-field]')) {
    const own = el.innerText;
    if (own) text = text.split(own).join(' ');
  }
  return text;
}"""

QUERIES = ("Amanj", "Rawand", "Dover", "a")
# The results, or the empty state, for query `q` are on screen.
SEARCHED = """(q) => {
  const results = document.querySelector('[data-testid=search-results]');
  return !!results && (results.dataset.q === q || results.textContent.includes(`“${q}”`));
}"""
PEOPLE_CSV = ROOT / "docs" / "examples" / "people.csv"


def _settle(page: Any, ms: int = 800) -> None:
    """Let the view's last answers arrive and render."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(ms)


def _top_hit(page: Any, base: str) -> str:
    """The id of the top search hit for the first query that finds anything."""
    page.goto(f"{base}/#/search")
    search = page.get_by_test_id("search-input")
    for query in QUERIES:
        search.fill(query)
        page.wait_for_function(SEARCHED, arg=query, timeout=20_000)
        _settle(page, 300)
        hits = page.get_by_test_id("search-result")
        if hits.count():
            found = hits.first.get_attribute("data-id")
            assert found
            return found
    raise AssertionError("no query found anything")


def _search(page: Any, base: str) -> None:
    _top_hit(page, base)


def _profile(page: Any, base: str) -> None:
    _top_hit(page, base)
    page.get_by_test_id("search-result-link").first.click()
    page.get_by_test_id("entity-profile").wait_for(timeout=20_000)
    _settle(page)
    toggle = page.get_by_test_id("profile-details-toggle")
    if toggle.count():
        toggle.click()


# The network drew, or said why not (not resolved for this reader, nothing to show).
NETWORK_DONE = f"""() => ({READY})() || !!document.querySelector(
  '[data-testid=network-not-resolved], [data-testid=network-empty], [data-testid=state-error]')"""


def _network_at(page: Any, url: str) -> None:
    """Open the network at `url`; where it drew nodes, click one so the selection panel
    shows."""
    page.goto(url)
    page.wait_for_function(NETWORK_DONE, timeout=20_000)
    _settle(page)
    if page.evaluate(READY) and page.evaluate("() => window.__pinchpoint.nodes"):
        page.get_by_test_id("network-fit").click()
        page.wait_for_timeout(700)
        click_a_node(page)


def _network_default(page: Any, base: str) -> None:
    _network_at(page, f"{base}/#/network")


def _network_id(page: Any, base: str) -> None:
    entity = _top_hit(page, base)
    _network_at(page, f"{base}/#/network?id={entity}")


def _route(name: str) -> Callable[[Any, str], None]:
    def visit(page: Any, base: str) -> None:
        page.goto(f"{base}/#/{name}")
        _settle(page, 1500)
    return visit


def _map(page: Any, base: str) -> None:
    page.goto(f"{base}/#/map")
    page.wait_for_function(
        "() => /\\d+ places/.test(document.querySelector('[data-testid=map-status]')"
        "?.textContent ?? '')", timeout=20_000)
    _settle(page)
    seizures = page.get_by_test_id("map-seizure")
    if seizures.count():
        seizures.first.locator("button").click()
        page.locator(".maplibregl-popup").wait_for(timeout=10_000)
        page.wait_for_timeout(500)


def _timeline(page: Any, base: str) -> None:
    party = _top_hit(page, base)
    page.goto(f"{base}/#/timeline?party={party}")
    _settle(page, 1500)


def _ingest(page: Any, base: str) -> None:
    page.goto(f"{base}/#/ingest")
    page.get_by_test_id("ingest-file").set_input_files(str(PEOPLE_CSV))
    page.get_by_test_id("preview-entity").first.wait_for(timeout=30_000)
    _settle(page)


def _audit(page: Any, base: str) -> None:
    # Open a profile first, so the log holds an entity's consultation whatever ran before.
    entity = _top_hit(page, base)
    page.goto(f"{base}/#/entity/{entity}")
    page.locator("[data-testid=entity-profile], [data-testid=state-error]").first.wait_for(
        timeout=20_000)
    page.goto(f"{base}/#/audit")
    page.get_by_test_id("audit-row").first.wait_for(timeout=20_000)
    _settle(page)


def _admin(page: Any, base: str) -> None:
    if not page.get_by_test_id("nav-admin").count():
        pytest.skip("this user may not administer")
    page.goto(f"{base}/#/admin")
    _settle(page, 1500)


VIEWS: dict[str, Callable[[Any, str], None]] = {
    "search": _search,
    "profile": _profile,
    "network": _network_default,
    "network-id": _network_id,
    "people": _route("people"),
    "money": _route("money"),
    "phones": _route("phones"),
    "supply": _route("supply"),
    "map": _map,
    "timeline": _timeline,
    "review": _route("review"),
    "dashboard": _route("dashboard"),
    "ingest": _ingest,
    "requests": _route("requests"),
    "admin": _admin,
}

def _cases() -> list[Any]:
    cases = [pytest.param(user, view, id=f"{user}-{view}")
             for user in ("nadia", "bruno") for view in VIEWS]
    cases.append(pytest.param("bfsup", "admin", id="bfsup-admin"))  # a supervisor may
    cases.append(pytest.param("aud", "audit", id="aud-audit"))  # the log's paths hold ids
    return cases


def raw_ids(page: Any) -> list[str]:
    """Each raw id visible on the page, with a little of the text around it."""
    text = page.evaluate(VISIBLE_TEXT)
    return [text[max(0, m.start() - 40):m.end() + 20].replace("\n", " | ")
            for m in RAW_ID.finditer(text)]


@pytest.mark.parametrize(("user", "view"), _cases())
def test_no_raw_id_visible(base_url: str, offline: Any, user: str, view: str) -> None:
    page = offline().page
    log_in(page, base_url, user)
    (_audit if view == "audit" else VIEWS[view])(page, base_url)
    found = raw_ids(page)
    assert not found, f"{user} sees raw ids on {view}: {found[:5]}"


def test_the_id_fields_are_marked(base_url: str, offline: Any) -> None:
    """The profile's id line and the network selection's Id row carry the marker, so the
    walker leaves them be and the id stays on screen to copy."""
    page = offline().page
    log_in(page, base_url, "nadia")
    entity = _top_hit(page, base_url)
    page.goto(f"{base_url}/#/entity/{entity}")
    page.get_by_test_id("entity-profile").wait_for(timeout=20_000)
    marked = page.locator("[data-testid=entity-profile] [data-id-field]")
    marked.first.wait_for(timeout=20_000)
    assert RAW_ID.search(marked.first.inner_text())
    page.goto(f"{base_url}/#/network?id={entity}")
    page.wait_for_function(READY, timeout=20_000)
    page.get_by_test_id("network-selected-label").wait_for(timeout=20_000)
    row = page.locator("[data-id-field]")
    row.first.wait_for(timeout=20_000)
    assert RAW_ID.search(" ".join(row.all_inner_texts()))

