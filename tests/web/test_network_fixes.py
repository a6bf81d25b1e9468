"""The network view's fixes of issue 19, as nadia (NCA) in the browser: "Find path" keeps
to the ticked link types; a victim is never offered as a target (and the API refuses
one); colouring by role shows the broker roles with a legend and the selection says the
role in plain words; a page without a network offers no layout controls.

The web world's network: the examples' people and the arrivals' phones (each owner a
victim, linked to the seller and the driver they saved); Rebin Hama Ali is its hub.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import permutations
from typing import Any

from test_workbench import log_in, nodes_shown
from web_harness import READY

from pinchpoint.model.owned import owned_id

HUB = owned_id("NCA", "8f45d3fcb2ceaa771575e652ade47108ddff7b1c")  # Rebin Hama Ali
BROKER_ROLES = {"coordinator", "gatekeeper", "representative", "consultant", "liaison"}
RULE = "victims and witnesses are never targets"


def _open_network(page: Any, base: str, hops: int = 4) -> None:
    """The hub's neighbourhood, `hops` deep (the whole connected network), drawn."""
    page.goto(f"{base}/#/network?id={HUB}&hops={hops}")
    page.wait_for_function(READY, timeout=20_000)
    nodes_shown(page)


def _api(page: Any, base: str, path: str) -> Any:
    """GET `path` with the page's session, as the workbench asks it."""
    token = page.evaluate("() => sessionStorage.getItem('pinchpoint.token')")
    answer = page.request.get(f"{base}{path}", headers={
        "Authorization": f"Bearer {token}", "X-Purpose": "web test"})
    return answer


def _components(edges: list[dict[str, Any]]) -> Iterator[set[str]]:
    parts: list[set[str]] = []
    for edge in edges:
        ends = {edge["source"], edge["target"]}
        joined = [part for part in parts if part & ends]
        parts = [part for part in parts if part not in joined] + [ends.union(*joined)]
    yield from parts


def _shortcut_pair(page: Any, base: str) -> tuple[str, str]:
    """Two people joined by payments whose shortest path over every link type is not
    payments only: where a path finder that ignores the filter shows itself."""
    found = _api(page, base, f"/api/entities/{HUB}/neighbourhood?hops=4").json()
    payments = [e for e in found["edges"] if e["type"] == "payment"]
    for part in _components(payments):
        for a, b in permutations(sorted(part), 2):
            answer = _api(page, base, f"/api/network/path?a={a}&b={b}")
            kinds = {link["type"] for hop in answer.json()[0]["hops"] for link in hop["links"]}
            if kinds != {"payment"}:
                return a, b
    raise AssertionError("every shortest path between payers is payments anyway")


def test_a_path_with_only_payments_ticked_crosses_only_payments(
        base_url: str, offline: Any, screenshot: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    _open_network(page, base_url)
    a, b = _shortcut_pair(page, base_url)
    for end in (a, b):  # A then B
        page.locator(f"[data-testid=network-node-item][data-id='{end}']").click()
    boxes = page.locator("[data-testid^=network-edge-type-]")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        box.set_checked(box.get_attribute("value") == "payment")
    page.get_by_test_id("network-path-button").click()
    page.get_by_test_id("network-path-list").wait_for(timeout=20_000)
    steps = page.get_by_test_id("network-path-step")
    assert steps.first.get_attribute("data-id") == a and steps.last.get_attribute("data-id") == b
    crossed = [steps.nth(i).get_attribute("data-types") for i in range(steps.count() - 1)]
    assert crossed and all(kind == "payment" for kind in crossed), crossed
    assert "payment" in page.get_by_test_id("network-path-list").inner_text()
    screenshot(page, "network-path-payments.png")

    # Every type ticked again: the same two are joined by a shorter route or an equal one
    # that leaves the payments, as the API says.
    for i in range(boxes.count()):
        boxes.nth(i).set_checked(True)
    page.get_by_test_id("network-path-button").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=network-path-step]')]"
        ".some((li) => li.dataset.types && li.dataset.types !== 'payment')", timeout=20_000)


