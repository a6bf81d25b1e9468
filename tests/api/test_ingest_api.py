"""`/api/ingest/...`, `/api/mappings`, `/api/quarantine`: bringing a file in from the
workbench (issue 18) — the kinds, a first look, the mapping editor's preview, saved
mappings, an ingest through a mapping, and the quarantine to browse, each agency's own."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from test_api import get

from pinchpoint.ingest.kinds import KINDS

pytest_plugins = ["api_fixtures"]
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
PEOPLE = (EXAMPLES / "people.csv").read_bytes()
MAPPING = (EXAMPLES / "people_mapping.yaml").read_text(encoding="utf-8")


def post(client: TestClient, path: str, headers: dict[str, str], name: str, content: bytes,
         status: int = 200, **data: Any) -> Any:
    response = client.post(path, headers=headers, files={"file": (name, content)},
                           data=data)
    assert response.status_code == status, response.text
    return response.json()


def test_kinds_are_every_kind_with_its_columns(client: TestClient,
                                               nadia: dict[str, str]) -> None:
    kinds = get(client, "/api/ingest/kinds", nadia)
    assert [k["name"] for k in kinds] == list(KINDS)
    ledger = next(k for k in kinds if k["name"] == "ledger")
    assert ledger["columns"][:3] == ["date", "sender", "sender_phone"]
    assert {"sender", "receiver"} <= set(ledger["required"]) and ledger["tabular"]
    table = next(k for k in kinds if k["name"] == "table")
    assert table["needs_mapping"] and ".xlsx" in table["extensions"]


def test_inspect_knows_the_layouts(client: TestClient, nadia: dict[str, str]) -> None:
    ledger = post(client, "/api/ingest/inspect", nadia, "ledger.csv",
                  (EXAMPLES / "ledger.csv").read_bytes())
    assert ledger["kind"] == "ledger" and ledger["header"][0] == "date"
    people = post(client, "/api/ingest/inspect", nadia, "people.csv", PEOPLE)
    assert people["kind"] == "table" and people["lines"][0] == 2
    assert len(people["rows"]) == 5 and people["rows"][0][1] == "Amanj Hassan Zada"
    props = {s["column"]: s["prop"] for s in people["suggestions"]}
    assert props["full_name"] == "name" and props["phone"] == "phone"
    assert "entities:" in people["mapping"]
    book = post(client, "/api/ingest/inspect", nadia, "people.xlsx",
                (EXAMPLES / "people.xlsx").read_bytes())
    assert book["sheets"] and book["sheet"] == book["sheets"][0] and book["header"]
    phone = post(client, "/api/ingest/inspect", nadia, "x.json",
                 (EXAMPLES / "phone_extraction.json").read_bytes())
    assert phone["kind"] == "phone" and not phone["tabular"]
    odd = post(client, "/api/ingest/inspect", nadia, "odd.bin", b"\x00\x01")
    assert odd["kind"] is None and odd["kind_reason"]


def test_preview_shows_entities_and_quarantine(client: TestClient,
                                               nadia: dict[str, str]) -> None:
    found = post(client, "/api/ingest/preview", nadia, "people.csv", PEOPLE, mapping=MAPPING)
    assert found["rows"] == 5 and found["rejected"] == 0
    schemata = [e["schema"] for e in found["entities"]]
    assert schemata.count("Person") == 5 and schemata.count("Passport") == 2
    passport = next(e for e in found["entities"] if e["schema"] == "Passport")
    holder = next(p for p in passport["properties"] if p["prop"] == "holder")
    assert holder["link"] and holder["values"] == ["Amanj Hassan Zada (Person, person)"]
    reasons = {(q["line"], q["field"]): q["reason"] for q in found["quarantine"]}
    assert set(reasons) == {(6, "dob"), (6, "nationality")}
    assert "not a valid date" in reasons[(6, "dob")]
    two = post(client, "/api/ingest/preview", nadia, "people.csv", PEOPLE, mapping=MAPPING,
               rows="2")
    assert two["rows"] == 2
    bad = post(client, "/api/ingest/preview", nadia, "people.csv", PEOPLE, status=400,
               mapping="entities:\n  p: {schema: Nobody, keys: [ref]}\n")
    assert "unknown schema" in bad["detail"]
    missing = post(client, "/api/ingest/preview", nadia, "people.csv", PEOPLE, status=400,
                   mapping="entities:\n  p: {schema: Person, keys: [nope]}\n")
    assert "nope" in missing["detail"] and "/tmp" not in missing["detail"]


def test_schemata_list_what_a_mapping_may_make(client: TestClient,
                                               nadia: dict[str, str]) -> None:
    found = {s["name"]: s for s in get(client, "/api/schemata", nadia)}
    assert "Thing" not in found and "SeizedItem" in found  # abstract out, ours in
    call = {p["name"]: p for p in found["Call"]["properties"]}
    assert call["caller"]["type"] == "entity" and call["caller"]["range"]
    assert "ownershipOwner" not in {p["name"] for p in found["Person"]["properties"]}


def test_a_table_through_a_mapping_then_corrected(client: TestClient,
                                                  nadia: dict[str, str]) -> None:
    first = post(client, "/api/ingest", nadia, "people.csv", PEOPLE, kind="table",
                 mapping=MAPPING, source="nominals-web")
    batch = first["batch"]
    assert batch["kind"] == "table" and batch["rows_stored"] == 5
    assert first["quarantine_total"] == 2 == len(first["quarantine"])
    again = post(client, "/api/ingest", nadia, "people.csv", PEOPLE, kind="table",
                 mapping=MAPPING, source="nominals-web")
    assert again["batch"]["statements_added"] == 0  # nothing new
    fixed = PEOPLE.replace(b"1990-13-01", b"1990-12-01")
    third = post(client, "/api/ingest", nadia, "people.csv", fixed, kind="table",
                 mapping=MAPPING, source="nominals-web")
    assert third["batch"]["statements_added"] == 1 and third["quarantine_total"] == 1
    page = get(client, f"/api/quarantine?batch={batch['id']}&limit=1&offset=1", nadia)
    assert page["total"] == 2 and len(page["items"]) == 1
    text = client.get(f"/api/quarantine.csv?batch={batch['id']}", headers=nadia)
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(text.text.lstrip("\ufeff"))))
    assert {(r["line"], r["field"], r["raw_value"]) for r in rows} == {
        ("6", "dob", "1990-13-01"), ("6", "nationality", "Atlantis")}
    assert batch["id"] in {b["id"] for b in get(client, "/api/batches", nadia)}


def test_a_table_needs_its_mapping(client: TestClient, nadia: dict[str, str]) -> None:
    none = post(client, "/api/ingest", nadia, "people.csv", PEOPLE, status=400, kind="table")
    assert "needs a mapping" in none["detail"]
    stray = post(client, "/api/ingest", nadia, "p.csv", PEOPLE, status=400, kind="posts",
                 mapping=MAPPING)
    assert "only for kind table" in stray["detail"]
    unknown = post(client, "/api/ingest", nadia, "p.csv", PEOPLE, status=400, kind="table",
                   mapping_name="never-saved")
    assert "no saved mapping" in unknown["detail"]


def test_saved_mappings_are_the_agencys_own(client: TestClient, nadia: dict[str, str],
                                            bruno: dict[str, str],
                                            aud: dict[str, str]) -> None:
    saved = client.put("/api/mappings/people-v1", headers=nadia,
                       json={"yaml": MAPPING, "reason": "nominal lists from Kent"})
    assert saved.status_code == 200, saved.text
    listed = get(client, "/api/mappings", nadia)
    assert [(m["name"], m["entities"]) for m in listed] == [("people-v1",
                                                             ["person", "passport"])]
    assert get(client, "/api/mappings/people-v1", nadia)["yaml"] == MAPPING
    assert get(client, "/api/mappings", bruno) == []
    get(client, "/api/mappings/people-v1", bruno, status=404)
    assert client.delete("/api/mappings/people-v1", headers=bruno).status_code == 404
    by_name = post(client, "/api/ingest", nadia, "people.csv", PEOPLE, kind="table",
                   mapping_name="people-v1", source="nominals-saved")
    assert by_name["batch"]["rows_stored"] == 5
    post(client, "/api/ingest", bruno, "people.csv", PEOPLE, status=400, kind="table",
         mapping_name="people-v1")
    for name, body in (("bad name!", MAPPING), ("ok", "entities: {}"), ("ok", "[1")):
        assert client.put(f"/api/mappings/{name}", headers=nadia,
                          json={"yaml": body}).status_code == 400
    assert client.delete("/api/mappings/people-v1", headers=nadia).status_code == 200
    assert get(client, "/api/mappings", nadia) == []
    entries = get(client, "/api/audit?action=alteration&limit=5000", aud)
    assert any(e["what"] == "saved table mapping people-v1"
               and e["why"] == "nominal lists from Kent" for e in entries)


def test_another_agency_sees_none_of_the_quarantine(client: TestClient,
                                                    nadia: dict[str, str],
                                                    bruno: dict[str, str]) -> None:
    mine = post(client, "/api/ingest", nadia, "people.csv", PEOPLE, kind="table",
                mapping=MAPPING, source="nominals-own")
    batch = mine["batch"]["id"]
    assert get(client, f"/api/quarantine?batch={batch}", bruno) == {
        "total": 0, "offset": 0, "items": []}
    assert batch not in {b["id"] for b in get(client, "/api/batches", bruno)}
    text = client.get(f"/api/quarantine.csv?batch={batch}", headers=bruno).text
    assert text.lstrip("\ufeff").strip().count("\n") == 0  # the header alone


def test_parse_gives_the_editor_the_document(client: TestClient,
                                             nadia: dict[str, str]) -> None:
    found = client.post("/api/mappings/parse", headers=nadia, json={"yaml": MAPPING})
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["problem"] is None
    assert body["document"]["entities"]["person"]["keys"] == ["ref"]
    odd = client.post("/api/mappings/parse", headers=nadia,
                      json={"yaml": "entities:\n  p: {schema: Nobody, keys: [ref]}\n"}).json()
    assert "unknown schema" in odd["problem"]  # the form may still show it
    for text in ("a: &x 1\nb: *x\n", "[1, 2]", "{"):
        refused = client.post("/api/mappings/parse", headers=nadia, json={"yaml": text})
        assert refused.status_code == 400, text


def test_quarantine_csv_of_any_batch_name(client: TestClient, nadia: dict[str, str]) -> None:
    for batch in ("é€", "a\"b;c", "x" * 100, "../.."):
        answer = client.get("/api/quarantine.csv", params={"batch": batch}, headers=nadia)
        assert answer.status_code == 200, batch
        assert answer.headers["content-disposition"].isascii()
