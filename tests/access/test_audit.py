"""The s.62 audit log: recording, per-agency reading, proofs, and that every kind of
tampering with the stored rows makes `verify` fail."""

from __future__ import annotations

import json
from collections.abc import Callable

import duckdb
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pinchpoint.access import merkle
from pinchpoint.access.audit import (
    ACTIONS,
    FRONTIER_EVERY,
    AuditError,
    AuditLog,
    Entry,
    SignedHead,
)

KEY = Ed25519PrivateKey.generate()
PUBLIC = KEY.public_key()

Tamper = Callable[[duckdb.DuckDBPyConnection], None]


def _fill(log: AuditLog) -> None:
    """Ten entries, two agencies, every action."""
    for i in range(10):
        agency = "NCA" if i % 3 else "BF"
        action = ACTIONS[i % len(ACTIONS)]
        recipients = ("Europol", "PSNI") if action == "disclosure" else ()
        log.record(f"user{i % 2}", agency, action, f"entity:{i}", f"case op-{i}",
                   recipients=recipients, detail={"n": i, "note": "ünïcode"})


@pytest.fixture(scope="module")
def filled() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The rows of a filled log, made once: signing ten heads per test is the slow part."""
    audit = AuditLog(duckdb.connect(), KEY)
    _fill(audit)
    return (audit.con.execute("SELECT * FROM audit_log").fetchall(),
            audit.con.execute("SELECT * FROM audit_heads").fetchall())


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    """One in-memory database for the module (connecting costs more than a test)."""
    return duckdb.connect()


@pytest.fixture
def log(con: duckdb.DuckDBPyConnection,
        filled: tuple[list[tuple[object, ...]], list[tuple[object, ...]]]) -> AuditLog:
    con.execute("DROP TABLE IF EXISTS audit_log")
    con.execute("DROP TABLE IF EXISTS audit_heads")
    audit = AuditLog(con, KEY)
    audit.ensure()
    entries, heads = filled
    audit.con.executemany(f"INSERT INTO audit_log VALUES ({', '.join('?' * 10)})", entries)
    audit.con.executemany(f"INSERT INTO audit_heads VALUES ({', '.join('?' * 5)})", heads)
    return audit


def _sql(*statements: str) -> Tamper:
    def run(con: duckdb.DuckDBPyConnection) -> None:
        for statement in statements:
            con.execute(statement)
    return run


def _rehash(con: duckdb.DuckDBPyConnection) -> None:
    """What a careful forger does after editing: make every leaf hash match again."""
    rows = con.execute('SELECT seq, "at", "user", agency, action, what, why, recipients, '
                       "detail, rowid FROM audit_log").fetchall()
    for r in rows:
        entry = Entry(seq=r[0], at=r[1], user=r[2], agency=r[3], action=r[4], what=r[5],
                      why=r[6], recipients=tuple(r[7]), detail=json.loads(r[8]))
        con.execute("UPDATE audit_log SET leaf_hash = ? WHERE rowid = ?",
                    [entry.computed_hash().hex(), r[9]])


def _rehashed(*statements: str) -> Tamper:
    def run(con: duckdb.DuckDBPyConnection) -> None:
        _sql(*statements)(con)
        _rehash(con)
    return run


def _forged_tail(con: duckdb.DuckDBPyConnection) -> None:
    entry = Entry(seq=10, at="2030-01-01T00:00:00.000000+00:00", user="mallory", agency="NCA",
                  action="consultation", what="entity:1", why="nothing to see")
    con.execute("INSERT INTO audit_log VALUES (10, ?, 'mallory', 'NCA', 'consultation', "
                "'entity:1', 'nothing to see', [], '{}', ?)",
                [entry.at, entry.computed_hash().hex()])


def _forged_middle(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("UPDATE audit_log SET seq = seq + 1 WHERE seq >= 5")
    con.execute("INSERT INTO audit_log SELECT 5, \"at\", 'mallory', agency, action, what, why, "
                "recipients, detail, leaf_hash FROM audit_log WHERE seq = 4")
    _rehash(con)


def _resigned_head(con: duckdb.DuckDBPyConnection) -> None:
    """A head for the current (tampered) log, signed by a key that is not the instance's."""
    other = AuditLog(con, Ed25519PrivateKey.generate())
    con.execute("DELETE FROM audit_heads WHERE size = 10")
    other.record("mallory", "NCA", "consultation", "x", "y")
    con.execute("DELETE FROM audit_log WHERE seq = 10")
    con.execute("UPDATE audit_heads SET size = 10 WHERE size = 11")


