"""The `phone` kind: a phone-extraction export (UFED/XRY style JSON) through the engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from followthemoney.proxy import EntityProxy
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pinchpoint.cli import app
from pinchpoint.ingest.errors import IngestError
from pinchpoint.ingest.phone import phone_mappings
from pinchpoint.ingest.run import IngestReport, ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.store.entities import iter_entities
from pinchpoint.store.workspace import Workspace, init_workspace

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "phone_extraction.json"
OWNER_NUMBER = "+447911123456"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return init_workspace(tmp_path / "ws", agency="NCA")


def write(tmp_path: Path, data: Any, name: str = "extraction.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def entities(ws: Workspace) -> dict[str, EntityProxy]:
    with ws.open_store(read_only=True) as store:
        return {e.id: e for e in iter_entities(store, ws.home_scope())}


def one(found: dict[str, EntityProxy], schema: str, prop: str, value: str) -> EntityProxy:
    hits = [e for e in found.values() if e.schema.name == schema and value in e.get(prop)]
    assert len(hits) == 1, f"{len(hits)} {schema} with {prop}={value}"
    return hits[0]


def accounted(report: IngestReport) -> None:
    b = report.batch
    assert b.rows_read == b.rows_stored + b.rows_rejected


def statement_count(ws: Workspace) -> int:
    with ws.open_store(read_only=True) as store:
        return store.counts(ws.home_scope()).statements


def test_every_section_has_a_valid_builtin_mapping() -> None:
    assert set(phone_mappings()) == {"device", "contacts", "calls", "messages",
                                     "message_recipients", "accounts"}


def test_example_ingests_with_its_one_bad_number(ws: Workspace) -> None:
    report = ingest_file(ws, "phone", EXAMPLE)
    b = report.batch
    # 1 device + 5 contacts + 5 calls + 5 messages + 2 extra group recipients + 1 account
    assert (b.rows_read, b.rows_stored, b.rows_rejected) == (19, 19, 0)
    assert b.values_quarantined == 1
    assert report.notes == []
    [bad] = report.quarantine_sample
    assert (bad.locator, bad.field, bad.raw_value) == ("/contacts/4", "phones", "+44 7700 900 12")
    assert "phone" in bad.reason


def test_handset_belongs_to_the_owner_from_the_file(ws: Workspace) -> None:
    ingest_file(ws, "phone", EXAMPLE)
    found = entities(ws)
    handset = one(found, "Handset", "imei", "356938035643809")
    assert handset.get("phoneNumber") == [OWNER_NUMBER]
    assert handset.get("name") == ["Samsung Galaxy A12"]
    assert "exhibit KB/3" in handset.first("description")
    owner = found[handset.first("owner")]
    assert owner.get("name") == ["Rebin Hama Ali"]
    assert owner.get("personCategory") == ["suspect"]
    assert owner.get("nationality") == ["iq"]
    assert owner.get("birthDate") == ["1991-04-02"]


def test_calls_link_caller_and_receiver(ws: Workspace) -> None:
    ingest_file(ws, "phone", EXAMPLE)
    found = entities(ws)
    owner = one(found, "Person", "name", "Rebin Hama Ali")
    boxer = one(found, "Person", "name", "Boxer Bhai")
    outgoing = one(found, "Call", "receiverNumber", "+905324172290")
    assert outgoing.get("caller") == [owner.id]
    assert outgoing.get("receiver") == [boxer.id]
    assert outgoing.get("callerNumber") == [OWNER_NUMBER]
    assert outgoing.get("duration") == ["42"]
    assert outgoing.get("date") == ["2024-04-30T21:14"]
    incoming = one(found, "Call", "callerNumber", "+4915204347781")
    assert found[incoming.first("caller")].get("name") == ["أبو سيف"]
    assert incoming.get("receiver") == [owner.id]
    # A number in no contact book is still a party: a Person known only by the number.
    missed = one(found, "Call", "callerNumber", "+33781229014")
    stranger = found[missed.first("caller")]
    assert stranger.get("phone") == ["+33781229014"]
    assert stranger.get("name") == []


def test_messages_have_a_sender_and_every_group_recipient(ws: Workspace) -> None:
    ingest_file(ws, "phone", EXAMPLE)
    found = entities(ws)
    owner = one(found, "Person", "name", "Rebin Hama Ali")
    farid = one(found, "Person", "name", "Farid Noorzai")
    advert = one(found, "Message", "messageId", "wa-5530")
    assert "100% safe" in advert.first("bodyText")
    assert advert.get("sender") == [owner.id]
    assert len(advert.get("recipients")) == 3
    assert farid.id in advert.get("recipients")
    assert advert.get("threadTopic") == ["Europe travel group"]
    reply = one(found, "Message", "messageId", "wa-5544")
    assert reply.get("sender") == [farid.id]
    assert reply.get("recipients") == [owner.id]
    arabic = one(found, "Message", "messageId", "wa-5521")
    assert arabic.first("bodyText").startswith("المحركات")


def test_contacts_and_accounts_hang_off_the_owner(ws: Workspace) -> None:
    ingest_file(ws, "phone", EXAMPLE)
    found = entities(ws)
    owner = one(found, "Person", "name", "Rebin Hama Ali")
    hawala = one(found, "Person", "name", "Hawala Karwan")
    assert hawala.get("weakAlias") == ["Hawala Karwan"]
    links = [e for e in found.values() if e.schema.name == "Associate"]
    assert len(links) == 5
    assert all(e.get("person") == [owner.id] for e in links)
    assert any(e.get("associate") == [hawala.id] for e in links)
    assert {e.first("relationship") for e in links} == {"phone contact"}
    account = one(found, "UserAccount", "username", "rebin.travel.eu")
    assert account.get("owner") == [owner.id]
    assert account.get("service") == ["Facebook"]


def test_ingesting_twice_adds_nothing(ws: Workspace) -> None:
    first = ingest_file(ws, "phone", EXAMPLE)
    second = ingest_file(ws, "phone", EXAMPLE)
    assert first.batch.statements_added > 0
    assert second.batch.statements_added == 0
    assert second.batch.entities == first.batch.entities


def test_phone_region_cleans_numbers_without_a_prefix(ws: Workspace, tmp_path: Path) -> None:
    data = {"device": {"imei": "1", "phone_numbers": ["07911 123456"]},
            "calls": [{"direction": "incoming", "number": "07700 900 123x",
                       "timestamp": "2024-05-01T10:00:00Z"},
                      {"direction": "outgoing", "number": "07723 456789"}]}
    bare = ingest_file(ws, "phone", write(tmp_path, data), IngestOptions(source="a"))
    assert bare.batch.values_quarantined > 0
    report = ingest_file(ws, "phone", write(tmp_path, data),
                         IngestOptions(source="b", phone_region="gb"))
    numbers = {r.raw_value for r in report.quarantine_sample}
    assert numbers == {"07700 900 123x"}
    # Each source is its own namespace: source "b" has its own handset, now with a number.
    handset = one(entities(ws), "Handset", "phoneNumber", "+447911123456")
    assert handset.get("imei") == ["1"]
    with pytest.raises(IngestError, match="phone region"):
        ingest_file(ws, "phone", write(tmp_path, data), IngestOptions(phone_region="zz"))


@pytest.mark.parametrize("content", [
    "", "   \n", "not json", "{\"device\": ", "[1, 2]", "\"a string\"", "42", "null", "{}",
    "{\"extraction\": {}, \"photos\": []}", "[" * 100_000,
])
def test_unreadable_files_raise_ingest_error_and_store_nothing(
        ws: Workspace, tmp_path: Path, content: str) -> None:
    with pytest.raises(IngestError):
        ingest_file(ws, "phone", write(tmp_path, content))
    with ws.open_store(read_only=True) as store:
        assert store.batches(ws.home_scope()) == []
    assert statement_count(ws) == 0


def test_non_utf8_file_raises_ingest_error(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"device": {"owner": {"name": "Jos\xe9"}}}'.encode("latin-1"))
    with pytest.raises(IngestError, match="UTF-8"):
        ingest_file(ws, "phone", path)


WRONG_TYPES: dict[str, Any] = {
    "extraction": "UFED",
    "device": {"imei": {"x": 1}, "imsi": ["a", "b"], "make": 7, "model": None,
               "phone_numbers": "not a number", "owner": "Rebin"},
    "contacts": {"1": "Boxer"},
    "calls": [1, "x", None, [], {"direction": 5}, {"direction": "sideways"},
              {"direction": "outgoing", "number": {"n": 1}, "duration_seconds": [1, [2]],
               "timestamp": True},
              {"direction": "INCOMING", "number": ["+905324172290", 3.5]}],
    "messages": [{"direction": "incoming", "from": ["+1"], "to": {"a": 1}, "text": {"t": "x"}},
                 {"direction": "outgoing", "to": [None, {"x": 1}, "+447911123456", []],
                  "text": 42, "app": ["WhatsApp"]},
                 {}],
    "accounts": "none",
}


def test_wrong_types_everywhere_are_quarantined_not_raised(ws: Workspace,
                                                           tmp_path: Path) -> None:
    report = ingest_file(ws, "phone", write(tmp_path, WRONG_TYPES))
    accounted(report)
    with ws.open_store(read_only=True) as store:
        items = store.quarantine(ws.home_scope())
    rows = {i.locator: i.reason for i in items if i.row_rejected}
    assert "must be a JSON object" in rows["/extraction"]
    assert "must be a JSON object" in rows["/device/owner"]
    assert "must be a JSON list" in rows["/contacts"]
    assert "must be a JSON list" in rows["/accounts"]
    for index in range(4):
        assert "must be a JSON object" in rows[f"/calls/{index}"]
    assert "direction" in rows["/calls/4"] and "direction" in rows["/calls/5"]
    assert "direction" in rows["/messages/2"]
    values = [i for i in items if not i.row_rejected]
    assert any(i.field == "device_imei" and "JSON object" in i.reason for i in values)
    assert any(i.field == "text" and "JSON object" in i.reason for i in values)
    assert report.batch.rows_rejected == len(rows)
    # Nothing is stored as a Python repr of a JSON value.
    with ws.open_store(read_only=True) as store:
        stored = store.statements(ws.home_scope())
    assert not [s for s in stored if s.value.startswith(("{", "["))]


def test_missing_device_keeps_the_rest(ws: Workspace, tmp_path: Path) -> None:
    data = {"calls": [{"direction": "outgoing", "number": "+905324172290",
                       "timestamp": "2024-04-30T21:14:00Z"}],
            "messages": [{"direction": "outgoing", "from": "+447911123456", "text": "ok"}]}
    report = ingest_file(ws, "phone", write(tmp_path, data))
    accounted(report)
    b = report.batch
    assert (b.rows_read, b.rows_stored, b.rows_rejected) == (3, 2, 1)
    assert report.quarantine_sample[0].locator == "/device"
    found = entities(ws)
    call = one(found, "Call", "receiverNumber", "+905324172290")
    assert call.get("caller") == []
    # With no handset to speak for, an outgoing message's sender is its `from` number.
    message = one(found, "Message", "bodyText", "ok")
    assert found[message.first("sender")].get("phone") == [OWNER_NUMBER]


def test_device_without_identifiers_is_a_rejected_row(ws: Workspace, tmp_path: Path) -> None:
    data = {"device": {"make": "Nokia", "owner": {"name": "Soran"}},
            "messages": [{"direction": "outgoing", "to": "+905324172290", "text": "hi"}]}
    report = ingest_file(ws, "phone", write(tmp_path, data))
    accounted(report)
    assert report.batch.rows_rejected == 1
    assert "missing key for handset" in report.quarantine_sample[0].reason


def test_fields_no_mapping_reads_are_named(ws: Workspace, tmp_path: Path) -> None:
    data = {"device": {"imei": "1", "serial": "R58M"},
            "calls": [{"direction": "outgoing", "number": "+905324172290", "cell_id": "4411"}]}
    report = ingest_file(ws, "phone", write(tmp_path, data))
    assert report.notes == ["fields not mapped: device.serial, calls.cell_id"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=3),
    max_leaves=12)
FIELDS = st.sampled_from(["id", "name", "phones", "number", "direction", "timestamp", "from",
                          "to", "text", "app", "username", "imei", "phone_numbers", "owner"])
ITEM = st.dictionaries(FIELDS, JSON | st.sampled_from(["incoming", "outgoing", "+447911123456"]),
                       max_size=5)
EXTRACTION = st.fixed_dictionaries({}, optional={
    "device": ITEM | JSON, "extraction": JSON,
    **{name: st.lists(ITEM | JSON, max_size=3) | JSON
       for name in ("contacts", "calls", "messages", "accounts")}})


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=EXTRACTION)
def test_any_json_is_read_or_refused_never_crashes(ws: Workspace, tmp_path: Path,
                                                   data: dict[str, Any]) -> None:
    path = write(tmp_path, json.dumps(data, allow_nan=True))
    try:
        report = ingest_file(ws, "phone", path)
    except IngestError:
        event("refused whole")
        return
    event("read")
    accounted(report)


def test_cli_ingests_the_example(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    result = CliRunner().invoke(app, ["--workspace", str(ws), "ingest", "phone", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "1 item(s) quarantined" in result.output
    broken = write(tmp_path, "{not json")
    result = CliRunner().invoke(app, ["--workspace", str(ws), "ingest", "phone", str(broken)])
    assert result.exit_code == 2
    assert "not valid JSON" in result.output
