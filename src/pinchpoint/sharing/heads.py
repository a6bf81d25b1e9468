"""Partners keep copies of each other's signed audit heads (issue 14, finding 6).

Every package carries its sender's latest signed audit head. The recipient keeps each
one (`pinchpoint.store.partner_heads`), so the sender's log can be checked later
against heads nobody at the sender can reach: `pinchpoint share heads --from SENDER
--json` prints them, and the sender's auditor passes that list to `pinchpoint audit
verify --trusted`, which fails unless the log still holds exactly what each covered.

On receipt, a head from the same key that is smaller than one received before, or of
the same size with another root, means the sender's log lost or rewrote entries since:
the package is refused (nothing imported), and the importer is told to alert the
sender's auditor. A head under another key starts afresh (the sender re-pinned a new
key: its auditor can still check the old heads against the old key).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pinchpoint.access.audit import SignedHead
from pinchpoint.sharing.package import REFUSED, PackageError, PackageInfo
from pinchpoint.store import partner_heads
from pinchpoint.store.partner_heads import HeldHead
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore


@dataclass(frozen=True)
class Received:
    """The head a package brought, and whether it was new to this agency."""

    head: SignedHead
    new: bool


def receive(store: SqlStore, scope: Scope, info: PackageInfo) -> Received:
    """Check a verified package's audit head against the heads the scope's agency holds
    from the same sender and key, and keep it; PackageError when the sender's log is
    shorter than, or differs from, what an earlier package showed."""
    head = info.audit_head
    for earlier in partner_heads.held(store.con, scope, info.sender):
        if earlier.key_id != head.key_id:
            continue
        if earlier.size > head.size:
            raise PackageError(
                f"{info.sender}'s audit log was {earlier.size} entries long in a package "
                f"received {earlier.received_at:%Y-%m-%d %H:%M}, and is {head.size} in "
                f"this one: entries were removed. Alert {info.sender}'s auditor (give them "
                f"`pinchpoint share heads --from {info.sender} --json`): {REFUSED}")
        if earlier.size == head.size and earlier.root != head.root:
            raise PackageError(
                f"{info.sender}'s audit log of {head.size} entries differs from the one an "
                f"earlier package showed: history was rewritten. Alert {info.sender}'s "
                f"auditor: {REFUSED}")
    row = HeldHead(info.sender, scope.agency, head.key_id, head.size, head.root, head.at,
                   head.signature, info.file_sha256,
                   datetime.now(UTC).replace(tzinfo=None, microsecond=0))
    return Received(head, partner_heads.add(store.con, row))


def held(store: SqlStore, scope: Scope, sender: str) -> list[dict[str, Any]]:
    """The heads of `sender`'s log the scope's agency holds, as `audit verify --trusted`
    reads them (each with the package it came in and when)."""
    return [{**SignedHead(h.size, h.root, h.at, h.key_id, h.signature).to_json(),
             "sender": h.sender, "package_sha256": h.package,
             "received_at": h.received_at.isoformat()}
            for h in partner_heads.held(store.con, scope, sender)]
