"""The server's audit writer: concurrent requests' entries share commits, every entry is
committed before its request goes on, and a refused entry fails only its own request."""

from __future__ import annotations

import threading
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
