"""The profile's summary card (issue 19, "Profile summary card"): at the top of a profile,
the names with counts (each name once), the key facts written out (a nationality as a
country's name, not "iq"), the category, the group by name, the score with its place in
the ranking, the broker role, the links by type and the money in and out; the long lists
(every name's source, the provenance table, the source records) below, in a <details>
closed by default. Border Force's analyst sees a card of Border Force's statements only."""

from __future__ import annotations

from collections import Counter
from typing import Any

from test_workbench import log_in
from web_harness import leaks

TIMES = "\N{MULTIPLICATION SIGN}"  # between a name and its count


def _api(page: Any, base_url: str, path: str) -> Any:
    token = page.evaluate("() => sessionStorage.getItem('pinchpoint.token')")
    answer = page.request.get(f"{base_url}{path}", headers={
        "Authorization": f"Bearer {token}", "X-Purpose": "web test"})
    assert answer.ok, answer.text()
    return answer.json()


def _dd(page: Any, testid: str, key: str | None = None) -> str:
    found = page.get_by_test_id(testid)
    if key is not None:
        found = found.and_(page.locator(f"[data-key={key}]"))
    text: str = found.inner_text().strip()
    return text


def test_card_sums_up_the_person(base_url: str, offline: Any, facts: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    person = facts.nca_person[1]  # Amanj Hassan Zada, resolved
    page.goto(f"{base_url}/#/entity/{person}")
    card = page.get_by_test_id("profile-summary")
    card.wait_for(timeout=20_000)
    entity = _api(page, base_url, f"/api/entities/{person}")

    # At the top: the first section after the header, before money and the long lists.
    order = page.evaluate("""() => [...document.querySelectorAll(
        '[data-testid=entity-profile] > section, [data-testid=entity-profile] > details')]
        .map((e) => e.dataset.testid)""")
    assert order[0] == "profile-summary", order
    assert order.index("profile-details") > order.index("profile-money"), order

    # Names: each once, with how many statements give it.
    items = page.get_by_test_id("summary-name")
    shown = [(items.nth(i).locator(".name-value").inner_text(),
              int(items.nth(i).get_attribute("data-count"))) for i in range(items.count())]
    given = Counter(s["value"] for s in entity["statements"]
                    if s["prop"] in ("name", "alias", "weakAlias", "previousName"))
    assert dict(shown) == dict(given) and len(shown) == len(given), (shown, given)
    assert shown[0][0] == "Amanj Hassan Zada"
    names = _dd(page, "summary-names")
    assert f"Amanj Hassan Zada {TIMES}{given['Amanj Hassan Zada']}" in names, names
    assert f"أمانج حسن زاده {TIMES}{given['أمانج حسن زاده']}" in names, names

    # Key facts, written out.
    assert _dd(page, "summary-fact", "nationality") == "Iraq"
    assert _dd(page, "summary-fact", "birthDate") == "1984-07-01"
    assert "+9647501234567" in _dd(page, "summary-fact", "phone")
    assert _dd(page, "summary-fact", "document") == "A12345678 (Passport)"
    assert "suspect" in _dd(page, "summary-category")
    card_text = card.inner_text()
    assert "\tiq" not in card_text and "Nationality\niq" not in card_text

    # Group by name, score with its place in the ranking, broker role, links by type.
    ranking = _api(page, base_url, "/api/network/rank?top=1000")
    [mine] = [r for r in ranking if r["id"] == person]
    groups = {g["id"]: g for g in _api(page, base_url, "/api/network/groups")["groups"]}
    group = _dd(page, "summary-group")
    assert groups[mine["group"]]["name"] in group and mine["group"] in group, group
    score = _dd(page, "summary-score")
    assert f"{mine['score']:.2f}" in score and f"of {len(ranking)} ranked" in score, score
    assert _dd(page, "summary-broker-role").startswith(mine["broker_role"])
    near = _api(page, base_url, f"/api/entities/{person}/neighbourhood")
    own = Counter(e["type"] for e in near["edges"] if person in (e["source"], e["target"]))
    links = page.get_by_test_id("summary-link")
    assert {links.nth(i).get_attribute("data-type"): int(links.nth(i).get_attribute(
        "data-links")) for i in range(links.count())} == dict(own)
    assert "Payments:" in _dd(page, "summary-links")

    # Money in and out, from the same answer as the money section below.
    money = _api(page, base_url, f"/api/money/party/{person}")
    page.wait_for_function("() => document.querySelector('[data-testid=summary-money]')"
                           ".textContent.startsWith('received')", timeout=20_000)
    line = _dd(page, "summary-money")
    assert f"({money['payments_in']} payment" in line and f"({money['payments_out']} payment" \
        in line, line
    assert page.get_by_test_id("profile-money-received").inner_text().split(" (")[0] in line

    # The long lists are closed below the card, and open with one click.
    details = page.get_by_test_id("profile-details")
    assert details.get_attribute("open") is None
    assert not page.get_by_test_id("provenance-table").is_visible()
    assert not page.get_by_test_id("profile-names").is_visible()
    page.get_by_test_id("profile-details-toggle").click()
    page.get_by_test_id("provenance-table").wait_for(state="visible")
    assert page.get_by_test_id("profile-names").is_visible()
    assert page.get_by_test_id("provenance-row").count() == len(entity["statements"])


def test_card_of_unranked_people_says_why(base_url: str, offline: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    [org] = [h for h in _api(page, base_url, "/api/search?q=Shirin%20Ahmadi")
             if h["label"] == "Shirin Ahmadi"][:1]
    page.goto(f"{base_url}/#/entity/{org['id']}")
    page.get_by_test_id("profile-summary").wait_for(timeout=20_000)
    assert _dd(page, "summary-fact", "nationality") == "Afghanistan"
    assert "victim" in _dd(page, "summary-category")
    network = _dd(page, "summary-network")
    assert network.startswith("not in the network"), network
    assert page.get_by_test_id("summary-score").count() == 0

    # An arrival whose phone was seized, recorded as a victim: in the network (her calls
    # and contacts), in a group, but never scored, ranked nor given a broker role.
    [arrival] = [h for h in _api(page, base_url, "/api/search?q=Arrival%201")
                 if h["label"] == "Arrival 1"][:1]
    page.goto(f"{base_url}/#/entity/{arrival['id']}")
    page.get_by_test_id("summary-score").wait_for(timeout=20_000)
    assert "victim" in _dd(page, "summary-category")
    assert _dd(page, "summary-score") == "victim or witness: never scored, ranked or a target"
    assert _dd(page, "summary-broker-role") == "none"
    assert "(Handset)" in _dd(page, "summary-fact", "phone")
    assert page.get_by_test_id("summary-link").count() >= 1


def test_other_agency_card_holds_nothing_of_ncas(base_url: str, offline: Any,
                                                 facts: Any) -> None:
    """bruno (Border Force) opens the pilot Border Force holds: a card of Border Force's
    statements, no network standing (bruno has resolved nothing), nothing of NCA's in the
    page or in any answer; NCA's person is still not found."""
    session = offline(capture_api=True)
    page = session.page
    log_in(page, base_url, "bruno")
    [pilot] = [h for h in _api(page, base_url, "/api/search?q=Rawand%20Aziz")
               if h["label"] == "Rawand Aziz"][:1]
    page.goto(f"{base_url}/#/entity/{pilot['id']}")
    card = page.get_by_test_id("profile-summary")
    card.wait_for(timeout=20_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=summary-money]')"
                           ".textContent.startsWith('loading')", timeout=20_000)
    assert _dd(page, "summary-names") == f"Rawand Aziz {TIMES}1"
    assert "not ranked yet" in _dd(page, "summary-network")
    page.get_by_test_id("profile-details-toggle").click()
    text = page.inner_text("body")
    for value in facts.hidden_values:
        assert value not in text, f"NCA's value {value!r} is on bruno's page"
    for entity in facts.nca_person:
        page.goto(f"{base_url}/#/entity/{entity}")
        page.get_by_test_id("state-error").wait_for(timeout=10_000)
        assert page.get_by_test_id("profile-summary").count() == 0
    bodies = [(url, text) for url, _status, text in session.api_bodies
              if text and not text.startswith("<unreadable")]
    assert any("/api/entities/" in url for url, _t in bodies)
    found = {url: leaks(text, facts) for url, text in bodies}
    assert not {url: f for url, f in found.items() if f}, "NCA's data reached bruno"
