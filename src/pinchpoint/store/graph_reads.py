"""Scoped reads the network projection needs, done in SQL so a million statements stay
in DuckDB: which entity points at which, when each entity happened, and the identifiers
(phones, documents) that people hold.

Every reader takes the store and the scope first, like the store's own methods, and
joins only statements the scope sees: a reference to an entity the scope cannot see is
not returned, so a partner never learns that the other end exists.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

from pinchpoint.store.resolution import scope_key
from pinchpoint.store.schema_sql import table_exists
from pinchpoint.store.scope import REDACTED, Scope
from pinchpoint.store.sql_store import SqlStore

# Properties whose values are dates of what an entity records (a payment's date, a
# call's time, an event's start and end, a post's time).
DATE_PROPS = ("date", "startDate", "endDate", "postedAt", "authoredAt", "publishedAt")

# (schema, property) -> the kind of identifier a person holds directly.
PERSON_IDENTIFIERS = {"phone": "phone", "email": "email", "passportNumber": "document",
                      "idNumber": "document"}
# (schema, holder property, value property) -> kind: identifiers held through an entity.
HELD_IDENTIFIERS = (("Handset", "owner", "phoneNumber", "phone"),
                    ("Identification", "holder", "number", "document"),
                    ("Passport", "holder", "number", "document"))


class Reference(NamedTuple):
    """One visible statement whose value is the id of a visible entity."""

    entity_id: str  # the entity that points (a payment)
    schema: str
    prop: str  # the property that points (payer)
    target: str  # the entity pointed at (a person)
    target_schema: str
    statement_id: str


class Identifier(NamedTuple):
    holder: str  # the person (or other entity) holding it
    kind: str  # phone, email, document
    value: str
    statement_id: str


def _visible(scope: Scope) -> tuple[str, list[object]]:
    """The visible statements, redacted values left out (a redacted phone is no tie)."""
    visible, params = scope.relation()
    return f"SELECT * FROM ({visible}) AS r WHERE r.value <> '{REDACTED}'", params


def resolved_count(store: SqlStore, scope: Scope) -> int:
    """How many entities the scope's last resolution covers (0 before the first)."""
    if not table_exists(store.con, "resolution"):
        return 0
    row = store.con.execute("SELECT count(*) FROM resolution WHERE scope_key = ?",
                            [scope_key(scope)]).fetchall()
    return int(row[0][0])


def references(store: SqlStore, scope: Scope, target_schemata: Sequence[str]
               ) -> list[Reference]:
    """Every visible statement pointing at a visible entity of ``target_schemata``."""
    return [ref for found in pointing(store, scope, target_schemata) for ref in found.refs]


class Pointing(NamedTuple):
    """One visible entity's references (`Reference`) to visible entities, and its date
    span (earliest and latest day, as `entity_dates` gives it; None when undated or not
    asked for)."""

    entity_id: str
    refs: list[Reference]
    span: tuple[str, str] | None


def pointing(store: SqlStore, scope: Scope, target_schemata: Sequence[str],
             schemata: Sequence[str] | None = None, props: Sequence[str] | None = None,
             dates: bool = False, chunk: int = 10_000) -> Iterator[Pointing]:
    """`references` grouped by the entity that points, in entity id order, streamed a
    chunk of rows at a time: at national scale the references run to tens of millions,
    and held as one list of Python objects they alone outgrew the machine. With
    `schemata` / `props`, only statements of those schemata / properties point (the
    filter runs in SQL); with `dates`, each entity comes with its date span, computed
    over the schemata that point (what `entity_dates` of those schemata gives)."""
    sql, params = _pointing_sql(scope, target_schemata, schemata, props, dates)
    cur = store.con.cursor()
    try:
        cur.execute(sql, params)
        group: list[Reference] = []
        span: tuple[str, str] | None = None
        while rows := cur.fetchmany(chunk):
            for row in rows:
                ref = Reference(*(str(x) for x in row[:6]))
                if group and group[0].entity_id != ref.entity_id:
                    yield Pointing(group[0].entity_id, group, span)
                    group = []
                group.append(ref)
                span = (str(row[6]), str(row[7])) if row[6] is not None else None
        if group:
            yield Pointing(group[0].entity_id, group, span)
    finally:
        cur.close()


