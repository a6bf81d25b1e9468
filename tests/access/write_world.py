"""What the write-integrity tests share: the API tests' two-agency world (the documented
examples, NCA and Border Force users, NCA resolved), a copy per test that writes, and
one agency's picture: its statements, resolution, judgements, grants, ranking and groups."""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))

from api_world import EXAMPLES, PASSWORD, build
from postgres import copy_workspace

from pinchpoint.access import directory
from pinchpoint.access.entitlements import scope_for
from pinchpoint.network.analysis import analyse
from pinchpoint.network.kingpin import rank
from pinchpoint.network.project import project
from pinchpoint.store import DuckDBStore, Scope, Workspace, open_workspace
from pinchpoint.store import judgements as store_judgements
from pinchpoint.store import resolution as tables

__all__ = ["EXAMPLES", "PASSWORD", "build", "copy", "merged_pair", "picture", "scope_of",
           "top_suspect"]


def copy(workspace: Workspace, where: Path) -> Workspace:
    target = where / "ws"
    copy_workspace(workspace.path, target, ignore=shutil.ignore_patterns(".tmp"))
    return open_workspace(target)


def scope_of(store: DuckDBStore, user: str) -> Scope:
    return scope_for(store.con, directory.reader(store.con, user))


def picture(store: DuckDBStore, scope: Scope) -> dict[str, Any]:
    """Everything of an agency's analysis a partner's write must leave as it is."""
    own = Scope.owner(scope.agency)
    network = project(store, scope)
    found = analyse(network, seed=0)
    statements = store.statements(own)
    ids = {s.entity_id for s in statements}
    return {
        "own statements": sorted((s.id, s.entity_id, s.prop, s.value) for s in statements),
        "resolution": {e: c for e, c in tables.resolution(store, scope).items() if e in ids},
        "judgements": [(j.id, j.verdict, j.active)
                       for j in store_judgements.judgements(store, scope)],
        "grants made": sorted((g.id, g.recipient, g.source or "") for g in
                              directory.grants(store.con, owner=scope.agency)),
        "ranking": [entry.id for entry in
                    rank(network, found.scores, 10, found.groups.labels())],
        "groups": sorted(sorted(g.members) for g in found.groups.groups),
        "targetable": sorted(i for i, t in zip(network.ids, network.targetable(), strict=True)
                             if t),
    }


def top_suspect(store: DuckDBStore, scope: Scope) -> str:
    """The first-ranked entity of the scope's network: the one a partner would target."""
    network = project(store, scope)
    found = analyse(network, seed=0)
    return rank(network, found.scores, 1, found.groups.labels())[0].id


def merged_pair(mapping: dict[str, str]) -> tuple[str, str]:
    """The first two records of the biggest resolved entity."""
    biggest = Counter(mapping.values()).most_common(1)[0][0]
    first, second = sorted(e for e, c in mapping.items() if c == biggest)[:2]
    return first, second
