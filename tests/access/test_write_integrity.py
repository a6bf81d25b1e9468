"""Issue 14, findings 1 and 2, through the library: a partner agency's upload or
judgement never changes another agency's entities or resolution, and a judgement's
reason and author stay with its agency."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from builders import LEDGER_HEADER, LEDGER_ROWS, write_csv, write_jsonl
from write_world import build, copy, merged_pair, picture, scope_of, top_suspect

from pinchpoint.access import directory, retention
from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.model.owned import is_owned, owned_id
from pinchpoint.resolve import resolve
from pinchpoint.resolve.review import judge, undo
from pinchpoint.store import Scope, Workspace
from pinchpoint.store import judgements as store_judgements
from pinchpoint.store import resolution as tables


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, backend: str) -> Workspace:
    return build(tmp_path_factory.mktemp("writes")).workspace


def test_a_partner_upload_with_the_owners_id_stays_the_partners(world: Workspace,
                                                                tmp_path: Path) -> None:
    """Border Force names NCA's top suspect a victim: NCA's entity, ranking and plan
    are untouched; Border Force's statements are an entity of its own."""
    ws = copy(world, tmp_path)
    with ws.open_store() as store:
        nca = scope_of(store, "nadia")
        target = top_suspect(store, nca)
        before = picture(store, nca)
    claim = [{"id": target, "schema": "Person", "properties": {"personCategory": ["victim"]}},
             {"id": "pay-1", "schema": "Payment",
              "properties": {"payer": [target], "amount": ["100"]}}]
    report = ingest_file(ws, "ftm", write_jsonl(tmp_path / "claim.ftm.json", claim),
                         IngestOptions(owner="BORDER-FORCE", source="nca-examples"))
    assert report.batch.statements_added > 0
    with ws.open_store() as store:
        resolve(store, nca)
        after = picture(store, nca)
        for part in ("own statements", "resolution"):
            assert after[part] == before[part], part
        # NCA sees Border Force's data (a grant): its upload may add to NCA's picture,
        # as Border Force's, but the suspect stays NCA's top target.
        assert after["ranking"][0] == target and target in after["targetable"]
        assert {s.owner for s in store.statements(Scope.owner("BORDER-FORCE"))
                if s.entity_id == target} == set()
        mine = {s.entity_id for s in store.statements(Scope.owner("BORDER-FORCE"))
                if s.source == "nca-examples"}
        assert mine == {owned_id("BORDER-FORCE", target), owned_id("BORDER-FORCE", "pay-1")}
        assert all(is_owned("BORDER-FORCE", e) for e in mine)
        # The Payment's payer is Border Force's Person of the same file.
        payer = [s.value for s in store.statements(Scope.owner("BORDER-FORCE"))
                 if s.prop == "payer"]
        assert payer == [owned_id("BORDER-FORCE", target)]
    # The same file again adds nothing.
    again = ingest_file(ws, "ftm", tmp_path / "claim.ftm.json",
                        IngestOptions(owner="BORDER-FORCE", source="nca-examples"))
    assert again.batch.statements_added == 0


def _partner_sees_nca(ws: Workspace) -> None:
    with ws.open_store() as store:
        boss = directory.add_user(store.con, "ncasup", "NCA", "supervisor", "SECRET",
                                  "correct horse battery")
        directory.grant(store.con, boss, "BORDER-FORCE", "joint operation")


