"""The identifying facts of each visible person, for hit/no-hit matching
(`pinchpoint.matching`): names, birth dates, phones, e-mails, documents, IMEIs, IBANs.

One scoped SQL read, so a partner's filter is built from exactly what the scope sees:
a person's own properties, those of a handset, identity document or user account the
person owns or holds, and the IBAN of a bank account an ``Ownership`` gives the person.
A value redacted for the scope (a victim's or witness's identifying detail) is no fact.
Rows come back sorted by person, a chunk at a time, so a million people are never held
as statements.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from pinchpoint.store.scope import REDACTED, Scope
from pinchpoint.store.sql_store import SqlStore

# Properties of a Person that identify them, read as they are stored.
PERSON_FACTS = ("name", "alias", "previousName", "firstName", "middleName", "lastName",
                "birthDate", "phone", "email", "passportNumber", "idNumber", "nationality")
# (schema, property naming the person, properties read from that entity).
HELD_FACTS = (("Handset", "owner", ("phoneNumber", "imei")),
              ("Identification", "holder", ("number", "country")),
              ("Passport", "holder", ("number", "country")),
              ("UserAccount", "owner", ("email",)))


class Fact(NamedTuple):
    """One identifying value of a person: ``via`` is the entity it was read from (the
    person itself, or the handset, document or account they hold)."""

    person: str
    schema: str  # the schema of the entity it was read from
    prop: str
    value: str
    via: str


def person_facts(store: SqlStore, scope: Scope, chunk: int = 50_000) -> Iterator[Fact]:
    """Every identifying fact of every visible Person, ordered by person."""
    visible, params = scope.relation()
    marks = ", ".join("?" for _ in PERSON_FACTS)
    held = " UNION ALL ".join(
        f"SELECT o.value AS person, x.schema, x.prop, x.value, x.entity_id AS via FROM v o "
        f"JOIN v x ON x.entity_id = o.entity_id AND x.prop IN "
        f"({', '.join(repr(p) for p in props)}) "
        f"WHERE o.schema = '{schema}' AND o.prop = '{holder}'"
        for schema, holder, props in HELD_FACTS)
    owned = ("SELECT o.value AS person, x.schema, x.prop, x.value, x.entity_id AS via "
             "FROM v o JOIN v a ON a.entity_id = o.entity_id AND a.prop = 'asset' "
             "JOIN v x ON x.entity_id = a.value AND x.schema = 'BankAccount' "
             "AND x.prop = 'iban' WHERE o.schema = 'Ownership' AND o.prop = 'owner'")
    sql = (f"WITH v AS (SELECT * FROM ({visible}) AS r WHERE r.value <> '{REDACTED}'), "
           f"p AS (SELECT DISTINCT entity_id FROM v WHERE schema = 'Person') "
           f"SELECT DISTINCT u.* FROM (SELECT entity_id AS person, schema, prop, value, "
           f"entity_id AS via FROM v WHERE schema = 'Person' AND prop IN ({marks}) "
           f"UNION ALL {held} UNION ALL {owned}) AS u "
           f"WHERE u.person IN (SELECT entity_id FROM p) ORDER BY 1, 2, 3, 4, 5")
    cur = store.con.cursor()
    try:
        cur.execute(sql, [*params, *PERSON_FACTS])
        while rows := cur.fetchmany(chunk):
            yield from (Fact(*(str(x) for x in row)) for row in rows)
    finally:
        cur.close()
