"""Seized phones turned into leads (issue 17): the numbers, e-mail addresses and handles
found on many devices, ranked, with the names they were saved under and when they were
contacted (`commonality.py`, reading `store/phone_reads.py`).

A stage beside money and supply: it reads the store through the scope and writes
nothing. Extractions arrive through ingest (the `phone`, `ufdr` and `vcard` kinds, one
device per file); the contact labels they carry are already the contacts' weak aliases,
with their provenance, so resolution weighs them without this stage.
"""

from pinchpoint.phones.commonality import (
    LIMIT,
    MIN_DEVICES,
    Common,
    Commonality,
    Disputed,
    PhonesError,
    SavedName,
    common,
    devices,
)

__all__ = ["LIMIT", "MIN_DEVICES", "Common", "Commonality", "Disputed", "PhonesError",
           "SavedName", "common", "devices"]
