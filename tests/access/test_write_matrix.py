"""The write-integrity matrix (issue 14's acceptance), property-based like the read
matrix: for a pair of agencies A and B and a random sequence of B's writes (FtM with ids
chosen from A's entities, a table under one of A's source names, resolve, judge, undo of
B's and of A's judgements, sharing B's judgements with A and trying to share, adopt and
withdraw A's), A's own statements, resolution, judgements, ranking, groups
and targets are exactly what they were.

B writes as strongly as it can: its scope sees every statement of A (as if A had shared
everything), so it resolves and judges A's records. A's picture is read through A's own
scope, which does not see B, so any difference at all is B writing into A's analysis.
The world is small and built once; each example works on a copy.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from builders import LEDGER_HEADER, LEDGER_ROWS, write_csv, write_jsonl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from write_world import build, copy, picture

from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.resolve import ResolveError, resolve
from pinchpoint.resolve.review import judge, undo
from pinchpoint.resolve.sharing_judgements import (
    NoSuchJudgement,
    adopt,
    share_judgement,
    withdraw_share,
)
from pinchpoint.store import DuckDBStore, Scope, Workspace
from pinchpoint.store import judgements as store_judgements
from pinchpoint.store import resolution as tables

OWNERS = ("NCA", "EUROPOL")  # agencies with enough people to resolve and rank
WRITERS = ("BORDER-FORCE", "PAF-FR", "EUROPOL", "NCA")
OPS = ("ftm", "table", "resolve", "judge", "undo", "share")


class Base:
    """The resolved world, each owner's picture, and what B's writes aim at."""

    def __init__(self, root: Path) -> None:
        self.workspace = build(root).workspace
        self.pictures: dict[str, dict[str, Any]] = {}
        self.ids: dict[str, list[str]] = {}
        self.sources: dict[str, list[str]] = {}
        self.judgements: dict[str, str] = {}
        with self.workspace.open_store() as store:
            for owner in OWNERS:
                scope = Scope.owner(owner)
                resolve(store, scope)
                mapping = tables.resolution(store, scope)
                left, right = sorted(mapping)[:2]
                self.judgements[owner] = judge(store, scope, left, right, "different",
                                               f"{owner}'s own reason", f"{owner}-analyst").id
                self.pictures[owner] = picture(store, scope)
                statements = store.statements(scope)
                self.ids[owner] = sorted({s.entity_id for s in statements})
                self.sources[owner] = sorted({s.source for s in statements})


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    return Base(tmp_path_factory.mktemp("write-matrix"))


def _write(ws: Workspace, folder: Path, op: str, writer: str, owner: str, base: Base,
           data: st.DataObject) -> None:
    """One of B's writes, aimed at A's ids, sources and judgements."""
    scope = Scope(agency=writer, visible_owners=frozenset({owner, writer}))
    if op in ("ftm", "table"):
        if op == "ftm":
            taken = data.draw(st.lists(st.sampled_from(base.ids[owner]), min_size=1,
                                       max_size=3, unique=True))
            path = write_jsonl(folder / "claim.ftm.json", [
                {"id": e, "schema": "Person", "properties": {
                    "personCategory": [data.draw(st.sampled_from(["victim", "suspect"]))]}}
                for e in taken])
            kind, options = "ftm", IngestOptions()
        else:
            path = write_csv(folder / "ledger.csv", LEDGER_HEADER, LEDGER_ROWS)
            kind, options = "ledger", IngestOptions()
        options.owner = writer
        options.source = data.draw(st.sampled_from(base.sources[owner]))
        ingest_file(ws, kind, path, options)
        return
    with ws.open_store() as store:
        if op == "resolve" or tables.last_threshold(store, scope) is None:
            resolve(store, scope)  # judge and undo re-cluster B's resolution
        if op == "judge":
            records = sorted(tables.resolution(store, scope))
            left, right = data.draw(st.lists(st.sampled_from(records), min_size=2,
                                             max_size=2, unique=True))
            judge(store, scope, left, right, data.draw(st.sampled_from(["same", "different"])),
                  "B's reason", f"{writer}-analyst")
        elif op == "undo":
            mine = [j.id for j in store_judgements.judgements(store, scope)]
            target = data.draw(st.sampled_from([base.judgements[owner], *mine]))
            try:
                undo(store, scope, target, "B undoes", f"{writer}-analyst")
            except ResolveError:
                assert target == base.judgements[owner], "B could not undo its own"
        elif op == "share":
            _share(store, scope, owner, base, writer)


def _share(store: DuckDBStore, scope: Scope, owner: str, base: Base, writer: str) -> None:
    """B shares its own judgements with A (A's resolution must not move until A adopts
    one, which is A's write, not B's), tries to share and to adopt A's, and withdraws."""
    mine = [j.id for j in store_judgements.judgements(store, scope)]
    for target in (base.judgements[owner], *mine):
        try:
            share_judgement(store, scope, target, owner, "B shares", f"{writer}-boss")
        except ResolveError as exc:
            assert target == base.judgements[owner] or "already" in str(exc), exc
    with pytest.raises(NoSuchJudgement):
        adopt(store, scope, base.judgements[owner], "B adopts A's", f"{writer}-analyst")
    with pytest.raises(NoSuchJudgement):
        withdraw_share(store, scope, base.judgements[owner], writer, "B", f"{writer}-boss")
    if mine:
        withdraw_share(store, scope, mine[0], owner, "B withdraws", f"{writer}-boss")


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(owner=st.sampled_from(OWNERS), data=st.data(),
       ops=st.lists(st.sampled_from(OPS), min_size=1, max_size=3))
def test_another_agencys_writes_never_change_an_agencys_analysis(
        base: Base, tmp_path: Path, owner: str, data: st.DataObject, ops: list[str]) -> None:
    writer = data.draw(st.sampled_from([w for w in WRITERS if w != owner]), label="writer")
    folder = tmp_path / f"example-{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    ws = copy(base.workspace, folder)
    try:
        for op in ops:
            _write(ws, folder, op, writer, owner, base, data)
        with ws.open_store() as store:
            scope = Scope.owner(owner)
            resolve(store, scope)  # whatever B did, A's next run changes nothing
            after = picture(store, scope)
        for part, value in base.pictures[owner].items():
            assert after[part] == value, (part, writer, ops)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
