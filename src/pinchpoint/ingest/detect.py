"""Which kind a file looks like, so the workbench can pick it for the analyst.

A table is recognised by its header: the built-in layout whose required columns it has
and whose columns hold all of its own (a ledger's columns make a ledger); a table that
fits no layout is a `table`, for the mapping editor. Other kinds by their extension and
their first bytes (a UFED report's namespace, a vCard's BEGIN line, a JSON document's
top-level keys). Only a guess: the analyst confirms or changes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pinchpoint.ingest.jsontext import loads_bounded
from pinchpoint.ingest.kinds import BUILTIN_LAYOUTS, TABLE_EXTENSIONS, kind_info

SNIFF_BYTES = 65_536
UFDR_NAMESPACE = b"pa.cellebrite.com/report"
# An extraction names its sections as keys; an FtM entity never has these.
PHONE_KEYS = re.compile(r'"(?:device|contacts|calls|messages|sms|chats)"\s*:')


@dataclass(frozen=True)
class Detected:
    kind: str | None
    reason: str


def detect_table(header: list[str]) -> Detected:
    """The built-in layout a header is, else `table`."""
    present = {h for h in header if h}
    best: tuple[int, str] | None = None
    for layout in BUILTIN_LAYOUTS:
        info = kind_info(layout)
        if set(info.required) <= present and present <= set(info.columns):
            fit = len(present)
            if best is None or fit > best[0]:
                best = (fit, layout)
    if best is not None:
        return Detected(best[1], f"its columns are the {best[1]} layout's")
    return Detected("table", "its columns fit no built-in layout: map them with the editor")


def detect_file(path: Path, header: list[str] | None) -> Detected:
    """The kind a file looks like; `header` is its first row when it reads as a table."""
    suffix = path.suffix.lower()
    head = _head(path)
    if suffix == ".ufdr" or (suffix in (".xml", ".zip") and _is_ufdr(path, head)):
        return Detected("ufdr", "a Cellebrite UFED report")
    if suffix in (".vcf", ".vcard") or head.lstrip(b"\xef\xbb\xbf \r\n").upper().startswith(
            b"BEGIN:VCARD"):
        return Detected("vcard", "a vCard contact book")
    if suffix in (".jsonl", ".ndjson", ".json"):
        return _detect_json(head, suffix)
    if suffix in (".md", ".markdown"):
        return Detected("document", "a Markdown case report")
    if header is not None and suffix in TABLE_EXTENSIONS and (suffix != ".txt" or
                                                               len(header) > 1):
        return detect_table(header)
    if suffix == ".txt":
        return Detected("document", "a plain-text case report")
    return Detected(None, f"no kind reads {suffix or 'files without an extension'}; "
                    "choose one")


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(SNIFF_BYTES)
    except OSError:
        return b""


def _is_ufdr(path: Path, head: bytes) -> bool:
    if UFDR_NAMESPACE in head:
        return True
    if not head.startswith(b"PK"):
        return False
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return any(Path(n).name == "report.xml" for n in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _detect_json(head: bytes, suffix: str) -> Detected:
    text = head.decode("utf-8", "replace").lstrip("\ufeff \r\n\t")
    first_line = text.split("\n", 1)[0]
    try:
        first = loads_bounded(first_line)
    except ValueError:  # not JSON, or nested too deeply to be an entity
        first = None
    if isinstance(first, dict) and "schema" in first:
        return Detected("ftm", "FollowTheMoney entities, one per line")
    if suffix == ".json" and text.startswith("{") and PHONE_KEYS.search(text):
        return Detected("phone", "a phone-extraction export")
    if suffix in (".jsonl", ".ndjson"):
        return Detected("ftm", "JSON lines: read as FollowTheMoney entities")
    return Detected(None, "a JSON file of no layout Pinchpoint knows; choose a kind")
