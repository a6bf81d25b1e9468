"""The invariants every ingest keeps, whatever the file (checked by ``check_ingest``).

The Python API raises nothing but IngestError; every row read is either stored or
rejected; every rejected row and every bad value is in the quarantine with its file,
place, field, raw value and reason; nothing stored is empty or holds a NUL; and what is
stored exports as valid stock FtM.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import known_bugs
from builders import TABLE_MAPPING, stock_ftm_problems
from hypothesis import event as record_event
from hypothesis.errors import InvalidArgument

from pinchpoint.ingest.clean import visible
from pinchpoint.ingest.errors import IngestError
from pinchpoint.ingest.limits import KEEP_RAW
from pinchpoint.ingest.run import IngestReport, ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.store import DuckDBStore, Scope, Workspace, init_workspace, open_workspace
from pinchpoint.store.entities import export_ftm
from pinchpoint.store.staging import printable

TABLE_MAPPING_FOR_FUZZ = TABLE_MAPPING


_TEMPLATE: list[Path] = []


def event(text: str) -> None:
    """A hypothesis statistics event, when called from a hypothesis test."""
    with suppress(InvalidArgument):
        record_event(text)


@contextmanager
def scratch() -> Iterator[tuple[Path, Workspace]]:
    """A fresh folder and an empty workspace for one hypothesis example.

    The workspace is a copy of one made once per process: opening a DuckDB store costs
    tens of milliseconds, and the examples need every millisecond they can get.
    """
    if not _TEMPLATE:
        _TEMPLATE.append(Path(tempfile.mkdtemp(prefix="pinchpoint-template-")) / "ws")
        init_workspace(_TEMPLATE[0], agency="NCA")
    with tempfile.TemporaryDirectory(prefix="pinchpoint-fuzz-") as folder:
        root = Path(folder)
        shutil.copytree(_TEMPLATE[0], root / "ws")
        yield root, open_workspace(root / "ws")


def examples(n: int) -> int:
    """n examples, times $PINCHPOINT_FUZZ_SCALE for a thorough run (default 1)."""
    return max(1, int(n * float(os.environ.get("PINCHPOINT_FUZZ_SCALE", "1"))))


def default_options(kind: str, folder: Path) -> IngestOptions:
    if kind != "table":
        return IngestOptions()
    mapping = folder / "mapping.yaml"
    mapping.write_text(TABLE_MAPPING_FOR_FUZZ, encoding="utf-8")
    return IngestOptions(mapping=mapping)


def check_ingest(workspace: Workspace, kind: str, path: Path, options: IngestOptions,
                 export: bool = True) -> IngestReport | None:
    """Ingest into an empty workspace and check every invariant; None when the file was
    refused as a whole (or hit a known, open bug)."""
    try:
        report = ingest_file(workspace, kind, path, options)
    except IngestError as exc:
        event(f"refused ({type(exc).__name__})")
        assert str(exc), "an IngestError must say what is wrong"
        assert "Traceback" not in str(exc)
        with workspace.open_store(read_only=True) as store:
            counts = store.counts(workspace.home_scope())
        assert (counts.statements, counts.quarantined, counts.batches) == (0, 0, 0), (
            "a refused file must store nothing")
        return None
    except Exception as exc:
        bug = known_bugs.known(exc)
        if bug:
            event(f"known bug {bug}")
            return None
        raise
    event("ingested" + (" with quarantine" if report.quarantined else ""))
    with workspace.open_store(read_only=True) as store:
        check_report(store, report, path)
        if export:
            check_export(store, workspace)
    return report


def _key(item: Any) -> tuple[Any, ...]:
    return (item.file, item.line, item.locator, item.field, _as_stored(item.raw_value),
            item.reason, item.row_rejected)


def _raw_length(stored: str) -> int:
    """How many characters of the raw value a stored excerpt shows: an undecodable byte
    or a NUL is stored as a four-character escape (``\\xff``) but was one."""
    return len(re.sub(r"\\x[0-9a-f]{2}", "?", stored))


def _as_stored(value: str | None) -> str | None:
    """A raw value as the store keeps it: undecodable bytes and NUL written as escapes."""
    return None if value is None else printable(value).replace("\x00", "\\x00")


def check_report(store: DuckDBStore, report: IngestReport, path: Path) -> None:
    batch = report.batch
    assert batch.rows_read == batch.rows_stored + batch.rows_rejected
    assert min(batch.rows_read, batch.rows_stored, batch.rows_rejected,
               batch.values_quarantined) >= 0
    scope = Scope.owner(batch.owner)
    items = store.quarantine(scope, batch=batch.id)
    statements = [s for s in store.statements(scope) if s.batch == batch.id]
    rejected = [i for i in items if i.row_rejected]
    values = [i for i in items if not i.row_rejected]
    assert len(rejected) == batch.rows_rejected, "one row_rejected entry per rejected row"
    assert len(values) <= batch.values_quarantined
    assert bool(values) == bool(batch.values_quarantined)
    for item in items:
        assert item.file == path.name and item.reason
    for item in values:  # (a JSON null is quarantined with raw_value None)
        assert item.field is not None, item
        assert item.line is not None or item.locator is not None, item
    sample = report.quarantine_sample
    stored = {_key(i) for i in items}
    assert {_key(i) for i in sample} <= stored, "what the engine quarantined was stored"
    if len(sample) < 20:
        assert len(sample) == batch.rows_rejected + batch.values_quarantined
        assert {_key(i) for i in sample} == stored
    assert len(statements) == batch.statements_added
    for item in items:  # the quarantine keeps a bounded excerpt of any raw value
        assert item.raw_value is None or _raw_length(item.raw_value) <= KEEP_RAW + 120, (
            item.reason)
    for statement in statements:
        assert statement.value != "" and "\x00" not in statement.value, statement
        assert visible(statement.value)[1] is None, f"invisible controls in {statement}"
        assert statement.record.startswith(path.name), statement


def check_export(store: DuckDBStore, workspace: Workspace) -> None:
    out = io.StringIO()
    export_ftm(store, workspace.home_scope(), out)
    for line in out.getvalue().splitlines():
        problems = known_bugs.unknown_export_problems(stock_ftm_problems(json.loads(line)))
        assert problems == [], problems

