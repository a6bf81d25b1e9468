"""No API route reads without a scope: every `/api/` route but login depends on
`deps.session`, the one place a token becomes a scope."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from pinchpoint.api.app import create_app
from pinchpoint.api.deps import session
from pinchpoint.store import init_workspace

PUBLIC = {("/api/login", "POST")}
ADMIN = {("/api/admin/users", "GET"), ("/api/admin/users", "POST"),
         ("/api/admin/grants", "GET"), ("/api/admin/grants", "POST"),
         ("/api/admin/grants/{grant_id}/revoke", "POST"), ("/api/admin/agencies", "GET"),
         ("/api/admin/agencies", "POST"), ("/api/admin/agencies/{name}/groups", "POST"),
         ("/api/admin/groups", "GET")}
"""The admin API (issue 16, item 2): each of these must exist and take the scope."""


def _uses_session(dependant: Dependant) -> bool:
    return dependant.call is session or any(_uses_session(d) for d in dependant.dependencies)


def _routes(routes: Iterable[object]) -> Iterator[APIRoute]:
    """Every endpoint, also inside included routers (FastAPI includes them lazily)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None) or route
        if inner is not route or hasattr(route, "routes"):
            yield from _routes(getattr(inner, "routes", []))


def test_every_api_route_takes_the_scope(tmp_path: Path) -> None:
    app = create_app(init_workspace(tmp_path / "ws").path)
    checked, seen = 0, set()
    for route in _routes(app.routes):
        if not route.path.startswith("/api/"):
            continue
        for method in route.methods:
            if (route.path, method) in PUBLIC:
                continue
            assert _uses_session(route.dependant), f"{method} {route.path} has no scope"
            checked += 1
            seen.add((route.path, method))
    assert checked >= 15
    assert not ADMIN - seen, f"admin routes missing: {ADMIN - seen}"
