"""A Bloom filter over keyed digests: set membership with a stated false-positive rate.

The filter holds no value, only bits set at positions derived from each identifier's
keyed BLAKE2b-256 under the sharing group's key (`pinchpoint.matching.tokens`): without the key
nobody can compute a position, and with it one can only ask "is this value in?". Positions
are double hashing over two 64-bit halves of the digest (Kirsch and Mitzenmacher, "Less
hashing, same performance", 2006), all in NumPy, so a million digests are added in well
under a second. Sizes follow the textbook formulas: m = -n ln p / (ln 2)^2 bits and
k = (m / n) ln 2 probes for n items at false-positive rate p.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

DIGEST = 32  # bytes of an keyed BLAKE2b-256
MAX_PROBES = 32
Digests = npt.NDArray[np.uint8]  # shape (n, DIGEST)


@dataclass(frozen=True)
class Sizing:
    """A filter's shape: ``bits`` (a multiple of 64) and ``probes`` per item."""

    bits: int
    probes: int

    @classmethod
    def for_items(cls, items: int, rate: float) -> Sizing:
        """The smallest filter holding ``items`` at false-positive ``rate``."""
        if not 0 < rate < 1:
            raise ValueError("the false-positive rate must be between 0 and 1")
        n = max(items, 1)
        bits = max(64, math.ceil(-n * math.log(rate) / math.log(2) ** 2))
        bits += -bits % 64
        probes = min(MAX_PROBES, max(1, round(bits / n * math.log(2))))
        return cls(bits, probes)

    def expected_rate(self, items: int) -> float:
        """The false-positive rate this shape gives with ``items`` in it."""
        return float((1 - math.exp(-self.probes * max(items, 0) / self.bits)) ** self.probes)


def positions(digests: Digests, sizing: Sizing) -> npt.NDArray[np.uint64]:
    """The ``probes`` bit positions of each digest, shape (n, probes)."""
    rows = np.ascontiguousarray(digests[:, :16])
    halves = rows.view("<u8").reshape(len(rows), 2)
    h1, h2 = halves[:, 0], halves[:, 1] | np.uint64(1)
    steps = np.arange(sizing.probes, dtype=np.uint64)
    with np.errstate(over="ignore"):  # wrapping is the arithmetic wanted
        return (h1[:, None] + steps[None, :] * h2[:, None]) % np.uint64(sizing.bits)


class Bloom:
    """The bits of one filter (little-endian bit order within each byte)."""

    def __init__(self, sizing: Sizing, bits: bytes | None = None) -> None:
        size = sizing.bits // 8
        if bits is not None and len(bits) != size:
            raise ValueError(f"the filter holds {len(bits)} bytes; its header says {size}")
        self.sizing = sizing
        self.bits = (np.frombuffer(bits, dtype=np.uint8).copy() if bits is not None
                     else np.zeros(size, dtype=np.uint8))

    def add(self, digests: Digests) -> None:
        where = positions(digests, self.sizing).ravel()
        np.bitwise_or.at(self.bits, (where >> np.uint64(3)).astype(np.int64),
                         (np.uint8(1) << (where & np.uint64(7)).astype(np.uint8)))

    def contains(self, digests: Digests) -> npt.NDArray[np.bool_]:
        """Whether each digest may be in the filter (False: certainly not).

        Probe by probe, keeping only the digests every earlier probe found: in a filter
        filled to its design half the bits are set, so an absent digest is ruled out
        after two probes on average instead of all of them."""
        found = np.zeros(len(digests), dtype=np.bool_)
        if not len(digests):
            return found
        rows = np.ascontiguousarray(digests[:, :16]).view("<u8").reshape(len(digests), 2)
        alive = np.arange(len(digests))
        h1, h2 = rows[:, 0], rows[:, 1] | np.uint64(1)
        bits = np.uint64(self.sizing.bits)
        with np.errstate(over="ignore"):  # wrapping is the arithmetic wanted
            for step in range(self.sizing.probes):
                where = (h1[alive] + np.uint64(step) * h2[alive]) % bits
                held = (self.bits[(where >> np.uint64(3)).astype(np.int64)]
                        >> (where & np.uint64(7)).astype(np.uint8)) & np.uint8(1)
                alive = alive[held.astype(np.bool_)]
                if not len(alive):
                    break
        found[alive] = True
        return found

    def to_bytes(self) -> bytes:
        return self.bits.tobytes()

    def fill(self) -> float:
        """The share of bits set (about one half in a filter filled to its design)."""
        return float(np.unpackbits(self.bits).mean()) if len(self.bits) else 0.0
