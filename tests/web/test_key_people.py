"""The Key people view (issue 19, "what an analyst reaches for" 1): the kingpin ranking as
a table, each person named and linked, their group named after its head (never "G1"),
their broker role in plain words, the score's parts, the suggested role and whether they
head their group; sortable, filtered with "N of M", downloadable as the CSV of what is
shown; victims and witnesses never listed; a clear message where nothing is resolved."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from test_workbench import log_in

RAW_ID = re.compile(r"\b[0-9a-f]{40}\b")
GROUP_NUMBER = re.compile(r"^G\d+$")
BROKER_ROLES = {"coordinator", "gatekeeper", "representative", "consultant", "liaison"}
# Victims and witnesses of the examples (people.csv) and the arrivals' phones (conftest).
PROTECTED_NAMES = ("Shirin Ahmadi", "Karwan Jalal", "Arrival 1", "Arrival 2", "Arrival 3")


def _open(page: Any, base_url: str, top: int | None = None) -> Any:
    """The Key people page, through the nav (or at `top`), once its rows are drawn."""
    if top is None:
        page.get_by_test_id("nav-people").click()
    else:
        page.goto(f"{base_url}/#/people?top={top}")
    rows = page.get_by_test_id("people-row")
    rows.first.wait_for(timeout=30_000)
    return rows


def _cells(page: Any, column: str) -> list[str]:
    texts: list[str] = page.locator(f"[data-testid=people-row] td[data-col={column}]"
                                    ).all_inner_texts()
    return [t.strip() for t in texts]


def _count(page: Any) -> tuple[int, int]:
    found = re.fullmatch(r"(\d+) of (\d+)", page.get_by_test_id("people-count").inner_text()
                         .strip())
    assert found, page.get_by_test_id("people-count").inner_text()
    return int(found.group(1)), int(found.group(2))


def test_key_people_table(base_url: str, offline: Any, screenshot: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    rows = _open(page, base_url)
    assert page.url.endswith("#/people")
    shown, total = _count(page)
    assert shown == total == rows.count() > 3
    table = page.get_by_test_id("people-table").inner_text()
    assert not RAW_ID.search(table), "an id in the table's text"
    assert _cells(page, "rank") == [str(n) for n in range(1, total + 1)]

    # Groups named after people, never "G1"; broker roles in plain words.
    groups = [g for g in _cells(page, "group") if g != "\N{EN DASH}"]
    assert groups and not any(GROUP_NUMBER.match(g) for g in groups), groups
    roles = [r for r in _cells(page, "broker") if r != "none"]
    assert roles, "no broker role shown"
    for words in roles:
        role, _, meaning = words.partition(": ")
        assert role in BROKER_ROLES and len(meaning) > 10, words
    # The heads of groups: marked, suggested as kingpins, each group named after its head.
    heads = page.locator("[data-testid=people-row]:has([data-testid=people-head])")
    assert heads.count() >= 1
    for i in range(heads.count()):
        head = heads.nth(i)
        name = head.locator("td[data-col=name]").inner_text().strip()
        assert head.locator("td[data-col=suggested]").inner_text().strip() == "kingpin"
        assert head.locator("td[data-col=group]").inner_text().strip().startswith(name)
    # The score's parts: small numbers 0 to 1, each header saying what it measures.
    between = page.get_by_test_id("people-col-part-betweenness")
    assert "shortest route" in (between.get_attribute("title") or "")
    assert all(0 <= float(v) <= 1 for v in _cells(page, "part-betweenness"))
    assert all(0 <= float(v) <= 1 for v in _cells(page, "score"))

    # Each row: the name opens the profile, "Open in network" the network around them.
    first = rows.first
    person = first.get_attribute("data-id")
    assert first.get_by_test_id("people-name").get_attribute("href") == f"#/entity/{person}"
    assert first.get_by_test_id("people-open-network").get_attribute(
        "href") == f"#/network?id={person}"
    screenshot(page, "key-people.png")

    # Sorting: by name, then the other way round; by score, highest first.
    page.get_by_test_id("people-sort-name").click()
    names = _cells(page, "name")
    assert names == sorted(names, key=str.casefold) or names == sorted(names)
    assert page.get_by_test_id("people-col-name").get_attribute("aria-sort") == "ascending"
    page.get_by_test_id("people-sort-name").click()
    assert _cells(page, "name") == names[::-1]
    page.get_by_test_id("people-sort-score").click()
    scores = [float(s) for s in _cells(page, "score")]
    assert scores == sorted(scores, reverse=True)

    # The filter keeps matching rows and says "N of M".
    wanted = names[0]
    page.get_by_test_id("people-filter").fill(wanted.lower())
    assert _count(page)[1] == total and 1 <= _count(page)[0] < total
    assert all(wanted.lower() in r.lower() for r in rows.all_inner_texts())
    page.get_by_test_id("people-filter").fill(roles[0].split(":")[0])
    filtered = _count(page)[0]
    assert 1 <= filtered < total

    # "Download CSV": the rows shown, in the order shown, with each part's column.
    with page.expect_download() as download:
        page.get_by_test_id("people-download").click()
    assert download.value.suggested_filename == "key-people.csv"
    with open(download.value.path(), encoding="utf-8", newline="") as handle:
        table_rows = list(csv.DictReader(io.StringIO(handle.read())))
    assert len(table_rows) == filtered
    assert [r["Name"] for r in table_rows] == _cells(page, "name")
    assert [r["Id"] for r in table_rows] == [r.get_attribute("data-id") for r in rows.all()]
    assert {"Rank", "Group", "Broker role", "Suggested role", "Head of group", "Score",
            "Between"} <= set(table_rows[0])

    # Open in network: the network around the person.
    first = rows.first
    person = first.get_attribute("data-id")
    first.get_by_test_id("people-open-network").click()
    page.wait_for_url(re.compile(r"#/network\?id="))
    assert person in page.url


def test_no_victim_or_witness_is_listed(web_world: Any, base_url: str, offline: Any) -> None:
    from pinchpoint.access import directory
    from pinchpoint.access.entitlements import scope_for
    from pinchpoint.network.project import project

    page = offline().page
    log_in(page, base_url, "nadia")
    rows = _open(page, base_url, top=1000)
    assert "top=1000" in page.url
    listed = {r.get_attribute("data-id") for r in rows.all()}
    with web_world.workspace.open_store() as store:
        network = project(store, scope_for(store.con, directory.reader(store.con, "nadia")))
    protected = {network.ids[i] for i in range(network.n) if not network.targetable()[i]}
    assert protected, "the world holds no victim or witness to test with"
    assert not listed & protected
    text = page.get_by_test_id("people-table").inner_text()
    assert not [name for name in PROTECTED_NAMES if name in text]


def test_not_resolved_says_so(base_url: str, offline: Any) -> None:
    # Border Force's analyst is not resolved: the ranking answers 409.
    page = offline().page
    log_in(page, base_url, "bruno")
    page.get_by_test_id("nav-people").click()
    said = page.get_by_test_id("people-not-resolved")
    said.wait_for(timeout=20_000)
    assert "not available" in said.inner_text() and "resolution" in said.inner_text()
    assert page.get_by_test_id("people-row").count() == 0
