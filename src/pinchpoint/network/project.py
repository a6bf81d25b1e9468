"""The projection of a resolved workspace into a Network (later: needs entity resolution).

It will read resolved entities through the store with the caller's scope and build a
typed multigraph with `Network.from_records`: one Node per person or organisation
(category, role, location), one Link per call, meeting, payment or membership (type,
weight, evidence statement ids, first_seen and last_seen). Everything downstream
already runs on that type.
"""

from __future__ import annotations

from pinchpoint.network.graph import Network, NetworkError
from pinchpoint.store import Scope
from pinchpoint.store.base import StatementStore

NOT_YET = ("not yet: the workspace network needs entity resolution (issue 4); "
           "analyse a plain graph with --edges FILE")


def project(store: StatementStore, scope: Scope) -> Network:
    """The network visible to `scope`. Not available until entities are resolved."""
    raise NetworkError(NOT_YET)
