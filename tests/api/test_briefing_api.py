"""`GET /api/entities/{id}/briefing.pdf` (issue 19 item 6, "export and briefing"): the
briefing pack of a person as PDF. It opens (pdftoppm renders every page), every page
carries the marking and handling conditions of the most restricted statement it holds, a
partner agency's pack holds nothing it may not see, and the export is a disclosure in the
audit log with its purpose."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_world import World
from fastapi.testclient import TestClient
from test_api import RAWAND, REBIN, get

from pinchpoint.access import directory
from pinchpoint.access.entitlements import scope_for
from pinchpoint.api.app import create_app
from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.model.handling import CLASSIFICATION_ORDER
from pinchpoint.resolve import resolve

pytest_plugins = ["api_fixtures"]
POPPLER = shutil.which("pdftoppm") and shutil.which("pdfinfo") and shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftoppm, pdfinfo, "
                                   "pdftotext) is not installed: `make setup` installs it")


CONDITIONS = "Not for onward disclosure to third countries"
REBIN_RECORD = "8f45d3fcb2ceaa771575e652ade47108ddff7b1c"  # NCA's record of Rebin Hama Ali


@pytest.fixture(scope="module")
def client(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over the module's world, with one SECRET statement under handling code C
    added to NCA's top-ranked person (an alias) before it starts: the pack's marking is
    then SECRET with its conditions, though most of what it holds is OFFICIAL."""
    folder = tmp_path_factory.mktemp("secret")
    alias = folder / "secret_alias.jsonl"
    alias.write_text(json.dumps({"id": REBIN_RECORD, "schema": "Person",
                                 "properties": {"alias": ["Kak Rebin"]}}) + "\n",
                     encoding="utf-8")
    ingest_file(world.workspace, "ftm", alias,
                IngestOptions(owner="NCA", classification="SECRET", handling="C",
                              conditions=CONDITIONS, reason="briefing pack test"))
    with world.workspace.open_store() as store:
        resolve(store, scope_for(store.con, directory.reader(store.con, "nadia")))
    with TestClient(create_app(world.workspace.path)) as test_client:
        yield test_client


def _pack(client: TestClient, entity: str, headers: dict[str, str], status: int = 200,
          purpose: str | None = "Op Kestrel briefing") -> bytes:
    query = f"?purpose={purpose}" if purpose else ""
    answer = client.get(f"/api/entities/{entity}/briefing.pdf{query}", headers=headers)
    assert answer.status_code == status, answer.text
    if status == 200:
        assert answer.headers["content-type"] == "application/pdf"
        assert answer.content.startswith(b"%PDF")
    return answer.content


def _pages(pdf: bytes, folder: Path) -> list[str]:
    """Each page's text; every page rendered to a PNG first (the file opens)."""
    path = folder / "pack.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    count = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(folder / "page")],
                   check=True, capture_output=True)
    assert len(list(folder.glob("page*.png"))) == count >= 1
    return [subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), str(path), "-"],
                           capture_output=True, text=True, check=True).stdout
            for i in range(1, count + 1)]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _most_restricted(found: dict[str, Any]) -> tuple[str, list[str]]:
    order = [c.value for c in CLASSIFICATION_ORDER]
    top = max((s["classification"] for s in found["statements"]), key=order.index)
    conditions = {s["handling_conditions"] for s in found["statements"]
                  if s["classification"] == top and s["handling_conditions"]}
    return top, sorted(conditions)


@needs_poppler
def test_top_ranked_persons_pack_is_marked_on_every_page(
        client: TestClient, nadia: dict[str, str], aud: dict[str, str],
        tmp_path: Path) -> None:
    [top] = get(client, "/api/network/rank?top=1", nadia)
    found = get(client, f"/api/entities/{top['id']}", nadia)
    pages = _pages(_pack(client, top["id"], nadia), tmp_path)
    assert len(pages) >= 2  # the chart and the plan each begin a page
    marking, conditions = _most_restricted(found)
    assert (marking, conditions) == ("SECRET", [CONDITIONS])  # the alias added above
    for page in pages:
        flat = _flat(page)
        assert flat.count(marking) >= 2, flat[:300]  # header and footer
        for condition in conditions:
            assert _flat(condition)[:40] in flat
    text = _flat(" ".join(pages))
    assert found["label"] in text and "Disruption plan" in text
    entry = get(client, "/api/audit?action=disclosure&limit=10000", aud)[-1]
    assert entry["what"] == f"exported briefing pack of {found['label']} as pdf"
    assert entry["why"] == "Op Kestrel briefing" and entry["user"] == "nadia"
    assert entry["recipients"] == ["download by nadia"]
    assert entry["detail"]["entity"] == top["id"] and entry["detail"]["format"] == "pdf"


@needs_poppler
def test_a_partner_agencys_pack_holds_nothing_it_may_not_see(
        client: TestClient, nadia: dict[str, str], bruno: dict[str, str],
        tmp_path: Path) -> None:
    # NCA's people, never shared: bruno gets no pack of any of them.
    ranked = get(client, "/api/network/rank?top=20", nadia)
    for person in [*ranked, {"id": REBIN}]:
        _pack(client, person["id"], bruno, status=404)
    # What NCA's pack of its top person holds (names, facts, neighbours, targets) ...
    top = get(client, f"/api/entities/{ranked[0]['id']}", nadia)
    (tmp_path / "nadia").mkdir()
    (tmp_path / "bruno").mkdir()
    nadias = _flat(" ".join(_pages(_pack(client, top["id"], nadia), tmp_path / "nadia")))
    theirs = {s["value"] for s in get(client, f"/api/entities/{RAWAND}", bruno)["statements"]}
    hidden = {_flat(v) for v in [*(s["value"] for s in top["statements"] if s["owner"] == "NCA"),
                                 *(r["label"] for r in ranked)]
              if len(v) >= 6 and not re.fullmatch(r"[\d\W]+", v) and v not in theirs}
    shown = {v for v in hidden if v in nadias}
    assert len(shown) >= 3  # the comparison can see a leak
    # ... is nowhere in the pack of the person bruno may see (Border Force's, shared).
    brunos = _flat(" ".join(_pages(_pack(client, RAWAND, bruno), tmp_path / "bruno")))
    assert "Rawand Aziz" in brunos
    assert [v for v in shown if v in brunos] == []


def test_no_purpose_no_pack_and_unknown_is_404(client: TestClient,
                                               nadia: dict[str, str]) -> None:
    silent = {k: v for k, v in nadia.items() if k != "X-Purpose"}
    _pack(client, RAWAND, silent, status=400, purpose=None)
    _pack(client, "no-such-person", nadia, status=404)
