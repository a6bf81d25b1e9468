"""The admin API (issue 16, item 2): users, grants, agencies and sharing groups while the
server runs, each allowed or refused by the library rule the CLI uses, each logged, and
a revocation biting on the very next request (not served from the API's caches)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from api_world import PASSWORD, World, build
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from pinchpoint.access import directory
from pinchpoint.api.app import create_app
from pinchpoint.model.owned import owned_id

RAWAND = owned_id("BORDER-FORCE", "a4d1fc451146671f6dd01c5f529037900c12a6eb")  # BF's, shared
NEW_PASSWORD = "a fresh long passphrase"
ADMINS = {"root": ("NCA", "administrator"), "bfadmin": ("BORDER-FORCE", "administrator"),
          "nsup": ("NCA", "supervisor")}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, backend: str) -> World:
    world = build(tmp_path_factory.mktemp("admin"))
    with world.workspace.open_store() as store:
        for name, (agency, role) in ADMINS.items():
            directory.add_user(store.con, name, agency, role, "SECRET", PASSWORD)
    return world


@pytest.fixture(scope="module")
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.workspace.path)) as test_client:
        yield test_client


def login(client: TestClient, user: str, password: str = PASSWORD,
          purpose: str | None = "admin test") -> dict[str, str]:
    response = client.post("/api/login", json={"username": user, "password": password})
    assert response.status_code == 200, response.text
    headers = {"Authorization": f"Bearer {response.json()['token']}"}
    return headers | ({"X-Purpose": purpose} if purpose else {})


def call(client: TestClient, who: dict[str, str], path: str, body: Any = None,
         status: int = 200) -> Any:
    """GET `path`, or POST `body` to it, as `who`; the answer's JSON."""
    url = f"/api/admin/{path}"
    # JSON as the standard library writes it: a lone surrogate travels as \ud800
    response = (client.get(url, headers=who) if body is None else client.post(
        url, content=json.dumps(body), headers={**who, "Content-Type": "application/json"}))
    assert response.status_code == status, (path, response.text)
    return response.json()


def audited(client: TestClient, admin: dict[str, str], action: str) -> list[dict[str, Any]]:
    """The admin's agency's latest audit entries of `action`."""
    response = client.get(f"/api/audit?action={action}&limit=50", headers=admin)
    assert response.status_code == 200, response.text
    return list(response.json())


# -- users ---------------------------------------------------------------------------------
def test_administrators_list_the_users_they_administer(client: TestClient) -> None:
    every = {u["name"]: u for u in call(client, login(client, "root"), "users")}
    assert {"nadia", "aud", "bruno", "bfsup", "root", "bfadmin"} <= set(every)
    assert every["bruno"] == {"name": "bruno", "agency": "BORDER-FORCE", "role": "analyst",
                              "clearance": "OFFICIAL", "disabled": False}
    own = {u["name"] for u in call(client, login(client, "bfadmin"), "users")}
    assert own == {"bruno", "bfsup", "bfadmin"}  # Border Force's only
    for user in ("nadia", "aud", "nsup", "bfsup"):
        refused = call(client, login(client, user), "users", status=403)
        assert "administrator" in refused["detail"]
    assert client.get("/api/admin/users").status_code == 401
    entries = audited(client, login(client, "root"), "consultation")
    assert any(e["what"] == "GET /api/admin/users" and e["user"] == "root" for e in entries)


def test_an_administrator_adds_users_to_their_own_agency(client: TestClient) -> None:
    bfadmin = login(client, "bfadmin")
    added = call(client, bfadmin, "users", {"name": "bf-new", "password": NEW_PASSWORD,
                                            "role": "analyst", "reason": "new starter"})
    assert added == {"name": "bf-new", "agency": "BORDER-FORCE", "role": "analyst",
                     "clearance": "OFFICIAL", "disabled": False}
    assert client.get("/api/me", headers=login(client, "bf-new", NEW_PASSWORD)
                      ).json()["agency"] == "BORDER-FORCE"
    other = {"name": "nca-new", "password": NEW_PASSWORD, "agency": "NCA"}
    assert "not NCA's" in call(client, bfadmin, "users", other, status=403)["detail"]
    root = login(client, "root")  # the operator adds to any agency
    assert call(client, root, "users", {**other, "agency": "PAF-FR"})["agency"] == "PAF-FR"
    for user in ("nadia", "nsup", "bfsup"):
        call(client, login(client, user), "users", {**other, "name": "x-new"}, status=403)
    entries = audited(client, bfadmin, "alteration")
    assert any(e["what"] == "user bf-new" and e["why"] == "new starter"
               and e["user"] == "bfadmin" for e in entries)
    assert any(e["what"].startswith("refused: add user nca-new (403: ") and
               e["user"] == "bfadmin" for e in entries)  # a refused attempt is on record
    assert any(e["what"].startswith("refused: add user x-new (403: ") and e["user"] == "nadia"
               for e in audited(client, root, "alteration"))


