"""Partners, users, roles, entitlements, the audit log and retention.

The front door: `scope_for` turns a user into the scope every store read takes; the
`directory` holds agencies, sharing groups, users, API tokens and grants (its rules
here, its rows written by `pinchpoint.store.directory`), `accounts` their life cycle
(disable, change, revoke, lockout), `administration` what an administrator lists and
adds (users, agencies, sharing groups, grants) and `passwords` what a password must
be; `AuditLog` is the tamper-evident record of who did what (`journal` opens the
workspace's log); and retention reviews and erases a source (`due`, `set_review`,
`erase`). The signing key (`keys`), the Merkle tree (`merkle`) and the bounds on what
one entry holds (`bounds`) are reached as modules.
"""

from pinchpoint.access import accounts, administration, bounds, directory, journal, keys, passwords
from pinchpoint.access.audit import AuditError, AuditLog, Entry
from pinchpoint.access.bounds import PurposeError
from pinchpoint.access.directory import DirectoryError
from pinchpoint.access.entitlements import agency_scope, scope_for
from pinchpoint.access.retention import (
    DueSource,
    ErasureReport,
    due,
    erase,
    erasure_preview,
    erasures,
    set_review,
)

__all__ = [
    "AuditError",
    "AuditLog",
    "DirectoryError",
    "DueSource",
    "Entry",
    "ErasureReport",
    "PurposeError",
    "accounts",
    "administration",
    "agency_scope",
    "bounds",
    "directory",
    "due",
    "erase",
    "erasure_preview",
    "erasures",
    "journal",
    "keys",
    "passwords",
    "scope_for",
    "set_review",
]
