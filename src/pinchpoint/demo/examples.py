"""Ingest a folder of sources as its manifest.yaml lists them.

Two folders have such a manifest: the documented examples (docs/examples/, key
``examples``) and every generated demo scenario (key ``sources``). `make demo` and the
tests use the same loader, so every documented layout and every generated file is proven
to load with the options written next to it.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from pinchpoint.access import directory
from pinchpoint.demo.config import AGENCIES
from pinchpoint.demo.exchange import RATES_FILE
from pinchpoint.ingest.many import ingest_files
from pinchpoint.ingest.run import FileJob, IngestReport
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.money.rates import save_rates
from pinchpoint.store.workspace import Workspace

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"
# (files done, files in all, the file about to be ingested or None at the end)
FileProgress = Callable[[int, int, str | None], None]


def _loader() -> type[yaml.SafeLoader]:
    """libyaml's loader where PyYAML has it: a large scenario lists tens of thousands."""
    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


def read_manifest(folder: Path = EXAMPLES) -> dict[str, Any]:
    """The manifest, read once per version of the file: a large scenario's lists 38,000
    files and takes seconds to parse, and one `demo ingest` asks for it several times.
    A copy is returned, so no caller changes what the next one reads."""
    path = folder / "manifest.yaml"
    stat = path.stat()
    return copy.deepcopy(_parsed(path, stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=4)
def _parsed(path: Path, mtime_ns: int, size: int) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_loader())  # a safe loader: libyaml's or PyYAML's
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a manifest")
    return data


def load_manifest(folder: Path = EXAMPLES) -> list[dict[str, Any]]:
    """The entries: each with kind, file (relative to the folder), options and
    expect_quarantined."""
    data = read_manifest(folder)
    return list(data.get("sources") or data.get("examples") or [])


def missing_agencies(workspace: Workspace, folder: Path = EXAMPLES) -> dict[str, str]:
    """The owners a manifest names that the workspace lacks, each with its title (the
    scenario's own agencies carry their full names): a scenario's partner material is
    loaded for agencies the workspace knows, or nobody in it could ever read it."""
    with workspace.open_store(read_only=True) as store:
        known = set(directory.agencies(store.con)) | {workspace.agency}
    owners = dict.fromkeys(str((e.get("options") or {}).get("owner") or workspace.agency)
                           for e in load_manifest(folder))
    return {o: AGENCIES[o].name if o in AGENCIES else o for o in owners if o not in known}


def example_options(entry: dict[str, Any], folder: Path = EXAMPLES) -> IngestOptions:
    options = dict(entry.get("options") or {})
    if "mapping" in options:
        options["mapping"] = folder / options["mapping"]
    return IngestOptions(**options)


def ingest_examples(workspace: Workspace, folder: Path = EXAMPLES,
                    progress: FileProgress | None = None) -> list[IngestReport]:
    """Every file the manifest lists, each its own batch, through one open store and
    committed in groups (`ingest_files`: atomic per group, not per file)."""
    entries = load_manifest(folder)
    jobs = [FileJob(e["kind"], folder / e["file"], example_options(e, folder)) for e in entries]

    def advance(done: int, total: int, job: FileJob | None) -> None:
        if progress:
            progress(done, total, None if job is None else str(job.path))

    reports = ingest_files(workspace, jobs, advance)
    if (folder / RATES_FILE).exists():  # a scenario's stated rates, for money totals
        save_rates(workspace.path, folder / RATES_FILE)
    return reports

