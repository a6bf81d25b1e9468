"""JSON answers written with orjson, for the routes that answer most often.

FastAPI validates and serialises a returned dict through pydantic (`dict[str, Any]`
inferred value by value): a fifth of a profile request's time under load
(`benchmarks/results/api.json`). Routes that build plain JSON values return
`json_answer(value)` instead; their OpenAPI description keeps its `response_model`.
Dates and datetimes come out as ISO 8601, as pydantic writes them.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import Response


def json_answer(value: Any) -> Response:
    return json_body(orjson.dumps(value))


def json_body(body: bytes) -> Response:
    """An answer already encoded as JSON."""
    return Response(body, media_type="application/json")
