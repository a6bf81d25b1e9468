"""An independent oracle of the access rules (docs/security.md), over raw statement rows,
and small helpers to write batches and grants straight into a store.

The oracle deliberately does not use `Scope`: it restates the rules in plain Python so
that the store's SQL is checked against a second, simple implementation.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import duckdb

from pinchpoint.access import directory
from pinchpoint.model.reader import Reader
from pinchpoint.store.duckdb_store import BatchMeta, DuckDBStore
from pinchpoint.store.records import QuarantineItem, Statement
from pinchpoint.store.schema_sql import batch_fingerprint

HANDLINGS = ("P", "C", "H0", "H1", "H2", "H3")
CLASSIFICATIONS = ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET")
LEVEL = {c: i for i, c in enumerate(CLASSIFICATIONS)}
REDACTED = "[redacted]"

# Restated from the rules (not imported from store/redaction.py), so a change there
# shows up here.
PROTECTED = {"victim", "witness"}
PERSON_IDENTIFIERS = {
    "name", "firstName", "lastName", "middleName", "secondName", "fatherName",
    "motherName", "alias", "weakAlias", "previousName", "birthDate", "birthPlace",
    "phone", "email", "address", "addressEntity", "passportNumber", "idNumber",
    "socialSecurityNumber", "taxNumber", "innCode", "website", "sourceUrl", "notes",
}
HELD_IDENTIFIERS = (
    ("Identification", "holder", ("number",)),
    ("Passport", "holder", ("number", "passportNumber")),
    ("Handset", "owner", ("phoneNumber", "imei", "imsi", "name")),
    ("UserAccount", "owner", ("username", "email", "phone", "name")),
    ("Call", "caller", ("callerNumber",)),
    ("Call", "receiver", ("receiverNumber",)),
)
# graph_reads: identifiers a person holds directly / through a held entity.
GRAPH_DIRECT = {"phone": "phone", "email": "email", "passportNumber": "document",
                "idNumber": "document"}
GRAPH_HELD = (("Handset", "owner", "phoneNumber", "phone"),
              ("Identification", "holder", "number", "document"),
              ("Passport", "holder", "number", "document"))
DATE_PROPS = ("date", "startDate", "endDate", "postedAt", "authoredAt", "publishedAt")


@dataclass(frozen=True)
class GrantSpec:
    owner: str
    recipient: str
    group: bool = False
    source: str | None = None
    victim_details: bool = False
    revoked: bool = False


@dataclass
class World:
    """What the oracle needs: every raw statement, quarantine row and batch, the sharing
    groups and every grant (revoked ones included)."""

    statements: list[Statement] = field(default_factory=list)
    quarantine_owner: dict[str, str] = field(default_factory=dict)  # id -> owner
    # id -> (classification, handling) of the batch's statements: the oracle takes them
    # from the statements, not from the quarantine's own columns, which are under test.
    quarantine_marking: dict[str, tuple[str, str]] = field(default_factory=dict)
    batch_owner: dict[str, str] = field(default_factory=dict)  # id -> owner
    groups: dict[str, set[str]] = field(default_factory=dict)
    grants: list[GrantSpec] = field(default_factory=list)

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, groups: dict[str, set[str]],
             grants: Sequence[GrantSpec]) -> World:
        cols = ", ".join(Statement.__dataclass_fields__)
        rows = con.execute(f"SELECT {cols} FROM statements").fetchall()
        return cls(
            statements=[Statement(*r) for r in rows],
            quarantine_owner=dict(con.execute("SELECT id, owner FROM quarantine").fetchall()),
            quarantine_marking={i: (c, h) for i, c, h in con.execute(
                "SELECT q.id, s.classification, s.handling FROM quarantine q JOIN ("
                "SELECT DISTINCT batch, classification, handling FROM statements) s "
                "ON s.batch = q.batch").fetchall()},
            batch_owner=dict(con.execute("SELECT id, owner FROM batches").fetchall()),
            groups={g: set(m) for g, m in groups.items()}, grants=list(grants))

    # -- the rules ---------------------------------------------------------------------
    def reaching(self, agency: str) -> list[GrantSpec]:
        """Active grants reaching `agency`, directly or through one of its groups."""
        return [g for g in self.grants if not g.revoked and g.owner != agency and (
            (not g.group and g.recipient == agency)
            or (g.group and agency in self.groups.get(g.recipient, set())))]

    def sees(self, s: Statement, agency: str, clearance: str, court: bool = False) -> bool:
        if LEVEL[s.classification] > LEVEL[clearance]:
            return False
        if court and s.handling == "H1":
            return False
        if s.owner == agency:
            return True
        for g in self.reaching(agency):
            if g.owner != s.owner or (g.source is not None and g.source != s.source):
                continue
            if g.group and s.handling == "H2":
                continue
            return True
        return False

    def _protected(self) -> tuple[set[str], set[tuple[str, str]]]:
        people = {s.entity_id for s in self.statements
                  if s.prop == "personCategory" and s.value.lower() in PROTECTED}
        held = {(s.entity_id, p) for s in self.statements for schema, link, props
                in HELD_IDENTIFIERS if s.schema == schema and s.prop == link
                and s.value in people for p in props}
        return people, held

    def redacts(self, s: Statement, agency: str, people: set[str],
                held: set[tuple[str, str]]) -> bool:
        if s.owner == agency:
            return False
        if any(g.owner == s.owner and g.victim_details for g in self.reaching(agency)):
            return False
        return ((s.entity_id in people and s.prop in PERSON_IDENTIFIERS)
                or (s.entity_id, s.prop) in held)

    def visible(self, agency: str, clearance: str, court: bool = False) -> list[Statement]:
        """The statements a user sees, values redacted where the rules say."""
        people, held = self._protected()
        out = []
        for s in self.statements:
            if not self.sees(s, agency, clearance, court):
                continue
            if self.redacts(s, agency, people, held):
                s = Statement(**{**s.__dict__, "value": REDACTED, "original_value": None})
            out.append(s)
        return out

    def own_quarantine(self, agency: str, clearance: str, court: bool = False) -> set[str]:
        """Quarantine rows a user sees: their own agency's only (raw values cannot be
        redacted, so they are never shared), and, as for statements, at or below their
        clearance and, for court, without H1."""
        out = set()
        for i, owner in self.quarantine_owner.items():
            classification, handling = self.quarantine_marking[i]
            if (owner == agency and LEVEL[classification] <= LEVEL[clearance]
                    and not (court and handling == "H1")):
                out.add(i)
        return out

    def own_batches(self, agency: str) -> set[str]:
        return {i for i, o in self.batch_owner.items() if o == agency}


# -- what each read should return, from the oracle's visible statements ------------------
def key(s: Statement) -> tuple[Any, ...]:
    """What must match for one statement: identity, value after redaction, provenance
    and the handling conditions that travel with it."""
    return (s.id, s.entity_id, s.schema, s.prop, s.value, s.original_value, s.source,
            s.record, s.owner, s.handling, s.handling_conditions, s.classification, s.batch)


def keys(statements: Iterable[Statement]) -> list[tuple[Any, ...]]:
    return sorted(key(s) for s in statements)


def counts_of(visible: Sequence[Statement]) -> dict[str, Any]:
    out: dict[str, Any] = {"statements": len(visible),
                           "entities": len({s.entity_id for s in visible})}
    for column in ("source", "schema", "owner"):
        groups: dict[str, list[Statement]] = defaultdict(list)
        for s in visible:
            groups[getattr(s, column)].append(s)
        out[f"by_{column}"] = {k: (len(v), len({s.entity_id for s in v}))
                               for k, v in sorted(groups.items())}
    return out


def entity_values_of(visible: Sequence[Statement], schema: str, props: Sequence[str],
                     ids: set[str] | None = None) -> list[tuple[str, str, dict[str, list[str]]]]:
    groups: dict[str, list[Statement]] = defaultdict(list)
    for s in visible:
        if s.schema == schema and s.value != REDACTED and (ids is None or s.entity_id in ids):
            groups[s.entity_id].append(s)
    out = []
    for entity_id, group in sorted(groups.items()):
        fp = hashlib.sha1(",".join(sorted(s.id for s in group)).encode()).hexdigest()
        values = {p: sorted({s.value for s in group if s.prop == p}) for p in props}
        out.append((entity_id, fp, {p: v for p, v in values.items() if v}))
    return out


def references_of(visible: Sequence[Statement], targets: Sequence[str]) -> list[tuple[str, ...]]:
    v = [s for s in visible if s.value != REDACTED]
    target_schema: dict[str, str] = {}
    for s in v:
        if s.schema in targets:
            target_schema.setdefault(s.entity_id, s.schema)
    return sorted((s.entity_id, s.schema, s.prop, s.value, target_schema[s.value], s.id)
                  for s in v if s.value in target_schema and s.prop != "id"
                  and s.entity_id != s.value)


def dates_of(visible: Sequence[Statement], schemata: Sequence[str]) -> dict[str, tuple[str, str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for s in visible:
        if (s.value != REDACTED and s.schema in schemata and s.prop in DATE_PROPS
                and re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}", s.value)):
            found[s.entity_id].append(s.value[:10])
    return {e: (min(v), max(v)) for e, v in found.items()}


def identifiers_of(visible: Sequence[Statement]) -> list[tuple[str, str, str, str]]:
    v = [s for s in visible if s.value != REDACTED]
    out = [(s.entity_id, GRAPH_DIRECT[s.prop], s.value, s.id) for s in v
           if s.schema == "Person" and s.prop in GRAPH_DIRECT]
    by_entity: dict[str, list[Statement]] = defaultdict(list)
    for s in v:
        by_entity[s.entity_id].append(s)
    for schema, holder, value_prop, kind in GRAPH_HELD:
        for o in v:
            if o.schema == schema and o.prop == holder:
                out += [(o.value, kind, x.value, x.id) for x in by_entity[o.entity_id]
                        if x.prop == value_prop]
    return sorted(out)


def grouped(visible: Sequence[Statement]) -> dict[str, list[Statement]]:
    groups: dict[str, list[Statement]] = defaultdict(list)
    for s in visible:
        groups[s.entity_id].append(s)
    return dict(groups)


def export_of(visible: Sequence[Statement]) -> list[dict[str, Any]]:
    """The FtM export the oracle's statements make (the statement-to-entity conversion
    is the project's; which statements and values go in is the oracle's)."""
    from pinchpoint.model.ftm import to_stock
    from pinchpoint.store.entities import to_entity

    out = []
    for entity_id, group in sorted(grouped(visible).items()):
        group.sort(key=lambda s: (s.prop, s.value, s.id))
        assert entity_id
        out.append(to_stock(to_entity(group)).to_dict())
    return out


def normal_entity(data: dict[str, Any]) -> tuple[str, str, tuple[Any, ...]]:
    props = tuple(sorted((k, tuple(sorted(v))) for k, v in data.get("properties", {}).items()))
    return data["id"], data["schema"], props


# -- writing a store directly -----------------------------------------------------------
_clock = itertools.count()


def apply_grants(con: duckdb.DuckDBPyConnection, specs: Iterable[GrantSpec],
                 grantor: Callable[[str], Reader], reason: str, revoke_reason: str) -> None:
    """Make each grant as the owner's `grantor`, and revoke those marked revoked."""
    for g in specs:
        by = grantor(g.owner)
        row = directory.grant(con, by, g.recipient, reason, source=g.source,
                              victim_details=g.victim_details, group=g.group)
        if g.revoked:
            directory.revoke_grant(con, by, row.id, revoke_reason)


