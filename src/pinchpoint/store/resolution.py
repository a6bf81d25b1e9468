"""Entity-resolution tables: features, scored pairs, clusters, runs, models.

Resolution depends on what the reader can see, so everything derived is kept per *scope
key* (the sorted owners a scope sees): two agencies that see different statements get
different clusters and never read each other's. Judgements, which belong to an agency
rather than to a scope key, are kept in `store.judgements`. Every reader here takes the
store and the scope first, like the store's own methods.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from pinchpoint.store import database
from pinchpoint.store.schema_sql import RECORDS_TABLE, RESOLUTION_DDL, table_exists
from pinchpoint.store.scope import REDACTED, Scope
from pinchpoint.store.sql_store import SqlStore, sliced_rows
from pinchpoint.store.writes import _transaction


def scope_key(scope: Scope) -> str:
    """What a resolution depends on: exactly the statements the scope sees."""
    return scope.key()


def ensure(store: SqlStore, record_schema: pa.Schema) -> None:
    """Create the resolution tables (the features table takes the linkage's columns)."""
    for statement in RESOLUTION_DDL:
        store.con.execute(statement)
    if not table_exists(store.con, RECORDS_TABLE):
        empty = record_schema.empty_table()
        store.con.register("_empty_records", empty)
        store.con.execute(f"CREATE TABLE {RECORDS_TABLE} AS SELECT ''::VARCHAR AS scope_key, * "
                          "FROM _empty_records WHERE FALSE")
        store.con.unregister("_empty_records")


# -- features ----------------------------------------------------------------------
def person_fingerprints(store: SqlStore, scope: Scope) -> dict[str, str]:
    """Fingerprint of every visible Person entity's statements, as `entity_values` makes
    it for the records it analyses (withheld values left out: counted here, they made
    every person with a withheld victim detail "changed" on every run, 199,739 of the
    10M scenario's), a slice of persons at a time: the ordered aggregate over 4M persons
    at once ran out of a 2 GB store."""
    visible, params = scope.relation()
    query = ("SELECT entity_id, sha1(string_agg(id, ',' ORDER BY id)) "
             f"FROM ({visible}) AS v WHERE schema = 'Person' AND value <> '{REDACTED}' "
             "{slice} GROUP BY entity_id")
    return {str(a): str(b) for rows in sliced_rows(store.con, query, params, "Person")
            for a, b in rows}


def stored_fingerprints(store: SqlStore, scope: Scope) -> dict[str, str]:
    rows = store.con.execute(
        f"SELECT unique_id, fingerprint FROM {RECORDS_TABLE} WHERE scope_key = ?",
        [scope_key(scope)]).fetchall()
    return {str(a): str(b) for a, b in rows}


def resolver_name_keys(store: SqlStore, scope: Scope) -> dict[str, list[str]]:
    """The resolver's name keys (``name_keys``) of the scope's Person records, taken from
    any resolution whose features were made from exactly the statements the scope sees
    of that record (the same fingerprint), so nothing the scope cannot see went into
    them; records with none such are absent (hit/no-hit matching computes those)."""
    if not table_exists(store.con, RECORDS_TABLE):
        return {}
    prints = person_fingerprints(store, scope)
    store.con.execute("CREATE OR REPLACE TEMP TABLE _key_prints (id VARCHAR, fp VARCHAR)")
    store.con.register("_key_prints_arrow", pa.table({
        "id": pa.array(list(prints), pa.string()),
        "fp": pa.array(list(prints.values()), pa.string())}))
    store.con.execute("INSERT INTO _key_prints SELECT id, fp FROM _key_prints_arrow")
    store.con.unregister("_key_prints_arrow")
    rows = store.con.execute(
        f"SELECT r.unique_id, min(r.name_keys) FROM {RECORDS_TABLE} r JOIN _key_prints p "
        "ON p.id = r.unique_id AND p.fp = r.fingerprint GROUP BY r.unique_id").fetchall()
    return {str(a): [str(k) for k in b or ()] for a, b in rows}


def replace_records(store: SqlStore, scope: Scope, removed: Sequence[str],
                    added: pa.Table) -> None:
    """Drop the features of ``removed`` ids and add the rows of ``added``."""
    key = scope_key(scope)
    con = store.con
    _ids_table(store, "_gone", removed)  # a full run removes every record: 1.9M ids
    con.execute(f"DELETE FROM {RECORDS_TABLE} WHERE scope_key = ? AND unique_id IN "
                "(SELECT id FROM _gone)", [key])
    con.execute("DELETE FROM resolve_pairs WHERE scope_key = ? AND (left_id IN "
                "(SELECT id FROM _gone) OR right_id IN (SELECT id FROM _gone))", [key])
    if added.num_rows:
        con.register("_added", added)
        con.execute(f"INSERT INTO {RECORDS_TABLE} SELECT ?, * FROM _added", [key])
        con.unregister("_added")


def records(store: SqlStore, scope: Scope) -> pa.Table:
    """The stored linkage rows of the scope (without the scope key)."""
    return database.arrow(
        store.con, f"SELECT * FROM {RECORDS_TABLE} WHERE scope_key = ? ORDER BY unique_id",
        [scope_key(scope)]).drop_columns(["scope_key"])


def _ids_table(store: SqlStore, name: str, ids: Iterable[str]) -> None:
    store.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} (id VARCHAR)")
    store.con.register("_ids_arrow", pa.table({"id": pa.array(sorted(set(ids)), pa.string())}))
    store.con.execute(f"INSERT INTO {name} SELECT id FROM _ids_arrow")
    store.con.unregister("_ids_arrow")


