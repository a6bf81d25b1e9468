"""Issue 14, finding 2's last part, through the REST API: a judgement reaches another
agency only when its own agency shares it (a logged disclosure); the recipient's
resolution changes only when it adopts it; refusals are 4xx; and nothing the recipient
does changes the owner's judgements or resolution."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from api_fixtures import login
from api_world import PASSWORD, World, build
from fastapi.testclient import TestClient
from test_api import get

from pinchpoint.access import directory
from pinchpoint.access.entitlements import scope_for
from pinchpoint.resolve import resolve
from pinchpoint.store import resolution as tables

pytest_plugins = ["api_fixtures"]
BF = "BORDER-FORCE"
SECRET_REASON = "CHIS 4711 confirms; see NCA op SEAGULL"
PAIR: list[str] = []  # two records NCA and Border Force each resolve into one entity


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, backend: str) -> World:
    """The API world, NCA's data granted to Border Force, Border Force's supervisor
    resolved, and Border Force given an auditor."""
    built = build(Path(tmp_path_factory.mktemp("jshare")))
    with built.workspace.open_store() as store:
        boss = directory.add_user(store.con, "ncasup", "NCA", "supervisor", "SECRET", PASSWORD)
        directory.add_user(store.con, "bfaud", BF, "auditor", "SECRET", PASSWORD)
        directory.grant(store.con, boss, BF, "joint operation")
        bf = scope_for(store.con, directory.reader(store.con, "bfsup"))
        resolve(store, bf)
        nca_map = tables.resolution(store, scope_for(store.con, directory.reader(
            store.con, "nadia")))
        bf_map = tables.resolution(store, bf)
        merged = sorted((e for e in bf_map if e in nca_map), key=lambda e: (bf_map[e], e))
        PAIR[:] = next([a, b] for a, b in pairwise(merged)
                       if bf_map[a] == bf_map[b] and nca_map[a] == nca_map[b])
    return built


def _records(client: TestClient, headers: dict[str, str], entity: str) -> list[str]:
    found: dict[str, Any] = get(client, f"/api/entities/{entity}", headers)
    return sorted(found["records"])


def _audit(client: TestClient, headers: dict[str, str], action: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = get(client, f"/api/audit?action={action}", headers)
    return found


def test_sharing_a_judgement_is_a_logged_disclosure_that_changes_only_the_recipient(
        client: TestClient, nadia: dict[str, str], bruno: dict[str, str]) -> None:
    ncasup, bfsup = login(client, "ncasup"), login(client, "bfsup")
    aud, bfaud = login(client, "aud"), login(client, "bfaud")
    left, right = PAIR
    made = client.post("/api/judgements", headers=nadia, json={
        "left": left, "right": right, "verdict": "different", "reason": SECRET_REASON})
    assert made.status_code == 200, made.text
    judgement = made.json()["id"]
    owner = (get(client, "/api/judgements?all=true", nadia), _records(client, nadia, left))
    assert right in _records(client, bfsup, left)
    for who in (bfsup, bruno):
        assert get(client, "/api/judgements/shared", who) == []

    share = f"/api/judgements/{judgement}/share"
    body = {"to": BF, "purpose": "Operation Seagull deconfliction"}
    # Only NCA shares NCA's judgement: Border Force's supervisor gets what an unknown id
    # gets; NCA's analyst is not the one to disclose.
    theirs = client.post(share, headers=bfsup, json={"to": "PAF-FR", "purpose": "x"})
    unknown = client.post(f"/api/judgements/{'f' * 32}/share", headers=bfsup,
                          json={"to": "PAF-FR", "purpose": "x"})
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json()["detail"].replace(judgement, "ID") == \
        unknown.json()["detail"].replace("f" * 32, "ID")
    assert client.post(share, headers=nadia, json=body).status_code == 403
    for bad in ({"to": BF, "purpose": ""}, {"to": BF, "purpose": "x" * 501},
                {"to": "NCA", "purpose": "x"}, {"to": "NOPE", "purpose": "x"},
                {"to": BF}, {"to": BF, "purpose": "x" * 5000}):
        refused = client.post(share, headers=ncasup, json=bad)
        assert 400 <= refused.status_code < 500, (bad, refused.text)
    assert _audit(client, aud, "disclosure") == []
    assert get(client, "/api/judgements/shared", bfsup) == []

    shared = client.post(share, headers=ncasup, json=body)
    assert shared.status_code == 200, shared.text
    assert client.post(share, headers=ncasup, json=body).status_code == 400  # already
    [entry] = _audit(client, aud, "disclosure")
    assert entry["recipients"] == [BF] and entry["why"] == body["purpose"]
    assert judgement in entry["what"] and entry["user"] == "ncasup"
    [made_share] = get(client, "/api/judgements/shares", ncasup)
    assert (made_share["judgement_id"], made_share["recipient"]) == (judgement, BF)
    assert get(client, "/api/judgements/shares", bfsup) == []
    [seen] = get(client, "/api/judgements/shared", bfsup)
    assert (seen["id"], seen["agency"], seen["user"], seen["reason"], seen["purpose"]) == (
        judgement, "NCA", "nadia", SECRET_REASON, body["purpose"])
    assert right in _records(client, bfsup, left), "shared alone changes nothing"

    adopt = f"/api/judgements/{judgement}/adopt"
    assert client.post(adopt, headers=bfsup, json={"reason": " "}).status_code == 400
    assert client.post(f"/api/judgements/{'f' * 32}/adopt", headers=bfsup,
                       json={"reason": "x"}).status_code == 404
    adopted = client.post(adopt, headers=bfsup, json={"reason": "matches our interview"})
    assert adopted.status_code == 200, adopted.text
    own = adopted.json()
    assert own["agency"] == BF and own["user"] == "bfsup"
    assert own["reason"].startswith(f"adopted from NCA judgement {judgement}: ")
    assert right not in _records(client, bfsup, left)
    assert [j["id"] for j in get(client, "/api/judgements", bfsup)] == [own["id"]]
    logged = [e for e in _audit(client, bfaud, "alteration") if own["id"] in e["what"]]
    assert logged and logged[0]["detail"]["adopted_from"] == judgement

    withdraw = f"/api/judgements/{judgement}/withdraw"
    assert client.post(withdraw, headers=bfsup,
                       json={"to": BF, "reason": "not ours"}).status_code == 404
    done = client.post(withdraw, headers=ncasup, json={"to": BF, "reason": "op closed"})
    assert done.status_code == 200, done.text
    assert client.post(withdraw, headers=ncasup,
                       json={"to": BF, "reason": "again"}).status_code == 404
    assert _audit(client, aud, "alteration")[-1]["recipients"] == [BF]
    assert get(client, "/api/judgements/shared", bfsup) == []
    assert get(client, "/api/judgements/shares", ncasup) == []
    [gone] = get(client, "/api/judgements/shares?all=true", ncasup)
    assert gone["withdrawn_by"] == "ncasup" and gone["withdraw_reason"] == "op closed"
    assert client.post(adopt, headers=bfsup, json={"reason": "again"}).status_code == 404

    # Nothing Border Force did moved NCA's judgements or resolution.
    assert client.post("/api/resolve", headers=nadia).status_code == 200
    assert (get(client, "/api/judgements?all=true", nadia),
            _records(client, nadia, left)) == owner
