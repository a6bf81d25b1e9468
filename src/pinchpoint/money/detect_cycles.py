"""Cycles: money that comes back to where it started, in time order, within weeks.

As AMLworld plants a simple cycle: accounts a1 → a2 → ... → ak → a1, each payment made
after the one before it, all within days. A cycle is a chain of `cycle_min` to
`cycle_max` payments, each out of the party the last one paid, on the same day or later,
all within `cycle_window` days of the first, each passing on between `keep` and 102 % of
the last one's value (fees come off; nobody adds money to launder it), that ends where
it began and visits no party twice. Trade does not go round in circles at conserved
amounts, so a busy business is in one only by chance, and the amount and time rules
make that chance small.

The search grows every chain one payment at a time as arrays (each chain joined with the
payments out of its last party inside its time window), in chunks that bound memory.
"""

from __future__ import annotations

import numpy as np

from pinchpoint.money.columns import Columns, chunks, composite, expand, iso
from pinchpoint.money.found import Found, Params

CHUNK = 4_000_000  # joined rows at a time
RISE = 1.02  # a hop may carry this much more than the last (rounding, rates)


def cycles(cols: Columns, params: Params) -> list[Found]:
    """Every cycle (see the module docstring), once each."""
    ok = np.flatnonzero(np.isfinite(cols.value) & (cols.value > 0) & (cols.src != cols.dst))
    order = ok[np.lexsort((cols.day[ok], cols.src[ok]))]
    stamps = composite(cols.src[order], cols.day[order])
    edges = ok[:, None]
    nodes = np.stack([cols.src[ok], cols.dst[ok]], axis=1)
    found: dict[tuple[int, ...], Found] = {}
    for length in range(2, params.cycle_max + 1):
        if not len(edges):
            break
        last = edges[:, -1]
        lo = np.searchsorted(stamps, composite(cols.dst[last], cols.day[last]), "left")
        hi = np.searchsorted(stamps, composite(cols.dst[last], cols.day[edges[:, 0]]
                                               + params.cycle_window), "right")
        grown_edges, grown_nodes = [], []
        for first, stop in chunks(np.maximum(hi - lo, 0), CHUNK):
            rows, pos = expand(lo[first:stop], hi[first:stop])
            rows += first
            nxt = order[pos]
            before = cols.value[last[rows]]
            keep = (cols.value[nxt] >= before * params.keep) & \
                (cols.value[nxt] <= before * RISE)
            target = cols.dst[nxt]
            keep &= ~(nodes[rows, 1:] == target[:, None]).any(axis=1)
            closed = keep & (target == nodes[rows, 0])
            if length >= params.cycle_min:
                for r, e in zip(rows[closed].tolist(), nxt[closed].tolist(), strict=True):
                    _add(cols, found, [*edges[r].tolist(), e])
            going = keep & ~closed
            grown_edges.append(np.concatenate([edges[rows[going]], nxt[going, None]], 1))
            grown_nodes.append(np.concatenate([nodes[rows[going]], target[going, None]], 1))
        edges = np.concatenate(grown_edges) if grown_edges else edges[:0]
        nodes = np.concatenate(grown_nodes) if grown_nodes else nodes[:0]
    return list(found.values())


def _add(cols: Columns, found: dict[tuple[int, ...], Found], chain: list[int]) -> None:
    key = tuple(sorted(chain))
    if key in found:
        return
    rows = np.array(chain, np.int64)
    values = cols.value[rows]
    kept = float(values[-1] / values[0])
    parties = cols.src[rows]
    path = " → ".join(f"{{{p}}}" for p in [*parties.tolist(), int(parties[0])])
    found[key] = Found(
        "cycle", rows, round(0.5 + 0.5 * min(1.0, len(rows) / 4) * min(kept, 1.0), 3),
        f"money went round {path} in {len(rows)} payments between "
        f"{iso(cols.day[rows].min())} and {iso(cols.day[rows].max())}, "
        f"{kept:.0%} of it coming back", parties)


__all__ = ["cycles"]
