"""Two heads, two groups: a detected group split where two bosses never deal directly.

Modularity merges groups that cooperate: partner groups share drivers, hawaladars and
brokers, and Leiden often finds them as one. Their leadership tells them apart. A
detected group is split when `network leaders` finds in it, besides its head, a
*co-head*: a member scoring at least `COHEAD` (half) of the head's score, with a
suggested role other than hawaladar (a cashier serves several bosses) and none, and with
no link of any kind (call, message, payment, shared record) to the head or to another
co-head. Each member of the group then goes to the nearest of its heads (fewest links
inside the group; a tie goes to the earlier head in the leaders' order). A boss and his
lieutenant always deal directly (he pays and instructs them), so one group with one
boss is never split; two bosses who deal only through others run two groups.

Only on the workspace, where the money and call direction make the head-of-group order
meaningful; a plain graph's groups are Leiden's as they are.
"""

from __future__ import annotations

from collections import deque

import igraph as ig  # type: ignore[import-untyped]
import numpy as np

from pinchpoint.network.graph import IntArray, Network
from pinchpoint.network.groups import Groups, named, renumber
from pinchpoint.network.leaders import GroupLeaders

COHEAD = 0.5  # of the head's score, at least, for a co-head


def split_by_heads(network: Network, groups: Groups, heads: list[GroupLeaders]
                   ) -> Groups | None:
    """`groups` with every group that has co-heads split among its heads (None when no
    group has any). Groups are renumbered by size and named again."""
    graph = network.simple()
    membership = groups.membership.copy()
    spare = int(membership.max(initial=-1)) + 1
    split = False
    for lead in heads:
        found = coheads(graph, network, lead)
        if len(found) < 2:
            continue
        number = int(groups.membership[found[0]])
        owner = _nearest(graph, found, np.flatnonzero(groups.membership == number))
        for node, k in owner.items():
            if k > 0:
                membership[node] = spare + k - 1
        spare += len(found) - 1
        split = True
    if not split:
        return None
    return named(network, renumber(membership), groups.modularity, groups.seed)


def coheads(graph: ig.Graph, network: Network, lead: GroupLeaders) -> list[int]:
    """The head and its co-heads (node indices), in the leaders' order."""
    if not lead.members or lead.members[0].score <= 0:
        return []
    found = [network.index(lead.members[0].id)]
    least = COHEAD * lead.members[0].score
    for member in lead.members[1:]:
        if member.score < least:
            break
        node = network.index(member.id)
        if member.role in (None, "hawaladar") or any(
                graph.are_adjacent(node, other) for other in found):
            continue
        found.append(node)
    return found


def _nearest(graph: ig.Graph, sources: list[int], inside: IntArray) -> dict[int, int]:
    """Each node of `inside` -> the place in `sources` of its nearest source (breadth
    first through `inside` only; nodes no source reaches stay with the first)."""
    allowed = set(inside.tolist())
    owner = {node: k for k, node in enumerate(sources)}
    queue = deque(sources)
    while queue:
        node = queue.popleft()
        for other in graph.neighbors(node):
            if other in allowed and other not in owner:
                owner[other] = owner[node]
                queue.append(other)
    return owner


__all__ = ["COHEAD", "coheads", "split_by_heads"]
