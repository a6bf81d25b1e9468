"""The workspace's signing key files, and the pins kept outside the workspace that say
which public key is the workspace's own (issue 14, finding 6).

The key pair signs the audit log's tree heads and every sharing package. It is made
once, at `init` (`create_key`), and never again: a missing key file is refused, not
re-made, because whoever can write the workspace folder could otherwise delete the key,
rewrite the log and sign it afresh. A pin records the public half, per workspace id,
in a file the workspace folder does not hold, read from, in order:

1. the file named by `$PINCHPOINT_KEY_PINS` (where pins are written when it is set);
2. `$XDG_CONFIG_HOME/pinchpoint/key-pins.json` (default `~/.config/...`; written
   otherwise);
3. `/etc/pinchpoint/key-pins.json`, read only: a deployment can make it root-owned.

Every pin found for a workspace must name the same key (`pinchpoint.access.keys` holds
the rules and the refusals); this module only reads and writes the files.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from pinchpoint.store.files import FILE_MODE, private_folder, write_private

KEYS_DIR = "keys"
PRIVATE_FILE = "instance.ed25519"
PUBLIC_FILE = "instance.pub"
PINS_ENV = "PINCHPOINT_KEY_PINS"
PINS_NAME = Path("pinchpoint") / "key-pins.json"
SYSTEM_PINS = Path("/etc/pinchpoint/key-pins.json")


class KeyPinError(RuntimeError):
    """The signing key is missing, unreadable or not the pinned one, or a pin file is
    damaged: one sentence saying what to do, never a new key."""


@dataclass(frozen=True)
class Pin:
    """One pin of a workspace's public key (base64 of its 32 raw bytes)."""

    workspace_id: str
    public_key: str
    pinned_at: str
    file: Path


def private_key_path(workspace: Path) -> Path:
    return workspace / KEYS_DIR / PRIVATE_FILE


def public_text(key: Ed25519PublicKey) -> str:
    """The public key as base64 of its 32 raw bytes (what pins and trusted key lists
    hold)."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def create_key(workspace: Path) -> Ed25519PrivateKey:
    """A new key pair under `<workspace>/keys/` (0700, files 0600); refused when a key
    file is there already (init never replaces a key)."""
    folder = private_folder(workspace / KEYS_DIR)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    try:
        fd = os.open(folder / PRIVATE_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        raise KeyPinError(f"{folder / PRIVATE_FILE} exists already; a key is never "
                          "replaced") from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    write_private(folder / PUBLIC_FILE, public_text(key.public_key()) + "\n")
    return key


def read_key(workspace: Path) -> Ed25519PrivateKey:
    """The workspace's private key as its file holds it; a missing or unreadable file
    is refused (the caller checks it against the pins)."""
    path = private_key_path(workspace)
    if not path.is_file():
        raise KeyPinError(
            f"the workspace's signing key {path} is missing; a key is made only by "
            "`pinchpoint init`, never again: restore the key file from a backup (the one "
            "whose public key was recorded at init)")
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except ValueError as exc:
        raise KeyPinError(f"{path} is not a readable private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyPinError(f"{path} is not an Ed25519 private key")
    return key


def pin_files() -> list[Path]:
    """The pin files in the order they are read; the first is the one written."""
    chosen = os.environ.get(PINS_ENV)
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    first = Path(chosen) if chosen else Path(config) / PINS_NAME
    return [first, SYSTEM_PINS] if first != SYSTEM_PINS else [first]


def _read(path: Path) -> dict[str, dict[str, str]]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not all(
                isinstance(v, dict) and isinstance(v.get("public_key"), str)
                for v in data.values()):
            raise ValueError("not a mapping of workspace ids to pins")
    except (OSError, ValueError) as exc:
        raise KeyPinError(f"the key pin file {path} is damaged ({exc}); nothing is "
                          "trusted until it is repaired") from None
    return data


def pins(workspace_id: str) -> list[Pin]:
    """Every pin of the workspace, in the order of `pin_files`."""
    found = []
    for path in pin_files():
        entry = _read(path).get(workspace_id)
        if entry is not None:
            found.append(Pin(workspace_id, entry["public_key"],
                             str(entry.get("pinned_at", "")), path))
    return found


def write_pin(workspace_id: str, public_key: str, workspace: Path) -> Pin:
    """Pin `public_key` for the workspace in the first pin file (0600; its folder made
    0700 when missing), replacing what that file held for it."""
    path = pin_files()[0]
    if not path.parent.exists():
        private_folder(path.parent)
    data = _read(path)
    pin = Pin(workspace_id, public_key, datetime.now(UTC).isoformat(timespec="seconds"), path)
    data[workspace_id] = {"public_key": public_key, "pinned_at": pin.pinned_at,
                          "workspace": str(workspace.resolve())}
    temp = path.with_name(path.name + ".partial")
    write_private(temp, json.dumps(data, indent=2, sort_keys=True) + "\n")
    temp.replace(path)  # a reader never sees half a pin file
    return pin
