"""A throwaway PostgreSQL server for the tests that run on both backends.

One cluster per test run, made with `initdb` and started with `pg_ctl` on a Unix socket
in a temporary folder (no TCP port, no container), stopped and deleted at the end. Each
test module on the PostgreSQL backend sets $PINCHPOINT_DATABASE to the server, so every
workspace it makes gets a database of its own (`pinchpoint.store.postgres_store`);
those databases are dropped when the module ends.

`make test` installs Debian's `postgresql` when its programs are missing. Running as
root (as CI does), the server runs as the `postgres` user, as `initdb` requires.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import conninfo

from pinchpoint.store.duckdb_store import DuckDBStore
from pinchpoint.store.postgres_store import PostgresStore, database_url
from pinchpoint.store.sql_store import SqlStore
from pinchpoint.store.workspace import DATABASE_ENV

BACKENDS = ("duckdb", "postgresql")
DUCKDB_ONLY = "duckdb_only"  # marks a test about the DuckDB file itself


def _program(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed: run `make test` (it "
                           "installs Debian's postgresql) or `apt-get install postgresql`")
    return found


def _as_server_user(command: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as `postgres` then."""
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser") or next(
        (p for p in ("/usr/sbin/runuser", "/sbin/runuser") if Path(p).exists()), "runuser")
    return [runuser, "-u", "postgres", "--", *command]


@dataclass(frozen=True)
class Server:
    folder: Path

    @property
    def url(self) -> str:
        return f"postgresql:///?host={self.folder}&user=postgres"

    def databases(self) -> set[str]:
        with psycopg.connect(f"host={self.folder} user=postgres dbname=postgres",
                             autocommit=True) as con:
            return {str(r[0]) for r in con.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'pinchpoint_%'")}

    def drop(self, names: set[str]) -> None:
        with psycopg.connect(f"host={self.folder} user=postgres dbname=postgres",
                             autocommit=True) as con:
            for name in sorted(names):
                con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start(durable: bool = False, settings: dict[str, str] | None = None) -> Server:
    """A new cluster; `durable`: PostgreSQL's defaults (fsync, synchronous commit), for
    benchmarks; the tests run without them, as nothing they write must survive a crash.
    `settings` are more server settings (a benchmark's tuning, which it records)."""
    folder = Path(tempfile.mkdtemp(prefix="pinchpoint-pg-"))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data = folder / "data"
    subprocess.run(_as_server_user([
        _program("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
        "--locale=C.UTF-8", "--no-sync"]), check=True, capture_output=True)
    options = f"-k {folder} -c listen_addresses='' -c max_connections=300"
    options += (" -c shared_buffers=512MB" if durable else " -c shared_buffers=128MB -c "
                "fsync=off -c synchronous_commit=off -c full_page_writes=off")
    options += "".join(f" -c {name}={value}" for name, value in (settings or {}).items())
    subprocess.run(_as_server_user([
        _program("pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w",
        "start"]), check=True, capture_output=True)
    return Server(folder)


def stop(server: Server) -> None:
    subprocess.run(_as_server_user([_program("pg_ctl"), "-D", str(server.folder / "data"),
                                    "-m", "immediate", "stop"]), capture_output=True)
    shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server]:
    server = start()
    yield server
    stop(server)


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run a module's tests on each backend: on PostgreSQL, every workspace they make
    gets a database of its own on the test run's server, dropped after the module (a
    module's shared fixtures, such as the access matrix's world, are made once per
    backend)."""
    name = str(request.param)
    with pytest.MonkeyPatch.context() as patch:
        if name == "duckdb":
            patch.delenv(DATABASE_ENV, raising=False)
            yield name
            return
        server: Server = request.getfixturevalue("postgres_server")
        before = server.databases()
        patch.setenv(DATABASE_ENV, server.url)
        yield name
    server.drop(server.databases() - before)


@pytest.fixture(scope="module", autouse=True)
def module_on_each_backend(backend: str) -> str:
    """Imported by a folder's conftest.py: every test module there runs on both backends."""
    return backend


@pytest.fixture(autouse=True)
def on_each_backend(request: pytest.FixtureRequest, backend: str) -> None:
    """A test marked `duckdb_only` is about the DuckDB file: skipped on PostgreSQL."""
    marker = request.node.get_closest_marker(DUCKDB_ONLY)
    if backend != "duckdb" and marker is not None:
        pytest.skip(f"DuckDB only: {marker.args[0] if marker.args else 'the DuckDB file'}")


@contextmanager
def fresh_store() -> Iterator[SqlStore]:
    """A store of its own on the module's backend: an in-memory DuckDB database, or a
    new PostgreSQL database (dropped with the module's others)."""
    server = os.environ.get(DATABASE_ENV)
    store: SqlStore = (PostgresStore(database_url(server, f"pinchpoint_{uuid.uuid4().hex}"))
                       if server else DuckDBStore(Path(":memory:")))
    with store:
        yield store


def copy_workspace(source: Path, target: Path,
                   ignore: Callable[[str, list[str]], Iterable[str]] | None = None) -> Path:
    """A copy of a workspace folder; on PostgreSQL with a copy of its database too (a
    copied folder alone would share the database with the original)."""
    shutil.copytree(source, target, ignore=ignore)
    settings_file = target / "workspace.json"
    settings = json.loads(settings_file.read_text())
    url = settings.get("database")
    if url:
        old = conninfo.conninfo_to_dict(url)["dbname"]
        new = f"pinchpoint_{uuid.uuid4().hex}"
        with psycopg.connect(conninfo.make_conninfo(url, dbname="postgres"),
                             autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{new}" TEMPLATE "{old}"')
        settings["database"] = conninfo.make_conninfo(url, dbname=new)
        settings_file.write_text(json.dumps(settings, indent=2) + "\n")
    return target
