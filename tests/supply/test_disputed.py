"""A victim label is no shield: a handler one agency records as a victim and another as
a suspect is neither a handler nor hidden, but listed as disputed with both sides; a
victim label alone ("migrant" included) keeps the person out of every chain."""

from __future__ import annotations

import csv
from pathlib import Path

from supply_world import ALL, build

from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.store import Scope, open_workspace
from pinchpoint.supply import chains, disputed, hubs_report, link

RENTER = "Dilan Kaya"  # rents the Osnabrück lorry park in the storage search (BKA-DE)


def _labelled(folder: Path, name: str, category: str, owner: str, world_path: Path) -> None:
    """`owner`'s record of the renter as importer of one engine, with `category`, read
    with the mapping `build` wrote beside the case's files."""
    path = folder / name
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["ref", "date", "importer", "category", "kind", "make",
                                   "serial"],
                                  [f"{owner}-1", "2025-03-03", RENTER, category, "engine",
                                   "Yamaha", "6BG 1234567"]])
    ingest_file(open_workspace(world_path), "table", path,
                IngestOptions(owner=owner, mapping=folder / "victim_mapping.yaml"))


def test_a_victim_label_against_a_suspect_label_is_disputed(tmp_path: Path) -> None:
    world = build(tmp_path)
    data = tmp_path / "data"
    _labelled(data, "paf_labels.csv", "migrant", "PAF-FR", world.path)
    with world.open_store(read_only=True) as store:
        alone = link(store, Scope("NCA", ALL))
    named = str([c.as_dict() for c in chains(alone)])
    assert RENTER not in named and not disputed(alone)  # a victim alone: out of sight

    _labelled(data, "bka_labels.csv", "suspect", "BKA-DE", world.path)
    with world.open_store(read_only=True) as store:
        both = link(store, Scope("NCA", ALL))
    (found,) = disputed(both)
    assert (found.label, found.protected_by, found.accused_by) == (
        RENTER, ("PAF-FR",), ("BKA-DE",))
    assert RENTER not in str([c.as_dict() for c in chains(both)])
    assert hubs_report(both)["disputed"] == [found.as_dict()]
