"""The scenario generator keeps its own promises: determinism, sizes, roles, boats."""

from __future__ import annotations

import csv
import math
import random
import statistics
from collections import Counter
from pathlib import Path

import phonenumbers
import pytest
from scenario_helpers import SEED, folder_hashes

from pinchpoint.demo.config import SIZES, YACHT_PASSENGERS, role_counts
from pinchpoint.demo.context import PassengerBand
from pinchpoint.demo.examples import load_manifest, read_manifest
from pinchpoint.demo.generate import Manifest, ScenarioError, generate
from pinchpoint.demo.names import SCRIPT, make_name, render, typo
from pinchpoint.demo.names_data import POOLS
from pinchpoint.demo.phones import PLANS, PhoneBook, national, spaced
from pinchpoint.demo.truth import read_table
from pinchpoint.demo.writers import ARRESTS, ARRESTS_MAPPING, LAYOUTS
from pinchpoint.ingest.mapping import builtin_mapping, parse_mapping

pytest_plugins = ["scenario_fixtures"]  # the session's scenario fixtures

SMALL_BOATS = Path(__file__).resolve().parents[3] / "shared" / "data" / "small_boats"
MEMBER_ROLES = set(role_counts(SIZES["small"]))


def test_same_seed_gives_byte_identical_output(scenario: Manifest, tmp_path: Path) -> None:
    again = generate("small", SEED, tmp_path / "again")
    assert folder_hashes(again.out) == folder_hashes(scenario.out)


def test_another_seed_gives_another_scenario(scenario: Manifest, tmp_path: Path) -> None:
    other = generate("small", SEED + 1, tmp_path / "other")
    theirs, ours = folder_hashes(other.out), folder_hashes(scenario.out)
    assert theirs["truth/persons.csv"] != ours["truth/persons.csv"]
    assert theirs["manifest.yaml"] != ours["manifest.yaml"]


def test_refuses_a_folder_that_holds_something_else(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ScenarioError, match="not empty"):
        generate("small", 1, tmp_path)
    with pytest.raises(ScenarioError, match="unknown size"):
        generate("huge", 1, tmp_path / "x")


def test_small_has_about_five_thousand_records(scenario: Manifest) -> None:
    target = SIZES["small"].target_records
    assert 0.6 * target <= scenario.records <= 1.4 * target, scenario.records
    kinds = {e.kind for e in scenario.entries}
    assert kinds == {"ledger", "seizures", "crossings", "posts", "table", "phone",
                     "document", "ftm", "purchases", "imports", "storage", "vehicle_checks"}


def test_manifest_lists_every_source_file(scenario: Manifest) -> None:
    entries = load_manifest(scenario.out)
    listed = {e["file"] for e in entries}
    mappings = {e["options"]["mapping"] for e in entries if "mapping" in e["options"]}
    on_disk = {str(p.relative_to(scenario.out)) for p in (scenario.out / "sources").rglob("*")
               if p.is_file()}
    assert on_disk == listed | mappings
    labels = [Path(f).name for f in listed]
    assert len(labels) == len(set(labels)), "file names must be unique (records use them)"
    meta = read_manifest(scenario.out)["scenario"]
    assert meta["records"] == scenario.records == sum(e["records"] for e in entries)
    for entry in entries:
        options = entry["options"]
        assert options["owner"] and options["grading"] in ("uk", "nato", "europol")
        if options["handling"] in ("C", "H3"):
            assert options["conditions"]


def test_role_and_group_counts_are_as_configured(scenario: Manifest) -> None:
    size = SIZES["small"]
    persons = read_table(scenario.out / "truth" / "persons.csv")
    roles = Counter(p["role"] for p in persons)
    assert {r: roles[r] for r in MEMBER_ROLES} == role_counts(size)
    assert roles["broker"] == size.brokers
    groups = read_table(scenario.out / "truth" / "groups.csv")
    assert len(groups) == size.groups == scenario.groups
    members = [p for p in persons if p["role"] in MEMBER_ROLES]
    assert sum(len(p["groups"].split(";")) == 2 for p in members) == size.dual_members
    by_id = {p["id"]: p for p in persons}
    for group in groups:
        assert by_id[group["kingpin"]]["role"] == "kingpin"
        assert all(group["id"] in by_id[m]["groups"] for m in group["members"].split(";"))


def test_migrants_are_victims_and_members_suspects(scenario: Manifest) -> None:
    persons = read_table(scenario.out / "truth" / "persons.csv")
    for p in persons:
        if p["role"] in ("migrant", "pilot"):
            assert p["category"] == "victim", p
        elif p["role"] in MEMBER_ROLES or p["role"] == "broker":
            assert p["category"] == "suspect", p
        else:
            assert (p["role"], p["category"]) == ("relative", "other"), p
    assert any(p["role"] == "pilot" for p in persons)


def _official_band() -> tuple[int, int, dict[int, float]]:
    """The dinghy band from the official figures, read here independently."""
    with open(SMALL_BOATS / "yearly.csv", encoding="utf-8") as fh:
        means = {int(r["n_year"]): float(r["migrants_per_boat"]) for r in csv.DictReader(fh)}
    years = {y: means[y] for y in (2024, 2025, 2026)}
    return (math.floor(0.85 * min(years.values())), math.ceil(1.03 * max(years.values())),
            years)


