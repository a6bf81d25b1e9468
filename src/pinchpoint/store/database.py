"""One connection interface over the two databases a store can live in.

The store, the access tables and the resolution tables are written in one SQL, the
subset DuckDB and PostgreSQL share, with ``?`` placeholders; every module that reads
or writes them takes a :class:`Connection`. A DuckDB connection is one already: DuckDB's
Python API is the model. :class:`PostgresConnection` gives a psycopg 3 connection the
same shape, so the SQL and the code around it are written once:

- ``?`` placeholders become psycopg's ``%s`` (and a literal ``%`` is escaped);
- ``CREATE OR REPLACE TEMP TABLE t`` drops ``t`` first (PostgreSQL has no such form);
- a write answers ``fetchone()`` with the number of rows it changed, as DuckDB's do;
- ``register(name, arrow_table)`` makes a temporary table of the Arrow table (DuckDB
  makes a view of it), so SQL can join what Python computed;
- ``cursor()`` is a second, independent connection to the same database, as in DuckDB.

What the two dialects do not share is kept to the few helpers below (`arrow`,
`is_postgres`), which the SQL around them asks for by name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "Connection",
    "DatabaseError",
    "PostgresConnection",
    "arrow",
    "column_type",
    "first_line",
    "is_postgres",
    "json_object",
    "postgres_sql",
    "redacted_url",
    "regex_extract",
]


class DatabaseError(RuntimeError):
    """The PostgreSQL server cannot be reached, or refused us."""


def first_line(exc: BaseException) -> str:
    """A driver error's first line (its name when it says nothing), for one sentence."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def redacted_url(url: str) -> str:
    """`url` (a URL or key=value connection string) fit to show: no password."""
    from psycopg import conninfo

    try:
        given = conninfo.conninfo_to_dict(url)
    except Exception:  # not parseable: show nothing of it rather than a secret
        return "(an unreadable connection string)"
    if "password" in given:
        given["password"] = "***"
    return conninfo.make_conninfo("", **given)


class Connection(Protocol):
    """What the store's modules use of a database connection (DuckDB's own API)."""

    def execute(self, query: str, parameters: Any = None) -> Connection: ...

    def executemany(self, query: str, parameters: Any = None) -> Connection: ...

    def fetchone(self) -> tuple[Any, ...] | None: ...

    def fetchall(self) -> list[tuple[Any, ...]]: ...

    def fetchmany(self, size: int = 1) -> list[tuple[Any, ...]]: ...

    def cursor(self) -> Connection: ...

    def register(self, view_name: str, python_object: Any) -> Connection: ...

    def unregister(self, view_name: str) -> Connection: ...

    def close(self) -> None: ...


def is_postgres(con: Connection) -> bool:
    """Whether `con` is a PostgreSQL connection (else DuckDB); asked of the connection,
    so a wrapper that hands its attributes on is answered for what it wraps."""
    return getattr(con, "dialect", "duckdb") == "postgresql"


def arrow(con: Connection, sql: str, params: Sequence[Any] = ()) -> pa.Table:
    """The result of `sql` as one Arrow table."""
    if is_postgres(con):
        return con.arrow(sql, params)  # type: ignore[attr-defined]
    relation = con.sql(sql, params=list(params) or None)  # type: ignore[attr-defined]
    return relation.to_arrow_table()


def json_object(fields: dict[str, str], con: Connection) -> str:
    """SQL for a JSON object (as text) of `fields`: key -> column expression."""
    pairs = ", ".join(f"'{key}', {column}" for key, column in fields.items())
    if is_postgres(con):
        return f"json_build_object({pairs})::TEXT"
    return f"json_object({pairs})::VARCHAR"


def regex_extract(column: str, pattern: str, con: Connection) -> str:
    """SQL for the first match of `pattern` (one capture group) in `column`, or NULL."""
    if is_postgres(con):
        return f"substring({column} from '{pattern}')"
    return f"nullif(regexp_extract({column}, '{pattern}', 1), '')"


