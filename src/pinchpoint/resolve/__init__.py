"""Entity resolution: who is who across aliases, transliterations, scripts and agencies.

- :mod:`pinchpoint.resolve.names`: cross-script name analysis and pairwise name scores;
- :func:`resolve`: Splink linkage of the Person records a scope sees, clustered into
  canonical entities with analysts' judgements on top (incremental after the first run);
- :func:`judge`, :func:`undo`, :func:`review_queue`, :func:`explain`: the analyst's side.
"""

from pinchpoint.resolve.explain import Explanation, explain
from pinchpoint.resolve.review import ReviewItem, judge, review_queue, undo
from pinchpoint.resolve.run import (
    DEFAULT_THRESHOLD,
    ResolveError,
    ResolveOptions,
    ResolveReport,
    resolution_map,
    resolve,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "Explanation",
    "ResolveError",
    "ResolveOptions",
    "ResolveReport",
    "ReviewItem",
    "explain",
    "judge",
    "resolution_map",
    "resolve",
    "review_queue",
    "undo",
]
