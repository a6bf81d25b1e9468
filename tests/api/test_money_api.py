"""`/api/money/...`: the caller's flows, traces and sinks, through the caller's scope."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from test_api import get

pytest_plugins = ["api_fixtures"]
BOSS = "Amanj Hassan Zada"


def test_sinks_use_the_workspaces_rates(client: TestClient, nadia: dict[str, str]) -> None:
    found = get(client, "/api/money/sinks?top=5", nadia)
    assert found["base"] == "GBP" and "kept in the workspace" in found["rates"]
    assert found["unconverted"] == 0 and found["incomplete"] == {"no date": 1}
    kept = [Decimal(s["kept"]) for s in found["sinks"]]
    assert kept and kept == sorted(kept, reverse=True)


def test_trace_by_name(client: TestClient, nadia: dict[str, str]) -> None:
    found = get(client, f"/api/money/trace?from={BOSS}", nadia)
    assert found["labels"][found["start"]] == BOSS
    first = [s for s in found["steps"] if s["hop"] == 1]
    assert "HW-1001" in {s["reference"] for s in first}
    assert all(Decimal(s["carried"]) > 0 for s in found["steps"])
    back = get(client, f"/api/money/trace?from={BOSS}&back=true", nadia)
    assert back["direction"] == "in"


def test_flows_link_the_parties_listed(client: TestClient, nadia: dict[str, str]) -> None:
    found = get(client, "/api/money/flows?top=10", nadia)
    ids = {n["id"] for n in found["nodes"]}
    assert found["links"] and all({x["source"], x["target"]} <= ids for x in found["links"])


def test_another_agency_sees_none_of_it(client: TestClient, bruno: dict[str, str]) -> None:
    assert get(client, "/api/money/sinks", bruno)["sinks"] == []
    refused = get(client, f"/api/money/trace?from={BOSS}", bruno, status=404)
    assert "no party" in refused["detail"]
    assert get(client, "/api/money/flows", bruno)["nodes"] == []


def test_bad_requests_are_4xx(client: TestClient, nadia: dict[str, str]) -> None:
    get(client, f"/api/money/trace?from={BOSS}&since=2024-05-01&until=2024-01-01", nadia,
        status=400)
    get(client, f"/api/money/trace?from={BOSS}&hops=0", nadia, status=422)
    get(client, "/api/money/trace", nadia, status=422)
    get(client, "/api/money/sinks", {}, status=401)


def test_reads_are_logged(client: TestClient, nadia: dict[str, str],
                          aud: dict[str, str]) -> None:
    get(client, "/api/money/sinks?top=3", {**nadia, "X-Purpose": "money check"})
    entries = get(client, "/api/audit?action=consultation", aud)
    assert any("/api/money/sinks" in e["what"] and e["why"] == "money check"
               for e in entries)


def test_alerts_are_the_callers_with_their_grading(client: TestClient, nadia: dict[str, str],
                                                   bruno: dict[str, str]) -> None:
    found = get(client, "/api/money/alerts", nadia)
    assert found["base"] == "GBP"
    for alert in found["alerts"]:
        assert {"typology", "score", "references", "payments", "parties", "start", "end",
                "total", "currency", "why"} <= set(alert)
    assert get(client, "/api/money/alerts", bruno)["alerts"] == []
    get(client, "/api/money/alerts?typology=nonsense", nadia, status=400)
    only = get(client, "/api/money/alerts?typology=cycle&typology=fan_in", nadia)
    assert {a["typology"] for a in only["alerts"]} <= {"cycle", "fan_in"}


def test_a_partys_money_in_and_out(client: TestClient, nadia: dict[str, str],
                                   bruno: dict[str, str]) -> None:
    boss = get(client, f"/api/money/trace?from={BOSS}", nadia)["start"]
    found = get(client, f"/api/money/party/{boss}?top=2", nadia)
    assert found["base"] == "GBP" and found["label"] == BOSS and found["party"] == boss
    received, sent = Decimal(found["received"]), Decimal(found["sent"])
    assert (received, found["payments_in"], found["payments_out"]) == (Decimal(9500), 1, 2)
    assert sent == Decimal("4023.7") and Decimal(found["kept"]) == received - sent
    volumes = [Decimal(c["received"]) + Decimal(c["sent"]) for c in found["counterparties"]]
    assert len(volumes) == 2 and volumes == sorted(volumes, reverse=True)
    assert volumes[0] == Decimal(9500) and found["first"] <= found["last"]
    records = get(client, f"/api/entities/{boss}", nadia)["records"]
    assert get(client, f"/api/money/party/{records[0]}", nadia)["party"] == boss
    nothing = get(client, f"/api/money/party/{boss}", bruno)
    assert (nothing["received"], nothing["payments_in"], nothing["counterparties"]) == (
        "0", 0, [])


def test_payments_by_id_are_the_callers(client: TestClient, nadia: dict[str, str],
                                        bruno: dict[str, str]) -> None:
    steps = get(client, f"/api/money/trace?from={BOSS}", nadia)["steps"][:2]
    ids = "&".join(f"id={s['payment']}" for s in steps)
    found = get(client, f"/api/money/payments?{ids}&id=nonsense", nadia)["payments"]
    assert [p["payment"] for p in found] == [s["payment"] for s in steps]
    assert found[0]["payer_label"] == BOSS and found[0]["reference"] == "HW-1001"
    assert found[0]["value"] == "2500" and found[0]["currency"] == "GBP"
    assert get(client, f"/api/money/payments?{ids}", bruno)["payments"] == []
    get(client, "/api/money/payments", nadia, status=422)
