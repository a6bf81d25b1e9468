"""Ingesting many files: one open store, commits in groups, mapping in worker processes.

`ingest_file` opens the store, maps a file and commits it; for the thousands of modest
files of a scenario, opening the store and committing cost more than the files. Here
each file is still its own batch (its own ``batches`` row, statements, quarantine rows
and report), but the store is opened once, files are committed in groups, and the
reading, cleaning and mapping (Python work that holds the GIL) runs in `workers`
processes while the main process stages and commits (DuckDB's work), so on two cores
the mapping no longer waits for the writes. A worker returns a file whole (its chunks as
Arrow tables), so this suits many modest files; one large file goes through
`ingest_file`, which streams it in bounded memory.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Generator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field

import pyarrow as pa

from pinchpoint.ingest.run import FileJob, IngestReport, checked, map_into, named, provenance_of
from pinchpoint.store.records import BatchMeta, QuarantineItem
from pinchpoint.store.schema_sql import batch_fingerprint
from pinchpoint.store.sql_store import SqlStore
from pinchpoint.store.staging import statement_table
from pinchpoint.store.workspace import Workspace

# A group of files shares one commit; a large file fills a group alone.
GROUP_FILES = 200
GROUP_STATEMENTS = 500_000
AHEAD = 4  # files mapped ahead of the writer, per worker: bounds the memory held
# (files done, files in all, the file about to be ingested or None at the end)
FilesProgress = Callable[[int, int, FileJob | None], None]


def ingest_files(workspace: Workspace, jobs: Sequence[FileJob],
                 progress: FilesProgress | None = None,
                 workers: int | None = None) -> list[IngestReport]:
    """Ingest many files, each as its own batch, through one open store.

    Each file gets what `ingest_file` gives it. Files are committed in groups
    (GROUP_FILES files or GROUP_STATEMENTS statements, whichever comes first), so
    atomicity is per group: a failure or a crash before a group's commit leaves none of
    that group's files and every earlier group's complete, and a re-run adds exactly
    what is missing (ids are content hashes). Raises IngestError, as `ingest_file`
    does, for the first file that cannot be read; the groups committed before stay.
    `workers` processes map the files (default: one per core, none for a few files).
    """
    ready = [checked(job) for job in jobs]
    workers = default_workers(len(ready)) if workers is None else workers
    reports: list[IngestReport] = []
    mapped = mapped_files(workspace.agency, ready, workers)
    try:
        with workspace.open_store() as store:
            while len(reports) < len(ready):
                with store.batch_group():
                    staged = 0
                    for n, job in enumerate(ready[len(reports):]):
                        if n >= GROUP_FILES or staged >= GROUP_STATEMENTS:
                            break
                        if progress:
                            progress(len(reports), len(ready), job)
                        with named(job.path, job.options.label):
                            reports.append(_write(store, next(mapped)))
                        staged += reports[-1].batch.statements_seen
    finally:
        mapped.close()  # stops the workers when a file fails
    if progress:
        progress(len(reports), len(ready), None)
    return reports


@dataclass
class Mapped:
    """One file read and mapped, not yet written: what its stage is given and commits.
    It is the sink the file is mapped into (`add_statements`, `add_quarantine`)."""

    provenance: dict[str, str | None]
    meta: BatchMeta | None = None
    notes: list[str] = field(default_factory=list)
    sample: list[QuarantineItem] = field(default_factory=list)
    chunks: list[pa.Table] = field(default_factory=list)
    quarantine: list[list[QuarantineItem]] = field(default_factory=list)

    def add_statements(self, columns: Mapping[str, Sequence[str | None]]) -> None:
        self.chunks.append(statement_table(columns))

    def add_quarantine(self, items: Sequence[QuarantineItem]) -> None:
        if items:
            self.quarantine.append(list(items))


def map_file(agency: str, job: FileJob) -> Mapped:
    """Read and map one file (in a worker process): everything but the write."""
    mapped = Mapped(provenance_of(agency, job))
    mapped.meta, mapped.notes, mapped.sample = map_into(job, mapped.provenance, mapped, None)
    return mapped


def _write(store: SqlStore, mapped: Mapped) -> IngestReport:
    stage = store.stage(batch_fingerprint(mapped.provenance))
    for chunk in mapped.chunks:
        stage.add_table(chunk)
    for items in mapped.quarantine:
        stage.add_quarantine(items)
    assert mapped.meta is not None  # set by map_file
    return IngestReport(batch=stage.commit(mapped.meta), notes=mapped.notes,
                        quarantine_sample=mapped.sample)


def default_workers(files: int) -> int:
    """Processes to map in: none for a few files (starting one costs about a second),
    else one per core, up to four."""
    return 0 if files < 20 else max(1, min(4, os.cpu_count() or 1))


def mapped_files(agency: str, jobs: Sequence[FileJob], workers: int
                 ) -> Generator[Mapped, None, None]:
    """Each job mapped, in order: in `workers` processes, or here when 0."""
    if workers <= 0:
        yield from (map_file(agency, job) for job in jobs)
        return
    # spawn, not fork: the parent holds an open DuckDB connection and its threads.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        waiting = iter(jobs)
        pending: deque[Future[Mapped]] = deque(
            pool.submit(map_file, agency, job)
            for _, job in zip(range(workers * AHEAD), waiting, strict=False))
        while pending:
            done = pending.popleft()
            following = next(waiting, None)
            if following is not None:
                pending.append(pool.submit(map_file, agency, following))
            yield done.result()
    finally:
        pool.shutdown(cancel_futures=True)
