"""Browser tests of the web workbench: Playwright driving Debian's Chromium against the
real app (uvicorn in a background thread on 127.0.0.1) over the API tests' workspace.

The whole directory is skipped, with the reason, only when /usr/bin/chromium is missing
or the web assets are not built; `make setup` installs both, so CI runs these tests.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "api"))  # api_world: the API tests' workspace
sys.path.insert(0, str(HERE.parent / "supply"))  # supply_world: a small supply-chain case

import web_harness  # noqa: E402

REASON = web_harness.missing()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if REASON is None:
        return
    skip = pytest.mark.skip(reason=f"browser tests skipped: {REASON}")
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(HERE):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def web_world(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The API tests' workspace: NCA (resolved) owns most examples and grants nothing;
    Border Force owns the crossings and grants them to NCA; NCA holds one more ledger,
    with a structuring pattern for the Money view (`add_structuring`)."""
    from api_world import build

    world = build(tmp_path_factory.mktemp("web"))
    add_arrival_phones(world.workspace, tmp_path_factory.mktemp("phones"))
    add_supply_case(world.workspace, tmp_path_factory.mktemp("supply"))
    add_structuring(world.workspace)
    return world


MONEY_LEDGER = HERE / "money_ledger.csv"


def add_supply_case(workspace: Any, folder: Path) -> None:
    """The supply tests' case (a seizure log, invoices, customs declarations, a storage
    search and a vehicle check), all held by NCA here, for the Supply view and the map."""
    from supply_world import case_files

    from pinchpoint.ingest.run import ingest_file
    from pinchpoint.ingest.source import IngestOptions

    for kind, path, _owner in case_files(folder):
        ingest_file(workspace, kind, path, IngestOptions(
            owner="NCA", reason="Operation Outboard: the supply of boats and engines"))


def add_arrival_phones(workspace: Any, folder: Path) -> None:
    """Three arrivals' phones seized by NCA, each saving the example phone's Istanbul
    engine seller and Calais driver under a label of its own, and calling the seller
    before the seizure: the Phones view ranks those two numbers first."""
    import json

    from pinchpoint.ingest.run import ingest_file
    from pinchpoint.ingest.source import IngestOptions

    for k in range(web_harness.ARRIVALS):
        data = {"extraction": {"seized_at": "2024-05-20", "exhibit": f"NCA/A{k}"},
                "device": {"imei": f"35693803564{k:04d}", "phone_numbers": [f"+4479111234{k:02d}"],
                           "owner": {"name": f"Arrival {k + 1}", "category": "victim"}},
                "contacts": [{"id": "1", "name": ["Boxer", "Bhai engines", "Boxer Istanbul"][k],
                              "phones": ["+905324172290"]},
                             {"id": "2", "name": "Taxi Calais", "phones": ["+33612345678"]}],
                "calls": [{"timestamp": "2024-05-01T09:00:00Z", "direction": "outgoing",
                           "number": "+905324172290", "duration_seconds": 60}]}
        path = folder / f"nca_arrival_phone_{k}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        ingest_file(workspace, "phone", path, IngestOptions(
            owner="NCA", reason="Phones of small-boat arrivals, examined for facilitation"))


def add_structuring(workspace: Any) -> None:
    """The examples' ledger holds no laundering pattern; the Money view's alerts need
    one: a second NCA ledger of four payments just under GBP 1,000 in four days from
    Amanj Hassan Zada to Rebin Ali (structuring), resolved into nadia's scope."""
    from pinchpoint.access import directory
    from pinchpoint.access.entitlements import scope_for
    from pinchpoint.ingest.run import ingest_file
    from pinchpoint.ingest.source import IngestOptions
    from pinchpoint.resolve import resolve

    ingest_file(workspace, "ledger", MONEY_LEDGER, IngestOptions(
        source="hawala-london", owner="NCA", source_grade="2", info_grade="B",
        reason="Operation Seagull: London agent's ledger"))
    with workspace.open_store() as store:
        resolve(store, scope_for(store.con, directory.reader(store.con, "nadia")))


@dataclass(frozen=True)
class Facts:
    """What the store says each reader may see, read before the app holds the database."""

    counts: dict[str, Any]          # user -> store.counts(scope)
    figures: dict[str, dict[str, int]]  # user -> the dashboard's workspace figures
    hidden_ids: frozenset[str]      # ids of NCA's entities and statements bruno may not see
    hidden_values: frozenset[str]   # distinctive values only NCA's statements hold
    nca_person: tuple[str, str]     # Amanj Hassan Zada: NCA's record id, nadia's canonical id


