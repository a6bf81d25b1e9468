"""``name_score`` is exactly ``compare_names().score``, and search finds the same with it.

Search scores up to 80 candidate names per query; building each comparison's explanation
(pairs, extras, penalties, display strings) was most of that cost, so search and
``score_pair`` use the score-only path. Search results are ranked and compared by these
floats, so "close" is not enough: every pair of a broad corpus must give the same float
(``==``), under the shipped config and under a modified one (the part caches are keyed
by config).
"""

from __future__ import annotations

import csv
import importlib
import itertools
import pickle
import random
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from resolve_helpers import Resolved

from pinchpoint.api import cache as api_cache
from pinchpoint.api import search
from pinchpoint.demo.names import (
    INTEL,
    LEDGER_EU,
    LEDGER_KRG,
    PILOT,
    PLAIN,
    POLICE,
    make_name,
    render,
)
from pinchpoint.demo.names_data import POOLS
from pinchpoint.resolve.names import (
    DEFAULT_CONFIG,
    analyse,
    compare_names,
    name_score,
    score_pair,
)

pytestmark = pytest.mark.duckdb_only("the session's resolved small scenario is a "
                                     "DuckDB folder; the name tests need no store")
pytest_plugins = ["resolve_fixtures"]

ROOT = Path(__file__).resolve().parents[2]
align_module = importlib.import_module("pinchpoint.resolve.names.align")
Pair = tuple[str, str, str | None]

ORGS = [
    "Westminster Management Company Ltd", "Management Company", "Westminster Management Co",
    "Exxon Mobil Corporation", "Exxor Mobil Corp", "ExxonMobil", "Gazprom PAO",
    "Gazprom Neft PJSC", "Royal Bank of Scotland plc", "RBS", "Bank of Scotland",
    "Vanderbilt Holdings", "van der Bilt Holdings BV", "Fund II LP", "Fund IV LP", "Fund LP",
    "Al-Rafidain Bank", "مصرف الرافدين", "Rafidain Trading Company LLC", "Kurdistan Express",
    "Ranya Money Exchange", "صرافة رانية", "Hawala Karwan", "Karwan Exchange Office",
    "Sberbank of Russia", "Sberbank Rossii OAO", "People's Liberation Army", "PLA",
    "Deutsche Bank AG", "Deutsche Bank GmbH", "Global Trading Group", "Global Group",
    "Ministry of Interior", "Ministère de l'Intérieur", "Erbil Logistics & Transport Co.",
    "ERBIL LOGISTICS AND TRANSPORT", "Trust Company", "Smith Family Trust",
]
VESSELS = [
    "MV Sea Breeze", "Sea Breeze", "SEA BREEZE II", "Sea Breeze 2", "Ocean Star",
    "M/V Ocean Star", "Blue Dolphin", "Blue Dolphine", "Calais Rose", "Rose of Calais",
]
ODD = [
    "", " ", "-", "...", "A", "A.", "J. R. R. Tolkien", "J R R Tolkien", "Mr", "Haji",
    "Kaka Rebwar", "Mam Jalal", "Dr. Ahmed Hassan", "Sheikh Mohammed bin Rashid",
    "Abu Bakr", "Abu Ahmed", "Umm Ahmed", "bin Salman", "ibn Laden", "s/o Karim",
    "O'Brien", "MC DONALD", "McDonald", "van Gogh", "de la Cruz", "12345", "Agent 007",
    "R2-D2", "Louis XIV", "Louis 14", "毛泽东", "Mao Tse-tung", "Mao Zedong", "Владимир Путин",
    "PUTIN, Vladimir Vladimirovich", "ßüñøæ", "Zeeshan Banghis AKA Bangash Zeeshan",
    "Ahmad (Boxer)", "Karwan a.k.a. Kaka", "Rawand @ Ranya", "\u200fعلی", "x" * 60,
]


def _renderings(rng: random.Random) -> list[list[str]]:
    """Person names of every demo community, each person written several ways."""
    styles = [LEDGER_KRG, LEDGER_EU, POLICE, INTEL, PILOT, PLAIN]
    out = []
    for origin in sorted(POOLS):
        for k in range(14):
            person = make_name(rng, origin, "mf"[k % 2], alias_rate=0.5, nickname_rate=0.3)
            forms = {person.canonical(), *person.aliases()}
            forms |= {render(rng, person, style)[0] for style in styles for _ in range(2)}
            if person.in_script():
                forms.add(str(person.in_script()))
            out.append(sorted(forms))
    return out


def _files() -> list[Pair]:
    """The cross-script set and the examples' people with their aliases."""
    pairs: list[Pair] = []
    with (ROOT / "benchmarks" / "data" / "crossscript_pairs.csv").open() as handle:
        for row in csv.DictReader(handle):
            pairs += [(row["name1"], row["name2"], row["schema"]),
                      (row["name2"], row["name1"], row["schema"])]
    with (ROOT / "docs" / "examples" / "people.csv").open() as handle:
        people = [[row["full_name"], *filter(None, row["aliases"].split(";"))]
                  for row in csv.DictReader(handle)]
    for names in people:
        pairs += [(a, b, "Person") for a, b in itertools.permutations(names, 2)]
    flat = [n for names in people for n in names]
    pairs += [(a, b, "Person") for a, b in itertools.combinations(flat, 2)]
    return pairs


