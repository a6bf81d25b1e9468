"""The write-integrity matrix (issue 14's acceptance), property-based like the read
matrix: for a pair of agencies A and B and a random sequence of B's writes, A's own
statements, resolution, judgements, grants, ranking, groups and targets are exactly what
they were, and no statement of B's lands on an entity of A's.

B's writes cover every write path: an FtM upload with ids chosen from A's entities; any
documented example file of every ingest kind (tables with their mapping, workbooks,
phone extractions, case reports) under one of A's source names; the same through
`POST /api/ingest`; a signed package from B, naming A's ids, imported by A; B's grants,
and B revoking one of A's; resolve, judge, and undo of B's and of A's judgements;
sharing B's judgements with A and trying to share, adopt and withdraw A's.

B writes as strongly as it can: its scope sees every statement of A (as if A had shared
everything), so it resolves and judges A's records. A's picture is read through A's own
scope, which does not see B, so any difference at all is B writing into A's analysis;
and through a scope of A's that sees B's data too, where every statement on A's
entities must still be A's (B's contribution is visible only as B's, on B's entities).
The world is small and built once; each example works on a copy.
"""

from __future__ import annotations

import base64
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from builders import write_jsonl
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from write_world import EXAMPLES, PASSWORD, build, copy, picture

from pinchpoint.access import directory
from pinchpoint.access.audit import SignedHead
from pinchpoint.access.directory import DirectoryError
from pinchpoint.access.keys import key_id, public_text
from pinchpoint.api.app import create_app
from pinchpoint.demo.examples import example_options, load_manifest
from pinchpoint.ingest.run import ingest_file
from pinchpoint.resolve import ResolveError, resolve
from pinchpoint.resolve.review import judge, undo
from pinchpoint.resolve.sharing_judgements import (
    NoSuchJudgement,
    adopt,
    share_judgement,
    withdraw_share,
)
from pinchpoint.sharing import heads
from pinchpoint.sharing.package import read_package, write_package
from pinchpoint.sharing.receive import import_package
from pinchpoint.sharing.trust import trust, trusted
from pinchpoint.store import DuckDBStore, Scope, Workspace
from pinchpoint.store import judgements as store_judgements
from pinchpoint.store import resolution as tables

OWNERS = ("NCA", "EUROPOL")  # agencies with enough people to resolve and rank
WRITERS = ("BORDER-FORCE", "PAF-FR", "EUROPOL", "NCA")
OPS = ("ftm", "example", "api", "package", "grant", "resolve", "judge", "undo", "share")
EXAMPLE_FILES = load_manifest(EXAMPLES)
# What the API takes as an upload: every kind but `table`, which needs a mapping.
API_FILES = [e for e in EXAMPLE_FILES if e["kind"] != "table"]
SENDER_KEYS = {agency: Ed25519PrivateKey.generate() for agency in WRITERS}


def _user(agency: str, role: str) -> str:
    return f"{agency.lower()}-{role}"


class Base:
    """The resolved world, each owner's picture, and what B's writes aim at."""

    def __init__(self, root: Path) -> None:
        self.workspace = build(root).workspace
        self.pictures: dict[str, dict[str, Any]] = {}
        self.ids: dict[str, list[str]] = {}
        self.sources: dict[str, list[str]] = {}
        self.judgements: dict[str, str] = {}
        self.grants: dict[str, str] = {}
        with self.workspace.open_store() as store:
            for agency in WRITERS:
                for role in ("supervisor", "analyst"):
                    directory.add_user(store.con, _user(agency, role), agency, role,
                                       "SECRET", PASSWORD)
            for owner in OWNERS:
                boss = directory.reader(store.con, _user(owner, "supervisor"))
                self.grants[owner] = directory.grant(store.con, boss, "PAF-FR",
                                                     f"{owner} shares with PAF").id
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
def base(tmp_path_factory: pytest.TempPathFactory, backend: str) -> Base:
    return Base(tmp_path_factory.mktemp("write-matrix"))


def _write(ws: Workspace, folder: Path, op: str, writer: str, owner: str, base: Base,
           data: st.DataObject) -> None:
    """One of B's writes, aimed at A's ids, sources, grants and judgements."""
    if op in ("ftm", "example"):
        kind, path, options = _upload(folder, op, owner, base, data, EXAMPLE_FILES)
        options.owner, options.user = writer, _user(writer, "analyst")
        ingest_file(ws, kind, path, options)
    elif op == "api":
        _api_upload(ws, folder, writer, owner, base, data)
    elif op == "package":
        _package(ws, folder, writer, owner, base, data)
    elif op == "grant":
        _grants(ws, writer, owner, base, data)
    else:
        _resolution(ws, op, writer, owner, base, data)


def _upload(folder: Path, op: str, owner: str, base: Base, data: st.DataObject,
            files: list[dict[str, Any]]) -> tuple[str, Path, Any]:
    """An upload of B's: an FtM file claiming A's ids, or a documented example of any
    kind, under one of A's source names."""
    if op == "ftm":
        taken = data.draw(st.lists(st.sampled_from(base.ids[owner]), min_size=1,
                                   max_size=3, unique=True))
        path = write_jsonl(folder / "claim.ftm.json", [
            {"id": e, "schema": "Person", "properties": {
                "personCategory": [data.draw(st.sampled_from(["victim", "suspect"]))]}}
            for e in taken])
        entry: dict[str, Any] = {"kind": "ftm", "options": {}}
    else:
        entry = data.draw(st.sampled_from(files))
        path = EXAMPLES / entry["file"]
    options = example_options(entry)
    options.source = data.draw(st.sampled_from(base.sources[owner]))
    return entry["kind"], path, options


