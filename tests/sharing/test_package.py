"""Signed packages between two workspaces: round trip, tampering, trust, addressing,
idempotence and all-or-nothing import."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from builders import FTM_ENTITIES, snapshot, write_jsonl, write_layout
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pinchpoint.access import journal
from pinchpoint.access.audit import SignedHead
from pinchpoint.access.keys import key_id, public_text, signing_key
from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.sharing import package as package_module
from pinchpoint.sharing import sealed
from pinchpoint.sharing.package import (
    HEADER_MEMBER,
    MEMBERS,
    SIGNATURE_MEMBER,
    STATEMENTS_MEMBER,
    PackageError,
    read_package,
    write_package,
)
from pinchpoint.sharing.receive import import_package, owned_statements
from pinchpoint.sharing.trust import TrustError, distrust, entries, trust, trusted
from pinchpoint.store import Scope, Statement, Workspace, init_workspace
from pinchpoint.store import writes as store_writes

SENDER, RECIPIENT = "NCA", "PAF"
EVERYONE = Scope(agency=SENDER, visible_owners=frozenset({SENDER, "BF", RECIPIENT, "DGPN"}))
# What makes a statement the same fact on both sides (not id, owner or batch).
CONTENT = ["entity_id", "schema", "prop", "value", "original_value", "lang", "source",
           "record", "source_grade", "info_grade", "grade_original", "handling",
           "handling_conditions", "classification", "first_seen", "last_seen"]


@dataclass
class Pair:
    sender: Workspace
    recipient: Workspace
    key: Ed25519PrivateKey
    statements: list[Statement]
    folder: Path

    @property
    def head(self) -> SignedHead:
        """The sender's latest signed audit head, which every package carries."""
        return journal.latest_head(self.sender.path)

    def trust_sender(self) -> None:
        with self.recipient.open_store() as store:
            trust(store.con, SENDER, public_text(self.key.public_key()), "admin")

    def package(self, name: str = "out.zip", statements: list[Statement] | None = None,
                recipient: str = RECIPIENT, key: Ed25519PrivateKey | None = None) -> Path:
        path = self.folder / name
        write_package(path, self.statements if statements is None else statements, SENDER,
                      recipient, key or self.key, note="operation test",
                      audit_head=self.head)
        return path

    def count(self) -> int:
        with self.recipient.open_store(read_only=True) as store:
            return store.counts(EVERYONE).statements


@pytest.fixture
def pair(tmp_path: Path) -> Pair:
    """NCA's workspace with graded statements from two sources, and PAF's, empty."""
    sender = init_workspace(tmp_path / "nca", SENDER)
    recipient = init_workspace(tmp_path / "paf", RECIPIENT)
    ftm = write_jsonl(tmp_path / "entities.ftm.json", FTM_ENTITIES)
    ingest_file(sender, "ftm", ftm, IngestOptions(user="analyst"))
    ledger = write_layout(tmp_path, "ledger")
    # A second provenance group, owned by another agency whose data NCA may pass on.
    ingest_file(sender, "ledger", ledger,
                IngestOptions(user="analyst", owner="BF", source_grade="1", info_grade="B",
                              handling="C", conditions="no onward sharing outside the EU"))
    with sender.open_store(read_only=True) as store:
        statements = [s for group in store.iter_entities(EVERYONE) for s in group]
    assert len({s.owner for s in statements}) == 2 and len(statements) > 20
    key = signing_key(sender.path)
    journal.record(sender.path, "analyst", SENDER, "collection", "entities", "test")
    return Pair(sender, recipient, key, statements, tmp_path / "packages")


def _imported(pair: Pair) -> list[Statement]:
    with pair.recipient.open_store(read_only=True) as store:
        return store.statements(EVERYONE)


def _content(stmt: Statement) -> tuple[Any, ...]:
    return tuple(getattr(stmt, c) for c in CONTENT)