# -- PostgreSQL ---------------------------------------------------------------------------
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\$\$.*?\$\$|[?%]", re.S)
_REPLACE_TEMP = re.compile(r"^\s*CREATE\s+OR\s+REPLACE\s+TEMP(?:ORARY)?\s+TABLE\s+(\w+)",
                           re.I)


def postgres_sql(sql: str) -> str:
    """`sql` with DuckDB's ``?`` placeholders as psycopg's ``%s`` (quoted text kept)."""
    def swap(found: re.Match[str]) -> str:
        token = found.group(0)
        if token == "?":
            return "%s"
        return token.replace("%", "%%")

    return _TOKENS.sub(swap, sql)


# Arrow types as PostgreSQL column types (for `register`) and PostgreSQL type ids as
# Arrow types (for `arrow`); a type not named is text / inferred from the values.
_PG_TYPES = {pa.string(): "TEXT", pa.large_string(): "TEXT", pa.int64(): "BIGINT",
             pa.int32(): "INTEGER", pa.int16(): "SMALLINT", pa.int8(): "SMALLINT",
             pa.float64(): "FLOAT8", pa.float32(): "FLOAT4", pa.bool_(): "BOOLEAN",
             pa.date32(): "DATE"}
_ARROW_TYPES = {25: pa.string(), 1043: pa.string(), 20: pa.int64(), 23: pa.int64(),
                21: pa.int64(), 701: pa.float64(), 700: pa.float64(), 16: pa.bool_(),
                1114: pa.timestamp("us"), 1082: pa.date32(), 1009: pa.list_(pa.string()),
                1015: pa.list_(pa.string()), 1016: pa.list_(pa.int64()),
                1022: pa.list_(pa.float64()), 1700: pa.float64()}


NUL = "\x00"


def storable(value: Any) -> Any:
    """`value` as PostgreSQL can hold it: a NUL character in text is written as the
    four characters ``\\x00``, as the store writes undecodable bytes
    (`pinchpoint.store.writes.printable`, which does the same on both backends)."""
    if isinstance(value, str):
        return value.replace(NUL, "\\x00") if NUL in value else value
    if isinstance(value, list | tuple):
        return [storable(v) for v in value]
    return value


def _storable_column(column: pa.ChunkedArray) -> list[Any]:
    """A column's values, `storable` (vectorised for text, the common case)."""
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return pc.replace_substring(column, NUL, "\\x00").to_pylist()  # type: ignore[no-any-return]
    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        return [storable(v) for v in column.to_pylist()]
    return column.to_pylist()  # type: ignore[no-any-return]


def column_type(kind: pa.DataType) -> str:
    """The PostgreSQL column type for an Arrow type."""
    if pa.types.is_timestamp(kind):
        return "TIMESTAMP"
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return f"{column_type(kind.value_type)}[]"
    if pa.types.is_dictionary(kind):
        return column_type(kind.value_type)
    return _PG_TYPES.get(kind, "TEXT")


POOL_SIZE = 32  # connections one server process holds at most for its requests


def _configure(con: Any) -> None:
    """Every connection keeps time in UTC, as DuckDB's TIMESTAMP does."""
    con.execute("SET TIME ZONE 'UTC'")


