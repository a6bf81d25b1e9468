"""Entity ids namespaced by the agency that owns them (as Aleph namespaces by collection).

An upload names its entities with ids of its own choosing, and those ids must not reach
into another agency's entities: a partner that uploads a Person with the id of the
owner's top suspect would otherwise add its statements to his entity. So every id an
ingest stores is *owned*: the id as given, a dot, and a short hash of the owner and the
given id (``p1.3f9c0a1b2d4e5f60``). It stays readable, it is the same for every upload of
the same owner (a re-ingest adds nothing; a Payment's payer naming a Person of the same
file still finds it), and an id another agency owns can never come out of an upload of
a different owner: that would need one hash of two owners to agree. Agencies' entities
meet only through resolution.

An id already owned by the uploader is kept as it is, so an owner's FtM export ingests
back into the same entities.
"""

from __future__ import annotations

import hashlib

from followthemoney.types import registry
from followthemoney.util import ENTITY_ID_LEN

from pinchpoint.model.ftm import ID_PROP, get_model

SIGNATURE_LEN = 16  # hex characters: 64 bits, never matched by chance between owners


def _signature(owner: str, base: str) -> str:
    raw = f"{owner}\x1f{base}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(raw).hexdigest()[:SIGNATURE_LEN]


def is_owned(owner: str, entity_id: str) -> bool:
    """Whether `entity_id` is an id of `owner`'s namespace (one `owned_id` gives)."""
    base, dot, signature = entity_id.rpartition(".")
    return bool(dot) and len(signature) == SIGNATURE_LEN and _signature(owner, base) == signature


def owned_id(owner: str, given: str) -> str:
    """The id `owner`'s upload stores for the id it gave: `given` namespaced by `owner`.

    Deterministic, and `given` itself when it is already `owner`'s. A given id too long
    to carry the signature within FtM's id length is shortened to its hash first.
    """
    if is_owned(owner, given):
        return given
    if len(given) + 1 + SIGNATURE_LEN > ENTITY_ID_LEN:
        given = hashlib.sha1(given.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{given}.{_signature(owner, given)}"


def is_reference(schema: str | None, prop: str | None) -> bool:
    """Whether the property's values are entity ids (``id`` itself among them): the
    values that are namespaced with the entity ids."""
    if prop == ID_PROP:
        return True
    found = get_model().get(schema or "")
    target = found.get(prop or "") if found is not None else None
    return target is not None and target.type == registry.entity


__all__ = ["SIGNATURE_LEN", "is_owned", "is_reference", "owned_id"]