def test_a_victim_is_never_offered_as_a_target(base_url: str, offline: Any,
                                               screenshot: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    _open_network(page, base_url)
    page.get_by_test_id("network-node-filter").fill("Arrival")
    victim = page.get_by_test_id("network-node-item").first
    victim_id = victim.get_attribute("data-id")
    victim.click()
    page.get_by_test_id("network-target-refused").wait_for()
    selection = page.get_by_test_id("network-selection")
    assert "Arrival" in page.get_by_test_id("network-selected-label").inner_text()
    assert selection.get_by_test_id("network-add-target").count() == 0
    assert RULE in page.get_by_test_id("network-target-refused").inner_text()
    assert "victim or witness" in page.get_by_test_id("network-selected-role").inner_text()
    screenshot(page, "network-victim.png")

    # The hub is a suspect: offered, and added.
    page.get_by_test_id("network-node-filter").fill("")
    page.locator(f"[data-testid=network-node-item][data-id='{HUB}']").click()
    page.get_by_test_id("network-add-target").click()
    assert page.get_by_test_id("network-targets").locator("li").count() == 1

    # The server is the guard: the victim given as a target is refused, naming the rule.
    token = page.evaluate("() => sessionStorage.getItem('pinchpoint.token')")
    refused = page.request.post(f"{base_url}/api/network/plan", data={
        "targets": [HUB, victim_id]}, headers={"Authorization": f"Bearer {token}",
                                               "X-Purpose": "web test"})
    assert refused.status == 400, refused.text()
    assert RULE in refused.json()["detail"]


def test_colour_by_role_shows_the_broker_roles(base_url: str, offline: Any,
                                               screenshot: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    _open_network(page, base_url)
    page.get_by_test_id("network-colour-by").select_option("role")
    items = page.get_by_test_id("network-broker-legend-item")
    items.first.wait_for()
    counted = {items.nth(i).get_attribute("data-role"): int(items.nth(i).get_attribute(
        "data-count")) for i in range(items.count())}
    assert {role for role, n in counted.items() if n} & BROKER_ROLES, counted

    # The hub (selected on opening) brokers: its role is said in plain words.
    assert "Rebin" in page.get_by_test_id("network-selected-label").inner_text()
    role = page.get_by_test_id("network-selected-role")
    assert role.get_attribute("data-role") in BROKER_ROLES
    words = role.inner_text()
    assert words.startswith(role.get_attribute("data-role") + ":") and len(words) > 20
    screenshot(page, "network-roles.png")


def test_a_page_without_a_network_offers_no_layout(base_url: str, offline: Any) -> None:
    # Border Force's analyst is not resolved: the network answers 409.
    page = offline().page
    log_in(page, base_url, "bruno")
    page.goto(f"{base_url}/#/network")
    page.get_by_test_id("network-not-resolved").wait_for(timeout=20_000)
    assert not page.get_by_test_id("network-layout-toggle").is_visible()
    assert not page.get_by_test_id("network-fit").is_visible()

    # nadia's network fails to load: an error to retry, but nothing to lay out.
    page = offline().page
    log_in(page, base_url, "nadia")
    page.route("**/api/network/rank*", lambda route: route.fulfill(
        status=500, content_type="application/json", body='{"detail": "the server failed"}'))
    page.goto(f"{base_url}/#/network")
    page.get_by_test_id("network-canvas").get_by_test_id("state-error").wait_for(timeout=20_000)
    assert not page.get_by_test_id("network-layout-toggle").is_visible()

    # With a graph drawn, the controls are there.
    page.unroute("**/api/network/rank*")
    _open_network(page, base_url, hops=1)
    assert page.get_by_test_id("network-layout-toggle").is_visible()


def test_the_group_legend_names_groups(base_url: str, offline: Any) -> None:
    """Coloured by group (the default), the legend and the selection name each group after
    its heads, as Key people does, never "G1" and never a 40-character id."""
    page = offline().page
    log_in(page, base_url, "nadia")
    _open_network(page, base_url)
    groups = _api(page, base_url, "/api/network/groups").json()["groups"]
    names = {g["name"] for g in groups}
    assert not any(re.search(r"\b[0-9a-f]{40}\b", n) for n in names)
    items = page.get_by_test_id("network-legend-list").locator("li")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=network-legend-list] li')]"
        ".some(li => li.textContent.includes(' / '))", timeout=10_000)
    shown = [items.nth(i).inner_text() for i in range(items.count())]
    assert not any(re.match(r"^G\d+\b", text) for text in shown), shown
    assert any(name in text for text in shown for name in names), shown
