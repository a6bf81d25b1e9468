"""The statement store on PostgreSQL: the team server, many analysts and processes on
one database. The reads and writes are `pinchpoint.store.sql_store`'s, in the SQL the
two backends share (`pinchpoint.store.database`); this module opens the database, gives
it what DuckDB has built in (a `sha1` function, over pgcrypto) and the indexes a
server's many small reads need, and makes a workspace's database on a server.

A workspace on PostgreSQL is made with ``pinchpoint init --database URL``: a URL naming
a database uses it (made if missing), one naming only a server gets a database of the
workspace's own, ``pinchpoint_<workspace id>``. The URL is kept in the workspace's
settings file (readable by its owner only); a password is better kept in a PGPASSFILE.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pinchpoint.store import redaction
from pinchpoint.store.database import (
    DatabaseError,
    PostgresConnection,
    first_line,
    redacted_url,
)
from pinchpoint.store.schema_sql import (
    DDL,
    MIGRATIONS,
    REDACT_KEYS_TABLE,
    RESOLUTION_DDL,
    table_names,
)
from pinchpoint.store.sql_store import BatchMeta, BatchStage, SqlStore

__all__ = ["ACCOUNT_TABLES", "CHANNEL", "BatchMeta", "BatchStage", "PostgresStore", "database_url",
           "is_database_url"]

SCHEMES = ("postgresql://", "postgres://")
# Taken while tables are made, so two processes opening a new database at once do not
# both try to create them (PostgreSQL's catalogue raises on the second).
_CREATE_LOCK = 727_001

# What DuckDB has and PostgreSQL lacks, made once per database.
FUNCTIONS = [
    "CREATE EXTENSION IF NOT EXISTS pgcrypto",
    "CREATE OR REPLACE FUNCTION sha1(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT "
    "PARALLEL SAFE AS $$ SELECT encode(digest($1, 'sha1'), 'hex') $$",
]
# Every write to a store table tells every process holding the database (`CHANNEL`):
# a server's workers drop what they derived from the old data, and who sees what, at
# once (`pinchpoint.api.listener`). NOTIFY is sent at COMMIT, once per transaction.
CHANNEL = "pinchpoint_writes"
NOTIFY_FUNCTION = (
    "CREATE OR REPLACE FUNCTION pinchpoint_notify() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$")
WATCHED = sorted(table_names(DDL) | table_names(RESOLUTION_DDL) | {REDACT_KEYS_TABLE})
# Who the callers are (users, tokens, grants, agencies, groups): a change there makes a
# server read each caller's reader and scope again, nothing more (what was derived is
# kept per scope key, which names the reader's clearance and grants). A new token
# changes nothing for anyone else, so only its revocation (an UPDATE) is told.
ACCOUNT_TABLES = frozenset({"users", "tokens", "grants", "agencies", "sharing_groups"})
_EVENTS = {"tokens": "UPDATE OR DELETE OR TRUNCATE"}

# A server answers many small reads: by id (ingest's existence check), by entity
# (profiles, neighbourhoods), by owner and source (erasure, sharing).
INDEXES = [
    "CREATE INDEX IF NOT EXISTS statements_id ON statements (id)",
    "CREATE INDEX IF NOT EXISTS statements_entity_id ON statements (entity_id)",
    "CREATE INDEX IF NOT EXISTS statements_owner_source ON statements (owner, source)",
    "CREATE INDEX IF NOT EXISTS quarantine_id ON quarantine (id)",
]


# Names everything `_make_schema` makes: a release that changes any of it makes it again
# on the next open for writing; otherwise an open runs none of it.
SCHEMA_VERSION = hashlib.sha1("\n".join([
    *FUNCTIONS, NOTIFY_FUNCTION, *DDL, *MIGRATIONS, redaction.DDL, redaction.LINKS_DDL,
    *RESOLUTION_DDL, *INDEXES, *WATCHED, repr(sorted(_EVENTS.items()))]).encode()
).hexdigest()[:16]


def is_database_url(text: str | None) -> bool:
    """Whether `text` names a PostgreSQL database or server."""
    return bool(text) and str(text).startswith(SCHEMES)


class PostgresStore(SqlStore):
    """Statement store in one PostgreSQL database. Every read takes a :class:`Scope`."""

    con: PostgresConnection

    def __init__(self, url: str, read_only: bool = False, path: Path | None = None) -> None:
        self.url = url
        self.path = path or Path(".") / "postgresql"
        self.con = PostgresConnection(url)
        if read_only:
            self.con.execute("SET default_transaction_read_only = on")
            return
        if self._schema() == SCHEMA_VERSION:
            return  # made already: opening takes no table lock a serving process waits on
        self.con.execute("SELECT pg_advisory_lock(?)", [_CREATE_LOCK])
        try:
            if self._schema() != SCHEMA_VERSION:
                self._make_schema()
        finally:
            self.con.execute("SELECT pg_advisory_unlock(?)", [_CREATE_LOCK])

    def _schema(self) -> str | None:
        """The schema version the database was made with (None: not made yet)."""
        if not self.con.execute("SELECT to_regclass('pinchpoint_schema') IS NOT NULL"
                                ).fetchall()[0][0]:
            return None
        rows = self.con.execute("SELECT version FROM pinchpoint_schema").fetchall()
        return str(rows[0][0]) if rows else None

    def _make_schema(self) -> None:
        """Tables, functions, indexes and triggers, then the version that says so."""
        for statement in [*FUNCTIONS, NOTIFY_FUNCTION]:
            self.con.execute(statement)
        self._create_tables()
        for statement in [*RESOLUTION_DDL, *INDEXES]:
            self.con.execute(statement)
        for table in WATCHED:
            events = _EVENTS.get(table, "INSERT OR UPDATE OR DELETE OR TRUNCATE")
            self.con.execute(
                f"CREATE OR REPLACE TRIGGER {table}_written AFTER {events} ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION pinchpoint_notify()")
        self.con.execute("CREATE TABLE IF NOT EXISTS pinchpoint_schema (version VARCHAR)")
        self.con.execute("DELETE FROM pinchpoint_schema")
        self.con.execute("INSERT INTO pinchpoint_schema VALUES (?)", [SCHEMA_VERSION])


def database_url(server: str, name: str) -> str:
    """The URL of the database for a new workspace: `server`'s own database if it names
    one, else database `name` on that server; the database is made when missing."""
    import psycopg
    from psycopg import conninfo

    try:
        given = conninfo.conninfo_to_dict(server)
    except psycopg.ProgrammingError as exc:
        raise DatabaseError(f"not a PostgreSQL URL: {exc}") from None
    database = str(given.get("dbname") or name)
    try:
        _create_database(conninfo.make_conninfo(server, dbname="postgres"), database)
    except psycopg.Error as exc:
        raise DatabaseError(f"cannot make the database {database} on {redacted_url(server)}: "
                            f"{first_line(exc)}") from None
    return conninfo.make_conninfo(server, dbname=database)


def _create_database(maintenance: str, database: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance, autocommit=True) as admin:
        known = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              [database]).fetchone()
        if known is None:
            # C collation: text sorts by code point, as DuckDB sorts it.
            admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' "
                                  "LC_COLLATE 'C' LC_CTYPE 'C'").format(
                                      sql.Identifier(database)))
