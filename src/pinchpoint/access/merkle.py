"""RFC 6962 (Certificate Transparency) Merkle trees over SHA-256, as pure functions.

The audit log is tamper-evident because its signed tree heads commit to every entry
through this tree: an auditor holding an old head can check that today's log still
contains exactly the entries that head covered (a consistency proof), and anyone can
check that one entry is in the log without reading the rest (an inclusion proof).
Using the Certificate Transparency construction, rather than an ad-hoc hash chain,
means the proofs can be checked with any RFC 6962 / RFC 9162 verifier and against the
published test vectors.

Leaves and interior nodes are hashed with different prefixes (0x00, 0x01) so that no
interior node can be passed off as a leaf (the second-preimage attack on plain Merkle
trees). Verification follows RFC 9162 §2.1.3.2 and §2.1.4.2 literally; generation
follows the recursive PATH and SUBPROOF definitions of RFC 6962 §2.1.1 and §2.1.2.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """The hash of one leaf: SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n >= 2): where RFC 6962 splits a tree."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """The Merkle Tree Hash (RFC 6962 §2.1) of leaves given as their leaf hashes.

    Computed bottom-up through the right frontier of perfect subtrees, so it takes
    n - 1 node hashes and no recursion (100k leaves is well under a second).
    """
    frontier: list[tuple[int, bytes]] = []  # (subtree size, hash), sizes strictly falling
    for h in leaf_hashes:
        frontier = extend(frontier, h)
    return frontier_root(frontier)


def extend(frontier: list[tuple[int, bytes]], leaf: bytes) -> list[tuple[int, bytes]]:
    """The frontier after appending one leaf hash: O(log n) node hashes.

    A frontier is the list of perfect subtrees (size, hash), largest first, whose
    concatenation is the whole tree; it is all an appender needs to keep.
    """
    out = [*frontier, (1, leaf)]
    while len(out) >= 2 and out[-1][0] == out[-2][0]:
        (size, right_hash), (_, left_hash) = out.pop(), out.pop()
        out.append((2 * size, node_hash(left_hash, right_hash)))
    return out


def frontier_root(frontier: Sequence[tuple[int, bytes]]) -> bytes:
    """The root of the tree a frontier describes (right to left, as RFC 6962 splits)."""
    if not frontier:
        return EMPTY_ROOT
    acc = frontier[-1][1]
    for _, h in reversed(frontier[:-1]):
        acc = node_hash(h, acc)
    return acc


def _check_leaves(leaf_hashes: Sequence[bytes]) -> None:
    for h in leaf_hashes:
        if len(h) != HASH_SIZE:
            raise ValueError(f"leaf hashes must be {HASH_SIZE} bytes, got {len(h)}")


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int) -> list[bytes]:
    """The audit path (RFC 6962 §2.1.1) for leaf `index` in the tree of `leaf_hashes`."""
    if not 0 <= index < len(leaf_hashes):
        raise ValueError(f"leaf index {index} is outside a tree of size {len(leaf_hashes)}")
    _check_leaves(leaf_hashes)
    return _path(index, leaf_hashes)


def _path(m: int, d: Sequence[bytes]) -> list[bytes]:
    n = len(d)
    if n == 1:
        return []
    k = _split(n)
    if m < k:
        return [*_path(m, d[:k]), root(d[k:])]
    return [*_path(m - k, d[k:]), root(d[:k])]


def verify_inclusion(leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes],
                     root: bytes) -> bool:
    """True when `proof` shows leaf `index` of a tree of `size` leaves has `leaf_hash`
    and the tree's root is `root` (RFC 9162 §2.1.3.2)."""
    if not 0 <= index < size:
        return False
    if len(leaf_hash) != HASH_SIZE or len(root) != HASH_SIZE:
        return False
    fn, sn = index, size - 1
    r = leaf_hash
    for p in proof:
        if sn == 0 or len(p) != HASH_SIZE:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def consistency_proof(leaf_hashes: Sequence[bytes], old_size: int) -> list[bytes]:
    """The proof (RFC 6962 §2.1.2) that the tree of the first `old_size` leaves is a
    prefix of the tree of all `leaf_hashes`. Empty when old_size is 0 or the full size."""
    n = len(leaf_hashes)
    if not 0 <= old_size <= n:
        raise ValueError(f"old size {old_size} is outside 0..{n}")
    _check_leaves(leaf_hashes)
    if old_size in (0, n):
        return []
    return _subproof(old_size, leaf_hashes, True)


def _subproof(m: int, d: Sequence[bytes], complete: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if complete else [root(d)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, d[:k], complete), root(d[k:])]
    return [*_subproof(m - k, d[k:], False), root(d[:k])]


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """True when `proof` shows the tree of `old_size` leaves with `old_root` is a prefix
    of the tree of `new_size` leaves with `new_root` (RFC 9162 §2.1.4.2).

    The two degenerate cases RFC 9162 leaves to the caller: equal sizes need an empty
    proof and equal roots; an empty old tree needs an empty proof and the empty root.
    """
    if not 0 <= old_size <= new_size:
        return False
    if any(len(h) != HASH_SIZE for h in (old_root, new_root, *proof)):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # an exact power of two
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root
