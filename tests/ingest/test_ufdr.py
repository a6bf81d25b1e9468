"""The `ufdr` kind: a Cellebrite UFED report, built here from the documented report.xml
layout (namespace http://pa.cellebrite.com/report/2.0), through the phone mapping."""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import invariants
import pytest
from followthemoney.proxy import EntityProxy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_phone import accounted, one
from typer.testing import CliRunner

from pinchpoint.cli import app
from pinchpoint.ingest.errors import IngestError
from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.store.entities import iter_entities
from pinchpoint.store.records import StoredQuarantineItem
from pinchpoint.store.workspace import Workspace

NS = "http://pa.cellebrite.com/report/2.0"
OWNER = "+447911123456"
IMEI = "356938035643809"


# --- a small report.xml builder, one element per line so that lines are meaningful ---

def field(name: str, value: str | None, kind: str = "String") -> str:
    if value is None:
        return f'<field name="{name}" type="{kind}"><empty /></field>'
    return (f'<field name="{name}" type="{kind}"><value type="{kind}">'
            f"<![CDATA[{value}]]></value></field>")


def model(kind: str, ident: str, *parts: str) -> str:
    return "\n".join([f'<model type="{kind}" id="{ident}" deleted_state="Intact" '
                      'decoding_confidence="High" isrelated="False" extractionId="0">',
                      *parts, "</model>"])


def multi(name: str, *models: str, tag: str = "multiModelField") -> str:
    return "\n".join([f'<{tag} name="{name}">', *models, f"</{tag}>"])


def party(ident: str | None, name: str | None = None, owner: bool = False,
          role: str | None = None) -> str:
    return model("Party", f"p-{ident}-{role}", field("Identifier", ident), field("Name", name),
                 field("IsPhoneOwner", str(owner)), field("Role", role))


def contact(ident: str, name: str | None, phones: list[str], emails: tuple[str, ...] = (),
            user_ids: tuple[str, ...] = (), source: str | None = None) -> str:
    entries = [model("PhoneNumber", f"{ident}-t{i}", field("Category", "Mobile"),
                     field("Value", p)) for i, p in enumerate(phones)]
    entries += [model("EmailAddress", f"{ident}-e{i}", field("Value", e))
                for i, e in enumerate(emails)]
    entries += [model("UserID", f"{ident}-u{i}", field("Category", "WhatsApp"),
                      field("Value", u)) for i, u in enumerate(user_ids)]
    return model("Contact", ident, field("Source", source), field("Name", name),
                 multi("Entries", *entries))


def call(ident: str, direction: str | None, number: str, stamp: str,
         duration: str = "00:00:42") -> str:
    outgoing = direction == "Outgoing"
    return model("Call", ident, field("Source", "Phone"), field("Direction", direction),
                 field("TimeStamp", stamp, "TimeStamp"), field("Duration", duration, "TimeSpan"),
                 multi("Parties", party(OWNER, owner=True, role="From" if outgoing else "To"),
                       party(number, role="To" if outgoing else "From")))


def sms(ident: str, folder: str, other: str, body: str, stamp: str) -> str:
    sent = folder == "Sent"
    return model("SMS", ident, field("Folder", folder), field("Body", body),
                 field("TimeStamp", stamp, "TimeStamp"),
                 multi("Parties", party(OWNER, owner=True, role="From" if sent else "To"),
                       party(other, role="To" if sent else "From")))


def message(ident: str, sender: str, body: str, stamp: str) -> str:
    return model("InstantMessage", ident, field("Source", "WhatsApp"), field("Body", body),
                 field("TimeStamp", stamp, "TimeStamp"),
                 multi("From", party(sender, owner=sender == OWNER), tag="modelField"))


def chat(ident: str, name: str, members: list[str], messages: list[str]) -> str:
    return model("Chat", ident, field("Source", "WhatsApp"), field("Name", name),
                 multi("Participants", *(party(m, owner=m == OWNER) for m in members)),
                 multi("Messages", *messages))


def account(ident: str, app: str, username: str | None, name: str | None) -> str:
    return model("UserAccount", ident, field("ServiceType", app), field("Username", username),
                 field("Name", name), field("Password", None))


def items(name: str, **values: str) -> str:
    return "\n".join([f'<metadata section="{name}">',
                      *(f'<item name="{k}" sourceExtraction="0"><![CDATA[{v}]]></item>'
                        for k, v in values.items()), "</metadata>"])


