"""No read without a scope.

(a) Every public function of `pinchpoint.store` that takes the store (or a DuckDB
    connection) and reads data has a parameter annotated `Scope`; the few that take none
    are listed, each with its reason, and a new unscoped public function fails here.
(b) Every CLI command that opens the store also takes its scope from
    `pinchpoint.cli.common.current_scope` (where `--as` is applied and the read is
    logged); every command must be listed below, so a new command fails here until it
    is covered.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import duckdb
import pytest
import typer
from builders import FTM_ENTITIES, write_jsonl
from click.testing import CliRunner

import pinchpoint.cli as cli
import pinchpoint.store as store_package
from pinchpoint.access import directory
from pinchpoint.cli import common
from pinchpoint.model.reader import Role
from pinchpoint.store.database import Connection, PostgresConnection
from pinchpoint.store.duckdb_store import DuckDBStore
from pinchpoint.store.postgres_store import PostgresStore
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore
from pinchpoint.store.workspace import Workspace, init_workspace

# -- (a) the Python API ----------------------------------------------------------------------
# Public functions taking the store or a connection and no Scope, and why that is safe.
UNSCOPED = {
    "sql_store.sliced_rows": "runs the scoped query its caller built, a slice of ids at a "
    "time; the split points (every n-th id of a schema) are never returned",
    "sql_store.SqlStore.stage": "starts a write batch; returns nothing read",
    "sql_store.SqlStore.batch_group": "one transaction for many write batches",
    "sql_store.SqlStore.close": "closes the connection",
    "sql_store.SqlStore.release_memory": "gives back the database's cached blocks; reads "
    "nothing",
    "duckdb_store.DuckDBStore.release_memory": "lowers and restores DuckDB's memory cap; "
    "reads nothing",
    "staging.refresh_statistics": "ANALYZE after a write (PostgreSQL); reads the table's "
    "row estimate, never a statement",
    "resolution.ensure": "creates the resolution tables (DDL)",
    "redaction.ensure": "creates (and first fills) the redact_keys table (DDL)",
    "redaction.refresh": "rebuilds redact_keys inside a writer's transaction; returns nothing",
    "redaction.add_from": "adds a batch's keys to redact_keys inside a writer's transaction",
    "sql_store._conforms": "mypy check that SqlStore implements the Protocol",
    "schema_sql.table_exists": "reads only the catalogue: whether a table exists yet",
    # The store's writes (its one write path): each returns only what it wrote or removed.
    "sql_store.SqlStore.import_statements": "writes received statements",
    "sql_store.SqlStore.erase_source": "deletes one owner's source (access decides who)",
    "writes.import_statements": "the store's import of received statements",
    "database.arrow": "runs the SQL its caller gives (the caller's relation is scoped)",
    "database.is_postgres": "says which database a connection is to",
    "database.json_object": "builds SQL text; reads nothing",
    "database.regex_extract": "builds SQL text; reads nothing",
    "transfer.copy_tables": "copies a workspace's whole DuckDB files to its PostgreSQL "
                            "database (the operator's copy-to-server): nothing is shown",
    "staging.batch_group": "one transaction around many batch commits; reads nothing",
    "group.Group.write_rows": "inserts the statements a batch group holds; reads nothing",
    "group.Group.finish": "a batch group's INSERT and redaction keys; shows nothing",
    "group.Group.seen": "whether a source has a batches row, for the writer; shows nothing",
    "group.KnownIds.of": "a seen source's stored ids, kept for the writer's comparison",
    "group.KnownIds.add": "ids the writer just stored, added to what it keeps",
    "group.KnownIds.forget": "drops the writer's kept ids (DDL)",
    "writes.erase_source": "the store's erasure of one owner's source",
    "directory.ensure": "creates the directory tables (DDL)",
    "directory.add_agency": "writes one agency row",
    "directory.add_group_member": "writes one sharing-group row",
    "directory.add_user": "writes one user row",
    "directory.add_token": "writes one token digest; returns its new id",
    "partner_heads.add": "writes one received audit head; returns whether it was new",
    "directory.revoke_token": "marks one token revoked; returns whether it was active",
    "directory.add_grant": "writes one grant row; returns it",
    "directory.revoke_grant": "marks one grant revoked",
    "directory.set_disabled": "disables or enables one user; returns whether it exists",
    "directory.set_user_field": "changes one user's hash, role or clearance",
    "directory.revoke_tokens_of": "marks one user's tokens revoked; returns how many",
}
STORE_TYPES = (SqlStore, duckdb.DuckDBPyConnection, PostgresConnection)


def _store_modules() -> list[Any]:
    names = [m.name for m in pkgutil.iter_modules(store_package.__path__)]
    assert {"duckdb_store", "graph_reads", "resolution", "entities"} <= set(names)
    return [importlib.import_module(f"pinchpoint.store.{n}") for n in sorted(names)]


def _functions() -> Iterator[tuple[str, Callable[..., Any]]]:
    """(module.qualname, function) for every function defined in pinchpoint.store, and
    every method of its classes, public or taking the store."""
    for module in _store_modules():
        short = module.__name__.rsplit(".", 1)[-1]
        for name, obj in vars(module).items():
            if inspect.isfunction(obj) and obj.__module__ == module.__name__:
                yield f"{short}.{name}", obj
            elif inspect.isclass(obj) and obj.__module__ == module.__name__:
                for method_name, method in vars(obj).items():
                    if inspect.isfunction(method) and not method_name.startswith("__"):
                        yield f"{short}.{name}.{method_name}", method


def _takes_store(fn: Callable[..., Any], hints: dict[str, Any]) -> bool:
    params = list(inspect.signature(fn).parameters)
    is_method = bool(params) and params[0] == "self"
    if is_method and fn.__qualname__.split(".")[0] in ("SqlStore", "DuckDBStore",
                                                       "PostgresStore"):
        return True
    return any(h is Connection or (isinstance(h, type) and issubclass(h, STORE_TYPES))
               for h in hints.values()) or \
        bool({"store", "con"} & set(params))


def _scoped(hints: dict[str, Any]) -> bool:
    return any(h is Scope or (typing.get_origin(h) is not None and Scope in typing.get_args(h))
               for h in hints.values())


def test_every_store_read_takes_a_scope() -> None:
    unscoped, seen = [], set()
    for name, fn in _functions():
        hints = typing.get_type_hints(fn)
        hints.pop("return", None)
        if not _takes_store(fn, hints):
            continue
        seen.add(name)
        if name.rsplit(".", 1)[-1].startswith("_") and name not in UNSCOPED:
            continue  # private helpers are checked through their public callers
        if not _scoped(hints) and name not in UNSCOPED:
            unscoped.append(name)
    assert not unscoped, f"public store reads without a Scope parameter: {unscoped}"
    assert set(UNSCOPED) <= seen, f"stale allow-list entries: {set(UNSCOPED) - seen}"
    for name in ("sql_store.SqlStore.statements", "sql_store.SqlStore.counts",
                 "graph_reads.references", "graph_reads.identifiers",
                 "judgements.judgements", "entities.export_ftm"):
        assert name in seen, f"{name} was not found by the scan"


def test_the_allow_listed_functions_take_no_scope() -> None:
    """An allow-listed function that grows a Scope parameter leaves the list."""
    found = dict(_functions())
    for name in UNSCOPED:
        hints = typing.get_type_hints(found[name])
        assert not _scoped(hints), f"{name} takes a scope now; remove it from UNSCOPED"


# -- (b) the CLI ---------------------------------------------------------------------------
# Commands that open the store without taking a scope, and why.
OPENS_WITHOUT_SCOPE = {
    "init": "creates the workspace and its store (writes; reads nothing back)",
    "ingest": "writes one batch; the reader is looked up only to name the owner",
    "demo ingest": "loads a generated scenario (writes)",
    "demo summary": "BUG: counts and reads entities with a trusted scope, ignoring --as",
}
# Commands that must not open the store at all.
NO_STORE = {
    "match-names": "scores two names; no workspace",
    "mapping suggest": "suggests a mapping for a table file; no workspace",
    "demo generate": "writes a synthetic scenario folder; no workspace",
}
# Commands known to read the store through `current_scope`, with a minimal argument list. A
# value of None: not run here (see the reason in SKIPPED).
SKIPPED = {
    "demo generate": "generates ~5,000 records (seconds); opens no store (NO_STORE)",
    "demo ingest": "ingests a whole scenario (seconds); a writer (OPENS_WITHOUT_SCOPE)",
    "serve": "runs the REST API server until stopped; every route takes its scope from the "
             "API's own dependency (tested with the API)",
    "copy-to-server": "copies the whole workspace, as the folder's holder may (the "
                      "operator's, like the folder itself), to a PostgreSQL server; needs a "
                      "server (tests/scale/test_team_server.py)",
}


WRITERS = frozenset({
    "init", "copy-to-server", "ingest", "resolve", "explain", "judge", "undo-judgement",
    "share-judgement", "withdraw-judgement-share", "adopt-judgement", "agency add",
    "agency join", "user add", "user token", "user revoke-token", "user set-role",
    "user set-clearance", "user passwd", "user revoke-tokens", "user disable",
    "user enable", "share grant",
    "share revoke", "share export", "share import", "share trust", "audit pin", "retention set",
    "retention erase", "match filter", "match check", "match request", "match receive",
    "match answer", "match key rotate", "match key export", "match key import"})


@dataclass
class Env:
    ws: Workspace
    data: Path
    out: Path
    values: dict[str, str] = field(default_factory=dict)


def _commands(env: Env) -> dict[str, list[str] | None]:
    d, o = str(env.data), env.out
    return {
        "init": ["init", "--agency", "NCA"],
        "ingest": ["ingest", "ftm", d, "--source", "more"],
        "status": ["status", "--json"],
        "quarantine": ["quarantine", "--json"],
        "entity": ["entity", "person-amanj", "--json"],
        "export ftm": ["export", "ftm"],
        "export resolution": ["export", "resolution"],
        "match-names": ["match-names", "Amanj Hassan", "Amanj Hasan"],
        "mapping suggest": ["mapping", "suggest",
                            str(Path(__file__).parents[2] / "docs" / "examples" / "people.csv")],
        "resolve": ["resolve", "--json"],
        "judge": ["judge", "person-amanj", "person-rebin", "different", "--reason", "x"],
        "undo-judgement": ["undo-judgement", "nonexistent", "--reason", "x"],
        "judgements": ["judgements", "--json"],
        "share-judgement": ["share-judgement", "nonexistent", "--to", "BF", "--purpose", "x"],
        "withdraw-judgement-share": ["withdraw-judgement-share", "nonexistent", "--to", "BF",
                                     "--reason", "x"],
        "adopt-judgement": ["adopt-judgement", "nonexistent", "--reason", "x"],
        "judgement-shares": ["judgement-shares", "--json"],
        "explain": ["explain", "person-amanj", "person-rebin", "--json"],
        "review": ["review", "--json"],
        "serve": None,
        "copy-to-server": None,
        "demo generate": None,
        "demo ingest": None,
        "demo summary": ["demo", "summary", str(Path(__file__).parents[2] / "docs" / "examples")],
        "network rank": ["network", "rank", "--json"],
        "network groups": ["network", "groups", "--json"],
        "network plan": ["network", "plan", "--k", "1"],
        "network path": ["network", "path", "person-amanj", "person-rebin"],
        "network export": ["network", "export", "--out", str(o / "net.graphml")],
        "network leaders": ["network", "leaders", "--json"],
        "money alerts": ["money", "alerts", "--json"],
        "money sinks": ["money", "sinks", "--json"],
        "money party": ["money", "party", "person-amanj", "--json"],
        "money trace": ["money", "trace", "--from", "person-amanj", "--json"],
        "money rates": ["money", "rates"],
        "phones common": ["phones", "common", "--min-devices", "1", "--json"],
        "mapping list": ["mapping", "list", "--json"],
        "mapping show": ["mapping", "show", "people"],
        "phones devices": ["phones", "devices", "+447911123456", "--json"],
        "supply chains": ["supply", "chains", "--json"],
        "supply hubs": ["supply", "hubs", "--json"],
        "supply plan": ["supply", "plan", "--json"],
        "agency add": ["agency", "add", "PAF"],
        "agency join": ["agency", "join", "PAF", "CHANNEL"],
        "agency list": ["agency", "list", "--json"],
        "user add": ["user", "add", "paf.analyst", "--agency", "PAF", "--role", "analyst",
                     "--clearance", "OFFICIAL"],
        "user list": ["user", "list", "--json"],
        "user token": ["user", "token", "paf.analyst"],
        "user revoke-token": ["user", "revoke-token", "nonexistent"],
        "user set-role": ["user", "set-role", "paf.analyst", "supervisor"],
        "user set-clearance": ["user", "set-clearance", "paf.analyst", "SECRET"],
        "user passwd": ["user", "passwd", "paf.analyst", "--password-stdin"],
        "user revoke-tokens": ["user", "revoke-tokens", "paf.analyst"],
        "user disable": ["user", "disable", "paf.analyst"],
        "user enable": ["user", "enable", "paf.analyst"],
        "share grant": ["share", "grant", "--to", "PAF", "--reason", "x"],
        "share revoke": ["share", "revoke", "nonexistent"],
        "share grants": ["share", "grants", "--json"],
        "share export": ["share", "export", "--to", "PAF", "--out", str(o / "p.pkg"),
                         "--reason", "x"],
        "share import": ["share", "import", str(o / "p.pkg")],
        "share trust": ["share", "trust", "PAF", "AAAA"],
        "share key": ["share", "key"],
        "share heads": ["share", "heads", "--from", "PAF", "--json"],
        "match filter": ["match", "filter", "--group", "CHANNEL", "--out", str(o / "m.filter"),
                         "--reason", "x"],
        "match check": ["match", "check", str(o / "m.filter")],
        "match request": ["match", "request", "--to", "PAF", "--reason", "x"],
        "match receive": ["match", "receive", str(o / "m.filter")],
        "match answer": ["match", "answer", "nonexistent", "--reason", "x"],
        "match requests": ["match", "requests", "--json"],
        "match key show": ["match", "key", "show", "--group", "CHANNEL"],
        "match key rotate": ["match", "key", "rotate", "--group", "CHANNEL", "--reason", "x"],
        "match key export": ["match", "key", "export", "--group", "CHANNEL", "--out",
                             str(o / "k.key"), "--reason", "x"],
        "match key import": ["match", "key", "import", str(o / "k.key"), "--reason", "x"],
        "audit show": ["audit", "show", "--json"],
        "audit head": ["audit", "head", "--json"],
        "audit prove": ["audit", "prove", "1", "--json"],
        "audit verify": ["audit", "verify"],
        "audit pin": ["audit", "pin"],
        "retention due": ["retention", "due", "--json"],
        "retention set": ["retention", "set", "entities", "2031-01-01", "--reason", "x"],
        "retention erase": ["retention", "erase", "more", "--reason", "x", "--yes"],
    }


def _all_commands(group: typer.Typer, prefix: tuple[str, ...] = ()) -> list[str]:
    names = []
    for command in group.registered_commands:
        name = command.name or command.callback.__name__.replace("_", "-")
        names.append(" ".join((*prefix, name)))
    for sub in group.registered_groups:
        names += _all_commands(sub.typer_instance, (*prefix, sub.name))
    return names


@functools.cache
def _command() -> click.Command:
    return typer.main.get_command(cli.app)


@pytest.fixture
def env(tmp_path: Path) -> Env:
    ws = init_workspace(tmp_path / "ws", agency="NCA")
    data = write_jsonl(tmp_path / "entities.json", FTM_ENTITIES)
    from pinchpoint.ingest.run import ingest_file
    from pinchpoint.ingest.source import IngestOptions

    ingest_file(ws, "ftm", data, IngestOptions(source="entities"))
    with ws.open_store() as store:
        directory.ensure(store.con)
        directory.add_agency(store.con, "BF")
        directory.add_user(store.con, "bf.analyst", "BF", Role.ANALYST, "SECRET")
    out = tmp_path / "out"
    out.mkdir()
    return Env(ws, data, out)


def _run(env: Env, args: list[str], user: str | None = None) -> Any:
    base = ["--workspace", str(env.ws.path)] + (["--as", user] if user else [])
    return CliRunner().invoke(_command(), [*base, *args],
                              env={"PINCHPOINT_USER": None, "PINCHPOINT_WORKSPACE": None})


def test_every_command_is_listed(env: Env) -> None:
    commands = _commands(env)
    registered = _all_commands(cli.app)
    assert len(registered) == len(set(registered))
    missing = sorted(set(registered) - set(commands))
    assert not missing, f"new CLI commands: give them arguments in _commands(): {missing}"
    assert not set(commands) - set(registered), "stale entries in _commands()"
    assert {k for k, v in commands.items() if v is None} == set(SKIPPED)
    assert set(OPENS_WITHOUT_SCOPE) | set(NO_STORE) | set(SKIPPED) <= set(registered)


@dataclass
class Calls:
    opened: int = 0
    scoped: int = 0


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    seen = Calls()
    real_scope = common.current_scope

    def counted(store_class: type[SqlStore]) -> None:
        real_init = store_class.__init__

        def init(self: SqlStore, *args: Any, **kwargs: Any) -> None:
            seen.opened += 1
            real_init(self, *args, **kwargs)

        monkeypatch.setattr(store_class, "__init__", init)

    def scope(*args: Any, **kwargs: Any) -> Scope:
        seen.scoped += 1
        return real_scope(*args, **kwargs)

    counted(DuckDBStore)
    counted(PostgresStore)
    monkeypatch.setattr(common, "current_scope", scope)
    return seen


def _check_commands(env: Env, calls: Calls, user: str | None,
                    leave_out: frozenset[str] = frozenset()) -> dict[str, str]:
    """Run every command; return the problems found, by command."""
    problems = {}
    for name, args in _commands(env).items():
        if args is None or name in leave_out:
            continue
        calls.opened = calls.scoped = 0
        result = _run(env, args, user)
        if name in NO_STORE:
            if calls.opened:
                problems[name] = "opened the store"
            continue
        if not calls.opened:
            if name not in OPENS_WITHOUT_SCOPE:
                problems[name] = f"never opened the store (exit {result.exit_code}: " \
                                 f"{result.output[-200:]!r}); fix its arguments"
            continue
        if not calls.scoped and name not in OPENS_WITHOUT_SCOPE:
            problems[name] = "opened the store without taking a scope"
    return problems


def test_every_cli_read_takes_the_scope(env: Env, calls: Calls) -> None:
    problems = _check_commands(env, calls, user=None)
    assert not problems, problems


def test_every_cli_read_takes_the_scope_as_a_user(env: Env, calls: Calls) -> None:
    """The same, acting as a user of another agency (`--as`)."""
    # Writers (refused to an analyst anyway) and resolve/explain (they train a linkage
    # model, a second or more) were run once, above.
    problems = _check_commands(env, calls, user="bf.analyst", leave_out=WRITERS)
    assert not problems, problems


def test_demo_summary_takes_the_scope(env: Env, calls: Calls) -> None:
    args = _commands(env)["demo summary"]
    assert args is not None
    calls.opened = calls.scoped = 0
    _run(env, args, user="bf.analyst")
    assert calls.opened
    assert calls.scoped, "demo summary opened the store without taking a scope"


def test_an_unknown_user_is_refused(env: Env) -> None:
    for args in (["status", "--json"], ["entity", "person-amanj", "--json"],
                 ["export", "ftm"], ["quarantine", "--json"]):
        result = _run(env, args, user="nobody")
        assert result.exit_code == 2, (args, result.output)
        assert "no user nobody" in result.output
        assert "person-amanj" not in result.stdout


def test_share_export_packs_only_what_the_exporter_may_see(env: Env) -> None:
    import zipfile

    from access_world import write_batch

    from pinchpoint.access.entitlements import scope_for
    from pinchpoint.model.reader import Reader

    with env.ws.open_store() as store:
        con = store.con
        directory.add_agency(con, "PAF")
        directory.add_user(con, "nca.supervisor", "NCA", Role.SUPERVISOR, "SECRET")
        directory.grant(con, Reader("paf.boss", "PAF", Role.SUPERVISOR), "BF", "joint op")
        write_batch(store, "PAF", "paf-intel", "P", "OFFICIAL",
                    [("paf-person", "Person", "name", "Known only to PAF and BF")])
        write_batch(store, "BF", "bf-intel", "P", "OFFICIAL",
                    [("bf-person", "Person", "name", "Border Force, not shared")])
        sees = {s.value for s in store.statements(scope_for(
            con, directory.reader(con, "nca.supervisor")))}
    assert "Known only to PAF and BF" not in sees
    package = env.out / "to-bf.pkg"
    result = _run(env, ["share", "export", "--to", "BF", "--out", str(package),
                        "--reason", "joint op"], user="nca.supervisor")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(package) as z:
        packed = z.read("statements.jsonl").decode()
    assert "Known only to PAF and BF" not in packed
    assert "Border Force, not shared" not in packed
