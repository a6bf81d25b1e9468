"""Which stored values identify a protected person: kept as a table, not recomputed.

Victims' and witnesses' identifying details are redacted from reads outside the owning
agency (`Scope.relation()`). Which (entity, property) pairs those are depends only on
the data, not on who reads, so the store keeps them in `redact_keys` and every writer
refreshes it in the same transaction as its change (a batch commit, a package import,
an erasure): a read just after a commit can never see an unredacted detail. Computing
the set inside every read cost a scan of every statement per read (5.6 times the
unrestricted read time on the medium scenario; `benchmarks/results/access.json`).

A batch commit or an import only adds statements, so it only adds keys (`add_from`):
the keys its statements bring, at a cost in proportion to the batch, not the store (a
full rebuild per batch took 0.2-0.5 s on 2.8M statements and made the medium scenario's
ingest slower with every file). An erasure removes statements and rebuilds the set
(`refresh`). Every identifying property of a protected person is keyed whether or not a
value exists yet, so a batch that only adds a detail to an earlier-marked victim adds
no key and is covered.
"""

from __future__ import annotations

from pinchpoint.model.category import PROTECTED_CATEGORIES
from pinchpoint.store.database import Connection
from pinchpoint.store.schema_sql import REDACT_KEYS_TABLE, REDACT_LINKS_TABLE, table_exists

# What identifies a protected person: on the person, and on what they hold.
PERSON_IDENTIFIERS = (
    "name", "firstName", "lastName", "middleName", "secondName", "fatherName",
    "motherName", "alias", "weakAlias", "previousName", "birthDate", "birthPlace",
    "phone", "email", "address", "addressEntity", "passportNumber", "idNumber",
    "socialSecurityNumber", "taxNumber", "innCode", "website", "sourceUrl", "notes",
)
# (schema, property naming the person, properties identifying them)
HELD_IDENTIFIERS = (
    ("Identification", "holder", ("number",)),
    ("Passport", "holder", ("number", "passportNumber")),
    ("Handset", "owner", ("phoneNumber", "imei", "imsi", "name")),
    ("UserAccount", "owner", ("username", "email", "phone", "name")),
    ("Call", "caller", ("callerNumber",)),
    ("Call", "receiver", ("receiverNumber",)),
)
CATEGORY_PROP = "personCategory"
LINK_PROPS = tuple(sorted({link for _, link, _ in HELD_IDENTIFIERS}))
# A batch with none of these properties adds no key (`add_from` reads only these).
KEYED_PROPS = frozenset({CATEGORY_PROP, *LINK_PROPS})
# A key only a protected person has (no held thing is keyed on it): the keys table
# tells whom it already protects without reading the statements.
PROTECTED_MARKER = "birthDate"

DDL = (f"CREATE TABLE IF NOT EXISTS {REDACT_KEYS_TABLE} "
       "(entity_id VARCHAR NOT NULL, prop VARCHAR NOT NULL)")
LINKS_DDL = (f"CREATE TABLE IF NOT EXISTS {REDACT_LINKS_TABLE} (entity_id VARCHAR NOT NULL, "
             "schema VARCHAR NOT NULL, prop VARCHAR NOT NULL, value VARCHAR NOT NULL)")


