"""The server's audit writer: concurrent requests' entries share commits, every entry is
committed before its request goes on, and a refused entry fails only its own request."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pinchpoint.access.audit import AuditError, AuditLog
from pinchpoint.api.audit_writer import AuditWriter

KEY = Ed25519PrivateKey.generate()


def test_concurrent_entries_share_commits_and_all_land() -> None:
    log = AuditLog(duckdb.connect(), KEY)
    writer = AuditWriter(lambda: log, threading.Lock(), linger=0.01)
    try:
        def one(n: int) -> int:
            writer.record(("u", "NCA", "consultation", f"GET /api/entities/{n}", "case", (),
                           {"n": n}))
            # committed before record() returned: the entry is in the table already
            return len(log.con.cursor().execute(
                "SELECT 1 FROM audit_log WHERE what = ?", [f"GET /api/entities/{n}"]
            ).fetchall())

        with ThreadPoolExecutor(16) as pool:
            seen = list(pool.map(one, range(200)))
    finally:
        writer.close()
    assert seen == [1] * 200
    assert writer.entries == 200
    assert writer.commits < 200  # shared
    report = log.verify(KEY.public_key())
    assert report.ok and report.size == 200, report.problems


def test_a_refused_entry_fails_alone() -> None:
    log = AuditLog(duckdb.connect(), KEY)
    writer = AuditWriter(lambda: log, threading.Lock())
    try:
        with pytest.raises(AuditError):
            writer.record(("u", "NCA", "shredding", "x", "case", (), None))
        writer.record(("u", "NCA", "consultation", "GET /x", "case", (), None))
    finally:
        writer.close()
    assert [e.action for e in log.entries("NCA")] == ["consultation"]


def test_a_failed_commit_reaches_every_waiting_request() -> None:
    class Broken(AuditLog):
        def record_many(self, items):  # type: ignore[no-untyped-def]
            raise OSError("disk full")

    writer = AuditWriter(lambda: Broken(duckdb.connect(), KEY), threading.Lock())
    try:
        with pytest.raises(OSError, match="disk full"):
            writer.record(("u", "NCA", "consultation", "GET /x", "case", (), None))
    finally:
        writer.close()


def test_entries_wait_for_company_until_one_is_needed() -> None:
    """Entries nobody waits for yet are gathered (up to the linger); the first that a
    request needs is committed at once, with every entry queued before it."""
    log = AuditLog(duckdb.connect(), KEY)
    writer = AuditWriter(lambda: log, threading.Lock(), linger=60.0)
    try:
        early = [writer.submit(("u", "NCA", "consultation", f"GET /x/{n}", "case", (), None))
                 for n in range(3)]
        time.sleep(0.3)
        assert not any(done.done() for done in early)  # gathered, not yet committed
        started = time.monotonic()
        writer.record(("u", "NCA", "consultation", "GET /x/needed", "case", (), None))
        assert time.monotonic() - started < 10  # not the 60 s linger
        assert all(done.done() for done in early)
    finally:
        writer.close()
    assert writer.commits == 1 and writer.entries == 4
    assert log.verify(KEY.public_key()).ok


def test_closing_commits_what_is_gathered() -> None:
    log = AuditLog(duckdb.connect(), KEY)
    writer = AuditWriter(lambda: log, threading.Lock(), linger=60.0)
    done = writer.submit(("u", "NCA", "consultation", "GET /x", "case", (), None))
    started = time.monotonic()
    writer.close()
    assert done.done() and done.exception() is None
    assert time.monotonic() - started < 10
    assert [e.what for e in log.entries("NCA")] == ["GET /x"]
