"""Ingest: one module per source kind, each turning a file into statements and quarantine.

The front door is :func:`ingest_file` (what the CLI, the REST API and notebooks call) with
its :class:`IngestOptions`; it returns an :class:`IngestReport` and raises
:class:`IngestError` for a file or options it cannot take at all. `KINDS` are the source
kinds it reads (`KIND_HELP` says what each one is). :func:`ingest_files` ingests many
files, each its own batch, through one open store (`pinchpoint demo ingest`).
"""

from pinchpoint.ingest.errors import IngestError, MappingError
from pinchpoint.ingest.kinds import KIND_HELP, KINDS
from pinchpoint.ingest.many import ingest_files
from pinchpoint.ingest.run import FileJob, IngestReport, ingest_file
from pinchpoint.ingest.source import IngestOptions

__all__ = [
    "KINDS",
    "KIND_HELP",
    "FileJob",
    "IngestError",
    "IngestOptions",
    "IngestReport",
    "MappingError",
    "ingest_file",
    "ingest_files",
]
