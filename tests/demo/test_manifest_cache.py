"""The manifest is parsed once per version of the file (a large scenario's lists 38,000
files): an edited manifest is read again, and no caller's change reaches the next."""

from __future__ import annotations

import os
from pathlib import Path

from pinchpoint.demo.examples import load_manifest, read_manifest


def _write(folder: Path, files: list[str]) -> None:
    lines = ["sources:"] + [f"  - kind: ledger\n    file: {name}" for name in files]
    (folder / "manifest.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_an_edited_manifest_is_read_again_and_callers_get_copies(tmp_path: Path) -> None:
    _write(tmp_path, ["a.csv"])
    first = load_manifest(tmp_path)
    first[0]["file"] = "changed.csv"
    read_manifest(tmp_path)["sources"].append({"kind": "ledger", "file": "extra.csv"})
    assert [e["file"] for e in load_manifest(tmp_path)] == ["a.csv"]
    _write(tmp_path, ["a.csv", "b.csv"])
    stat = (tmp_path / "manifest.yaml").stat()
    os.utime(tmp_path / "manifest.yaml", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert [e["file"] for e in load_manifest(tmp_path)] == ["a.csv", "b.csv"]