def test_round_trip_keeps_everything_but_owner(pair: Pair) -> None:
    pair.trust_sender()
    path = pair.package()
    assert not (path.parent / (path.name + ".partial")).exists()
    with pair.recipient.open_store() as store:
        package = read_package(path, trusted(store.con))
        report = import_package(store, package, RECIPIENT, "analyst-b")
    assert package.info.sender == SENDER and package.info.note == "operation test"
    assert package.info.key_id == key_id(pair.key.public_key())
    assert report.statements_added == len(pair.statements) == report.statements_read
    assert not report.already_imported
    got = _imported(pair)
    assert {s.owner for s in got} == {SENDER}
    # Everything is kept, with the entity ids in the sender's namespace: the sender's
    # own statements keep their ids (same content, same provenance); those it passes
    # on from BF are the sender's entities now, as their owner is.
    assert sorted(map(_content, got)) == sorted(
        map(_content, owned_statements(pair.statements, SENDER)))
    own = {s.id for s in pair.statements if s.owner == SENDER}
    assert own <= {s.id for s in got}
    passed_on = {s.entity_id for s in pair.statements if s.owner == "BF"}
    assert passed_on and not passed_on & {s.entity_id for s in got}
    with pair.recipient.open_store(read_only=True) as store:
        batches = store.batches(Scope.owner(SENDER))
    assert len(batches) == 2 == len(report.batches)
    assert {b.kind for b in batches} == {"share-import"}
    assert {b.source for b in batches} == {s.source for s in pair.statements}
    assert {b.file_hash for b in batches} == {package.info.file_sha256}
    assert {s.batch for s in got} == {b.id for b in batches}


def test_a_package_cannot_name_the_importers_entities(pair: Pair, tmp_path: Path) -> None:
    """Issue 14: ids are namespaced on import as on upload. A trusted sender's
    package whose statements (and references) use the ids of the importer's own
    entities adds statements to entities of the sender's, never to the importer's."""
    ingest_file(pair.recipient, "ftm", write_jsonl(tmp_path / "paf.ftm.json", FTM_ENTITIES),
                IngestOptions(user="paf-analyst"))
    with pair.recipient.open_store(read_only=True) as store:
        mine = store.statements(Scope.owner(RECIPIENT))
    targets = sorted({s.entity_id for s in mine})
    claims = [replace(s, entity_id=targets[i % len(targets)], owner=SENDER,
                      value=targets[0] if s.prop == "id" else s.value)
              for i, s in enumerate(pair.statements)]
    pair.trust_sender()
    path = pair.package(statements=claims)
    with pair.recipient.open_store() as store:
        import_package(store, read_package(path, trusted(store.con)), RECIPIENT, "b")
        theirs = store.statements(Scope.owner(SENDER))
        after = store.statements(Scope.owner(RECIPIENT))
    assert sorted(map(_content, after)) == sorted(map(_content, mine))
    assert theirs and not {s.entity_id for s in theirs} & set(targets)
    assert not {s.value for s in theirs if s.prop == "id"} & set(targets)


def test_statement_order_does_not_change_the_package(pair: Pair) -> None:
    first = pair.package("a.zip")
    second = pair.package("b.zip", statements=list(reversed(pair.statements)))
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert a.read(STATEMENTS_MEMBER) == b.read(STATEMENTS_MEMBER)
        assert a.namelist() == b.namelist() == list(MEMBERS)


def test_reimport_adds_nothing(pair: Pair) -> None:
    pair.trust_sender()
    path = pair.package()
    with pair.recipient.open_store() as store:
        import_package(store, read_package(path, trusted(store.con)), RECIPIENT, "b")
    before = snapshot(pair.recipient)
    with pair.recipient.open_store() as store:
        again = import_package(store, read_package(path, trusted(store.con)), RECIPIENT, "b")
    assert again.statements_added == 0 and again.already_imported
    assert again.statements_seen == len(pair.statements)
    assert snapshot(pair.recipient) == before


def _flipped(data: bytes, positions: Iterator[int], mask: int) -> Iterator[tuple[int, bytes]]:
    for pos in positions:
        changed = bytearray(data)
        changed[pos] ^= mask
        yield pos, bytes(changed)


