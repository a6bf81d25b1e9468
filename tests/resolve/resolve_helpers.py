"""What the resolution tests share (the session fixture is in resolve_fixtures.py)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from pinchpoint.resolve import ResolveReport
from pinchpoint.store import Scope, Workspace, open_workspace

SEED = 20240601


@dataclass(frozen=True)
class Resolved:
    scenario: Path
    workspace: Workspace
    scope: Scope
    report: ResolveReport

    def copy(self, where: Path) -> Workspace:
        """A private copy of the resolved workspace for a test that changes it."""
        target = where / "ws"
        shutil.copytree(self.workspace.path, target, ignore=shutil.ignore_patterns(".tmp"))
        return open_workspace(target)
