"""Scoped reads that turn cited statement ids back into what they record.

A disruption plan or a path cites the statements behind a tie; an analyst needs to read
them as a call, a payment or an arrest between named people. These reads fetch the few
statements cited, the entities they belong to and the entities those point at, and
nothing else, so describing a plan of twenty arrests costs three small queries even on
a national store.

Like `pinchpoint.store.graph_reads`, every reader takes the store and the scope first
and selects from the scope's visible statements only: a cited id the scope cannot see
is simply not returned, and neither is any value of an entity it cannot see, so a
partner learns nothing about what lies outside its scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from pinchpoint.store.graph_reads import resolved_count
from pinchpoint.store.resolution import scope_key
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore


class Fact(NamedTuple):
    """One visible statement, reduced to what a description reads."""

    statement_id: str
    entity_id: str
    schema: str
    prop: str
    value: str


_COLUMNS = "s.id, s.entity_id, s.schema, s.prop, s.value"


def cited_facts(store: SqlStore, scope: Scope, statement_ids: Sequence[str]) -> list[Fact]:
    """The statements among ``statement_ids`` that the scope sees (the rest are absent)."""
    wanted = sorted(set(statement_ids))
    if not wanted:
        return []
    visible, params = scope.relation()
    marks = ", ".join("?" for _ in wanted)
    rows = store.con.execute(
        f"SELECT {_COLUMNS} FROM ({visible}) AS s WHERE s.id IN ({marks})",
        [*params, *wanted]).fetchall()
    return [Fact(*(str(x) for x in row)) for row in rows]


def entity_facts(store: SqlStore, scope: Scope, entity_ids: Sequence[str]) -> list[Fact]:
    """Every visible statement of ``entity_ids``, in entity, property, value order; an
    entity the scope cannot see has none."""
    if not entity_ids:
        return []
    visible, params = scope.relation(entity_ids)
    rows = store.con.execute(
        f"SELECT {_COLUMNS} FROM ({visible}) AS s ORDER BY s.entity_id, s.prop, s.value",
        params).fetchall()
    return [Fact(*(str(x) for x in row)) for row in rows]


def canonical_ids(store: SqlStore, scope: Scope, entity_ids: Sequence[str]
                  ) -> dict[str, str]:
    """entity id -> canonical id in the scope's last resolution, for those of
    ``entity_ids`` it covers (the resolution is stored per scope, so it only ever
    holds what this scope saw)."""
    wanted = sorted(set(entity_ids))
    if not wanted or not resolved_count(store, scope):
        return {}
    marks = ", ".join("?" for _ in wanted)
    rows = store.con.execute(
        f"SELECT entity_id, canonical_id FROM resolution WHERE scope_key = ? "
        f"AND entity_id IN ({marks})", [scope_key(scope), *wanted]).fetchall()
    return {str(a): str(b) for a, b in rows}
