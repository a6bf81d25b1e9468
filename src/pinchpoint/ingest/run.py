"""Running one ingest: read, map, stage, commit as one atomic batch, report.

This is the function the CLI, the REST API and notebooks all call.
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from pinchpoint.ingest.engine import StatementBuffer
from pinchpoint.ingest.errors import IngestError
from pinchpoint.ingest.kinds import KINDS
from pinchpoint.ingest.limits import KEEP_TEXT, MAX_MESSAGE, cap_raw, shorten
from pinchpoint.ingest.source import IngestOptions, Source
from pinchpoint.model.grading import parse_grade
from pinchpoint.model.handling import parse_handling
from pinchpoint.store.records import BatchInfo, BatchMeta, QuarantineItem
from pinchpoint.store.schema_sql import batch_fingerprint
from pinchpoint.store.sql_store import SqlStore
from pinchpoint.store.staging import printable
from pinchpoint.store.workspace import Workspace

Progress = Callable[[int, int], None]  # (done, total) in bytes
CHUNK = 200_000
SAMPLE = 20  # quarantine items an ingest report shows


@dataclass
class IngestReport:
    batch: BatchInfo
    notes: list[str] = field(default_factory=list)
    quarantine_sample: list[QuarantineItem] = field(default_factory=list)

    @property
    def quarantined(self) -> int:
        return self.batch.rows_rejected + self.batch.values_quarantined


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def problem_item(rec_problem: str, line: int | None, locator: str | None, raw: str | None,
                        label: str) -> QuarantineItem:
    return QuarantineItem(file=label, line=line, locator=locator, field=None, raw_value=raw,
                          reason=rec_problem, row_rejected=True)


def _text(value: str | None) -> str | None:
    return None if value is None else shorten(printable(value), KEEP_TEXT)


def printable_item(item: QuarantineItem) -> QuarantineItem:
    """Undecodable bytes in a quarantined value are shown as escapes (``\\xff``), and
    no part of an item is unbounded: the raw value is cut to its first KEEP_RAW
    characters plus its length and SHA-256, the other texts to KEEP_TEXT."""
    return dataclasses.replace(
        item, raw_value=None if item.raw_value is None else cap_raw(printable(item.raw_value)),
        field=_text(item.field), locator=_text(item.locator),
        reason=shorten(printable(item.reason), KEEP_TEXT),
    )


class Sink(Protocol):
    """Where mapped chunks go: a batch's stage, or a file's recording of them
    (`pinchpoint.ingest.many`, mapped in a worker process)."""

    def add_statements(self, columns: Mapping[str, Sequence[str | None]]) -> None: ...

    def add_quarantine(self, items: Sequence[QuarantineItem]) -> None: ...


def _flush(stage: Sink, buffer: StatementBuffer, bad: list[QuarantineItem],
           sample: list[QuarantineItem], seen: set[QuarantineItem]) -> None:
    """Stage what has been mapped so far; keep the first few quarantine items to show.

    The same bad value twice in one field of one record (``[false, false]``) is one
    quarantine item, as the same good value twice is one statement.
    """
    stage.add_statements(buffer.take())
    printable_bad = []
    for item in bad:  # made printable and cut to size as each record was mapped
        if item not in seen:
            seen.add(item)
            printable_bad.append(item)
    stage.add_quarantine(printable_bad)
    sample.extend(printable_bad[: max(0, SAMPLE - len(sample))])


def ingest_file(workspace: Workspace, kind: str, path: str | Path,
                options: IngestOptions | None = None,
                progress: Progress | None = None) -> IngestReport:
    """Ingest one file as one atomic batch. Raises IngestError when nothing can be read."""
    job = checked(FileJob(kind, Path(path), options or IngestOptions()))
    with workspace.open_store() as store, named(job.path, job.options.label):
        return ingest_into(store, workspace, job, progress)


@dataclass(frozen=True)
class FileJob:
    """One file of a run of many: its kind, path and options, as `ingest_file` takes."""

    kind: str
    path: Path
    options: IngestOptions = field(default_factory=IngestOptions)


def checked(job: FileJob) -> FileJob:
    """The job, or IngestError before anything is read: an unknown kind, a missing file."""
    if job.kind not in KINDS:
        raise IngestError(f"unknown kind {job.kind!r}; choose one of {', '.join(sorted(KINDS))}")
    if not job.path.exists():
        raise IngestError(f"{job.path} does not exist")
    return job


@contextmanager
def named(path: Path, label: str | None) -> Iterator[None]:
    """Errors name a labelled file (an upload) by its label, never by its server path."""
    try:
        yield
    except IngestError as exc:
        if label is None:
            raise
        raise type(exc)(str(exc).replace(str(path), label)) from None


def ingest_into(store: SqlStore, workspace: Workspace, job: FileJob,
                progress: Progress | None) -> IngestReport:
    """Read, map and stage one file, then commit it: chunks go to the store as they are
    mapped, so a file of any size is ingested in bounded memory."""
    provenance = provenance_of(workspace.agency, job)
    stage = store.stage(batch_fingerprint(provenance))
    meta, notes, sample = map_into(job, provenance, stage, progress)
    return IngestReport(batch=stage.commit(meta), notes=notes, quarantine_sample=sample)


def provenance_of(agency: str, job: FileJob) -> dict[str, str | None]:
    """What the batch gives each of its statements (its fingerprint's fields)."""
    options = job.options
    grade = parse_grade(options.source_grade, options.info_grade, options.grading)
    handling = parse_handling(options.handling, options.conditions, options.classification)
    return {
        "source": options.source or job.path.stem, "owner": options.owner or agency,
        "source_grade": grade.source, "info_grade": grade.info,
        "grade_original": grade.original, "handling": handling.code.value,
        "handling_conditions": handling.conditions,
        "classification": handling.classification.value,
    }


def map_into(job: FileJob, provenance: dict[str, str | None], sink: Sink,
             progress: Progress | None) -> tuple[BatchMeta, list[str], list[QuarantineItem]]:
    """Read and map the file into `sink` chunk by chunk: the batch's metadata, the
    source's notes and the first few quarantine items."""
    kind, path, options = job.kind, job.path, job.options
    label = options.label or path.name
    started = datetime.now().replace(microsecond=0)
    source: Source = KINDS[kind](path, options, str(provenance["source"]), label)
    counts = {"read": 0, "stored": 0, "rejected": 0}
    buffer = StatementBuffer(str(provenance["owner"]))
    bad: list[QuarantineItem] = []
    sample: list[QuarantineItem] = []
    seen: set[QuarantineItem] = set()
    for rec in source.records:
        counts["read"] += 1
        start = len(bad)
        if rec.problem is not None:
            bad.append(problem_item(rec.problem, rec.line, rec.locator, rec.raw, label))
            counts["rejected"] += 1
        elif source.emitters[rec.section].map(rec, buffer, bad):
            counts["stored"] += 1
        else:
            counts["rejected"] += 1
        bad[start:] = map(printable_item, bad[start:])  # cut now: a chunk holds thousands
        if len(buffer) >= CHUNK or len(bad) >= CHUNK // 10:
            _flush(sink, buffer, bad, sample, seen)
            bad = []
            if progress:
                progress(source.counter.done, source.progress_total)
    _flush(sink, buffer, bad, sample, seen)
    if progress:
        progress(source.progress_total, source.progress_total)
    meta = BatchMeta(
        id=uuid.uuid4().hex, kind=kind, path=options.label or str(path),
        file_hash=file_hash(path),
        user=options.user, reason=options.reason, started_at=started,
        rows_read=counts["read"], rows_stored=counts["stored"],
        rows_rejected=counts["rejected"], **provenance,
    )
    # A note names columns or fields, which the file chose: long ones are cut.
    return meta, [shorten(printable(note), MAX_MESSAGE) for note in source.notes], sample
