"""`pinchpoint audit ...`: read, prove and verify the tamper-evident audit log.

Only auditors and administrators may run these (the workspace operator is an
administrator). Each one sees only its own agency's entries, and reading the log is
itself logged as a consultation, so an auditor's own look at the log leaves a trace
(DPA 2018 s.62 makes no exception for auditors). `verify` and `head` print nothing
about individual entries and are not logged; `verify` checks against the key pinned
at init, never the key file. `pin` (administrators, logged) pins the key of a workspace
made before pins, or a key changed on purpose (`pinchpoint.access.keys`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from pinchpoint.access import journal, keys
from pinchpoint.access.audit import ACTIONS, AuditLog
from pinchpoint.cli.common import (
    REFUSALS,
    JsonOption,
    Session,
    console,
    fail,
    print_json,
    session,
    table,
)
from pinchpoint.model.reader import Role

audit_app = typer.Typer(
    help="The tamper-evident audit log (DPA 2018 s.62): show, prove, verify, signed head.",
    no_args_is_help=True)

ReasonOption = Annotated[str, typer.Option(
    "--reason", help="Why you are reading the log (recorded as a consultation)")]
DEFAULT_REASON = "audit review"


@contextmanager
def _audit_session(whole_log: bool = False) -> Iterator[tuple[Session, AuditLog]]:
    """A session whose reader may read the audit log, and the workspace's log."""
    with session(read_only=True, log_read=False, kinds=REFUSALS) as s:
        # The signed head and verification cover every agency's entries (their
        # number included), so they are the workspace administrator's.
        s.reader.require(*((Role.ADMINISTRATOR,) if whole_log
                           else (Role.AUDITOR, Role.ADMINISTRATOR)))
        with journal.open_log(s.workspace.path) as log:
            yield s, log


def _consulted(s: Session, log: AuditLog, reason: str, detail: dict[str, Any]) -> None:
    log.record(s.scope.user, s.scope.agency, "consultation", "audit log", reason,
               detail=detail)


@audit_app.command("show")
def show_command(
    action: Annotated[str | None, typer.Option(
        "--action", help=f"Only this action: {', '.join(ACTIONS)}")] = None,
    user: Annotated[str | None, typer.Option("--user", help="Only this user's acts")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=0,
                                              help="Only the most recent N entries")] = None,
    reason: ReasonOption = DEFAULT_REASON,
    as_json: JsonOption = False,
) -> None:
    """Your agency's audit entries, oldest first."""
    with _audit_session() as (s, log):
        entries = log.entries(s.scope.agency, action=action, user=user, limit=limit)
        _consulted(s, log, reason, {"command": "audit show", "action": action, "user": user,
                                    "limit": limit, "entries": len(entries)})
    if as_json:
        print_json([e.to_json() for e in entries])
        return
    listed = table(f"audit log of {s.scope.agency} ({len(entries)} entries)", "seq", "at",
                   "user", "action", "what", "why", "recipients", right=("seq",))
    for e in entries:
        listed.add_row(str(e.seq), e.at, e.user, e.action, e.what, e.why,
                       ", ".join(e.recipients))
    console.print(listed)


@audit_app.command("head")
def head_command(as_json: JsonOption = False) -> None:
    """The latest signed tree head: keep a copy outside the workspace, and later pass it
    to `verify --trusted` to prove no history was rewritten since."""
    with _audit_session(whole_log=True) as (s, log):
        head = log.head()
        public = keys.public_text(keys.pinned_key(s.workspace.path))
    if as_json:
        print_json({**head.to_json(), "public_key": public})
        return
    for name, value in (("size", head.size), ("root", head.root), ("at", head.at),
                        ("key id", head.key_id), ("signature", head.signature),
                        ("public key", public)):
        console.print(f"{name}: {value}")


@audit_app.command("prove")
def prove_command(
    seq: Annotated[int, typer.Argument(help="The entry's sequence number")],
    reason: ReasonOption = DEFAULT_REASON,
    as_json: JsonOption = False,
) -> None:
    """An RFC 6962 inclusion proof of one of your agency's entries in the signed log."""
    with _audit_session() as (s, log):
        proof = log.prove(seq, agency=s.scope.agency)
        _consulted(s, log, reason, {"command": "audit prove", "seq": seq})
    if as_json:
        print_json(proof)
        return
    for name in ("seq", "leaf_hash", "size", "root"):
        console.print(f"{name}: {proof[name]}")
    console.print(f"signature: {proof['head']['signature']}")
    for i, step in enumerate(proof["proof"]):
        console.print(f"proof[{i}]: {step}")


@audit_app.command("verify")
def verify_command(
    trusted: Annotated[Path | None, typer.Option(
        "--trusted", help="Heads kept outside the workspace: one saved with `audit head "
        "--json`, or the list a partner's `share heads --json` prints; the log must still "
        "contain exactly what each covered")] = None,
    public_key: Annotated[str | None, typer.Option(
        "--public-key", help="Check against this public key (base64) instead of the one "
        "pinned at init")] = None,
) -> None:
    """Recompute the whole log and check every signed head against the pinned key (not
    the key file in the workspace); exit 1 on any problem."""
    with session(read_only=True, log_read=False, kinds=REFUSALS) as s:
        s.reader.require(Role.ADMINISTRATOR)
        kept = journal.trusted_heads(trusted.read_text(), str(trusted)) if trusted else []
        report = journal.verify(s.workspace.path, public_key, kept)
    if report.ok:
        console.print(f"OK: {report.size} entries, every signed head verifies"
                      + (f", {len(kept)} trusted heads still covered" if kept else ""))
        return
    for problem in report.problems:
        console.print(Text.assemble(("problem: ", "red"), problem))
    raise typer.Exit(1)


@audit_app.command("pin")
def pin_command(
    public_key: Annotated[str | None, typer.Option(
        "--public-key", help="The public key recorded out of band at init: pinned only if "
        "the workspace's key file holds it")] = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Replace a pin of another key (needs --reason)")] = False,
    reason: Annotated[str | None, typer.Option(
        "--reason", help="Why (kept in the audit log; required with --replace)")] = None,
) -> None:
    """Pin the workspace's signing key outside the workspace (administrators): for a
    workspace made before pins, or a key changed on purpose. Check the key first."""
    if replace and not (reason or "").strip():
        raise fail("--replace needs --reason")
    with session(log_read=False, kinds=REFUSALS) as s:
        s.reader.require(Role.ADMINISTRATOR)
        change = keys.pin(s.workspace.path, public_key, replace)
        kid = keys.key_id(keys.parse_public(change.pin.public_key))
        s.record("alteration", f"audit key {kid} pinned", reason or "key pinned",
                 detail={"pin_file": str(change.pin.file), "replaced": change.replaced})
    console.print(f"pinned key {kid} for workspace {s.workspace.path} in {change.pin.file}"
                  + (f" (replacing key {keys.key_id(keys.parse_public(change.replaced))})"
                     if change.replaced else ""))
