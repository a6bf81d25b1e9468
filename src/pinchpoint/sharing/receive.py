"""Storing a verified package: exactly what was signed, owned by the sender, in the
sender's namespace, or nothing at all.

`pinchpoint.sharing.package` writes and verifies packages; this is the other half, the
one write a package makes, through the store's `import_statements` (one transaction).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from pinchpoint.model.owned import is_reference, owned_id
from pinchpoint.sharing.package import (
    FORMAT,
    IMPORT_KIND,
    REFUSED,
    Package,
    PackageError,
    PackageInfo,
)
from pinchpoint.store.records import BatchInfo, BatchMeta, Statement
from pinchpoint.store.schema_sql import FINGERPRINT_FIELDS, batch_fingerprint
from pinchpoint.store.sql_store import SqlStore


@dataclass(frozen=True)
class ImportReport:
    """What one import wrote: one batch per provenance group, owned by the sender."""

    sender: str
    recipient: str
    key_id: str
    statements_read: int
    statements_added: int
    statements_seen: int
    entities: int
    already_imported: bool
    batches: tuple[BatchInfo, ...] = field(default_factory=tuple)


def import_package(store: SqlStore, package: Package, importer_agency: str,
                   user: str) -> ImportReport:
    """Write a verified package's statements into ``store``, all or nothing.

    Every statement keeps its values, source, record, grades, handling and times; its
    owner becomes the package's sender whatever the rows say, because the sender is the
    one who vouched for them. Its entity id (and every reference to an entity) is kept
    when it is already in the sender's namespace, as the sender's own statements' ids
    are, and is namespaced by the sender otherwise (`pinchpoint.model.owned`): a package
    is trusted by its signature, not by its ids, so even a trusted sender cannot add
    statements to an entity of the importing agency, or of any agency but its own.

    The statements are grouped into one batch per provenance (a batch row carries
    source, grades and handling), and the store writes all batches in one transaction
    (`SqlStore.import_statements`). Batch ids derive from the package, so a second
    import of the same package adds nothing, not even batch rows.
    """
    info = package.info
    if info.recipient != importer_agency:
        raise PackageError(f"the package is addressed to {info.recipient!r}, not to "
                           f"{importer_agency!r}: {REFUSED}")
    if info.sender == importer_agency:
        raise PackageError(f"the package claims to come from this agency "
                           f"({importer_agency!r}) itself: {REFUSED}")
    groups: dict[str, list[Statement]] = {}
    for stmt in owned_statements(package.statements, info.sender):
        groups.setdefault(batch_fingerprint(_provenance(stmt, info.sender)), []).append(stmt)
    started = datetime.now().replace(microsecond=0)
    imported = store.import_statements(
        [(_batch_meta(info, fp, stmts, user, started), stmts) for fp, stmts in groups.items()])
    return ImportReport(
        sender=info.sender, recipient=info.recipient, key_id=info.key_id,
        statements_read=len(package.statements),
        statements_added=sum(b.info.statements_added for b in imported),
        statements_seen=sum(b.info.statements_seen for b in imported),
        entities=len({s.entity_id for s in package.statements}),
        already_imported=bool(groups) and not any(b.new for b in imported),
        batches=tuple(b.info for b in imported),
    )


def owned_statements(statements: Sequence[Statement], sender: str) -> list[Statement]:
    """The statements with their entity ids and references in the sender's namespace
    (unchanged where they are already, as an honest sender's are)."""
    out = []
    for stmt in statements:
        entity_id = owned_id(sender, stmt.entity_id)
        value = (owned_id(sender, stmt.value) if is_reference(stmt.schema, stmt.prop)
                 else stmt.value)
        if entity_id != stmt.entity_id or value != stmt.value:
            stmt = replace(stmt, entity_id=entity_id, value=value)
        out.append(stmt)
    return out


def _batch_id(info: PackageInfo, fingerprint: str) -> str:
    """The same package imported by the same agency always gives the same batch ids."""
    seed = "\x1f".join([FORMAT, info.statements_sha256, info.sender, info.recipient,
                        fingerprint])
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:32]


def _batch_meta(info: PackageInfo, fingerprint: str, statements: Sequence[Statement],
                user: str, started: datetime) -> BatchMeta:
    """One provenance group's batch, owned by the sender."""
    return BatchMeta(
        id=_batch_id(info, fingerprint), kind=IMPORT_KIND, path=str(info.path),
        file_hash=info.file_sha256, user=user,
        reason=f"share package from {info.sender}" + (f": {info.note}" if info.note else ""),
        started_at=started, rows_read=len(statements), rows_stored=len(statements),
        rows_rejected=0, **_provenance(statements[0], info.sender))


def _provenance(stmt: Statement, sender: str) -> dict[str, Any]:
    """What a batch row carries for the statement: its own, but owned by the sender."""
    return {f: getattr(stmt, f) for f in FINGERPRINT_FIELDS} | {"owner": sender}


__all__ = ["ImportReport", "import_package", "owned_statements"]
