"""Access scopes: every read in the store takes one, so no unscoped read path exists.

For now a scope is "an agency sees the statements it owns" (plus the statements
other agencies own that it was explicitly given). Partners, sharing groups, handling
rules and clearances arrive with the access stage; they will narrow this same object,
so every read path is already wired through it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    """What one reader may see: the owners whose statements are visible."""

    agency: str
    visible_owners: frozenset[str]

    @classmethod
    def owner(cls, agency: str) -> Scope:
        """The trivial scope: an agency sees its own data."""
        return cls(agency=agency, visible_owners=frozenset({agency}))

    def sql(self, alias: str = "") -> tuple[str, list[object]]:
        """A WHERE fragment (and its parameters) that keeps only visible rows."""
        column = f"{alias}.owner" if alias else "owner"
        owners = sorted(self.visible_owners)
        if not owners:
            return "FALSE", []
        marks = ", ".join("?" for _ in owners)
        return f"{column} IN ({marks})", list(owners)
