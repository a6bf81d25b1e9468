"""What an adapter returns: records to map and the emitter for each section."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pinchpoint.ingest.records import RawRecord
from pinchpoint.ingest.tabular import ByteCounter
from pinchpoint.model.grading import DEFAULT_INFO_GRADE, DEFAULT_SOURCE_GRADE
from pinchpoint.store.records import QuarantineItem


class Emitter(Protocol):
    def map(self, rec: RawRecord, out: StatementSink, bad: list[QuarantineItem]) -> bool: ...


class StatementSink(Protocol):
    def add(self, entity_id: str, schema: str, prop: str, value: str, original: str | None,
            lang: str | None, record: str) -> None: ...


@dataclass
class IngestOptions:
    """Provenance and handling for one ingest, with the defaults `--help` states."""

    source: str | None = None  # default: the file name without extension
    owner: str | None = None  # default: the workspace's agency
    grading: str = "uk"
    source_grade: str = DEFAULT_SOURCE_GRADE
    info_grade: str = DEFAULT_INFO_GRADE
    handling: str = "P"
    conditions: str | None = None
    classification: str = "OFFICIAL"
    mapping: Path | None = None
    mapping_text: str | None = None  # a mapping given as YAML text (the workbench's editor)
    sheet: str | None = None
    phone_region: str | None = None  # country for phone numbers without a + prefix
    user: str = field(default_factory=getpass.getuser)
    reason: str | None = None  # why this was collected (DPA 2018 s.62 logging)
    # The name the file goes by in statements, the batch and error messages in place of
    # its path: an upload's own name, so that no server path reaches the uploader.
    label: str | None = None


@dataclass
class Source:
    records: Iterator[RawRecord]
    emitters: dict[str | None, Emitter]
    progress_total: int = 0  # bytes, for the progress bar
    counter: ByteCounter = field(default_factory=ByteCounter)
    notes: list[str] = field(default_factory=list)


# An opener reads one file: (path, options, namespace for entity ids, file label).
Opener = Callable[[Path, IngestOptions, str, str], Source]
