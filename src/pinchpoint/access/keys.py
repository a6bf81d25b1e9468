"""The workspace's Ed25519 signing key: it signs audit tree heads and sharing packages.

One key pair per workspace, made only at `init` under `<workspace>/keys/` (a 0700
folder, both files 0600) and pinned outside the workspace (`pinchpoint.store.signing`).
Nothing here ever makes a key: `signing_key` refuses a missing key file, a key that is
not the pinned one, and a workspace with no pin (issue 14, finding 6: whoever could
write the folder could swap in their own key, rewrite the log and re-sign it). The
public key is what partners put in their trusted key list and what an auditor checks
tree heads against; `key_id` is a short hash of it for messages and package headers.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from pinchpoint.store import signing
from pinchpoint.store.signing import (
    KEYS_DIR,
    PRIVATE_FILE,
    PUBLIC_FILE,
    KeyPinError,
    Pin,
    public_text,
)
from pinchpoint.store.workspace import open_workspace, with_id

__all__ = ["KEYS_DIR", "PRIVATE_FILE", "PUBLIC_FILE", "KeyFileError", "KeyPinError",
           "PinChange", "key_id", "parse_public", "pin", "pinned_key", "public_text",
           "signing_key", "verify"]


class KeyFileError(ValueError):
    """A key file that cannot be read or a public key that is not Ed25519."""


@dataclass(frozen=True)
class PinChange:
    """What `pin` did: the key now pinned, and the one it replaced (None if none)."""

    pin: Pin
    replaced: str | None


def signing_key(workspace: Path) -> Ed25519PrivateKey:
    """The workspace's private key, once its public half is checked against every pin
    of the workspace; `KeyPinError` (never a new key) for anything else."""
    key = signing.read_key(workspace)
    pinned_key(workspace, key.public_key())
    return key


def pinned_key(workspace: Path, held: Ed25519PublicKey | None = None) -> Ed25519PublicKey:
    """The public key pinned for the workspace, refused when there is no pin, when pins
    disagree, or when `held` (the key file's key) is not the pinned one."""
    ws = open_workspace(workspace)
    found = signing.pins(ws.id) if ws.id else []
    if not found:
        named = f" (key id {key_id(held)})" if held is not None else ""
        raise KeyPinError(
            f"the signing key of workspace {workspace}{named} is not pinned in "
            f"{signing.pin_files()[0]}: check its public key against the one recorded "
            "out of band at `pinchpoint init`, then pin it with `pinchpoint audit pin "
            "--public-key KEY`")
    texts = {p.public_key for p in found}
    if len(texts) > 1:
        raise KeyPinError(f"the pins of workspace {workspace} disagree ("
                          f"{', '.join(str(p.file) for p in found)}): nothing is trusted")
    text = texts.pop()
    if held is not None and public_text(held) != text:
        raise KeyPinError(
            f"the workspace's key (id {key_id(held)}, in "
            f"{signing.private_key_path(workspace)}) is not the one pinned at init (id "
            f"{_id_of(text)}, in {found[0].file}): the key file was replaced; restore "
            "the original from a backup, or, if the key was changed on purpose, "
            "`pinchpoint audit pin --replace --reason WHY`")
    return parse_public(text)


def pin(workspace: Path, expected: str | None = None, replace: bool = False) -> PinChange:
    """Pin the key file's public key for the workspace (giving an older workspace an
    id first). `expected`, the key recorded out of band, must be the key file's; a
    different key already pinned is replaced only with `replace`."""
    key = signing.read_key(workspace).public_key()
    current = public_text(key)
    if expected is not None and public_text(parse_public(expected)) != current:
        raise KeyPinError(f"the key file's public key (id {key_id(key)}) is not the one "
                          f"given (id {_id_of(expected)}): nothing pinned")
    ws = with_id(open_workspace(workspace))
    old = {p.public_key for p in signing.pins(ws.id)} - {current}
    if old and not replace:
        raise KeyPinError(f"workspace {workspace} is pinned to another key (id "
                          f"{', '.join(sorted(_id_of(t) for t in old))}); replacing a pin "
                          "needs --replace and a reason")
    locked = [p for p in signing.pins(ws.id)[1:] if p.public_key != current]
    if locked:
        raise KeyPinError(f"{locked[0].file} pins another key for this workspace and is "
                          "not written here; its owner must change it")
    return PinChange(signing.write_pin(ws.id, current, workspace),
                     sorted(old)[0] if old else None)


def _id_of(text: str) -> str:
    try:
        return key_id(parse_public(text))
    except KeyFileError:
        return "unreadable"


def parse_public(text: str) -> Ed25519PublicKey:
    """A public key from `public_text` form; a clear error for anything else."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise KeyFileError(f"not an Ed25519 public key (base64 of 32 bytes): {exc}") from exc


def key_id(key: Ed25519PublicKey) -> str:
    """A short, stable name for a public key: the first 16 hex digits of its SHA-256."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def verify(key: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    """True when the signature over `data` is the key's."""
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
