"""The REST API end to end on the documented examples, as two agencies' analysts.

NCA's analyst (nadia) sees NCA's material and Border Force's shared crossings; Border
Force's analyst (bruno) sees only Border Force's crossings. What bruno may not see must
answer exactly like what does not exist.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from api_fixtures import login
from api_world import PASSWORD, World
from fastapi.testclient import TestClient

from pinchpoint.access.journal import open_log
from pinchpoint.model.owned import owned_id

pytest_plugins = ["api_fixtures"]

REBIN = owned_id("NCA", "8f45d3fcb2ceaa771575e652ade47108ddff7b1c")  # NCA's, never shared
RAWAND = owned_id("BORDER-FORCE", "a4d1fc451146671f6dd01c5f529037900c12a6eb")  # BF's, shared


def get(client: TestClient, path: str, headers: dict[str, str], status: int = 200) -> Any:
    response = client.get(path, headers=headers)
    assert response.status_code == status, (path, response.text)
    return response.json()


# -- authentication ----------------------------------------------------------------------
def test_login_refuses_alike_unknown_user_and_wrong_password(client: TestClient) -> None:
    wrong = client.post("/api/login", json={"username": "nadia", "password": "nope-nope"})
    unknown = client.post("/api/login", json={"username": "ghost", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_every_endpoint_needs_a_token(client: TestClient) -> None:
    for path in ("/api/me", "/api/status", "/api/search?q=x", f"/api/entities/{REBIN}",
                 "/api/network/rank", "/api/timeline", "/api/map", "/api/dashboard"):
        assert client.get(path).status_code == 401, path
        assert client.get(path, headers={"Authorization": "Bearer nonsense"}
                          ).status_code == 401, path


def test_logout_revokes_the_token(client: TestClient) -> None:
    headers = login(client, "nadia")
    assert get(client, "/api/me", headers)["user"] == "nadia"
    assert client.post("/api/logout", headers=headers).status_code == 200
    assert client.get("/api/me", headers=headers).status_code == 401


def test_me(client: TestClient, nadia: dict[str, str]) -> None:
    client.app.state.pinchpoint.settle()  # the scope logging in started to make
    assert get(client, "/api/me", nadia) == {"user": "nadia", "agency": "NCA",
                                             "role": "analyst", "clearance": "SECRET",
                                             "prepared": True}


# -- reads, and what another agency does not see ---------------------------------------------
def test_status_counts_only_what_the_caller_sees(client: TestClient, nadia: dict[str, str],
                                                 bruno: dict[str, str]) -> None:
    mine, theirs = get(client, "/api/status", nadia), get(client, "/api/status", bruno)
    assert set(mine["by_owner"]) == {"NCA", "BORDER-FORCE"}
    assert set(theirs["by_owner"]) == {"BORDER-FORCE"}
    assert theirs["entities"] < mine["entities"]
    assert mine["resolved"] > 0 and theirs["resolved"] == 0


def test_entity_profile(client: TestClient, nadia: dict[str, str]) -> None:
    found = get(client, f"/api/entities/{REBIN}", nadia)
    assert found["schema"] == "Person" and found["label"] == "Rebin Hama Ali"
    assert REBIN in found["records"]
    assert {"prop", "value", "owner", "source", "handling_conditions", "classification",
            "source_grade", "info_grade"} <= set(found["statements"][0])
    assert found["banners"]["classification"] in ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET")


def test_invisible_entity_is_a_missing_entity(client: TestClient, bruno: dict[str, str],
                                              nadia: dict[str, str]) -> None:
    hidden = client.get(f"/api/entities/{REBIN}", headers=bruno)
    missing = client.get("/api/entities/no-such-id", headers=bruno)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert client.get(f"/api/entities/{REBIN}/neighbourhood", headers=bruno).json() == \
        missing.json()
    assert get(client, f"/api/entities/{RAWAND}", bruno)["label"] == "Rawand Aziz"
    assert get(client, f"/api/entities/{RAWAND}", nadia)["label"] == "Rawand Aziz"


def test_search_across_scripts_and_scopes(client: TestClient, nadia: dict[str, str],
                                          bruno: dict[str, str]) -> None:
    hits = get(client, "/api/search?q=Amanj Hassan Zada", nadia)
    assert hits and hits[0]["schema"] == "Person"
    arabic = get(client, "/api/search?q=أمانج حسن زاده", nadia)
    assert {h["id"] for h in arabic} & {h["id"] for h in hits}
    assert any(h["id"] == REBIN for h in get(client, "/api/search?q=Rebin", nadia))
    assert get(client, "/api/search?q=Rebin", bruno) == []
    phones = get(client, "/api/search?q=%2B44 7911", nadia)
    assert phones and phones[0]["match"].startswith("phone:")
    assert get(client, "/api/search?q=%2B44 7911", bruno) == []


def test_neighbourhood(client: TestClient, nadia: dict[str, str], bruno: dict[str, str]
                       ) -> None:
    found = get(client, f"/api/entities/{REBIN}/neighbourhood?hops=1", nadia)
    ids = {n["id"] for n in found["nodes"]}
    assert REBIN in ids and len(ids) > 1
    assert all(e["source"] in ids and e["target"] in ids for e in found["edges"])
    calls = get(client, f"/api/entities/{REBIN}/neighbourhood?types=call", nadia)
    assert {e["type"] for e in calls["edges"]} <= {"call"}
    assert client.get(f"/api/entities/{RAWAND}/neighbourhood", headers=bruno
                      ).status_code == 409  # Border Force has not resolved its scope


def test_network_views(client: TestClient, nadia: dict[str, str]) -> None:
    ranked = get(client, "/api/network/rank?top=5", nadia)
    assert ranked[0]["rank"] == 1 and "betweenness" in ranked[0]["ingredients"]
    assert get(client, "/api/network/groups", nadia)["groups"]
    planned = client.post("/api/network/plan", json={"k": 2}, headers=nadia).json()
    assert len(planned["targets"]) == 2 and len(planned["curve"]) == 3
    own = client.post("/api/network/plan", json={"targets": [REBIN]}, headers=nadia).json()
    assert own["targets"] == [REBIN] and own["curve"][0] == 1.0
    other = ranked[1]["id"]
    paths = get(client, f"/api/network/path?a={REBIN}&b={other}", nadia)
    assert paths and paths[0]["nodes"][0] == REBIN
    assert client.post("/api/network/plan", json={"k": 2, "strategy": "nonsense"},
                       headers=nadia).status_code == 400


def test_picture_views(client: TestClient, nadia: dict[str, str], bruno: dict[str, str]
                       ) -> None:
    events = get(client, "/api/timeline?limit=1000", nadia)["items"]
    assert events and events == sorted(events, key=lambda e: e["date"])
    assert {e["schema"] for e in get(client, "/api/timeline", bruno)["items"]} == {"Crossing"}
    assert get(client, "/api/timeline?since=2030-01-01", nadia)["items"] == []
    shown = get(client, "/api/map", nadia)
    assert {"places", "routes", "seizures"} <= set(shown)
    board = get(client, "/api/dashboard", nadia)
    assert set(board["workspace"]) == {"investigations", "arrests", "seizures", "posts"}
    assert board["workspace"]["posts"] > 0 and get(
        client, "/api/dashboard", bruno)["workspace"]["posts"] == 0


def test_review_and_judgements(client: TestClient, nadia: dict[str, str]) -> None:
    queue = get(client, "/api/review?limit=3", nadia)
    assert queue and {"left_statements", "right_statements", "explanation"} <= set(queue[0])
    item = queue[0]
    body = {"left": item["left"], "right": item["right"], "verdict": "different",
            "reason": "different birth dates"}
    made = client.post("/api/judgements", json=body, headers=nadia)
    assert made.status_code == 200, made.text
    assert any(j["id"] == made.json()["id"] for j in get(client, "/api/judgements", nadia))
    bad = client.post("/api/judgements", json={**body, "right": body["left"]}, headers=nadia)
    assert bad.status_code == 400


def test_ingest(client: TestClient, bruno: dict[str, str], world: World) -> None:
    examples = Path(__file__).resolve().parents[2] / "docs" / "examples"
    with (examples / "posts.csv").open("rb") as handle:
        response = client.post("/api/ingest", headers=bruno, files={"file": handle},
                               data={"kind": "posts", "source": "bf-osint"})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["batch"]["owner"] == "BORDER-FORCE" and report["quarantine"]
    assert get(client, "/api/status", bruno)["by_source"]["bf-osint"]["entities"] > 0
    refused = client.post("/api/ingest", headers=bruno, data={"kind": "nonsense"},
                          files={"file": ("x.csv", b"a,b\n")})
    assert refused.status_code == 400


def test_audit_is_for_auditors_and_logs_every_read(client: TestClient, nadia: dict[str, str],
                                                   aud: dict[str, str], world: World) -> None:
    assert client.get("/api/audit", headers=nadia).status_code == 403
    get(client, f"/api/entities/{REBIN}", nadia)
    entries = get(client, "/api/audit?action=consultation&limit=5000", aud)
    assert {e["agency"] for e in entries} == {"NCA"}
    assert any(e["what"] == f"GET /api/entities/{REBIN}" and e["user"] == "nadia"
               and e["why"] == "API test" for e in entries)
    with open_log(world.workspace.path) as log:
        assert any(e.what == "GET /api/audit" and e.user == "aud"
                   for e in log.entries("NCA"))


def test_the_audit_log_cannot_be_flooded(client: TestClient, nadia: dict[str, str],
                                        world: World) -> None:
    """Issue 14: a 60 KB purpose was accepted, and a plan of 500 targets of 10 KB each
    wrote 5 MB to the log per refused request."""
    long = {**nadia, "X-Purpose": "p" * 60_000}
    for refused in (client.get("/api/status", headers=long),
                    client.post("/api/network/plan", headers=long, json={"k": 1})):
        assert refused.status_code == 400, refused.text
        assert refused.json()["detail"] == ("the purpose is 60000 characters long; give one "
                                            "of at most 500 characters")
    targets = [f"{i:04d}" + "x" * 10_000 for i in range(500)]
    plan = client.post("/api/network/plan", headers=nadia, json={"targets": targets})
    assert plan.status_code == 404
    with open_log(world.workspace.path) as log:
        entry = [e for e in log.entries("NCA") if e.what == "POST /api/network/plan"][-1]
        assert "p" * 600 not in {e.why for e in log.entries("NCA")}
    assert len(json.dumps(entry.detail)) < 10_000 and entry.detail["_truncated"]["bytes"] > 5e6


def test_every_answer_has_the_security_headers(client: TestClient, nadia: dict[str, str]
                                               ) -> None:
    """Issue 14: no CSP, frame-ancestors, nosniff or no-store headers were sent."""
    for path, headers, api in (("/api/status", nadia, True), ("/api/status", {}, True),
                               ("/api/nothing-here", nadia, True), ("/openapi.json", {}, True),
                               ("/", {}, False), ("/entity/abc", {}, False)):
        answer = client.get(path, headers=headers)
        csp = answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self';" in csp, path
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert (answer.headers.get("cache-control") == "no-store") == api, path


def test_web_root_without_assets(world: World, tmp_path: Path) -> None:
    from pinchpoint.api.app import create_app

    with TestClient(create_app(world.workspace.path, web_dist=tmp_path / "none")) as web:
        response = web.get("/")
        assert response.status_code == 200 and "not built" in response.text
        assert web.get("/api/nothing-here").status_code == 404


def test_analysts_of_two_agencies_at_once(client: TestClient, nadia: dict[str, str],
                                          bruno: dict[str, str]) -> None:
    """Reads of two scopes interleaved with a write: each sees only its own picture."""
    from concurrent.futures import ThreadPoolExecutor

    def read(headers: dict[str, str]) -> set[str]:
        return set(client.get("/api/status", headers=headers).json()["by_owner"])

    def write() -> int:
        return client.post("/api/judgements", headers=nadia, json={
            "left": REBIN, "right": owned_id("NCA", "a76b17c78993c341f4621eaa260113d419ac297f"),
            "verdict": "unsure", "reason": "checking"}).status_code

    with ThreadPoolExecutor(8) as pool:
        reads = [pool.submit(read, h) for h in [nadia, bruno] * 10]
        writes = [pool.submit(write) for _ in range(3)]
        assert [f.result() for f in writes] == [200, 200, 200]
        for future, headers in zip(reads, [nadia, bruno] * 10, strict=True):
            expected = {"NCA", "BORDER-FORCE"} if headers is nadia else {"BORDER-FORCE"}
            assert future.result() == expected


def test_web_assets_served_with_client_route_fallback(world: World, tmp_path: Path) -> None:
    from pinchpoint.api.app import create_app

    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<div id=app></div>")
    (tmp_path / "assets" / "app.js").write_text("console.log(1)")
    with TestClient(create_app(world.workspace.path, web_dist=tmp_path)) as web:
        assert web.get("/").text == "<div id=app></div>"
        assert web.get("/entity/abc").text == "<div id=app></div>"
        assert web.get("/assets/app.js").text == "console.log(1)"
        assert "console" not in web.get("/../../etc/passwd").text
