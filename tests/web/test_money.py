"""Money in the browser: the Money view's Sankey, alerts and trace, a profile's money in
and out, and the network coloured by suggested role (issue 15, item 5).

The world is the API tests' one with a second NCA ledger holding a structuring pattern
(`conftest.add_structuring`), so the alerts have one to show."""

from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import quote

from test_workbench import log_in
from web_harness import READY

BOSS = "Amanj Hassan Zada"
RAW_ID = re.compile(r"\b[0-9a-f]{40}\b")
KINGPIN = (0xC9, 0x2A, 0x2A)  # web/src/roles.ts ROLE_COLOURS.kingpin


def api_get(page: Any, base: str, path: str) -> Any:
    """What the API answers the logged-in page's user (the test reads its facts so)."""
    token = page.evaluate("() => sessionStorage.getItem('pinchpoint.token')")
    answer = page.request.get(f"{base}{path}", headers={"Authorization": f"Bearer {token}",
                                                        "X-Purpose": "browser test"})
    assert answer.ok, answer.text()
    return answer.json()


def test_money_view_flows_and_alerts(base_url: str, offline: Any, screenshot: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    page.get_by_test_id("nav-money").click()
    page.get_by_test_id("money-sankey-svg").wait_for(timeout=20_000)
    assert page.get_by_test_id("money-sankey-link").count() >= 3
    assert page.locator("svg path[data-testid=money-sankey-link]").count() >= 3
    labels = page.get_by_test_id("money-sankey-label").all_text_contents()
    assert BOSS in labels and "Rebin Ali" in labels
    assert not [x for x in labels if RAW_ID.search(x) or not x.strip()], labels
    assert "GBP" in page.get_by_test_id("money-base").inner_text()

    alert = page.get_by_test_id("money-alert").first
    alert.wait_for(timeout=20_000)
    screenshot(page, "money.png")
    assert alert.get_attribute("data-typology") == "structuring"
    assert "GBP" in alert.get_by_test_id("money-alert-total").inner_text()
    assert BOSS in alert.inner_text() and "just below" in alert.inner_text()
    alert.get_by_test_id("money-alert-toggle").click()
    payments = alert.get_by_test_id("money-payment")
    payments.first.wait_for(timeout=20_000)
    assert payments.count() == 4
    assert "HW-2001" in alert.get_by_test_id("money-alert-references").inner_text()
    assert "950 GBP" in payments.first.inner_text()
    assert alert.get_by_test_id("money-alert-toggle").get_attribute("aria-expanded") == "true"

    page.get_by_test_id("money-typology").select_option("cycle")
    page.get_by_test_id("money-alerts-empty").wait_for(timeout=20_000)
    page.get_by_test_id("money-typology").select_option("structuring")
    page.get_by_test_id("money-alert").first.wait_for(timeout=20_000)


def test_trace_between_two_people(base_url: str, offline: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    traced = api_get(page, base_url, f"/api/money/trace?from={quote(BOSS)}")
    far = next(s for s in traced["steps"] if s["hop"] == 2)  # Dilan Karim to Boxer Bhai
    page.goto(f"{base_url}/#/money")
    page.get_by_test_id("money-trace-from").fill(BOSS)
    page.get_by_test_id("money-trace-to").fill(far["to"])
    page.get_by_test_id("money-trace-submit").click()
    hops = page.get_by_test_id("money-trace-hop")
    hops.first.wait_for(timeout=20_000)
    assert [hops.nth(i).get_attribute("data-hop") for i in range(hops.count())] == ["1", "2"]
    text = page.get_by_test_id("money-trace-result").inner_text()
    assert BOSS in text and far["to_label"] in text and far["reference"] in text
    assert "GBP" in text and not RAW_ID.search(text)

    # A party nobody can find is a message, with no "Retry" (retrying cannot help).
    page.get_by_test_id("money-trace-from").fill("Nobody Of That Name")
    page.get_by_test_id("money-trace-to").fill("")
    page.get_by_test_id("money-trace-submit").click()
    error = page.get_by_test_id("money-trace-result").get_by_test_id("state-error")
    error.wait_for(timeout=20_000)
    assert error.get_attribute("data-status") == "404" and "no party" in error.inner_text()
    assert error.get_by_role("button").count() == 0


def test_profile_shows_money_in_and_out(base_url: str, offline: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    boss = api_get(page, base_url, f"/api/money/trace?from={quote(BOSS)}")["start"]
    page.goto(f"{base_url}/#/entity/{quote(boss)}")
    received = page.get_by_test_id("profile-money-received")
    received.wait_for(timeout=20_000)
    assert received.inner_text() == "9,500 GBP (1 payment)"
    assert "GBP (6 payments)" in page.get_by_test_id("profile-money-sent").inner_text()
    assert page.get_by_test_id("profile-money-count").inner_text().startswith("7")
    others = page.get_by_test_id("profile-money-counterparties").inner_text()
    assert "Rebin Ali" in others and not RAW_ID.search(others)
    page.get_by_test_id("profile-money-trace").click()
    page.get_by_test_id("money-trace-hop").first.wait_for(timeout=20_000)


COUNT_COLOUR = """([url, rgb]) => new Promise((done) => {
  const img = new Image();
  img.onload = () => {
    const c = document.createElement("canvas");
    c.width = img.width; c.height = img.height;
    const g = c.getContext("2d");
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4)
      if (Math.abs(d[i] - rgb[0]) + Math.abs(d[i + 1] - rgb[1])
          + Math.abs(d[i + 2] - rgb[2]) < 24) n++;
    done(n);
  };
  img.src = url;
})"""


def test_network_coloured_by_suggested_role(base_url: str, offline: Any) -> None:
    page = offline().page
    log_in(page, base_url, "nadia")
    leaders = api_get(page, base_url, "/api/network/leaders")
    assert any(m["role"] == "kingpin" for g in leaders for m in g["members"])
    page.goto(f"{base_url}/#/network")
    page.wait_for_function(READY, timeout=20_000)
    page.get_by_test_id("network-layout-toggle").click()
    page.get_by_test_id("network-colour-by").select_option("suggested")
    legend = page.get_by_test_id("network-role-legend")
    legend.wait_for(timeout=20_000)
    items = legend.get_by_test_id("network-role-legend-item")
    roles = {items.nth(i).get_attribute("data-role"): int(items.nth(i).get_attribute("data-count"))
             for i in range(items.count())}
    assert {"kingpin", "lieutenant", "hawaladar", "none"} <= set(roles)
    assert roles["kingpin"] >= 1, roles
    page.get_by_test_id("network-fit").click()
    page.mouse.move(1, 1)  # no node hovered: hovering greys the others
    page.wait_for_timeout(700)
    canvas = page.get_by_test_id("network-canvas")
    url = "data:image/png;base64," + base64.b64encode(canvas.screenshot()).decode()
    red = 0
    for _ in range(10):  # WebGL may draw the recoloured frame a little late
        red = page.evaluate(COUNT_COLOUR, [url, list(KINGPIN)])
        if red:
            break
        page.wait_for_timeout(500)
        url = "data:image/png;base64," + base64.b64encode(canvas.screenshot()).decode()
    assert red > 0, "no node drawn in the kingpin colour"