class PostgresConnection:
    """A psycopg 3 connection in the shape of a DuckDB one (see the module docstring).

    It runs in autocommit mode: a transaction is the SQL's own ``BEGIN`` ... ``COMMIT``,
    as on DuckDB, so `pinchpoint.store.writes` needs no second code path. Its cursors
    (`cursor`) come from a pool the first one opens, so a server's requests, each on a
    cursor of its own, do not each open a connection."""

    dialect = "postgresql"

    def __init__(self, url: str, pool: Any = None) -> None:
        import psycopg  # the team server's driver; the embedded store needs none

        self.url = url
        self._pool = pool
        self._owns_pool = False
        try:
            self._con = pool.getconn() if pool is not None else psycopg.connect(
                url, autocommit=True)
        except (psycopg.Error, OSError) as exc:
            raise DatabaseError(f"cannot open the PostgreSQL database {redacted_url(url)}: "
                                f"{first_line(exc)}") from None
        if pool is None:
            _configure(self._con)
        self._cur = self._con.cursor()

    # -- DuckDB's shape ------------------------------------------------------------------
    def execute(self, query: str, parameters: Any = None) -> PostgresConnection:
        replaced = _REPLACE_TEMP.match(query)
        if replaced:
            self._cur.execute(f"DROP TABLE IF EXISTS pg_temp.{replaced.group(1)}")
            query = _REPLACE_TEMP.sub(f"CREATE TEMP TABLE {replaced.group(1)}", query, 1)
        self._cur.execute(postgres_sql(query), [storable(p) for p in parameters or ()])
        return self

    def executemany(self, query: str, parameters: Any = None) -> PostgresConnection:
        self._cur.executemany(postgres_sql(query),
                              [[storable(v) for v in p] for p in parameters or ()])
        return self

    def fetchone(self) -> tuple[Any, ...] | None:
        if self._cur.description is None:  # a write: how many rows it changed, as DuckDB
            return (max(self._cur.rowcount, 0),)
        return self._cur.fetchone()

    def fetchall(self) -> list[tuple[Any, ...]]:
        if self._cur.description is None:
            return [(max(self._cur.rowcount, 0),)]
        return self._cur.fetchall()

    def fetchmany(self, size: int = 1) -> list[tuple[Any, ...]]:
        return self._cur.fetchmany(size)

    def cursor(self) -> PostgresConnection:
        """A connection of its own (its own transactions and temporary tables), from
        the pool this connection keeps for its cursors."""
        if self._pool is None:
            from psycopg_pool import ConnectionPool

            self._pool = ConnectionPool(self.url, min_size=1, max_size=POOL_SIZE, open=True,
                                        kwargs={"autocommit": True}, configure=_configure)
            self._owns_pool = True
        return PostgresConnection(self.url, self._pool)

    def register(self, view_name: str, python_object: Any) -> PostgresConnection:
        """A temporary table holding `python_object` (an Arrow table), for SQL to read."""
        table = python_object if isinstance(python_object, pa.Table) else pa.table(python_object)
        columns = ", ".join(f'"{f.name}" {column_type(f.type)}' for f in table.schema)
        self._cur.execute(f"DROP TABLE IF EXISTS pg_temp.{view_name}")
        self._cur.execute(f"CREATE TEMP TABLE {view_name} ({columns})")
        self.copy_in(view_name, table)
        return self

    def copy_in(self, table: str, rows: pa.Table) -> int:
        """Append the Arrow table's rows to `table` (columns by name) with COPY."""
        names = ", ".join(f'"{name}"' for name in rows.column_names)
        columns = [_storable_column(c) for c in rows.columns]
        with self._cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in zip(*columns, strict=True):
                copy.write_row(row)
        return int(rows.num_rows)

    def unregister(self, view_name: str) -> PostgresConnection:
        self._cur.execute(f"DROP TABLE IF EXISTS pg_temp.{view_name}")
        return self

    def close(self) -> None:
        """Close the connection (a cursor's goes back to the pool); closing the one that
        opened the pool closes the pool and every connection in it."""
        if self._pool is not None and not self._owns_pool:
            self._pool.putconn(self._con)  # back to the pool (rolled back if need be)
            self._pool = None
            return
        self._con.close()
        if self._owns_pool and self._pool is not None:
            self._pool.close()
            self._pool = None

    # -- what DuckDB's relations give -----------------------------------------------------
    def arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        self.execute(sql, params)
        description = self._cur.description or []
        rows = self._cur.fetchall()
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in description]
        return pa.table({d.name: pa.array(list(values), _ARROW_TYPES.get(d.type_code))
                         for d, values in zip(description, columns, strict=True)})

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount
