"""An answer is made while its consultation is committed, and sent only once it is
(`pinchpoint.api.audit_gate`): nothing read goes out unlogged, and a failed commit
turns the answer into a 503 with none of what was read."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future

import pytest
from api_world import World
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from pinchpoint.access.audit import AuditLog
from pinchpoint.api.app import create_app
from pinchpoint.api.audit_gate import AuditGate, hold_until_logged

pytest_plugins = ["api_fixtures"]

SECRET = "what the caller read"


def gated_app(pending: Future[None], worked: threading.Event) -> FastAPI:
    app = FastAPI()
    app.add_middleware(AuditGate)

    @app.get("/read")
    def read(request: Request) -> dict[str, str]:
        hold_until_logged(request.scope, pending)
        worked.set()  # the work runs while the entry is committed
        return {"value": SECRET}

    return app


def test_the_answer_waits_for_its_commit_while_the_work_runs() -> None:
    pending: Future[None] = Future()
    worked = threading.Event()
    committed_at: list[float] = []

    def commit_after_the_work() -> None:
        assert worked.wait(10)
        time.sleep(0.2)
        committed_at.append(time.monotonic())
        pending.set_result(None)

    threading.Thread(target=commit_after_the_work).start()
    with TestClient(gated_app(pending, worked)) as client:
        response = client.get("/read")
        answered_at = time.monotonic()
    assert response.status_code == 200 and response.json() == {"value": SECRET}
    assert committed_at and answered_at >= committed_at[0]


def test_a_failed_commit_answers_503_and_sends_nothing_read() -> None:
    pending: Future[None] = Future()
    pending.set_exception(OSError("disk full"))
    with TestClient(gated_app(pending, threading.Event())) as client:
        response = client.get("/read")
    assert response.status_code == 503
    assert SECRET not in response.text and "audit log" in response.json()["detail"]


def test_the_app_refuses_a_read_it_could_not_log(world: World, nadia: dict[str, str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """On the real app: with the log failing, a search answers 503 and names nobody."""
    def broken(self: AuditLog, items: object) -> None:
        raise OSError("disk full")

    with TestClient(create_app(world.workspace.path)) as client:
        assert client.get("/api/search?q=Rebin", headers=nadia).status_code == 200
        monkeypatch.setattr(AuditLog, "record_many", broken)
        response = client.get("/api/search?q=Rebin", headers=nadia)
    assert response.status_code == 503
    assert "Rebin" not in response.text
