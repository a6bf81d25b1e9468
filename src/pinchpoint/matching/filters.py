"""Hit/no-hit filters: a signed file holding an agency's identifiers as keyed digests.

``pinchpoint-match-filter/1`` is a canonical container (`pinchpoint.sharing.sealed`) of
three members: ``filter.json`` (sender, sharing group, the id of the group key the
digests were made under, kinds included, the filter's shape and false-positive rate, the
SHA-256 of the bits, a fingerprint of the name keys, the signer's public key), its
Ed25519 ``signature``, and the Bloom filter's ``bits``. No identifier or name is in it in
any form but a keyed digest's bit positions (docs/matching.md says what that does and
does not reveal).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from pinchpoint.access.keys import KeyFileError, key_id, parse_public, public_text
from pinchpoint.matching.bloom import Bloom, Sizing
from pinchpoint.matching.group_keys import GroupKey
from pinchpoint.matching.identifiers import KINDS, Person, name_key
from pinchpoint.matching.tokens import digests, messages
from pinchpoint.sharing.sealed import (
    ContainerError,
    canonical_zip,
    read_members,
    sign,
    signature_holds,
)

FORMAT = "pinchpoint-match-filter/1"
HEADER, SIGNATURE, BITS = "filter.json", "signature", "bits"
MEMBERS = (HEADER, SIGNATURE, BITS)
REFUSED = "refused, nothing checked"
DEFAULT_RATE = 1e-6
# Names whose keys stand for the name analysis: two instances whose keys of these differ
# (another version of the variant tables) would miss names, so a check says so.
_NAME_PROBES = ("Mohammed Ahmed Hassan", "محمد أحمد حسن", "Abdul Rahman bin Yusuf",
                "Reza Karimi", "Hawre Jalal Ahmad", "Gamal Abdel Nasser")


class FilterError(ValueError):
    """A filter that cannot be built, read or trusted; one clear sentence."""


def names_fingerprint() -> str:
    """A short hash of the name keys this instance computes for a fixed set of names."""
    keys = [name_key(n) or "" for n in _NAME_PROBES]
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class FilterInfo:
    """What a filter's signed header says."""

    sender: str
    group: str
    key_id: str  # the group key's id
    created: datetime
    kinds: tuple[str, ...]
    items: int  # digests added
    sizing: Sizing
    rate: float  # the false-positive rate asked for
    names: str  # `names_fingerprint` of the sender
    signer: str  # the signing key's id
    file_sha256: str

    @property
    def expected_rate(self) -> float:
        return self.sizing.expected_rate(self.items)


@dataclass(frozen=True)
class Filter:
    info: FilterInfo
    bloom: Bloom


def build(people: Iterable[Person], key: GroupKey, kinds: Sequence[str],
          rate: float = DEFAULT_RATE) -> tuple[Bloom, int]:
    """The Bloom filter of every identifier of ``kinds`` the people hold, and its size."""
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown or not kinds:
        raise FilterError(f"unknown identifier kinds {', '.join(unknown) or '(none given)'}; "
                          f"choose from {', '.join(KINDS)}")
    chosen = set(kinds)
    texts = {text for person in people for ident in person.identifiers
             if ident.kind in chosen for text in messages(ident)}
    sizing = Sizing.for_items(len(texts), rate)
    bloom = Bloom(sizing)
    ordered = sorted(texts)
    for start in range(0, len(ordered), 200_000):
        bloom.add(digests(key.secret, ordered[start:start + 200_000]))
    return bloom, len(texts)


def write(path: Path, bloom: Bloom, items: int, *, sender: str, key: GroupKey,
          kinds: Sequence[str], rate: float, signer: Ed25519PrivateKey) -> FilterInfo:
    """Seal a filter into ``path`` (written whole under a temporary name first)."""
    bits = bloom.to_bytes()
    public = signer.public_key()
    header_obj: dict[str, Any] = {
        "format": FORMAT, "sender": sender, "group": key.group, "key_id": key.key_id,
        "created": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "kinds": sorted(set(kinds)), "items": items, "bits": bloom.sizing.bits,
        "probes": bloom.sizing.probes, "rate": rate, "names": names_fingerprint(),
        "bits_sha256": hashlib.sha256(bits).hexdigest(),
        "signer": key_id(public), "public_key": public_text(public),
    }
    header = (json.dumps(header_obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
              ).encode("utf-8")
    try:
        data = canonical_zip([(HEADER, header), (SIGNATURE, sign(signer, header)),
                              (BITS, bits)])
    except ContainerError as exc:
        raise FilterError(str(exc)) from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".partial")
    temp.write_bytes(data)
    temp.replace(path)
    return _info(header_obj, hashlib.sha256(data).hexdigest())


