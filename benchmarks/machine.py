"""What every benchmark records about where, and on which code, it ran.

Each script keeps its own JSON keys (results already committed use them); the readings
themselves live here once.
"""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def version(package: str) -> str | None:
    """The installed version of ``package``, or None."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def cpu_model() -> str | None:
    """The CPU's model name from /proc/cpuinfo, or None."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def memory_kb() -> int | None:
    """Total memory (MemTotal, in kB) from /proc/meminfo, or None."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def basics() -> dict[str, Any]:
    """Cores usable, CPU, memory (GB), platform and Python."""
    kb = memory_kb()
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu": cpu_model(),
        "memory_gb": round(kb / 2**20, 1) if kb else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def git(*args: str) -> str:
    """Output of a git command in the repository (raises if git fails)."""
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def head_commit() -> str | None:
    """The commit being measured, or None outside a git checkout."""
    try:
        return git("rev-parse", "HEAD").strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def src_changes() -> list[str] | None:
    """Files under src/ that differ from the commit (None outside a git checkout)."""
    try:
        status = git("status", "--porcelain", "--untracked-files=all", "--", "src")
    except (OSError, subprocess.CalledProcessError):
        return None
    return sorted(line[3:] for line in status.splitlines())
