"""Record ids as integers and neighbour sets as sorted arrays: what clustering at national
scale holds instead of a Python object per pair.

A full resolution of ten million source records keeps tens of millions of scored pairs
and co-occurrences. As Python tuples, sets and dataclasses they cost several hundred bytes
each (the 5M-record run peaked at 16 GB, almost all of it in clustering); as integer
indices into one sorted table of ids they cost 8 to 16 bytes. Because the ids are sorted,
index order is id order: the smallest index of a cluster is its smallest id, which is
what the clustering rules make canonical.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

#: At most this many (pair, neighbour) rows are expanded at once by :func:`shared`.
EXPAND_CHUNK = 8_000_000


class Universe:
    """Every id of a clustering, sorted; an id's index is its position."""

    def __init__(self, *columns: pa.Array | pa.ChunkedArray | Iterable[str]) -> None:
        arrays = [c if isinstance(c, pa.Array | pa.ChunkedArray) else pa.array(list(c),
                                                                                  pa.string())
                  for c in columns]
        chunks = [a.cast(pa.string()) for a in arrays if len(a)]
        joined = pa.chunked_array(chunks, pa.string()) if chunks else pa.chunked_array(
            [], pa.string())
        unique = pc.unique(joined.drop_null())
        self.ids: pa.Array = unique.take(pc.array_sort_indices(unique))
        self._names: list[str] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def names(self) -> list[str]:
        """The ids as Python strings (made once, shared by every mapping built from them)."""
        if self._names is None:
            self._names = self.ids.to_pylist()
        return self._names

    def index(self, column: pa.Array | pa.ChunkedArray | Iterable[str]) -> Ints:
        """The index of each id of ``column`` (every one must be in the universe)."""
        array = column if isinstance(column, pa.Array | pa.ChunkedArray) else pa.array(
            list(column), pa.string())
        found = pc.index_in(array.cast(pa.string()), value_set=self.ids)
        if found.null_count:
            raise KeyError("an id outside the clustering's universe")
        return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int64)

    def mapping(self, keys: Ints, values: Ints) -> dict[str, str]:
        """``{id of keys[i]: id of values[i]}`` sharing the universe's string objects."""
        names = self.names
        return {names[k]: names[v] for k, v in zip(keys.tolist(), values.tolist(),
                                                     strict=True)}

    def canon(self, mapping: Mapping[str, str]) -> Ints:
        """Per index, the index of ``mapping.get(id, id)`` (values must be in the universe)."""
        out = np.arange(len(self), dtype=np.int64)
        if mapping:
            out[self.index(list(mapping))] = self.index(list(mapping.values()))
        return out


@dataclass(frozen=True)
class Neighbours:
    """A set of neighbours per index (compressed sparse rows, each row sorted, unique)."""

    offsets: Ints  # len(universe) + 1
    values: Ints
    keys: Ints  # row * size + value, sorted: membership tests by binary search
    size: int

    @classmethod
    def of(cls, rows: Ints, values: Ints, size: int) -> Neighbours:
        keys = np.unique(rows * size + values)
        counts = np.bincount(keys // size, minlength=size) if size else np.zeros(0, np.int64)
        offsets = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        return cls(offsets, keys % size if size else keys, keys, size)

    @property
    def degree(self) -> Ints:
        return np.diff(self.offsets)

    def row(self, index: int) -> Ints:
        return self.values[self.offsets[index]:self.offsets[index + 1]]


def shared(sets: Neighbours, left: Ints, right: Ints, first: int = 0
           ) -> tuple[Bools, Ints, Ints]:
    """Whether the sets of ``left[i]`` and ``right[i]`` intersect, per i; with ``first``,
    also up to that many smallest shared values per i, as (i, value) arrays sorted by i
    then value.

    Each pair walks the smaller of its two sets and looks its members up in the other by
    binary search over the sorted keys, a chunk of pairs at a time.
    """
    degree = sets.degree
    swap = degree[left] > degree[right]
    small, big = np.where(swap, right, left), np.where(swap, left, right)
    out = np.zeros(len(left), dtype=np.bool_)
    found_at: list[Ints] = []
    found_value: list[Ints] = []
    start = 0
    cumulative = np.cumsum(degree[small])
    while start < len(left):
        done = int(cumulative[start - 1]) if start else 0
        stop = max(int(np.searchsorted(cumulative, done + EXPAND_CHUNK, side="right")),
                   start + 1)
        at, value = _shared_chunk(sets, small[start:stop], big[start:stop], first)
        out[at + start] = True
        if first:
            found_at.append(at + start)
            found_value.append(value)
        start = stop
    if not found_at:
        return out, np.zeros(0, np.int64), np.zeros(0, np.int64)
    return out, np.concatenate(found_at), np.concatenate(found_value)


def _shared_chunk(sets: Neighbours, small: Ints, big: Ints, first: int
                  ) -> tuple[Ints, Ints]:
    """(pair, shared value) for a chunk; each pair's values ascending, at most ``first``
    per pair when ``first`` is set, else one row per pair that shares anything."""
    counts = sets.degree[small]
    total = int(counts.sum())
    if not total:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    pair = np.repeat(np.arange(len(small), dtype=np.int64), counts)
    begin = np.cumsum(counts) - counts
    position = np.arange(total, dtype=np.int64) - begin[pair] + sets.offsets[small][pair]
    value = sets.values[position]
    wanted = big[pair] * sets.size + value
    spot = np.minimum(np.searchsorted(sets.keys, wanted), len(sets.keys) - 1)
    hit = sets.keys[spot] == wanted
    pair, value = pair[hit], value[hit]
    if not len(pair):
        return pair, value
    new_group = np.ones(len(pair), dtype=np.bool_)
    new_group[1:] = pair[1:] != pair[:-1]
    starts = np.flatnonzero(new_group)
    rank = np.arange(len(pair)) - np.repeat(starts, np.diff(np.append(starts, len(pair))))
    keep = rank < max(first, 1)
    return pair[keep], value[keep]