@pytest.fixture(scope="session")
def facts(web_world: Any) -> Facts:
    from pinchpoint.access import directory
    from pinchpoint.access.entitlements import scope_for
    from pinchpoint.api.picture import workspace_figures
    from pinchpoint.resolve import resolution_map

    with web_world.workspace.open_store() as store:
        con = store.con
        counts, figures, visible = {}, {}, {}
        for user in ("nadia", "bruno"):
            scope = scope_for(con, directory.reader(con, user))
            counts[user] = store.counts(scope)
            figures[user] = workspace_figures(store, scope)
            relation, params = scope.relation()
            visible[user] = con.execute(
                f"SELECT id, entity_id, value, owner FROM ({relation}) AS v", params).fetchall()
        bruno_ids = {row[1] for row in visible["bruno"]} | {row[0] for row in visible["bruno"]}
        bruno_values = {row[2] for row in visible["bruno"]}
        nca = con.execute(
            "SELECT id, entity_id, value FROM statements WHERE owner = 'NCA'").fetchall()
        record = con.execute(
            "SELECT min(entity_id) FROM statements WHERE owner = 'NCA' AND prop = 'name' "
            "AND value = 'Amanj Hassan Zada'").fetchone()[0]
        nadia = scope_for(con, directory.reader(con, "nadia"))
        canonical = resolution_map(store, nadia).get(record, record)
    hidden_ids = frozenset({i for i, _e, _v in nca if i not in bruno_ids}
                           | {e for _i, e, _v in nca if e not in bruno_ids})
    hidden_values = frozenset(v for _i, _e, v in nca if distinctive(v, bruno_values))
    return Facts(counts, figures, hidden_ids, hidden_values, (record, canonical))


def distinctive(value: str, seen: set[str]) -> bool:
    """A value that, found in an answer, can only have come from NCA's statements:
    not visible to bruno otherwise, long enough, and not a bare date or number."""
    text = value.strip()
    if len(text) < 6 or text in seen or any(text in other for other in seen):
        return False
    if re.fullmatch(r"\d{4}(-\d{2}){0,2}([T ][\d:.]+Z?)?", text):
        return False  # a date: others may hold the same one
    if re.fullmatch(r"[\d\s.,:+\-/]+", text):
        return len(re.sub(r"\D", "", text)) >= 8  # phones, IMEIs; not amounts or counts
    return text.casefold() not in GENERIC


GENERIC = {"suspect", "victim", "witness", "organiser", "facilitator", "person", "official",
           "official-sensitive", "secret"}


@pytest.fixture(scope="session")
def base_url(web_world: Any, facts: Facts) -> Iterator[str]:
    from pinchpoint.api.app import create_app

    app = create_app(web_world.workspace.path)
    with web_harness.serve(app) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = web_harness.launch(playwright)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def offline(browser: Any) -> Iterator[Any]:
    """A fresh page that may reach only 127.0.0.1; the test fails if the app tried
    anything else."""
    pages: list[web_harness.OfflinePage] = []

    def make(capture_api: bool = False) -> web_harness.OfflinePage:
        page = web_harness.OfflinePage(browser, capture_api)
        pages.append(page)
        return page

    yield make
    blocked = [url for page in pages for url in page.blocked]
    errors = [err for page in pages for err in page.errors]
    for page in pages:
        page.close()
    assert not blocked, f"the app tried to reach hosts other than 127.0.0.1: {blocked}"
    assert not errors, f"uncaught errors in the page: {errors}"




@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The folder screenshots go to (see `web_harness.screenshot_folder`). Unless it is
    docs/screenshots on purpose, the run must leave the README's images as they were."""
    folder = web_harness.screenshot_folder(tmp_path_factory.mktemp("screenshots"))
    readme = web_harness.README_SCREENSHOTS
    before = web_harness.digests(readme)
    yield folder
    if folder != readme.resolve():
        assert web_harness.digests(readme) == before, f"a test run rewrote {readme}"


@pytest.fixture
def screenshot(screenshots: Path) -> Callable[[Any, str], Path]:
    """`screenshot(page, "name.png")`: the viewport saved into the run's screenshot folder."""
    return lambda page, name: web_harness.screenshot(page, screenshots / name)
