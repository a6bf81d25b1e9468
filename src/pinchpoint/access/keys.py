"""The instance's Ed25519 signing key: it signs audit tree heads and sharing packages.

One key pair per workspace, made on first use under `<workspace>/keys/` (a 0700 folder,
both files 0600). The public key is what partners put in their trusted
key list and what an auditor checks tree heads against; `key_id` is a short hash of
it for messages and package headers.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from pinchpoint.store.files import FILE_MODE, private_folder, write_private

KEYS_DIR = "keys"
PRIVATE_FILE = "instance.ed25519"
PUBLIC_FILE = "instance.pub"


class KeyFileError(ValueError):
    """A key file that cannot be read or a public key that is not Ed25519."""


def load_or_create(workspace: Path) -> Ed25519PrivateKey:
    """The workspace's signing key, created (mode 0600) the first time it is needed."""
    folder = workspace / KEYS_DIR
    private = folder / PRIVATE_FILE
    if private.exists():
        key = serialization.load_pem_private_key(private.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyFileError(f"{private} is not an Ed25519 private key")
        return key
    private_folder(folder)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    write_private(folder / PUBLIC_FILE, public_text(key.public_key()) + "\n")
    return key


def public_text(key: Ed25519PublicKey) -> str:
    """The public key as base64 of its 32 raw bytes (what trusted key lists hold)."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


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
