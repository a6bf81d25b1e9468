"""Account changes over the API take effect on the very next request while the server
runs (issue 14, finding 5): disable, new password, role, clearance, revoked tokens,
expired tokens, lockout after repeated failures, and every login and refusal audited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from clock import Clock
from fastapi.testclient import TestClient

from pinchpoint.access import directory, journal
from pinchpoint.access.accounts import LoginGuard
from pinchpoint.api.app import create_app
from pinchpoint.store import directory as store_directory
from pinchpoint.store import init_workspace

PASSWORD = "a long enough phrase"
NEW_PASSWORD = "another long phrase"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    workspace = init_workspace(tmp_path / "ws", agency="NCA")
    with workspace.open_store() as store:
        directory.add_agency(store.con, "BF")
        for name, agency, role in (("root", "NCA", "administrator"),
                                   ("nadia", "NCA", "analyst"),
                                   ("bruno", "BF", "analyst")):
            directory.add_user(store.con, name, agency, role, "SECRET", PASSWORD)
    with TestClient(create_app(workspace.path)) as test_client:
        yield test_client


def _login(client: TestClient, user: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/login", json={"username": user, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}", "X-Purpose": "test"}


def _admin(client: TestClient, path: str, body: dict[str, Any] | None = None,
           status: int = 200) -> Any:
    response = client.post(f"/api/users/{path}", json=body or {},
                           headers=_login(client, "root"))
    assert response.status_code == status, response.text
    return response.json()


def test_disabling_a_user_stops_their_token_at_once(client: TestClient) -> None:
    nadia = _login(client, "nadia")
    assert client.get("/api/me", headers=nadia).status_code == 200  # remembered now
    assert _admin(client, "nadia/disable", {"reason": "left"})["result"] == 1
    assert client.get("/api/me", headers=nadia).status_code == 401
    refused = client.post("/api/login", json={"username": "nadia", "password": PASSWORD})
    assert refused.status_code == 401
    _admin(client, "nadia/enable")
    assert client.get("/api/me", headers=nadia).status_code == 401  # stays revoked
    assert client.get("/api/me", headers=_login(client, "nadia")).status_code == 200


def test_a_lowered_clearance_and_a_new_role_apply_on_the_next_request(
        client: TestClient) -> None:
    nadia = _login(client, "nadia")
    assert client.get("/api/me", headers=nadia).json()["clearance"] == "SECRET"
    _admin(client, "nadia/clearance", {"clearance": "OFFICIAL"})
    _admin(client, "nadia/role", {"role": "auditor"})
    me = client.get("/api/me", headers=nadia).json()
    assert (me["clearance"], me["role"]) == ("OFFICIAL", "auditor")
    _admin(client, "nadia/clearance", {"clearance": "TOP"}, status=422)


def test_revoking_tokens_and_a_new_password_bite_at_once(client: TestClient) -> None:
    nadia = _login(client, "nadia")
    client.get("/api/me", headers=nadia)
    _admin(client, "nadia/revoke-tokens")
    assert client.get("/api/me", headers=nadia).status_code == 401
    nadia = _login(client, "nadia")
    weak = _admin(client, "nadia/password", {"password": "short"}, status=400)
    assert "short" not in str(weak)
    _admin(client, "nadia/password", {"password": NEW_PASSWORD})
    assert client.get("/api/me", headers=nadia).status_code == 401
    assert client.post("/api/login", json={"username": "nadia", "password": PASSWORD}
                       ).status_code == 401
    _login(client, "nadia", NEW_PASSWORD)


def test_only_administrators_change_accounts(client: TestClient) -> None:
    for user in ("nadia", "bruno"):
        response = client.post("/api/users/root/disable", json={},
                               headers=_login(client, user))
        assert response.status_code == 403, response.text
    assert client.post("/api/users/nadia/disable", json={}).status_code == 401
    _admin(client, "root/disable", status=400)  # nobody locks themselves out
    _admin(client, "ghost/disable", status=400)


def test_tokens_expire(client: TestClient) -> None:
    state = client.app.state.pinchpoint  # type: ignore[attr-defined]
    nadia = _login(client, "nadia")
    assert client.get("/api/me", headers=nadia).status_code == 200
    assert state.token_lifetime == timedelta(hours=12)
    state.clock = lambda: store_directory.now() + timedelta(hours=12, seconds=1)
    assert client.get("/api/me", headers=nadia).status_code == 401  # remembered, expired
    state.invalidate()
    assert client.get("/api/me", headers=nadia).status_code == 401  # read afresh


def test_fifteen_wrong_passwords_lock_the_name(client: TestClient) -> None:
    state = client.app.state.pinchpoint  # type: ignore[attr-defined]
    clock = Clock()
    clock.set(store_directory.now())
    state.guard = LoginGuard(clock=lambda: clock.now)
    codes = [client.post("/api/login", json={"username": "nadia", "password": "wrong wrong"}
                         ).status_code for _ in range(15)]
    assert set(codes) == {401, 429}
    right = client.post("/api/login", json={"username": "nadia", "password": PASSWORD})
    assert right.status_code == 429
    assert int(right.headers["Retry-After"]) >= 1
    clock.set(clock.now + timedelta(seconds=int(right.headers["Retry-After"])))
    _login(client, "nadia")


def test_logins_refusals_and_changes_are_audited(client: TestClient) -> None:
    for odd in (" ", "a\x00b", "\u202e"):  # refused (401), never a 500
        response = client.post("/api/login", json={"username": odd, "password": "x" * 12})
        assert response.status_code == 401, (odd, response.text)
    _login(client, "nadia")
    client.post("/api/login", json={"username": "nadia", "password": "wrong wrong"})
    client.post("/api/login", json={"username": "ghost", "password": "wrong wrong"})
    _admin(client, "nadia/clearance", {"clearance": "OFFICIAL", "reason": "moved teams"})
    client.app.state.pinchpoint.close()  # type: ignore[attr-defined]
    with journal.open_log(client.app.state.pinchpoint.workspace.path) as log:  # type: ignore[attr-defined]
        entries = [(e.user, e.agency, e.what) for e in log.entries("NCA")]
    assert ("nadia", "NCA", "POST /api/login (token issued)") in entries
    assert ("nadia", "NCA", "POST /api/login refused: wrong user name or password") in entries
    assert ("ghost", "NCA", "POST /api/login refused: wrong user name or password") in entries
    assert ("root", "NCA", "user nadia: clearance OFFICIAL") in entries
