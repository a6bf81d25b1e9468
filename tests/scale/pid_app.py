"""A tiny ASGI app that answers with its process id: which worker took a connection."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import Any

Send = Callable[[dict[str, Any]], Awaitable[None]]


async def _app(scope: dict[str, Any], _receive: Any, send: Send) -> None:
    if scope["type"] != "http":
        return
    body = str(os.getpid()).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def make() -> Callable[..., Awaitable[None]]:
    return _app