def _api_upload(ws: Workspace, folder: Path, writer: str, owner: str, base: Base,
                data: st.DataObject) -> None:
    """The same through `POST /api/ingest`, as B's analyst."""
    op = data.draw(st.sampled_from(["ftm", "example"]))
    kind, path, options = _upload(folder, op, owner, base, data, API_FILES)
    with TestClient(create_app(ws.path)) as client:
        login = client.post("/api/login", json={"username": _user(writer, "analyst"),
                                                "password": PASSWORD})
        headers = {"Authorization": f"Bearer {login.json()['token']}",
                   "X-Purpose": "write matrix"}
        response = client.post("/api/ingest", headers=headers,
                               data={"kind": kind, "source": options.source},
                               files={"file": (path.name, path.read_bytes())})
    assert response.status_code == 200, response.text


def _package(ws: Workspace, folder: Path, writer: str, owner: str, base: Base,
             data: st.DataObject) -> None:
    """A package B signs, its statements on A's entities (ids and references), which
    A's analyst imports as the CLI does."""
    taken = set(data.draw(st.lists(st.sampled_from(base.ids[owner]), min_size=1,
                                   max_size=3, unique=True)))
    key = SENDER_KEYS[writer]
    with ws.open_store() as store:
        claims = [replace(s, owner=writer, source_grade="1", info_grade="A")
                  for s in store.statements(Scope.owner(owner)) if s.entity_id in taken]
        path = folder / "package.zip"
        write_package(path, claims, writer, owner, key, note="write matrix",
                      audit_head=_head(key))
        trust(store.con, writer, public_text(key.public_key()), "admin")
        loaded = read_package(path, trusted(store.con))
        heads.receive(store, Scope.owner(owner), loaded.info)
        report = import_package(store, loaded, owner, _user(owner, "analyst"))
        directory.record_received(store.con, report.sender, owner,
                                  [s.source for s in loaded.statements],
                                  loaded.info.file_sha256[:16], _user(owner, "analyst"))


def _head(key: Ed25519PrivateKey) -> SignedHead:
    """A signed audit head of B's (a package carries its sender's)."""
    unsigned = SignedHead(size=1, root="00" * 32, at="2026-01-01T00:00:00+00:00",
                          key_id=key_id(key.public_key()), signature="")
    signature = base64.b64encode(key.sign(unsigned.signed_bytes())).decode("ascii")
    return replace(unsigned, signature=signature)


def _grants(ws: Workspace, writer: str, owner: str, base: Base, data: st.DataObject) -> None:
    """B shares its own data (with A or another agency) and tries to revoke A's grant."""
    with ws.open_store() as store:
        boss = directory.reader(store.con, _user(writer, "supervisor"))
        recipient = data.draw(st.sampled_from([a for a in WRITERS if a != writer]))
        directory.grant(store.con, boss, recipient, "B shares its own")
        with pytest.raises(DirectoryError):
            directory.revoke_grant(store.con, boss, base.grants[owner], "B revokes A's")


def _resolution(ws: Workspace, op: str, writer: str, owner: str, base: Base,
                data: st.DataObject) -> None:
    """B resolves, judges or undoes while seeing all of A's records."""
    scope = Scope(agency=writer, visible_owners=frozenset({owner, writer}))
    with ws.open_store() as store:
        if op == "resolve" or tables.last_threshold(store, scope) is None:
            resolve(store, scope)  # judge and undo re-cluster B's resolution
        if op == "judge":
            records = sorted(tables.resolution(store, scope))
            left, right = data.draw(st.lists(st.sampled_from(records), min_size=2,
                                             max_size=2, unique=True))
            judge(store, scope, left, right, data.draw(st.sampled_from(["same", "different"])),
                  "B's reason", _user(writer, "analyst"))
        elif op == "undo":
            mine = [j.id for j in store_judgements.judgements(store, scope)]
            target = data.draw(st.sampled_from([base.judgements[owner], *mine]))
            try:
                undo(store, scope, target, "B undoes", _user(writer, "analyst"))
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
            share_judgement(store, scope, target, owner, "B shares", _user(writer, "supervisor"))
        except ResolveError as exc:
            assert target == base.judgements[owner] or "already" in str(exc), exc
    with pytest.raises(NoSuchJudgement):
        adopt(store, scope, base.judgements[owner], "B adopts A's", _user(writer, "analyst"))
    with pytest.raises(NoSuchJudgement):
        withdraw_share(store, scope, base.judgements[owner], writer, "B",
                       _user(writer, "supervisor"))
    if mine:
        withdraw_share(store, scope, mine[0], owner, "B withdraws", _user(writer, "supervisor"))


@settings(max_examples=10, deadline=None,
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
            seeing = Scope(agency=owner, visible_owners=frozenset({owner, writer}))
            on_mine = {s.owner for s in store.statements(seeing)
                       if s.entity_id in set(base.ids[owner])}
        for part, value in base.pictures[owner].items():
            assert after[part] == value, (part, writer, ops)
        assert on_mine == {owner}, (writer, ops)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