def _pointing_sql(scope: Scope, target_schemata: Sequence[str],
                  schemata: Sequence[str] | None, props: Sequence[str] | None, dates: bool
                  ) -> tuple[str, list[object]]:
    visible, params = _visible(scope)
    marks = ", ".join("?" for _ in target_schemata)
    where, where_params = "", list[object]()
    for column, values in (("schema", schemata), ("prop", props)):
        if values is not None:
            where += f" AND s.{column} IN ({', '.join('?' for _ in values) or 'NULL'})"
            where_params += list(values)
    refs = (f"""SELECT s.entity_id, s.schema, s.prop, s.value, t.schema AS target_schema,
               s.id FROM v s JOIN t ON t.entity_id = s.value
               WHERE s.prop <> 'id' AND s.entity_id <> s.value{where}""")
    span, spans = "NULL, NULL", ""
    if dates:
        days = ", ".join("?" for _ in DATE_PROPS)
        spans = f""", d AS (SELECT entity_id, min(left(value, 10)) AS first,
                   max(left(value, 10)) AS last FROM v
                   WHERE schema IN (SELECT DISTINCT schema FROM r) AND prop IN ({days})
                   AND value ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}'
                   AND entity_id IN (SELECT entity_id FROM r) GROUP BY entity_id)"""
        where_params += list(DATE_PROPS)
        span = "d.first, d.last"
    sql = f"""WITH v AS ({visible}),
             t AS (SELECT entity_id, min(schema) AS schema FROM v
                   WHERE schema IN ({marks}) GROUP BY entity_id),
             r AS {"MATERIALIZED " if dates else ""}({refs}){spans}
        SELECT r.*, {span} FROM r {"LEFT JOIN d USING (entity_id)" if dates else ""}
        ORDER BY r.entity_id, r.prop, r.value, r.id"""
    return sql, [*params, *target_schemata, *where_params]


def initiated_ties(store: SqlStore, scope: Scope, directed: Mapping[str, tuple[str, str]],
                   chunk: int = 10_000) -> Iterator[tuple[str, str, int]]:
    """(initiator, receiver, how many entities) between resolved people, counted in SQL:
    per visible entity of a schema of ``directed`` (schema -> (initiator's property,
    receiving end's property)), each distinct pair of different resolved people (the
    scope's last resolution; a record it lacks is its own) pointed at by the two
    properties, each a visible Person; in (initiator, receiver) order. Grouping the
    national store's calls in Python, row by row, held 10 GB of sorting in DuckDB beside
    the network."""
    visible, params = _visible(scope)
    ends = " OR ".join("(schema = ? AND prop IN (?, ?))" for _ in directed)
    pairs = " OR ".join("(a.schema = ? AND a.prop = ? AND b.prop = ?)" for _ in directed)
    flat = [x for schema, (first, second) in directed.items() for x in (schema, first, second)]
    sql = f"""WITH v AS ({visible}),
        p AS (SELECT DISTINCT entity_id FROM v WHERE schema = 'Person'),
        r AS (SELECT s.entity_id, s.schema, s.prop,
                     coalesce(m.canonical_id, s.value) AS target
              FROM (SELECT entity_id, schema, prop, value FROM v
                    WHERE entity_id <> value AND ({ends or 'FALSE'})) AS s
              JOIN p ON p.entity_id = s.value
              LEFT JOIN resolution m ON m.scope_key = ? AND m.entity_id = s.value)
        SELECT initiator, receiver, count(*) FROM (
            SELECT DISTINCT a.entity_id, a.target AS initiator, b.target AS receiver
            FROM r a JOIN r b ON b.entity_id = a.entity_id AND b.schema = a.schema
            WHERE ({pairs or 'FALSE'}) AND a.target <> b.target) AS d
        GROUP BY initiator, receiver ORDER BY 1, 2"""
    cur = store.con.cursor()
    try:
        cur.execute(sql, [*params, *flat, scope_key(scope), *flat])
        while rows := cur.fetchmany(chunk):
            yield from ((str(a), str(b), int(n)) for a, b, n in rows)
    finally:
        cur.close()


def entity_dates(store: SqlStore, scope: Scope, schemata: Sequence[str]
                 ) -> dict[str, tuple[str, str]]:
    """Per visible entity of ``schemata``: its earliest and latest date (YYYY-MM-DD);
    undated entities are absent."""
    if not schemata:
        return {}
    visible, params = _visible(scope)
    kinds = ", ".join("?" for _ in schemata)
    marks = ", ".join("?" for _ in DATE_PROPS)
    rows = store.con.execute(
        f"""WITH v AS ({visible})
        SELECT entity_id, min(left(value, 10)), max(left(value, 10)) FROM v
        WHERE schema IN ({kinds}) AND prop IN ({marks})
        AND value ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}'
        GROUP BY entity_id""", [*params, *schemata, *DATE_PROPS]).fetchall()
    return {str(e): (str(a), str(b)) for e, a, b in rows}


