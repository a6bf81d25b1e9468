"""The Administration view (issue 16, item 2): an administrator disables a user and
revokes a grant from the browser, and both bite on the next API request; a supervisor
sees grants but no users; an analyst has no Administration page."""

from __future__ import annotations

from typing import Any

import httpx
from api_world import PASSWORD
from test_workbench import log_in

from pinchpoint.access import directory


def _add_users(world: Any) -> None:
    """An NCA administrator and a user for them to disable (the app holds the store;
    this process joins the same database)."""
    with world.workspace.open_store() as store:
        known = {r.user for r in directory.users(store.con)}
        for name, role in (("webadmin", "administrator"), ("leaver", "analyst")):
            if name not in known:
                directory.add_user(store.con, name, "NCA", role, "SECRET", PASSWORD)


def _token(http: httpx.Client, user: str) -> dict[str, str]:
    answer = http.post("/api/login", json={"username": user, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}", "X-Purpose": "web test"}


def test_an_administrator_disables_a_user_and_revokes_a_grant(
        web_world: Any, base_url: str, offline: Any) -> None:
    _add_users(web_world)
    with httpx.Client(base_url=base_url) as http:
        admin, leaver = _token(http, "webadmin"), _token(http, "leaver")
        assert http.get("/api/me", headers=leaver).status_code == 200
        made = http.post("/api/admin/grants", headers=admin, json={
            "to": "PAF-FR", "reason": "web test grant", "source": "nominals"}).json()
        page = offline().page
        log_in(page, base_url, "webadmin")
        page.get_by_test_id("nav-admin").click()
        row = page.locator("[data-testid=admin-user-row][data-user=leaver]")
        row.wait_for()
        row.get_by_test_id("admin-user-toggle").click()  # no reason yet: refused here
        assert "Give a reason" in page.get_by_test_id("admin-status").inner_text()
        page.get_by_test_id("admin-reason").fill("left the unit")
        row.get_by_test_id("admin-user-toggle").click()
        page.locator("[data-testid=admin-user-row][data-user=leaver][data-disabled=true]"
                     ).wait_for()
        assert http.get("/api/me", headers=leaver).status_code == 401
        grant = page.locator(f"[data-testid=admin-grant-row][data-grant='{made['id']}']")
        grant.get_by_test_id("admin-grant-revoke").click()
        grant.wait_for(state="detached")
        active = {g["id"] for g in http.get("/api/admin/grants", headers=admin).json()}
        assert made["id"] not in active and active  # Border Force's grant to NCA stays
        received = page.get_by_test_id("admin-grant-row")
        received.first.wait_for()  # the list as reloaded after the revocation
        assert received.count() == 1 and not received.get_by_test_id(
            "admin-grant-revoke").count()  # a received grant is not NCA's to revoke
        whats = [e["what"] for e in http.get("/api/audit?action=alteration",
                                             headers=admin).json()]
        assert "user leaver: disabled" in whats and f"grant {made['id']} revoked" in whats


def test_a_supervisor_sees_grants_and_an_analyst_no_administration(
        base_url: str, offline: Any) -> None:
    page = offline().page
    log_in(page, base_url, "bfsup")
    page.get_by_test_id("nav-admin").click()
    page.get_by_test_id("admin-grant-row").first.wait_for()
    assert not page.get_by_test_id("admin-users").count()
    analyst = offline().page
    log_in(analyst, base_url, "nadia")
    assert not analyst.get_by_test_id("nav-admin").count()
