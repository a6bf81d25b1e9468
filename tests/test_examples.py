"""Every example in docs/examples/manifest.yaml ingests, quarantining exactly what the
manifest says it should (an empty manifest passes trivially)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import known_bugs
from builders import all_quarantine, stock_ftm_problems

from pinchpoint.demo.examples import EXAMPLES, example_options, ingest_examples, load_manifest
from pinchpoint.ingest.kinds import KINDS
from pinchpoint.store import init_workspace
from pinchpoint.store.entities import export_ftm


def test_manifest_entries_are_well_formed() -> None:
    for entry in load_manifest():
        assert entry["kind"] in KINDS, entry
        assert (EXAMPLES / entry["file"]).is_file(), entry
        assert isinstance(entry.get("expect_quarantined"), int), entry
        options = example_options(entry)
        if options.mapping is not None:
            assert options.mapping.is_file(), entry


def test_every_example_quarantines_what_the_manifest_expects(tmp_path: Path) -> None:
    entries = load_manifest()
    workspace = init_workspace(tmp_path / "demo", agency="NCA")
    reports = ingest_examples(workspace)
    assert len(reports) == len(entries)
    wrong = [(entry["file"], entry["expect_quarantined"], report.quarantined)
             for entry, report in zip(entries, reports, strict=True)
             if report.quarantined != entry["expect_quarantined"]]
    assert wrong == [], "(file, expected, quarantined)"
    for report in reports:
        batch = report.batch
        assert batch.rows_read == batch.rows_stored + batch.rows_rejected
        assert batch.statements_added > 0, batch.path
    stored = all_quarantine(workspace) if entries else []
    assert len(stored) == sum(r.quarantined for r in reports)

    # The demo is repeatable: a second run adds nothing anywhere.
    again = ingest_examples(workspace)
    assert [r.batch.statements_added for r in again] == [0] * len(entries)
    assert (all_quarantine(workspace) if entries else []) == stored

    # ... and every owner's view of it exports as valid stock FtM.
    owners = {r.batch.owner for r in reports}
    with workspace.open_store(read_only=True) as store:
        from pinchpoint.store import Scope

        out = io.StringIO()
        export_ftm(store, Scope(agency="TEST", visible_owners=frozenset(owners)), out)
    problems = [p for line in out.getvalue().splitlines()
                for p in known_bugs.unknown_export_problems(stock_ftm_problems(json.loads(line)))]
    assert problems == []
