"""Signed intelligence packages: one agency's statements, sealed for one partner agency.

A package is a zip with three members: ``package.json`` (who sent it, to whom, when,
counts, the SHA-256 of the statements, the sender's public key and the sender's
latest signed audit tree head, which the recipient keeps: `pinchpoint.sharing.heads`),
``signature``
(Ed25519, base64, over the exact bytes of ``package.json``) and ``statements.jsonl``
(one statement per line). The signature covers the header, the header covers the
statements by hash, and the zip container itself is written in one canonical byte
layout that the reader rebuilds and compares, so a package with any byte changed
anywhere is refused, not half-trusted.

What a partner may receive (entitlements, Europol H2, victim redaction) is decided by
the caller; this module packages exactly the statements it is given and reads a package
back only when every check holds. Storing what was read is `pinchpoint.sharing.receive`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from pinchpoint.access.audit import AuditError, SignedHead
from pinchpoint.access.keys import KeyFileError, key_id, parse_public, public_text
from pinchpoint.sharing.sealed import (
    ContainerError,
    canonical_zip,
    read_members,
    sign,
    signature_holds,
)
from pinchpoint.store.records import STATEMENT_COLUMNS, Statement

FORMAT = "pinchpoint-share/1"
HEADER_MEMBER = "package.json"
SIGNATURE_MEMBER = "signature"
STATEMENTS_MEMBER = "statements.jsonl"
# The order members are written in; part of the canonical layout the reader checks.
MEMBERS = (HEADER_MEMBER, SIGNATURE_MEMBER, STATEMENTS_MEMBER)
IMPORT_KIND = "share-import"
REFUSED = "refused, nothing imported"

_REQUIRED_TEXT = frozenset(STATEMENT_COLUMNS) - {
    "original_value", "lang", "handling_conditions", "first_seen", "last_seen"}
_OPTIONAL_TEXT = frozenset({"original_value", "lang", "handling_conditions"})
_TIMES = ("first_seen", "last_seen")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class PackageError(ValueError):
    """A package that cannot be written, read, trusted or imported; one clear sentence."""


@dataclass(frozen=True)
class PackageInfo:
    """What a package's signed header says, plus the file it was read from or written to."""

    path: Path
    sender: str
    recipient: str
    created: datetime
    note: str
    statements: int
    entities: int
    statements_sha256: str
    key_id: str
    public_key: str
    file_sha256: str  # of the whole package file: what an audit log names it by
    audit_head: SignedHead  # the sender's latest signed audit head, by the same key


@dataclass(frozen=True)
class Package:
    """A package whose signature, sender key and contents have all been verified."""

    info: PackageInfo
    statements: tuple[Statement, ...]


# -- writing ---------------------------------------------------------------------------
def write_package(path: Path, statements: Iterable[Statement], sender: str, recipient: str,
                  key: Ed25519PrivateKey, note: str = "", *, audit_head: SignedHead
                  ) -> PackageInfo:
    """Write one signed package of ``statements`` from ``sender`` to ``recipient``,
    carrying ``audit_head``, the sender's latest signed audit head (a reader refuses one
    that ``key`` did not sign).

    Statements are written sorted by entity then content, so the same statements
    make the same ``statements.jsonl`` (and hash) whatever order the caller read them in.
    """
    sender, recipient = sender.strip(), recipient.strip()
    if not sender or not recipient:
        raise PackageError("a package needs a sender and a recipient agency")
    lines = sorted((s.entity_id, _statement_line(s)) for s in statements)
    body = "".join(line + "\n" for _, line in lines).encode("utf-8")
    public = key.public_key()
    header_obj: dict[str, Any] = {
        "format": FORMAT,
        "sender": sender,
        "recipient": recipient,
        "created": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "note": note,
        "counts": {"statements": len(lines), "entities": len({e for e, _ in lines})},
        "statements_sha256": hashlib.sha256(body).hexdigest(),
        "key_id": key_id(public),
        "public_key": public_text(public),
        "audit_head": audit_head.to_json(),
    }
    header = (json.dumps(header_obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
              ).encode("utf-8")
    signature = sign(key, header)
    try:
        data = canonical_zip([(HEADER_MEMBER, header), (SIGNATURE_MEMBER, signature),
                              (STATEMENTS_MEMBER, body)])
    except ContainerError as exc:
        raise PackageError(str(exc)) from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".partial")
    temp.write_bytes(data)
    temp.replace(path)  # a reader never sees half a package under the final name
    return _info(path, header_obj, hashlib.sha256(data).hexdigest())


def _statement_line(stmt: Statement) -> str:
    obj: dict[str, Any] = {}
    for column in STATEMENT_COLUMNS:
        value = getattr(stmt, column)
        obj[column] = value.isoformat() if isinstance(value, datetime) else value
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


