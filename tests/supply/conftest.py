"""The supply tests' one workspace, built once (six small files, a few seconds), and
the same with every agency's files shared with NCA, the workspace's agency."""

from __future__ import annotations

import pytest
from supply_world import PASSWORD, build

from pinchpoint.access import directory
from pinchpoint.model.reader import Reader, Role
from pinchpoint.store import Workspace

SHARING = ("PAF-FR", "BKA-DE", "EUROPOL", "POLICE-BE")


@pytest.fixture(scope="package")
def world(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return build(tmp_path_factory.mktemp("supply"))


@pytest.fixture(scope="package")
def shared(world: Workspace) -> Workspace:
    """Every agency shares with NCA; users nca.analyst and be.analyst (no grants)."""
    with world.open_store() as store:
        directory.ensure(store.con)
        known = set(directory.agencies(store.con))
        for agency in SHARING:
            if agency not in known:
                directory.add_agency(store.con, agency)
            directory.grant(store.con, Reader(f"{agency}.boss", agency, Role.SUPERVISOR),
                            "NCA", "joint supply investigation")
        directory.add_user(store.con, "nca.analyst", "NCA", "analyst", "SECRET", PASSWORD)
        directory.add_user(store.con, "be.analyst", "POLICE-BE", "analyst", "SECRET",
                           PASSWORD)
    return world
