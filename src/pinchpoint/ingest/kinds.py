"""The source kinds `pinchpoint ingest KIND PATH` accepts, each an opener function."""

from __future__ import annotations

from pinchpoint.ingest.documents import open_document
from pinchpoint.ingest.ftm_jsonl import open_ftm
from pinchpoint.ingest.phone import open_phone
from pinchpoint.ingest.source import Opener
from pinchpoint.ingest.tables import builtin_opener, open_table
from pinchpoint.ingest.ufdr import open_ufdr
from pinchpoint.ingest.vcard import open_vcard

KINDS: dict[str, Opener] = {
    "ftm": open_ftm,
    "table": open_table,
    "ledger": builtin_opener("ledger"),
    "seizures": builtin_opener("seizures"),
    "crossings": builtin_opener("crossings"),
    "posts": builtin_opener("posts"),
    "purchases": builtin_opener("purchases"),
    "imports": builtin_opener("imports"),
    "storage": builtin_opener("storage"),
    "vehicle_checks": builtin_opener("vehicle_checks"),
    "phone": open_phone,
    "ufdr": open_ufdr,
    "vcard": open_vcard,
    "document": open_document,
}

KIND_HELP = {
    "ftm": "FollowTheMoney entities, one JSON object per line",
    "table": "any CSV or XLSX, with --mapping FILE (YAML)",
    "ledger": "money-service / hawala ledger CSV or XLSX",
    "seizures": "seizure log CSV or XLSX (boats, engines, life jackets, fuel)",
    "crossings": "crossings log CSV or XLSX",
    "posts": "social-media posts CSV or XLSX",
    "purchases": "supplier sales records (invoices) CSV or XLSX, one item per row",
    "imports": "customs import declarations CSV or XLSX, one declared item per row",
    "storage": "storage-site search inventory CSV or XLSX, one item per row",
    "vehicle_checks": "roadside vehicle checks CSV or XLSX, one item seen per row",
    "phone": "phone-extraction export (UFED/XRY style) as one JSON document",
    "ufdr": "Cellebrite UFED report: a .ufdr archive or its report.xml",
    "vcard": "a phone's contact book exported as vCard (.vcf, 2.1/3.0/4.0)",
    "document": "free-text case report, .txt or .md (UTF-8)",
}
