"""Many files through one open store (`ingest_files`, what `demo ingest` calls): each
file is still its own batch, exactly as `ingest_file` would write it, whether mapped
here or in worker processes; commits are per group, and a re-run adds nothing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from builders import LEDGER_HEADER, duplicate_ids, many_ledger_rows, snapshot, write_csv
from clock import Clock

from pinchpoint.ingest import (
    FileJob,
    IngestError,
    IngestOptions,
    ingest_file,
    ingest_files,
    many,
)
from pinchpoint.store import Workspace, init_workspace

BAD_ROW = ["2024-02-30", "Hemin Salih", "+447911123456", "Rebin Ali", "+9647501234567",
           "lots", "GBP", "Kawa Exchange", "Erbil", "HW-BAD-1"]


def _files(folder: Path, n: int) -> list[FileJob]:
    folder.mkdir(exist_ok=True)
    return [FileJob("ledger", write_csv(folder / f"ledger{i}.csv", LEDGER_HEADER,
                                        [*many_ledger_rows(40, start=30 * i), BAD_ROW]),
                    IngestOptions(reason=f"file {i}"))
            for i in range(n)]


def _one_by_one(tmp_path: Path, jobs: list[FileJob]) -> Workspace:
    ws = init_workspace(tmp_path / "one-by-one", agency="NCA")
    for job in jobs:
        ingest_file(ws, job.kind, job.path, job.options)
    return ws


@pytest.mark.parametrize("workers", [0, 2])
def test_many_files_are_what_one_by_one_would_write(workspace: Workspace, tmp_path: Path,
                                                    workers: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(many, "GROUP_FILES", 3)  # several groups
    jobs = _files(tmp_path / "in", 7)
    seen: list[int] = []
    reports = ingest_files(workspace, jobs, lambda done, total, job: seen.append(done),
                           workers=workers)
    assert seen == list(range(8))
    reference = snapshot(_one_by_one(tmp_path, jobs))
    done = snapshot(workspace)
    assert done.statement_ids == reference.statement_ids
    assert done.quarantine_ids == reference.quarantine_ids
    assert len(done.batches) == 7 and duplicate_ids(workspace) == {
        "statements": 0, "quarantine": 0, "batches": 0}
    assert [r.batch.path for r in reports] == [str(j.path) for j in jobs]
    assert [r.batch.reason for r in reports] == [f"file {i}" for i in range(7)]
    assert all(r.quarantined == 2 and r.quarantine_sample for r in reports)
    # Overlapping rows of one source: each file after the first repeats ten rows.
    assert sum(r.batch.statements_added for r in reports) == len(done.statements)


def test_a_rerun_adds_nothing_and_widens_last_seen(workspace: Workspace, tmp_path: Path,
                                                   clock: Clock) -> None:
    jobs = [FileJob(j.kind, j.path, IngestOptions(source="one-source"))
            for j in _files(tmp_path / "in", 3)]
    ingest_files(workspace, jobs, workers=0)
    before = snapshot(workspace)
    clock.set(datetime(2024, 6, 1, 9, 0, 0))
    again = ingest_files(workspace, jobs, workers=0)
    assert [r.batch.statements_added for r in again] == [0, 0, 0]
    assert all(r.batch.statements_seen > 0 for r in again)
    after = snapshot(workspace)
    assert after.statement_ids == before.statement_ids
    assert after.quarantine_ids == before.quarantine_ids
    assert {row[-2] for row in after.statements} == {datetime(2024, 6, 1, 9, 0, 0)}


def test_a_file_that_cannot_be_read_keeps_the_groups_before_it(
        workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(many, "GROUP_FILES", 2)
    jobs = _files(tmp_path / "in", 3)
    broken = write_csv(tmp_path / "in" / "broken.csv", LEDGER_HEADER[:-1], [["x"] * 9])
    jobs.insert(3, FileJob("ledger", broken, IngestOptions(label="upload.csv")))
    with pytest.raises(IngestError, match="required column") as raised:
        ingest_files(workspace, jobs, workers=0)
    assert str(broken) not in str(raised.value)  # a labelled file is named by its label
    # The first group (two files) is committed; the third file's group is not.
    assert len(snapshot(workspace).batches) == 2
    assert duplicate_ids(workspace) == {"statements": 0, "quarantine": 0, "batches": 0}
