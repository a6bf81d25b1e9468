"""The `vcard` kind: a phone's contact book as vCard 2.1, 3.0 and 4.0, through the
phone mapping; a card that does not parse is quarantined with its first line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import invariants
import pytest
from followthemoney.proxy import EntityProxy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pinchpoint.ingest.errors import IngestError
from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.ingest.vcard import NO_HANDSET
from pinchpoint.store.entities import iter_entities
from pinchpoint.store.workspace import Workspace

# "أبو سيف" in UTF-8, quoted-printable, with a soft line break inside it (vCard 2.1).
ARABIC_QP = "=D8=A3=D8=A8=D9=88 =D8=B3=\r\n=D9=8A=D9=81"
CARDS = [
    # line 1: vCard 2.1, Android's export
    "BEGIN:VCARD\r\nVERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;=D8=A3=D8=A8=D9=88 =D8=B3=D9=8A=D9=81;;;\r\n"
    f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{ARABIC_QP}\r\n"
    "TEL;CELL:+49 1520 4347781\r\nTEL;HOME:+49 30 1234567\r\nEND:VCARD\r\n",
    # line 9: vCard 3.0, a Sorani Kurdish name, a folded number, a handle and an address
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-2\r\nFN:ڕێبین کەریم\r\nN:کەریم;ڕێبین;;;\r\n"
    "TEL;TYPE=CELL:+964 750\r\n 555 0101\r\nEMAIL;TYPE=INTERNET:rebin@example.org\r\n"
    "X-SOCIALPROFILE;TYPE=facebook:rebin.karim.77\r\nNOTE:boats\\, engines\r\n"
    "ADR;TYPE=HOME:;;Rania Street;Ranya;;;Iraq\r\nEND:VCARD\r\n",
    # line 21: vCard 4.0, a tel: URI and a messenger handle
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Boxer Bhai\r\nTEL;VALUE=uri;TYPE=cell:tel:+905324172290\r\n"
    "IMPP:xmpp:boxer@example.net\r\nEND:VCARD\r\n",
    # line 27: does not parse (a property with no value)
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN\r\nEND:VCARD\r\n",
    # line 31: parses, but names nobody and no number
    "BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:someone@example.org\r\nEND:VCARD\r\n",
    # line 35: stray text between cards
    "this line is not part of any card\r\n",
    # line 36: cut off: no END:VCARD before the file ends
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Hawala Karwan\r\nTEL:+9647701234567\r\n",
]


@pytest.fixture
def ws() -> Iterator[Workspace]:
    with invariants.scratch() as (_, workspace):  # a copy of one made once: quicker
        yield workspace


def book(tmp_path: Path, cards: list[str] = CARDS) -> Path:
    path = tmp_path / "contacts.vcf"
    path.write_bytes("".join(cards).encode("utf-8"))
    return path


def persons(ws: Workspace) -> dict[str, EntityProxy]:
    with ws.open_store(read_only=True) as store:
        return {e.first("name"): e for e in iter_entities(store, ws.home_scope())
                if e.schema.name == "Person"}


def test_cards_of_every_version_become_contacts(ws: Workspace, tmp_path: Path) -> None:
    report = ingest_file(ws, "vcard", book(tmp_path))
    b = report.batch
    assert (b.rows_read, b.rows_stored, b.rows_rejected) == (7, 3, 4)
    assert b.values_quarantined == 0
    found = persons(ws)
    assert set(found) == {"أبو سيف", "ڕێبین کەریم", "Boxer Bhai"}
    arabic = found["أبو سيف"]
    assert arabic.get("weakAlias") == ["أبو سيف"]
    assert sorted(arabic.get("phone")) == ["+4915204347781", "+49301234567"]
    kurdish = found["ڕێبین کەریم"]
    assert kurdish.get("phone") == ["+9647505550101"]
    assert kurdish.get("email") == ["rebin@example.org"]
    assert kurdish.get("notes") == ["boats, engines; X-SOCIALPROFILE: rebin.karim.77"]
    assert found["Boxer Bhai"].get("phone") == ["+905324172290"]
    assert "IMPP: xmpp:boxer@example.net" in found["Boxer Bhai"].first("notes")
    assert NO_HANDSET in report.notes
    assert "vCard properties not read: ADR" in report.notes


def test_bad_cards_are_quarantined_with_their_first_line(ws: Workspace, tmp_path: Path) -> None:
    ingest_file(ws, "vcard", book(tmp_path))
    with ws.open_store(read_only=True) as store:
        items = store.quarantine(ws.home_scope())
    rows = {q.line: q.reason for q in items if q.row_rejected}
    assert set(rows) == {27, 31, 35, 36}
    assert "does not parse" in rows[27]
    assert "neither a name nor a phone number" in rows[31]
    assert "outside any vCard" in rows[35]
    assert "no END:VCARD" in rows[36]
    assert all(q.file == "contacts.vcf" for q in items)


def test_records_are_contacts_by_index_with_no_device(ws: Workspace, tmp_path: Path) -> None:
    ingest_file(ws, "vcard", book(tmp_path))
    with ws.open_store(read_only=True) as store:
        found = {s.record for s in store.statements(ws.home_scope())}
        schemas = Counter(e.schema.name for e in iter_entities(store, ws.home_scope()))
    assert found == {f"contacts.vcf#/contacts/{i}" for i in range(3)}
    assert schemas == Counter({"Person": 3})


def test_ingesting_twice_adds_nothing(ws: Workspace, tmp_path: Path) -> None:
    path = book(tmp_path)
    assert ingest_file(ws, "vcard", path).batch.statements_added > 0
    assert ingest_file(ws, "vcard", path).batch.statements_added == 0


@pytest.mark.parametrize("content", [b"", b"FN:nobody\r\n", b"\xff\xfe\x00B\x00E",
                                     "BEGIN:VCARD\r\nFN:Jos\xe9\r\n".encode("latin-1")])
def test_what_is_not_a_vcard_file_is_refused_whole(ws: Workspace, tmp_path: Path,
                                                   content: bytes) -> None:
    path = tmp_path / "contacts.vcf"
    path.write_bytes(content)
    with pytest.raises(IngestError):
        ingest_file(ws, "vcard", path)
    with ws.open_store(read_only=True) as store:
        assert store.batches(ws.home_scope()) == []


def test_the_example_in_docs_formats_md_ingests(ws: Workspace, tmp_path: Path) -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "formats.md"
    section = docs.read_text(encoding="utf-8").split("## `vcard`", 1)[1]
    example = section.split("```text\n", 1)[1].split("```", 1)[0]
    report = ingest_file(ws, "vcard", book(tmp_path, [example]))
    assert report.quarantined == 0
    assert set(persons(ws)) == {"أبو سيف", "ڕێبین کەریم"}


# --- fuzzing: cards of random lines, the documented ones among them ---

LINES = st.sampled_from([
    "BEGIN:VCARD", "END:VCARD", "VERSION:2.1", "VERSION:3.0", "VERSION:4.0", "FN:Boxer Bhai",
    "FN", "N:;;;;", "N:Karim;Rebin;;;", "TEL:+905324172290", "TEL:07700 900 12", "TEL;CELL:",
    "EMAIL:x@example.org", "NOTE:a\\, b", " folded", "=D8=A3", "X-SOCIALPROFILE:rebin",
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D8=A3=", "PHOTO;ENCODING=b:AAAA", ":", "",
    "BEGIN:VCALENDAR", "UID:c-1", "ADR:;;a;b;;;c",
]) | st.text(max_size=12).map(lambda s: s.replace("\n", " ").replace("\r", " "))


@settings(max_examples=invariants.examples(6), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(LINES, max_size=14), newline=st.sampled_from(["\n", "\r\n"]))
def test_malformed_vcards_never_crash_nor_lose_a_trace(lines: list[str], newline: str) -> None:
    with invariants.scratch() as (folder, workspace):
        path = folder / "contacts.vcf"
        path.write_bytes(newline.join(["BEGIN:VCARD", *lines]).encode("utf-8", "surrogatepass"))
        invariants.check_ingest(workspace, "vcard", path, IngestOptions())
