"""The REST API (FastAPI): see `pinchpoint.api.app.create_app`."""

from pinchpoint.api.app import create_app

__all__ = ["create_app"]
