"""Statement ids are content hashes: the same file twice adds nothing, not even to the
quarantine."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import (
    BAD_CASES,
    FTM_ENTITIES,
    snapshot,
    write_jsonl,
    write_layout,
    write_table,
)

from pinchpoint.ingest.run import IngestReport, ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.store import Workspace


def _twice(workspace: Workspace, kind: str, path: Path,
           options: IngestOptions | None = None) -> tuple[IngestReport, IngestReport]:
    first = ingest_file(workspace, kind, path, options)
    before = snapshot(workspace)
    second = ingest_file(workspace, kind, path, options)
    after = snapshot(workspace)
    assert second.batch.statements_added == 0
    assert second.batch.statements_seen == first.batch.statements_seen
    assert after.statement_ids == before.statement_ids
    assert len(after.statements) == len(before.statements)
    assert after.quarantine == before.quarantine, "no new quarantine rows"
    assert len(after.batches) == len(before.batches) + 1, "every ingest is recorded"
    for field in ("rows_read", "rows_stored", "rows_rejected", "values_quarantined",
                  "entities"):
        assert getattr(second.batch, field) == getattr(first.batch, field), field
    return first, second


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("kind", sorted(BAD_CASES))
def test_builtin_layout_twice(workspace: Workspace, tmp_path: Path, kind: str,
                              suffix: str) -> None:
    path = write_layout(tmp_path, kind, suffix, rows=BAD_CASES[kind].rows)
    first, _ = _twice(workspace, kind, path)
    assert first.quarantined > 0 and first.batch.statements_added > 0


def test_table_twice(workspace: Workspace, tmp_path: Path) -> None:
    table, mapping = write_table(tmp_path)
    _twice(workspace, "table", table, IngestOptions(mapping=mapping))


def test_ftm_twice(workspace: Workspace, tmp_path: Path) -> None:
    lines = [*FTM_ENTITIES, "not json", {"id": "x", "schema": "Person",
                                         "properties": {"birthDate": ["soon"]}}]
    first, _ = _twice(workspace, "ftm", write_jsonl(tmp_path / "e.ftm.json", lines))
    assert first.quarantined == 2


def test_duplicate_rows_within_one_file_are_stored_once(workspace: Workspace,
                                                        tmp_path: Path) -> None:
    case = BAD_CASES["ledger"]
    path = write_layout(tmp_path, "ledger", rows=[case.rows[0], case.rows[0]])
    report = ingest_file(workspace, "ledger", path)
    assert report.batch.rows_stored == 2
    # Different lines are different records, so nothing is merged across lines; but no
    # statement id is stored twice.
    ids = [row[0] for row in snapshot(workspace).statements]
    assert len(ids) == len(set(ids)) == report.batch.statements_added


def test_same_file_other_owner_is_new(workspace: Workspace, tmp_path: Path) -> None:
    path = write_layout(tmp_path, "ledger")
    first = ingest_file(workspace, "ledger", path)
    other = ingest_file(workspace, "ledger", path, IngestOptions(owner="BF"))
    assert other.batch.statements_added == first.batch.statements_added
