"""Hit/no-hit between agencies, step by step: the functions the CLI and the REST API call.

1. `make_filter`: the exporting agency's shareable people as a signed filter under the
   sharing group's key (a disclosure of a filter, not of data).
2. `check_filter`: the receiving agency checks its own people against it, at home (a
   combination); the hits are kept for its profiles.
3. `make_request`: a hit becomes a signed request to the filter's owner carrying only the
   digests that hit ("we hold something matching these; do you?").
4. `receive`: the owner takes a request (and sees which of its people match), or the
   requester takes the owner's answer.
5. `answer`: the owner discloses (a normal share: grants of the sources holding the
   matched people to an agency of this workspace, or a signed package of those people's
   statements for one elsewhere) or declines, with a reason.

Each returns the audit entries its step makes (`Step`), for both sides where both are
agencies of this workspace, so the two audit logs always tell the same story; the caller
writes them (the CLI to the journal, the API through its audit writer).
"""

from __future__ import annotations

import base64
import dataclasses
import json
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from pinchpoint.access import directory, journal, keys
from pinchpoint.access.entitlements import agency_scope
from pinchpoint.matching import filters, group_keys, records
from pinchpoint.matching.check import MIN_STRENGTH, Hit, check
from pinchpoint.matching.filters import FilterError, FilterInfo
from pinchpoint.matching.identifiers import KINDS, Person, people
from pinchpoint.matching.tokens import digests, messages
from pinchpoint.model.reader import Clearance, Reader, Role, covered
from pinchpoint.sharing import trust
from pinchpoint.sharing.disclosure import package_statements
from pinchpoint.sharing.package import write_package
from pinchpoint.sharing.sealed import (
    ContainerError,
    canonical_zip,
    read_members,
    sign,
    signature_holds,
)
from pinchpoint.store.match_reads import person_facts
from pinchpoint.store.resolution import resolution, resolver_name_keys
from pinchpoint.store.scope import Grant, Scope
from pinchpoint.store.sql_store import SqlStore

REQUEST_FORMAT = "pinchpoint-match-request/1"
ANSWER_FORMAT = "pinchpoint-match-answer/1"
BODY, SIGNATURE = "body.json", "signature"
MEMBERS = (BODY, SIGNATURE)
REFUSED = "refused, nothing stored"
FILTER_ROLES = (Role.SUPERVISOR, Role.ADMINISTRATOR)
ANSWER_ROLES = (Role.SUPERVISOR, Role.ADMINISTRATOR)


class MatchError(ValueError):
    """A step that cannot be taken as asked; one clear sentence."""


class Step(NamedTuple):
    """One audit entry a step makes: who, their agency, what kind, what, why, to whom."""

    user: str
    agency: str
    action: str
    what: str
    why: str
    recipients: tuple[str, ...] = ()
    detail: dict[str, Any] | None = None

    def write(self, workspace: Path) -> None:
        journal.record(workspace, self.user, self.agency, self.action, self.what, self.why,
                       self.recipients, self.detail)


def _reader(scope: Scope) -> Reader:
    if scope.reader is None:
        raise MatchError("matching needs a user (--as)")
    return scope.reader


def _member(store: SqlStore, agency: str, group: str) -> None:
    if group not in directory.groups_of(store.con, agency):
        raise MatchError(f"{agency} is not a member of sharing group {group!r}")


# -- people -----------------------------------------------------------------------------
def shareable_people(store: SqlStore, exporter: Scope, group: str,
                     clearance: Clearance = Clearance.OFFICIAL_SENSITIVE,
                     victim_details: bool = False) -> Iterator[Person]:
    """The exporter's own people as the group would see them were they shared: Europol H2
    left out (never re-disseminated to a group), nothing above ``clearance`` or the
    exporter's own clearance, victims' and witnesses' identifying details left out
    unless ``victim_details``."""
    levels = set(covered(clearance)) & set(covered(exporter.clearance))
    ceiling = max(levels, key=lambda c: list(Clearance).index(Clearance(c)))
    recipient = Scope(agency=f"group {group}", reader=Reader(
        f"{group}:filter", f"group {group}", Role.ANALYST, Clearance(ceiling)),
        grants=(Grant(exporter.agency, None, False, victim_details),))
    return people(person_facts(store, recipient), known=resolver_name_keys(store, recipient))


