"""The time an ingest believes it started at (the `clock` fixture of conftest.py)."""

from __future__ import annotations

from datetime import datetime


class Clock:
    """The time an ingest believes it started at (statements' first_seen/last_seen)."""

    def __init__(self) -> None:
        self.now = datetime(2024, 5, 1, 9, 0, 0)

    def set(self, when: datetime) -> None:
        self.now = when