def test_a_partner_judgement_changes_only_the_partners_resolution(world: Workspace,
                                                                   tmp_path: Path) -> None:
    ws = copy(world, tmp_path)
    _partner_sees_nca(ws)
    with ws.open_store() as store:
        nca, bf = scope_of(store, "nadia"), scope_of(store, "bruno")
        resolve(store, bf)
        nca_map, bf_map = tables.resolution(store, nca), tables.resolution(store, bf)
        left, right = merged_pair({e: c for e, c in nca_map.items()
                               if e in bf_map and bf_map[e] == bf_map.get(_first(nca_map, c))})
        own = judge(store, nca, *_other_pair(nca_map, left), "unsure",
                    "CHIS 4711 confirms; see NCA op", "nadia")
        before = picture(store, nca)
        made = judge(store, bf, left, right, "different", "BF thinks so", "bruno")
        assert tables.resolution(store, bf)[left] != tables.resolution(store, bf)[right]
        for run in (lambda: resolve(store, nca), lambda: judge(
                store, nca, *_other_pair(nca_map, left), "unsure", "again", "nadia")):
            run()
            after = picture(store, nca)
            assert after["resolution"] == before["resolution"]
            assert after["ranking"] == before["ranking"] and after["groups"] == before["groups"]
        nca_ids = {j.id for j in store_judgements.judgements(store, nca, active_only=False)}
        assert made.id not in nca_ids
        # NCA's reason and author are NCA's: Border Force lists only its own judgement,
        # and cannot undo NCA's.
        bf_ids = [j.id for j in store_judgements.judgements(store, bf, active_only=False)]
        assert bf_ids == [made.id]
        with pytest.raises(Exception, match="no active judgement"):
            undo(store, bf, own.id, "not ours", "bruno")


def _first(mapping: dict[str, str], canon: str) -> str:
    return min(e for e, c in mapping.items() if c == canon)


def _other_pair(mapping: dict[str, str], avoid: str) -> tuple[str, str]:
    """Two records of NCA's resolution apart from `avoid`'s entity."""
    ids = sorted(e for e, c in mapping.items() if c != mapping[avoid])
    return ids[0], ids[1]


def test_resolve_applies_every_judgement_it_counts(world: Workspace, tmp_path: Path) -> None:
    """A judgement made under another scope of the agency (a colleague of another
    clearance) is applied by the next resolve, which counts it: before, resolve said
    "judgements: 1" and left the pair merged until some later recluster."""
    ws = copy(world, tmp_path)
    with ws.open_store() as store:
        nadia, trusted = scope_of(store, "nadia"), Scope.owner("NCA")
        resolve(store, trusted)
        left, right = merged_pair(tables.resolution(store, nadia))
        assert tables.resolution(store, trusted)[left] == tables.resolution(store, trusted)[right]
        judge(store, nadia, left, right, "different", "met both", "nadia")
        report = resolve(store, trusted)
        assert report.mode == "unchanged" and report.judgements == 1
        mapping = tables.resolution(store, trusted)
        assert mapping[left] != mapping[right]


def test_a_partner_source_named_like_the_owners_is_the_partners(world: Workspace,
                                                                 tmp_path: Path) -> None:
    """A source is its owner's and its name: Border Force ingesting and erasing under
    the name of an NCA source never touches NCA's source (issue 14, finding 10's part)."""
    ws = copy(world, tmp_path)
    with ws.open_store() as store:
        nca = Scope.owner("NCA")
        name = sorted({s.source for s in store.statements(nca)})[0]
        before = sorted(s.id for s in store.statements(nca))
        due = retention.due(store, nca, date(2100, 1, 1))
    ingest_file(ws, "ledger", write_csv(tmp_path / "ledger.csv", LEDGER_HEADER, LEDGER_ROWS),
                IngestOptions(owner="BORDER-FORCE", source=name))
    with ws.open_store() as store:
        partner = {s.entity_id for s in store.statements(Scope.owner("BORDER-FORCE"))
                   if s.source == name}
        assert partner and all(is_owned("BORDER-FORCE", e) for e in partner)
        erased = retention.erase(store, scope_of(store, "bfsup"), name, "test erasure")
        assert erased.owner == "BORDER-FORCE" and erased.statements_removed > 0
        assert sorted(s.id for s in store.statements(nca)) == before
        assert retention.due(store, nca, date(2100, 1, 1)) == due