def write_batch(store: DuckDBStore, owner: str, source: str, handling: str,
                classification: str, rows: Sequence[tuple[str, str, str, str]],
                quarantined: int = 0, user: str = "loader") -> str:
    """One committed batch of (entity_id, schema, prop, value) rows; returns its id."""
    conditions = f"conditions of {owner} {handling}" if handling in ("C", "H3") else None
    provenance = {"source": source, "owner": owner, "source_grade": "1",
                  "info_grade": "A", "grade_original": "1A", "handling": handling,
                  "handling_conditions": conditions, "classification": classification}
    stage = store.stage(batch_fingerprint(provenance))
    stage.add_statements({
        "entity_id": [r[0] for r in rows], "schema": [r[1] for r in rows],
        "prop": [r[2] for r in rows], "value": [r[3] for r in rows],
        "original_value": [None if r[1] == "Person" and r[2] == "personCategory"
                           else f"raw:{r[3]}" for r in rows],
        "lang": [None for _ in rows], "record": [f"rec-{r[0]}" for r in rows]})
    stage.add_quarantine([QuarantineItem(f"{source}.csv", i + 2, None, "amount",
                                         f"bad-{owner}-{uuid.uuid4().hex[:6]}",
                                         "not a number", False)
                          for i in range(quarantined)])
    batch_id = uuid.uuid4().hex
    started = datetime(2024, 1, 1) + timedelta(minutes=next(_clock))
    stage.commit(BatchMeta(id=batch_id, kind="ftm", path=f"/data/{source}.json",
                           file_hash="0" * 64, user=user, reason="test", started_at=started,
                           rows_read=len(rows), rows_stored=len(rows),
                           rows_rejected=quarantined, **provenance))
    return batch_id
