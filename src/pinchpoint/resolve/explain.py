"""Why two records are (or are not) one entity: a waterfall of match weights.

A pair's match weight is the prior's weight plus one weight per comparison (the log2 of
m/u for the level the pair falls in) plus the term-frequency adjustment for a common
name; the explanation lists every step so the sum can be checked by hand. Next to it
sit the best cross-script name comparison of the two records (with its own
explanation), the analysts' judgements on the pair and what the clustering did.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import pyarrow as pa

from pinchpoint.resolve.names import compare_names
from pinchpoint.resolve.run import ResolveError, known_records, scratch_dir
from pinchpoint.resolve.weights import probability
from pinchpoint.store import judgements as store_judgements
from pinchpoint.store import resolution as tables
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore


@dataclass(frozen=True)
class Step:
    """One bar of the waterfall."""

    comparison: str
    level: str
    weight: float
    m: float | None = None
    u: float | None = None
    left: str = ""
    right: str = ""


@dataclass
class Explanation:
    left: str
    right: str
    steps: list[Step]
    match_weight: float
    match_probability: float
    threshold: float
    same_entity: bool
    canonical: tuple[str, str]
    judgements: list[dict[str, Any]] = field(default_factory=list)
    held: str = ""
    names: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


_INPUTS = {"name": "names", "birth_date": "birth_date", "phones": "phones",
           "documents": "documents", "nationality": "nationality", "addresses": "addresses"}


def waterfall(store: SqlStore, scope: Scope, left: dict[str, Any], right: dict[str, Any],
              model: dict[str, Any]) -> tuple[list[Step], float]:
    """Score one pair with the stored model; the steps and the total match weight."""
    recs = []
    for row in (left, right):
        rec = {k: v for k, v in row.items() if k != "scope_key"}
        rec["blocks"] = []
        recs.append(rec)
    from pinchpoint.resolve import model as linkage  # Splink, only when explaining

    con = linkage.connect(scratch_dir(store))
    try:
        con.register("_two", pa.Table.from_pylist(recs))
        con.execute("CREATE TABLE records AS SELECT * FROM _two")
        # The term frequencies count all the scope's records, as in the run.
        con.register("_tf", tables.tf_source(store, scope))
        con.execute("CREATE TABLE tf_source AS SELECT * FROM _tf")
        linker = linkage.load(con, "records", model, tf_source="tf_source").linker
        scored = linker.inference.score_pair(recs[0], recs[1]).as_record_list()[0]
        settings = linker._settings_obj
    finally:
        con.close()
    prior = float(model["probability_two_random_records_match"])
    steps = [Step("prior", "two random records match", math.log2(prior / (1 - prior)))]
    for comparison in settings.comparisons:
        name = comparison.output_column_name
        gamma = int(scored[f"gamma_{name}"])
        level = next(lv for lv in comparison.comparison_levels
                     if lv.comparison_vector_value == gamma)
        column = _INPUTS.get(name, name)
        if level.is_null_level:
            steps.append(Step(name, level.label_for_charts, 0.0, None, None,
                              _show(left.get(column)), _show(right.get(column))))
            continue
        steps.append(Step(name, level.label_for_charts, float(level._log2_bayes_factor),
                          level.m_probability, level.u_probability,
                          _show(left.get(column)), _show(right.get(column))))
    total = float(scored["match_weight"])
    rest = total - sum(s.weight for s in steps)
    if abs(rest) > 1e-9:
        steps.append(Step("name frequency", "term-frequency adjustment (common names weigh "
                          "less, rare ones more)", rest))
    return steps, total


def explain(store: SqlStore, scope: Scope, left: str, right: str) -> Explanation:
    """Explain the pair ``left``/``right`` as the scope's last resolution sees it."""
    rows = known_records(store, scope, left, right)
    model = tables.model(store, scope)
    if model is None:
        raise ResolveError("no linkage model yet: run `pinchpoint resolve` first")
    steps, weight = waterfall(store, scope, rows[left], rows[right], model)
    found_context = tables.context_weight(store, scope, left, right)
    if found_context is not None:
        delta, shared = found_context
        steps.append(Step("network context", "the two entities deal with the same people"
                          if delta > 0 else "the two entities share no one", delta,
                          left=shared))
        weight += delta
    canonical = tables.resolution(store, scope)
    threshold = tables.last_threshold(store, scope) or 0.0
    pair_key = tuple(sorted((left, right)))
    judged = [asdict(j) for j in store_judgements.judgements(store, scope, active_only=False)
              if (j.left, j.right) == pair_key]
    held = tables.held_pairs(store, scope).get((pair_key[0], pair_key[1]), "")
    names = _best_names(rows[left].get("names") or [], rows[right].get("names") or [])
    c_left, c_right = canonical.get(left, left), canonical.get(right, right)
    return Explanation(left=left, right=right, steps=steps, match_weight=weight,
                       match_probability=probability(weight), threshold=threshold,
                       same_entity=c_left == c_right, canonical=(c_left, c_right),
                       judgements=judged, held=held, names=names)


def _best_names(left: list[str], right: list[str]) -> dict[str, Any]:
    best = None
    for a in left[:5]:
        for b in right[:5]:
            found = compare_names(a, b)
            if best is None or found.score > best.score:
                best = found
    return asdict(best) if best is not None else {}
