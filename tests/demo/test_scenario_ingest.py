"""The small scenario ingests as promised, and its truth matches what the store holds."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

from builders import everyone
from scenario_helpers import Ingested

from pinchpoint.demo.corrupt import reason_class
from pinchpoint.demo.examples import load_manifest
from pinchpoint.demo.generate import Manifest
from pinchpoint.demo.names import ALIAS_FORMS, CROSS_SCRIPT_FORMS
from pinchpoint.demo.summary import lines, summarise
from pinchpoint.demo.truth import read_table

pytest_plugins = ["scenario_fixtures"]  # the session's scenario fixtures


def _truth(scenario: Manifest, name: str) -> list[dict[str, str]]:
    return read_table(scenario.out / "truth" / name)


def test_each_file_quarantines_what_the_manifest_says(scenario: Manifest,
                                                      ingested: Ingested) -> None:
    _, reports = ingested
    entries = load_manifest(scenario.out)
    wrong = [(e["file"], e["expect_quarantined"], r.quarantined)
             for e, r in zip(entries, reports, strict=True)
             if r.quarantined != e["expect_quarantined"]]
    assert wrong == [], "(file, planted, quarantined)"
    assert sum(r.quarantined for r in reports) == scenario.corruptions > 0
    for report in reports:
        assert report.batch.rows_read == report.batch.rows_stored + report.batch.rows_rejected


def test_quarantine_holds_exactly_the_planted_values(scenario: Manifest,
                                                     ingested: Ingested) -> None:
    workspace, _ = ingested
    with workspace.open_store(read_only=True) as store:
        items = store.quarantine(everyone(workspace))
    stored = Counter()
    for item in items:
        where = f"{item.file}#{item.locator}" if item.locator else f"{item.file}:{item.line}"
        if item.row_rejected:
            stored[(where, "", "", reason_class(item.reason), True)] += 1
        else:
            stored[(where, item.field or "", item.raw_value or "", reason_class(item.reason),
                    False)] += 1
    planted = Counter()
    for c in _truth(scenario, "corruptions.csv"):
        rejected = c["row_rejected"] == "true"
        key = (c["record"], "", "", c["reason"], True) if rejected else (
            c["record"], c["field"], c["raw_value"], c["reason"], False)
        planted[key] += 1
    assert "other" not in {k[3] for k in stored}, "a reason the generator does not plant"
    assert stored == planted
    assert len({k[3] for k in planted}) >= 3, "several kinds of bad value"


def test_truth_covers_every_record_the_store_holds(scenario: Manifest,
                                                   ingested: Ingested) -> None:
    workspace, _ = ingested
    with workspace.open_store(read_only=True) as store:
        where, params = everyone(workspace).sql()
        stored = {r[0] for r in store.con.execute(
            f"SELECT DISTINCT record FROM statements WHERE {where}", params).fetchall()}
    truth = {r["record"] for r in _truth(scenario, "records.csv")}
    assert stored - truth == set()
    assert len(stored) > 0.9 * scenario.records


def test_every_truth_reference_names_something_real(scenario: Manifest) -> None:
    known: set[str] = set()
    for name in ("persons.csv", "objects.csv", "groups.csv", "crossings.csv"):
        known |= {r["id"] for r in _truth(scenario, name)}
    payments = {p for r in _truth(scenario, "money.csv") for p in r["payments"].split(";")}
    known |= payments
    missing = Counter()
    for row in _truth(scenario, "records.csv"):
        truth_id = row["truth_id"]
        if truth_id not in known and not truth_id.startswith(("I", "L", "F")):
            missing[row["entity"]] += 1
    assert missing == Counter()


def test_victims_are_never_recorded_as_suspects(scenario: Manifest,
                                                ingested: Ingested) -> None:
    workspace, _ = ingested
    category = {r["id"]: r["category"] for r in _truth(scenario, "persons.csv")}
    who: dict[str, list[str]] = defaultdict(list)
    for row in _truth(scenario, "records.csv"):
        if row["entity"] in ("person", "user"):
            who[row["record"]].append(row["truth_id"])
    with workspace.open_store(read_only=True) as store:
        where, params = everyone(workspace).sql()
        rows = store.con.execute(
            f"SELECT record, value FROM statements WHERE {where} AND prop = 'personCategory'",
            params).fetchall()
    assert rows
    seen = Counter()
    for record, value in rows:
        people = who[record]
        assert len(people) == 1, record
        seen[(category[people[0]], value)] += 1
        if category[people[0]] == "victim":
            assert value in ("victim", "witness"), record
    assert seen[("victim", "witness")] > 0 and seen[("suspect", "suspect")] > 0


def test_names_carry_aliases_and_other_scripts(scenario: Manifest) -> None:
    forms = Counter(r["name_form"] for r in _truth(scenario, "records.csv") if r["name_form"])
    total = sum(forms.values())
    assert sum(forms[f] for f in CROSS_SCRIPT_FORMS) > 0.03 * total
    assert sum(forms[f] for f in ALIAS_FORMS) > 0.03 * total
    assert {"variant", "typo", "patronymic", "reordered", "partial"} <= set(forms)


def test_the_same_people_appear_in_several_agencies_records(scenario: Manifest) -> None:
    owner = {e["file"]: e["options"]["owner"] for e in load_manifest(scenario.out)}
    agencies: dict[str, set[str]] = defaultdict(set)
    for row in _truth(scenario, "records.csv"):
        if row["truth_id"].startswith("P"):
            agencies[row["truth_id"]].add(owner[row["file"]])
    assert sum(len(a) >= 3 for a in agencies.values()) >= 10


def test_money_and_supply_truth_point_at_records(scenario: Manifest) -> None:
    money = _truth(scenario, "money.csv")
    typologies = Counter(r["typology"] for r in money if r["records"])
    assert {"escrow_fee", "supplier_payment", "structuring"} <= set(typologies)
    records = {r["record"] for r in _truth(scenario, "records.csv")}
    for row in money + _truth(scenario, "supply_chains.csv"):
        assert all(r in records for r in row["records"].split(";") if r)
    chains = _truth(scenario, "supply_chains.csv")
    assert any(c["seizures"] for c in chains) and any(c["crossings"] for c in chains)


def test_summary_reads_the_scenario(scenario: Manifest, ingested: Ingested) -> None:
    workspace, _ = ingested
    summary = summarise(workspace, scenario.out)
    assert summary.quarantined == summary.expected_quarantine == scenario.corruptions
    assert summary.categories["suspect"] > 0 and summary.categories["witness"] > 0
    assert summary.passengers > 0 and summary.schemata["Payment"] > 0
    text = "\n".join(lines(summary))
    assert "as planted" in text and "Crossings:" in text


def test_posts_come_in_the_corridors_languages(scenario: Manifest) -> None:
    languages: Counter[str] = Counter()
    for entry in load_manifest(scenario.out):
        if entry["kind"] == "posts":
            with open(Path(scenario.out) / entry["file"], encoding="utf-8") as fh:
                languages.update(r["language"].lower()[:2] for r in csv.DictReader(fh))
    assert len(languages) >= 6, languages