def own_people(store: SqlStore, scope: Scope, resolved: bool = True) -> list[Person]:
    """The checking agency's own people (not what partners shared with it), one per
    resolved entity where the agency has resolved."""
    own = dataclasses.replace(scope, grants=())
    group_of = resolution(store, scope) if resolved else {}
    facts, known = person_facts(store, own), resolver_name_keys(store, own)
    return list(people(facts, group_of or None, known))


def signers(store: SqlStore, workspace: Path) -> dict[str, list[Ed25519PublicKey]]:
    """Who may sign what this workspace reads: each partner's trusted keys, and this
    workspace's own key for each of its own agencies."""
    found = trust.trusted(store.con)
    own = keys.pinned_key(workspace)
    for agency in directory.agencies(store.con):
        found.setdefault(agency, []).append(own)
    return found


# -- 1. filters --------------------------------------------------------------------------
def make_filter(store: SqlStore, scope: Scope, workspace: Path, group: str, out: Path,
                reason: str, kinds: Sequence[str] = KINDS,
                rate: float = filters.DEFAULT_RATE,
                clearance: Clearance = Clearance.OFFICIAL_SENSITIVE,
                victim_details: bool = False) -> tuple[FilterInfo, list[Step]]:
    reader = _reader(scope)
    reader.require(*FILTER_ROLES)
    _member(store, scope.agency, group)
    key = group_keys.current_or_new(store.con, group, reader.user)
    bloom, items = filters.build(
        shareable_people(store, scope, group, clearance, victim_details), key, kinds, rate)
    info = filters.write(out, bloom, items, sender=scope.agency, key=key, kinds=kinds,
                         rate=rate, signer=keys.signing_key(workspace))
    step = Step(reader.user, scope.agency, "disclosure",
                f"match filter {out.name} ({items} keyed digests, no values)", reason,
                (group,), {"filter": True, "kinds": list(info.kinds), "key_id": key.key_id,
                           "sha256": info.file_sha256, "rate": rate,
                           "victim_details": victim_details})
    return info, [step]


@dataclass
class Checked:
    info: FilterInfo
    hits: list[Hit]
    people: int
    names_comparable: bool


def check_filter(store: SqlStore, scope: Scope, workspace: Path, data: bytes, reason: str,
                 kinds: Sequence[str] | None = None, weak: bool = False
                 ) -> tuple[Checked, list[Step]]:
    """Check the agency's own people against a partner's filter and keep the hits
    (``weak``: a name alone, one side without a birth year, too)."""
    reader = _reader(scope)
    found = filters.read(data, signers(store, workspace))
    info = found.info
    if info.sender == scope.agency:
        raise MatchError("this is your own agency's filter; check a partner's")
    _member(store, scope.agency, info.group)
    key = group_keys.by_id(store.con, info.key_id)
    if key is None or key.group != info.group:
        raise FilterError(f"the filter was made under key {info.key_id} of group "
                          f"{info.group!r}, which this workspace does not hold")
    if not key.current:
        raise FilterError(f"the filter was made under a retired key of {info.group!r} "
                          f"({info.key_id}); ask {info.sender} for a new filter")
    own = own_people(store, scope)
    hits = check(found, key, own, kinds, 0.0 if weak else MIN_STRENGTH)
    records.replace_hits(store.con, scope.agency, info.sender, info.group, key.key_id,
                         info.file_sha256, hits, reader.user)
    result = Checked(info, hits, len(own), info.names == filters.names_fingerprint())
    step = Step(reader.user, scope.agency, "combination",
                f"checked {len(own)} people against {info.sender}'s match filter: "
                f"{len(hits)} hits", reason, (), {"sha256": info.file_sha256,
                                                 "group": info.group, "hits": len(hits)})
    return result, [step]


