"""Answers the server keeps (profiles, neighbourhoods, searches) are per scope and go
with the app's next write: a merge judged in between shows at once."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from pinchpoint.api import cache
from pinchpoint.model.owned import owned_id

pytest_plugins = ["api_fixtures"]
REBIN = owned_id("NCA", "8f45d3fcb2ceaa771575e652ade47108ddff7b1c")  # NCA's (tests/api/test_api.py)


def get(client: TestClient, path: str, headers: dict[str, str], status: int = 200) -> Any:
    response = client.get(path, headers=headers)
    assert response.status_code == status, (path, response.text)
    return response.json()


def kept() -> list[tuple[Any, ...]]:
    with cache._lock:
        return [k for entry in cache._entries.values() if "answers" in entry
                for k in entry["answers"].kept]


def test_a_merge_shows_at_once(client: TestClient, nadia: dict[str, str],
                               bruno: dict[str, str]) -> None:
    item = get(client, "/api/review?limit=1", nadia)[0]
    left, right = item["left"], item["right"]
    before = get(client, f"/api/entities/{left}", nadia)
    assert right not in before["records"]
    assert ("profile", left) in kept()
    assert get(client, f"/api/entities/{left}", nadia) == before  # the kept answer
    get(client, f"/api/entities/{left}", bruno, status=404)  # not another scope's answer
    made = client.post("/api/judgements", headers=nadia, json={
        "left": left, "right": right, "verdict": "same", "reason": "same passport"})
    assert made.status_code == 200, made.text
    assert ("profile", left) not in kept()
    assert get(client, "/api/me", nadia)["prepared"] is False  # made again when asked
    after = get(client, f"/api/entities/{left}", nadia)
    assert {left, right} <= set(after["records"])


def test_every_read_is_still_logged(client: TestClient, nadia: dict[str, str],
                                    aud: dict[str, str]) -> None:
    hits = get(client, "/api/search?q=Rawand", nadia)
    for _ in range(3):
        assert get(client, "/api/search?q=Rawand", nadia) == hits
    entries = get(client, "/api/audit?action=consultation&limit=5000", aud)
    asked = [e for e in entries if e["what"] == "GET /api/search" and e["user"] == "nadia"
             and e["detail"] == {"arguments": {"q": "Rawand"}}]
    assert len(asked) == 4


def test_networks_of_past_windows_are_bounded(client: TestClient, nadia: dict[str, str]
                                              ) -> None:
    from pinchpoint.api.routes_network import MAX_WINDOWS

    for day in range(1, 8):
        get(client, f"/api/network/rank?since=2024-01-0{day}", nadia)
    with cache._lock:
        networks = [name for entry in cache._entries.values() for name in entry
                    if isinstance(name, tuple) and name[0] == "network"]
    dated = [n for n in networks if n[1:] != (None, None)]
    assert len(dated) == MAX_WINDOWS
    assert ("network", date(2024, 1, 7), None) in dated  # the most recent are kept


def test_what_is_built_from_data_read_before_a_write_is_not_kept(
        client: TestClient, nadia: dict[str, str], monkeypatch: Any) -> None:
    """A write lands between a request reading the network and building its ego graph
    and analysis from it (issue 14: under 32 clients, an ego graph of the network before
    a write was kept after it and served with the next network: shapes (510,) (511,)).
    The request is still answered, but nothing it built from the old network is kept."""
    from pinchpoint.api import routes_network

    read = routes_network.network_of

    def then_a_write(*args: Any, **kwargs: Any) -> Any:
        network = read(*args, **kwargs)
        cache.clear()  # what AppState.invalidate does after a write
        return network

    monkeypatch.setattr(routes_network, "network_of", then_a_write)
    found = get(client, f"/api/entities/{REBIN}/neighbourhood?hops=2&types=call", nadia)
    assert found["nodes"]
    with cache._lock:
        names = [name for entry in cache._entries.values() for name in entry
                 if isinstance(name, tuple)]
    assert not [n for n in names if n[0] in ("ego-graph", "analysis")], names


def test_a_login_after_a_write_prepares_its_scope_afresh(
        client: TestClient, monkeypatch: Any) -> None:
    """The flaky `test_api.py::test_me` (`prepared: False` after login and `settle()`):
    a login's warm-up (W1) still running when a write clears what it has made (logging
    out is a write) is useless, since what W1 built before the write is dropped; the
    next login of the same scope must then start its own warm-up instead of counting on
    W1. Here W1 is held at its last step until the second login has happened."""
    from api_fixtures import login

    from pinchpoint.api import routes_network

    state = client.app.state.pinchpoint  # type: ignore[attr-defined]
    state.settle()
    index, gate = routes_network.search_index, threading.Event()

    def held(*args: Any) -> Any:
        gate.wait(60)
        return index(*args)

    monkeypatch.setattr(routes_network, "search_index", held)
    first = login(client, "nadia")  # W1 starts, and waits at the gate
    assert client.post("/api/logout", headers=first).status_code == 200  # a write
    second = login(client, "nadia")
    gate.set()
    state.settle()
    assert get(client, "/api/me", second)["prepared"] is True


def test_a_read_during_a_judgement_sees_the_clusters_before_or_after(
        client: TestClient, nadia: dict[str, str], monkeypatch: Any) -> None:
    """Re-clustering after a judgement replaced the scope's clusters with a DELETE and an
    INSERT, each committed alone: a request reading in between (another cursor of the
    app's database) found the scope unresolved and got 400 or 409 "nothing is resolved
    for this scope yet" (`benchmarks/api_writes.py`, 32 clients). Here a read is made
    from another cursor just before the clusters are inserted: it must see clusters."""
    from pinchpoint.access import directory
    from pinchpoint.access.entitlements import scope_for
    from pinchpoint.store import graph_reads

    state = client.app.state.pinchpoint  # type: ignore[attr-defined]
    other = state.store()
    scope = scope_for(other.con, directory.reader(other.con, "nadia"))
    seen: list[int] = []

    class Watched:
        """The app's connection, reading from `other` before the clusters go in."""

        def __init__(self, con: Any) -> None:
            self.con = con

        def __getattr__(self, name: str) -> Any:
            return getattr(self.con, name)

        def cursor(self) -> Watched:
            return Watched(self.con.cursor())

        def execute(self, sql: str, *args: Any) -> Any:
            if sql.startswith("INSERT INTO resolution "):
                seen.append(graph_reads.resolved_count(other, scope))
            return self.con.execute(sql, *args)

    item = get(client, "/api/review?limit=1", nadia)[0]
    anchor = state.anchor
    monkeypatch.setattr(state, "anchor", lambda: Watched(anchor()))
    try:
        made = client.post("/api/judgements", headers=nadia, json={
            "left": item["left"], "right": item["right"], "verdict": "different",
            "reason": "different dates of birth"})
    finally:
        other.close()
    assert made.status_code == 200, made.text
    assert seen and all(n > 0 for n in seen), seen