def report(*models: str, head: str = "") -> str:
    kinds: dict[str, list[str]] = {}
    for text in models:
        kinds.setdefault(text.split('"', 2)[1], []).append(text)
    return "\n".join([
        '<?xml version="1.0" encoding="utf-8"?>', head,
        f'<project id="p-1" name="KB/3" reportVersion="7.60.0.95" xmlns="{NS}">',
        "<caseInformation>", '<field name="Case Number">OP-SEAGULL-17</field>',
        '<field name="Evidence Number">KB/3</field>', '<field name="Examiner Name">DC 4411'
        "</field>", '<field name="Seizure Date">2024-05-01</field>', "</caseInformation>",
        items("Extraction Data", DeviceInfoExtractionStartDateTime="2024-05-02T10:00:00",
              DeviceInfoUnitVersion="7.69.0.31"),
        items("Device Info", DeviceInfoIMEI=IMEI, IMSI="234150999999999", MSISDN=OWNER,
              DeviceInfoDetectedManufacturer="Samsung", DeviceInfoDetectedModel="Galaxy A12",
              DeviceInfoOwnerName="Rebin Hama Ali", DeviceInfoAndroidID="ec4c58699c0e4f1e"),
        "<decodedData>",
        *("\n".join([f'<modelType type="{kind}">', *texts, "</modelType>"])
          for kind, texts in kinds.items()),
        "</decodedData>", "<taggedFiles>", '<file id="f1" path="/sdcard/x.jpg" />',
        "</taggedFiles>", "</project>", ""])


CONTACTS = [("Boxer Bhai", "+90 532 417 2290"), ("أبو سيف", "+49 1520 4347781"),
            ("ڕێبین کەریم", "+964 750 555 0101"), ("Hawala Karwan", "+9647701234567"),
            ("Farid Noorzai", "+93702184456")]
OTHERS = ["+905324172290", "+4915204347781", "+9647505550101", "+9647701234567",
          "+93702184456"]


def good_models() -> list[str]:
    contacts = [contact(f"c{i}", name, [phone], source="Phone Book")
                for i, (name, phone) in enumerate(CONTACTS)]
    calls = [call(f"k{i}", ("Outgoing", "Incoming", "Missed")[i % 3], OTHERS[i % 5],
                  f"2024-04-{20 + i}T21:14:00.000+00:00") for i in range(6)]
    texts = [sms(f"s{i}", ("Sent", "Inbox")[i % 2], OTHERS[i], f"sms {i}",
                 f"2024-04-2{i}T08:00:00.000+00:00") for i in range(4)]
    group = [OWNER, OTHERS[0], OTHERS[4]]
    chats = [chat("g1", "Europe travel group", group, [
        message(f"m1-{i}", (OWNER, OTHERS[0], OTHERS[4])[i], f"group {i}",
                f"2024-04-29T20:1{i}:00.000+00:00") for i in range(3)]),
        chat("g2", "", [OWNER, OTHERS[1]], [
            message(f"m2-{i}", (OWNER, OTHERS[1])[i % 2], f"المحركات {i}",
                    f"2024-04-28T10:0{i}:00.000+00:00") for i in range(3)])]
    accounts = [account("a1", "Facebook", "rebin.travel.eu", "Rebin Travel Europe"),
                account("a2", "WhatsApp", f"{OWNER[1:]}@s.whatsapp.net", "Rebin")]
    return [*contacts, *calls, *texts, *chats, *accounts]


def ufdr(tmp_path: Path, xml: str, name: str = "KB3.ufdr", folder: str = "Report/") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{folder}report.xml", xml)
        archive.writestr("files/Image/x.jpg", b"\xff\xd8")
    return path


# --- helpers over the workspace ---

@pytest.fixture
def ws() -> Iterator[Workspace]:
    with invariants.scratch() as (_, workspace):  # a copy of one made once: quicker
        yield workspace


def entities(ws: Workspace) -> dict[str, EntityProxy]:
    with ws.open_store(read_only=True) as store:
        return {e.id: e for e in iter_entities(store, ws.home_scope())}


def quarantine(ws: Workspace) -> list[StoredQuarantineItem]:
    with ws.open_store(read_only=True) as store:
        return store.quarantine(ws.home_scope())


def records(ws: Workspace) -> set[str]:
    with ws.open_store(read_only=True) as store:
        return {s.record for s in store.statements(ws.home_scope())}


# --- the acceptance: every contact, call, SMS and chat message, counted ---

