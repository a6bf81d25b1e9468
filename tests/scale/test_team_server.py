"""A team server on PostgreSQL (issue 16, items 1 and 2): writes by another process bite
in a running server at once, `serve --workers` needs PostgreSQL, a DuckDB workspace
copies to a server whole, and a server that cannot be reached is one clear sentence."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from postgres import Server

from pinchpoint.access import directory, journal
from pinchpoint.api.app import create_app
from pinchpoint.cli import app as cli_app
from pinchpoint.store import init_workspace, open_workspace
from pinchpoint.store.database import DatabaseError, postgres_sql, redacted_url
from pinchpoint.store.workspace import DATABASE_ENV, Workspace

PASSWORD = "a long enough phrase"
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def test_placeholders_become_psycopg_ones_and_quoted_text_is_kept() -> None:
    sql = "SELECT '?', \"a?\", x FROM t WHERE a = ? AND b LIKE '%z' AND c = ?"
    assert postgres_sql(sql) == ("SELECT '?', \"a?\", x FROM t WHERE a = %s AND b LIKE "
                                 "'%%z' AND c = %s")


def test_a_password_is_never_shown() -> None:
    shown = redacted_url("postgresql://nca:s3cret@db.example/pinchpoint")
    assert "s3cret" not in shown and "***" in shown and "db.example" in shown


def test_an_unreachable_server_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="cannot make the database") as found:
        init_workspace(tmp_path / "ws", agency="NCA",
                       database=f"postgresql://nca:s3cret@/?host={tmp_path}/nowhere")
    assert "s3cret" not in str(found.value)


def _ws(server: Server, tmp_path: Path, name: str = "ws") -> Workspace:
    ws = init_workspace(tmp_path / name, agency="NCA", database=server.url)
    with ws.open_store() as store:
        directory.add_agency(store.con, "BF")
        for user, agency, role in (("root", "NCA", "administrator"),
                                   ("nadia", "NCA", "analyst")):
            directory.add_user(store.con, user, agency, role, "SECRET", PASSWORD)
    return ws


@pytest.fixture
def server_ws(postgres_server: Server, tmp_path: Path) -> Iterator[Workspace]:
    before = postgres_server.databases()
    yield _ws(postgres_server, tmp_path)
    postgres_server.drop(postgres_server.databases() - before)


def _login(client: TestClient, user: str) -> dict[str, str]:
    response = client.post("/api/login", json={"username": user, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}", "X-Purpose": "test"}


def _until(check: object, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_a_user_disabled_from_another_process_is_refused_at_once(server_ws: Workspace
                                                                 ) -> None:
    with TestClient(create_app(server_ws.path)) as client:
        nadia = _login(client, "nadia")
        assert client.get("/api/me", headers=nadia).status_code == 200  # remembered now
        # The CLI, another process, disables her while the server runs.
        done = subprocess.run([sys.executable, "-m", "pinchpoint.cli", "--workspace",
                               str(server_ws.path), "user", "disable", "nadia",
                               "--reason", "left the team"], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert _until(lambda: client.get("/api/me", headers=nadia).status_code == 401)


def test_an_ingest_from_the_cli_while_serving_is_seen_by_the_server(server_ws: Workspace
                                                                    ) -> None:
    with TestClient(create_app(server_ws.path)) as client:
        root = _login(client, "root")
        before = client.get("/api/status", headers=root).json()
        done = subprocess.run([sys.executable, "-m", "pinchpoint.cli", "--workspace",
                               str(server_ws.path), "ingest", "ledger",
                               str(EXAMPLES / "ledger.csv")], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert _until(lambda: client.get("/api/status", headers=root).json() != before)
        assert client.get("/api/status", headers=root).json()["statements"] > 0


def test_workers_need_postgresql(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    ws = init_workspace(tmp_path / "ws", agency="NCA")
    result = CliRunner().invoke(cli_app, ["--workspace", str(ws.path), "serve",
                                          "--workers", "2"])
    assert result.exit_code == 2
    assert "--workers needs a workspace on PostgreSQL" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_two_workers_serve_one_database(server_ws: Workspace) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "pinchpoint.cli", "--workspace", str(server_ws.path), "serve",
         "--workers", "2", "--port", str(port)], stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, env={**os.environ, DATABASE_ENV: ""})
    base = f"http://127.0.0.1:{port}"
    try:
        assert _until(lambda: _answers(base), 60), server.stderr
        token = httpx.post(f"{base}/api/login", json={"username": "nadia",
                                                      "password": PASSWORD}).json()["token"]
        headers = {"Authorization": f"Bearer {token}", "X-Purpose": "test"}
        # Keep-alive off: requests spread over both processes; all of them answer.
        codes = {httpx.get(f"{base}/api/me", headers=headers).status_code for _ in range(20)}
        assert codes == {200}
        done = subprocess.run([sys.executable, "-m", "pinchpoint.cli", "--workspace",
                               str(server_ws.path), "user", "disable", "nadia",
                               "--reason", "left the team"], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert _until(lambda: all(httpx.get(f"{base}/api/me", headers=headers).status_code
                                  == 401 for _ in range(10)))
    finally:
        server.terminate()
        server.wait(30)


def _answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/api/me").status_code == 401
    except httpx.HTTPError:
        return False


def test_a_duckdb_workspace_copies_to_a_server_whole(postgres_server: Server,
                                                     tmp_path: Path) -> None:
    from typer.testing import CliRunner

    runner = CliRunner()
    old = tmp_path / "laptop"
    for args in (["init", "--agency", "NCA"], ["ingest", "ledger", str(EXAMPLES / "ledger.csv")]):
        assert runner.invoke(cli_app, ["--workspace", str(old), *args]).exit_code == 0
    before_dbs = postgres_server.databases()
    try:
        result = runner.invoke(cli_app, ["--workspace", str(old), "copy-to-server",
                                         str(tmp_path / "server"), "--database",
                                         postgres_server.url])
        assert result.exit_code == 0, result.output
        moved = open_workspace(tmp_path / "server")
        assert moved.database and moved.id == open_workspace(old).id
        with open_workspace(old).open_store(read_only=True) as a, \
                moved.open_store(read_only=True) as b:
            rows = [sorted(s.con.execute("SELECT * FROM statements").fetchall(), key=repr)
                    for s in (a, b)]
        assert rows[0] == rows[1] and rows[0]
        assert journal.verify(moved.path).ok
        entries = [e.what for e in _entries(moved.path)]
        assert entries[-1].startswith("store copied from")
        again = runner.invoke(cli_app, ["--workspace", str(old), "copy-to-server",
                                        str(tmp_path / "server"), "--database",
                                        postgres_server.url])
        assert again.exit_code == 2 and "is not empty" in again.output
    finally:
        postgres_server.drop(postgres_server.databases() - before_dbs)


def _entries(path: Path) -> list[journal.Entry]:
    with journal.open_log(path) as log:
        return log.entries(json.loads((path / "workspace.json").read_text())["agency"])
