"""Filters hold no value in the clear, refuse tampering and strangers, and only the
group's key makes them answer; the qualifier rules of names and documents hold."""

from __future__ import annotations

import base64
import codecs
import contextlib
import hashlib
import json
import urllib.parse
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pinchpoint.matching import filters, group_keys
from pinchpoint.matching.check import check
from pinchpoint.matching.filters import FilterError
from pinchpoint.matching.identifiers import KINDS, Identifier, Person, identifiers_of, phone
from pinchpoint.store.match_reads import Fact

FACTS = [  # (person, schema, prop, value, via)
    ("p1", "Person", "name", "Amanj Hassan Zada", "p1"),
    ("p1", "Person", "alias", "أمانج حسن زاده", "p1"),
    ("p1", "Person", "birthDate", "1984-07-01", "p1"),
    ("p1", "Person", "phone", "+9647501234567", "p1"),
    ("p1", "Person", "email", "amanj.zada@example.org", "p1"),
    ("p1", "Passport", "number", "A12345678", "d1"),
    ("p1", "Passport", "country", "iq", "d1"),
    ("p1", "Handset", "imei", "356938035643809", "h1"),
    ("p1", "Handset", "phoneNumber", "+447824746944", "h1"),
    ("p2", "Person", "name", "Zeeshan Banghis", "p2"),
    ("p2", "Person", "phone", "+923001234567", "p2"),
    ("p2", "Person", "idNumber", "PK-3520-1234567-1", "p2"),
]
VALUES = sorted({f[3] for f in FACTS} | {"Amanj", "Hassan", "Zada", "Zeeshan", "Banghis"})


def _people() -> list[Person]:
    facts = [Fact(*f) for f in FACTS]
    return [Person(p, identifiers_of([f for f in facts if f.person == p]), p)
            for p in ("p1", "p2")]


def _key(group: str = "calais", seed: bytes = b"a") -> group_keys.GroupKey:
    secret = hashlib.sha256(seed).digest()
    return group_keys.GroupKey(group, group_keys.key_id(secret), secret,
                               datetime(2026, 12, 8), "test")


def _write(tmp: Path, key: group_keys.GroupKey, signer: Ed25519PrivateKey) -> Path:
    bloom, items = filters.build(_people(), key, KINDS)
    path = tmp / "f.filter"
    filters.write(path, bloom, items, sender="NCA", key=key, kinds=KINDS,
                  rate=1e-6, signer=signer)
    return path


def _encodings(value: str) -> set[bytes]:
    """Every way a value could sit in a file: text encodings, cases, escapes, base64, hex,
    the normalised identifier, and unkeyed hashes a dictionary attack would try first."""
    forms = {value, value.lower(), value.upper(), value.replace(" ", ""),
             value.lstrip("+"), phone(value) or value}
    out: set[bytes] = set()
    for form in forms:
        raw = form.encode("utf-8")
        out |= {raw, form.encode("utf-16-le"), form.encode("utf-16-be"),
                form.encode("utf-32-le"), base64.b64encode(raw), raw.hex().encode(),
                raw.hex().upper().encode(), urllib.parse.quote(form).encode(),
                json.dumps(form).encode(), codecs.encode(form, "unicode_escape")}
        with contextlib.suppress(UnicodeEncodeError):
            out.add(form.encode("latin-1"))
        for name in ("md5", "sha1", "sha256", "blake2b"):
            digest = hashlib.new(name, raw).digest()
            out |= {digest, digest.hex().encode()}
    return {b for b in out if len(b) >= 4}


def test_a_filter_holds_no_value_in_any_encoding(tmp_path: Path) -> None:
    data = _write(tmp_path, _key(), Ed25519PrivateKey.generate()).read_bytes()
    idents = {i.value for p in _people() for i in p.identifiers}
    for value in [*VALUES, *idents]:
        for form in _encodings(value):
            assert form not in data, (value, form)


def test_the_group_key_finds_them_and_only_it(tmp_path: Path) -> None:
    signer = Ed25519PrivateKey.generate()
    key = _key()
    found = filters.read(_write(tmp_path, key, signer).read_bytes(),
                         {"NCA": [signer.public_key()]})
    assert {h.entity for h in check(found, key, _people())} == {"p1", "p2"}
    # Another group's key, even under this key's name, finds nothing.
    other = _key("dover", b"b")
    impostor = group_keys.GroupKey("calais", key.key_id, other.secret, other.created_at, "x")
    assert check(found, impostor, _people()) == []
    with pytest.raises(FilterError, match="not the key held here"):
        check(found, other, _people())


