"""What readers hand to the mapping engine: one flat record with where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RawRecord:
    """One row, JSON object or document, flattened to ``column -> value``.

    ``line`` is the physical line (or spreadsheet row) where it starts, when there is
    one; ``locator`` says where inside a structured file it sits (``/contacts/3``).
    """

    values: dict[str, Any]
    line: int | None = None
    locator: str | None = None
    section: str | None = None
    problem: str | None = None  # set when the reader could not read the row at all
    raw: str | None = None  # the row as read, kept for the quarantine when problem is set

    def where(self, file_label: str) -> str:
        """The record reference stored on every statement made from this record."""
        if self.locator:
            return f"{file_label}#{self.locator}"
        if self.line is not None:
            return f"{file_label}:{self.line}"
        return file_label
