"""Issue 14, finding 2's last part, through the library and the CLI: sharing a judgement
is an explicit, logged disclosure by the agency that made it, and a shared judgement
changes the recipient's resolution only when the recipient adopts it.

The world: NCA and Border Force (the write-integrity world), NCA's data granted to
Border Force so that Border Force resolves and sees NCA's records, both resolved.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner
from write_world import build, copy, merged_pair, picture, scope_of

from pinchpoint.access import directory, journal
from pinchpoint.cli import app
from pinchpoint.model.reader import AccessError
from pinchpoint.resolve import resolve
from pinchpoint.resolve.review import judge
from pinchpoint.resolve.run import ResolveError
from pinchpoint.resolve.sharing_judgements import (
    NoSuchJudgement,
    adopt,
    share_judgement,
    shared_judgements,
    withdraw_share,
)
from pinchpoint.store import DuckDBStore, Workspace
from pinchpoint.store import judgements as store_judgements
from pinchpoint.store import resolution as tables

BF = "BORDER-FORCE"
SECRET_REASON = "CHIS 4711 confirms; see NCA op SEAGULL"
CLEAN_ENV: dict[str, str | None] = {"PINCHPOINT_USER": None, "PINCHPOINT_WORKSPACE": None}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, backend: str) -> Workspace:
    """NCA's data granted to Border Force; Border Force's supervisor resolved."""
    ws = build(tmp_path_factory.mktemp("jshare")).workspace
    with ws.open_store() as store:
        boss = directory.add_user(store.con, "ncasup", "NCA", "supervisor", "SECRET",
                                  "correct horse battery")
        directory.grant(store.con, boss, BF, "joint operation")
        resolve(store, scope_of(store, "bfsup"))
    return ws


def _pair(store: DuckDBStore) -> tuple[str, str]:
    """Two records that NCA and Border Force each resolve into one entity."""
    nca_map = tables.resolution(store, scope_of(store, "nadia"))
    bf_map = tables.resolution(store, scope_of(store, "bfsup"))
    left, right = merged_pair({e: c for e, c in nca_map.items() if e in bf_map})
    assert nca_map[left] == nca_map[right] and bf_map[left] == bf_map[right]
    return left, right


def _judged(store: DuckDBStore) -> tuple[str, str, str]:
    """NCA's analyst judges the pair different: (judgement id, left, right)."""
    left, right = _pair(store)
    made = judge(store, scope_of(store, "nadia"), left, right, "different", SECRET_REASON,
                 "nadia")
    return made.id, left, right


def test_a_judgement_is_seen_by_another_agency_only_while_shared(world: Workspace,
                                                                 tmp_path: Path) -> None:
    ws = copy(world, tmp_path)
    with ws.open_store() as store:
        judgement_id, _, _ = _judged(store)
        bf, ncasup = scope_of(store, "bfsup"), scope_of(store, "ncasup")
        assert shared_judgements(store, bf) == []
        share, logged = share_judgement(store, ncasup, judgement_id, BF, "deconfliction",
                                        "ncasup")
        assert (logged.action, logged.recipients, logged.why) == (
            "disclosure", (BF,), "deconfliction")
        assert judgement_id in logged.what
        [seen] = shared_judgements(store, bf)
        assert (seen.judgement.id, seen.judgement.agency, seen.judgement.user,
                seen.judgement.reason, seen.share.purpose, seen.share.shared_by) == (
            judgement_id, "NCA", "nadia", SECRET_REASON, "deconfliction", "ncasup")
        # Shared is not Border Force's own: its judgements list is as it was.
        assert store_judgements.judgements(store, bf, active_only=False) == []
        assert shared_judgements(store, scope_of(store, "nadia")) == []
        withdrawn, logged = withdraw_share(store, ncasup, judgement_id, BF, "op closed",
                                           "ncasup")
        assert withdrawn.id == share.id and logged.recipients == (BF,)
        assert shared_judgements(store, bf) == []
        # Withdrawn, it may be shared again.
        share_judgement(store, ncasup, judgement_id, BF, "again", "ncasup")
        assert [s.share.purpose for s in shared_judgements(store, bf)] == ["again"]


