"""Errors an ingest reports to the user as a sentence, never a traceback."""

from pathlib import Path

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


def read_utf8(path: Path, hint: str) -> str:
    """A file read whole as UTF-8 (a BOM allowed), or IngestError naming it; `hint`
    ends the sentence for a file that is not UTF-8 ("a phone extraction is ...")."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise IngestError(f"cannot read {path}: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path} is not UTF-8 text (byte {exc.start}); {hint}") from None
