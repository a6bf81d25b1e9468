"""Free-text case reports (.txt, .md) stored whole as one document entity each.

Names, places and phone numbers in the text are extracted later (``text/``); here the
report is only kept, with enough to find it again: its title, its date when a header
line gives one, and a hash of its bytes so the same report is one entity however often
it is ingested. What entity comes out is the built-in mapping ``mappings/document.yaml``
through the shared engine; a file that is not text becomes a quarantined row.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pinchpoint.ingest.engine import MappingEngine
from pinchpoint.ingest.errors import IngestError
from pinchpoint.ingest.mapping import builtin_layout
from pinchpoint.ingest.records import RawRecord
from pinchpoint.ingest.source import IngestOptions, Source
from pinchpoint.ingest.tabular import ByteCounter

MIME_TYPES = {".md": "text/markdown", ".markdown": "text/markdown"}
TITLE_MAX = 300  # FtM strings stop at 1024; a title is a line, not a paragraph
# "Date: 2024-03-02", also as markdown ("**Date:** ...", "- Date: ..."); the engine's
# date cleaner decides whether the value is a date, and quarantines it if not.
_DATE_LINE = re.compile(r"^[\s>*_#-]*date[\s*_]*:[\s*_]*(\S.*?)[\s*_]*$", re.I | re.M)


def _title(text: str) -> str | None:
    for line in text.splitlines():
        title = line.strip().lstrip("#").strip()
        if title:
            return title[:TITLE_MAX]
    return None


def read_document(path: Path, data: bytes) -> RawRecord:
    """One report as one record, or a problem record saying why it is not text."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return RawRecord({}, line=None, problem=(
            f"not valid UTF-8 text (byte {exc.start}); the document kind reads plain-text "
            ".txt and .md reports"), raw=data[:200].decode("utf-8", "backslashreplace"))
    if not text.strip():
        return RawRecord({}, problem="the document is empty", raw=text[:200] or None)
    date = _DATE_LINE.search(text)
    values = {
        "file_name": path.name,
        "title": _title(text),
        "body": text,
        "content_hash": hashlib.sha1(data).hexdigest(),
        "mime_type": MIME_TYPES.get(path.suffix.lower(), "text/plain"),
        "extension": path.suffix.lstrip(".").lower() or None,
        "file_size": len(data),
        "date": date.group(1) if date else None,
    }
    return RawRecord(values, line=1)


def open_document(path: Path, options: IngestOptions, namespace: str,
                  file_label: str) -> Source:
    """The `document` kind: one report file per ingest, so each report is its own batch."""
    if path.is_dir():
        raise IngestError(f"{path} is a folder; ingest one report file at a time")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read {path}: {exc}") from exc
    mapping = builtin_layout("document", "built-in document layout")
    engine = MappingEngine(mapping, file_label, namespace, options.phone_region)
    counter = ByteCounter()
    counter.done = len(data)
    return Source(records=iter([read_document(path, data)]), emitters={None: engine},
                  progress_total=len(data), counter=counter)
