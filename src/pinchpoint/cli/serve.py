"""`pinchpoint serve`: the REST API (and the web workbench when built) over HTTP."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from pinchpoint.access import keys
from pinchpoint.cli.common import user_errors, workspace

SMALL_BOATS_ENV = "PINCHPOINT_SMALL_BOATS"


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    small_boats: Annotated[Path | None, typer.Option(
        help="Folder with the Home Office small-boat CSVs for the dashboard",
        envvar=SMALL_BOATS_ENV)] = None,
    token_hours: Annotated[float, typer.Option(
        min=0.01, max=24 * 90, envvar="PINCHPOINT_TOKEN_HOURS",
        help="How long a login's token works before the user must log in again")] = 12.0,
) -> None:
    """Serve the API for the workspace; users log in with their passwords."""
    # Imported here, not at the top: the web stack costs every other command a second.
    import uvicorn

    from pinchpoint.api.app import create_app

    with user_errors():
        path = workspace().path
        keys.signing_key(path)  # a missing or unpinned key refuses to serve, in one line
    app = create_app(path, small_boats, token_lifetime=timedelta(hours=token_hours))
    uvicorn.run(app, host=host, port=port)
