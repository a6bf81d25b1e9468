"""The person timeline, filtered on the server (issue 19): a busy person's every event,
"N of M" shown, more loaded on request, the filter kept in the URL, dates in the
reader's locale.

The page used to fetch the first 500 events of the whole workspace and filter them in
the browser: a person with more events than that lost the later ones, here every call
and message. The case is an agency of its own (Essex Police, user `tess`, added while
the app runs as `test_ingest_mapping` does), so no other test's data changes: a money
agent's ledger of 560 transfers to and from Karwan Dosky (2021 to 2024) and his seized
phone (ten calls and five messages in March 2026), the ledger's record and the phone
owner's judged the same person.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from api_world import PASSWORD
from test_workbench import log_in
from web_harness import LOCAL_HOSTS, VIEWPORT

from pinchpoint.access import directory

USER, AGENCY = "tess", "ESSEX-POLICE"
NAME, PHONE = "Karwan Dosky", "+447700900555"
PAYMENTS, CALLS, MESSAGES = 560, 10, 5
TOTAL = PAYMENTS + CALLS + MESSAGES
OLD_WINDOW = 500  # what the page used to fetch of the whole workspace


def ledger(folder: Path) -> Path:
    """560 transfers every other day from 4 January 2021, a third of them to Karwan."""
    lines = ["date,sender,sender_phone,receiver,receiver_phone,amount,currency,agent,city,"
             "reference"]
    start = datetime.date(2021, 1, 4)
    for k in range(PAYMENTS):
        day = start + datetime.timedelta(days=2 * k)
        client = (f"Client {k % 40:02d}", f"+4477009{k % 40:05d}")
        a, b = (client, (NAME, PHONE)) if k % 3 == 0 else ((NAME, PHONE), client)
        lines.append(f"{day},{a[0]},{a[1]},{b[0]},{b[1]},{100 + k},GBP,Essex Exchange,"
                     f"Southend,ES-{k:04d}")
    path = folder / "essex_ledger.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def phone(folder: Path) -> Path:
    """Karwan's seized phone: calls on 1-10 March 2026, messages on 11-15 March."""
    data = {"extraction": {"seized_at": "2026-03-20", "exhibit": "EP/1"},
            "device": {"imei": "356938035649999", "phone_numbers": [PHONE],
                       "owner": {"name": NAME, "category": "suspect"}},
            "contacts": [{"id": "1", "name": "Driver Southend", "phones": ["+447700911111"]}],
            "calls": [{"timestamp": f"2026-03-{d:02d}T10:00:00Z", "direction": "outgoing",
                       "number": "+447700911111", "duration_seconds": 60}
                      for d in range(1, CALLS + 1)],
            "messages": [{"id": f"sms-{d}", "timestamp": f"2026-03-{d:02d}T12:00:00Z",
                          "app": "SMS", "direction": "outgoing", "from": PHONE,
                          "to": ["+447700911111"], "text": f"meet at the slipway, day {d}"}
                         for d in range(CALLS + 1, CALLS + MESSAGES + 1)]}
    path = folder / "essex_phone.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def karwan(web_world: Any, base_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Essex Police's case, ingested, resolved and judged through the API as `tess`;
    Karwan's canonical id."""
    with web_world.workspace.open_store() as store:
        if USER not in {r.user for r in directory.users(store.con)}:
            directory.add_agency(store.con, AGENCY)
            directory.add_user(store.con, USER, AGENCY, "analyst", "SECRET", PASSWORD)
    folder = tmp_path_factory.mktemp("essex")
    with httpx.Client(base_url=base_url, timeout=120) as client:
        token = client.post("/api/login", json={"username": USER, "password": PASSWORD})
        headers = {"Authorization": f"Bearer {token.json()['token']}",
                   "X-Purpose": "Operation Estuary: Karwan Dosky's timeline"}
        for kind, path in (("ledger", ledger(folder)), ("phone", phone(folder))):
            with path.open("rb") as handle:
                sent = client.post("/api/ingest", headers=headers, data={"kind": kind},
                                   files={"file": (path.name, handle)})
            assert sent.status_code == 200, sent.text
        assert client.post("/api/resolve", headers=headers).status_code == 200
        found = client.get("/api/search", params={"q": NAME}, headers=headers).json()
        records = [f["id"] for f in found if f["label"] == NAME]
        if len(records) == 2:  # the ledger's Karwan and the phone's owner
            judged = client.post("/api/judgements", headers=headers, json={
                "left": records[0], "right": records[1], "verdict": "same",
                "reason": "the same phone number on the ledger and the seized phone"})
            assert judged.status_code == 200, judged.text
            found = client.get("/api/search", params={"q": NAME}, headers=headers).json()
        (person,) = [f["id"] for f in found if f["label"] == NAME]
        return str(person)


