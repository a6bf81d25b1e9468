"""How much of one input an ingest reads, keeps and quotes back.

Input comes from outside (a partner's upload, a seized phone's export), so no single
cell, line or name may cost the workspace more than a bounded amount: a value over
:data:`MAX_VALUE` characters is quarantined instead of stored, the quarantine keeps at
most :data:`KEEP_RAW` characters of a raw value (with its length and SHA-256, so the
original can still be matched against the file), and an error message quotes at most
:data:`EXCERPT` characters of what the user gave.
"""

from __future__ import annotations

import hashlib
import re

MAX_VALUE = 1_000_000  # characters in one cell, JSON value or document body
MAX_LINE = 10_000_000  # characters in one JSON line (one FtM entity)
MAX_DEPTH = 32  # levels of JSON nesting; an FtM entity needs 3, a phone export 4
KEEP_RAW = 1_000  # characters of a raw value the quarantine keeps
KEEP_TEXT = 500  # characters of a field name, locator or reason the quarantine keeps
EXCERPT = 80  # characters of user input an error message quotes
MAX_MESSAGE = 1_000  # characters in one error message
MAX_NAME_BYTES = 200  # bytes of an uploaded file's name (file systems allow 255)


def cap_raw(value: str) -> str:
    """A raw value as the quarantine keeps it: whole when short, else its first
    KEEP_RAW characters followed by its length and SHA-256."""
    if len(value) <= KEEP_RAW:
        return value
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return (f"{value[:KEEP_RAW]}… [cut: {len(value):,} characters in all, "
            f"SHA-256 {digest}]")


def shorten(text: str, limit: int) -> str:
    """Text cut to `limit` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit:,} more characters]"


def excerpt(value: object) -> str:
    """A user-given value as an error message quotes it: its repr, cut short."""
    try:
        text = repr(value)
    except RecursionError:  # a self-referencing or very deep structure
        text = f"<{type(value).__name__}>"
    return shorten(text, EXCERPT)


def too_long(value: str, limit: int = MAX_VALUE, what: str = "one value") -> str | None:
    """The quarantine reason for a value over `limit` characters, else None."""
    if len(value) <= limit:
        return None
    return f"{len(value):,} characters, over the limit of {limit:,} for {what}"


_SEPARATORS = re.compile(r"[/\\]")


def upload_name(filename: str | None) -> str:
    """A safe local name for an uploaded file: no folders, no `.`/`..`, no control or
    invisible characters, at most MAX_NAME_BYTES bytes, keeping the extension (it says
    whether a table is CSV or XLSX). Whatever the caller sends, the result names a
    file directly inside the upload folder."""
    name = _SEPARATORS.split(filename or "")[-1]
    name = "".join(c for c in name if c.isprintable()).strip().lstrip(".").strip()
    if not name:
        return "upload"
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem or len(suffix) > 10:
        stem, suffix = name, ""
    suffix = f".{suffix}" if suffix else ""
    while len((stem + suffix).encode("utf-8", "replace")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return (stem.strip() or "upload") + suffix