def records_near(store: SqlStore, scope: Scope, ids: Iterable[str]) -> pa.Table:
    """The rows of ``ids`` and of every record sharing a block key with one of them."""
    _ids_table(store, "_near_ids", ids)
    return database.arrow(
        store.con,
        f"""WITH r AS (SELECT * FROM {RECORDS_TABLE} WHERE scope_key = ?),
             k AS (SELECT DISTINCT unnest(block_keys) AS k FROM r
                   WHERE unique_id IN (SELECT id FROM _near_ids)),
             near AS (SELECT DISTINCT unique_id FROM
                        (SELECT unique_id, unnest(block_keys) AS k FROM r) AS u
                      WHERE k IN (SELECT k FROM k))
        SELECT * FROM r
        WHERE unique_id IN (SELECT unique_id FROM near)
           OR unique_id IN (SELECT id FROM _near_ids)
        ORDER BY unique_id""", [scope_key(scope)]).drop_columns(["scope_key"])


def tf_source(store: SqlStore, scope: Scope) -> pa.Table:
    """What term frequencies are counted on, for every record of the scope."""
    return database.arrow(
        store.con, f"SELECT unique_id, name_main, birth_date, phones FROM {RECORDS_TABLE} "
        "WHERE scope_key = ?", [scope_key(scope)])


def record_attrs(store: SqlStore, scope: Scope, ids: Iterable[str] | None = None
                 ) -> tuple[list[str], list[str | None], list[bool]]:
    """Ids, categories and whether each record has a strong name (all, or ``ids``)."""
    sql = (f"SELECT unique_id, category, cardinality(names) > 0 FROM {RECORDS_TABLE} "
           "WHERE scope_key = ?")
    if ids is not None:
        _ids_table(store, "_attr_ids", ids)
        sql += " AND unique_id IN (SELECT id FROM _attr_ids)"
    rows = store.con.execute(sql + " ORDER BY unique_id", [scope_key(scope)]).fetchall()
    return ([str(r[0]) for r in rows], [r[1] for r in rows], [bool(r[2]) for r in rows])


def record_ids(store: SqlStore, scope: Scope, start: str = "") -> list[str]:
    """The ids of the scope's last resolution that begin with ``start`` (all of them
    with ""), sorted: what a short id typed back is looked up among."""
    rows = store.con.execute(
        f"SELECT unique_id FROM {RECORDS_TABLE} WHERE scope_key = ? "
        "AND starts_with(unique_id, ?) ORDER BY unique_id", [scope_key(scope), start]
    ).fetchall()
    return [str(row[0]) for row in rows]


def pairs_touching(store: SqlStore, scope: Scope, ids: Iterable[str]) -> set[str]:
    """Every record in a kept pair with one of ``ids``."""
    _ids_table(store, "_touch_ids", ids)
    rows = store.con.execute(
        "SELECT left_id, right_id FROM resolve_pairs WHERE scope_key = ? AND (left_id IN "
        "(SELECT id FROM _touch_ids) OR right_id IN (SELECT id FROM _touch_ids))",
        [scope_key(scope)]).fetchall()
    return {str(x) for row in rows for x in row}