def shown(page: Any) -> tuple[int, int]:
    """(N, M) of the page's "Showing N of M events", once it is there."""
    count = page.get_by_test_id("timeline-count")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=timeline-count]')?.dataset.total")
    return int(count.get_attribute("data-shown")), int(count.get_attribute("data-total"))


def kinds_listed(page: Any) -> set[str]:
    return {item.get_attribute("data-kind")
            for item in page.get_by_test_id("timeline-item").all()}


def test_a_busy_persons_timeline_shows_every_event(base_url: str, offline: Any,
                                                   karwan: str) -> None:
    page = offline().page
    log_in(page, base_url, USER)
    page.get_by_test_id("search-input").fill(NAME)
    page.wait_for_function(
        "(q) => document.querySelector('[data-testid=search-results]').dataset.q === q",
        arg=NAME, timeout=20_000)
    page.get_by_test_id("search-result-link").first.click()
    page.get_by_test_id("entity-profile").locator("a[href^='#/timeline?party=']").click()
    page.get_by_test_id("timeline-item").first.wait_for(timeout=20_000)
    assert parse_qs(urlsplit(page.url).fragment.split("?", 1)[1])["party"] == [karwan]

    # "N of M": every one of his events counted, a first page shown.
    first, total = shown(page)
    assert total == TOTAL > OLD_WINDOW and 0 < first < total
    text = page.get_by_test_id("timeline-count").inner_text()
    assert f"Showing {first} of {TOTAL} events" in text, text
    assert NAME in page.get_by_test_id("timeline-party").inner_text()

    # Loading more reaches the last of them: the calls and messages of March 2026 that
    # the old page's first 500 events of the workspace never held.
    more = page.get_by_test_id("timeline-more")
    while more.is_visible():
        more.click()
        page.wait_for_function(
            "(n) => Number(document.querySelector('[data-testid=timeline-count]')"
            "?.dataset.shown) > n", arg=first, timeout=20_000)
        first, _ = shown(page)
    assert shown(page) == (TOTAL, TOTAL)
    assert page.get_by_test_id("timeline-item").count() == TOTAL
    assert kinds_listed(page) == {"Payment", "Call", "Message"}
    assert page.get_by_test_id("timeline-item").last.get_attribute("data-date") == "2026-03-15"

    # A kind and a period: filtered on the server, kept in the URL, kept on reload.
    page.get_by_test_id("timeline-kind").select_option("call")
    page.wait_for_function("() => document.querySelector('[data-testid=timeline-count]')"
                           "?.dataset.total === '10'", timeout=20_000)
    assert kinds_listed(page) == {"Call"}
    page.get_by_test_id("timeline-since").fill("2026-03-04")
    page.get_by_test_id("timeline-until").fill("2026-03-08")
    page.get_by_test_id("timeline-form").locator("button[type=submit]").click()
    page.wait_for_function("() => document.querySelector('[data-testid=timeline-count]')"
                           "?.dataset.total === '5'", timeout=20_000)
    asked = parse_qs(urlsplit(page.url).fragment.split("?", 1)[1])
    assert asked == {"party": [karwan], "kind": ["call"], "since": ["2026-03-04"],
                     "until": ["2026-03-08"]}
    page.reload()
    page.get_by_test_id("timeline-item").first.wait_for(timeout=20_000)
    assert shown(page) == (5, 5)
    assert page.get_by_test_id("timeline-kind").input_value() == "call"
    assert page.get_by_test_id("timeline-since").input_value() == "2026-03-04"
    assert [i.get_attribute("data-date") for i in page.get_by_test_id("timeline-item").all()
            ] == [f"2026-03-{d:02d}" for d in range(4, 9)]


def test_dates_in_the_readers_locale(base_url: str, browser: Any, karwan: str) -> None:
    """A German reader reads German dates ("04.03.2026"), not en-GB's "4 Mar 2026" nor
    the ISO day the old page showed."""
    context = browser.new_context(viewport=VIEWPORT, locale="de-DE")
    blocked: list[str] = []

    def local_only(route: Any) -> None:
        parts = urlsplit(route.request.url)
        if parts.scheme in ("data", "blob") or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("blockedbyclient")

    try:
        page = context.new_page()
        page.route("**/*", local_only)
        log_in(page, base_url, USER)
        page.goto(f"{base_url}/#/timeline?party={karwan}&kind=call&since=2026-03-04"
                  "&until=2026-03-04")
        item = page.get_by_test_id("timeline-item").first
        item.wait_for(timeout=20_000)
        day = item.locator("time").first
        assert day.get_attribute("datetime") == "2026-03-04"
        assert day.inner_text() == page.evaluate(
            "() => new Intl.DateTimeFormat('de-DE', {dateStyle: 'medium', timeZone: 'UTC'})"
            ".format(Date.UTC(2026, 2, 4))")
        assert day.inner_text() != "2026-03-04" and "Mar" not in day.inner_text()
    finally:
        context.close()
    assert not blocked, blocked