def _refuses_every_flip(pair: Pair, path: Path, positions: list[int]) -> None:
    data = path.read_bytes()
    target = pair.folder / "tampered.zip"
    with pair.recipient.open_store() as store:
        keys = trusted(store.con)
        for mask in (0x01, 0xFF):
            for pos, changed in _flipped(data, iter(positions), mask):
                target.write_bytes(changed)
                with pytest.raises(PackageError):
                    package = read_package(target, keys)
                    import_package(store, package, RECIPIENT, "b")  # never reached
                    pytest.fail(f"a package with byte {pos} ^ {mask:#x} was accepted")


def test_any_changed_byte_of_a_small_package_is_refused(pair: Pair) -> None:
    pair.trust_sender()
    path = pair.package(statements=pair.statements[:3])
    size = path.stat().st_size
    _refuses_every_flip(pair, path, list(range(size)))
    assert pair.count() == 0
    with pair.recipient.open_store() as store:  # the untouched package still imports
        import_package(store, read_package(path, trusted(store.con)), RECIPIENT, "b")
    assert pair.count() == 3


def test_changed_bytes_inside_every_member_are_refused(pair: Pair) -> None:
    pair.trust_sender()
    path = pair.package()
    data = path.read_bytes()
    positions: set[int] = set(range(0, len(data), 31)) | set(range(len(data) - 200, len(data)))
    with zipfile.ZipFile(path) as archive:
        for member in archive.infolist():
            start = member.header_offset + 30 + len(member.filename)
            positions |= set(range(member.header_offset, start + min(member.file_size, 80)))
            positions.add(start + member.file_size - 1)
    _refuses_every_flip(pair, path, sorted(positions))
    assert pair.count() == 0


def test_unknown_sender_is_refused(pair: Pair) -> None:
    path = pair.package()
    with pytest.raises(PackageError, match="not in the trusted key list"):
        read_package(path, {})
    with pytest.raises(PackageError, match="not in the trusted key list"):
        read_package(path, {"BF": [pair.key.public_key()]})


def test_trusted_sender_with_another_key_is_refused(pair: Pair) -> None:
    impostor = Ed25519PrivateKey.generate()
    path = pair.package(key=impostor)
    pair.trust_sender()
    with pair.recipient.open_store() as store:
        keys = trusted(store.con)
        with pytest.raises(PackageError, match="not a trusted key of 'NCA'"):
            read_package(path, keys)
        # And a real package is refused once its key is distrusted.
        assert distrust(store.con, SENDER, key_id(pair.key.public_key()))
        with pytest.raises(PackageError, match="not in the trusted key list"):
            read_package(pair.package("real.zip"), trusted(store.con))
    assert pair.count() == 0


def test_package_for_another_agency_is_refused(pair: Pair) -> None:
    pair.trust_sender()
    path = pair.package(recipient="DGPN")
    with pair.recipient.open_store() as store:
        package = read_package(path, trusted(store.con))
        with pytest.raises(PackageError, match="addressed to 'DGPN'"):
            import_package(store, package, RECIPIENT, "b")
        own = replace(package, info=replace(package.info, recipient=SENDER))
        with pytest.raises(PackageError, match="from this agency"):
            import_package(store, own, SENDER, "b")
    assert pair.count() == 0


