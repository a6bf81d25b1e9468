"""Ingest the example files in docs/examples/ as listed in its manifest.yaml.

`make demo` runs this; the tests ingest the same manifest, so every documented input
layout is proven to load.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from pinchpoint.ingest.run import IngestReport, ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.store.workspace import Workspace, init_workspace

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"


def load_manifest(folder: Path = EXAMPLES) -> list[dict[str, Any]]:
    data = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    return list(data["examples"])


def example_options(entry: dict[str, Any], folder: Path = EXAMPLES) -> IngestOptions:
    options = dict(entry.get("options") or {})
    if "mapping" in options:
        options["mapping"] = folder / options["mapping"]
    return IngestOptions(**options)


def ingest_examples(workspace: Workspace, folder: Path = EXAMPLES) -> list[IngestReport]:
    reports = []
    for entry in load_manifest(folder):
        reports.append(ingest_file(workspace, entry["kind"], folder / entry["file"],
                                   example_options(entry, folder)))
    return reports


def main(argv: list[str]) -> int:
    workspace = init_workspace(argv[0] if argv else None)
    for report in ingest_examples(workspace):
        b = report.batch
        print(f"{b.kind:10} {Path(b.path).name:28} rows {b.rows_read:4}  statements "
              f"{b.statements_added:5}  quarantined {report.quarantined}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
