"""The source kinds `pinchpoint ingest KIND PATH` accepts, each an opener function, and
what the workbench shows of each (description, columns, file extensions) so that its
Kind control offers only these."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from pinchpoint.ingest.documents import open_document
from pinchpoint.ingest.errors import IngestError
from pinchpoint.ingest.ftm_jsonl import open_ftm
from pinchpoint.ingest.mapping import builtin_layout
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

TABLE_EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
EXTENSIONS = {
    "ftm": (".jsonl", ".ndjson", ".json"),
    "phone": (".json",),
    "ufdr": (".ufdr", ".xml", ".zip"),
    "vcard": (".vcf", ".vcard"),
    "document": (".txt", ".md", ".markdown"),
}
BUILTIN_LAYOUTS = ("ledger", "seizures", "crossings", "posts", "purchases", "imports",
                   "storage", "vehicle_checks")


@dataclass(frozen=True)
class KindInfo:
    """What the workbench tells an analyst about a kind before they upload a file."""

    name: str
    description: str
    tabular: bool  # a CSV or XLSX read through a mapping (built-in or the analyst's)
    needs_mapping: bool  # only `table`: the analyst gives the mapping
    columns: tuple[str, ...]  # the columns a built-in layout reads, in its order
    required: tuple[str, ...]  # the columns a file of the layout must have
    extensions: tuple[str, ...]


def kind_infos() -> list[KindInfo]:
    """Every kind, in `KINDS` order."""
    return [kind_info(name) for name in KINDS]


@functools.cache
def kind_info(name: str) -> KindInfo:
    if name not in KINDS:
        raise IngestError(f"unknown kind {name!r}; choose one of {', '.join(KINDS)}")
    columns: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    if name in BUILTIN_LAYOUTS:
        mapping = builtin_layout(name, f"built-in {name} layout")
        listed = mapping.extra.get("columns") or mapping.ordered_columns()
        columns = tuple(str(c) for c in listed)
        required = tuple(c for c in columns if c in mapping.required())
    tabular = name == "table" or name in BUILTIN_LAYOUTS
    return KindInfo(name=name, description=KIND_HELP[name], tabular=tabular,
                    needs_mapping=name == "table", columns=columns, required=required,
                    extensions=TABLE_EXTENSIONS if tabular else EXTENSIONS.get(name, ()))
