"""The source kinds `pinchpoint ingest KIND PATH` accepts, each an opener function."""

from __future__ import annotations

from pinchpoint.ingest.documents import open_document
from pinchpoint.ingest.ftm_jsonl import open_ftm
from pinchpoint.ingest.phone import open_phone
from pinchpoint.ingest.source import Opener
from pinchpoint.ingest.tables import builtin_opener, open_table

KINDS: dict[str, Opener] = {
    "ftm": open_ftm,
    "table": open_table,
    "ledger": builtin_opener("ledger"),
    "seizures": builtin_opener("seizures"),
    "crossings": builtin_opener("crossings"),
    "posts": builtin_opener("posts"),
    "phone": open_phone,
    "document": open_document,
}

KIND_HELP = {
    "ftm": "FollowTheMoney entities, one JSON object per line",
    "table": "any CSV or XLSX, with --mapping FILE (YAML)",
    "ledger": "money-service / hawala ledger CSV or XLSX",
    "seizures": "seizure log CSV or XLSX (boats, engines, life jackets, fuel)",
    "crossings": "crossings log CSV or XLSX",
    "posts": "social-media posts CSV or XLSX",
    "phone": "phone-extraction export (UFED/XRY style) as one JSON document",
    "document": "free-text case report, .txt or .md (UTF-8)",
}
