"""Signed containers: the byte layout every file Pinchpoint sends a partner is sealed in.

A sharing package (`pinchpoint.sharing.package`), a hit/no-hit filter, a match request
and its answer (`pinchpoint.matching`) are each a stored zip of a few named members, one
of them a JSON header signed with the sending workspace's Ed25519 key. The zip is
written in one canonical layout (`canonical_zip`) that a reader rebuilds and compares
(`read_members`), so a change anywhere, even in the unsigned container bytes, is refused
rather than half-trusted.
"""

from __future__ import annotations

import base64
import binascii
import io
import struct
import zipfile
import zlib
from collections.abc import Sequence

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from pinchpoint.access.keys import verify


class ContainerError(ValueError):
    """A container that cannot be written or read back as written; one clear sentence."""


def canonical_zip(members: Sequence[tuple[str, bytes]]) -> bytes:
    """A stored (uncompressed) zip in one fixed layout, written by hand.

    Not ``zipfile``'s writer: its header bytes vary with platform and Python version,
    and the reader must be able to rebuild a container byte for byte to refuse any
    change to the unsigned container (dates, attributes, padding).
    """
    dos_date = (0 << 9) | (1 << 5) | 1  # 1980-01-01, the zip epoch: no clock in the bytes
    local = io.BytesIO()
    central = io.BytesIO()
    for name, content in members:
        raw_name = name.encode("ascii")
        crc = zlib.crc32(content)
        size = len(content)
        if size >= 0xFFFFFFFF or local.tell() + size >= 0xFFFFFFFF:
            raise ContainerError("a package is limited to 4 GiB; split the export")
        offset = local.tell()
        local.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, dos_date, crc,
                                size, size, len(raw_name), 0))
        local.write(raw_name)
        local.write(content)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0,
                                  dos_date, crc, size, size, len(raw_name), 0, 0, 0, 0, 0,
                                  offset))
        central.write(raw_name)
    directory = central.getvalue()
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                      len(directory), local.tell(), 0)
    return local.getvalue() + directory + end


def read_members(data: bytes, names: Sequence[str], refused: str) -> dict[str, bytes]:
    """Exactly the members ``names`` of a canonical container (``refused`` ends each
    error: what the caller did instead, e.g. "refused, nothing imported")."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            held = archive.namelist()
            if sorted(held) != sorted(names):
                raise ContainerError(f"the file must hold exactly {', '.join(names)}; "
                                     f"it holds {', '.join(held) or 'nothing'}: {refused}")
            members = {name: archive.read(name) for name in names}
    except ContainerError:
        raise
    except Exception as exc:
        # A damaged zip surfaces as any of BadZipFile, zlib.error, struct.error,
        # NotImplementedError (odd method), RuntimeError (encrypted flag), EOFError...
        raise ContainerError(f"the file is not a readable package ({exc}): {refused}"
                             ) from exc
    if canonical_zip([(name, members[name]) for name in names]) != data:
        raise ContainerError(f"the package file was altered outside its signed contents: "
                             f"{refused}")
    return members


def sign(key: Ed25519PrivateKey, header: bytes) -> bytes:
    """The signature member for ``header``: base64 of its Ed25519 signature, a newline."""
    return base64.b64encode(key.sign(header)) + b"\n"


def signature_holds(public: Ed25519PublicKey, header: bytes, encoded: bytes) -> bool:
    """Whether ``encoded`` (a signature member) is ``public``'s signature of ``header``."""
    try:
        signature = base64.b64decode(encoded.rstrip(b"\n"), validate=True)
    except (binascii.Error, ValueError):
        return False
    # Re-encoding must give the member back exactly: base64 has spare bits a change
    # could hide in.
    return base64.b64encode(signature) + b"\n" == encoded and verify(public, signature, header)