def test_passenger_counts_follow_the_official_figures(scenario: Manifest) -> None:
    if not SMALL_BOATS.is_dir():
        pytest.skip("../shared/data/small_boats is absent")
    low, high, means = _official_band()
    assert (low, high) == scenario.band == (45, 70)
    crossings = read_table(scenario.out / "truth" / "crossings.csv")
    dinghies = [c for c in crossings if c["vessel_kind"] == "inflatable dinghy"]
    assert len(dinghies) > 50
    for c in crossings:
        lo, hi = (low, high) if c in dinghies else YACHT_PASSENGERS
        assert lo <= int(c["passengers"]) <= hi, c
    by_year: dict[int, list[int]] = {}
    for c in dinghies:
        by_year.setdefault(int(c["date"][:4]), []).append(int(c["passengers"]))
    for year, counts in by_year.items():
        assert abs(statistics.mean(counts) - means[year]) < 5, (year, statistics.mean(counts))
    # ... and the crossing logs themselves (every row but the deliberately corrupted).
    corrupted = {r["record"] for r in read_table(scenario.out / "truth" / "corruptions.csv")}
    for entry in load_manifest(scenario.out):
        if entry["kind"] != "crossings":
            continue
        path = scenario.out / entry["file"]
        with open(path, encoding="utf-8") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                if f"{path.name}:{line}" in corrupted or not row["passengers"]:
                    continue
                lo, hi = YACHT_PASSENGERS if row["vessel_type"] == "sailing yacht" else (
                    low, high)
                assert lo <= int(row["passengers"]) <= hi, (path.name, line, row)


def test_band_falls_back_without_the_data_folder(tmp_path: Path) -> None:
    band = PassengerBand.load(tmp_path / "missing.csv")
    assert (band.low, band.high, band.source) == (45, 70, "built-in")
    rng = random.Random(1)
    assert all(45 <= band.draw(rng, 2025) <= 70 for _ in range(1000))


def test_every_layout_writes_the_columns_its_mapping_reads() -> None:
    for kind in ("ledger", "seizures", "crossings", "posts"):
        mapping = parse_mapping(builtin_mapping(kind), origin=kind)
        assert set(LAYOUTS[kind].header) == mapping.columns(), kind
    import yaml

    for dob in ("", ', format: "%d/%m/%Y"'):
        spec = yaml.safe_load(ARRESTS_MAPPING.format(dob=dob))
        assert set(ARRESTS) == parse_mapping(spec, origin="arrests").columns()


def test_phone_plans_give_valid_distinct_numbers() -> None:
    book = PhoneBook(offset=977)
    seen = set()
    for country in PLANS:
        for _ in range(300):
            phone = book.new(country)
            assert phone.e164 not in seen
            seen.add(phone.e164)
            parsed = phonenumbers.parse(phone.e164)
            assert phonenumbers.is_valid_number(parsed), phone
            assert phonenumbers.parse(spaced(phone)) == parsed
            region = phonenumbers.region_code_for_number(parsed).lower()
            if country in ("gb", "fr"):
                assert phonenumbers.parse(national(phone), region.upper()) == parsed


def test_names_come_in_every_form() -> None:
    rng = random.Random(5)
    for origin in POOLS:
        for gender in ("m", "f"):
            name = make_name(rng, origin, gender, alias_rate=1, nickname_rate=1)
            assert name.canonical() and all(name.aliases())
    kurdish = make_name(rng, "kurdish", "m")
    assert kurdish.in_script() is not None
    from pinchpoint.demo.names import Style

    forms = Counter(render(rng, kurdish, Style(script=0.5))[1] for _ in range(200))
    assert forms[SCRIPT] > 50
    assert typo(rng, "Rebwar Ahmed") != "Rebwar Ahmed"


def test_the_money_goes_up_to_the_kingpin_who_pays_his_lieutenants(scenario: Manifest
                                                                  ) -> None:
    """Collectors send the boss's share of released fees up to the kingpin, and the
    kingpin pays his lieutenants a cut (demo/money.py, `profit` and `salary`)."""
    truth = scenario.out / "truth"
    groups = {g["id"]: g for g in read_table(truth / "groups.csv")}
    roles = {p["id"]: p["role"] for p in read_table(truth / "persons.csv")}
    seen: Counter[str] = Counter()
    for row in read_table(truth / "money.csv"):
        if row["typology"] not in ("profit", "salary"):
            continue
        payer, payee = row["persons"].split(";")[:2]
        kingpin = groups[row["groups"]]["kingpin"]
        if row["typology"] == "profit":
            assert payee == kingpin and roles[payer] in ("lieutenant", "recruiter"), row
        else:
            assert payer == kingpin and roles[payee] == "lieutenant", row
        seen[row["typology"]] += 1
    assert seen["profit"] >= 20 and seen["salary"] >= 20, seen


def test_calls_between_a_superior_and_a_subordinate_mostly_start_above(
        scenario: Manifest) -> None:
    """In seized suspects' phones, of the calls between a member and the kingpin or a
    lieutenant of their group, most are started by the one above (phone_dump.ORDERS)."""
    truth = scenario.out / "truth"
    people = {p["id"]: p for p in read_table(truth / "persons.csv")}
    rank = {"kingpin": 0, "lieutenant": 1}
    ends: dict[tuple[str, str], dict[str, str]] = {}
    for row in read_table(truth / "records.csv"):
        if "#/calls/" in row["record"] and row["entity"] in ("caller", "receiver"):
            ends.setdefault((row["file"], row["record"]), {})[row["entity"]] = row["truth_id"]
    above = below = 0
    for call in ends.values():
        caller, receiver = people.get(call.get("caller", "")), people.get(
            call.get("receiver", ""))
        if not caller or not receiver or caller["category"] != "suspect" or \
                receiver["category"] != "suspect" or \
                not set(caller["groups"].split(";")) & set(receiver["groups"].split(";")):
            continue
        a, b = rank.get(caller["role"], 2), rank.get(receiver["role"], 2)
        above += a < b
        below += a > b
    assert above + below >= 50 and above / (above + below) >= 0.65, (above, below)