# -- reading ---------------------------------------------------------------------------
def read_package(path: Path, trusted: Mapping[str, Sequence[Ed25519PublicKey]]) -> Package:
    """Read and verify a package; every failure is a :class:`PackageError`.

    Checked in order: the container, the header's format, that the sender and the
    signing key are trusted, the signature, the statements' hash, every statement.
    Trust is checked before the signature so an unknown sender is told so plainly
    rather than "the signature does not verify".
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PackageError(f"cannot read package {path}: {exc.strerror or exc}") from exc
    members = _members(data)
    header_obj = _header(members[HEADER_MEMBER])
    public = _trusted_key(header_obj, trusted)
    if not signature_holds(public, members[HEADER_MEMBER], members[SIGNATURE_MEMBER]):
        raise PackageError(f"the package signature does not verify: {REFUSED}")
    if not _head(header_obj).verify(public):
        raise PackageError("the sender's audit head in package.json is not signed by the "
                           f"package's key: {REFUSED}")
    body = members[STATEMENTS_MEMBER]
    if hashlib.sha256(body).hexdigest() != header_obj["statements_sha256"]:
        raise PackageError("the statements do not match the signed header's hash: "
                           f"{REFUSED}")
    statements = _statements(body)
    counts = header_obj["counts"]
    if (len(statements) != counts["statements"]
            or len({s.entity_id for s in statements}) != counts["entities"]):
        raise PackageError(f"the package's statement counts do not match its header: {REFUSED}")
    info = _info(path, header_obj, hashlib.sha256(data).hexdigest())
    return Package(info=info, statements=tuple(statements))


def _members(data: bytes) -> dict[str, bytes]:
    try:
        return read_members(data, MEMBERS, REFUSED)
    except ContainerError as exc:
        raise PackageError(str(exc)) from exc


def _header(raw: bytes) -> dict[str, Any]:
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise PackageError(f"package.json is not valid JSON: {REFUSED}") from exc
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise PackageError(f"package.json is not a {FORMAT} header: {REFUSED}")
    problems = [k for k in ("sender", "recipient", "key_id", "public_key")
                if not isinstance(obj.get(k), str) or not obj[k]]
    counts = obj.get("counts")
    if not isinstance(obj.get("note"), str):
        problems.append("note")
    if not isinstance(obj.get("statements_sha256"), str) or not _SHA256.fullmatch(
            obj["statements_sha256"]):
        problems.append("statements_sha256")
    if not isinstance(counts, dict) or not all(
            type(counts.get(k)) is int for k in ("statements", "entities")):
        problems.append("counts")
    try:
        _time(obj.get("created"), aware=True)
    except ValueError:
        problems.append("created")
    try:
        _head(obj)
    except AuditError:
        problems.append("audit_head")
    if problems:
        raise PackageError(f"package.json has a missing or malformed {', '.join(problems)}: "
                           f"{REFUSED}")
    return obj


def _head(header: Mapping[str, Any]) -> SignedHead:
    """The sender's signed audit head that the header carries (AuditError if none)."""
    head = header.get("audit_head")
    if not isinstance(head, dict):
        raise AuditError("no audit head")
    return SignedHead.from_json(head)


def _trusted_key(header: Mapping[str, Any],
                 trusted: Mapping[str, Sequence[Ed25519PublicKey]]) -> Ed25519PublicKey:
    sender = header["sender"]
    keys = trusted.get(sender)
    if not keys:
        raise PackageError(f"the sender {sender!r} is not in the trusted key list: {REFUSED}")
    try:
        public = parse_public(header["public_key"])
    except KeyFileError as exc:
        raise PackageError(f"package.json's public key is not an Ed25519 key: {REFUSED}") from exc
    if key_id(public) != header["key_id"]:
        raise PackageError(f"package.json's key id does not match its public key: {REFUSED}")
    if _raw(public) not in {_raw(k) for k in keys}:
        raise PackageError(f"the package is signed with key {header['key_id']}, which is not "
                           f"a trusted key of {sender!r}: {REFUSED}")
    return public


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _statements(body: bytes) -> list[Statement]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackageError(f"statements.jsonl is not UTF-8 text: {REFUSED}") from exc
    if text and not text.endswith("\n"):
        raise PackageError(f"statements.jsonl does not end with a newline: {REFUSED}")
    out = []
    # split("\n"), not splitlines(): U+2028, U+0085 and friends may sit inside a value.
    for number, line in enumerate(text.split("\n")[:-1], start=1):
        try:
            out.append(_statement(json.loads(line)))
        except ValueError as exc:
            raise PackageError(f"statements.jsonl line {number} is not a statement ({exc}): "
                               f"{REFUSED}") from exc
    return out


def _statement(obj: object) -> Statement:
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    if set(obj) != set(STATEMENT_COLUMNS):
        raise ValueError("its fields are not the statement fields")
    values: dict[str, Any] = {}
    for column in STATEMENT_COLUMNS:
        value = obj[column]
        if column in _TIMES:
            values[column] = _time(value, aware=False)
        elif column in _OPTIONAL_TEXT and value is None:
            values[column] = None
        elif not isinstance(value, str) or (column in _REQUIRED_TEXT and not value.strip()):
            raise ValueError(f"{column} is not a non-empty string")
        else:
            values[column] = value
    return Statement(**values)


def _time(value: object, aware: bool) -> datetime:
    """An ISO timestamp; statements' are naive (as the store keeps them), the header's UTC."""
    if not isinstance(value, str):
        raise ValueError("a timestamp is not a string")
    when = datetime.fromisoformat(value)
    if (when.tzinfo is not None) != aware:
        raise ValueError(f"timestamp {value!r} is {'naive' if aware else 'zoned'}")
    return when


def _info(path: Path, header: Mapping[str, Any], file_sha256: str) -> PackageInfo:
    return PackageInfo(
        path=path, sender=header["sender"], recipient=header["recipient"],
        created=datetime.fromisoformat(header["created"]), note=header["note"],
        statements=header["counts"]["statements"], entities=header["counts"]["entities"],
        statements_sha256=header["statements_sha256"], key_id=header["key_id"],
        public_key=header["public_key"], file_sha256=file_sha256, audit_head=_head(header),
    )
