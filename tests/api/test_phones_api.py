"""`/api/phones/...`: the numbers found on the caller's seized phones, through the
caller's scope, logged like every read (issue 17)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from test_api import get

pytest_plugins = ["api_fixtures"]
SELLER = "+905324172290"  # "Boxer Bhai" on the example extraction (docs/examples)


def test_common_lists_the_example_phones_contacts(client: TestClient,
                                                   nadia: dict[str, str]) -> None:
    found = get(client, "/api/phones/common?min_devices=1&top=20", nadia)
    (seller,) = [c for c in found["ranked"] if c["identifier"] == SELLER]
    assert seller["devices"] == 1 and seller["contacts"] >= 1
    assert seller["names"][0]["name"] == "Boxer Bhai"
    assert "+447911123456" not in {c["identifier"] for c in found["ranked"]}  # its own
    assert get(client, "/api/phones/common", nadia)["ranked"] == []  # two devices: none


def test_devices_of_a_number(client: TestClient, nadia: dict[str, str]) -> None:
    found = get(client, "/api/phones/devices?identifier=%2B90%20532%20417%202290", nadia)
    assert [d["device"] for d in found["devices"]] == ["NCA/phone_extraction.json"]


def test_another_agency_sees_none_of_it(client: TestClient, bruno: dict[str, str]) -> None:
    assert get(client, "/api/phones/common?min_devices=1", bruno)["ranked"] == []
    assert get(client, f"/api/phones/devices?identifier={SELLER}", bruno)["devices"] == []


def test_bad_requests_are_4xx_and_reads_logged(client: TestClient, nadia: dict[str, str],
                                                aud: dict[str, str]) -> None:
    get(client, "/api/phones/common?min_devices=0", nadia, status=422)
    get(client, "/api/phones/devices", nadia, status=422)
    get(client, "/api/phones/devices?identifier=%20", nadia, status=400)
    get(client, "/api/phones/common", {}, status=401)
    get(client, "/api/phones/common?top=3", {**nadia, "X-Purpose": "phones check"})
    entries = get(client, "/api/audit?action=consultation", aud)
    assert any("/api/phones/common" in e["what"] and e["why"] == "phones check"
               for e in entries)
