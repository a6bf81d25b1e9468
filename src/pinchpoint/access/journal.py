"""Where the audit log lives and how commands write to it.

The log is a DuckDB file of its own beside the store (`<workspace>/audit.duckdb`), or,
for a workspace on PostgreSQL, tables in its database (where many processes append, one
at a time: `AuditLog.record_many`). A file of its own: reads
of the store can stay read-only while every read is still logged, erasing a source
never touches the record that it was erased, and the log can be copied away on its
own. Every CLI command that reads data gets its scope from
`pinchpoint.cli.common.current_scope`, which records the consultation here, so no read
goes unlogged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pinchpoint.access import keys
from pinchpoint.access.audit import AuditError, AuditLog, Entry, SignedHead, VerifyReport
from pinchpoint.store.database import Connection, PostgresConnection
from pinchpoint.store.files import private_files
from pinchpoint.store.workspace import open_workspace

AUDIT_FILE = "audit.duckdb"
NO_REASON = "no reason given"


def connect(workspace: Path) -> tuple[Connection, AuditLog]:
    """The log held open (a server keeps one for its lifetime: appending then costs one
    transaction, not an open and a re-read of every leaf hash). Refused, before the log
    is opened, unless the workspace's key file holds the key pinned at init."""
    return _connect(workspace, keys.signing_key(workspace))


def database(workspace: Path) -> Connection:
    """The database holding the log, opened as it is (for `connect`; and for tests and
    tools that read it raw, as an auditor would with the file)."""
    url = open_workspace(workspace).database
    return PostgresConnection(url) if url else duckdb.connect(str(workspace / AUDIT_FILE))


def _connect(workspace: Path, key: Ed25519PrivateKey | None
             ) -> tuple[Connection, AuditLog]:
    con = database(workspace)
    try:
        if (workspace / AUDIT_FILE).exists():
            private_files(workspace / AUDIT_FILE)  # 0600, a log made before this rule
        log = AuditLog(con, key)
        log.ensure()
    except BaseException:
        con.close()
        raise
    return con, log


@contextmanager
def open_log(workspace: Path) -> Iterator[AuditLog]:
    """The workspace's audit log, open for reading and appending."""
    con, log = connect(workspace)
    try:
        yield log
    finally:
        con.close()


def verify(workspace: Path, public_key: str | None = None,
           trusted: Sequence[SignedHead] = ()) -> VerifyReport:
    """Check the whole log against the key pinned at init (or `public_key`, given by
    an auditor), never against the key file the folder holds: whoever can write the
    folder can swap that file and re-sign every head. A key file that is missing or
    not the pinned one is itself a problem; `trusted` heads (kept by partners) must
    each still be covered exactly."""
    key_problem = ""
    try:
        keys.signing_key(workspace)
    except keys.KeyPinError as exc:
        key_problem = str(exc)
    public = keys.parse_public(public_key) if public_key else keys.pinned_key(workspace)
    con, log = _connect(workspace, None)  # read, not signed: no private key needed
    try:
        report = log.verify(public, trusted=trusted)
    finally:
        con.close()
    if key_problem:
        report.problems.insert(0, key_problem)
        report.ok = False
    return report


def latest_head(workspace: Path) -> SignedHead:
    """The log's latest signed head, signed by the pinned key: what every sharing
    package carries to the partner, who keeps it (`pinchpoint.sharing.heads`)."""
    with open_log(workspace) as log:
        return log.head()


def trusted_heads(text: str, name: str = "the trusted heads") -> list[SignedHead]:
    """Heads kept outside the workspace, as JSON: one head (`audit head --json`) or a
    list of them (`share heads --json`, the heads a partner received in packages)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AuditError(f"{name} is not JSON: {exc}") from None
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(item, dict) for item in items):
        raise AuditError(f"{name} holds no signed heads")
    return [SignedHead.from_json(item) for item in items]


def justification(why: str | None) -> str:
    """The reason as given, or a record that none was (the log never has an empty why)."""
    return (why or "").strip() or NO_REASON


def record(workspace: Path, user: str, agency: str, action: str, what: str,
           why: str | None, recipients: Sequence[str] = (),
           detail: Mapping[str, Any] | None = None) -> Entry:
    """Append one entry (who, when, what, why) and sign the new tree head."""
    with open_log(workspace) as log:
        return log.record(user, agency, action, what, justification(why),
                          tuple(recipients), dict(detail) if detail else None)