@pytest.mark.parametrize(("body", "status", "said"), [
    ({"name": "bf-new", "password": NEW_PASSWORD}, 400, "already exists"),
    ({"name": "bf two", "password": NEW_PASSWORD}, 400, "without spaces"),
    ({"name": "bf-weak", "password": "short"}, 400, "at least 12"),
    ({"name": "bf-x", "password": NEW_PASSWORD, "agency": "NOWHERE"}, 403, "not NOWHERE's"),
    ({"name": "bf-x", "password": NEW_PASSWORD, "role": "king"}, 422, "role"),
    ({"name": "bf-x", "password": NEW_PASSWORD, "clearance": "TOP"}, 422, "clearance"),
    ({"name": "bf-\ud800", "password": NEW_PASSWORD}, 422, "unicode"),
    ({"name": "bf-x"}, 422, "password"),
    ({"password": NEW_PASSWORD}, 422, "name"),
])
def test_bad_users_are_refused_in_a_sentence(client: TestClient, body: dict[str, str],
                                             status: int, said: str) -> None:
    answer = call(client, login(client, "bfadmin"), "users", body, status=status)
    assert said in str(answer["detail"])
    assert NEW_PASSWORD not in str(answer) and "short" not in str(answer).replace(
        "at least", "")


def test_a_change_without_any_reason_is_refused(client: TestClient) -> None:
    silent = login(client, "bfadmin", purpose=None)
    body = {"name": "bf-quiet", "password": NEW_PASSWORD}
    assert "give a reason" in call(client, silent, "users", body, status=400)["detail"]
    assert "bf-quiet" not in {u["name"] for u in call(client, silent, "users")}
    refused = client.post("/api/users/bruno/revoke-tokens", json={}, headers=silent)
    assert refused.status_code == 400 and "give a reason" in refused.text
    call(client, silent, "users", {**body, "reason": "given in the body"})


def test_a_disabled_user_is_listed_and_their_token_stops_on_the_next_request(
        client: TestClient) -> None:
    root = login(client, "root")
    call(client, root, "users", {"name": "leaver", "password": NEW_PASSWORD})
    leaver = login(client, "leaver", NEW_PASSWORD)
    assert client.get("/api/me", headers=leaver).status_code == 200  # remembered now
    changed = client.post("/api/users/leaver/disable", json={"reason": "left"}, headers=root)
    assert changed.status_code == 200, changed.text
    assert client.get("/api/me", headers=leaver).status_code == 401
    listed = {u["name"]: u["disabled"] for u in call(client, root, "users")}
    assert listed["leaver"] is True and listed["nadia"] is False


# -- grants --------------------------------------------------------------------------------
def test_grants_are_listed_for_supervisors_and_administrators(client: TestClient) -> None:
    made = call(client, login(client, "bfsup"), "grants")
    assert [(g["direction"], g["owner"], g["recipient"]) for g in made] == [
        ("made", "BORDER-FORCE", "NCA")]
    received = call(client, login(client, "root"), "grants")
    assert [(g["direction"], g["owner"]) for g in received] == [("received", "BORDER-FORCE")]
    for user in ("nadia", "aud", "bruno"):
        call(client, login(client, user), "grants", status=403)


@pytest.mark.parametrize(("body", "status", "said"), [
    ({"to": "NOWHERE", "reason": "why"}, 400, "no agency NOWHERE"),
    ({"to": "NCA", "reason": "why"}, 400, "always sees its own"),
    ({"to": "NOGROUP", "reason": "why", "group": True}, 400, "no sharing group"),
    ({"to": "PAF-FR", "reason": "   "}, 400, "needs a reason"),
    ({"to": "PAF-FR", "reason": ""}, 422, "reason"),
    ({"to": "PAF-FR"}, 422, "reason"),
    ({"to": "PAF-FR", "reason": "why", "source": "a\ud800"}, 422, "unicode"),
])
def test_bad_grants_are_refused_in_a_sentence(client: TestClient, body: dict[str, Any],
                                              status: int, said: str) -> None:
    answer = call(client, login(client, "nsup"), "grants", body, status=status)
    assert said in str(answer["detail"])


def test_a_grant_is_made_and_revoked_by_its_own_agency_only(client: TestClient) -> None:
    nsup, root = login(client, "nsup"), login(client, "root")
    made = call(client, nsup, "grants", {"to": "PAF-FR", "reason": "Operation Tern",
                                         "source": "nominals"})
    assert (made["owner"], made["recipient"], made["source"], made["granted_by"]) == (
        "NCA", "PAF-FR", "nominals", "nsup")
    disclosed = [e for e in audited(client, root, "disclosure")
                 if e["what"] == f"grant {made['id']}: nominals"]
    assert disclosed and disclosed[0]["recipients"] == ["PAF-FR"]
    assert disclosed[0]["why"] == "Operation Tern"
    call(client, login(client, "nadia"), "grants", {"to": "PAF-FR", "reason": "x"},
         status=403)
    other = call(client, login(client, "bfadmin"), f"grants/{made['id']}/revoke",
                 {"reason": "not ours"}, status=400)
    assert f"no active grant {made['id']} of BORDER-FORCE" in other["detail"]
    call(client, login(client, "nadia"), f"grants/{made['id']}/revoke", {}, status=403)
    call(client, root, f"grants/{made['id']}/revoke", {"reason": "operation closed"})
    assert made["id"] not in {g["id"] for g in call(client, root, "grants")}
    call(client, root, f"grants/{made['id']}/revoke", {}, status=400)  # already revoked
    assert any(e["what"] == f"grant {made['id']} revoked" and e["why"] == "operation closed"
               and e["recipients"] == ["PAF-FR"]
               for e in audited(client, root, "alteration"))


