"""Hit/no-hit matching between agencies: who else knows a person, without showing anyone
one's data (issue 20; docs/matching.md).

Modelled on the FIU.net Ma³tch method: each agency turns its people's identifiers
(`identifiers`) into keyed digests under its sharing group's key (`group_keys`,
`tokens`), shares only a Bloom filter of them (`bloom`, `filters`), and the other side
checks its own people against it at home (`check`); only a hit leads to a request for
the details, which the owner grants or declines (`workflow`, kept in `records`).
"""

from pinchpoint.matching.check import Hit, check
from pinchpoint.matching.filters import Filter, FilterError, FilterInfo
from pinchpoint.matching.group_keys import GroupKey, GroupKeyError
from pinchpoint.matching.identifiers import KINDS, Identifier, Person
from pinchpoint.matching.workflow import (
    MatchError,
    Step,
    answer,
    check_filter,
    make_filter,
    make_request,
    receive,
)

__all__ = [
    "KINDS",
    "Filter",
    "FilterError",
    "FilterInfo",
    "GroupKey",
    "GroupKeyError",
    "Hit",
    "Identifier",
    "MatchError",
    "Person",
    "Step",
    "answer",
    "check",
    "check_filter",
    "make_filter",
    "make_request",
    "receive",
]
