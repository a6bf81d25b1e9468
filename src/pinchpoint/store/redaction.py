"""Which stored values identify a protected person: kept as a table, not recomputed.

Victims' and witnesses' identifying details are redacted from reads outside the owning
agency (`Scope.relation()`). Which (entity, property) pairs those are depends only on
the data, not on who reads, so the store keeps them in `redact_keys` and every writer
refreshes it in the same transaction as its change (a batch commit, a package import,
an erasure): a read just after a commit can never see an unredacted detail. Computing
the set inside every read cost a scan of every statement per read (5.6 times the
unrestricted read time on the medium scenario; `benchmarks/results/access.json`).

A refresh is a full rebuild (0.2-0.5 s on 2.8M statements), done only when a batch can
change the set: it names a person category or a holder, or touches an entity already
in the set. Every identifying property of a protected person is keyed whether or not a
value exists yet, so a batch that only adds a detail to an earlier-marked victim touches
a keyed entity and is covered.
"""

from __future__ import annotations

from pinchpoint.model.category import PROTECTED_CATEGORIES
from pinchpoint.store.database import Connection
from pinchpoint.store.schema_sql import REDACT_KEYS_TABLE, table_exists

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

DDL = (f"CREATE TABLE IF NOT EXISTS {REDACT_KEYS_TABLE} "
       "(entity_id VARCHAR NOT NULL, prop VARCHAR NOT NULL)")


def _quoted(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


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
    """Create the table, filling it when it is new (stores made before it existed)."""
    if not table_exists(con, REDACT_KEYS_TABLE):
        con.execute(DDL)
        refresh(con)


def refresh(con: Connection) -> None:
    """Rebuild the set from the statements (inside the caller's transaction)."""
    con.execute("DELETE FROM redact_keys")
    con.execute(f"INSERT INTO redact_keys {keys_sql()}")


def refresh_if_touched(con: Connection, staged: str) -> None:
    """Rebuild when the statements in table `staged` (entity_id, prop) can change the set."""
    touched = con.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {staged} s WHERE s.prop IN "
        f"('{CATEGORY_PROP}', {_quoted(LINK_PROPS)}) "
        "OR s.entity_id IN (SELECT entity_id FROM redact_keys) LIMIT 1) AS t").fetchall()[0][0]
    if touched:
        refresh(con)
