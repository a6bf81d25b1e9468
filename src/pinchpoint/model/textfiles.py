"""Small text files a user hands us (a mapping, a rates table), read with a size bound.

Such a file is read whole, so a huge or binary one must be refused before it is, with
one sentence instead of a traceback or an exhausted memory. Each caller turns the
refusal into its own error type, naming its own kind of file.
"""

from __future__ import annotations

from pathlib import Path


class TextFileError(ValueError):
    """A file that is too large, missing, unreadable or not text in the encoding."""


def read_bounded(path: Path, limit: int, encoding: str = "utf-8") -> str:
    """The text of `path`, refused when it is over `limit` bytes or cannot be read."""
    try:
        if path.stat().st_size > limit:
            raise TextFileError(f"{path.name} is over {limit:,} bytes")
        return path.read_text(encoding=encoding)
    except (OSError, UnicodeDecodeError) as exc:
        raise TextFileError(f"{path.name} cannot be read as {encoding} text ({exc})") from None


__all__ = ["TextFileError", "read_bounded"]
