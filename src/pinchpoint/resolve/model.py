"""The Splink linkage model: settings, unsupervised training, prediction and pair scores.

Splink runs in its own in-memory DuckDB connection (spilling to the workspace's ``.tmp``),
so the statement store never holds Splink's scratch tables; with the Spark engine
(:mod:`engines`) that connection still builds the blocks and trains, and Spark scores the
pairs with the same model (:func:`hand_over` ships the tables, :func:`translate` the
levels). The trained model is a JSON
settings document that the store keeps (``resolve_models``) so that incremental runs and
``explain`` score pairs exactly as the run that made the clusters did.

Training is unsupervised, as Splink intends: ``u`` from random pairs, ``m`` by
expectation maximisation on blocked pairs, the prior from deterministic rules. No labels
are used; analysts' judgements override the model afterwards (see :mod:`cluster`).
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from splink import Linker, SettingsCreator, block_on
from splink.backends.duckdb import DuckDBAPI

from pinchpoint.resolve.comparisons import DIALECTS, comparisons
from pinchpoint.resolve.engines import DUCKDB, Engine

#: Block keys shared by more records than this are too common to block on
#: (``Mohammed`` alone); the other keys of those records still find their pairs.
BLOCK_CAP = 60
#: Pairs scored below this probability are not kept (nothing would review them).
KEEP_FLOOR = 0.01
#: How many random pairs estimate the ``u`` probabilities.
U_SAMPLE = 2_000_000
#: ``u`` is never below this many sampled pairs' worth (see :func:`correct_u`).
U_FLOOR_PAIRS = 10
#: ``m`` is never below this: no single comparison can veto a pair on its own.
M_FLOOR = 1e-3
#: At most this many blocked pairs per expectation-maximisation session.
EM_PAIRS = 2_000_000

Progress = Callable[[str], None]

for _name in ("splink", "splink.internals"):
    logging.getLogger(_name).setLevel(logging.ERROR)


def settings(prior: float = 1e-5, dialect: str = "duckdb") -> dict[str, Any]:
    """The person model's Splink settings (untrained), in ``dialect``'s SQL."""
    creator = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(DIALECTS[dialect]),  # type: ignore[arg-type]
        blocking_rules_to_generate_predictions=[
            block_on("blocks", arrays_to_explode=["blocks"]),
            block_on("birth_date", "substr(name_latin, 1, 1)"),
        ],
        probability_two_random_records_match=prior,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
        additional_columns_to_retain=["category"],
        max_iterations=20,
    )
    return creator.create_settings_dict(dialect)


def translate(model: dict[str, Any], dialect: str) -> dict[str, Any]:
    """``model``'s trained parameters with the levels and blocking rules written in
    ``dialect``: the stored model is DuckDB's, and Spark scores with the same numbers."""
    template = settings(dialect=dialect)
    out = copy.deepcopy(model)
    out["sql_dialect"] = dialect
    out["blocking_rules_to_generate_predictions"] = (
        template["blocking_rules_to_generate_predictions"])
    # By name: a model trained on very little data can lack a comparison.
    fresh = {c["output_column_name"]: c for c in template["comparisons"]}
    for comparison in out["comparisons"]:
        levels = fresh[comparison["output_column_name"]]["comparison_levels"]
        for level, new in zip(comparison["comparison_levels"], levels, strict=True):
            level["sql_condition"] = new["sql_condition"]
    return out


