"""The RFC 6962 tree against the Certificate Transparency reference vectors, and every
inclusion and consistency proof for small trees, honest and forged."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pinchpoint.access import merkle

# The eight leaves of certificate-transparency's merkle_tree_test.cc (and trillian's).
CT_DATA = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
)]
CT_LEAVES = [merkle.leaf_hash(d) for d in CT_DATA]
CT_ROOTS = {  # tree size -> root
    0: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}
INCLUSION = [  # (index, size, proof)
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]
CONSISTENCY = [  # (old size, new size, proof)
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]

N = 20
LEAVES = [merkle.leaf_hash(i.to_bytes(2, "big")) for i in range(N)]
ROOTS = [merkle.root(LEAVES[:n]) for n in range(N + 1)]


def _flip(h: bytes) -> bytes:
    return bytes([h[0] ^ 1]) + h[1:]


def _naive_root(d: list[bytes]) -> bytes:
    """MTH exactly as RFC 6962 §2.1 writes it, to check the frontier version against."""
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return d[0]
    k = 1
    while k * 2 < len(d):
        k *= 2
    return merkle.node_hash(_naive_root(d[:k]), _naive_root(d[k:]))


def test_hash_prefixes() -> None:
    assert merkle.leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert merkle.node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()


def test_roots_match_ct_vectors() -> None:
    for size, expected in CT_ROOTS.items():
        assert merkle.root(CT_LEAVES[:size]).hex() == expected, size
    assert merkle.EMPTY_ROOT.hex() == CT_ROOTS[0]


def test_root_matches_the_recursive_definition() -> None:
    for n in range(N + 1):
        assert ROOTS[n] == _naive_root(LEAVES[:n])


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_inclusion_vectors(index: int, size: int, proof: list[str]) -> None:
    got = merkle.inclusion_proof(CT_LEAVES[:size], index)
    assert [p.hex() for p in got] == proof
    assert merkle.verify_inclusion(CT_LEAVES[index], index, size, got,
                                   bytes.fromhex(CT_ROOTS[size]))


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY)
def test_consistency_vectors(old: int, new: int, proof: list[str]) -> None:
    got = merkle.consistency_proof(CT_LEAVES[:new], old)
    assert [p.hex() for p in got] == proof
    assert merkle.verify_consistency(old, new, bytes.fromhex(CT_ROOTS[old]),
                                     bytes.fromhex(CT_ROOTS[new]), got)


def test_every_inclusion_proof_verifies_and_forgeries_fail() -> None:
    for size in range(1, N + 1):
        for index in range(size):
            proof = merkle.inclusion_proof(LEAVES[:size], index)
            leaf, r = LEAVES[index], ROOTS[size]
            assert merkle.verify_inclusion(leaf, index, size, proof, r)
            assert not merkle.verify_inclusion(_flip(leaf), index, size, proof, r)
            assert not merkle.verify_inclusion(leaf, index, size, proof, _flip(r))
            if index ^ 1 < size:
                assert not merkle.verify_inclusion(leaf, index ^ 1, size, proof, r)
            assert not merkle.verify_inclusion(leaf, index, size, [*proof, leaf], r)
            assert not merkle.verify_inclusion(leaf, size, size, proof, r)
            if size > 1:
                assert not merkle.verify_inclusion(LEAVES[(index + 1) % size], index, size,
                                                   proof, r)
            if proof:
                assert not merkle.verify_inclusion(leaf, index, size, proof[:-1], r)
                bad = [*proof[:-1], _flip(proof[-1])]
                assert not merkle.verify_inclusion(leaf, index, size, bad, r)
            if len(proof) >= 2 and proof[0] != proof[1]:
                swapped = [proof[1], proof[0], *proof[2:]]
                assert not merkle.verify_inclusion(leaf, index, size, swapped, r)


def test_every_consistency_proof_verifies_and_forgeries_fail() -> None:
    for new in range(N + 1):
        for old in range(new + 1):
            proof = merkle.consistency_proof(LEAVES[:new], old)
            a, b = ROOTS[old], ROOTS[new]
            assert merkle.verify_consistency(old, new, a, b, proof), (old, new)
            assert not merkle.verify_consistency(old, new, _flip(a), b, proof)
            if old:  # every tree extends the empty one
                assert not merkle.verify_consistency(old, new, a, _flip(b), proof)
            assert not merkle.verify_consistency(new, old, b, a, proof) or old == new
            if old not in (0, new):
                assert not merkle.verify_consistency(old, new, a, b, proof[:-1])
                assert not merkle.verify_consistency(old, new, a, b, [*proof, a])
                bad = [_flip(proof[0]), *proof[1:]]
                assert not merkle.verify_consistency(old, new, a, b, bad)
            else:
                assert not merkle.verify_consistency(old, new, a, b, [a])


def test_a_changed_prefix_is_not_consistent() -> None:
    """The property the audit log rests on: rewrite history and no proof reconciles it."""
    tampered = list(LEAVES)
    tampered[3] = merkle.leaf_hash(b"forged")
    for old in range(4, N):
        proof = merkle.consistency_proof(tampered, old)
        assert not merkle.verify_consistency(old, N, ROOTS[old], merkle.root(tampered), proof)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        merkle.inclusion_proof(LEAVES[:3], 3)
    with pytest.raises(ValueError):
        merkle.inclusion_proof([], 0)
    with pytest.raises(ValueError):
        merkle.consistency_proof(LEAVES[:3], 4)
    with pytest.raises(ValueError):
        merkle.inclusion_proof([b"short"], 0)
    assert not merkle.verify_inclusion(b"short", 0, 1, [], b"short")
    assert not merkle.verify_consistency(1, 2, ROOTS[1], ROOTS[2], [b"short"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.binary(max_size=8), min_size=1, max_size=40), st.data())
def test_proofs_hold_for_random_trees(data: list[bytes], draw: st.DataObject) -> None:
    leaves = [merkle.leaf_hash(d) for d in data]
    n = len(leaves)
    index = draw.draw(st.integers(0, n - 1))
    old = draw.draw(st.integers(0, n))
    r = merkle.root(leaves)
    assert merkle.verify_inclusion(leaves[index], index, n,
                                   merkle.inclusion_proof(leaves, index), r)
    assert merkle.verify_consistency(old, n, merkle.root(leaves[:old]), r,
                                     merkle.consistency_proof(leaves, old))
