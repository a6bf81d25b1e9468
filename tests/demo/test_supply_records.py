"""The scenario's supply records (demo/supply_records.py): each layout writes the
columns its built-in mapping reads, the truth's links point at rows that name the
item's serial (a mistyped few aside), and the supply stage finds them."""

from __future__ import annotations

import csv
from pathlib import Path

from scenario_helpers import Ingested

from pinchpoint.demo.generate import Manifest
from pinchpoint.demo.summary import demo_scope
from pinchpoint.demo.supply_records import SUPPLY_LAYOUTS
from pinchpoint.demo.truth import read_table
from pinchpoint.ingest.mapping import builtin_layout
from pinchpoint.supply import chains, link, serial_key

pytest_plugins = ["scenario_fixtures"]  # the session's scenario fixtures


def test_every_supply_layout_writes_the_columns_its_mapping_reads() -> None:
    for kind, layout in SUPPLY_LAYOUTS.items():
        assert set(layout.header) == builtin_layout(kind, kind).columns(), kind


def _rows(out: Path) -> dict[str, dict[str, str]]:
    rows = {}
    for path in (out / "sources").rglob("*.csv"):
        with open(path, encoding="utf-8", newline="") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                rows[f"{path.name}:{line}"] = row
    return rows


def test_true_links_point_at_rows_naming_the_items_serial(scenario: Manifest) -> None:
    serials = {o["id"]: o["description"].rsplit(" ", 1)[-1]
               for o in read_table(scenario.out / "truth" / "objects.csv")
               if o["kind"] in ("boat", "engine")}
    rows = _rows(scenario.out)
    links = read_table(scenario.out / "truth" / "supply_links.csv")
    assert {t["kind"] for t in links} == {"purchase", "import", "storage", "transport",
                                          "handler"}
    checked = agree = 0
    for true in links:
        for record in true["records"].split(";"):
            checked += 1
            agree += serial_key(rows[record]["serial_number"]) == serial_key(
                serials[true["item"]])
    assert checked and agree / checked > 0.95  # about 2% are written with a digit mistyped


def test_the_stage_links_the_seized_items_records(scenario: Manifest, ingested: Ingested
                                                  ) -> None:
    workspace, _ = ingested
    scope, _ = demo_scope(workspace, scenario.out)
    with workspace.open_store(read_only=True) as store:
        found = chains(link(store, scope))
    refs = {(r["record"], r["entity"]): r["truth_id"]
            for r in read_table(scenario.out / "truth" / "records.csv")}
    linked = {(refs[(s.record, "item")], x.kind, refs[(x.record, x.kind)])
              for c in found for s in c.seizures for x in c.links if x.kind != "other"}
    true = {(t["item"], t["kind"], t["target"])
            for t in read_table(scenario.out / "truth" / "supply_links.csv")
            if t["kind"] != "handler"}
    seized = {item for item, _, _ in linked}
    wanted = {t for t in true if t[0] in seized}
    assert linked and len(linked & wanted) / len(wanted) > 0.9
    assert linked <= true
