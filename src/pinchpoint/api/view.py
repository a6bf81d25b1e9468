"""A scope's visible statements held in memory, found by entity id.

Profiles, neighbourhoods and lists need a few entities' statements per request. Asking
DuckDB each time cost 2 ms of query plus the planning of the scoped SQL and the rows
built in Python: most of the server's time under load (`benchmarks/results/api.json`).
The server instead reads the scope's statements once, through the same
`Scope.relation()` that every store read uses (so the access rules and redaction are
applied exactly as there), into one Arrow table sorted by entity, and keeps where each
entity's rows start and end. `pinchpoint.api.cache` keeps one view per scope key and
drops it after any write of the app.

Memory: the medium scenario's restricted NCA scope (825k statements) takes about 150 MB,
with the repetitive columns dictionary-encoded; reading it takes about a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from pinchpoint.store.records import STATEMENT_COLUMNS, Statement
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore

# Few distinct values: kept once each (dictionary-encoded), not once per statement.
REPEATED = ("schema", "prop", "lang", "source", "owner", "source_grade", "info_grade",
            "grade_original", "handling", "handling_conditions", "classification", "batch")


@dataclass(frozen=True)
class StatementView:
    """Statements sorted by entity, with each entity's row span."""

    table: pa.Table
    spans: dict[str, tuple[int, int]]
    # per dictionary column: its words as an array (None last, for a missing value) and
    # its codes as an array (a view of the table's own buffer; copied where nulls are)
    words: dict[str, npt.NDArray[Any]]
    codes: dict[str, npt.NDArray[Any]]

    @classmethod
    def read(cls, store: SqlStore, scope: Scope) -> StatementView:
        return cls.of(store.statement_table(scope))

    @classmethod
    def of(cls, table: pa.Table) -> StatementView:
        """A view of `table` (columns as `STATEMENT_COLUMNS`, sorted by entity id)."""
        table = table.select(STATEMENT_COLUMNS)
        for name in REPEATED:
            at = table.schema.get_field_index(name)
            table = table.set_column(at, name, pc.dictionary_encode(table.column(name)))
        table = table.combine_chunks()
        dictionaries = {name: table.column(name).chunk(0).dictionary.to_pylist()
                        for name in REPEATED if table.column(name).num_chunks}
        spans: dict[str, tuple[int, int]] = {}
        ids = table.column("entity_id").to_pylist()
        start = 0
        for n in range(1, len(ids) + 1):
            if n == len(ids) or ids[n] != ids[start]:
                spans[ids[start]] = (start, n)
                start = n
        words = {name: np.array([*found, None], dtype=object)
                 for name, found in dictionaries.items()}
        codes = {name: _codes(table.column(name).chunk(0).indices, len(found))
                 for name, found in dictionaries.items()}
        return cls(table, spans, words, codes)

    def __len__(self) -> int:
        return int(self.table.num_rows)

    def has_any(self, entity_ids: Iterable[str]) -> bool:
        """Whether any of these entities has a visible statement."""
        return any(e in self.spans for e in entity_ids)

    def statements(self, entity_ids: Iterable[str]) -> list[Statement]:
        """The visible statements of these entities, in the order `store.statements`
        gives them (entity, prop, value, source, record)."""
        columns = self.columns(entity_ids)
        return [Statement(*values) for values in zip(*columns.values(), strict=True)]

    def columns(self, entity_ids: Iterable[str],
                names: Sequence[str] = STATEMENT_COLUMNS) -> dict[str, list[Any]]:
        """`statements` as one list per column (cheaper when the caller builds its own
        rows: no statement objects)."""
        rows: list[int] = []
        for entity in sorted(set(entity_ids)):
            span = self.spans.get(entity)
            if span is not None:
                rows.extend(range(*span))
        if not rows:
            return {name: [] for name in names}
        at = np.array(rows, np.int64)
        plain = [name for name in names if name not in self.codes]
        picked = self.table.select(plain).take(pa.array(at)) if plain else None
        return {name: (self.words[name][self.codes[name][at]].tolist() if name in self.codes
                       else picked.column(name).to_pylist())  # type: ignore[union-attr]
                for name in names}


def _codes(indices: pa.Array, missing: int) -> npt.NDArray[Any]:
    """A dictionary column's codes as an array, `missing` where there is no value
    (decoding through arrays: Arrow's own `to_pylist` of a dictionary column was five
    times slower, and a list of codes per request a fifth of a profile)."""
    if indices.null_count == 0:
        return indices.to_numpy()  # type: ignore[no-any-return]
    return pc.fill_null(indices, missing).to_numpy()  # type: ignore[no-any-return]
