"""The REST API: what the CLI does, over HTTP, for several analysts of several agencies.

`create_app(workspace)` builds the application; every `/api/` route but login takes its
scope from `deps.session` (a bearer token from `POST /api/login`), every read is logged
as a consultation, and what a caller may not see answers 404 like a missing id. The
OpenAPI description is at `/openapi.json`. Built web assets (`pinchpoint/web/dist/`)
are served at `/` when present.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from pinchpoint.access.directory import TOKEN_LIFETIME
from pinchpoint.api import (
    routes_accounts,
    routes_admin,
    routes_briefing,
    routes_core,
    routes_entities,
    routes_exports,
    routes_ingest,
    routes_matching,
    routes_money,
    routes_network,
    routes_phones,
    routes_picture,
    routes_supply,
)
from pinchpoint.api.audit_gate import AuditGate
from pinchpoint.api.deps import AppState
from pinchpoint.api.headers import SecurityHeaders
from pinchpoint.api.routes_network import warm
from pinchpoint.network import NetworkError
from pinchpoint.resolve import ResolveError
from pinchpoint.store import StoreBusyError, open_workspace
from pinchpoint.store.database import DatabaseError
from pinchpoint.store.signing import KeyPinError

log = logging.getLogger(__name__)

WEB_DIST = Path(__file__).resolve().parent.parent / "web" / "dist"
NOT_BUILT = ("<!doctype html><title>Pinchpoint</title><h1>Pinchpoint</h1>"
             "<p>The web workbench's assets are not built (no pinchpoint/web/dist). "
             "The API is at <a href='/docs'>/docs</a> (<a href='/openapi.json'>"
             "OpenAPI</a>).</p>")


PACKAGED_SMALL_BOATS = Path(__file__).resolve().parent / "data"


# What `pinchpoint serve --workers N` hands each worker process.
SERVE_WORKSPACE_ENV = "PINCHPOINT_SERVE_WORKSPACE"
SERVE_SMALL_BOATS_ENV = "PINCHPOINT_SERVE_SMALL_BOATS"
SERVE_TOKEN_HOURS_ENV = "PINCHPOINT_SERVE_TOKEN_HOURS"


def worker_environment(workspace: Path, small_boats: Path | None, token_hours: float
                       ) -> dict[str, str]:
    """The environment from which each worker makes its app (`app_from_environment`)."""
    found = {SERVE_WORKSPACE_ENV: str(workspace.resolve()),
             SERVE_TOKEN_HOURS_ENV: repr(float(token_hours))}
    if small_boats is not None:
        found[SERVE_SMALL_BOATS_ENV] = str(small_boats.resolve())
    return found


def app_from_environment() -> FastAPI:
    """The app of one worker of `pinchpoint serve --workers N` (uvicorn calls this in
    each process; every worker holds its own connections and listens for the others'
    writes: `pinchpoint.api.listener`)."""
    boats = os.environ.get(SERVE_SMALL_BOATS_ENV)
    return create_app(Path(os.environ[SERVE_WORKSPACE_ENV]), Path(boats) if boats else None,
                      token_lifetime=timedelta(
                          hours=float(os.environ.get(SERVE_TOKEN_HOURS_ENV, "12"))))


def create_app(workspace: Path, small_boats: Path | None = None,
               web_dist: Path | None = None, token_lifetime: timedelta | None = None
               ) -> FastAPI:
    """The API over one workspace; `small_boats` is the folder of the Home Office
    small-boat CSVs (monthly.csv, yearly.csv) the dashboard shows [default: the copy
    packaged in `pinchpoint/api/data`]; tokens work for `token_lifetime` after login
    [default: `directory.TOKEN_LIFETIME`, 12 hours]."""
    state = AppState(open_workspace(workspace), small_boats or PACKAGED_SMALL_BOATS,
                     token_lifetime or TOKEN_LIFETIME)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    # No /docs or /redoc: FastAPI's pages load their scripts from a CDN, and nothing here
    # may fetch from the internet; the schema itself is at /openapi.json.
    app = FastAPI(title="Pinchpoint", version="1", lifespan=lifespan, docs_url=None,
                  redoc_url=None,
                  description="Intelligence workbench for organised immigration crime. "
                  "Log in with POST /api/login and send the token as "
                  "`Authorization: Bearer TOKEN`; give a purpose in `X-Purpose`.")
    state.warmer = warm
    app.state.pinchpoint = state
    app.add_middleware(AuditGate)  # no answer before its read is logged (audit_gate.py)
    app.add_middleware(SecurityHeaders)  # CSP, nosniff, no-referrer, no-store (headers.py)
    for module in (routes_core, routes_ingest, routes_accounts, routes_admin,
                   routes_entities, routes_network, routes_money, routes_phones, routes_supply,
                   routes_picture, routes_exports, routes_briefing, routes_matching):
        app.include_router(module.router)
    _errors(app)
    _static(app, web_dist or WEB_DIST)
    return app


def _errors(app: FastAPI) -> None:
    """Expected failures are one sentence with a 4xx, never a 500."""

    @app.exception_handler(NetworkError)
    async def network_error(_r: Request, exc: NetworkError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(ResolveError)
    async def resolve_error(_r: Request, exc: ResolveError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def invalid(_r: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own answer echoes each invalid value as `input` (a password that is
        # too long, a token); this one says where and what is wrong, never the value.
        errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")),
                   "type": str(e.get("type", ""))} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(KeyPinError)
    async def key_refused(_r: Request, exc: KeyPinError) -> JSONResponse:
        # The audit log cannot be signed: nothing is answered unlogged (`keys`).
        return JSONResponse({"detail": "the workspace's audit key is refused; see the "
                             "server's operator"}, status_code=503)

    @app.exception_handler(StoreBusyError)
    async def busy(_r: Request, exc: StoreBusyError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(DatabaseError)
    async def unreachable(_r: Request, exc: DatabaseError) -> JSONResponse:
        log.warning("%s", exc)  # the server's address is the operator's, not the caller's
        return JSONResponse({"detail": "the workspace's database cannot be reached; see the "
                             "server's operator"}, status_code=503)


def _static(app: FastAPI, dist: Path) -> None:
    index = dist / "index.html"

    @app.get("/{path:path}", include_in_schema=False, response_model=None)
    def web(path: str) -> Response:
        if path.startswith("api/") or path == "api":
            raise HTTPException(404, "no such API endpoint")
        if not index.exists():
            return HTMLResponse(NOT_BUILT)
        wanted = (dist / path).resolve()
        if path and wanted.is_file() and wanted.is_relative_to(dist.resolve()):
            return FileResponse(wanted)
        return FileResponse(index)  # client-side routes