# The first byte of a leaf hash changed, whatever it was ('00' || ... left one that began
# with 00 as it was: one run in 256 "detected" no tampering).
FLIPPED_LEAF = ("CASE WHEN left(leaf_hash, 2) = '00' THEN 'ff' ELSE '00' END "
                "|| substr(leaf_hash, 3)")
TAMPERING: dict[str, Tamper] = {
    **{f"edit {col}": _sql(f"UPDATE audit_log SET {col} = {value} WHERE seq = 4")
       for col, value in [('"at"', "'2020-01-01T00:00:00+00:00'"), ('"user"', "'mallory'"),
                          ("agency", "'BF'"), ("action", "'collection'"),
                          ("what", "'entity:other'"), ("why", "'because'"),
                          ("recipients", "['Europol']"), ("detail", "'{\"n\":99}'"),
                          ("leaf_hash", FLIPPED_LEAF)]},
    "edit a field and re-hash every leaf": _rehashed(
        "UPDATE audit_log SET why = 'fishing' WHERE seq = 2"),
    "unknown action and re-hash": _rehashed(
        "UPDATE audit_log SET action = 'shredding' WHERE seq = 2"),
    "delete first": _sql("DELETE FROM audit_log WHERE seq = 0"),
    "delete middle": _sql("DELETE FROM audit_log WHERE seq = 5"),
    "delete last": _sql("DELETE FROM audit_log WHERE seq = 9"),
    "delete middle and renumber": _rehashed(
        "DELETE FROM audit_log WHERE seq = 5", "UPDATE audit_log SET seq = seq - 1 WHERE seq > 5"),
    "insert forged entry at the end": _forged_tail,
    "insert forged entry with a duplicate seq": _sql(
        "INSERT INTO audit_log SELECT seq, \"at\", 'mallory', agency, action, what, why, "
        "recipients, detail, leaf_hash FROM audit_log WHERE seq = 5"),
    "insert forged entry in the middle and renumber": _forged_middle,
    "swap two entries": _sql(
        "UPDATE audit_log SET seq = CASE seq WHEN 3 THEN 4 ELSE 3 END WHERE seq IN (3, 4)"),
    "swap two entries and re-hash": _rehashed(
        "UPDATE audit_log SET seq = CASE seq WHEN 3 THEN 4 ELSE 3 END WHERE seq IN (3, 4)"),
    "delete a middle head": _sql("DELETE FROM audit_heads WHERE size = 5"),
    "delete the last head": _sql("DELETE FROM audit_heads WHERE size = 10"),
    "delete every head": _sql("DELETE FROM audit_heads"),
    "edit a head's root": _sql("UPDATE audit_heads SET root = repeat('ab', 32) WHERE size = 6"),
    "edit a head's size": _sql("UPDATE audit_heads SET size = 11 WHERE size = 10"),
    "edit a head's time": _sql("UPDATE audit_heads SET \"at\" = '2000' WHERE size = 3"),
    "edit a head's signature": _sql(
        "UPDATE audit_heads SET signature = (SELECT signature FROM audit_heads WHERE size = 2) "
        "WHERE size = 3"),
    "re-sign the last head with another key": _resigned_head,
}


def test_untouched_log_verifies(log: AuditLog) -> None:
    report = log.verify(PUBLIC)
    assert report.ok, report.problems
    assert report.size == 10
    assert report.problems == []


@pytest.mark.parametrize("name", list(TAMPERING))
def test_tampering_is_detected(log: AuditLog, name: str) -> None:
    TAMPERING[name](log.con)
    report = log.verify(PUBLIC)
    assert not report.ok, name
    assert report.problems


def test_another_key_does_not_verify(log: AuditLog) -> None:
    report = log.verify(Ed25519PrivateKey.generate().public_key())
    assert not report.ok
    assert any("signature" in p for p in report.problems)


def test_a_trusted_head_catches_a_truncated_tail(log: AuditLog) -> None:
    kept = log.head()
    log.con.execute("DELETE FROM audit_log WHERE seq >= 8")
    log.con.execute("DELETE FROM audit_heads WHERE size > 8")
    assert log.verify(PUBLIC).ok  # indistinguishable from a shorter honest log ...
    report = log.verify(PUBLIC, trusted=kept)  # ... except to someone who kept a head
    assert not report.ok
    assert "removed" in report.problems[0]