def read(data: bytes, trusted: Mapping[str, Sequence[Ed25519PublicKey]]) -> Filter:
    """Verify and open a filter: the container, the header, that its signer is trusted
    for its sender, the signature, the bits' hash; any failure is a `FilterError`."""
    try:
        members = read_members(data, MEMBERS, REFUSED)
    except ContainerError as exc:
        raise FilterError(str(exc)) from exc
    header_obj = _header(members[HEADER])
    public = _signer(header_obj, trusted)
    if not signature_holds(public, members[HEADER], members[SIGNATURE]):
        raise FilterError(f"the filter's signature does not verify: {REFUSED}")
    bits = members[BITS]
    if hashlib.sha256(bits).hexdigest() != header_obj["bits_sha256"]:
        raise FilterError(f"the filter's bits do not match its signed header: {REFUSED}")
    info = _info(header_obj, hashlib.sha256(data).hexdigest())
    try:
        return Filter(info, Bloom(info.sizing, bits))
    except ValueError as exc:
        raise FilterError(f"{exc}: {REFUSED}") from exc


def _header(raw: bytes) -> dict[str, Any]:
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FilterError(f"filter.json is not valid JSON: {REFUSED}") from exc
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise FilterError(f"filter.json is not a {FORMAT} header: {REFUSED}")
    texts = ("sender", "group", "key_id", "names", "bits_sha256", "signer", "public_key",
             "created")
    problems = [k for k in texts if not isinstance(obj.get(k), str) or not obj[k]]
    problems += [k for k in ("items", "bits", "probes")
                 if type(obj.get(k)) is not int or obj[k] < 0]
    if not isinstance(obj.get("rate"), float) or not 0 < obj["rate"] < 1:
        problems.append("rate")
    kinds = obj.get("kinds")
    if not isinstance(kinds, list) or not kinds or not set(kinds) <= set(KINDS):
        problems.append("kinds")
    if not problems and (obj["bits"] % 64 or not obj["bits"] or not 0 < obj["probes"] <= 32):
        problems.append("bits")
    if not problems:
        try:
            datetime.fromisoformat(obj["created"])
        except ValueError:
            problems.append("created")
    if problems:
        raise FilterError(f"filter.json has a missing or malformed {', '.join(problems)}: "
                          f"{REFUSED}")
    return obj


def _signer(header: Mapping[str, Any],
            trusted: Mapping[str, Sequence[Ed25519PublicKey]]) -> Ed25519PublicKey:
    sender = header["sender"]
    try:
        public = parse_public(header["public_key"])
    except KeyFileError as exc:
        raise FilterError(f"filter.json's public key is not an Ed25519 key: {REFUSED}"
                          ) from exc
    if key_id(public) != header["signer"]:
        raise FilterError(f"filter.json's signer does not match its public key: {REFUSED}")
    if key_id(public) not in {key_id(k) for k in trusted.get(sender, ())}:
        raise FilterError(f"the filter is signed by key {header['signer']}, which is not a "
                          f"trusted key of {sender!r}: {REFUSED}")
    return public


def _info(header: Mapping[str, Any], file_sha256: str) -> FilterInfo:
    return FilterInfo(
        sender=header["sender"], group=header["group"], key_id=header["key_id"],
        created=datetime.fromisoformat(header["created"]), kinds=tuple(header["kinds"]),
        items=header["items"], sizing=Sizing(header["bits"], header["probes"]),
        rate=header["rate"], names=header["names"], signer=header["signer"],
        file_sha256=file_sha256)
