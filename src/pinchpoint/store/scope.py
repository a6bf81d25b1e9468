"""Access scopes: every read in the store takes one, so no unscoped read path exists.

A scope is what one reader may see, decided at statement level (docs/security.md):

- the reader's own agency's statements;
- statements another agency shared with the reader's agency (`Grant`), directly or
  through a sharing group, when the handling code permits: P, C, H0, H1 and H3 may be
  shared (C and H3 always travel with their conditions); Europol H2 is never
  re-disseminated, so it reaches only agencies the owner named directly; H1 is left out
  of anything prepared for court (`court=True`);
- and in every case only statements classified at or below the reader's clearance.

Victims' and witnesses' identifying details (names, birth data, phones, documents,
addresses, accounts) are redacted from statements read outside the owning agency,
unless the owner's grant says otherwise (`victim_details`).

`relation()` is the single place these rules become SQL: every read in `store/`
selects from it instead of from the statements table, so an invisible statement does
not exist for any read, count, facet, export or history built on top of it.

`Scope(agency, visible_owners)` without a reader is the trusted view used by the
workspace operator's tools, benchmarks and tests: every statement of those owners,
unredacted, at any classification.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from pinchpoint.model.reader import Clearance, Reader, Role, covered
from pinchpoint.store.records import STATEMENT_COLUMNS

REDACTED = "[redacted]"
REDISSEMINATION_FORBIDDEN = "H2"
NOT_FOR_COURT = "H1"
UNKNOWN_CLASSIFICATION = "SECRET"  # the highest: what is not known is not shown


@dataclass(frozen=True)
class Grant:
    """One entitlement of the reader's agency: an owner's statements (all, or one
    source's) shared with it, directly or through a sharing group."""

    owner: str
    source: str | None = None
    direct: bool = True
    victim_details: bool = False


@dataclass(frozen=True)
class Scope:
    """What one reader may see (see the module docstring for the rules)."""

    agency: str
    visible_owners: frozenset[str] = frozenset()
    reader: Reader | None = None
    grants: tuple[Grant, ...] = ()
    court: bool = False

    @classmethod
    def owner(cls, agency: str) -> Scope:
        """The trivial scope: an agency sees its own data."""
        return cls(agency=agency, visible_owners=frozenset({agency}))

    @property
    def user(self) -> str:
        return self.reader.user if self.reader else f"{self.agency}:workspace"

    @property
    def role(self) -> Role:
        return self.reader.role if self.reader else Role.ADMINISTRATOR

    @property
    def clearance(self) -> Clearance:
        return self.reader.clearance if self.reader else Clearance.SECRET

    def for_court(self) -> Scope:
        """The same reader preparing material for court: H1 statements left out."""
        return dataclasses.replace(self, court=True)

    def key(self) -> str:
        """A stable name for what this scope sees: results derived from the visible
        statements (resolutions, projections) are stored under it, so two readers
        share them only when they see exactly the same statements. Worked out once per
        scope (it is frozen): a server asks for it several times a request."""
        known: str | None = self.__dict__.get("_key")
        if known is None:
            known = self._key_of()
            object.__setattr__(self, "_key", known)
        return known

    def _key_of(self) -> str:
        parts = [self.agency, ",".join(sorted(self.visible_owners)),
                 self.clearance.value if self.reader else "*", str(self.court)]
        parts += sorted(f"{g.owner}|{g.source or '*'}|{g.direct}|{g.victim_details}"
                        for g in self.grants)
        if not self.reader and not self.grants and not self.court:
            return ",".join(sorted(self.visible_owners))  # the trusted view: as before
        return "scope:" + hashlib.sha1("\n".join(parts).encode()).hexdigest()[:20]

    # -- SQL ---------------------------------------------------------------------------
    def sql(self, alias: str = "") -> tuple[str, list[object]]:
        """A WHERE fragment (and its parameters) keeping the visible statement rows.
        Values are not redacted here: reads of statements use `relation()`."""
        col = (lambda c: f"{alias}.{c}") if alias else (lambda c: c)
        clauses: list[str] = []
        params: list[object] = []
        trusted = sorted(self.visible_owners)
        if trusted:
            clauses.append(f"{col('owner')} IN ({_marks(trusted)})")
            params += trusted
        for grant in self.grants:
            clause = f"{col('owner')} = ?"
            params.append(grant.owner)
            if grant.source is not None:
                clause += f" AND {col('source')} = ?"
                params.append(grant.source)
            if not grant.direct:
                clause += f" AND {col('handling')} <> '{REDISSEMINATION_FORBIDDEN}'"
            clauses.append(f"({clause})")
        if not clauses:
            return "FALSE", []
        where = "(" + " OR ".join(clauses) + ")"
        if self.reader is not None:
            levels = covered(self.reader.clearance)
            where += f" AND {col('classification')} IN ({_marks(levels)})"
            params += list(levels)
        if self.court:
            where += f" AND {col('handling')} <> '{NOT_FOR_COURT}'"
        return where, params

    def own_sql(self, alias: str = "") -> tuple[str, list[object]]:
        """Rows about the reader's own agency's work (quarantine, batches): never shared."""
        column = f"{alias}.owner" if alias else "owner"
        owners = sorted(self.visible_owners if self.reader is None else {self.agency})
        if not owners:
            return "FALSE", []
        return f"{column} IN ({_marks(owners)})", list(owners)

    def quarantine_sql(self, alias: str = "") -> tuple[str, list[object]]:
        """Quarantine rows this reader may see: their own agency's (never shared: a raw
        value cannot be redacted, as it belongs to no entity), and, as for statements,
        only at or below the reader's clearance and without H1 for court. A row of
        unknown classification (written before rows carried one) is SECRET."""
        col = (lambda c: f"{alias}.{c}") if alias else (lambda c: c)
        where, params = self.own_sql(alias)
        if self.reader is not None:
            levels = covered(self.reader.clearance)
            where += (f" AND coalesce({col('classification')}, '{UNKNOWN_CLASSIFICATION}')"
                      f" IN ({_marks(levels)})")
            params += list(levels)
        if self.court:
            where += f" AND coalesce({col('handling')}, '') <> '{NOT_FOR_COURT}'"
        return where, params

    def relation(self, entity_ids: Sequence[str] | None = None) -> tuple[str, list[object]]:
        """A subquery of the visible statements, values redacted where the rules say:
        use as ``FROM ({relation}) AS s``.

        With `entity_ids`, only those entities' statements: they are selected first, on
        their own (a materialised step the rules cannot be pushed into), so an index on
        `entity_id` serves the lookup; with the rules pushed into the same scan, DuckDB
        scanned every statement (the REST API's profile reads)."""
        where, params = self.sql("s")
        head, source, head_params = "", "statements", list[object]()
        ids: list[str] = []
        if entity_ids is not None:
            ids = sorted(set(entity_ids)) or [""]
            head = (f"WITH _rows AS MATERIALIZED (SELECT * FROM statements "
                    f"WHERE entity_id IN ({_marks(ids)})) ")
            source, head_params = "_rows", list(ids)
        redacted_owners = sorted({g.owner for g in self.grants}
                                 - {g.owner for g in self.grants if g.victim_details}
                                 - self.visible_owners)
        if not redacted_owners:
            return f"{head}SELECT s.* FROM {source} s WHERE {where}", [*head_params, *params]
        # Which values identify a protected person is kept by the store in
        # `redact_keys` (pinchpoint.store.redaction), refreshed with every write.
        redact = (f"r.entity_id IS NOT NULL AND s.owner IN ({_marks(redacted_owners)})")
        columns = ", ".join(
            f"CASE WHEN {redact} THEN '{REDACTED}' ELSE s.value END AS value" if c == "value"
            else f"CASE WHEN {redact} THEN NULL ELSE s.original_value END AS original_value"
            if c == "original_value" else f"s.{c}"
            for c in STATEMENT_COLUMNS)
        keys, key_params = "redact_keys", list[object]()
        if entity_ids is not None:  # the keys of those entities only, not all of them
            keys = f"(SELECT * FROM redact_keys WHERE entity_id IN ({_marks(ids)}))"
            key_params = list(head_params)
        sql = (f"{head}SELECT {columns} FROM {source} s "
               f"LEFT JOIN {keys} r ON r.entity_id = s.entity_id AND r.prop = s.prop "
               f"WHERE {where}")
        return sql, [*head_params, *redacted_owners, *redacted_owners, *key_params, *params]


def _marks(values: list[str] | tuple[str, ...]) -> str:
    return ", ".join("?" for _ in values)
