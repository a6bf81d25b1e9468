"""One pass that every command shares: groups, then scores with brokerage across them.

Brokerage needs groups to be "across" something. By default those are the detected
crime groups; an analyst can name a node attribute instead (`location` for countries,
`role` for functions in the business), as Gould and Fernandez intended.
"""

from __future__ import annotations

from dataclasses import dataclass

from pinchpoint.network.graph import Network, NetworkError
from pinchpoint.network.groups import Groups, find_groups
from pinchpoint.network.kingpin import Scores, score_network

DETECTED = "groups"


@dataclass(frozen=True)
class Analysis:
    groups: Groups
    scores: Scores
    across: str


def analyse(network: Network, across: str = DETECTED, seed: int = 0) -> Analysis:
    """Detect groups, then score every node with brokerage across `across`."""
    found = find_groups(network, seed=seed)
    if across == DETECTED:
        labels: list[str | None] = list(found.labels())
    elif across in network.node_attrs:
        labels = network.attribute(across)
    else:
        known = ", ".join([DETECTED, *network.node_attrs]) or DETECTED
        raise NetworkError(f"no node attribute {across!r} to measure brokerage across; "
                           f"choose from {known}")
    return Analysis(found, score_network(network, labels, seed=seed), across)
