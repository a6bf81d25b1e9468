"""Sharing a judgement with another agency: an explicit disclosure, never a merge.

A judgement is its agency's analysis (`store.judgements`): it changes that agency's
resolution only, and its reason and author are shown to nobody else. Passing one on is a
disclosure, made on purpose and logged like a grant or a package: only a supervisor or
administrator of the agency that made it may share it, with a known other agency, for a
stated purpose, and may withdraw it again. A refusal never tells another agency's
judgement id from an unknown one.

What is shared is information, not a decision. The recipient sees the owner's verdict,
author and reason (`shared_judgements`), and its resolution does not change until one
of its own users adopts the judgement: that records the recipient's own judgement,
through the ordinary `judge` path, naming where it came from. The owner's judgements
and resolution are not touched by anything the recipient does.

Each change returns what the caller writes to the audit log (`Logged`), so the CLI and
the API record the same entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pinchpoint.access import directory
from pinchpoint.access.bounds import PurposeError, checked_purpose
from pinchpoint.model.reader import Role
from pinchpoint.resolve.review import judge
from pinchpoint.resolve.run import ResolveError
from pinchpoint.store import judgements as store_judgements
from pinchpoint.store.judgements import Judgement, JudgementShare, SharedJudgement
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore


class NoSuchJudgement(ResolveError):
    """No judgement of that id that the reader may act on (the API answers 404)."""


@dataclass(frozen=True)
class Logged:
    """One audit entry for a change made here: the same from the CLI and the API."""

    action: str
    what: str
    why: str
    recipients: tuple[str, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)


def _may_disclose(scope: Scope) -> None:
    """Disclosing the agency's analysis is a supervisor's or administrator's decision, as
    a grant or a package is (a scope without a reader is the library's own)."""
    if scope.reader is not None:
        scope.reader.require(Role.SUPERVISOR, Role.ADMINISTRATOR)


def _purpose(purpose: str) -> str:
    try:
        checked = (checked_purpose(purpose) or "").strip()
    except PurposeError as exc:
        raise ResolveError(str(exc)) from None
    if not checked:
        raise ResolveError("give a purpose: sharing a judgement is a disclosure, kept with "
                           "who, when and why")
    return checked


def share_judgement(store: SqlStore, scope: Scope, judgement_id: str, to_agency: str,
                    purpose: str, user: str) -> tuple[JudgementShare, Logged]:
    """Disclose one of the scope's agency's judgements to `to_agency` (see above)."""
    _may_disclose(scope)
    why = _purpose(purpose)
    if to_agency == scope.agency:
        raise ResolveError("a judgement is always its own agency's; share it with another")
    if to_agency not in directory.agencies(store.con):
        raise ResolveError(f"no agency {to_agency}")
    if any(s.judgement_id == judgement_id and s.recipient == to_agency
           for s in store_judgements.shares(store, scope)):
        raise ResolveError(f"judgement {judgement_id} is already shared with {to_agency}")
    share = store_judgements.add_share(store, scope, judgement_id, to_agency, why, user)
    if share is None:
        raise NoSuchJudgement(f"no judgement {judgement_id}")
    return share, Logged("disclosure", f"judgement {judgement_id} shared with {to_agency}",
                         why, (to_agency,), {"share": share.id})


def withdraw_share(store: SqlStore, scope: Scope, judgement_id: str, from_agency: str,
                   reason: str, user: str) -> tuple[JudgementShare, Logged]:
    """Withdraw the disclosure of a judgement to `from_agency`: it stops being listed to
    that agency at once (what it adopted stays its own judgement)."""
    _may_disclose(scope)
    if not reason.strip():
        raise ResolveError("give a reason for withdrawing the share")
    found = store_judgements.withdraw_share(store, scope, judgement_id, from_agency, user,
                                            reason.strip())
    if found is None:
        raise NoSuchJudgement(f"no judgement {judgement_id} shared with {from_agency}")
    return found, Logged("alteration",
                         f"share of judgement {judgement_id} with {from_agency} withdrawn",
                         reason.strip(), (from_agency,), {"share": found.id})


def judgement_shares(store: SqlStore, scope: Scope, active_only: bool = True
                     ) -> list[JudgementShare]:
    """What the scope's agency has shared of its judgements, and with whom (withdrawn
    shares too unless `active_only`): what it may withdraw."""
    return store_judgements.shares(store, scope, active_only)


def shared_judgements(store: SqlStore, scope: Scope) -> list[SharedJudgement]:
    """Judgements other agencies shared with the scope's agency and have not withdrawn,
    on pairs the scope sees both records of, with the owner's agency, author and reason."""
    return store_judgements.shared_with(store, scope)


def adopt(store: SqlStore, scope: Scope, judgement_id: str, reason: str, user: str
          ) -> tuple[Judgement, Logged]:
    """Make a judgement shared with the scope's agency its own: a judgement of `user`'s
    with the same verdict, through `judge` (so it changes only this agency's resolution),
    its reason naming where it came from."""
    if not reason.strip():
        raise ResolveError("give a reason: an adopted judgement is yours, kept with who, "
                           "when and why")
    found = [s for s in shared_judgements(store, scope) if s.judgement.id == judgement_id]
    if not found:
        raise NoSuchJudgement(f"no judgement {judgement_id} shared with {scope.agency}")
    origin = found[0].judgement
    why = f"adopted from {origin.agency} judgement {origin.id}: {reason.strip()}"
    made = judge(store, scope, origin.left, origin.right, origin.verdict, why, user)
    action = "combination" if made.verdict == "same" else "alteration"
    return made, Logged(action, f"judgement {made.id}: {made.left} {made.verdict} "
                                f"{made.right}", why, (),
                        {"adopted_from": origin.id, "from_agency": origin.agency})


__all__ = ["Logged", "NoSuchJudgement", "adopt", "judgement_shares", "share_judgement",
           "shared_judgements", "withdraw_share"]
