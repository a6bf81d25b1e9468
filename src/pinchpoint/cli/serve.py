"""`pinchpoint serve`: the REST API (and the web workbench when built) over HTTP."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from pinchpoint.access import keys
from pinchpoint.cli.common import fail, user_errors, workspace

# Read by each worker process too (`pinchpoint.api.app.app_from_environment`).
SMALL_BOATS_ENV = "PINCHPOINT_SMALL_BOATS"
TOKEN_HOURS_ENV = "PINCHPOINT_TOKEN_HOURS"



def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    small_boats: Annotated[Path | None, typer.Option(
        help="Folder with the Home Office small-boat CSVs for the dashboard",
        envvar=SMALL_BOATS_ENV)] = None,
    token_hours: Annotated[float, typer.Option(
        min=0.01, max=24 * 90, envvar=TOKEN_HOURS_ENV,
        help="How long a login's token works before the user must log in again")] = 12.0,
    workers: Annotated[int, typer.Option(
        min=1, max=64, help="Server processes (more than one needs the workspace on "
                            "PostgreSQL: `pinchpoint init --database`)")] = 1,
) -> None:
    """Serve the API for the workspace; users log in with their passwords."""
    # Imported here, not at the top: the web stack costs every other command a second.
    import uvicorn

    from pinchpoint.api.app import create_app, worker_environment
    from pinchpoint.api.workers import balanced, serve_workers

    with user_errors():
        ws = workspace()
        keys.signing_key(ws.path)  # a missing or unpinned key refuses to serve, in one line
    if workers > 1 and not ws.database:
        raise fail("--workers needs a workspace on PostgreSQL: a DuckDB store is written "
                   "by one process at a time (docs/scale.md)")
    if workers == 1:
        app = create_app(ws.path, small_boats, token_lifetime=timedelta(hours=token_hours))
        uvicorn.run(app, host=host, port=port)
        return
    # Each worker process builds its own app from the environment, and accepts on its
    # own socket where the platform allows (`pinchpoint.api.workers`).
    os.environ.update(worker_environment(ws.path, small_boats, token_hours))
    factory = "pinchpoint.api.app:app_from_environment"
    if balanced():
        serve_workers(factory, host, port, workers)
    else:
        uvicorn.run(factory, factory=True, workers=workers, host=host, port=port)
