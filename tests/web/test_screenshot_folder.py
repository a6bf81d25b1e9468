"""Newcomer trap: the browser tests used to rewrite docs/screenshots on every run, so a
clean checkout was dirty after `make test`. They write to a temporary folder unless
`make screenshots` asks for the README's images (and the `screenshots` fixture fails the
run if docs/screenshots changed anyway)."""

from __future__ import annotations

from pathlib import Path

import pytest
from web_harness import README_SCREENSHOTS, screenshot_folder


def test_by_default_screenshots_go_to_the_temporary_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PINCHPOINT_SCREENSHOTS", raising=False)
    assert screenshot_folder(tmp_path) == tmp_path


def test_make_screenshots_names_the_readme_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PINCHPOINT_SCREENSHOTS", str(README_SCREENSHOTS))
    assert screenshot_folder(tmp_path) == README_SCREENSHOTS.resolve()


def test_the_run_writes_outside_the_repository(screenshots: Path) -> None:
    if screenshots == README_SCREENSHOTS.resolve():
        pytest.skip("`make screenshots`: this run writes the README's images on purpose")
    assert not screenshots.is_relative_to(README_SCREENSHOTS.parents[1])
