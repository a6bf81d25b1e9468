"""Exports (issue 19, "export and briefing"): each file the workbench saves is a
disclosure in the audit log with its purpose. `POST /api/exports` records what the
browser makes itself (CSV of search results and plan targets, charts and the network as
SVG or PNG); `GET /api/timeline.csv` is the filtered timeline, every page of it, through
the caller's scope, and records itself, as does `GET /api/quarantine.csv`."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.testclient import TestClient
from test_api import REBIN, get

pytest_plugins = ["api_fixtures"]


def disclosures(client: TestClient, aud: dict[str, str]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = get(client, "/api/audit?action=disclosure&limit=10000",
                                        aud)
    return entries


def rows_of(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")  # a BOM: spreadsheets read it as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_an_export_is_a_disclosure_with_its_purpose(client: TestClient, nadia: dict[str, str],
                                                     aud: dict[str, str]) -> None:
    body = {"what": "search results for \"rebin\"", "format": "csv", "rows": 7,
            "purpose": "Op Kestrel briefing", "file": "search-rebin.csv"}
    answer = client.post("/api/exports", headers=nadia, json=body)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"what": body["what"], "format": "csv", "rows": 7,
                             "purpose": "Op Kestrel briefing",
                             "recipients": ["download by nadia"]}
    entry = disclosures(client, aud)[-1]
    assert entry["what"] == 'exported search results for "rebin" as csv'
    assert entry["why"] == "Op Kestrel briefing" and entry["user"] == "nadia"
    assert entry["recipients"] == ["download by nadia"]
    assert entry["detail"] == {"format": "csv", "rows": 7, "file": "search-rebin.csv"}

    # No purpose in the body: the one the caller is working under (X-Purpose); a named
    # recipient is the recipient.
    chart = {"what": "chart: Arrivals per month", "format": "svg", "to": "Kent Police"}
    assert client.post("/api/exports", headers=nadia, json=chart).status_code == 200
    entry = disclosures(client, aud)[-1]
    assert entry["what"] == "exported chart: Arrivals per month as svg"
    assert entry["why"] == "API test" and entry["recipients"] == ["Kent Police"]


def test_no_purpose_no_export(client: TestClient, nadia: dict[str, str],
                              aud: dict[str, str]) -> None:
    before = len(disclosures(client, aud))
    silent = {k: v for k, v in nadia.items() if k != "X-Purpose"}
    refused = client.post("/api/exports", headers=silent,
                          json={"what": "network", "format": "png", "purpose": "  "})
    assert refused.status_code == 400 and "purpose" in refused.json()["detail"]
    assert client.get("/api/timeline.csv", headers=silent).status_code == 400
    for bad in ({"what": "network", "format": "pdf"}, {"what": "", "format": "png"},
                {"format": "csv"}, {"what": "x", "format": "csv", "rows": -1}):
        assert client.post("/api/exports", headers=nadia, json=bad).status_code == 422, bad
    assert client.post("/api/exports", headers=nadia,
                       json={"what": "\x00\n", "format": "csv"}).status_code == 400
    assert client.post("/api/exports", json={"what": "x", "format": "csv"}).status_code == 401
    assert len(disclosures(client, aud)) == before


def test_timeline_csv_is_the_filtered_timeline(client: TestClient, nadia: dict[str, str],
                                               aud: dict[str, str]) -> None:
    whole = get(client, "/api/timeline?limit=10000", nadia)
    answer = client.get("/api/timeline.csv", headers=nadia)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert 'filename="timeline.csv"' in answer.headers["content-disposition"]
    rows = rows_of(answer.text)
    assert list(rows[0]) == ["Date", "End", "Kind", "Label", "Parties", "Party ids", "Id"]
    assert [r["Id"] for r in rows] == [e["id"] for e in whole["items"]]
    assert len(rows) == whole["total"] > 7
    entry = disclosures(client, aud)[-1]
    assert entry["what"] == "exported timeline as csv" and entry["why"] == "API test"
    assert entry["detail"]["rows"] == len(rows)

    # The same filter as the page: a party's payments, calls and messages, every page.
    query = f"party={REBIN}&kind=call,message&since=2020-01-01"
    page = get(client, f"/api/timeline?{query}&limit=3", nadia)
    mine = rows_of(client.get(f"/api/timeline.csv?{query}",
                              headers={**nadia, "X-Purpose": "Rebin's calls"}).text)
    assert len(mine) == page["total"] == 10 > len(page["items"])
    assert {r["Kind"] for r in mine} == {"Call", "Message"}
    assert all(REBIN in r["Party ids"].split() for r in mine)
    assert all("Rebin" in r["Parties"] for r in mine)
    entry = disclosures(client, aud)[-1]
    assert entry["what"].startswith("exported timeline of Rebin") and entry["why"] == \
        "Rebin's calls"
    assert entry["detail"]["arguments"] == {"party": REBIN, "kind": "call,message",
                                            "since": "2020-01-01"}
    assert client.get("/api/timeline.csv?kind=boat", headers=nadia).status_code == 400


def test_timeline_csv_through_the_callers_scope(client: TestClient, nadia: dict[str, str],
                                                bruno: dict[str, str],
                                                aud: dict[str, str]) -> None:
    """Border Force's file holds its crossings only; NCA's person is no party it can ask
    for, and a refused export is no disclosure."""
    theirs = rows_of(client.get("/api/timeline.csv", headers=bruno).text)
    assert theirs and {r["Kind"] for r in theirs} == {"Crossing"}
    assert len(theirs) == get(client, "/api/timeline", bruno)["total"]
    before = len(disclosures(client, aud))
    refused = client.get(f"/api/timeline.csv?party={REBIN}", headers=bruno)
    assert refused.status_code == 404 and "Rebin" not in refused.text
    assert len(disclosures(client, aud)) == before  # nor one of NCA's: checked below
    assert all(e["user"] != "bruno" for e in disclosures(client, aud))


def test_quarantine_csv_is_recorded(client: TestClient, nadia: dict[str, str],
                                    aud: dict[str, str]) -> None:
    answer = client.get("/api/quarantine.csv", headers={**nadia, "X-Purpose": "data fix"})
    assert answer.status_code == 200
    entry = disclosures(client, aud)[-1]
    assert entry["what"] == "exported quarantine as csv" and entry["why"] == "data fix"