def test_failure_midway_leaves_the_store_unchanged(pair: Pair,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    pair.trust_sender()
    path = pair.package()
    before = snapshot(pair.recipient)
    calls: list[str] = []

    def failing(con: Any, batch: Any) -> None:
        calls.append(batch.id)
        if len(calls) == 2:  # the first batch and all statements are already written
            raise RuntimeError("disk full")
        real(con, batch)

    real = store_writes._insert_batch
    monkeypatch.setattr(store_writes, "_insert_batch", failing)
    with pair.recipient.open_store() as store:
        package = read_package(path, trusted(store.con))
        with pytest.raises(RuntimeError, match="disk full"):
            import_package(store, package, RECIPIENT, "b")
    assert snapshot(pair.recipient) == before
    monkeypatch.setattr(store_writes, "_insert_batch", real)
    with pair.recipient.open_store() as store:
        report = import_package(store, package, RECIPIENT, "b")
    assert report.statements_added == len(pair.statements) == pair.count()


def _signed(pair: Pair, members: dict[str, bytes]) -> Path:
    """A package built by hand (validly signed unless told otherwise)."""
    path = pair.folder / "crafted.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(sealed.canonical_zip(list(members.items())))
    return path


def _members(pair: Pair, body: bytes, **header: Any) -> dict[str, bytes]:
    public = pair.key.public_key()
    obj = {"format": "pinchpoint-share/1", "sender": SENDER, "recipient": RECIPIENT,
           "created": "2024-05-01T09:00:00+00:00", "note": "",
           "counts": {"statements": 1, "entities": 1},
           "statements_sha256": hashlib.sha256(body).hexdigest(),
           "key_id": key_id(public), "public_key": public_text(public),
           "audit_head": pair.head.to_json()} | header
    raw = json.dumps(obj).encode()
    return {HEADER_MEMBER: raw, SIGNATURE_MEMBER: base64.b64encode(pair.key.sign(raw)) + b"\n",
            STATEMENTS_MEMBER: body}


def test_signed_but_malformed_contents_are_refused(pair: Pair) -> None:
    pair.trust_sender()
    good = package_module._statement_line(pair.statements[0]).encode() + b"\n"
    bad_line = json.dumps({"entity_id": "x"}).encode() + b"\n"
    cases: list[tuple[dict[str, bytes], str]] = [
        (_members(pair, bad_line), "line 1 is not a statement"),
        (_members(pair, good.replace(b'"first_seen":"', b'"first_seen":"x')),
         "line 1 is not a statement"),
        (_members(pair, good, counts={"statements": 2, "entities": 1}), "counts"),
        (_members(pair, good, format="pinchpoint-share/2"), "not a pinchpoint-share/1"),
        (_members(pair, good, key_id="0" * 16), "key id does not match"),
        (_members(pair, good) | {"extra.txt": b""}, "exactly"),
        ({k: v for k, v in _members(pair, good).items() if k != SIGNATURE_MEMBER}, "exactly"),
        (_members(pair, good) | {SIGNATURE_MEMBER: base64.b64encode(b"\0" * 64) + b"\n"},
         "signature does not verify"),
    ]
    with pair.recipient.open_store() as store:
        keys = trusted(store.con)
        assert read_package(_signed(pair, _members(pair, good)), keys).statements == (
            pair.statements[0],)
        for members, message in cases:
            with pytest.raises(PackageError, match=message):
                read_package(_signed(pair, members), keys)
    # A zip written by another tool, even with the right members, is not canonical.
    loose = io.BytesIO()
    with zipfile.ZipFile(loose, "w") as archive:
        for name, content in _members(pair, good).items():
            archive.writestr(name, content)
    (pair.folder / "loose.zip").write_bytes(loose.getvalue())
    with pytest.raises(PackageError, match="altered outside"):
        read_package(pair.folder / "loose.zip", keys)
    with pytest.raises(PackageError, match="cannot read"):
        read_package(pair.folder / "missing.zip", keys)


def test_trust_list(pair: Pair) -> None:
    other = Ed25519PrivateKey.generate().public_key()
    with pair.recipient.open_store(read_only=True) as store:
        assert trusted(store.con) == {}  # no table yet, and read-only is fine
    with pair.recipient.open_store() as store:
        first = trust(store.con, SENDER, public_text(pair.key.public_key()), "admin", "MoU 2024")
        assert trust(store.con, SENDER, public_text(pair.key.public_key()), "admin") == first
        trust(store.con, SENDER, public_text(other), "admin")
        with pytest.raises(TrustError, match="already trusted for 'NCA'"):
            trust(store.con, "BF", public_text(other), "admin")
        with pytest.raises(TrustError, match="Ed25519"):
            trust(store.con, "BF", "not a key", "admin")
        assert sorted(e.note for e in entries(store.con)) == ["", "MoU 2024"]
        assert len(trusted(store.con)[SENDER]) == 2
        assert distrust(store.con, SENDER, key_id(other))
        assert not distrust(store.con, SENDER, key_id(other))
        assert len(trusted(store.con)[SENDER]) == 1
