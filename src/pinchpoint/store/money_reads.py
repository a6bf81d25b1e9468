"""Scoped reads the money stage needs: every visible payment as one row, with the
provenance of the statements that make it, and the names of the parties.

Done in SQL so a ledger of a million transfers stays in DuckDB until it is one row per
payment. Like every store read, each takes the store and the scope first and joins only
statements the scope sees: a payment whose payer the scope cannot see has no payer here,
and a redacted value (a protected person's name) is never a party's label.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from pinchpoint.store.scope import REDACTED, Scope
from pinchpoint.store.sql_store import ENTITY_SLICE, SqlStore, sliced_rows

# The Payment properties a transfer is made of (FtM's, which the ledger layout fills).
PAYMENT_PROPS = ("payer", "beneficiary", "amount", "currency", "date", "transactionNumber")
NAME_PROPS = ("name", "alias", "phone")  # a party's label, in this order of preference


class PaymentRow(NamedTuple):
    """One visible payment: each property's values (sorted) and its provenance."""

    id: str
    payers: tuple[str, ...]
    beneficiaries: tuple[str, ...]
    amounts: tuple[str, ...]
    currencies: tuple[str, ...]
    dates: tuple[str, ...]
    references: tuple[str, ...]
    owners: tuple[str, ...]
    sources: tuple[str, ...]
    source_grade: str  # the weakest of its statements' (UK 1-3: 3 is weakest)
    info_grade: str  # the weakest (UK A-E: E is weakest)
    handling: tuple[str, ...]
    conditions: tuple[str, ...]
    classifications: tuple[str, ...]
    statement_ids: tuple[str, ...]


def payments(store: SqlStore, scope: Scope, slice_size: int = ENTITY_SLICE) -> list[PaymentRow]:
    """Every visible Payment entity with its parties, amounts, dates and provenance,
    ordered by id. Values the scope sees redacted are left out."""
    return list(payment_rows(store, scope, slice_size))


def payment_rows(store: SqlStore, scope: Scope, slice_size: int = ENTITY_SLICE,
                 chunk: int = 10_000) -> Iterator[PaymentRow]:
    """`payments` a chunk at a time, so a reader that keeps a little of each (the flow
    graph keeps no statement ids) never holds them all: as one list they took 2 KB a
    payment, more than the flow graph built from them."""
    visible, params = scope.relation()
    lists = ", ".join(_distinct("value", f"prop = '{prop}'") for prop in PAYMENT_PROPS)
    query = (f"""SELECT entity_id, {lists}, {_distinct("owner")}, {_distinct("source")},
            max(source_grade), max(info_grade), {_distinct("handling")},
            {_distinct("handling_conditions")}, {_distinct("classification")},
            array_agg(id ORDER BY id)
        FROM ({visible}) AS s
        WHERE schema = 'Payment' AND value <> '{REDACTED}' """
             "{slice} GROUP BY entity_id ORDER BY entity_id")
    # a slice of ids at a time: 1.9M payments in one ordered aggregate overran 2 GB
    for rows in sliced_rows(store.con, query, params, "Payment", size=slice_size,
                            chunk=chunk):
        yield from (_row(row) for row in rows)


def _distinct(column: str, where: str = "TRUE") -> str:
    """SQL for the sorted distinct values of `column` (NULL left out) where `where`."""
    return (f"array_agg(DISTINCT {column} ORDER BY {column}) "
            f"FILTER (WHERE {column} IS NOT NULL AND {where})")


def _values(x: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in (x or ()) if v is not None)


def _row(row: tuple[Any, ...]) -> PaymentRow:
    """Columns 1-8 and 11-14 are lists, 9 and 10 the weakest grades."""
    (payers, beneficiaries, amounts, currencies, dates, references, owners, sources,
     handling, conditions, classifications, ids) = (_values(x) for x in (*row[1:9],
                                                                       *row[11:15]))
    return PaymentRow(str(row[0]), payers, beneficiaries, amounts, currencies, dates,
                      references, owners, sources, str(row[9] or ""), str(row[10] or ""),
                      handling, conditions, classifications, ids)


def party_names(store: SqlStore, scope: Scope, entity_ids: Sequence[str]
                ) -> dict[str, list[tuple[str, str, int, str, str]]]:
    """Per entity: its visible names, aliases and phones as (prop, value, count, best
    grade ("1A" best), earliest first_seen), most frequent first. Redacted values are
    left out. The ids go to the database as a table, a slice at a time (`sliced_rows`),
    not as one parameter each: two million payment parties in one query took the
    10M-record run's network past 23 GB."""
    if not entity_ids:
        return {}
    visible, params = scope.relation()
    marks = ", ".join("?" for _ in NAME_PROPS)
    query = (f"""SELECT entity_id, prop, value, count(*) AS n,
        min(source_grade || info_grade), min(first_seen) FROM ({visible}) AS s
        WHERE prop IN ({marks}) AND value <> '{REDACTED}' """
             "{slice} GROUP BY entity_id, prop, value ORDER BY entity_id, n DESC, prop, value")
    out: dict[str, list[tuple[str, str, int, str, str]]] = {}
    for rows in sliced_rows(store.con, query, [*params, *NAME_PROPS], "Person",
                            entity_ids=entity_ids):
        for entity_id, prop, value, n, grade, seen in rows:
            out.setdefault(str(entity_id), []).append((str(prop), str(value), int(n),
                                                       str(grade), str(seen)))
    return out


__all__ = ["NAME_PROPS", "PAYMENT_PROPS", "PaymentRow", "party_names", "payment_rows", "payments"]
