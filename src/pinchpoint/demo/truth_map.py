"""Which true person each stored Person entity stands for, and scores against that truth.

Entity resolution is judged on the demo scenario by comparing its clusters with the
persons the generator wrote into ``truth/``. The store knows nothing of truth ids, so
they are recovered per record: ``truth/records.csv`` says which persons each record
refers to, and the entity's own names and numbers say which of them it is. An entity
spans many records of its source (a handset's user is in every call), so its records
vote. Nothing here reads the store except through a scope, like every other reader.

The scores follow the usual definitions; each is computed only over entities that have a
truth id, so an entity the truth cannot place neither helps nor hurts.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Protocol

from pinchpoint.store.records import Statement
from pinchpoint.store.scope import Scope

NAME_PROPS = frozenset({"name", "alias", "weakAlias"})
PERSON_PREFIX = "P"


class EntityReader(Protocol):
    """The one store read needed (every store has it): statements grouped by entity."""

    def iter_entities(self, scope: Scope, chunk: int = ...) -> Iterator[list[Statement]]: ...


@dataclass
class TruthMap:
    """Stored Person entity id -> true person id, with what could not be placed."""

    mapping: dict[str, str] = field(default_factory=dict)
    entities: int = 0  # Person entities the scope sees
    unmapped: int = 0  # no record of the entity narrowed to one true person
    ambiguous: int = 0  # its records' votes tied between true persons
    conflicting: int = 0  # its records disagreed, but a majority decided
    records_voted: int = 0  # (entity, record) pairs that named one true person
    records_undecided: int = 0  # pairs left with several candidates
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # for diagnosis
    sources: dict[str, str] = field(default_factory=dict)  # entity id -> its source

    @property
    def coverage(self) -> float:
        """Share of the Person entities that got a truth id."""
        return len(self.mapping) / self.entities if self.entities else 1.0


class Scores(NamedTuple):
    precision: float
    recall: float
    f1: float


def normalise(text: str) -> str:
    """Names compare with case, Unicode form and spacing folded."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def read_candidates(scenario_dir: Path) -> dict[str, dict[str, set[str]]]:
    """record -> true person id -> the names it is written as there (normalised)."""
    out: dict[str, dict[str, set[str]]] = defaultdict(dict)
    with open(scenario_dir / "truth" / "records.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            truth_id = row["truth_id"]
            if not truth_id.startswith(PERSON_PREFIX):
                continue
            written = out[row["record"]].setdefault(truth_id, set())
            if row["as_written"]:
                written.add(normalise(row["as_written"]))
    return out


def read_phones(scenario_dir: Path) -> dict[str, frozenset[str]]:
    """True person id -> its phone numbers (E.164, as the store cleans them)."""
    with open(scenario_dir / "truth" / "persons.csv", encoding="utf-8", newline="") as fh:
        return {row["id"]: frozenset(p for p in row["phones"].split(";") if p)
                for row in csv.DictReader(fh)}


def person_truth(store: EntityReader, scope: Scope, scenario_dir: Path) -> TruthMap:
    """The true person behind every Person entity the scope sees, where one can be told.

    For each record of an entity, its candidates are the true persons the record refers
    to; those whose known numbers all differ from the entity's are dropped; then those
    written there under one of the entity's names (name, alias, weakAlias; case, Unicode
    form and spacing folded) are kept, else those whose written name does not contradict
    it; several left are narrowed by a shared phone number. A record left with exactly
    one names it. Records that named it by name outvote the others; the majority wins,
    and a tie leaves the entity ambiguous (a crossing log's pilot "Hemn" is one entity
    for several people).
    """
    candidates = read_candidates(scenario_dir)
    phones = read_phones(scenario_dir)
    result = TruthMap()
    for statements in store.iter_entities(scope):
        if not any(s.schema == "Person" for s in statements):
            continue
        result.entities += 1
        entity_id = statements[0].entity_id
        result.names[entity_id] = tuple(sorted({s.value for s in statements
                                                if s.prop in NAME_PROPS}))
        result.sources[entity_id] = statements[0].source
        _decide(entity_id, *_votes(statements, candidates, phones, result), result)
    return result


def _votes(statements: list[Statement], candidates: Mapping[str, Mapping[str, set[str]]],
           phones: Mapping[str, frozenset[str]], result: TruthMap
           ) -> tuple[Counter[str], Counter[str]]:
    """Per record, the one true person it names: (told by a name, told otherwise)."""
    names = {normalise(s.value) for s in statements if s.prop in NAME_PROPS}
    numbers = {s.value for s in statements if s.prop == "phone"}
    by_name: Counter[str] = Counter()
    by_other: Counter[str] = Counter()
    for record in sorted({s.record for s in statements}):
        written = candidates.get(record)
        if not written:
            continue
        # A true person whose numbers are all unlike the entity's is never it, even by
        # name: a phone's user and a namesake in its contacts are two people.
        possible = {t: forms for t, forms in written.items()
                    if not _disjoint(phones.get(t), numbers)}
        ids = {t for t, forms in possible.items() if forms & names}
        named = bool(ids)
        if not named:  # keep those the names do not rule out
            ids = {t for t, forms in possible.items() if not (forms and names)}
        if len(ids) > 1 and numbers:
            ids = {t for t in ids if phones.get(t, frozenset()) & numbers} or ids
        if len(ids) == 1:
            (by_name if named else by_other)[ids.pop()] += 1
            result.records_voted += 1
        elif ids:
            result.records_undecided += 1
    return by_name, by_other


def _disjoint(known: frozenset[str] | None, numbers: set[str]) -> bool:
    """True when both sides have numbers and none is shared."""
    return bool(known and numbers and not known & numbers)


def _decide(entity_id: str, by_name: Counter[str], by_other: Counter[str],
            result: TruthMap) -> None:
    """Records that named the person by name outvote those told by number or by
    elimination: a shared burner puts one person's calls under another's contact."""
    ranked = (by_name or by_other).most_common(2)
    if not ranked:
        result.unmapped += 1
    elif len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        result.ambiguous += 1
    else:
        result.mapping[entity_id] = ranked[0][0]
        if len(by_name.keys() | by_other.keys()) > 1:
            result.conflicting += 1


def _cells(predicted: Mapping[str, str], truth: Mapping[str, str]
           ) -> tuple[Counter[tuple[Hashable, str]], Counter[Hashable], Counter[str]]:
    """Items with a truth id counted per (predicted, true) cluster and per cluster.

    An item the prediction does not mention is a cluster of its own; it is keyed apart
    from predicted cluster ids, which are often entity ids themselves.
    """
    cells: Counter[tuple[Hashable, str]] = Counter()
    for item, true in truth.items():
        pred: Hashable = ("p", predicted[item]) if item in predicted else ("s", item)
        cells[(pred, true)] += 1
    pred_sizes: Counter[Hashable] = Counter()
    true_sizes: Counter[str] = Counter()
    for (pred, true), n in cells.items():
        pred_sizes[pred] += n
        true_sizes[true] += n
    return cells, pred_sizes, true_sizes


def _f1(precision: float, recall: float) -> Scores:
    total = precision + recall
    return Scores(precision, recall, 2 * precision * recall / total if total else 0.0)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_scores(predicted: Mapping[str, str], truth: Mapping[str, str]) -> Scores:
    """Precision and recall over pairs of items placed in one cluster.

    With no predicted pairs precision is 1.0 (nothing was wrongly merged); with no true
    pairs recall is 1.0 (nothing was missed).
    """
    cells, pred_sizes, true_sizes = _cells(predicted, truth)
    correct = sum(_pairs(n) for n in cells.values())
    claimed = sum(_pairs(n) for n in pred_sizes.values())
    real = sum(_pairs(n) for n in true_sizes.values())
    return _f1(correct / claimed if claimed else 1.0, correct / real if real else 1.0)


def bcubed(predicted: Mapping[str, str], truth: Mapping[str, str]) -> Scores:
    """B-cubed: per item, the share of its predicted cluster that truly belongs with it
    (precision) and the share of its true cluster that was put with it (recall),
    averaged over the items. No items scores 1.0."""
    cells, pred_sizes, true_sizes = _cells(predicted, truth)
    items = sum(cells.values())
    if not items:
        return Scores(1.0, 1.0, 1.0)
    precision = sum(n * n / pred_sizes[pred] for (pred, _), n in cells.items()) / items
    recall = sum(n * n / true_sizes[true] for (_, true), n in cells.items()) / items
    return _f1(precision, recall)
