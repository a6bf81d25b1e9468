"""Identifiers as keyed digests: what a filter holds and what a check asks.

Each identifier becomes one or more messages, ``kind \\x1f value [\\x1f qualifier]``,
hashed with keyed BLAKE2b-256 under the sharing group's key. A qualified identifier (a name
with a birth year, a document with its issuing country) is written three ways so the two
sides can agree without either knowing what the other knows:

- ``…\\x1f1990`` for each qualifier the holder knows;
- ``…\\x1f?`` when the holder knows none;
- ``…\\x1f*`` always.

A checker that knows the qualifier asks for ``…\\x1f1990`` (an exact hit) and ``…\\x1f?``
(the holder has the name with no birth year: a weaker hit); one that knows none asks for
``…\\x1f*`` (weaker too). Where both know a qualifier and they differ, nothing hits.
"""

from __future__ import annotations

from collections.abc import Iterable
from hashlib import blake2b

import numpy as np

from pinchpoint.matching.bloom import DIGEST, Digests
from pinchpoint.matching.identifiers import QUALIFIED, Identifier

SEP = "\x1f"
UNKNOWN = "?"
ANY = "*"


def _base(identifier: Identifier) -> str:
    return f"{identifier.kind}{SEP}{identifier.value}"


def messages(identifier: Identifier) -> list[str]:
    """What a filter holds for one of its owner's identifiers."""
    base = _base(identifier)
    if identifier.kind not in QUALIFIED:
        return [base]
    known = [f"{base}{SEP}{q}" for q in identifier.qualifiers] or [f"{base}{SEP}{UNKNOWN}"]
    return [*known, f"{base}{SEP}{ANY}"]


def digests(key: bytes, texts: Iterable[str]) -> Digests:
    """The keyed BLAKE2b-256 of each text under ``key`` (BLAKE2's own keyed mode, a MAC
    like HMAC, RFC 7693 section 2.9, in one call of C per text), as rows of a byte
    matrix."""
    joined = b"".join(blake2b(text.encode("utf-8"), key=key, digest_size=DIGEST).digest()
                      for text in texts)
    return np.frombuffer(joined, dtype=np.uint8).reshape(-1, DIGEST)


def probe_texts(identifier: Identifier) -> list[tuple[str, bool]]:
    """What a checker asks about one of its own identifiers: (message, exact) pairs,
    exact where both sides know the qualifier (or there is none to know)."""
    base = f"{identifier.kind}{SEP}{identifier.value}"
    if identifier.kind not in QUALIFIED:
        return [(base, True)]
    if not identifier.qualifiers:
        return [(f"{base}{SEP}{ANY}", False)]
    return [*((f"{base}{SEP}{q}", True) for q in identifier.qualifiers),
            (f"{base}{SEP}{UNKNOWN}", False)]
