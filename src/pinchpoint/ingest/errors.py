"""Errors an ingest reports to the user as a sentence, never a traceback."""

from pinchpoint.ingest.limits import MAX_MESSAGE, shorten


class IngestError(ValueError):
    """The file or options cannot be ingested at all; nothing was stored.

    The message is cut to MAX_MESSAGE characters: it may quote the input, and a huge
    input quoted whole would flood a terminal or an API answer.
    """

    def __init__(self, message: str) -> None:
        super().__init__(shorten(message, MAX_MESSAGE))


class MappingError(IngestError):
    """The mapping file is not valid: unknown schema, property, column or entity."""
