"""Errors an ingest reports to the user as a sentence, never a traceback."""


class IngestError(ValueError):
    """The file or options cannot be ingested at all; nothing was stored."""


class MappingError(IngestError):
    """The mapping file is not valid: unknown schema, property, column or entity."""