# -- 3. requests ------------------------------------------------------------------------
def _seal(body: dict[str, Any], workspace: Path) -> bytes:
    """``body`` with the signer's public key, signed, in a canonical container."""
    signer = keys.signing_key(workspace)
    body = {**body, "public_key": keys.public_text(signer.public_key())}
    raw = (json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    return canonical_zip([(BODY, raw), (SIGNATURE, sign(signer, raw))])


# Who signs each kind of sealed file: the field of its body naming that agency.
SIGNED_BY = {REQUEST_FORMAT: "requester", ANSWER_FORMAT: "owner"}


def _open(data: bytes, trusted: Mapping[str, Sequence[Ed25519PublicKey]]
          ) -> dict[str, Any]:
    """A verified request or answer body (its ``format`` says which)."""
    try:
        members = read_members(data, MEMBERS, REFUSED)
        body = json.loads(members[BODY].decode("utf-8"))
    except ContainerError as exc:
        raise MatchError(str(exc)) from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise MatchError(f"body.json is not valid JSON: {REFUSED}") from exc
    if not isinstance(body, dict) or body.get("format") not in SIGNED_BY:
        raise MatchError(f"not a match request or answer file: {REFUSED}")
    sender = body.get(SIGNED_BY[body["format"]])
    try:
        public = keys.parse_public(str(body.get("public_key")))
    except keys.KeyFileError as exc:
        raise MatchError(f"the file's public key is not an Ed25519 key: {REFUSED}") from exc
    if keys.key_id(public) not in {keys.key_id(k) for k in trusted.get(str(sender), ())}:
        raise MatchError(f"the file is not signed by a trusted key of {sender!r}: {REFUSED}")
    if not signature_holds(public, members[BODY], members[SIGNATURE]):
        raise MatchError(f"the file's signature does not verify: {REFUSED}")
    return body


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def make_request(store: SqlStore, scope: Scope, workspace: Path, owner: str, reason: str,
                 entities: Sequence[str] | None = None
                 ) -> tuple[records.RequestRow, bytes, list[Step]]:
    """A request to ``owner`` about this agency's hits on its filter (those of
    ``entities``, or all). Where the owner is an agency of this workspace it sees the
    request at once; otherwise the returned file is sent to it."""
    reader = _reader(scope)
    if not reason.strip():
        raise MatchError("a request needs a reason (it is part of both audit logs)")
    held = records.hits(store.con, scope.agency, list(entities) if entities else None, owner)
    if not held:
        raise MatchError(f"no hit on {owner}'s filter to ask about"
                         + (" for those entities" if entities else ""))
    group = held[0].group
    items, refs = [], {}
    for n, hit in enumerate(held, start=1):
        ref = f"item-{n}"
        refs[ref] = hit.entity
        items.append({"ref": ref, "kinds": hit.kinds, "strength": hit.strength,
                      "tokens": sorted(set(hit.tokens))})
    request_id = uuid.uuid4().hex[:16]
    body = {"format": REQUEST_FORMAT, "id": request_id, "requester": scope.agency,
            "owner": owner, "group": group, "created": datetime.now(UTC).replace(
                microsecond=0).isoformat(), "reason": reason.strip(), "items": items}
    document = _seal(body, workspace)
    local = owner in directory.agencies(store.con)
    row = records.RequestRow(
        request_id, scope.agency, owner, group, _now(), reader.user, reason.strip(), items,
        "open", None, None, None, None, base64.b64encode(document).decode(), False, refs,
        {})
    records.add_request(store.con, row)
    if local:
        row = dataclasses.replace(row, matches=owner_matches(store, Scope.owner(owner), row))
        records.set_matches(store.con, row.id, row.matches)
    steps = [Step(reader.user, scope.agency, "disclosure",
                  f"match request {request_id} to {owner}: {len(items)} hits", reason,
                  (owner,), {"request": request_id, "group": group})]
    if local:
        steps.append(_received_step(row))
    return row, document, steps


def _received_step(row: records.RequestRow) -> Step:
    found = sum(bool(v) for v in row.matches.values())
    return Step(f"{row.owner}:matching", row.owner, "collection",
                f"match request {row.id} from {row.requester}: {len(row.items)} items, "
                f"{found} matching our people", row.reason, (),
                {"request": row.id, "group": row.group})


def receive(store: SqlStore, scope: Scope, workspace: Path, data: bytes, reason: str
            ) -> tuple[records.RequestRow, list[Step]]:
    """A request file from a partner's requester, or an answer file from an owner."""
    reader = _reader(scope)
    body = _open(data, signers(store, workspace))
    if body["format"] == ANSWER_FORMAT:
        return _receive_answer(store, scope, body, reason)
    if body.get("owner") != scope.agency:
        raise MatchError(f"the request is for {body.get('owner')!r}, not {scope.agency}")
    items = _items(body)
    row = records.RequestRow(
        str(body["id"]), str(body["requester"]), scope.agency, str(body["group"]), _now(),
        reader.user, str(body.get("reason", "")), items, "open", None, None, None, None,
        base64.b64encode(data).decode(), True, {}, {})
    if not records.add_request(store.con, row):
        raise MatchError(f"request {row.id} was received already")
    row = dataclasses.replace(
        row, matches=owner_matches(store, dataclasses.replace(scope, grants=()), row))
    records.set_matches(store.con, row.id, row.matches)
    step = _received_step(row)
    return row, [step._replace(user=reader.user, why=reason or step.why)]


def _items(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    items = body.get("items")
    if not isinstance(items, list) or not all(
            isinstance(i, dict) and isinstance(i.get("ref"), str)
            and isinstance(i.get("tokens"), list) for i in items):
        raise MatchError(f"the request's items are malformed: {REFUSED}")
    return items


def owner_matches(store: SqlStore, owner: Scope, row: records.RequestRow
                  ) -> dict[str, list[str]]:
    """Which of the owner's own stored people (``owner``: a scope of its own data only)
    each item's digests name, under the group's current key: a request is answered with
    what the owner holds now."""
    key = group_keys.current(store.con, row.group)
    if key is None:
        return {}
    wanted = {str(t): str(item["ref"]) for item in row.items for t in item["tokens"]}
    found: dict[str, set[str]] = {}
    for person in people(person_facts(store, owner)):
        texts = [t for ident in person.identifiers for t in messages(ident)]
        if not texts:
            continue
        for digest in digests(key.secret, texts):
            ref = wanted.get(digest.tobytes().hex())
            if ref is not None:
                found.setdefault(ref, set()).add(person.entity)
    return {ref: sorted(found.get(ref, ())) for ref in sorted(set(wanted.values()))}


def _receive_answer(store: SqlStore, scope: Scope, body: dict[str, Any], reason: str
                    ) -> tuple[records.RequestRow, list[Step]]:
    reader = _reader(scope)
    rows = records.requests_of(store.con, scope.agency, str(body.get("request")))
    if not rows or rows[0].requester != scope.agency:
        raise MatchError(f"no request {body.get('request')!r} of {scope.agency} to answer")
    row = rows[0]
    status = str(body.get("decision"))
    if status not in ("disclosed", "declined") or body.get("owner") != row.owner:
        raise MatchError(f"the answer is malformed: {REFUSED}")
    records.decide(store.con, row.id, status, str(body.get("decided_by", row.owner)),
                   str(body.get("reason", "")), body)
    step = Step(reader.user, scope.agency, "collection",
                f"answer to match request {row.id} from {row.owner}: {status}",
                reason or str(body.get("reason", "")), (), {"request": row.id})
    return records.requests_of(store.con, scope.agency, row.id)[0], [step]


# -- 5. answers -------------------------------------------------------------------------
def answer(store: SqlStore, scope: Scope, workspace: Path, request_id: str, disclose: bool,
           reason: str, out: Path | None = None
           ) -> tuple[records.RequestRow, bytes, list[Step]]:
    """The owner's decision. Disclosing to an agency of this workspace grants it the
    sources holding the matched people; to one elsewhere it writes a signed share package
    of exactly those people's statements (``out``), beside the signed answer returned."""
    reader = _reader(scope)
    reader.require(*ANSWER_ROLES)
    if not reason.strip():
        raise MatchError("a decision needs a reason (it is part of both audit logs)")
    rows = records.requests_of(store.con, scope.agency, request_id)
    if not rows or rows[0].owner != scope.agency:
        raise MatchError(f"no request {request_id} to {scope.agency}")
    row = rows[0]
    if row.status != "open":
        raise MatchError(f"request {request_id} was {row.status} already")
    matched = sorted({e for found in row.matches.values() for e in found})
    shared: dict[str, Any] = {}
    if disclose:
        if not matched:
            raise MatchError("none of your people matches this request; decline it")
        shared = _disclose(store, scope, workspace, row, matched, reason, out)
    status = "disclosed" if disclose else "declined"
    body = {"format": ANSWER_FORMAT, "request": row.id, "owner": row.owner,
            "requester": row.requester, "decision": status, "reason": reason.strip(),
            "decided_by": reader.user, "decided": datetime.now(UTC).replace(
                microsecond=0).isoformat(), "shared": shared}
    document = _seal(body, workspace)
    records.decide(store.con, row.id, status, reader.user, reason.strip(), body)
    steps = [Step(reader.user, scope.agency, "disclosure" if disclose else "alteration",
                  f"answer to match request {row.id} from {row.requester}: {status}",
                  reason, (row.requester,), {"request": row.id, **shared})]
    if not row.remote:
        steps.append(Step(f"{row.requester}:matching", row.requester, "collection",
                          f"answer to match request {row.id} from {row.owner}: {status}",
                          reason, (), {"request": row.id}))
    return records.requests_of(store.con, scope.agency, row.id)[0], document, steps


def _disclose(store: SqlStore, scope: Scope, workspace: Path, row: records.RequestRow,
              matched: list[str], reason: str, out: Path | None) -> dict[str, Any]:
    reader = _reader(scope)
    own = dataclasses.replace(scope, grants=())
    if not row.remote:
        sources = sorted({s.source for e in matched for s in store.statements(own, e)})
        for source in sources:
            directory.grant(store.con, reader, row.requester,
                            f"match request {row.id}: {reason.strip()}", source)
        return {"grants": sources, "entities": len(matched)}
    if out is None:
        raise MatchError(f"{row.requester} is not an agency of this workspace: give --out "
                         "for the package to send it")
    wanted = set(matched)
    recipient = agency_scope(store.con, row.requester, Clearance.OFFICIAL_SENSITIVE) \
        if row.requester in directory.agencies(store.con) else Scope(
            agency=row.requester, reader=Reader(f"{row.requester}:package", row.requester,
                                                Role.ANALYST, Clearance.OFFICIAL_SENSITIVE),
            grants=(Grant(scope.agency, None, True, False),))
    statements = [s for s in package_statements(store, own, recipient)
                  if s.entity_id in wanted]
    info = write_package(out, statements, scope.agency, row.requester,
                         keys.signing_key(workspace), note=f"match request {row.id}",
                         audit_head=journal.latest_head(workspace))
    return {"package": out.name, "package_sha256": info.file_sha256,
            "statements": info.statements, "entities": info.entities}