def record_rows(store: SqlStore, scope: Scope, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Linkage rows of some entities, by id."""
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    table = database.arrow(
        store.con, f"SELECT * FROM {RECORDS_TABLE} WHERE scope_key = ? "
        f"AND unique_id IN ({marks})", [scope_key(scope), *ids]).drop_columns(["scope_key"])
    return {str(row["unique_id"]): row for row in table.to_pylist()}


# -- pairs, clusters, held pairs, runs, models -------------------------------------------
def replace_pairs(store: SqlStore, scope: Scope, pairs: pa.Table, full: bool) -> None:
    """Store scored pairs (all of them on a full run, else added to the kept ones)."""
    key = scope_key(scope)
    if full:
        store.con.execute("DELETE FROM resolve_pairs WHERE scope_key = ?", [key])
    if not pairs.num_rows:
        return
    gammas = [c for c in pairs.column_names if c.startswith("gamma_")]
    levels = (database.json_object({g[6:]: g for g in gammas}, store.con)
              if gammas else "NULL")
    store.con.register("_pairs", pairs)
    store.con.execute(
        "INSERT INTO resolve_pairs SELECT ?, least(unique_id_l, unique_id_r), "
        "greatest(unique_id_l, unique_id_r), match_weight, match_probability, "
        f"{levels} FROM _pairs", [key])
    store.con.unregister("_pairs")


def scored_pairs(store: SqlStore, scope: Scope, ids: Iterable[str] | None = None
                 ) -> pa.Table:
    """Kept pairs (``left_id``, ``right_id``, best ``probability``) as one Arrow table:
    all of them, or (``ids``) those with both records among ``ids``. Columns, because a
    national-scale run keeps tens of millions."""
    sql = ("SELECT left_id, right_id, max(match_probability) AS probability "
           "FROM resolve_pairs WHERE scope_key = ?")
    if ids is not None:
        _ids_table(store, "_within_ids", ids)
        sql += (" AND left_id IN (SELECT id FROM _within_ids) "
                "AND right_id IN (SELECT id FROM _within_ids)")
    return database.arrow(store.con, sql + " GROUP BY 1, 2", [scope_key(scope)])


def pairs(store: SqlStore, scope: Scope) -> list[tuple[str, str, float]]:
    """Kept pairs as tuples (for a few: :func:`scored_pairs` for all)."""
    return [(str(r["left_id"]), str(r["right_id"]), float(r["probability"]))
            for r in scored_pairs(store, scope).to_pylist()]


def count_pairs(store: SqlStore, scope: Scope, floor: float) -> int:
    """Kept pairs scored at or above ``floor`` (before network context)."""
    return int(store.con.execute(
        "SELECT count(*) FROM (SELECT DISTINCT left_id, right_id FROM resolve_pairs "
        "WHERE scope_key = ? AND match_probability >= ?) AS p",
        [scope_key(scope), floor]).fetchall()[0][0])


@dataclass(frozen=True)
class StoredPair:
    left: str
    right: str
    weight: float
    probability: float
    levels: dict[str, int]


def pair(store: SqlStore, scope: Scope, left: str, right: str) -> StoredPair | None:
    a, b = sorted((left, right))
    row = store.con.execute(
        "SELECT left_id, right_id, match_weight, match_probability, levels FROM resolve_pairs "
        "WHERE scope_key = ? AND left_id = ? AND right_id = ? "
        "ORDER BY match_probability DESC LIMIT 1", [scope_key(scope), a, b]).fetchall()
    if not row:
        return None
    l_id, r_id, weight, prob, levels = row[0]
    return StoredPair(str(l_id), str(r_id), float(weight), float(prob),
                      json.loads(levels) if levels else {})


_WITH_CONTEXT = """
    WITH p AS (SELECT left_id, right_id, max(match_weight) AS w, min(levels) AS lv
               FROM resolve_pairs WHERE scope_key = ? GROUP BY 1, 2),
         c AS (SELECT left_id, right_id, max(weight) AS cw FROM resolve_context
               WHERE scope_key = ? GROUP BY 1, 2),
         j AS (SELECT p.left_id, p.right_id, p.w + coalesce(c.cw, 0) AS w, p.lv
               FROM p LEFT JOIN c USING (left_id, right_id))
    SELECT left_id, right_id, w, 1 / (1 + pow(2, -w)) AS prob, lv FROM j
"""


def uncertain_pairs(store: SqlStore, scope: Scope, low: float, high: float
                    ) -> list[StoredPair]:
    """Pairs whose probability, network context included, is in ``[low, high)``."""
    rows = store.con.execute(
        f"SELECT * FROM ({_WITH_CONTEXT}) AS w WHERE prob >= ? AND prob < ?",
        [scope_key(scope), scope_key(scope), low, high]).fetchall()
    return [StoredPair(str(a), str(b), float(w), float(p), json.loads(lv) if lv else {})
            for a, b, w, p, lv in rows]


def replace_context(store: SqlStore, scope: Scope,
                    weights: pa.Table,
                    only: Iterable[str] | None = None) -> None:
    """The network-context weight added to pairs at the last clustering (of all pairs, or
    of the pairs among ``only``): ``weights`` has columns left_id, right_id, weight and
    shared."""
    key = scope_key(scope)
    if only is None:
        store.con.execute("DELETE FROM resolve_context WHERE scope_key = ?", [key])
    else:
        _ids_table(store, "_ctx_ids", only)
        store.con.execute("DELETE FROM resolve_context WHERE scope_key = ? AND left_id IN "
                          "(SELECT id FROM _ctx_ids) AND right_id IN (SELECT id FROM _ctx_ids)",
                          [key])
    if not weights.num_rows:
        return
    store.con.register("_ctx", weights)
    store.con.execute("INSERT INTO resolve_context SELECT ?, left_id, right_id, weight, shared "
                      "FROM _ctx", [key])
    store.con.unregister("_ctx")


def context_weight(store: SqlStore, scope: Scope, left: str, right: str
                   ) -> tuple[float, str] | None:
    a, b = sorted((left, right))
    row = store.con.execute(
        "SELECT weight, shared FROM resolve_context WHERE scope_key = ? AND left_id = ? "
        "AND right_id = ?", [scope_key(scope), a, b]).fetchall()
    return (float(row[0][0]), str(row[0][1] or "")) if row else None


def replace_resolution(store: SqlStore, scope: Scope, canonical: dict[str, str],
                       held: dict[tuple[str, str], str], only: Iterable[str] | None = None
                       ) -> None:
    """Store the clusters: all of them, or (``only``) those of some records.

    In one transaction: the server's other requests read the same database (each on a
    cursor of it) while a judgement re-clusters, and between the DELETE and the INSERT,
    each committed alone, they found the scope unresolved (issue 14: 400 and 409
    "nothing is resolved" under `benchmarks/api_writes.py`)."""
    key = scope_key(scope)
    con = store.con
    with _transaction(con):
        if only is None:
            con.execute("DELETE FROM resolution WHERE scope_key = ?", [key])
            con.execute("DELETE FROM resolve_held WHERE scope_key = ?", [key])
        else:
            _ids_table(store, "_only_ids", only)
            con.execute("DELETE FROM resolution WHERE scope_key = ? AND entity_id IN "
                        "(SELECT id FROM _only_ids)", [key])
            con.execute("DELETE FROM resolve_held WHERE scope_key = ? AND (left_id IN "
                        "(SELECT id FROM _only_ids) OR right_id IN (SELECT id FROM "
                        "_only_ids))", [key])
        table = pa.table({"entity_id": list(canonical),
                          "canonical_id": list(canonical.values())})
        con.register("_res", table)
        con.execute("INSERT INTO resolution SELECT ?, entity_id, canonical_id FROM _res", [key])
        con.unregister("_res")
        if held:  # one statement from Arrow, not one per pair
            pairs = sorted(held.items())
            con.register("_held", pa.table({
                "left_id": [a for (a, _b), _w in pairs], "right_id": [b for (_a, b), _w in pairs],
                "reason": [why for _pair, why in pairs]}))
            con.execute("INSERT INTO resolve_held SELECT ?, left_id, right_id, reason "
                        "FROM _held", [key])
            con.unregister("_held")


def resolution(store: SqlStore, scope: Scope) -> dict[str, str]:
    """entity id -> canonical id for the scope's last resolution (none in a store never
    resolved, whose resolution tables are not made yet)."""
    if not table_exists(store.con, "resolution"):
        return {}
    rows = store.con.execute(
        "SELECT entity_id, canonical_id FROM resolution WHERE scope_key = ?",
        [scope_key(scope)]).fetchall()
    return {str(a): str(b) for a, b in rows}


def held_pairs(store: SqlStore, scope: Scope) -> dict[tuple[str, str], str]:
    if not table_exists(store.con, "resolve_held"):
        return {}
    rows = store.con.execute(
        "SELECT left_id, right_id, reason FROM resolve_held WHERE scope_key = ?",
        [scope_key(scope)]).fetchall()
    return {(str(a), str(b)): str(r) for a, b, r in rows}


def save_model(store: SqlStore, scope: Scope, model: dict[str, Any], records: int) -> None:
    store.con.execute(
        "INSERT INTO resolve_models VALUES (?, ?, ?, ?) ON CONFLICT (scope_key) DO UPDATE "
        "SET model = excluded.model, trained_at = excluded.trained_at, "
        "records = excluded.records",
        [scope_key(scope), json.dumps(model), datetime.now(UTC).replace(tzinfo=None), records])


def model(store: SqlStore, scope: Scope) -> dict[str, Any] | None:
    row = store.con.execute("SELECT model FROM resolve_models WHERE scope_key = ?",
                            [scope_key(scope)]).fetchall()
    return json.loads(row[0][0]) if row else None


def add_run(store: SqlStore, scope: Scope, values: dict[str, Any]) -> str:
    run_id = uuid.uuid4().hex
    cols = ["id", "scope_key", *values]
    marks = ", ".join("?" for _ in cols)
    quoted = ", ".join(f'"{c}"' for c in cols)
    store.con.execute(f"INSERT INTO resolve_runs ({quoted}) VALUES ({marks})",
                      [run_id, scope_key(scope), *values.values()])
    return run_id


def last_threshold(store: SqlStore, scope: Scope) -> float | None:
    """The threshold of the scope's last run (None before the first)."""
    rows = store.con.execute(
        "SELECT threshold FROM resolve_runs WHERE scope_key = ? ORDER BY finished_at DESC "
        "LIMIT 1", [scope_key(scope)]).fetchall()
    return float(rows[0][0]) if rows else None