def identifiers(store: SqlStore, scope: Scope) -> list[Identifier]:
    """Phones, e-mails and document numbers that visible entities hold: a person's own,
    and those of a handset or identity document the person owns or holds."""
    return list(held_identifiers(store, scope))


def held_identifiers(store: SqlStore, scope: Scope, chunk: int = 10_000,
                     persons_only: bool = False) -> Iterator[Identifier]:
    """`identifiers` a chunk at a time: the projection keeps only those held by people
    (`persons_only`: a visible Person entity, checked in SQL), grouped by value, and
    need not hold every one as an object first."""
    visible, params = _visible(scope)
    holders = ("WHERE u.holder IN (SELECT entity_id FROM v WHERE schema = 'Person')"
               if persons_only else "")
    direct = " UNION ALL ".join(
        f"SELECT entity_id AS holder, '{kind}', value, id FROM v WHERE schema = 'Person' "
        f"AND prop = '{prop}'" for prop, kind in PERSON_IDENTIFIERS.items())
    held = " UNION ALL ".join(
        f"SELECT o.value, '{kind}', x.value, x.id FROM v o JOIN v x "
        f"ON x.entity_id = o.entity_id AND x.prop = '{value}' "
        f"WHERE o.schema = '{schema}' AND o.prop = '{holder}'"
        for schema, holder, value, kind in HELD_IDENTIFIERS)
    cur = store.con.cursor()
    try:
        cur.execute(f"WITH v AS ({visible}) SELECT * FROM ({direct} UNION ALL {held}) AS u "
                    f"{holders} ORDER BY 1, 2, 3, 4", params)
        while rows := cur.fetchmany(chunk):
            yield from (Identifier(*(str(x) for x in row)) for row in rows)
    finally:
        cur.close()


class PersonSummary(NamedTuple):
    """One resolved person (a node): how many visible records it has, per property how
    many of them hold each value, and per property and value the best grade (source
    then information grade, "1A" best) and earliest first_seen of the statements giving
    it (what the display name's rule breaks ties on: `model.display_name`)."""

    node: str
    records: int
    values: dict[str, dict[str, int]]
    ties: dict[str, dict[str, tuple[str, str]]]


def person_summaries(store: SqlStore, scope: Scope, props: Sequence[str],
                     chunk: int = 10_000) -> Iterator[PersonSummary]:
    """Per resolved person of the scope's last resolution, in id order: its visible
    Person records and, for each of ``props``, the number of those records holding each
    value. Counted in SQL: per-record values of 4M persons held in Python to be merged
    were most of a national-scale projection's memory."""
    visible, params = _visible(scope)
    marks = ", ".join("?" for _ in props)
    cur = store.con.cursor()
    try:
        cur.execute(
            f"""WITH v AS (SELECT entity_id, prop, value, source_grade || info_grade AS grade,
                                  first_seen FROM ({visible}) AS s
                           WHERE schema = 'Person'),
                  c AS (SELECT v.entity_id, coalesce(r.canonical_id, v.entity_id) AS node,
                               v.prop, v.value, v.grade, v.first_seen AS seen
                        FROM v LEFT JOIN resolution r
                        ON r.scope_key = ? AND r.entity_id = v.entity_id)
            SELECT node, NULL AS prop, NULL AS value, count(DISTINCT entity_id),
                   NULL AS grade, NULL AS seen FROM c
            GROUP BY node
            UNION ALL
            SELECT node, prop, value, count(DISTINCT entity_id), min(grade), min(seen) FROM c
            WHERE prop IN ({marks}) GROUP BY node, prop, value
            ORDER BY 1, 2 NULLS FIRST, 3""", [*params, scope_key(scope), *props])
        current: PersonSummary | None = None
        while rows := cur.fetchmany(chunk):
            for node, prop, value, count, grade, seen in rows:
                if prop is None:
                    if current is not None:
                        yield current
                    current = PersonSummary(str(node), int(count), {}, {})
                elif current is not None:
                    current.values.setdefault(str(prop), {})[str(value)] = int(count)
                    current.ties.setdefault(str(prop), {})[str(value)] = (str(grade),
                                                                          str(seen))
        if current is not None:
            yield current
    finally:
        cur.close()
