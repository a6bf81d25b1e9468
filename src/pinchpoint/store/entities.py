"""Statements back into FtM entities, and the FtM JSON-lines export.

Reads go through the store with a scope, so an export only ever contains what the
reader may see.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import IO

from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy

from pinchpoint.model.ftm import ID_PROP, get_model, to_stock
from pinchpoint.store.records import Statement
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore


def entity_schema(statements: list[Statement]) -> str:
    """The most specific schema all statements agree on (Person over LegalEntity)."""
    return common_schema(Counter(s.schema for s in statements))


def common_schema(counts: Mapping[str, int]) -> str:
    """`entity_schema` of statements with these schemas (schema name -> how many)."""
    model = get_model()
    names = sorted(counts)
    schema = model[names[0]]
    for name in names[1:]:
        try:
            schema = model.common_schema(schema, name)
        except InvalidData:
            # Incompatible claims (a Person and a Vessel under one id): keep the
            # schema most statements use; the others stay readable as statements.
            return max(names, key=lambda n: (counts[n], n))
    return schema.name


def to_entity(statements: list[Statement]) -> EntityProxy:
    entity = get_model().make_entity(entity_schema(statements))
    entity.id = statements[0].entity_id
    for stmt in statements:
        if stmt.prop == ID_PROP:
            continue
        prop = entity.schema.get(stmt.prop)
        if prop is not None:
            entity.unsafe_add(prop, stmt.value, cleaned=True)
    return entity


def iter_entities(store: SqlStore, scope: Scope) -> Iterator[EntityProxy]:
    for group in store.iter_entities(scope):
        yield to_entity(group)


def export_ftm(store: SqlStore, scope: Scope, out: IO[str], stock: bool = True,
               progress: Callable[[int], None] | None = None) -> int:
    """Write visible entities as FtM JSON lines, sorted by id. Returns the count.

    With ``stock`` (the default) extension schemata are down-cast to stock FtM so any
    FtM tool reads the file; without it, Pinchpoint's own schemata are kept.
    """
    count = 0
    for entity in iter_entities(store, scope):
        data = (to_stock(entity) if stock else entity).to_dict()
        out.write(json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
        if progress and count % 10_000 == 0:
            progress(count)
    return count
