"""How much one audit entry may hold, and how long a purpose may be.

Every request is logged, so whatever a caller sends could be written to the log: a plan
of 500 targets of 10 KB each wrote 5 MB per refused request, and a 60 KB `X-Purpose` was
kept whole (issue 14). The log is signed and kept for years; a caller must not be able
to fill it. So `pinchpoint.access.audit.check`, which every writer's entries pass
through, bounds each entry here:

- `what` and `why` keep their first characters, then the full text's length and
  SHA-256 (what was sent can still be matched against the entry);
- `detail` over `MAX_DETAIL_BYTES` of canonical JSON keeps a summary (strings cut to
  `MAX_VALUE` characters, lists and mappings to their first `MAX_ITEMS` items, with how
  many more there were) plus the full detail's size and SHA-256 under `_truncated`.

A purpose is the justification the law asks for; one over `MAX_PURPOSE` characters is
refused before anything is read (`checked_purpose`: the API answers 400, the CLI exits
2), not cut, since a cut justification would misstate it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

MAX_PURPOSE = 500
"""Characters a purpose (`X-Purpose`, `--purpose`) may have."""
MAX_TEXT = 1000
"""Characters of an entry's `what` and `why` kept in the log."""
MAX_DETAIL_BYTES = 8192
"""Bytes of an entry's detail (canonical JSON) kept whole."""
MAX_VALUE = 200
MAX_ITEMS = 20
MAX_DEPTH = 3
TRUNCATED = "_truncated"


class PurposeError(ValueError):
    """A purpose the log will not take."""


def checked_purpose(purpose: str | None) -> str | None:
    """The purpose as given, or PurposeError when it is longer than `MAX_PURPOSE`."""
    if purpose is not None and len(purpose) > MAX_PURPOSE:
        raise PurposeError(f"the purpose is {len(purpose)} characters long; give one of at "
                           f"most {MAX_PURPOSE} characters")
    return purpose


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bounded_text(text: str, limit: int = MAX_TEXT) -> str:
    """`text`, or its beginning, length and SHA-256 in at most `limit` characters."""
    if len(text) <= limit:
        return text
    tail = f"… [{len(text)} characters, sha256 {_digest(text.encode('utf-8', 'replace'))}]"
    return text[:max(limit - len(tail), 0)] + tail


def _shrunk(value: Any, depth: int = 0) -> Any:
    if isinstance(value, str):
        return bounded_text(value, MAX_VALUE)
    if depth >= MAX_DEPTH and isinstance(value, list | dict):
        return f"[{type(value).__name__} of {len(value)} items]"
    if isinstance(value, list):
        out = [_shrunk(v, depth + 1) for v in value[:MAX_ITEMS]]
        return out + ([f"… and {len(value) - MAX_ITEMS} more"] if len(value) > MAX_ITEMS
                      else [])
    if isinstance(value, dict):
        kept = sorted(value)[:MAX_ITEMS]
        found = {bounded_text(str(k), MAX_VALUE): _shrunk(value[k], depth + 1) for k in kept}
        if len(value) > MAX_ITEMS:
            found["…"] = f"and {len(value) - MAX_ITEMS} more keys"
        return found
    return value


def bounded_detail(detail: dict[str, Any], full: bytes) -> dict[str, Any]:
    """`detail` (whose canonical JSON is `full`), or a summary of it with the full
    detail's size and SHA-256 when `full` is over `MAX_DETAIL_BYTES`."""
    if len(full) <= MAX_DETAIL_BYTES:
        return detail
    facts = {"bytes": len(full), "sha256": _digest(full)}
    summary = _shrunk(detail)
    if len(json.dumps(summary, ensure_ascii=False).encode()) > MAX_DETAIL_BYTES - 256:
        summary = {"keys": [bounded_text(str(k), MAX_VALUE) for k in sorted(detail)[:MAX_ITEMS]]}
    return {**summary, TRUNCATED: facts}
