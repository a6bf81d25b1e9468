"""Scoped reads the supply stage needs: every visible row (a record) that names a serial
number, with all the values its entities carry on that row, and the person categories
of given entities.

A seizure log, an invoice, a customs declaration, a storage search and a vehicle check
all name items by serial on one row each, beside the parties, the vehicle and the
event the row is about; linking across files is the supply stage's work. The rows are
found in SQL (the statements of a row share its owner and record locator), so a store
of millions of statements hands over only the few thousand rows about equipment. Like
every store read, each takes the scope first and joins only statements it sees: a
record the scope cannot see names nothing here, and a redacted value (a protected
person's name) is never returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from pinchpoint.store.scope import REDACTED, Scope
from pinchpoint.store.sql_store import SqlStore

# The properties a supply row is read for: the event (seizure, sale, declaration,
# search, check), the items, the parties and vehicles, and the places.
ROW_PROPS = ("name", "keywords", "date", "location", "country", "summary", "organizer",
             "involved", "addressEntity", "vehicle", "registrationNumber", "full", "model",
             "itemKind", "make", "serialNumber", "quantity", "seizure", "seizingAgency")


class RowValue(NamedTuple):
    """One visible value on a row that names a serial, with its provenance."""

    owner: str
    record: str
    source: str
    entity_id: str
    schema: str
    prop: str
    value: str
    source_grade: str
    info_grade: str
    handling: str
    classification: str


def serial_rows(store: SqlStore, scope: Scope) -> list[RowValue]:
    """Every visible value of the rows (owner and record) on which some SeizedItem has a
    visible serial number, ordered by owner, record, entity, property and value."""
    visible, params = scope.relation()
    props = ", ".join("?" for _ in ROW_PROPS)
    query = f"""WITH v AS ({visible}),
        named AS (SELECT DISTINCT owner, record FROM v
                  WHERE schema = 'SeizedItem' AND prop = 'serialNumber'
                    AND value <> '{REDACTED}' AND record IS NOT NULL)
        SELECT v.owner, v.record, v.source, v.entity_id, v.schema, v.prop, v.value,
               v.source_grade, v.info_grade, v.handling, v.classification
        FROM v JOIN named ON v.owner = named.owner AND v.record = named.record
        WHERE v.prop IN ({props}) AND v.value <> '{REDACTED}'
        ORDER BY v.owner, v.record, v.entity_id, v.prop, v.value"""
    rows = store.con.execute(query, [*params, *ROW_PROPS]).fetchall()
    return [RowValue(*(str(x) if x is not None else "" for x in row)) for row in rows]


def person_categories(store: SqlStore, scope: Scope, entity_ids: Sequence[str]
                      ) -> dict[str, set[tuple[str, str]]]:
    """Per entity: the person categories (suspect, victim, witness, ...) the scope sees
    for it, each with the agency whose record says so. An entity with none is absent."""
    if not entity_ids:
        return {}
    visible, params = scope.relation(entity_ids=entity_ids)
    query = (f"SELECT DISTINCT entity_id, value, owner FROM ({visible}) AS s "
             "WHERE prop = 'personCategory'")
    out: dict[str, set[tuple[str, str]]] = {}
    for entity_id, value, owner in store.con.execute(query, params).fetchall():
        out.setdefault(str(entity_id), set()).add((str(value), str(owner)))
    return out


__all__ = ["ROW_PROPS", "RowValue", "person_categories", "serial_rows"]
