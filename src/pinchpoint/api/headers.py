"""Security headers on every answer the app gives (issue 14).

The workbench is served from the app itself and loads nothing from elsewhere, so the
Content-Security-Policy allows only this origin, plus what the built app in
`pinchpoint/web/dist` needs (checked against its files, and by the browser tests, which
fail on any CSP violation):

- `blob:` workers: the network layout's ForceAtlas2 worker and MapLibre's worker are
  made from blobs; MapLibre also fetches and decodes images through blob URLs;
- `data:` images and fonts: MapLibre's control icons are inline SVG in its CSS;
- inline styles: MapLibre and the graph renderer position elements by style attributes.
  Scripts get no such allowance: no inline script and no `eval` runs.

`frame-ancestors 'none'` (and X-Frame-Options for old browsers) stops framing; nosniff
stops a JSON answer or an upload being run as script; no-referrer keeps entity ids in
URLs from leaking; and API answers are `no-store`, so no browser or proxy cache keeps
what a user was shown after they log out.

A plain ASGI middleware, not `@app.middleware`: it adds headers to the response start
and nothing else, at no measurable cost per request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' data: blob:",
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
EVERY_ANSWER = {
    b"content-security-policy": CSP.encode(),
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"no-referrer",
    b"x-frame-options": b"DENY",
}
NOT_KEPT = (b"cache-control", b"no-store")
API_PATHS = ("/api/", "/openapi.json")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class SecurityHeaders:
    """Adds `EVERY_ANSWER`'s headers to every HTTP answer, and `no-store` to the API's
    (a header a route set itself is left as it is)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = str(scope.get("path", "")).startswith(API_PATHS)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {bytes(name).lower() for name, _ in headers}
                wanted = [*EVERY_ANSWER.items(), *([NOT_KEPT] if api else [])]
                headers += [(k, v) for k, v in wanted if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
