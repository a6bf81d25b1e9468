"""A batch is atomic: an ingest killed with SIGKILL at any moment leaves the store exactly
as it was (or, if it got past COMMIT, exactly complete), and a re-run completes it
without duplicates. Files ingested together (`ingest_files`) are atomic per group of
files: a kill before the group's COMMIT leaves none of them."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from builders import (
    LEDGER_HEADER,
    Snapshot,
    duplicate_ids,
    many_ledger_rows,
    snapshot,
    write_csv,
)
from clock import Clock

from pinchpoint.ingest.run import ingest_file
from pinchpoint.store import Workspace, init_workspace
from pinchpoint.store.staging import PAUSE_ENV

MARKER = "pinchpoint: batch staged inside open transaction"
BAD_ROWS = [  # one bad value each, and one row without a sender key
    ["2024-02-30", "Hemin Salih", "+447911123456", "Rebin Ali", "+9647501234567", "300",
     "GBP", "Kawa Exchange", "Erbil", "HW-BAD-1"],
    ["2024-03-01", "Zana Qadir", "07911 900002", "Rebin Ali", "+9647501234567", "300",
     "GBP", "Kawa Exchange", "Erbil", "HW-BAD-2"],
    ["2024-03-01", "", "", "Rebin Ali", "+9647501234567", "lots", "GBP", "", "", "HW-BAD-3"],
]

pytestmark = pytest.mark.slow


def _start(workspace: Workspace, path: Path, pause: float | None = None) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in (PAUSE_ENV, "PINCHPOINT_WORKSPACE")}
    if pause is not None:
        env[PAUSE_ENV] = str(pause)
    return subprocess.Popen(
        [sys.executable, "-m", "pinchpoint.cli", "--workspace", str(workspace.path),
         "ingest", "ledger", str(path), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _wait_for_marker(proc: subprocess.Popen[str], timeout: float = 120) -> list[str]:
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            break
        seen.append(line)
        if MARKER in line:
            return seen
    proc.kill()
    proc.wait()
    pytest.fail(f"the ingest never reached the commit pause; stderr: {''.join(seen)[-2000:]}")


def _kill(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


@pytest.fixture
def earlier(workspace: Workspace, tmp_path: Path, clock: Clock) -> Workspace:
    """A workspace already holding one batch (rows 0-299), ingested a month ago."""
    clock.set(datetime(2024, 4, 1, 8, 0, 0))
    first = write_csv(tmp_path / "ledger.csv", LEDGER_HEADER, many_ledger_rows(300))
    ingest_file(workspace, "ledger", first)
    clock.set(datetime(2024, 5, 1, 8, 0, 0))  # the re-runs in this process
    return workspace


def _reference(tmp_path: Path, files: list[Path]) -> Snapshot:
    ws = init_workspace(tmp_path / "reference", agency="NCA")
    for path in files:
        ingest_file(ws, "ledger", path)
    return snapshot(ws)


def test_sigkill_inside_the_open_transaction_leaves_the_store_unchanged(
        earlier: Workspace, tmp_path: Path) -> None:
    # Overlaps the earlier batch (rows 200-299: last_seen updates) and adds new rows and
    # bad values, so every kind of write happens inside the transaction being killed.
    (tmp_path / "update").mkdir()
    path = write_csv(tmp_path / "update" / "ledger.csv", LEDGER_HEADER,
                     [*many_ledger_rows(1000, start=200), *BAD_ROWS])
    before = snapshot(earlier)
    assert before.statements and before.batches

    proc = _start(earlier, path, pause=120)
    _wait_for_marker(proc)
    _kill(proc)

    assert snapshot(earlier) == before
    assert duplicate_ids(earlier) == {"statements": 0, "quarantine": 0, "batches": 0}

    report = ingest_file(earlier, "ledger", path)  # the re-run completes the batch
    assert report.batch.rows_read == 1003 and report.batch.rows_rejected == 1
    assert report.batch.values_quarantined == 2
    done = snapshot(earlier)
    assert duplicate_ids(earlier) == {"statements": 0, "quarantine": 0, "batches": 0}
    reference = _reference(tmp_path, [tmp_path / "ledger.csv", path])
    assert done.statement_ids == reference.statement_ids
    assert done.quarantine_ids == reference.quarantine_ids
    assert len(done.batches) == len(before.batches) + 1

    third = ingest_file(earlier, "ledger", path)
    assert third.batch.statements_added == 0
    after_third = snapshot(earlier)
    assert after_third.statement_ids == done.statement_ids
    assert after_third.quarantine_ids == done.quarantine_ids


@pytest.mark.parametrize("delays", [(0.8, 1.4, 1.9)])
def test_sigkill_while_staging_never_leaves_a_partial_batch(
        earlier: Workspace, tmp_path: Path, delays: tuple[float, ...]) -> None:
    (tmp_path / "big").mkdir()
    path = write_csv(tmp_path / "big" / "ledger.csv", LEDGER_HEADER,
                     [*many_ledger_rows(4000, start=250), *BAD_ROWS])
    before = snapshot(earlier)
    killed: list[Snapshot] = []
    for delay in delays:
        proc = _start(earlier, path)
        time.sleep(delay)
        if proc.poll() is None:
            _kill(proc)
        else:
            proc.communicate()
        killed.append(snapshot(earlier))
        assert duplicate_ids(earlier) == {"statements": 0, "quarantine": 0, "batches": 0}

    ingest_file(earlier, "ledger", path)
    complete = snapshot(earlier)
    for delay, state in zip(delays, killed, strict=True):
        if state == before:
            continue
        assert state.statement_ids == complete.statement_ids, f"partial batch at {delay}s"
        assert state.quarantine_ids == complete.quarantine_ids, f"partial batch at {delay}s"
        assert len(state.batches) > len(before.batches)

    third = ingest_file(earlier, "ledger", path)
    assert third.batch.statements_added == 0
    assert snapshot(earlier).statement_ids == complete.statement_ids
    assert snapshot(earlier).quarantine_ids == complete.quarantine_ids
    assert duplicate_ids(earlier) == {"statements": 0, "quarantine": 0, "batches": 0}


_MANY = """
import sys
from pathlib import Path
from pinchpoint.ingest import FileJob, ingest_files
from pinchpoint.store import open_workspace
ws = open_workspace(sys.argv[1])
ingest_files(ws, [FileJob("ledger", Path(p)) for p in sys.argv[2:]], workers=0)
"""


def test_sigkill_before_a_groups_commit_leaves_none_of_its_files(
        earlier: Workspace, tmp_path: Path) -> None:
    """Files ingested together (`ingest_files`, `demo ingest`) commit as one group: a
    kill before its COMMIT leaves the store exactly as it was, and a re-run completes
    every file once."""
    (tmp_path / "group").mkdir()
    paths = [write_csv(tmp_path / "group" / f"ledger{i}.csv", LEDGER_HEADER,
                       [*many_ledger_rows(300, start=200 * i), *BAD_ROWS]) for i in range(3)]
    before = snapshot(earlier)
    env = {k: v for k, v in os.environ.items() if k != "PINCHPOINT_WORKSPACE"}
    proc = subprocess.Popen([sys.executable, "-c", _MANY, str(earlier.path), *map(str, paths)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**env, PAUSE_ENV: "120"})
    _wait_for_marker(proc)
    _kill(proc)
    assert snapshot(earlier) == before

    proc = subprocess.run([sys.executable, "-c", _MANY, str(earlier.path), *map(str, paths)],
                          capture_output=True, text=True, env=env, check=True)
    done = snapshot(earlier)
    reference = _reference(tmp_path, [tmp_path / "ledger.csv", *paths])
    assert done.statement_ids == reference.statement_ids
    assert done.quarantine_ids == reference.quarantine_ids
    assert len(done.batches) == len(before.batches) + 3
    assert duplicate_ids(earlier) == {"statements": 0, "quarantine": 0, "batches": 0}