@cache
def corpus() -> tuple[Pair, ...]:
    """Thousands of pairs: same and different persons across scripts, organisations,
    vessels, legal entities of either kind, honorifics, initials, aliases, odd input."""
    rng = random.Random(16)
    people = _renderings(rng)
    pairs = _files()
    for forms in people:  # one person, written differently
        pairs += [(a, b, "Person") for a, b in itertools.combinations(forms, 2)]
    flat = [n for forms in people for n in forms]
    pairs += [(rng.choice(flat), rng.choice(flat), rng.choice(["Person", None]))
              for _ in range(3000)]
    for schema in ("Organization", "Company", "LegalEntity", None):
        pairs += [(a, b, schema) for a, b in itertools.combinations(ORGS, 2)]
    pairs += [(a, b, s) for a, b in itertools.combinations(VESSELS, 2)
              for s in ("Vessel", "Asset")]
    for schema in ("Person", "Company", None):
        pairs += [(a, b, schema) for a, b in itertools.product(ODD, ODD[:20])]
        pairs += [(a, rng.choice(flat), schema) for a in ODD]
    return tuple(pairs)


def test_the_corpus_is_broad() -> None:
    pairs = corpus()
    assert len(pairs) > 8000
    assert {s for _a, _b, s in pairs} >= {"Person", "Organization", "Company",
                                            "LegalEntity", "Vessel", None}
    scores = [compare_names(a, b, s).score for a, b, s in pairs[::7]]
    assert min(scores) == 0.0 and max(scores) == 1.0
    assert sum(0.2 < x < 0.99 for x in scores) > len(scores) // 4  # not all trivial
    explained = [compare_names(a, b, s) for a, b, s in pairs[::11]]
    assert any(r.via_alias for r in explained)
    assert {"father/son", "initials", "conflict", "generic", "single part"} <= {
        word for r in explained for p in r.penalties
        for word in ("father/son", "initials", "conflict", "generic", "single part")
        if word in p.reason}


def test_score_only_is_exactly_the_explained_score() -> None:
    differ = [(a, b, s, name_score(a, b, s), compare_names(a, b, s).score)
              for a, b, s in corpus() if name_score(a, b, s) != compare_names(a, b, s).score]
    assert differ == []


def test_score_pair_is_the_explained_score_and_verdict() -> None:
    for a, b, s in corpus()[::3]:
        full, light = compare_names(a, b, s), score_pair(a, b, s)
        assert (light.score, light.match) == (full.score, full.match), (a, b, s)


def test_the_same_under_another_config_whatever_was_cached_first() -> None:
    """The part caches are per config: scores under one never leak into another."""
    other = replace(DEFAULT_CONFIG, use_variants=False, pair_threshold=0.7,
                    block_penalty=0.3, conflict_penalty=0.5)
    pairs = corpus()[::5]
    for a, b, s in pairs:
        default = compare_names(a, b, s).score
        assert name_score(a, b, s, other) == compare_names(a, b, s, other).score
        assert name_score(a, b, s) == default
    assert any(compare_names(a, b, s).score != compare_names(a, b, s, other).score
               for a, b, s in pairs)


def test_a_part_keeps_its_hash_and_serial_only_in_its_own_process() -> None:
    part = analyse("Rebwar Karim Barzani").content[0]
    twin = replace(part)
    assert twin == part and hash(twin) == hash(part) and twin is not part
    assert twin.serial != part.serial  # another object: compared afresh, never confused
    copied = pickle.loads(pickle.dumps(part))
    assert "_hash" not in copied.__dict__ and "serial" not in copied.__dict__
    assert copied == part and copied.serial != part.serial
    assert "serial" not in pickle.loads(pickle.dumps(DEFAULT_CONFIG)).__dict__


def test_equal_parts_of_two_analyses_are_one_object() -> None:
    """Interned, so the kept part comparisons are found by identity."""
    left = analyse("Hassan Ali Jaff").content
    right = analyse("Hassan Karim Jaff").content
    assert left[0] == right[0] and left[0] is right[0]
    assert left[2] == right[2] and left[2] is right[2]
    assert left[1] != right[1]


def test_the_kept_part_comparisons_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(align_module, "PART_PAIRS", 50)
    align_module._FITS.clear()
    for a, b, s in corpus()[:400]:
        assert name_score(a, b, s) == compare_names(a, b, s).score
        assert len(align_module._FITS) <= 50


def test_search_finds_the_same_with_either_path(resolved: Resolved,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Person and organisation name of the small scenario searched with the old
    scoring (the full comparison) and with the score-only one, each path first once."""
    with resolved.workspace.open_store() as store:
        index = search._Index(api_cache.statements(store, resolved.scope),
                              api_cache.resolution(store, resolved.scope))
    queries = sorted({value for _e, _s, value in index.names})[::3]
    queries += [q.upper() for q in queries[:40]] + [q.split()[0] for q in queries[:40]]
    queries += ["Hasan", "Karim", "حسن", "Abu Ahmed", "Ltd", "Exchange"]
    assert len(queries) > 150

    def explained(left: str, right: str, schema: str) -> float:
        return compare_names(left, right, schema).score

    def run(scorer: object) -> list[list[search.Hit]]:
        monkeypatch.setattr(search, "name_score", scorer)
        index.briefs.clear()
        return [search._search(index, q, 20) for q in queries]

    fast_first = run(name_score)
    old_after = run(explained)
    old_again = run(explained)
    fast_after = run(name_score)
    assert fast_first == old_after == old_again == fast_after
    assert sum(bool(hits) for hits in fast_first) > len(queries) // 2
    assert any(0.5 <= hit.score < 1.0 for hits in fast_first for hit in hits)