def test_tampered_or_stranger_filters_are_refused(tmp_path: Path) -> None:
    signer = Ed25519PrivateKey.generate()
    data = _write(tmp_path, _key(), signer).read_bytes()
    trusted = {"NCA": [signer.public_key()]}
    for where in (40, len(data) // 2, len(data) - 30):
        changed = bytearray(data)
        changed[where] ^= 0x01
        with pytest.raises(FilterError, match="refused"):
            filters.read(bytes(changed), trusted)
    with pytest.raises(FilterError, match="not a trusted key"):
        filters.read(data, {"NCA": [Ed25519PrivateKey.generate().public_key()]})
    with pytest.raises(FilterError, match="not a trusted key"):
        filters.read(data, {"PAF-FR": [signer.public_key()]})


def _hit_kinds(mine: set[Identifier], theirs: set[Identifier], tmp: Path) -> dict[str, bool]:
    key, signer = _key(), Ed25519PrivateKey.generate()
    bloom, items = filters.build([Person("them", theirs)], key, KINDS)
    path = tmp / "q.filter"
    filters.write(path, bloom, items, sender="NCA", key=key, kinds=KINDS, rate=1e-6,
                  signer=signer)
    found = filters.read(path.read_bytes(), {"NCA": [signer.public_key()]})
    hits = check(found, key, [Person("me", mine)], min_strength=0)
    return hits[0].exact if hits else {}


def test_qualifiers_agree_differ_or_are_unknown(tmp_path: Path) -> None:
    name = "g0|hsn"
    same = _hit_kinds({Identifier("name", name, ("1984",))},
                      {Identifier("name", name, ("1984",))}, tmp_path)
    assert same == {"name": True}
    assert _hit_kinds({Identifier("name", name, ("1984",))},
                      {Identifier("name", name, ("1990",))}, tmp_path) == {}
    assert _hit_kinds({Identifier("name", name, ("1984",))},
                      {Identifier("name", name)}, tmp_path) == {"name": False}
    assert _hit_kinds({Identifier("name", name)},
                      {Identifier("name", name, ("1990",))}, tmp_path) == {"name": False}
    # A name alone, one side without a birth year, is listed only when asked (weak).
    key = _key()
    bloom, items = filters.build([Person("them", {Identifier("name", name)})], key,
                                 KINDS)
    found = filters.Filter(filters.FilterInfo(
        "NCA", "calais", key.key_id, key.created_at, KINDS, items, bloom.sizing,
        1e-6, "", "", ""), bloom)
    mine = [Person("me", {Identifier("name", name, ("1984",))})]
    assert check(found, key, mine) == []
    assert check(found, key, mine, min_strength=0)[0].grade == "weak"
    assert _hit_kinds({Identifier("document", "A123456", ("iq",))},
                      {Identifier("document", "A123456", ("ir",))}, tmp_path) == {}


def test_names_key_alike_across_scripts() -> None:
    facts = [Fact("a", "Person", "name", "Rebin Jalal Karim", "a"),
             Fact("b", "Person", "name", "ريبين جلال كريم", "b")]
    keys = [{i.value for i in identifiers_of([f]) if i.kind == "name"} for f in facts]
    assert keys[0] and keys[0] == keys[1]
    # A one-part name (a nickname) is no identifier.
    assert not identifiers_of([Fact("c", "Person", "name", "Papi", "c")])


def test_identifiers_are_normalised() -> None:
    assert phone("+44 7824 746944") == "+447824746944"
    assert phone("0044 7824 746944") == "+447824746944"
    found = identifiers_of([Fact("p", "Handset", "imei", "35-693803-564380-9", "h"),
                            Fact("p", "Person", "email", " Someone@Example.ORG ", "p"),
                            Fact("p", "Person", "passportNumber", "a 1234-5678", "p")])
    assert found == {Identifier("imei", "35693803564380"),
                     Identifier("email", "someone@example.org"),
                     Identifier("document", "A12345678")}


def test_rotation_retires_the_old_key(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "k.duckdb"))
    first = group_keys.current_or_new(con, "calais", "admin")
    assert group_keys.current_or_new(con, "calais", "admin") == first
    second = group_keys.rotate(con, "calais", "admin")
    assert second.key_id != first.key_id
    old = group_keys.by_id(con, first.key_id)
    assert old is not None and not old.current
    text = group_keys.export_text(second)
    other = duckdb.connect(str(tmp_path / "o.duckdb"))
    assert group_keys.import_text(other, text, "admin").secret == second.secret
    with pytest.raises(group_keys.GroupKeyError):
        group_keys.import_text(other, text.replace(second.key_id, "0" * 16), "admin")