def test_only_the_owning_agency_shares_and_a_refusal_confirms_nothing(
        world: Workspace, tmp_path: Path) -> None:
    ws = copy(world, tmp_path)
    with ws.open_store() as store:
        judgement_id, _, _ = _judged(store)
        bf, ncasup = scope_of(store, "bfsup"), scope_of(store, "ncasup")
        before = (store_judgements.shares(store, ncasup, active_only=False),
                  shared_judgements(store, bf))
        with pytest.raises(NoSuchJudgement) as theirs:
            share_judgement(store, bf, judgement_id, "PAF-FR", "curious", "bfsup")
        with pytest.raises(NoSuchJudgement) as unknown:
            share_judgement(store, bf, "f" * 32, "PAF-FR", "curious", "bfsup")
        assert str(theirs.value).replace(judgement_id, "ID") == \
            str(unknown.value).replace("f" * 32, "ID")
        with pytest.raises(NoSuchJudgement):
            withdraw_share(store, bf, judgement_id, BF, "not ours", "bfsup")
        # Disclosure is a supervisor's decision, as a grant is.
        with pytest.raises(AccessError):
            share_judgement(store, scope_of(store, "nadia"), judgement_id, BF, "x", "nadia")
        for to, purpose, says in ((BF, "", "purpose"), (BF, "x" * 501, "at most 500"),
                                  ("NCA", "x", "always its own"), ("NOPE", "x", "no agency")):
            with pytest.raises(ResolveError, match=says):
                share_judgement(store, ncasup, judgement_id, to, purpose, "ncasup")
        assert (store_judgements.shares(store, ncasup, active_only=False),
                shared_judgements(store, bf)) == before
        share_judgement(store, ncasup, judgement_id, BF, "deconfliction", "ncasup")
        with pytest.raises(ResolveError, match="already shared"):
            share_judgement(store, ncasup, judgement_id, BF, "twice", "ncasup")


def test_adopting_changes_only_the_recipients_resolution(world: Workspace,
                                                          tmp_path: Path) -> None:
    ws = copy(world, tmp_path)
    with ws.open_store() as store:
        judgement_id, left, right = _judged(store)
        nca, bf, ncasup = (scope_of(store, u) for u in ("nadia", "bfsup", "ncasup"))
        owner_before = picture(store, nca)
        bf_before = tables.resolution(store, bf)
        share_judgement(store, ncasup, judgement_id, BF, "deconfliction", "ncasup")
        assert tables.resolution(store, bf) == bf_before, "sharing alone changed nothing"
        with pytest.raises(ResolveError, match="reason"):
            adopt(store, bf, judgement_id, " ", "bfsup")
        made, logged = adopt(store, bf, judgement_id, "matches our interview", "bfsup")
        assert made.agency == BF and made.user == "bfsup" and made.verdict == "different"
        assert made.reason == (f"adopted from NCA judgement {judgement_id}: "
                               "matches our interview")
        assert logged.detail == {"adopted_from": judgement_id, "from_agency": "NCA"}
        after = tables.resolution(store, bf)
        assert after[left] != after[right]
        assert [j.id for j in store_judgements.judgements(store, bf)] == [made.id]
        withdraw_share(store, ncasup, judgement_id, BF, "op closed", "ncasup")
        with pytest.raises(NoSuchJudgement):
            adopt(store, bf, judgement_id, "again", "bfsup")
        # What Border Force adopted is its own now; NCA's analysis never moved.
        assert [j.id for j in store_judgements.judgements(store, bf)] == [made.id]
        resolve(store, nca)
        assert picture(store, nca) == owner_before


def _cli(ws: Workspace, who: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--workspace", str(ws.path), "--as", who, *args],
                                env=CLEAN_ENV)
    return result.exit_code, result.output


def _entries(ws: Workspace, agency: str, action: str) -> list[Any]:
    with journal.open_log(ws.path) as log:
        return log.entries(agency, action)


def test_the_cli_shares_adopts_and_withdraws_with_audit_entries(world: Workspace,
                                                                  tmp_path: Path) -> None:
    ws = copy(world, tmp_path)
    with ws.open_store() as store:
        judgement_id = _judged(store)[0]
    short = judgement_id[:10]
    code, out = _cli(ws, "bfsup", "share-judgement", judgement_id, "--to", "PAF-FR",
                     "--purpose", "x")
    assert code == 2 and f"no judgement {judgement_id}" in out, out
    code, out = _cli(ws, "ncasup", "share-judgement", short, "--to", BF, "--purpose",
                     "deconfliction")
    assert code == 0, out
    [entry] = _entries(ws, "NCA", "disclosure")
    assert (entry.user, entry.recipients, entry.why) == ("ncasup", (BF,), "deconfliction")
    assert judgement_id in entry.what
    code, out = _cli(ws, "bfsup", "judgements", "--shared", "--json")
    assert code == 0 and SECRET_REASON in out and "deconfliction" in out, out
    code, out = _cli(ws, "ncasup", "judgement-shares", "--json")
    assert code == 0 and judgement_id in out and BF in out, out
    assert judgement_id not in _cli(ws, "bfsup", "judgement-shares", "--json")[1]
    assert SECRET_REASON not in _cli(ws, "bfsup", "judgements", "--all", "--json")[1]
    code, out = _cli(ws, "bfsup", "adopt-judgement", short, "--reason", "our interview")
    assert code == 0 and "adopted from NCA judgement" in " ".join(out.split()), out
    adopted = [e for e in _entries(ws, BF, "alteration") if "judgement" in e.what]
    assert adopted and adopted[-1].detail["adopted_from"] == judgement_id
    code, out = _cli(ws, "ncasup", "withdraw-judgement-share", short, "--to", BF,
                     "--reason", "op closed")
    assert code == 0, out
    assert _entries(ws, "NCA", "alteration")[-1].recipients == (BF,)
    code, out = _cli(ws, "bfsup", "judgements", "--shared", "--json")
    assert code == 0 and SECRET_REASON not in out, out
