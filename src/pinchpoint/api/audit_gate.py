"""No answer leaves before its consultation is in the audit log, yet the answer is made
while the entry is being committed.

Every read is logged (DPA 2018 s.62), and the entry must be on disk before what was read
goes out. A request used to wait for that commit before it started its work: with
several server processes on PostgreSQL, each commit waits its turn for the log's lock
and for the disk, and while a process's requests all waited, its core sat idle (a third
of the machine in `benchmarks/api.py --team 2`). Now the session submits the entry
(`AuditWriter.submit`, which refuses a bad entry at once) and files the pending commit
in the request's ASGI state; the work runs; and this middleware holds the response's
first message until the commit is done, telling the writer the commit is needed now
(until then it gathers more entries into the same commit). If the commit fails, the
answer is replaced by a 503 and its body is dropped: nothing read goes out unlogged.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from typing import Any

import orjson

from pinchpoint.api.audit_writer import Commit
from pinchpoint.api.headers import ASGIApp, Message, Receive, Scope, Send

PENDING = "pinchpoint_audit"
"""The key, in the request's ASGI state, of the consultation's pending commit."""

UNLOGGED = orjson.dumps({"detail": "the audit log could not record this read, so nothing "
                                   "was answered; try again, or see the server's operator"})


def hold_until_logged(scope: Scope, pending: Future[Any]) -> None:
    """File `pending` (the entry's commit) for `AuditGate` to wait on."""
    scope.setdefault("state", {})[PENDING] = pending


class AuditGate:
    """Holds each answer's start until the request's filed audit commit is done."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})  # the dict `request.state` writes into
        refused = False

        async def gated(message: Message) -> None:
            nonlocal refused
            if refused:
                return  # the answer's body, after its start was replaced: dropped
            pending = state.pop(PENDING, None)
            if message["type"] == "http.response.start" and pending is not None:
                if isinstance(pending, Commit):
                    pending.needed()  # the answer is ready: commit its entry now
                try:
                    await asyncio.wrap_future(pending)
                except Exception:
                    refused = True
                    await _unlogged(send)
                    return
            await send(message)

        await self.app(scope, receive, gated)


async def _unlogged(send: Send) -> None:
    await send({"type": "http.response.start", "status": 503,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(UNLOGGED)).encode())]})
    await send({"type": "http.response.body", "body": UNLOGGED})


__all__ = ["PENDING", "AuditGate", "hold_until_logged"]