def test_every_item_of_a_built_report_becomes_statements(ws: Workspace, tmp_path: Path) -> None:
    result = ingest_file(ws, "ufdr", ufdr(tmp_path, report(*good_models())))
    accounted(result)
    assert (result.batch.rows_rejected, result.quarantined) == (0, 0)
    schemas = Counter(e.schema.name for e in entities(ws).values())
    assert schemas["Call"] == 6
    assert schemas["Message"] == 4 + 3 + 3
    assert schemas["UserAccount"] == 2
    assert schemas["Handset"] == 1
    assert schemas["Associate"] == 5  # the user and each contact
    expected = {"/device", *(f"/contacts/{i}" for i in range(5)),
                *(f"/calls/{i}" for i in range(6)), *(f"/messages/{i}" for i in range(10)),
                "/accounts/0", "/accounts/1"}
    found = {r.split("#", 1)[1] for r in records(ws)}
    assert {r for r in found if "/to/" not in r} == expected
    assert all(r.startswith("KB3.ufdr#/") for r in records(ws))
    assert any(note.startswith("report metadata not read: Device Info.DeviceInfoAndroidID")
               for note in result.notes)


def test_contacts_are_labelled_persons_with_e164_phones(ws: Workspace, tmp_path: Path) -> None:
    ingest_file(ws, "ufdr", ufdr(tmp_path, report(*good_models())))
    found = entities(ws)
    for (name, _), phone in zip(CONTACTS, OTHERS, strict=True):
        person = one(found, "Person", "name", name)
        assert person.get("weakAlias") == [name]
        assert person.get("phone") == [phone]
        assert person.get("notes") == ["Phone Book contact"]
    handset = one(found, "Handset", "imei", IMEI)
    assert handset.get("name") == ["Samsung Galaxy A12"]
    assert handset.get("phoneNumber") == [OWNER]
    assert "case OP-SEAGULL-17" in handset.first("description")
    assert "exhibit KB/3" in handset.first("description")
    owner = found[handset.first("owner")]
    assert owner.get("name") == ["Rebin Hama Ali"]


def test_calls_and_messages_link_the_owner_and_the_other_end(ws: Workspace,
                                                             tmp_path: Path) -> None:
    ingest_file(ws, "ufdr", ufdr(tmp_path, report(*good_models())))
    found = entities(ws)
    owner = one(found, "Person", "name", "Rebin Hama Ali")
    boxer = one(found, "Person", "name", "Boxer Bhai")
    outgoing = one(found, "Call", "date", "2024-04-20T21:14:00")
    assert (outgoing.get("caller"), outgoing.get("receiver")) == ([owner.id], [boxer.id])
    assert outgoing.get("duration") == ["42"]
    missed = one(found, "Call", "date", "2024-04-22T21:14:00")
    assert missed.get("receiver") == [owner.id]
    sent = one(found, "Message", "bodyText", "sms 0")
    assert sent.get("sender") == [owner.id] and sent.get("recipients") == [boxer.id]
    assert "SMS" in sent.first("description")
    farid = one(found, "Person", "name", "Farid Noorzai")
    reply = one(found, "Message", "bodyText", "group 2")
    assert reply.get("sender") == [farid.id]
    assert set(reply.get("recipients")) == {owner.id, boxer.id}
    assert reply.get("threadTopic") == ["Europe travel group"]
    advert = one(found, "Message", "bodyText", "group 0")
    assert set(advert.get("recipients")) == {boxer.id, farid.id}
    account = one(found, "UserAccount", "username", "rebin.travel.eu")
    assert account.get("owner") == [owner.id]


def test_a_bare_report_xml_reads_as_the_archive_does(ws: Workspace, tmp_path: Path) -> None:
    bare = tmp_path / "report.xml"
    bare.write_text(report(*good_models()), encoding="utf-8")
    result = ingest_file(ws, "ufdr", bare)
    assert result.quarantined == 0
    assert Counter(e.schema.name for e in entities(ws).values())["Message"] == 10


# --- malformed reports: quarantined with reasons, the good items beside them kept ---

BAD = [
    model("Contact", "c-empty", field("Name", None), multi("Entries")),
    call("k-bad-time", "Outgoing", "+905324172290", "not a time"),
    call("k-no-dir", None, "+905324172290", "2024-04-30T10:00:00.000+00:00"),
    model("Chat", "g-empty", field("Name", "nobody")),
    model("UserAccount", "a-empty", field("Password", "x")),
]


