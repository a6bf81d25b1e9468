"""Workspace files readable by their owner only (issue 14: store, audit and key files
were world-readable).

A workspace holds intelligence, its audit log and its signing key, so its folders are
made 0700 and its files 0600, whatever the umask. The folder is the real boundary:
DuckDB makes its write-ahead log and spill files itself, with the umask's mode, and
only a private folder keeps those from other local users too.
"""

from __future__ import annotations

import os
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(path: Path) -> Path:
    """`path` (and any missing parents) made if missing, and set to 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    os.chmod(path, FOLDER_MODE)
    return path


def private_files(*paths: Path) -> None:
    """Set each of `paths` that exists to 0600 (a database's `.wal` beside it too)."""
    for path in paths:
        for candidate in (path, path.with_name(path.name + ".wal")):
            if candidate.is_file():
                os.chmod(candidate, FILE_MODE)


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path`, created 0600 (never readable by others, even briefly)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(path, FILE_MODE)
