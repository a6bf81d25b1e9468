"""A scoped graph neighbourhood: the entities linked to some entities within a few steps.

A link is a relationship entity (a payment, a call, an associate record, a message) whose
statements name two or more entities: "A's statement value equals B's id" is a reference,
as in `graph_reads.references`. A relationship naming an entity reached so far gives one
edge from it to each other entity the relationship names, with the referencing
statements as the evidence.

Everything is read from `Scope.relation()`, never from the statements table, so an
invisible relationship gives no edge and an invisible end is no node: for this reader
they do not exist. Works on record-level entity ids (no resolution).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore

_REFERS = "prop <> 'id' AND entity_id <> value"


class Node(NamedTuple):
    entity_id: str
    schema: str


class Edge(NamedTuple):
    relationship_id: str  # the payment, call, associate record
    schema: str  # its schema
    source: str  # the end reached first
    target: str  # the other end
    statement_ids: tuple[str, ...]  # the relationship's statements naming the two ends


class Neighbourhood(NamedTuple):
    nodes: tuple[Node, ...]  # the given ids that are visible, then what they reach
    edges: tuple[Edge, ...]


def _step(store: SqlStore, scope: Scope, frontier: Sequence[str]
          ) -> list[tuple[str, str, str, str, str]]:
    """One hop out of ``frontier``: each visible reference, of each visible entity naming
    a frontier entity, to a visible entity: (relationship, its schema, end, end's schema,
    statement id). The relation is inlined three times so each scan keeps its own filters."""
    visible, params = scope.relation()
    rows = store.con.execute(
        f"""WITH rel AS (SELECT DISTINCT entity_id FROM ({visible}) AS a
                         WHERE {_REFERS} AND value IN (SELECT unnest(?::VARCHAR[]))),
            ref AS (SELECT entity_id, schema, value, id FROM ({visible}) AS b
                    WHERE {_REFERS} AND entity_id IN (SELECT entity_id FROM rel)),
            ends AS (SELECT entity_id, min(schema) AS schema FROM ({visible}) AS c
                     WHERE entity_id IN (SELECT value FROM ref) GROUP BY entity_id)
        SELECT ref.entity_id, ref.schema, ref.value, ends.schema, ref.id
        FROM ref JOIN ends ON ends.entity_id = ref.value""",
        [*params, list(frontier), *params, *params]).fetchall()
    return [(str(r), str(rs), str(e), str(es), str(i)) for r, rs, e, es, i in rows]


def neighbourhood(store: SqlStore, scope: Scope, entity_ids: Sequence[str],
                  hops: int = 1) -> Neighbourhood:
    """The visible entities within ``hops`` relationships of ``entity_ids``, and the
    relationships (edges) linking them. Ids the scope cannot see are left out."""
    visible, params = scope.relation()
    found = store.con.execute(
        f"SELECT entity_id, min(schema) FROM ({visible}) AS v "
        "WHERE entity_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY entity_id ORDER BY entity_id",
        [*params, list(entity_ids)]).fetchall()
    nodes = {str(e): Node(str(e), str(s)) for e, s in found}
    frontier = set(nodes)
    edges: dict[tuple[str, str, str], Edge] = {}
    for _ in range(hops):
        if not frontier:
            break
        named: dict[str, dict[str, list[str]]] = {}  # relationship -> end -> statements
        schemata: dict[str, str] = {}
        for rel, rel_schema, end, end_schema, statement in _step(store, scope, sorted(frontier)):
            named.setdefault(rel, {}).setdefault(end, []).append(statement)
            schemata[rel], schemata[end] = rel_schema, end_schema
        reached: set[str] = set()
        for rel, ends in sorted(named.items()):
            for a in sorted(set(ends) & frontier):
                for b in sorted(set(ends) - {a}):
                    if (rel, b, a) not in edges:
                        evidence = tuple(sorted({*ends[a], *ends[b]}))
                        edges[(rel, a, b)] = Edge(rel, schemata[rel], a, b, evidence)
                    if b not in nodes:
                        nodes[b] = Node(b, schemata[b])
                        reached.add(b)
        frontier = reached
    return Neighbourhood(tuple(nodes.values()), tuple(edges[k] for k in sorted(edges)))
