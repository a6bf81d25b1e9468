"""Shared fixtures: a fresh workspace, a controllable ingest clock, a clean environment."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests/builders.py, tests/known_bugs.py

from clock import Clock
from postgres import backend, postgres_server  # the two store backends (tests/postgres.py)

from pinchpoint.ingest import run as run_module
from pinchpoint.network import Link, Network, Node
from pinchpoint.store.signing import PINS_ENV
from pinchpoint.store.workspace import DATABASE_ENV, Workspace, init_workspace


@pytest.fixture(scope="session", autouse=True)
def _key_pins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Key pins (pinchpoint.store.signing) go to a file of the test run's, never to the
    real home: set in the environment, so CLI subprocesses inherit it, and
    XDG_CONFIG_HOME too, for those that drop every PINCHPOINT_ variable."""
    folder = tmp_path_factory.mktemp("config")
    pins = folder / "pinchpoint" / "key-pins.json"  # the same file either way
    saved = {name: os.environ.get(name) for name in (PINS_ENV, "XDG_CONFIG_HOME")}
    os.environ[PINS_ENV] = str(pins)
    os.environ["XDG_CONFIG_HOME"] = str(folder)
    yield pins
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session", autouse=True)
def _no_database_server() -> Iterator[None]:
    """Workspaces are DuckDB files unless a test module runs on PostgreSQL (`backend`)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(DATABASE_ENV, raising=False)
        yield


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may pick up a workspace or the commit pause from the caller's shell (nor
    a database server: `_no_database_server`)."""
    monkeypatch.delenv("PINCHPOINT_WORKSPACE", raising=False)
    monkeypatch.delenv("PINCHPOINT_PAUSE_BEFORE_COMMIT", raising=False)


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """A fresh workspace owned by the National Crime Agency."""
    return init_workspace(tmp_path / "ws", agency="NCA")


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


# --- network fixtures: the published networks under ../shared/data/ ---
NETWORKS = Path(__file__).resolve().parents[2] / "shared" / "data" / "networks"


@pytest.fixture
def networks() -> Path:
    """The reference networks folder; the test is skipped, saying so, when it is absent."""
    if not NETWORKS.is_dir():
        pytest.skip(f"reference data not found at {NETWORKS} (../shared/data/networks)")
    return NETWORKS


@pytest.fixture
def smugglers() -> Network:
    """A small typed network: two cells joined by a broker, a victim, dated evidence."""
    nodes = [
        Node("boss", "The Boss", "suspect", "organiser", "Calais"),
        Node("fixer", "Fixer", "suspect", "recruiter", "Calais"),
        Node("driver", "Driver", "suspect", "driver", "Calais"),
        Node("broker", "Broker", "suspect", "money", "Brussels"),
        Node("pilot", "Pilot", "suspect", "pilot", "Dunkirk"),
        Node("supplier", "Supplier", "suspect", "supplier", "Dunkirk"),
        Node("mule", "Mule", "suspect", "courier", "Dunkirk"),
        Node("victim", "A migrant", "victim", None, "Dunkirk"),
    ]
    links = [
        Link("boss", "fixer", "call", 5, ("call-1",), "2024-01-01", "2024-01-03"),
        Link("boss", "driver", "meeting", 1, ("obs-1",), "2024-01-02"),
        Link("fixer", "driver", "call", 2, ("call-2",), "2024-01-02"),
        Link("boss", "broker", "payment", 3, ("pay-1",), "2024-01-05"),
        Link("boss", "broker", "call", 1, ("call-3",), "2024-01-04"),
        Link("broker", "pilot", "payment", 2, ("pay-2",), "2024-01-06"),
        Link("pilot", "supplier", "call", 4, ("call-4",), "2024-01-07"),
        Link("supplier", "mule", "meeting", 1, ("obs-2",), "2024-01-08"),
        Link("pilot", "mule", "call", 1, ("call-5",), "2024-01-03"),
        Link("victim", "pilot", "message", 1, ("msg-1",), "2024-01-09"),
        Link("victim", "supplier", "message", 1, ("msg-2",), "2024-01-09"),
    ]
    return Network.from_records(links, nodes)


__all__ = ["Clock", "backend", "postgres_server"]  # fixtures, imported to be found by every test
