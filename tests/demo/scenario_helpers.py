"""Helpers the scenario tests share (the fixtures are in scenario_fixtures.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pinchpoint.ingest.run import IngestReport
from pinchpoint.store.workspace import Workspace

SEED = 20240601
Ingested = tuple[Workspace, list[IngestReport]]


def folder_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under a folder, by relative path."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
