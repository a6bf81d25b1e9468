"""One name per person in every view (issue 19, "People named as people"): the name the
most records give, spellings folded, not the first one read.

Wessex, an agency of its own (nobody else's data changes), uploads three records of one
man through the API: the first upload (the cluster's first record) names him "Dara
Rostami", the later one "Darius Rostami" twice and "DARIUS ROSTAMI" once, with a payment
to a courier so that he is in the network. Before, the search result and the profile
heading said "Dara Rostami" while Key people said "Darius Rostami"."""

from __future__ import annotations

import json
from typing import Any

import httpx
from api_world import PASSWORD
from test_workbench import log_in

from pinchpoint.access import directory

USER, AGENCY = "wendell", "WESSEX"
MINORITY, MAJORITY = "Dara Rostami", "Darius Rostami"
FACTS = {"birthDate": ["1979-05-14"], "passportNumber": ["P7731904"], "nationality": ["ir"]}
FIRST = [{"id": "wx-a-dara", "schema": "Person", "properties": {"name": [MINORITY], **FACTS}}]
LATER = [
    {"id": "wx-b-darius", "schema": "Person", "properties": {"name": [MAJORITY], **FACTS}},
    {"id": "wx-c-darius", "schema": "Person",
     "properties": {"name": ["DARIUS ROSTAMI"], **FACTS}},
    {"id": "wx-d-darius", "schema": "Person", "properties": {"name": [MAJORITY], **FACTS}},
    {"id": "wx-courier", "schema": "Person",
     "properties": {"name": ["Tomasz Wren"], "personCategory": ["suspect"]}},
    {"id": "wx-pay", "schema": "Payment",
     "properties": {"payer": ["wx-b-darius"], "beneficiary": ["wx-courier"],
                    "amount": ["900"], "currency": ["GBP"], "date": ["2024-05-01"]}},
    # other people, each their own, so that a shared passport means something to the
    # resolver (in a world of four records that all share one, it would not)
    *({"id": f"wx-other-{n}", "schema": "Person",
       "properties": {"name": [f"{first} {last}"],
                      "birthDate": [f"19{60 + n}-0{1 + n % 9}-1{n % 10}"],
                      "passportNumber": [f"K{4410000 + 7919 * n}"], "nationality": ["gb"]}}
      for n, (first, last) in enumerate(
          (f, g) for f in ("Alan", "Beth", "Colm", "Dina", "Ewan", "Fern")
          for g in ("Hale", "Irwin", "Jory", "Kemp", "Lowe"))),
]


def _add_rostami(web_world: Any, base_url: str) -> None:
    """Wessex and its analyst (once per session), their two uploads, then their scope
    resolved, all through the running app as an analyst would."""
    with web_world.workspace.open_store() as store:
        if USER in {r.user for r in directory.users(store.con)}:
            return
        directory.add_agency(store.con, AGENCY, "Wessex Police")
        directory.add_user(store.con, USER, AGENCY, "analyst", "SECRET", PASSWORD)
    with httpx.Client(base_url=base_url, timeout=120) as http:
        token = http.post("/api/login", json={"username": USER, "password": PASSWORD})
        assert token.status_code == 200, token.text
        headers = {"Authorization": f"Bearer {token.json()['token']}",
                   "X-Purpose": "display names test"}
        for name, lines in (("first.jsonl", FIRST), ("later.jsonl", LATER)):
            body = "".join(json.dumps(line) + "\n" for line in lines).encode()
            done = http.post("/api/ingest", headers=headers, data={"kind": "ftm"},
                             files={"file": (name, body, "application/json")})
            assert done.status_code == 200, done.text
        resolved = http.post("/api/resolve", headers=headers)
        assert resolved.status_code == 200, resolved.text


def test_one_name_in_search_profile_and_key_people(web_world: Any, base_url: str,
                                                   offline: Any) -> None:
    _add_rostami(web_world, base_url)
    page = offline().page
    log_in(page, base_url, USER)

    # Search: one result for the man, by the name most of his records give.
    page.get_by_test_id("search-input").fill("Rostami")
    page.wait_for_function(
        "(q) => document.querySelector('[data-testid=search-results]')?.dataset.q === q",
        arg="Rostami")
    hits = page.get_by_test_id("search-result")
    hits.first.wait_for()
    assert hits.count() == 1
    assert hits.first.locator(".result-label").inner_text().strip() == MAJORITY
    person = hits.first.get_attribute("data-id")

    # The profile: the same name as its heading, and first on the card, with its count
    # (two spellings of it taken as one name).
    page.get_by_test_id("search-result-link").first.click()
    page.get_by_test_id("entity-profile").wait_for()
    assert page.get_by_test_id("profile-title").inner_text().strip() == MAJORITY
    names = page.get_by_test_id("summary-name")
    assert names.first.locator(".name-value").inner_text().strip() == MAJORITY
    assert names.first.get_attribute("data-count") == "3"
    assert names.count() == 2  # and "Dara Rostami" once

    # Key people: the same name for the same person.
    page.goto(f"{base_url}/#/people")
    row = page.locator(f"[data-testid=people-row][data-id='{person}']")
    row.wait_for(timeout=30_000)
    assert row.get_by_test_id("people-name").inner_text().strip() == MAJORITY
