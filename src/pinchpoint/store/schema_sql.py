"""The store's tables and the SQL that derives content-hash ids.

Every table whose DDL is here is a *store table*: only modules of `pinchpoint.store`
write it (tests/store/test_one_write_path.py checks), so a second backend has one
place to implement each write. The statements, quarantine and batches tables and the
directory are created whenever the store is opened for writing; the resolution tables
when resolution first runs (`resolution.ensure`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from pinchpoint.store.database import Connection

STATEMENTS_DDL = """
CREATE TABLE IF NOT EXISTS statements (
    id VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    schema VARCHAR NOT NULL,
    prop VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    original_value VARCHAR,
    lang VARCHAR,
    source VARCHAR NOT NULL,
    record VARCHAR NOT NULL,
    owner VARCHAR NOT NULL,
    source_grade VARCHAR NOT NULL,
    info_grade VARCHAR NOT NULL,
    grade_original VARCHAR NOT NULL,
    handling VARCHAR NOT NULL,
    handling_conditions VARCHAR,
    classification VARCHAR NOT NULL,
    first_seen TIMESTAMP NOT NULL,
    last_seen TIMESTAMP NOT NULL,
    batch VARCHAR NOT NULL
)
"""

QUARANTINE_DDL = """
CREATE TABLE IF NOT EXISTS quarantine (
    id VARCHAR NOT NULL,
    batch VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    owner VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    line BIGINT,
    locator VARCHAR,
    field VARCHAR,
    raw_value VARCHAR,
    reason VARCHAR NOT NULL,
    row_rejected BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    classification VARCHAR,
    handling VARCHAR
)
"""
# A quarantine row is read under its batch's classification and handling, as the
# batch's statements are (Scope.quarantine_sql); stores made before rows carried them
# gain the columns when next opened for writing (NULL: read as SECRET).
QUARANTINE_MARKINGS = ("classification", "handling")
MIGRATIONS = [f"ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS {c} VARCHAR"
              for c in QUARANTINE_MARKINGS]

BATCH_COLUMNS = [
    "id", "kind", "path", "file_hash", "source", "owner", "user", "reason", "started_at",
    "finished_at", "rows_read", "rows_stored", "rows_rejected", "values_quarantined",
    "statements_added", "statements_seen", "entities",
]

BATCHES_DDL = """
CREATE TABLE IF NOT EXISTS batches (
    id VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    path VARCHAR NOT NULL,
    file_hash VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    owner VARCHAR NOT NULL,
    "user" VARCHAR NOT NULL,
    reason VARCHAR,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_stored BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    values_quarantined BIGINT NOT NULL,
    statements_added BIGINT NOT NULL,
    statements_seen BIGINT NOT NULL,
    entities BIGINT NOT NULL
)
"""

# Who may read what: agencies, their sharing groups, users, API tokens (only a digest)
# and the grants that share one agency's statements with another.
DIRECTORY_DDL = [
    """CREATE TABLE IF NOT EXISTS agencies (
        name VARCHAR PRIMARY KEY, title VARCHAR, created_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS sharing_groups (
        name VARCHAR NOT NULL, member VARCHAR NOT NULL, added_at TIMESTAMP NOT NULL,
        PRIMARY KEY (name, member))""",
    """CREATE TABLE IF NOT EXISTS users (
        name VARCHAR PRIMARY KEY, agency VARCHAR NOT NULL, role VARCHAR NOT NULL,
        clearance VARCHAR NOT NULL, password_hash VARCHAR, created_at TIMESTAMP NOT NULL,
        disabled_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS tokens (
        id VARCHAR PRIMARY KEY, digest VARCHAR NOT NULL UNIQUE, "user" VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL, revoked_at TIMESTAMP, note VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS grants (
        id VARCHAR PRIMARY KEY, owner VARCHAR NOT NULL, recipient VARCHAR NOT NULL,
        recipient_kind VARCHAR NOT NULL, source VARCHAR, victim_details BOOLEAN NOT NULL,
        granted_by VARCHAR NOT NULL, granted_at TIMESTAMP NOT NULL, reason VARCHAR NOT NULL,
        revoked_at TIMESTAMP, revoked_by VARCHAR, revoke_reason VARCHAR)""",
]

# Partners' signed audit tree heads, as received in their packages (issue 14, finding
# 6): kept per recipient agency, so a partner's auditor can be given them and a later,
# smaller head from the same key is caught (`pinchpoint.store.partner_heads`).
PARTNER_HEADS_DDL = """
CREATE TABLE IF NOT EXISTS partner_heads (
    sender VARCHAR NOT NULL, recipient VARCHAR NOT NULL, key_id VARCHAR NOT NULL,
    size BIGINT NOT NULL, root VARCHAR NOT NULL, "at" VARCHAR NOT NULL,
    signature VARCHAR NOT NULL, package VARCHAR NOT NULL, received_at TIMESTAMP NOT NULL)
"""

# Table mappings an agency saved from the workbench's editor, for re-use by name
# (`pinchpoint.store.saved_mappings`): the YAML text `ingest table --mapping` reads.
SAVED_MAPPINGS_DDL = """
CREATE TABLE IF NOT EXISTS saved_mappings (
    agency VARCHAR NOT NULL, name VARCHAR NOT NULL, yaml VARCHAR NOT NULL,
    saved_by VARCHAR NOT NULL, saved_at TIMESTAMP NOT NULL, PRIMARY KEY (agency, name))
"""

# Quarantine rows a later batch of the same source rejected again: a row is stored once,
# under the batch that first rejected it; this lists it under the later batch as well.
QUARANTINE_SEEN_DDL = """
CREATE TABLE IF NOT EXISTS quarantine_seen (batch VARCHAR NOT NULL, id VARCHAR NOT NULL)
"""

DDL = [STATEMENTS_DDL, QUARANTINE_DDL, BATCHES_DDL, *DIRECTORY_DDL, PARTNER_HEADS_DDL,
       SAVED_MAPPINGS_DDL, QUARANTINE_SEEN_DDL]

# A judgement disclosed by its agency to another one: who shared it, when and why, and
# whether (and by whom) the disclosure was withdrawn (`store.judgements`).
JUDGEMENT_SHARES_DDL = """CREATE TABLE IF NOT EXISTS judgement_shares (
    id VARCHAR PRIMARY KEY, judgement_id VARCHAR NOT NULL, owner VARCHAR NOT NULL,
    recipient VARCHAR NOT NULL, shared_by VARCHAR NOT NULL, shared_at TIMESTAMP NOT NULL,
    purpose VARCHAR NOT NULL, withdrawn_at TIMESTAMP, withdrawn_by VARCHAR,
    withdraw_reason VARCHAR)"""

RESOLUTION_DDL = [
    """CREATE TABLE IF NOT EXISTS resolve_pairs (
        scope_key VARCHAR NOT NULL, left_id VARCHAR NOT NULL, right_id VARCHAR NOT NULL,
        match_weight FLOAT8 NOT NULL, match_probability FLOAT8 NOT NULL, levels VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS resolution (
        scope_key VARCHAR NOT NULL, entity_id VARCHAR NOT NULL, canonical_id VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS resolve_models (
        scope_key VARCHAR PRIMARY KEY, model VARCHAR NOT NULL, trained_at TIMESTAMP NOT NULL,
        records BIGINT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS resolve_runs (
        id VARCHAR PRIMARY KEY, scope_key VARCHAR NOT NULL, "user" VARCHAR NOT NULL,
        started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP NOT NULL, mode VARCHAR NOT NULL,
        threshold FLOAT8 NOT NULL, records BIGINT NOT NULL, new_records BIGINT NOT NULL,
        removed_records BIGINT NOT NULL, pairs_scored BIGINT NOT NULL,
        pairs_matched BIGINT NOT NULL, clusters BIGINT NOT NULL, held BIGINT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS resolve_context (
        scope_key VARCHAR NOT NULL, left_id VARCHAR NOT NULL, right_id VARCHAR NOT NULL,
        weight FLOAT8 NOT NULL, shared VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS resolve_context_models (
        scope_key VARCHAR PRIMARY KEY, m FLOAT8 NOT NULL, u FLOAT8 NOT NULL,
        applied BOOLEAN NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS resolve_held (
        scope_key VARCHAR NOT NULL, left_id VARCHAR NOT NULL, right_id VARCHAR NOT NULL,
        reason VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS judgements (
        id VARCHAR PRIMARY KEY, left_id VARCHAR NOT NULL, right_id VARCHAR NOT NULL,
        verdict VARCHAR NOT NULL, reason VARCHAR NOT NULL, "user" VARCHAR NOT NULL,
        agency VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, undone_at TIMESTAMP,
        undone_by VARCHAR, undo_reason VARCHAR)""",
    JUDGEMENT_SHARES_DDL,
]
# The linkage features; its columns are the linkage's, so it is made from a schema.
RECORDS_TABLE = "resolve_records"
# Which values identify a protected person (pinchpoint.store.redaction).
REDACT_KEYS_TABLE = "redact_keys"
# The link statements those keys follow (who holds a handset, a passport...), kept
# apart so a batch that marks someone protected finds the links to them without
# reading every statement.
REDACT_LINKS_TABLE = "redact_links"


def table_names(ddl: Iterable[str]) -> frozenset[str]:
    """The tables a list of CREATE TABLE statements makes."""
    names = set()
    for statement in ddl:
        found = re.search(r"CREATE TABLE IF NOT EXISTS (\w+)", statement)
        if not found:
            raise AssertionError(f"no table name in {statement!r}")
        names.add(found.group(1))
    return frozenset(names)


# Derived from statements and therefore able to show erased data: cleared whole when a
# source is erased. Judgements (analysts' decisions about entity ids, which apply again
# if the data returns), their shares (disclosures: history) and resolve_runs (counts and
# thresholds: history) are kept.
RESOLUTION_OUTPUT_TABLES: tuple[str, ...] = tuple(sorted(
    table_names(RESOLUTION_DDL) - {"judgements", "judgement_shares", "resolve_runs"}
    | {RECORDS_TABLE}))

STORE_TABLES = (table_names(DDL) | table_names(RESOLUTION_DDL)
                | {RECORDS_TABLE, REDACT_KEYS_TABLE, REDACT_LINKS_TABLE})


def quoted(columns: list[str]) -> str:
    """Column names for SQL, quoted (``user`` is a keyword)."""
    return ", ".join(f'"{c}"' for c in columns)


def table_exists(con: Connection, table: str) -> bool:
    """Whether `table` exists yet: reads must work on a read-only store made before it."""
    return bool(con.execute("SELECT count(*) FROM information_schema.tables "
                            "WHERE table_name = ?", [table]).fetchall()[0][0])

ID_SEPARATOR = "\x1f"  # what an id's hashed parts are joined with (chr(31) in SQL)
_SEP = f"chr({ord(ID_SEPARATOR)})"


def _hash(columns: list[str]) -> str:
    parts = ", ".join(f"coalesce({c}, '')" for c in columns)
    return f"sha1(concat_ws({_SEP}, {parts}))"


# What is constant across a batch and still part of a statement's identity. It is
# hashed as one parameter string so the per-row hash work stays small.
FINGERPRINT_FIELDS = [
    "source", "owner", "source_grade", "info_grade", "grade_original", "handling",
    "handling_conditions", "classification",
]


def batch_fingerprint(values: Mapping[str, object]) -> str:
    return "\x1f".join("" if values.get(f) is None else str(values[f])
                       for f in FINGERPRINT_FIELDS)


def statement_id_sql(fingerprint: str = "?::VARCHAR") -> str:
    """Everything that makes a statement what it is; not the times and not the batch.
    `fingerprint` is batch_fingerprint() of the batch: a parameter, or a column."""
    return _hash(["entity_id", "schema", "prop", "value", "original_value", "lang", "record",
                  fingerprint])


STATEMENT_ID_SQL = statement_id_sql()

QUARANTINE_ID_SQL = _hash([
    "source", "owner", "file", "CAST(line AS VARCHAR)", "locator", "field",
    "raw_value", "reason",
])