def test_bad_models_are_quarantined_with_line_and_reason(ws: Workspace, tmp_path: Path) -> None:
    xml = report(*good_models(), *BAD)
    result = ingest_file(ws, "ufdr", ufdr(tmp_path, xml))
    accounted(result)
    lines = xml.splitlines()
    rows = {q.locator: q for q in quarantine(ws) if q.row_rejected}
    empty = rows["/Report/report.xml/Contact/c-empty"]
    assert "a contact needs a name or a phone number" in empty.reason
    assert 'id="c-empty"' in lines[empty.line - 1] and f"line {empty.line}" in empty.reason
    assert "direction" in rows["/calls/7"].reason
    assert 'id="k-no-dir"' in lines[rows["/calls/7"].line - 1]
    assert "no InstantMessage" in rows["/Report/report.xml/Chat/g-empty"].reason
    assert "account needs" in rows["/Report/report.xml/UserAccount/a-empty"].reason
    [time] = [q for q in quarantine(ws) if not q.row_rejected]
    assert (time.locator, time.field, time.raw_value) == ("/calls/6", "timestamp", "not a time")
    assert 'id="k-bad-time"' in lines[time.line - 1]
    found = Counter(e.schema.name for e in entities(ws).values())
    assert (found["Call"], found["Message"]) == (7, 10)  # the bad-time call is kept, dateless


def test_a_report_cut_off_keeps_what_came_before(ws: Workspace, tmp_path: Path) -> None:
    xml = report(*good_models())
    cut = xml[: xml.index('<model type="Chat" id="g2"') + 400]
    result = ingest_file(ws, "ufdr", ufdr(tmp_path, cut))
    accounted(result)
    [broken] = [q for q in quarantine(ws) if q.row_rejected]
    assert "breaks off" in broken.reason and "the Chat g2 starting at line" in broken.reason
    assert '"id": "g2"' in (broken.raw_value or "")
    found = Counter(e.schema.name for e in entities(ws).values())
    assert (found["Call"], found["Message"]) == (6, 4 + 3)


def test_entity_declarations_are_never_expanded(ws: Workspace, tmp_path: Path) -> None:
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    head = f'<!DOCTYPE project [<!ENTITY lol0 "lol">{lol}<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    bomb = report(*good_models(), model("SMS", "s-bomb", field("Folder", "Inbox"),
                                        field("Body", "&lol9; &xxe;"),
                                        multi("Parties", party("+33781229014", role="From"))),
                  head=head)
    result = ingest_file(ws, "ufdr", ufdr(tmp_path, bomb))
    accounted(result)
    rows = [q for q in quarantine(ws) if q.row_rejected]
    assert len(rows) == 11 and all("never expanded" in q.reason for q in rows)
    assert one(entities(ws), "Message", "bodyText", "&lol9; &xxe;")
    assert Counter(e.schema.name for e in entities(ws).values())["Call"] == 6


def test_a_model_nested_too_deeply_is_quarantined(ws: Workspace, tmp_path: Path) -> None:
    deep = field("Name", "bottom")
    for level in range(60):
        deep = model("Contact", f"d{level}", field("Name", "x"), multi("Entries", deep))
    result = ingest_file(ws, "ufdr", ufdr(tmp_path, report(*good_models(), deep)))
    [row] = [q for q in quarantine(ws) if q.row_rejected]
    assert "nest too deeply" in row.reason and "d59" in row.reason
    b = result.batch
    assert (b.rows_rejected, b.rows_stored) == (1, b.rows_read - 1)
    assert Counter(e.schema.name for e in entities(ws).values())["Person"] == 1 + 5


def test_an_attribute_bomb_stops_there(ws: Workspace, tmp_path: Path) -> None:
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    xml = report(*good_models(), head=f'<!DOCTYPE project [<!ENTITY lol0 "lol">{lol}]>')
    xml = xml.replace("<taggedFiles>", '<taggedFiles x="&lol9;">')
    result = ingest_file(ws, "ufdr", ufdr(tmp_path, xml))
    assert any("breaks off" in q.reason for q in quarantine(ws))
    assert result.batch.statements_added > 0


@pytest.mark.parametrize("content", [
    b"", b"not xml at all", b"<project><x/></project>", b'{"device": {}}',
    f'<report xmlns="{NS}"/>'.encode(), f'<project xmlns="{NS}"></project>'.encode(),
])
def test_what_is_not_a_report_is_refused_whole(ws: Workspace, tmp_path: Path,
                                               content: bytes) -> None:
    path = tmp_path / "report.xml"
    path.write_bytes(content)
    with pytest.raises(IngestError):
        ingest_file(ws, "ufdr", path)
    with ws.open_store(read_only=True) as store:
        assert store.batches(ws.home_scope()) == []


