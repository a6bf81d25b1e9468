"""A store that was never resolved has no resolution tables yet: reading its resolution
answers "none" rather than failing (the workbench prepares a scope before anyone has
run a resolution)."""

from __future__ import annotations

from pathlib import Path

from pinchpoint.store import init_workspace
from pinchpoint.store import resolution as stored


def test_resolution_of_a_store_never_resolved_is_empty(tmp_path: Path) -> None:
    workspace = init_workspace(tmp_path / "ws", agency="NCA")
    with workspace.open_store() as store:
        scope = workspace.home_scope()
        assert stored.resolution(store, scope) == {}
        assert stored.held_pairs(store, scope) == {}