def connect(tmp: Path, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """A scratch DuckDB connection for Splink, spilling to ``tmp``."""
    tmp.mkdir(parents=True, exist_ok=True)
    limit = memory_limit or os.environ.get("PINCHPOINT_MEMORY_LIMIT", "4GB")
    con = duckdb.connect(":memory:", config={"temp_directory": str(tmp),
                                             "memory_limit": limit})
    return con


def add_blocks(con: duckdb.DuckDBPyConnection, table: str, out: str, cap: int = BLOCK_CAP
               ) -> None:
    """Copy ``table`` to ``out`` with ``blocks``, the keys Splink blocks on.

    A key shared by at most ``cap`` records is a block as it is. A key shared by more
    (the phone of a kingpin in a thousand ledger rows, a very common name) would make
    a quadratic number of pairs, so its records are sorted by name and cut into
    overlapping windows of ``cap`` (sorted-neighbourhood blocking): each record is compared
    with its neighbours in that order, and clustering joins the chain transitively.
    Keys only one record has are dropped.
    """
    half = max(cap // 2, 1)
    con.execute(f"""
        CREATE OR REPLACE TABLE {out} AS
        WITH e AS (SELECT unique_id, unnest(block_keys) AS k, name_latin FROM {table}),
             f AS (SELECT k, count(*) AS n FROM e GROUP BY k HAVING count(*) >= 2),
             r AS (SELECT e.unique_id, e.k, f.n,
                          row_number() OVER (PARTITION BY e.k
                                             ORDER BY e.name_latin, e.unique_id) - 1 AS rk
                   FROM e JOIN f USING (k)),
             w AS (SELECT unique_id, k AS b FROM r WHERE n <= {int(cap)}
                   UNION ALL
                   SELECT unique_id, k || '#a' || (rk // {int(cap)}) FROM r
                   WHERE n > {int(cap)}
                   UNION ALL
                   SELECT unique_id, k || '#b' || ((rk + {half}) // {int(cap)}) FROM r
                   WHERE n > {int(cap)}),
             b AS (SELECT unique_id, list(DISTINCT b ORDER BY b) AS blocks
                   FROM w GROUP BY unique_id)
        SELECT t.*, coalesce(b.blocks, []::VARCHAR[]) AS blocks
        FROM {table} t LEFT JOIN b USING (unique_id)
    """)


def short_ids(con: duckdb.DuckDBPyConnection, table: str, out: str) -> None:
    """Copy ``table`` to ``out`` with a short ``unique_id`` (the record's rank, at most 7
    digits, which DuckDB keeps inline like an integer) and the entity id as
    ``entity_id``, which comes back with the pairs (:func:`_pairs`).

    Scoring runs on this copy: the distinct blocked pairs of the 10M-record scenario, as
    two 40-character ids each, spilled more than the 47 GB of disk the machine had
    left. Training stays on the entity ids (its samples are drawn by them, and a model
    must not change with how ids are spelt); scoring with the trained model gives the
    same pairs either way.
    """
    con.execute(f"""
        CREATE OR REPLACE TABLE {out} AS
        SELECT t.* REPLACE (CAST(n.rank AS VARCHAR) AS unique_id), t.unique_id AS entity_id
        FROM {table} t JOIN (SELECT unique_id, row_number() OVER (ORDER BY unique_id) AS rank
                             FROM {table}) n USING (unique_id)
    """)


@dataclass
class Model:
    """A linker over the current records with a trained (or loaded) model."""

    con: duckdb.DuckDBPyConnection
    db: Any  # Splink's DuckDBAPI or SparkAPI
    linker: Linker
    table: str
    engine: Engine = DUCKDB

    def model_json(self) -> dict[str, Any]:
        """The trained model as the store keeps it (DuckDB's SQL, whichever engine)."""
        found = dict(self.linker.misc.save_model_to_json())
        return found if self.engine is DUCKDB else translate(found, "duckdb")


#: Term-frequency columns and what counts as one *identity* carrying a value: a name is
#: common when many people (told apart by their first phone) carry it, not when one
#: smuggler appears in a thousand ledger rows; a birth date when many names carry it.
TF_IDENTITY = {
    "name_main": "coalesce(phones[1], unique_id)",
    "birth_date": "coalesce(name_main, unique_id)",
}


def register_term_frequencies(con: duckdb.DuckDBPyConnection, db: Any, linker: Linker,
                              table: str, engine: Engine = DUCKDB) -> None:
    """Term frequencies over distinct identities (see ``TF_IDENTITY``), not over records.

    Splink counts records; on intelligence data the most duplicated names are the
    targets' own, so a record count would discount exactly the names that matter.
    """
    for column, identity in TF_IDENTITY.items():
        tf_table = f"_tf_{column}"
        con.execute(f"""
            CREATE OR REPLACE TABLE {tf_table} AS
            WITH x AS (SELECT DISTINCT {column} AS v, {identity} AS who FROM {table}
                       WHERE {column} IS NOT NULL)
            SELECT v AS {column}, count(*) / (SELECT count(*) FROM x) AS tf_{column}
            FROM x GROUP BY v
        """)
        linker.table_management.register_term_frequency_lookup(
            hand_over(db, con, tf_table, engine, f"_tf_{column}_{id(linker)}"), column)


def hand_over(db: Any, con: duckdb.DuckDBPyConnection, table: str, engine: Engine,
              name: str | None = None) -> Any:
    """Register the scratch table ``table`` with Splink's database API (as ``name``): by
    name on DuckDB (the same connection), its rows on Spark (shipped through Arrow, under
    a fresh view name: Spark's views outlive a linker)."""
    if engine is DUCKDB:
        return db.register(table, table_name=name) if name else db.register(table)
    from pyspark.sql.pandas.types import from_arrow_schema

    rows = con.sql(f"SELECT * FROM {table}").to_arrow_table()
    # The schema goes with the rows: Spark cannot infer a type from a column of NULLs.
    frame = engine.spark.createDataFrame(rows.to_pandas(), schema=from_arrow_schema(rows.schema))
    return db.register(frame, table_name=f"{name or table}_{next(_views)}")


_views = itertools.count()


def _api(con: duckdb.DuckDBPyConnection, engine: Engine) -> Any:
    if engine is DUCKDB:
        return DuckDBAPI(connection=con)
    from splink.backends.spark import SparkAPI

    return SparkAPI(spark_session=engine.spark,  # type: ignore[no-untyped-call]
                    break_lineage_method=os.environ.get("PINCHPOINT_SPARK_LINEAGE", "persist"))


def _linker(con: duckdb.DuckDBPyConnection, table: str, model: dict[str, Any],
            tf_source: str | None = None, engine: Engine = DUCKDB) -> tuple[Any, Linker]:
    db = _api(con, engine)
    sdf = hand_over(db, con, table, engine)
    linker = Linker(sdf, model if engine is DUCKDB else translate(model, engine.dialect))
    register_term_frequencies(con, db, linker, tf_source or table, engine)
    return db, linker


def train(con: duckdb.DuckDBPyConnection, table: str, progress: Progress | None = None
          ) -> Model:
    """Train the model on the records in ``table`` (needs ``blocks``), without labels.

    Training always runs here, in DuckDB, whichever engine scores: it reads bounded
    samples (``U_SAMPLE`` random pairs, ``EM_PAIRS`` blocked pairs per session) and its
    random sampling differs between engines, so one trained model keeps two engines'
    entities the same.
    """
    say = progress or (lambda _: None)
    count = int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
    db, linker = _linker(con, table, settings())
    if count < 2:
        return Model(con, db, linker, table)
    say("estimating the prior")
    deterministic: list[str | Any] = [
        "l.name_main = r.name_main AND l.birth_date = r.birth_date",
        # Equi-joins only (a list_intersect join would compare every pair of records).
        "l.documents[1] = r.documents[1]",
        "l.phones[1] = r.phones[1] AND len(list_intersect(l.name_tokens, r.name_tokens)) > 0",
    ]
    # Too few pairs to estimate leaves the default prior.
    with contextlib.suppress(Exception):
        linker.training.estimate_probability_two_random_records_match(
            deterministic, recall=0.7)
    say("estimating u on random pairs")
    max_pairs = min(U_SAMPLE, max(count * (count - 1) // 2, 1))
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=42)
    say("estimating m by expectation maximisation")
    # Not on phones: a rule exploding an array drops that comparison from the model.
    for rule in (block_on("name_main"), block_on("birth_date")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, fix_probability_two_random_records_match=True,
                max_pairs=EM_PAIRS, estimate_without_term_frequencies=True)
        except Exception:
            continue
    trained = correct_u(dict(linker.misc.save_model_to_json()), max_pairs)
    db, linker = _linker(con, table, trained)
    return Model(con, db, linker, table)


MIN_PRIOR, MAX_PRIOR = 1e-9, 0.5


def correct_u(model: dict[str, Any], sampled: int) -> dict[str, Any]:
    """Remove the true matches' share from the ``u`` probabilities.

    Splink estimates ``u`` (how often non-matching records agree) on random pairs,
    assuming almost none of them match. Intelligence data breaks that assumption: one
    smuggler's phone is in a thousand ledger rows, so a random pair sharing a phone is
    usually the same man. The observed agreement of random pairs is the mixture
    ``prior * m + (1 - prior) * u``, so ``u = (observed - prior * m) / (1 - prior)``,
    floored at ``U_FLOOR_PAIRS`` sampled pairs' worth (the estimate is a small difference
    of noisy counts), then renormalised per comparison.

    A level that training never observed gets ``m = u`` (it neither helps nor hurts).
    """
    # A handful of records can estimate a prior of 1 (every deterministic pair matches),
    # which has no match weight; no real population has half its pairs matching.
    prior = min(max(float(model.get("probability_two_random_records_match") or 0.0),
                    MIN_PRIOR), MAX_PRIOR)
    model["probability_two_random_records_match"] = prior
    floor = U_FLOOR_PAIRS / max(sampled, 1)
    for comparison in model.get("comparisons", []):
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        fixed = []
        for level in levels:
            u, m = level.get("u_probability"), level.get("m_probability")
            if u is None or m is None:
                fixed.append(u)
                continue
            fixed.append(max((float(u) - prior * float(m)) / (1 - prior), floor))
        total = sum(u for u in fixed if u is not None)
        for level, u in zip(levels, fixed, strict=True):
            if u is not None and total > 0:
                level["u_probability"] = u / total
        for level in levels:
            # A level training never saw says nothing either way: weight 0, not
            # Splink's "not observed" m of one in a million (which would veto the pair).
            if not isinstance(level.get("m_probability"), float):
                u = level.get("u_probability")
                level["m_probability"] = u if isinstance(u, float) else 1.0
                level.setdefault("u_probability", level["m_probability"])
            # No single disagreement vetoes a pair: a wrong nationality or a misread
            # date in one record is evidence against, not proof.
            level["m_probability"] = max(float(level["m_probability"]), M_FLOOR)
    return model


def load(con: duckdb.DuckDBPyConnection, table: str, model: dict[str, Any],
         tf_source: str | None = None, engine: Engine = DUCKDB) -> Model:
    """A linker over ``table`` scoring with a saved model; term frequencies come from
    ``tf_source`` (every record's ``unique_id, name_main, birth_date, phones``) when
    ``table`` holds only some of the records."""
    db, linker = _linker(con, table, model, tf_source, engine)
    return Model(con, db, linker, table, engine)


PAIR_COLUMNS = ["unique_id_l", "unique_id_r", "match_weight", "match_probability"]


def _pairs(model: Model, sdf: Any) -> pa.Table:
    names = [c.unquote().name for c in sdf.columns]
    gammas = [n for n in names if n.startswith("gamma_")]
    cols = ", ".join([*PAIR_COLUMNS, *gammas])
    sql = f"SELECT {cols} FROM {sdf.physical_name} WHERE match_probability >= {KEEP_FLOOR}"
    if model.engine is DUCKDB:
        table = _entity_ids(model, sql)
    else:
        model.con.register("_spark_scored", _spark_pairs(model.engine, sql))
        table = _entity_ids(model, "SELECT * FROM _spark_scored").select(
            [*PAIR_COLUMNS, *gammas]).cast(
            pa.schema([(c, pa.string()) for c in PAIR_COLUMNS[:2]]
                      + [(c, pa.float64()) for c in PAIR_COLUMNS[2:]]
                      + [(g, pa.int32()) for g in gammas]))
        model.con.unregister("_spark_scored")
    sdf.drop_table_from_database_and_remove_from_cache()
    return table


def _entity_ids(model: Model, sql: str) -> pa.Table:
    """The pairs of ``sql`` with the records' entity ids instead of Splink's short ids
    (the model scores a table made by :func:`short_ids`)."""
    return model.con.sql(
        f"SELECT l.entity_id AS unique_id_l, r.entity_id AS unique_id_r, "
        f"p.* EXCLUDE (unique_id_l, unique_id_r) FROM ({sql}) AS p "
        f"JOIN {model.table} l ON l.unique_id = p.unique_id_l "
        f"JOIN {model.table} r ON r.unique_id = p.unique_id_r").to_arrow_table()


def _spark_pairs(engine: Engine, sql: str) -> pa.Table:
    """The rows of ``sql`` run on Spark, written by the executors as parquet to the
    engine's scratch folder and read here: nothing passes through the driver's heap."""
    import pyarrow.dataset as ds
    import pyarrow.fs as pafs

    folder = f"{engine.scratch.rstrip('/')}/pairs-{uuid.uuid4().hex}"
    engine.spark.sql(sql).write.parquet(folder)
    filesystem, path = pafs.FileSystem.from_uri(
        folder if "://" in folder else Path(folder).resolve().as_uri())
    try:
        return ds.dataset(path, filesystem=filesystem, format="parquet").to_table()
    finally:
        filesystem.delete_dir(path)


def predict_all(model: Model) -> pa.Table:
    """Score every blocked pair of the records; keep those above ``KEEP_FLOOR``."""
    return _pairs(model, model.linker.inference.predict(
        threshold_match_probability=KEEP_FLOOR))


def predict_new(model: Model, new_ids: list[str]) -> pa.Table:
    """Score the pairs that involve a new record: new against old, and new against new."""
    con = model.con
    con.execute("CREATE OR REPLACE TEMP TABLE _new_ids (unique_id VARCHAR)")
    con.register("_new_arrow", pa.table({"unique_id": pa.array(new_ids, pa.string())}))
    con.execute("INSERT INTO _new_ids SELECT unique_id FROM _new_arrow")  # one statement,
    con.unregister("_new_arrow")  # not one per id: up to half the records are new
    con.execute(f"CREATE OR REPLACE TABLE _new_records AS SELECT * FROM {model.table} t "
                "WHERE t.entity_id IN (SELECT unique_id FROM _new_ids)")
    con.execute(f"CREATE OR REPLACE TABLE _old_records AS SELECT * FROM {model.table} t "
                "WHERE t.entity_id NOT IN (SELECT unique_id FROM _new_ids)")
    new_sdf = hand_over(model.db, con, "_new_records", model.engine)
    out = [_pairs(model, model.linker.inference.predict_within(
        new_sdf, threshold_match_probability=KEEP_FLOOR, warning_mode="never"))]
    if int(con.execute("SELECT count(*) FROM _old_records").fetchall()[0][0]):
        old_sdf = hand_over(model.db, con, "_old_records", model.engine)
        out.append(_pairs(model, model.linker.inference.predict_between(
            new_sdf, old_sdf, threshold_match_probability=KEEP_FLOOR, warning_mode="never")))
    return pa.concat_tables(out, promote_options="default")