def references(store: SqlStore, scope: Scope) -> dict[str, int]:
    """Per resolved entity: how many visible statements of other schemata point at it."""
    where, params = scope.sql("s")
    rows = store.con.execute(
        "SELECT s.value, count(*) FROM statements s JOIN resolution r "
        f"ON r.entity_id = s.value AND r.scope_key = ? WHERE {where} "
        "AND s.schema <> 'Person' AND s.prop <> 'id' GROUP BY s.value",
        [scope_key(scope), *params]).fetchall()
    return {str(a): int(n) for a, n in rows}


def cooccurrences(store: SqlStore, scope: Scope, ids: Iterable[str] | None = None
                  ) -> pa.Table:
    """Pairs of person records named by one visible entity of another schema (a payment's
    payer and beneficiary, a call's two ends, a link's two sides); with ``ids``, only the
    pairs with one side among them. Columns ``a`` and ``b``, as Arrow."""
    where, params = scope.sql("s")
    touching = ""
    if ids is not None:
        _ids_table(store, "_cooc_ids", ids)
        touching = ("WHERE a.p IN (SELECT id FROM _cooc_ids) "
                    "OR b.p IN (SELECT id FROM _cooc_ids)")
    return database.arrow(
        store.con, f"""WITH persons AS (SELECT unique_id FROM {RECORDS_TABLE} WHERE scope_key = ?),
             refs AS (SELECT DISTINCT s.entity_id AS e, s.value AS p FROM statements s
                      WHERE {where} AND s.schema <> 'Person' AND s.prop <> 'id'
                      AND s.value IN (SELECT unique_id FROM persons))
        SELECT a.p AS a, b.p AS b FROM refs a JOIN refs b ON a.e = b.e AND a.p < b.p
        {touching}""", [scope_key(scope), *params])


def save_context_model(store: SqlStore, scope: Scope, m: float, u: float,
                       applied: bool) -> None:
    store.con.execute("INSERT INTO resolve_context_models VALUES (?, ?, ?, ?) "
                      "ON CONFLICT (scope_key) DO UPDATE SET m = excluded.m, u = excluded.u, "
                      "applied = excluded.applied",
                      [scope_key(scope), m, u, applied])


def context_model(store: SqlStore, scope: Scope) -> tuple[float, float, bool] | None:
    row = store.con.execute("SELECT m, u, applied FROM resolve_context_models "
                            "WHERE scope_key = ?", [scope_key(scope)]).fetchall()
    return (float(row[0][0]), float(row[0][1]), bool(row[0][2])) if row else None