def test_an_archive_without_a_report_is_refused(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "photos.ufdr"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("files/x.jpg", b"\xff\xd8")
    with pytest.raises(IngestError, match=r"no report\.xml"):
        ingest_file(ws, "ufdr", path)


def test_ingesting_twice_adds_nothing(ws: Workspace, tmp_path: Path) -> None:
    path = ufdr(tmp_path, report(*good_models()))
    assert ingest_file(ws, "ufdr", path).batch.statements_added > 0
    assert ingest_file(ws, "ufdr", path).batch.statements_added == 0


def test_cli_refuses_a_non_report_in_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "notes.xml"
    path.write_text("<notes/>", encoding="utf-8")
    result = CliRunner().invoke(app, ["--workspace", str(tmp_path / "ws"), "ingest", "ufdr",
                                      str(path)])
    assert result.exit_code == 2
    assert "not a Cellebrite UFED report" in result.output
    assert "Traceback" not in result.output


def test_the_excerpt_in_docs_formats_md_ingests(ws: Workspace, tmp_path: Path) -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "formats.md"
    section = docs.read_text(encoding="utf-8").split("## `ufdr`", 1)[1]
    excerpt = section.split("```xml\n", 1)[1].split("```", 1)[0]
    result = ingest_file(ws, "ufdr", ufdr(tmp_path, excerpt))
    assert result.quarantined == 0
    found = entities(ws)
    boxer = one(found, "Person", "name", "Boxer Bhai")
    call = one(found, "Call", "receiverNumber", "+905324172290")
    assert call.get("receiver") == [boxer.id]
    assert one(found, "Handset", "imei", IMEI).get("phoneNumber") == [OWNER]


# --- fuzzing: reports built from random parts, cut anywhere (test_bad_input's contract) ---

VALUES = st.sampled_from([
    "", "Boxer Bhai", "ڕێبین", "+905324172290", "+44 7911 123456", "4477@s.whatsapp.net",
    "not a time", "2024-04-30T21:14:00.000+00:00", "Outgoing", "Incoming", "Missed",
    "Sideways", "Sent", "Inbox", "00:00:42", "99:99", "True", "&amp;", "]]>", "\x00",
]) | st.text(max_size=6)
FIELDS = st.sampled_from(["Name", "Identifier", "Body", "TimeStamp", "Direction", "Folder",
                          "Duration", "Username", "IsPhoneOwner", "Source", "Value"])
TYPES = st.sampled_from(["Contact", "Call", "SMS", "Chat", "InstantMessage", "UserAccount",
                         "Party", "Location"])


def _loose(depth: int = 2) -> st.SearchStrategy[str]:
    fields = st.builds(field, FIELDS, st.none() | VALUES)
    parts = fields if depth == 0 else fields | st.builds(
        lambda name, inner: multi(name, *inner), st.sampled_from(
            ["Entries", "Parties", "Messages", "From", "To", "Participants"]),
        st.lists(_loose(depth - 1), max_size=2))
    return st.builds(lambda kind, ident, inner: model(kind, ident, *inner), TYPES,
                     st.sampled_from(["x1", "x2", ""]), st.lists(parts, max_size=4))


SHAPED = st.one_of(
    st.builds(contact, st.just("c"), VALUES, st.lists(VALUES, max_size=2)),
    st.builds(call, st.just("k"), st.none() | VALUES, VALUES, VALUES, VALUES),
    st.builds(sms, st.just("s"), VALUES, VALUES, VALUES, VALUES),
    st.builds(lambda m, b: chat("g", "group", [OWNER, m], [message("m", m, b, b)]), VALUES,
              VALUES),
    st.builds(account, st.just("a"), VALUES, st.none() | VALUES, st.none() | VALUES))


@st.composite
def reports(draw: st.DrawFn) -> bytes:
    xml = report(*draw(st.lists(SHAPED | _loose(), max_size=6))).encode("utf-8")
    cut = draw(st.none() | st.integers(0, len(xml)))
    return xml if cut is None else xml[:cut]


@settings(max_examples=invariants.examples(6), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(content=reports(), archived=st.booleans())
def test_malformed_reports_never_crash_nor_lose_a_trace(content: bytes, archived: bool) -> None:
    with invariants.scratch() as (folder, workspace):
        path = folder / "report.xml"
        if archived:
            path = folder / "report.ufdr"
            with zipfile.ZipFile(path, "w") as archive:
                archive.writestr("report.xml", content)
        else:
            path.write_bytes(content)
        invariants.check_ingest(workspace, "ufdr", path, IngestOptions())
