"""Shared fixtures: a fresh workspace, a controllable ingest clock, a clean environment."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests/builders.py, tests/known_bugs.py

from pinchpoint.ingest import run as run_module
from pinchpoint.store.workspace import Workspace, init_workspace


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may pick up a workspace or the commit pause from the caller's shell."""
    monkeypatch.delenv("PINCHPOINT_WORKSPACE", raising=False)
    monkeypatch.delenv("PINCHPOINT_PAUSE_BEFORE_COMMIT", raising=False)


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """A fresh workspace owned by the National Crime Agency."""
    return init_workspace(tmp_path / "ws", agency="NCA")


class Clock:
    """The time an ingest believes it started at (statements' first_seen/last_seen)."""

    def __init__(self) -> None:
        self.now = datetime(2024, 5, 1, 9, 0, 0)

    def set(self, when: datetime) -> None:
        self.now = when


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    current = Clock()

    class FrozenDatetime(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return current.now

    monkeypatch.setattr(run_module, "datetime", FrozenDatetime)
    yield current


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how often the fuzz tests ran into each known, open bug."""
    import known_bugs

    if known_bugs.HITS:
        terminalreporter.write_sep("-", "known open bugs hit (tests/known_bugs.py)")
        for key, n in sorted(known_bugs.HITS.items()):
            terminalreporter.write_line(f"{key}: {n}")