def _quoted(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def keyed_list() -> str:
    """KEYED_PROPS as an SQL list, for `prop IN (...)`."""
    return _quoted(sorted(KEYED_PROPS))


def keys_sql() -> str:
    """Every (entity_id, prop) whose values identify a victim or witness."""
    categories = _quoted(sorted(c.value for c in PROTECTED_CATEGORIES))
    held = " UNION ALL ".join(
        f"SELECT l.entity_id, p.prop FROM statements l, "
        f"(SELECT unnest(ARRAY[{_quoted(props)}]) AS prop) p "
        f"WHERE l.schema = '{schema}' AND l.prop = '{link}' "
        "AND l.value IN (SELECT id FROM protected)"
        for schema, link, props in HELD_IDENTIFIERS)
    return (
        "WITH protected AS (SELECT DISTINCT entity_id AS id FROM statements "
        f"WHERE prop = '{CATEGORY_PROP}' AND lower(value) IN ({categories})) "
        "SELECT DISTINCT entity_id, prop FROM ("
        # Every identifying property of a protected person, present or not yet: a detail
        # a later batch adds is then already covered (and touches a keyed entity).
        "SELECT p.id AS entity_id, x.prop FROM protected p, "
        f"(SELECT unnest(ARRAY[{_quoted(PERSON_IDENTIFIERS)}]) AS prop) x UNION ALL {held}) AS k")


def ensure(con: Connection) -> None:
    """Create the tables, filling them when new (stores made before they existed)."""
    if not table_exists(con, REDACT_KEYS_TABLE) or not table_exists(con, REDACT_LINKS_TABLE):
        con.execute(DDL)
        con.execute(LINKS_DDL)
        refresh(con)


def refresh(con: Connection) -> None:
    """Rebuild both tables from the statements (inside the caller's transaction)."""
    con.execute("DELETE FROM redact_links")
    con.execute(f"INSERT INTO redact_links {_links('statements')}")
    con.execute("DELETE FROM redact_keys")
    con.execute(f"INSERT INTO redact_keys {keys_sql()}")


def _links(table: str) -> str:
    """The link statements of `table` that keys follow: (entity_id, schema, prop, value)."""
    pairs = " OR ".join(f"(schema = '{schema}' AND prop = '{link}')"
                        for schema, link, _ in HELD_IDENTIFIERS)
    return (f"SELECT DISTINCT entity_id, schema, prop, value FROM {table} "
            f"WHERE prop IN ({_quoted(LINK_PROPS)}) AND ({pairs})")


def add_from(con: Connection, staged: str) -> None:
    """Add the keys that the statements in table `staged` (entity_id, schema, prop,
    value) bring, once they are in `statements` (inside the caller's transaction).

    Writes that only add statements only ever add keys, so the set after a batch is the
    set before it plus: every identifying property of a person the batch newly marks
    protected; what is held through any stored link to such a person; and what is held
    through the batch's own links to anyone protected. Each is read from the batch, or
    (the second, only when the batch marks someone new) from `redact_links`, the
    stored link statements (a small part of the store, which the batch's own links
    join), never by rebuilding the set from the whole store; the result is exactly
    what `refresh` would build (tests/store/test_redaction_keys.py).
    """
    categories = _quoted(sorted(c.value for c in PROTECTED_CATEGORIES))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE new_protected AS SELECT DISTINCT entity_id AS id "
        f"FROM {staged} WHERE prop = '{CATEGORY_PROP}' AND lower(value) IN ({categories}) "
        "AND entity_id NOT IN (SELECT entity_id FROM redact_keys "
        f"WHERE prop = '{PROTECTED_MARKER}')")
    marked, linked = con.execute(
        "SELECT (SELECT count(*) FROM new_protected), (SELECT count(*) FROM "
        f"{staged} WHERE prop IN ({_quoted(LINK_PROPS)}))").fetchall()[0]
    parts = []
    if linked:
        con.execute(
            f"INSERT INTO redact_links SELECT * FROM ({_links(staged)}) AS n WHERE NOT EXISTS ("
            "SELECT 1 FROM redact_links r WHERE r.value = n.value AND r.entity_id = "
            "n.entity_id AND r.prop = n.prop AND r.schema = n.schema)")
        parts.append(_held(staged, "SELECT entity_id FROM redact_keys WHERE prop = "
                           f"'{PROTECTED_MARKER}' UNION SELECT id FROM new_protected"))
    if marked:
        parts += [f"SELECT n.id AS entity_id, p.prop FROM new_protected n, "
                  f"{_props(PERSON_IDENTIFIERS)}",
                  _held("redact_links", "SELECT id FROM new_protected")]
    if parts:
        con.execute(
            "INSERT INTO redact_keys (entity_id, prop) SELECT DISTINCT entity_id, prop "
            f"FROM ({' UNION ALL '.join(parts)}) AS d WHERE NOT EXISTS (SELECT 1 FROM "
            "redact_keys k WHERE k.entity_id = d.entity_id AND k.prop = d.prop)")
    # Inside the writer's transaction: a failure above rolls the table back with it.
    con.execute("DROP TABLE new_protected")


def _held(table: str, persons: str) -> str:
    """(entity_id, prop) of what the links in `table` to one of `persons` identify,
    in one pass over `table`."""
    held = ", ".join(f"('{schema}', '{link}', '{prop}')"
                     for schema, link, props in HELD_IDENTIFIERS for prop in props)
    return (f"SELECT l.entity_id, h.prop FROM {table} l JOIN (VALUES {held}) "
            "AS h(held_schema, link, prop) ON l.schema = h.held_schema AND l.prop = h.link "
            f"WHERE l.prop IN ({_quoted(LINK_PROPS)}) AND l.value IN ({persons})")


def _props(props: tuple[str, ...]) -> str:
    """A one-column relation of property names, in SQL both DuckDB and PostgreSQL read."""
    return f"(VALUES {', '.join(f'({chr(39)}{p}{chr(39)})' for p in props)}) AS p(prop)"
