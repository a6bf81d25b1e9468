"""Hit/no-hit between agencies in the browser (issue 20): Dorset Police's supervisor makes
a filter on the Requests page; the Gendarmerie's analyst checks it there, sees the hit on
the person's profile ("Dorset Police holds something on this identity document and name"), asks
Dorset Police from the profile; Dorset's analyst is told only a supervisor decides, its
supervisor sees which of Dorset's people match and discloses; the Gendarmerie sees the
answer.

Two agencies of their own, joined to the shared web world for this test only (nobody
else's data changes: `test_ingest_mapping._join`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from api_world import PASSWORD
from test_workbench import log_in

from pinchpoint.access import directory
from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "docs" / "examples" / "people_mapping.yaml"
HEADER = "ref,full_name,aliases,dob,nationality,category,phone,passport,address\n"
OWNER, CHECKER, GROUP = "DORSET-POLICE", "GENDARMERIE", "channel-web"
OWNER_ROWS = ("D1,Karwan Aziz Rahim,,1986-04-11,Iraq,suspect,+447833612801,D98765432,\n"
              "D2,Soran Baxtiyar,,1991,Iraq,suspect,+447833612905,,\n")
CHECKER_ROWS = ("G1,Karwan Azis Rahim,,,Iraq,suspect,,D98765432,\n"
                "G2,S. Bakhtiar,,,Iraq,suspect,+44 7833 612905,,\n"
                "G3,Personne Sans Rapport,,1975,France,suspect,+33699887766,,\n")
USERS = {"dsup": (OWNER, "supervisor"), "dan": (OWNER, "analyst"),
         "gan": (CHECKER, "analyst")}


def _join(world: Any, folder: Path) -> None:
    """The two agencies in one sharing group, their users, and each one's people (the app
    holds the store; this process joins the same database)."""
    with world.workspace.open_store() as store:
        known = set(directory.agencies(store.con))
        if OWNER in known:
            return
        directory.add_agency(store.con, OWNER, "Dorset Police")
        directory.add_agency(store.con, CHECKER, "Gendarmerie")
        for agency in (OWNER, CHECKER):
            directory.add_to_group(store.con, GROUP, agency)
        for user, (agency, role) in USERS.items():
            directory.add_user(store.con, user, agency, role, "SECRET", PASSWORD)
    for agency, rows in ((OWNER, OWNER_ROWS), (CHECKER, CHECKER_ROWS)):
        people = folder / f"{agency}.csv"
        people.write_text(HEADER + rows, encoding="utf-8")
        ingest_file(world.workspace, "table", people, IngestOptions(
            source=f"{agency.lower()}-nominals", owner=agency, mapping=MAPPING,
            reason="matching browser test"))


def _wait_text(page: Any, testid: str, pattern: str, timeout: float = 30_000) -> None:
    """Wait until the first element of ``testid`` says ``pattern`` (a regex); on a time-out
    say what it said instead."""
    try:
        page.wait_for_function(
            "([t, p]) => new RegExp(p).test(document.querySelector(`[data-testid=${t}]`)"
            "?.textContent ?? '')", arg=[testid, pattern], timeout=timeout)
    except Exception as exc:
        shown = page.locator(f"[data-testid={testid}]").first
        raise AssertionError(f"{testid}: {shown.inner_text() if shown.count() else None!r}"
                             ) from exc


def _requests(page: Any, base: str, user: str) -> None:
    log_in(page, base, user)
    page.get_by_test_id("nav-requests").click()
    page.locator("[data-testid=requests-hits] table, [data-testid=requests-hits-none]"
                 ).first.wait_for(timeout=20_000)


def test_a_filter_checked_asked_and_answered(web_world: Any, base_url: str, offline: Any,
                                            tmp_path: Path, screenshot: Any) -> None:
    _join(web_world, tmp_path)

    # Dorset Police's supervisor makes a filter for the group.
    owner = offline().page
    _requests(owner, base_url, "dsup")
    owner.get_by_test_id("match-filter").locator("summary").click()
    owner.locator("[data-testid=match-filter-group] option").first.wait_for(state="attached")
    assert owner.get_by_test_id("match-filter-group").input_value() == GROUP
    owner.get_by_test_id("match-filter-reason").fill("Channel group hit/no-hit")
    with owner.expect_download(timeout=30_000) as download:
        owner.get_by_test_id("match-filter-make").click()
    filter_file = tmp_path / "dorset.filter"
    download.value.save_as(filter_file)
    assert filter_file.read_bytes()[:2] == b"PK"
    assert b"D98765432" not in filter_file.read_bytes()

    # The Gendarmerie's analyst checks it: two of its three people hit.
    checker = offline().page
    _requests(checker, base_url, "gan")
    checker.get_by_test_id("match-check-file").set_input_files(str(filter_file))
    checker.get_by_test_id("match-check-reason").fill("checking Dorset's filter")
    checker.get_by_test_id("match-check-submit").click()
    _wait_text(checker, "match-check-result", "holds something on 2 of your 3 people")
    rows = checker.get_by_test_id("requests-hit")
    rows.first.wait_for()
    assert rows.count() == 2
    table = checker.get_by_test_id("requests-hits").inner_text()
    assert "Karwan Azis Rahim" in table and "Dorset Police" in table
    assert "Personne Sans Rapport" not in table

    # The hit on the person's profile; a request from there.
    checker.get_by_role("link", name="Karwan Azis Rahim").click()
    panel = checker.get_by_test_id("profile-partners")
    panel.get_by_test_id("partner-hit").first.wait_for(timeout=20_000)
    text = panel.get_by_test_id("partner-hit-text").first.inner_text()
    assert text.startswith("Dorset Police holds something on this identity document and name "
                           "(strong, checked 20"), text
    panel.get_by_test_id("partner-ask").click()
    assert panel.get_by_test_id("partner-ask").inner_text() == f"Ask {OWNER}"
    panel.get_by_test_id("partner-ask-send").click()  # no reason: not sent
    assert "Give a reason" in panel.get_by_test_id("partner-ask-status").inner_text()
    panel.get_by_test_id("partner-ask-reason").fill("Operation Heron: who is G1")
    panel.get_by_test_id("partner-ask-send").click()
    _wait_text(checker, "partner-ask-status", "Request sent to Dorset Police")
    screenshot(checker, "matching-profile.png")

    # Dorset's analyst sees the request, and that a supervisor decides.
    analyst = offline().page
    _requests(analyst, base_url, "dan")
    received = analyst.get_by_test_id("request-received").first
    received.wait_for(timeout=20_000)
    assert received.get_by_test_id("request-supervisors-only").count() == 1
    assert received.get_by_test_id("request-disclose").count() == 0

    # Dorset's supervisor sees which of its people match, and discloses.
    owner.reload()
    owner.get_by_test_id("purpose-input").wait_for()
    if owner.get_by_test_id("purpose-needed").count():
        owner.get_by_test_id("purpose-input").fill("web test of matching")
        owner.get_by_test_id("purpose-input").press("Enter")
    received = owner.get_by_test_id("request-received").first
    received.wait_for(timeout=20_000)
    assert received.get_attribute("data-status") == "open"
    assert received.get_by_test_id("request-match").inner_text().strip() == \
        "Karwan Aziz Rahim"
    assert "Operation Heron: who is G1" in received.inner_text()
    assert "Karwan Azis Rahim" not in received.inner_text()  # never the Gendarmerie's
    received.get_by_test_id("request-decision-reason").fill("Channel JIT agreed")
    received.get_by_test_id("request-disclose").click()
    owner.wait_for_function(
        "() => document.querySelector('[data-testid=request-received]')?.dataset.status "
        "=== 'disclosed'", timeout=20_000)
    assert "disclosed by dsup" in owner.get_by_test_id("request-received").first.inner_text()
    screenshot(owner, "matching-requests-owner.png")

    # The Gendarmerie sees the answer.
    checker.get_by_test_id("nav-requests").click()
    sent = checker.get_by_test_id("request-sent").first
    sent.wait_for(timeout=20_000)
    checker.wait_for_function(
        "() => document.querySelector('[data-testid=request-sent]')?.dataset.status "
        "=== 'disclosed'", timeout=20_000)
    sent = checker.get_by_test_id("request-sent").first
    assert "Channel JIT agreed" in sent.get_by_test_id("request-status").inner_text()
    assert "dorset-police-nominals" in sent.get_by_test_id("request-shared").inner_text()
    assert "Karwan Azis Rahim" in sent.inner_text()
    screenshot(checker, "matching-requests-requester.png")
