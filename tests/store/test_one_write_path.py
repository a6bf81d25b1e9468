"""One write path: nothing outside `pinchpoint.store` writes a store table.

A store table is one whose DDL the store holds (`schema_sql.STORE_TABLES`: statements,
quarantine, batches, redaction keys, the directory, the resolution tables). Every other
package writes them only through the store's functions, so a second backend has one
place to implement each write and no stage can bypass an invariant the store keeps
(content-hash ids, redaction keys refreshed in the same transaction). The tables other
packages own (the audit log, retention and erasures, trusted keys) are theirs to write.

The check reads every module's SQL as the parser sees it: string literals, including
f-strings (a `{NAME}` bound to a module constant is resolved) and implicitly joined
literals, but not docstrings. A write whose target it cannot name is refused too, unless
listed in DYNAMIC_TARGETS with the tables it really writes.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pinchpoint
from pinchpoint.store.schema_sql import STORE_TABLES

SRC = Path(pinchpoint.__file__).parent
STORE = SRC / "store"

_TARGET = r"\s+(?P<target>\"?[\w.]+\"?|\{[^}]*\}|$)"
# A write names its table right after its verb; for UPDATE and COPY, SET or FROM follow
# (so prose such as "update the index" is not taken for SQL). A verb that ends the
# literal ("DELETE FROM " + name) has a computed target.
WRITES = (
    re.compile(r"\b(?:INSERT\s+(?:OR\s+(?:IGNORE|REPLACE)\s+)?INTO|DELETE\s+FROM"
               r"|TRUNCATE(?:\s+TABLE)?|DROP\s+TABLE(?:\s+IF\s+EXISTS)?|ALTER\s+TABLE"
               r"|CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?TABLE"
               r"(?:\s+IF\s+NOT\s+EXISTS)?)" + _TARGET, re.IGNORECASE),
    re.compile(r"\b(?:UPDATE|COPY)" + _TARGET + r"(?=\s+(?:SET|FROM)\b|$)", re.IGNORECASE),
)
# DuckDB's relational API writes the table its first argument names.
WRITE_CALLS = {"insert_into", "append", "to_table", "create"}

# Writes outside the store whose target is computed, and what they really write.
DYNAMIC_TARGETS = {
    ("access/audit.py", "{table}"): "audit_log and audit_heads (the audit log's own tables)",
    ("resolve/model.py", "{out}"): "the blocked linkage table, on Splink's scratch database "
                                   "(resolve.model.connect), not the store",
    ("resolve/model.py", "{tf_table}"): "term-frequency lookups _tf_<column>, on Splink's "
                                        "scratch database, not the store",
}

# Tables other packages own and write (the audit log; retention and erasures; the
# trusted key list): never store tables.
NOT_STORE_TABLES = {"audit_log", "audit_heads", "audit_frontier", "retention", "erasures",
                    "trusted_keys"}


def _skipped(tree: ast.AST) -> set[int]:
    """Docstrings (not run), and the literal parts of f-strings (read whole instead)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            found.update(id(v) for v in node.values)
        elif isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef
                        | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level NAME = "text" bindings, to resolve `{NAME}` in an f-string."""
    out = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)):
            out.update({t.id: node.value.value for t in node.targets if isinstance(t, ast.Name)})
    return out


def _text(node: ast.AST, constants: dict[str, str]) -> str | None:
    """The SQL a string literal or f-string holds, with `{expr}` where it is computed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if not isinstance(node, ast.JoinedStr):
        return None
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value))
        elif isinstance(value, ast.FormattedValue):
            expr = value.value
            known = isinstance(expr, ast.Name) and expr.id in constants
            parts.append(constants[expr.id] if known  # type: ignore[union-attr]
                         else "{" + ast.unparse(expr) + "}")
    return "".join(parts)


def _targets(sql: str) -> Iterator[str]:
    """The table each write in `sql` names: a bare lower-case name, or `{expr}` or ""
    where it is computed."""
    for pattern in WRITES:
        for match in pattern.finditer(sql):
            target = match.group("target")
            computed = not target or target.startswith("{")
            yield target if computed else target.strip('"').rsplit(".", 1)[-1].lower()


def _call_write(node: ast.AST) -> str | None:
    """`.insert_into('statements')` and the like: the store table it names, if any."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITE_CALLS and node.args):
        return None
    first = node.args[0]
    named = first.value if isinstance(first, ast.Constant) else None
    if named in STORE_TABLES and (node.func.attr != "append" or len(node.args) > 1):
        return f".{node.func.attr}({named!r})"
    return None


def writes_outside_store(src: Path, tables: frozenset[str] | set[str]) -> list[str]:
    """`file:line: SQL` for every write on one of `tables`, or on a table it cannot name,
    by a module of `src` outside its store/ folder."""
    found = []
    for path in sorted(src.rglob("*.py")):
        if (src / "store") in path.parents:
            continue
        rel = path.relative_to(src).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped, constants = _skipped(tree), _constants(tree)
        for node in ast.walk(tree):
            if call := _call_write(node):
                found.append(f"{rel}:{node.lineno}: {call}")  # type: ignore[attr-defined]
            sql = None if id(node) in skipped else _text(node, constants)
            for target in _targets(sql or ""):
                computed = not target or target.startswith("{")
                if target in tables or (computed and (rel, target) not in DYNAMIC_TARGETS):
                    found.append(f"{rel}:{node.lineno}: "  # type: ignore[attr-defined]
                                 f"{' '.join((sql or '').split())[:90]}")
    return found


def test_the_store_tables_are_the_ones_the_store_creates() -> None:
    assert {"statements", "quarantine", "batches", "redact_keys", "agencies",
            "sharing_groups", "users", "tokens", "grants", "judgements", "resolution",
            "resolve_pairs", "resolve_records", "resolve_runs"} <= STORE_TABLES
    assert not NOT_STORE_TABLES & STORE_TABLES


def test_nothing_outside_the_store_writes_a_store_table() -> None:
    found = writes_outside_store(SRC, STORE_TABLES)
    assert not found, ("store tables written outside pinchpoint.store (use the store's "
                       "write functions instead):\n" + "\n".join(found))


def test_the_check_finds_each_kind_of_write(tmp_path: Path) -> None:
    """The scanner itself: every way of writing is caught, prose and temp tables are not."""
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "ok.py").write_text('SQL = "DELETE FROM statements"\n')
    (tmp_path / "bad.py").write_text('''"""Docs may say DELETE FROM statements."""
STAGE = "statements"
def f(con, table):
    con.execute("INSERT INTO statements SELECT * FROM x")
    con.execute("insert or ignore into agencies values (?)")
    con.execute("UPDATE tokens SET revoked_at = now()")
    con.execute(f"DELETE FROM {STAGE} WHERE owner = ?")
    con.execute("COPY batches FROM 'x.csv'")
    con.execute(f"DELETE FROM {table}")
    con.execute("DELETE FROM " + table)
    con.append("grants", frame)
    con.execute("INSERT INTO _temp VALUES (1)")
    con.execute("CREATE TABLE IF NOT EXISTS users (name VARCHAR)")
    con.execute("SELECT * FROM statements")
''')
    lines = sorted(int(f.split(":")[1]) for f in writes_outside_store(tmp_path, STORE_TABLES))
    assert lines == [4, 5, 6, 7, 8, 9, 10, 11, 13]
