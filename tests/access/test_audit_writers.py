"""Several writers of one audit log, as a team server's processes are: each appends with
what it last saw, and must pick up what the others appended in between (on PostgreSQL by
the entries after its own last one, `AuditLog._sync_tail`), so that every signed head
still signs the true root of the whole log. Runs on both backends."""

from __future__ import annotations

import random

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from postgres import fresh_store

from pinchpoint.access import merkle
from pinchpoint.access.audit import FRONTIER_EVERY, AuditError, AuditLog

KEY = Ed25519PrivateKey.generate()
ENTRY = ("u", "NCA", "consultation", "GET /x", "case 1", (), None)


def test_writers_taking_turns_sign_the_true_roots() -> None:
    with fresh_store() as store:
        first, second = AuditLog(store.con, KEY), AuditLog(store.con.cursor(), KEY)
        rng = random.Random(7)
        for _ in range(40):
            writer = rng.choice((first, second))
            writer.record_many([ENTRY] * rng.randint(1, 2 * FRONTIER_EVERY // 10))
        report = first.verify(KEY.public_key())
        assert report.ok, report.problems
        leaves = [bytes.fromhex(h) for (h,) in store.con.execute(
            "SELECT leaf_hash FROM audit_log ORDER BY seq").fetchall()]
        assert first.head().root == merkle.root(leaves).hex()
        assert first.head().size == len(leaves) == report.size


def test_a_writer_refuses_a_log_whose_end_was_removed_under_it() -> None:
    """Another process's entries that vanish (the tail cut, then a new entry) break the
    numbering a writer who read the log before expects: it re-reads and refuses."""
    with fresh_store() as store:
        first, second = AuditLog(store.con, KEY), AuditLog(store.con.cursor(), KEY)
        first.record_many([ENTRY] * 5)
        second.record_many([ENTRY] * 5)
        store.con.execute("DELETE FROM audit_log WHERE seq = 7")
        with pytest.raises(AuditError, match="numbering"):
            first.record(*ENTRY)
