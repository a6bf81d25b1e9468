"""Truth ids for stored Person entities, and the cluster scores computed against them."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from scenario_helpers import Ingested

from pinchpoint.demo.generate import Manifest
from pinchpoint.demo.summary import demo_scope
from pinchpoint.demo.truth import read_table
from pinchpoint.demo.truth_map import (
    Scores,
    TruthMap,
    bcubed,
    normalise,
    pairwise_scores,
    person_truth,
)
from pinchpoint.store.records import Statement
from pinchpoint.store.scope import Scope

pytest_plugins = ["scenario_fixtures"]  # the session's scenario fixtures

# Five items, two true persons: a, b, c are X; d, e are Y.
TRUTH = {"a": "X", "b": "X", "c": "X", "d": "Y", "e": "Y"}


def _close(scores: Scores, expected: tuple[float, float, float]) -> bool:
    return all(got == pytest.approx(want) for got, want in zip(scores, expected, strict=True))


def test_perfect_clustering_scores_one() -> None:
    predicted = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"}
    assert _close(pairwise_scores(predicted, TRUTH), (1, 1, 1))
    assert _close(bcubed(predicted, TRUTH), (1, 1, 1))


def test_singletons_score_full_precision_and_no_pairwise_recall() -> None:
    predicted = {k: k for k in TRUTH}
    # No predicted pair: nothing wrongly merged, all 4 true pairs missed.
    assert _close(pairwise_scores(predicted, TRUTH), (1, 0, 0))
    # B-cubed recall: a, b, c each 1/3, d, e each 1/2 -> (1 + 1) / 5.
    assert _close(bcubed(predicted, TRUTH), (1, 0.4, 2 * 0.4 / 1.4))
    # An item the prediction leaves out is its own cluster, whatever its id.
    assert bcubed({}, TRUTH) == bcubed(predicted, TRUTH)


def test_one_false_merge_and_one_split_by_hand() -> None:
    # Clusters {a, b}, {c, d, e}: a, b right; c with Y wrongly; X split.
    predicted = {"a": "1", "b": "1", "c": "2", "d": "2", "e": "2"}
    # Predicted pairs ab, cd, ce, de = 4, correct ab, de = 2; true pairs ab ac bc de = 4.
    assert _close(pairwise_scores(predicted, TRUTH), (0.5, 0.5, 0.5))
    # Precision per item: a, b 2/2; c 1/3; d, e 2/3 -> (1 + 1 + 1/3 + 2/3 + 2/3) / 5.
    # Recall per item: a, b 2/3; c 1/3; d, e 2/2 -> (2/3 + 2/3 + 1/3 + 1 + 1) / 5.
    p, r = (11 / 3) / 5, (11 / 3) / 5
    assert _close(bcubed(predicted, TRUTH), (p, r, p))


def test_everything_in_one_cluster() -> None:
    predicted = dict.fromkeys(TRUTH, "all")
    # 10 predicted pairs, 4 correct; every true pair found.
    assert _close(pairwise_scores(predicted, TRUTH), (0.4, 1, 2 * 0.4 / 1.4))
    # Precision: a, b, c 3/5; d, e 2/5 -> 13/25; recall 1.
    assert _close(bcubed(predicted, TRUTH), (13 / 25, 1, 2 * 0.52 / 1.52))


def test_items_without_truth_are_left_out() -> None:
    predicted = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "2", "z": "1", "w": "2"}
    assert _close(pairwise_scores(predicted, TRUTH), (1, 1, 1))
    assert _close(bcubed(predicted, TRUTH), (1, 1, 1))
    assert bcubed({}, {}) == (1.0, 1.0, 1.0)


def _brute_force(predicted: dict[str, str], truth: dict[str, str]) -> tuple[Scores, Scores]:
    items = sorted(truth)
    pred = {i: predicted.get(i, "only " + i) for i in items}
    pairs = [(a, b) for n, a in enumerate(items) for b in items[n + 1:]]
    same_pred = {p for p in pairs if pred[p[0]] == pred[p[1]]}
    same_true = {p for p in pairs if truth[p[0]] == truth[p[1]]}
    p = len(same_pred & same_true) / len(same_pred) if same_pred else 1.0
    r = len(same_pred & same_true) / len(same_true) if same_true else 1.0
    bp = sum(sum(1 for j in items if pred[j] == pred[i] and truth[j] == truth[i])
             / sum(1 for j in items if pred[j] == pred[i]) for i in items) / len(items)
    br = sum(sum(1 for j in items if pred[j] == pred[i] and truth[j] == truth[i])
             / sum(1 for j in items if truth[j] == truth[i]) for i in items) / len(items)
    return (Scores(p, r, 2 * p * r / (p + r) if p + r else 0.0),
            Scores(bp, br, 2 * bp * br / (bp + br)))


def test_scores_agree_with_counting_every_pair_and_item() -> None:
    rng = random.Random(7)
    for _ in range(200):
        items = [f"e{i}" for i in range(rng.randrange(1, 15))]
        truth = {i: rng.choice("XYZW") for i in items if rng.random() < 0.9}
        predicted = {i: rng.choice(["e0", "e1", "c"]) for i in items if rng.random() < 0.8}
        if not truth:
            continue
        pairwise, b3 = _brute_force(predicted, truth)
        assert _close(pairwise_scores(predicted, truth), pairwise)
        assert _close(bcubed(predicted, truth), b3)


def test_names_compare_folded() -> None:
    assert normalise("  Rebin\u00a0HAMA   ali ") == "rebin hama ali"
    assert normalise("ﻋﻠﻲ") == normalise("علي")  # presentation forms fold to letters


class FakeStore:
    """Just the read the truth map uses: statements grouped by entity."""

    def __init__(self, entities: dict[str, list[tuple[str, str, str]]]) -> None:
        self.entities = entities

    def iter_entities(self, scope: Scope, chunk: int = 50_000) -> Iterator[list[Statement]]:
        now = datetime(2024, 5, 1)
        for entity_id, rows in sorted(self.entities.items()):
            yield [Statement("s", entity_id, "Person", prop, value, None, None, "src", record,
                             "NCA", "2", "B", "2B", "P", None, "OFFICIAL", now, now, "b")
                   for prop, value, record in [("id", entity_id, rows[0][2]), *rows]]


def _scenario(tmp_path: Path) -> Path:
    (tmp_path / "truth").mkdir()
    (tmp_path / "truth" / "records.csv").write_text(
        "file,record,entity,truth_id,name_form,as_written\n"
        "f,call:1,caller,P1,,\n"          # a call: two parties, no names
        "f,call:1,receiver,P2,,\n"
        "f,contact:7,contact,P3,canonical,Do Huu Cuong\n"  # the user's namesake
        "f,row:1,sender,P4,variant,Rebin  ALI\n"  # a ledger row: names
        "f,row:1,receiver,P5,canonical,Kawa Aziz\n"
        "f,row:1,payment,M1-1,,\n"
        "f,row:2,sender,P4,canonical,Rebin Ali\n"
        "f,row:2,receiver,P6,canonical,Soran Taxi\n"
        "f,boat:1,pilot,P7,partial,Hemn\n"  # one first name, two pilots
        "f,boat:2,pilot,P8,partial,Hemn\n", encoding="utf-8")
    (tmp_path / "truth" / "persons.csv").write_text(
        "id,name,name_script,gender,birth_date,nationality,role,category,groups,country,"
        "city,phones,aliases\n" + "".join(
            f"{p},n,,m,,iq,migrant,victim,,iq,,{phones},\n"
            for p, phones in [("P1", "+441"), ("P2", "+442"), ("P3", "+443"), ("P4", ""),
                              ("P5", ""), ("P6", ""), ("P7", ""), ("P8", "")]),
        encoding="utf-8")
    return tmp_path


def test_records_narrowed_by_name_then_number_and_voted(tmp_path: Path) -> None:
    store = FakeStore({
        # A handset's user: in a call (told by number) and, through its contact link,
        # in the record of a namesake contact whose number differs (not the user).
        "user": [("name", "Do Huu Cuong", "device"), ("phone", "+442", "device"),
                 ("id", "user", "call:1"), ("id", "user", "contact:7")],
        # A ledger sender in two rows, told by name (case and spacing folded).
        "sender": [("name", "Rebin Ali", "row:1"), ("name", "Rebin Ali", "row:2")],
        # Known only by number: the caller.
        "number": [("phone", "+441", "call:1")],
        # A first name that stands for two pilots, one record each: a tie.
        "hemn": [("name", "Hemn", "boat:1"), ("name", "Hemn", "boat:2")],
        # In no record the truth knows.
        "stray": [("name", "Nobody", "elsewhere:1")],
    })
    result = person_truth(store, Scope.owner("NCA"), _scenario(tmp_path))
    assert result.mapping == {"user": "P2", "sender": "P4", "number": "P1"}
    assert (result.entities, result.unmapped, result.ambiguous) == (5, 1, 1)
    assert result.coverage == pytest.approx(3 / 5)
    assert result.names["sender"] == ("Rebin Ali",)


@pytest.fixture(scope="module")
def truth_map(scenario: Manifest, ingested: Ingested) -> TruthMap:
    workspace, _ = ingested
    scope, _ = demo_scope(workspace, scenario.out)
    with workspace.open_store(read_only=True) as store:
        return person_truth(store, scope, scenario.out)


def test_nearly_every_person_entity_gets_a_truth_id(truth_map: TruthMap) -> None:
    assert truth_map.entities > 1000
    assert truth_map.coverage >= 0.95
    assert truth_map.entities == (len(truth_map.mapping) + truth_map.unmapped
                                  + truth_map.ambiguous)
    assert all(t.startswith("P") for t in truth_map.mapping.values())
    assert truth_map.conflicting <= 0.01 * truth_map.entities


@pytest.fixture(scope="module")
def person_records(scenario: Manifest, ingested: Ingested) -> dict[str, set[str]]:
    """Person entity id -> the records it has statements in."""
    workspace, _ = ingested
    scope, _ = demo_scope(workspace, scenario.out)
    out: dict[str, set[str]] = {}
    with workspace.open_store(read_only=True) as store:
        for statements in store.iter_entities(scope):
            if statements[0].schema == "Person":
                out[statements[0].entity_id] = {s.record for s in statements}
    return out


def _roles(scenario: Manifest, role: str) -> dict[str, str]:
    """record -> the truth id in that role there."""
    return {r["record"]: r["truth_id"]
            for r in read_table(scenario.out / "truth" / "records.csv") if r["entity"] == role}


def test_a_handset_user_spanning_many_records_maps_to_its_owner(
        scenario: Manifest, person_records: dict[str, set[str]], truth_map: TruthMap) -> None:
    """The user of an extracted phone is one entity in its calls, messages and contacts;
    the other party of each is named in the truth too, and the device row says who the
    user is."""
    users = _roles(scenario, "user")
    checked = 0
    for entity_id, records in person_records.items():
        device = next((r for r in records if r in users), None)
        if device is not None and len(records) >= 20:
            assert truth_map.mapping.get(entity_id) == users[device], device
            checked += 1
    assert checked >= 5, "several handset users span many records"


def test_a_ledger_party_in_many_rows_maps_to_the_person_common_to_them(
        scenario: Manifest, person_records: dict[str, set[str]], truth_map: TruthMap) -> None:
    """A sender or receiver is one entity per ledger (keyed by name and number); where a
    single true person is party to every row it is in, that is who it stands for."""
    parties: dict[str, set[str]] = {}
    for r in read_table(scenario.out / "truth" / "records.csv"):
        if r["entity"] in ("sender", "receiver") and "_ledger_" in r["record"]:
            parties.setdefault(r["record"], set()).add(r["truth_id"])
    checked = 0
    for entity_id, records in person_records.items():
        if len(records) < 3 or not records <= parties.keys():
            continue
        common = set.intersection(*(parties[r] for r in records))
        if len(common) == 1:
            assert truth_map.mapping.get(entity_id) == common.pop()
            checked += 1
    assert checked >= 20