def test_a_revoked_grant_is_not_served_from_the_caches(client: TestClient) -> None:
    nadia, bfsup = login(client, "nadia"), login(client, "bfsup")
    for _ in range(2):  # the second answer is the one kept for nadia's scope
        assert client.get(f"/api/entities/{RAWAND}", headers=nadia).status_code == 200
    assert "BORDER-FORCE" in client.get("/api/status", headers=nadia).json()["by_owner"]
    (shared,) = call(client, bfsup, "grants")
    call(client, bfsup, f"grants/{shared['id']}/revoke", {"reason": "test of revocation"})
    assert client.get(f"/api/entities/{RAWAND}", headers=nadia).status_code == 404
    assert "BORDER-FORCE" not in client.get("/api/status", headers=nadia).json()["by_owner"]
    again = call(client, bfsup, "grants", {"to": "NCA", "reason": "shared again"})
    assert again["recipient"] == "NCA"
    assert client.get(f"/api/entities/{RAWAND}", headers=nadia).status_code == 200


# -- agencies and sharing groups --------------------------------------------------------------
def test_administrators_add_agencies_and_groups(client: TestClient) -> None:
    root, nsup = login(client, "root"), login(client, "nsup")
    added = call(client, root, "agencies", {"name": "GARDA", "title": "An Garda Siochana",
                                            "groups": ["EMPACT"], "reason": "partner"})
    assert added == {"name": "GARDA", "title": "An Garda Siochana", "groups": ["EMPACT"]}
    joined = call(client, root, "agencies/PAF-FR/groups", {"group": "EMPACT"})
    assert joined["groups"] == ["EMPACT"]
    assert {"name": "EMPACT", "members": ["GARDA", "PAF-FR"]} in call(client, nsup, "groups")
    listed = {a["name"]: a for a in call(client, nsup, "agencies")}
    assert listed["GARDA"]["groups"] == ["EMPACT"] and "NCA" in listed
    group_grant = call(client, nsup, "grants", {"to": "EMPACT", "group": True,
                                                "reason": "EMPACT priority"})
    assert group_grant["recipient_kind"] == "group"
    assert any(e["what"] == "agency GARDA" and e["why"] == "partner"
               for e in audited(client, root, "alteration"))


def test_agency_changes_are_refused_in_a_sentence(client: TestClient) -> None:
    root = login(client, "root")
    for user in ("nsup", "bfsup", "nadia"):
        call(client, login(client, user), "agencies", {"name": "X-AG"}, status=403)
        call(client, login(client, user), "agencies/PAF-FR/groups", {"group": "G"},
             status=403)
    for user in ("nadia", "aud"):
        call(client, login(client, user), "agencies", status=403)
        call(client, login(client, user), "groups", status=403)
    assert "already exists" in call(client, root, "agencies", {"name": "PAF-FR"},
                                    status=400)["detail"]
    spaced = call(client, root, "agencies", {"name": "NEW-AG", "groups": ["a b"]}, status=400)
    assert "without spaces" in spaced["detail"]
    assert "NEW-AG" not in {a["name"] for a in call(client, root, "agencies")}
    assert "no agency GHOST" in call(client, root, "agencies/GHOST/groups",
                                     {"group": "EMPACT"}, status=400)["detail"]
    call(client, root, "agencies", {"name": "X", "groups": "EMPACT"}, status=422)


# -- the published description ----------------------------------------------------------------
def test_the_admin_api_is_documented_and_never_answers_5xx(client: TestClient) -> None:
    """Every admin operation is in /openapi.json with its refusals; generated requests
    as an administrator (who gets past the role checks to the library) give no 5xx.
    Last in the module: what it adds stays."""
    spec = client.get("/openapi.json").json()
    admin = {(p, m): op for p, ops in spec["paths"].items() if p.startswith("/api/admin/")
             for m, op in ops.items()}
    assert len(admin) == 9
    for (path, method), op in admin.items():
        assert "403" in op["responses"] and op.get("description"), (method, path)
        if method == "post":
            assert {"400", "422"} <= set(op["responses"]), path
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    headers = login(client, "root")
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/api/admin/"):
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers={**(case.headers or {}), **headers})
            assert response.status_code < 500, (case.method, case.formatted_path,
                                                 response.text[:300])

        check()
