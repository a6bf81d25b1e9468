"""Search reads the caller's names and identifiers once per scope and reuses them."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from pinchpoint.api import cache

pytest_plugins = ["api_fixtures"]


def hits(client: TestClient, q: str, headers: dict[str, str]) -> Any:
    response = client.get("/api/search", params={"q": q}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def indexes() -> list[Any]:
    """The search indexes the app holds now (one per scope)."""
    with cache._lock:
        return [e["search"] for e in cache._entries.values() if "search" in e]


def test_index_is_reused_until_a_write(client: TestClient, nadia: dict[str, str],
                                       bruno: dict[str, str]) -> None:
    client.app.state.pinchpoint.settle()  # what logging in started has been made
    cache.clear()  # only this test's indexes from here
    first = hits(client, "Amanj Hassan Zada", nadia)
    assert first and first[0]["match"].startswith("name:")
    built = indexes()
    assert len(built) == 1
    assert hits(client, "Amanj Hassan Zada", nadia) == first
    assert indexes() == built  # reused (the same objects)
    assert hits(client, "Amanj Hassan Zada", bruno) == []  # another scope, its own index
    assert len(indexes()) == 2 and built[0] in indexes()
    cache.clear()  # what the app does after a write
    assert hits(client, "Amanj Hassan Zada", nadia) == first
    assert not any(i in indexes() for i in built)  # rebuilt


def test_identifiers_by_prefix_and_exactly(client: TestClient, nadia: dict[str, str]
                                           ) -> None:
    phones = hits(client, "+44 7911", nadia)
    assert phones and all(h["match"].startswith("phone:") for h in phones[:1])
    value = phones[0]["match"].split(": ", 1)[1]
    exact = hits(client, value.replace(" ", ""), nadia)
    assert exact[0]["score"] == 1.0 and exact[0]["id"] == phones[0]["id"]
    assert hits(client, value.lower() + "zzz", nadia) == []
