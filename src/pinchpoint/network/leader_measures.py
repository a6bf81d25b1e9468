"""The ingredients of the head-of-group rule, each measured on one group's members.

- **trophic levels** (MacKay, Johnson and Sansom 2020, "How directed is a directed
  network?", R. Soc. Open Sci. 7: 201138) of the directed ties inside the group: with W
  the weighted adjacency (i -> j: i initiated contact with j), u = in + out weight and
  v = in - out weight, the levels h solve (diag(u) - W - Wᵀ) h = v, unique up to a
  constant per weakly connected component (the lowest is set to 0). A tie i -> j puts j
  about one level above i, so whoever gives the orders sits lowest; the *command* of a
  member is how far below the top of its component it sits.
- **insulation**: victims and witnesses (migrants included) reached in two steps
  through others, against those tied directly. A boss who never meets a customer yet is
  two steps from hundreds is insulated; a recruiter who meets them all is not.
- **recorded**: what the intelligence itself says a member does (a Membership's
  `role`, as a case report or an arrest record gives it): a word for the head of a
  group (`HEAD_WORDS`) counts 1, a word for a deputy or organiser (`DEPUTY_WORDS`) 0.5,
  anything else 0. Words are matched whole and case-blind, in English, French, German,
  Dutch and Italian, the languages of the agencies that write such reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import igraph as ig  # type: ignore[import-untyped]
import numpy as np

from pinchpoint.network.graph import BoolArray, FloatArray, IntArray


def trophic_levels(n: int, ties: Iterable[tuple[int, int, float]]) -> FloatArray:
    """Each node's trophic level (NaN for nodes with no directed tie)."""
    edges = [(a, b, w) for a, b, w in ties if a != b]
    levels = np.full(n, np.nan)
    if not edges:
        return levels
    src = np.array([a for a, _, _ in edges], dtype=np.int64)
    dst = np.array([b for _, b, _ in edges], dtype=np.int64)
    weight = np.array([w for _, _, w in edges], dtype=np.float64)
    into = np.bincount(dst, weight, minlength=n).astype(np.float64)
    out = np.bincount(src, weight, minlength=n).astype(np.float64)
    solved = _conjugate_gradient(src, dst, weight, into + out, into - out)
    graph = ig.Graph(n=n, edges=list(zip(src.tolist(), dst.tolist(), strict=True)))
    for part in graph.connected_components(mode="weak"):
        if len(part) > 1:
            levels[part] = solved[part] - solved[part].min()
    return levels


def _conjugate_gradient(src: IntArray, dst: IntArray, weight: FloatArray, degree: FloatArray,
                        rhs: FloatArray) -> FloatArray:
    """Solve (diag(degree) - W - Wᵀ) h = rhs. The matrix is a graph Laplacian, symmetric
    and singular only along constants per component, which the right-hand side (in - out
    weight sums to 0 per component) never has: conjugate gradient from 0 converges."""
    def times(h: FloatArray) -> FloatArray:
        n = len(h)
        return np.asarray(degree * h - np.bincount(src, weight * h[dst], minlength=n)
                          - np.bincount(dst, weight * h[src], minlength=n), dtype=np.float64)

    h = np.zeros(len(rhs))
    residual = rhs.copy()
    direction = residual.copy()
    norm = float(residual @ residual)
    for _ in range(10 * len(rhs) + 100):
        if norm <= 1e-20 * max(float(rhs @ rhs), 1.0):
            break
        step = times(direction)
        alpha = norm / float(direction @ step)
        h += alpha * direction
        residual -= alpha * step
        new = float(residual @ residual)
        direction = residual + (new / norm) * direction
        norm = new
    return h


def command(levels: FloatArray, ties: Sequence[tuple[int, int, float]]) -> FloatArray:
    """How far below the top of its component each node sits (0 without directed ties):
    the one who gives orders down a chain of three has command 2."""
    out = np.zeros(len(levels))
    known = ~np.isnan(levels)
    if not known.any():
        return out
    graph = ig.Graph(n=len(levels), edges=[(a, b) for a, b, _ in ties if a != b])
    for part in graph.connected_components(mode="weak"):
        nodes = [i for i in part if known[i]]
        if nodes:
            top = levels[nodes].max()
            out[nodes] = top - levels[nodes]
    return out


def insulation(graph: ig.Graph, members: IntArray, periphery: BoolArray
               ) -> tuple[IntArray, IntArray]:
    """Per member: periphery people tied directly, and those reached only in two steps
    through someone who is not periphery themselves."""
    direct = np.zeros(len(members), dtype=np.int64)
    through = np.zeros(len(members), dtype=np.int64)
    for k, i in enumerate(members):
        near = graph.neighbors(int(i))
        mine = {j for j in near if periphery[j]}
        reached: set[int] = set()
        for j in near:
            if not periphery[j]:
                reached.update(x for x in graph.neighbors(j) if periphery[x])
        direct[k] = len(mine)
        through[k] = len(reached - mine)
    return direct, through


def insulated(direct: IntArray, through: IntArray) -> FloatArray:
    """Reach through others (scaled to the group's widest) times the share of the reach
    that is not direct: 1 = reaches the most customers and meets none of them."""
    top = float(through.max(initial=0))
    if top <= 0:
        return np.zeros(len(direct))
    share = through / np.maximum(through + direct, 1)
    return np.asarray((through / top) * share, dtype=np.float64)


HEAD_WORDS = frozenset({"leader", "head", "boss", "kingpin", "ringleader", "chief",
                        "principal", "chef", "dirigeant", "anführer", "anfuhrer", "leider",
                        "baas", "capo"})
DEPUTY_WORDS = frozenset({"organiser", "organizer", "lieutenant", "deputy", "manager",
                          "coordinator", "organisateur", "organisator", "coordinatore",
                          "organizzatore", "bras droit", "adjoint"})


def recorded(roles: Sequence[str | None]) -> FloatArray:
    """1 for a recorded role naming a head, 0.5 for a deputy or organiser, else 0."""
    out = np.zeros(len(roles))
    for k, role in enumerate(roles):
        text = " ".join(re.findall(r"\w+", (role or "").casefold()))
        words = set(text.split())
        if words & HEAD_WORDS:
            out[k] = 1.0
        elif words & DEPUTY_WORDS or any(" " in w and w in text for w in DEPUTY_WORDS):
            out[k] = 0.5
    return out


def scaled(values: FloatArray, eligible: BoolArray) -> FloatArray:
    """Values divided by the largest of the eligible members (0 when none is positive)."""
    pool = values[eligible] if eligible.any() else values
    top = float(pool.max(initial=0.0))
    return np.minimum(values / top, 1.0) if top > 0 else np.zeros(len(values))


__all__ = ["DEPUTY_WORDS", "HEAD_WORDS", "command", "insulated", "insulation", "recorded",
           "scaled", "trophic_levels"]
