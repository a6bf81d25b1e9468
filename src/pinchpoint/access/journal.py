"""Where the audit log lives and how commands write to it.

The log is a DuckDB file of its own beside the store (`<workspace>/audit.duckdb`): reads
of the store can stay read-only while every read is still logged, erasing a source
never touches the record that it was erased, and the log can be copied away on its
own. Every CLI command that reads data gets its scope from
`pinchpoint.cli.common.current_scope`, which records the consultation here, so no read
goes unlogged.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from pinchpoint.access import keys
from pinchpoint.access.audit import AuditLog, Entry
from pinchpoint.store.files import private_files

AUDIT_FILE = "audit.duckdb"
NO_REASON = "no reason given"


def connect(workspace: Path) -> tuple[duckdb.DuckDBPyConnection, AuditLog]:
    """The log held open (a server keeps one for its lifetime: appending then costs one
    transaction, not an open and a re-read of every leaf hash)."""
    con = duckdb.connect(str(workspace / AUDIT_FILE))
    try:
        private_files(workspace / AUDIT_FILE)  # 0600, a log made before this rule included
        log = AuditLog(con, keys.load_or_create(workspace))
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
