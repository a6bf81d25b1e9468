"""Bringing a table in from the browser (issue 18): a call-data CSV from upload, through
a mapping built in the editor (two Persons and a Call), to an ingest whose bad date is
in the quarantine list with its reason, and the busiest caller at the top of the
network; and every kind ingested from the Ingest page, whose Kind control offers only
the kinds the server accepts. Each test works as an agency of its own, so the rest of
the browser tests see the workspace as it was."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

from api_world import PASSWORD
from builders import FTM_ENTITIES, LAYOUTS, write_jsonl, write_layout
from test_workbench import log_in

from pinchpoint.access import directory
from pinchpoint.ingest.kinds import KINDS
from pinchpoint.ingest.mapping import load_mapping

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
FIRST = ["Amanj", "Rebin", "Karwan", "Dilan", "Soran", "Hemin", "Shirin", "Zana", "Aram",
         "Bawan", "Daryan", "Goran", "Hawre", "Kawa", "Lana", "Nawzad", "Peshawa", "Rawand",
         "Sardar", "Twana"]
LAST = ["Aziz", "Rasul", "Omar", "Hama", "Kaya", "Jalal", "Karimi", "Ahmadi", "Salih",
        "Mahmud"]
HUB = ("+447824746900", "Dilshad Barzani")
BAD_DATE = "31/02/2024 25:61"


def _join(world: Any, user: str, agency: str) -> None:
    """A user of an agency of their own (the app holds the store; this process joins
    the same database)."""
    with world.workspace.open_store() as store:
        if user not in {r.user for r in directory.users(store.con)}:
            directory.add_agency(store.con, agency)
            directory.add_user(store.con, user, agency, "analyst", "SECRET", PASSWORD)


def call_records(folder: Path) -> Path:
    """276 calls between 100 numbers, 80 of them made by one caller; one bad date."""
    rnd = random.Random(18)
    people = [(f"+4478247{47000 + i:05d}", f"{FIRST[i % 20]} {LAST[i // 10]}")
              for i in range(99)]
    lines = ["caller_number,caller_name,callee_number,callee_name,time,duration"]
    for k in range(276):
        a, b = (HUB, people[k % 99]) if k < 80 else tuple(rnd.sample(people, 2))
        when = BAD_DATE if k == 40 else f"{k % 28 + 1:02d}/03/2024 {k % 24:02d}:{k % 60:02d}"
        lines.append(f"{a[0]},{a[1]},{b[0]},{b[1]},{when},{30 + k % 600}")
    path = folder / "calls.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _entity(page: Any, name: str, schema: str, keys: list[str]) -> Any:
    page.get_by_test_id("mapping-add-entity").click()
    page.get_by_test_id("mapping-entity").last.get_by_test_id("mapping-entity-name").fill(name)
    entity = page.locator(f"[data-testid=mapping-entity][data-name={name}]")
    entity.get_by_test_id("mapping-entity-schema").fill(schema)
    for key in keys:
        entity.locator(f"[data-testid=mapping-entity-key][data-column={key}]").check()
    return entity


def _property(entity: Any, prop: str, column: str | None = None, target: str | None = None,
              date_format: str | None = None) -> None:
    entity.get_by_test_id("mapping-add-property").click()
    entity.get_by_test_id("mapping-property").last.get_by_test_id(
        "mapping-property-name").select_option(prop)
    row = entity.locator(f"[data-testid=mapping-property][data-prop={prop}]")
    if column:
        row.get_by_test_id("mapping-property-column").select_option(column)
    if target:
        row.get_by_test_id("mapping-property-entity").select_option(target)
    if date_format:
        row.get_by_test_id("mapping-property-format").fill(date_format)


def test_call_records_from_upload_to_the_network(web_world: Any, base_url: str,
                                                 offline: Any, tmp_path: Path,
                                                 screenshot: Any) -> None:
    _join(web_world, "kai", "KENT-POLICE")
    page = offline().page
    log_in(page, base_url, "kai")
    page.get_by_test_id("nav-ingest").click()
    page.get_by_test_id("ingest-file").set_input_files(str(call_records(tmp_path)))
    page.get_by_test_id("ingest-detected-kind").wait_for()
    assert page.get_by_test_id("ingest-kind").input_value() == "table"
    chips = page.get_by_test_id("mapping-suggestion")
    chips.first.wait_for()
    offered = {c.get_attribute("data-column"): c.inner_text() for c in chips.all()}
    assert "Person.phone" in offered["caller_number"] and "Call.date" in offered["time"]

    page.get_by_test_id("mapping-start-empty").click()
    caller = _entity(page, "caller", "Person", ["caller_number"])
    _property(caller, "name", column="caller_name")
    _property(caller, "phone", column="caller_number")
    callee = _entity(page, "callee", "Person", ["callee_number"])
    _property(callee, "name", column="callee_name")
    _property(callee, "phone", column="callee_number")
    call = _entity(page, "call", "Call", ["caller_number", "callee_number", "time"])
    _property(call, "caller", target="caller")
    _property(call, "receiver", target="callee")
    _property(call, "date", column="time", date_format="%d/%m/%Y %H:%M")
    _property(call, "duration", column="duration")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=preview-entity]').length > 0 && "
        "/Call/.test(document.querySelector('[data-testid=mapping-preview]').textContent)")
    preview = page.get_by_test_id("mapping-preview").inner_text()
    assert "Dilshad Barzani" in preview and "Call" in preview
    yaml = page.get_by_test_id("mapping-yaml").input_value()
    assert "schema: \"Call\"" in yaml and "entity: \"caller\"" in yaml
    page.evaluate("() => { document.activeElement?.blur(); document.querySelector("
                  "'[data-testid=mapping-editor]').scrollIntoView({block: 'start'}); }")
    screenshot(page, "ingest-mapping.png")

    page.get_by_test_id("mapping-save-name").fill("kent-cdr")
    page.get_by_test_id("mapping-save").click()
    page.wait_for_function("() => /kent-cdr/.test(document.querySelector("
                           "'[data-testid=mapping-saved]').textContent)")
    with page.expect_download() as download:
        page.get_by_test_id("mapping-download").click()
    saved = load_mapping(download.value.path())
    assert [e.schema for e in saved.entities] == ["Person", "Person", "Call"]

    page.get_by_test_id("ingest-submit").click()
    page.get_by_test_id("ingest-batch-counts").wait_for(timeout=30_000)
    read = page.get_by_test_id("ingest-count-rows_read").get_attribute("data-value")
    stored = page.get_by_test_id("ingest-count-rows_stored").get_attribute("data-value")
    assert read == stored == "276"
    rows = page.get_by_test_id("ingest-quarantine").get_by_test_id("quarantine-row")
    rows.first.wait_for()
    (bad,) = [r for r in rows.all() if BAD_DATE in r.inner_text()]
    assert bad.get_attribute("data-field") == "time"
    assert "Call.date: not a date" in bad.inner_text()

    page.get_by_test_id("ingest-resolve").click()
    page.wait_for_function("() => /Resolved/.test(document.querySelector("
                           "'[data-testid=ingest-resolve-status]').textContent)",
                           timeout=60_000)
    page.get_by_test_id("ingest-open-network").click()
    nodes = page.get_by_test_id("network-node-item")
    nodes.first.wait_for(timeout=30_000)
    assert HUB[1] in nodes.first.inner_text()  # the busiest caller ranks first


def _file_for(kind: str, folder: Path) -> Path:
    if kind in LAYOUTS:
        return write_layout(folder, kind)
    if kind == "ftm":
        return write_jsonl(folder / "entities.jsonl", FTM_ENTITIES)
    return EXAMPLES / {"table": "people.csv", "phone": "phone_extraction.json",
                       "document": "case_report.txt", "ufdr": "phone_report.xml",
                       "vcard": "contacts.vcf"}[kind]


def test_every_kind_from_the_ingest_page(web_world: Any, base_url: str, offline: Any,
                                         tmp_path: Path) -> None:
    _join(web_world, "sam", "SUSSEX-POLICE")
    page = offline().page
    log_in(page, base_url, "sam")
    page.get_by_test_id("nav-ingest").click()
    control = page.get_by_test_id("ingest-kind")
    control.locator("option[value=ledger]").wait_for(state="attached")
    offered = [o for o in control.locator("option").evaluate_all(
        "els => els.map(e => e.value)") if o]
    assert offered == list(KINDS)
    for kind in KINDS:
        page.get_by_test_id("ingest-file").set_input_files(str(_file_for(kind, tmp_path)))
        # picked from the file: its header, extension or first bytes
        page.locator(f"[data-testid=ingest-detected-kind][data-kind={kind}]").wait_for()
        assert control.input_value() == kind
        if kind == "table":
            page.get_by_test_id("mapping-start-suggested").click()
            page.get_by_test_id("preview-entity").first.wait_for()
        page.get_by_test_id("ingest-submit").click()
        page.wait_for_function(
            "k => { const b = document.querySelector('[data-testid=ingest-batch]'); "
            "return b && JSON.parse(b.textContent).kind === k; }", arg=kind, timeout=30_000)
        stored = int(page.get_by_test_id("ingest-count-rows_stored").get_attribute(
            "data-value") or 0)
        assert stored > 0, kind
    assert not re.search(r"Traceback|Internal Server Error", page.content())


def test_a_large_table_is_previewed_from_its_first_megabyte(web_world: Any, base_url: str,
                                                            offline: Any,
                                                            tmp_path: Path) -> None:
    """The first look and each preview send the file's first megabyte, not all of it;
    the ingest sends it whole."""
    _join(web_world, "kai", "KENT-POLICE")
    big = tmp_path / "big.csv"
    row = ",".join(["+447824747001", "Rebin Aziz", "+447824747002", "Karwan Omar",
                    "01/03/2024 10:00", "60", "x" * 200])
    big.write_text("caller_number,caller_name,callee_number,callee_name,time,duration,note\n"
                   + "\n".join([row] * 12_000) + "\n", encoding="utf-8")
    assert big.stat().st_size > 3_000_000
    page = offline().page
    sent: list[int] = []
    page.on("request", lambda r: sent.append(len(r.post_data_buffer or b""))
            if "/api/ingest/" in r.url else None)
    log_in(page, base_url, "kai")
    page.get_by_test_id("nav-ingest").click()
    page.get_by_test_id("ingest-file").set_input_files(str(big))
    page.get_by_test_id("preview-entity").first.wait_for(timeout=30_000)
    assert sent and max(sent) < 1_100_000
    assert page.get_by_test_id("mapping-sample").locator("tbody tr").count() == 20
