"""Network analytics: kingpins, brokers, crime groups and their heads, a disruption
planner and paths.

Everything runs on one graph type, `Network` (a typed multigraph with a cached simple
view), whether it comes from a plain edge list (`read_edges`) or from a resolved
workspace through the reader's scope (`project`). Victims and witnesses stay in the graph
as context and are never ranked or proposed as targets.
"""

from pinchpoint.network.analysis import Analysis, analyse
from pinchpoint.network.brokerage import ROLES, Brokerage, brokerage
from pinchpoint.network.disruption import STRATEGY_HELP, Plan, Target, plan, removal_curve
from pinchpoint.network.graph import Link, Network, NetworkError, Node
from pinchpoint.network.groups import Group, Groups, find_groups
from pinchpoint.network.keyplayer import KeyPlayers, fragmentation, kpp_neg
from pinchpoint.network.kingpin import WEIGHTS, Ranked, Scores, rank, score_network
from pinchpoint.network.leader_evidence import Signals, gather
from pinchpoint.network.leaders import GroupLeaders, Leader, leaders
from pinchpoint.network.paths import Hop, Path, shortest_paths
from pinchpoint.network.project import project
from pinchpoint.network.readers import read_edges, read_nodes

__all__ = [
    "ROLES",
    "STRATEGY_HELP",
    "WEIGHTS",
    "Analysis",
    "Brokerage",
    "Group",
    "GroupLeaders",
    "Groups",
    "Hop",
    "KeyPlayers",
    "Leader",
    "Link",
    "Network",
    "NetworkError",
    "Node",
    "Path",
    "Plan",
    "Ranked",
    "Scores",
    "Signals",
    "Target",
    "analyse",
    "brokerage",
    "find_groups",
    "fragmentation",
    "gather",
    "kpp_neg",
    "leaders",
    "plan",
    "project",
    "rank",
    "read_edges",
    "read_nodes",
    "removal_curve",
    "score_network",
    "shortest_paths",
]
