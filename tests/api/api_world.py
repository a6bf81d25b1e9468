"""One small workspace for the API tests: the documented examples, two agencies' users,
one grant, each user's scope resolved.

NCA owns most of the examples; Border Force owns the crossings and shares them with
NCA. Border Force's analyst sees only Border Force's crossings: everything NCA holds is
invisible (404) to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pinchpoint.access import directory
from pinchpoint.access.entitlements import scope_for
from pinchpoint.demo.examples import ingest_examples
from pinchpoint.resolve import resolve
from pinchpoint.store import Workspace, init_workspace

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
PASSWORD = "correct horse battery"
USERS = {
    "nadia": ("NCA", "analyst", "SECRET"),
    "aud": ("NCA", "auditor", "SECRET"),
    "bruno": ("BORDER-FORCE", "analyst", "OFFICIAL"),
}


@dataclass(frozen=True)
class World:
    workspace: Workspace


def build(root: Path) -> World:
    workspace = init_workspace(root / "ws", agency="NCA")
    ingest_examples(workspace, EXAMPLES)
    with workspace.open_store() as store:
        for agency in ("BORDER-FORCE", "PAF-FR", "EUROPOL"):
            directory.add_agency(store.con, agency)
        for name, (agency, role, clearance) in USERS.items():
            directory.add_user(store.con, name, agency, role, clearance, PASSWORD)
        boss = directory.add_user(store.con, "bfsup", "BORDER-FORCE", "supervisor",
                                  "SECRET", PASSWORD)
        directory.grant(store.con, boss, "NCA", "crossings shared for Operation Seagull")
        resolve(store, scope_for(store.con, directory.reader(store.con, "nadia")))
        # Border Force's analyst is left unresolved: the network answers 409 for them.
    return World(workspace)
