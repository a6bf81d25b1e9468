"""Who is reading: a user of one agency, with a role and a clearance.

Roles decide what a user may *do* (manage users, grant shares, read the audit log);
clearance and the agency's entitlements decide what a user may *see*
(`pinchpoint.access.entitlements`). These are plain data, kept in `model/` so every
layer (the store's scope rules, access, the stages, the API) can name a reader without
importing the layer above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pinchpoint.model.handling import CLASSIFICATION_ORDER, Classification


class Role(StrEnum):
    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"
    AUDITOR = "auditor"


# A clearance is the highest classification a user may see (the same three levels).
Clearance = Classification


def covered(clearance: Classification) -> tuple[str, ...]:
    """The classifications a holder of this clearance may see."""
    return tuple(c.value for c in CLASSIFICATION_ORDER if c.level <= clearance.level)


class AccessError(PermissionError):
    """The reader's role does not allow an action (never used for invisible data:
    what a reader may not see simply does not exist for them)."""


@dataclass(frozen=True)
class Reader:
    """One user as the access rules see them."""

    user: str
    agency: str
    role: Role = Role.ANALYST
    clearance: Clearance = Clearance.OFFICIAL

    def require(self, *roles: Role) -> None:
        """Refuse, with one clear sentence, an action the reader's role does not allow."""
        if self.role not in roles:
            allowed = " or ".join(r.value for r in roles)
            raise AccessError(f"{self.user} is {self.role.value}; this needs {allowed}")