def test_a_trusted_head_still_verifies_after_appends(log: AuditLog) -> None:
    kept = SignedHead.from_json(json.loads(json.dumps(log.head().to_json())))
    log.record("u", "NCA", "erasure", "entity:3", "retention period over")
    assert log.verify(PUBLIC, trusted=kept).ok


def test_one_signed_head_per_size(log: AuditLog) -> None:
    heads = log.heads()
    assert [h.size for h in heads] == list(range(1, 11))
    assert all(h.verify(PUBLIC) for h in heads)
    assert log.head().size == 10


def test_record_returns_the_stored_entry(log: AuditLog) -> None:
    entry = log.record("alice", "NCA", "disclosure", "package:7", "JIT request 12",
                       recipients=["Europol"], detail={"statements": 40})
    assert entry.seq == 10
    assert entry.recipients == ("Europol",)
    assert entry.leaf_hash == entry.computed_hash().hex()
    assert log.entries("NCA", action="disclosure")[-1] == entry


def test_entries_show_only_the_agency_own_log(log: AuditLog) -> None:
    nca = log.entries("NCA")
    bf = log.entries("BF")
    assert {e.agency for e in nca} == {"NCA"}
    assert {e.agency for e in bf} == {"BF"}
    assert len(nca) + len(bf) == 10
    assert [e.seq for e in nca] == sorted(e.seq for e in nca)
    assert log.entries("EUROPOL") == []


def test_entries_filters(log: AuditLog) -> None:
    assert all(e.action == "consultation" for e in log.entries("NCA", action="consultation"))
    assert all(e.user == "user1" for e in log.entries("NCA", user="user1"))
    latest = log.entries("NCA", limit=2)
    assert [e.seq for e in latest] == [e.seq for e in log.entries("NCA")][-2:]
    with pytest.raises(ValueError):
        log.entries("NCA", action="reading")


@pytest.mark.parametrize(("args", "message"), [
    (("u", "NCA", "reading", "x", "y"), "unknown audit action"),
    (("u", "NCA", "disclosure", "x", "y"), "recipients"),
    (("u", "NCA", "consultation", "x", " "), "justification"),
    (("", "NCA", "collection", "x", "y"), "user"),
    (("u", "", "collection", "x", "y"), "agency"),
])
def test_record_refuses_incomplete_entries(log: AuditLog, args: tuple[str, str, str, str, str],
                                           message: str) -> None:
    with pytest.raises(ValueError, match=message):
        log.record(*args)
    assert log.verify(PUBLIC).size == 10  # nothing half-written


def test_record_refuses_non_json_detail(log: AuditLog) -> None:
    with pytest.raises(AuditError):
        log.record("u", "NCA", "collection", "x", "y", detail={"when": object()})


def test_canonical_bytes_include_seq_and_sort_keys() -> None:
    a = Entry(seq=1, at="t", user="u", agency="A", action="erasure", what="w", why="y",
              detail={"b": 1, "a": 2})
    b = Entry(seq=2, at="t", user="u", agency="A", action="erasure", what="w", why="y",
              detail={"a": 2, "b": 1})
    assert a.canonical().startswith(b'{"action":"erasure","agency":"A","at":"t","detail":'
                                    b'{"a":2,"b":1}')
    assert a.computed_hash() != b.computed_hash()


def test_prove_verifies_against_the_latest_head(log: AuditLog) -> None:
    head = log.head()
    for seq in range(10):
        p = log.prove(seq)
        assert p["size"] == head.size and p["root"] == head.root
        assert merkle.verify_inclusion(bytes.fromhex(p["leaf_hash"]), seq, p["size"],
                                       [bytes.fromhex(h) for h in p["proof"]],
                                       bytes.fromhex(p["root"]))
        assert p["entry"]["seq"] == seq


def test_prove_hides_other_agencies_entries(log: AuditLog) -> None:
    bf_seq = log.entries("BF")[0].seq
    with pytest.raises(AuditError, match=f"no audit entry {bf_seq}"):
        log.prove(bf_seq, agency="NCA")
    with pytest.raises(AuditError, match="no audit entry 99"):
        log.prove(99, agency="NCA")
    assert log.prove(bf_seq, agency="BF")["seq"] == bf_seq


