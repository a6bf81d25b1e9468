"""Docs that cannot drift: docs/cli.md is what the commands themselves say (as
Datasette's tests/test_docs.py checks its CLI reference)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinchpoint.cli import app
from pinchpoint.cli.docs import render

CLI_MD = Path(__file__).parents[1] / "docs" / "cli.md"


def test_cli_md_is_up_to_date() -> None:
    assert CLI_MD.read_text(encoding="utf-8") == render(app), (
        "docs/cli.md differs from the commands: run `make docs` and commit docs/cli.md")


def test_every_command_is_in_cli_md() -> None:
    text = CLI_MD.read_text(encoding="utf-8")
    for command in ("pinchpoint ingest", "pinchpoint export ftm", "pinchpoint share export",
                    "pinchpoint network plan", "pinchpoint retention erase"):
        assert f"## `{command}`" in text


def test_the_reference_does_not_depend_on_the_machine(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    """No terminal width, environment default or current directory leaks into it."""
    expected = render(app)
    monkeypatch.chdir(tmp_path)
    for name, value in (("COLUMNS", "30"), ("TERM", "xterm-256color"),
                        ("PINCHPOINT_WORKSPACE", str(tmp_path)), ("PINCHPOINT_USER", "bob"),
                        ("PINCHPOINT_SMALL_BOATS", str(tmp_path))):
        monkeypatch.setenv(name, value)
    assert render(app) == expected
    assert str(tmp_path) not in expected