def test_empty_log() -> None:
    audit = AuditLog(duckdb.connect(), KEY)
    assert audit.verify(PUBLIC).ok
    with pytest.raises(AuditError):
        audit.head()


def test_appends_from_two_writers_stay_consistent(log: AuditLog) -> None:
    other = AuditLog(log.con, KEY)
    for i in range(3):
        other.record("a", "NCA", "collection", f"file:{i}", "ingest")
        log.record("b", "NCA", "alteration", f"entity:{i}", "merge review")
    report = log.verify(PUBLIC)
    assert report.ok, report.problems
    assert report.size == 16


def test_appending_to_a_renumbered_log_is_refused(log: AuditLog) -> None:
    log.con.execute("DELETE FROM audit_log WHERE seq = 3")
    with pytest.raises(AuditError, match="numbering"):
        log.record("u", "NCA", "collection", "x", "y")


def test_a_new_writer_extends_a_stored_frontier_that_is_behind() -> None:
    """The frontier is stored every FRONTIER_EVERY entries: a new writer (a new process)
    reads it and the leaves after it, and its heads still sign the true roots."""
    audit = AuditLog(duckdb.connect(), KEY)
    batch = [("u", "NCA", "consultation", "GET /x", "case 1", (), None)] * 7
    for _ in range(FRONTIER_EVERY // 7 + 3):
        audit.record_many(batch)
    stored = audit.con.execute("SELECT size FROM audit_frontier").fetchall()[0][0]
    size = audit.head().size
    assert FRONTIER_EVERY <= stored < size  # stored when the log passed 256, now behind
    later = AuditLog(audit.con, KEY)
    later.record("v", "NCA", "collection", "file:1", "ingest")
    report = later.verify(PUBLIC)
    assert report.ok, report.problems
    assert report.size == size + 1
    leaves = [bytes.fromhex(h) for (h,) in audit.con.execute(
        "SELECT leaf_hash FROM audit_log ORDER BY seq").fetchall()]
    assert later.head().root == merkle.root(leaves).hex()


def test_one_entry_cannot_flood_the_log(con: duckdb.DuckDBPyConnection) -> None:
    """Issue 14: a plan of 500 targets of 10 KB ids wrote 5 MB per request. What one
    entry records is bounded; the full content's size and SHA-256 are kept with it."""
    import hashlib

    from pinchpoint.access import bounds
    from pinchpoint.access.audit import canonical_json

    con.execute("DROP TABLE IF EXISTS audit_log")
    con.execute("DROP TABLE IF EXISTS audit_heads")
    log = AuditLog(con, KEY)
    targets = [f"{i:04d}" + "x" * 10_000 for i in range(500)]
    detail = {"k": 5, "targets": targets}
    entry = log.record("u", "NCA", "consultation", "POST /api/network/plan" + "w" * 60_000,
                       "y" * 60_000, detail=detail)
    stored = con.execute("SELECT what, why, detail FROM audit_log").fetchall()[0]
    assert sum(len(x) for x in stored) < 3 * bounds.MAX_TEXT + bounds.MAX_DETAIL_BYTES
    assert stored[0].startswith("POST /api/network/plan") and "60022 characters" in stored[0]
    full = canonical_json(detail)
    assert entry.detail[bounds.TRUNCATED] == {"bytes": len(full),
                                              "sha256": hashlib.sha256(full).hexdigest()}
    assert entry.detail["k"] == 5 and len(entry.detail["targets"]) == bounds.MAX_ITEMS + 1
    assert entry.detail["targets"][-1] == f"… and {500 - bounds.MAX_ITEMS} more"
    assert log.verify(PUBLIC).ok
    small = log.record("u", "NCA", "consultation", "GET /api/me", "why", detail={"a": [1]})
    assert small.detail == {"a": [1]} and small.what == "GET /api/me"


def test_an_over_long_purpose_is_refused() -> None:
    from pinchpoint.access import bounds

    assert bounds.checked_purpose("p" * bounds.MAX_PURPOSE) == "p" * bounds.MAX_PURPOSE
    with pytest.raises(bounds.PurposeError, match="at most 500 characters"):
        bounds.checked_purpose("p" * (bounds.MAX_PURPOSE + 1))
