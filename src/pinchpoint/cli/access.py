"""`pinchpoint agency | user | share`: partners, users, grants and signed packages.

Thin wrappers around `pinchpoint.access` and `pinchpoint.sharing`. Who may do what:
administrators add agencies, groups, users and tokens and manage trusted keys;
supervisors and administrators grant, revoke and export shares of their own agency's
data; anyone may list what concerns their own agency. Every grant, export and import
is written to the audit log (disclosure or collection, with recipients and reason).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from pinchpoint.access import directory, journal, keys
from pinchpoint.access.directory import DirectoryError
from pinchpoint.access.entitlements import agency_scope
from pinchpoint.cli_session import Session, open_session, refusals
from pinchpoint.model.reader import Clearance, Role
from pinchpoint.sharing import trust
from pinchpoint.sharing.package import import_package, read_package, write_package
from pinchpoint.store.records import Statement
from pinchpoint.store.scope import REDACTED, REDISSEMINATION_FORBIDDEN, Scope

agency_app = typer.Typer(help="Partner agencies and sharing groups.", no_args_is_help=True)
user_app = typer.Typer(help="Users, roles, clearances and API tokens.", no_args_is_help=True)
share_app = typer.Typer(help="Share intelligence: grants, signed packages, trusted keys.",
                        no_args_is_help=True)
console = Console(markup=False, highlight=False)
err = Console(stderr=True, markup=False, highlight=False, soft_wrap=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON")]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why (kept in the audit log)")]


@contextmanager
def _session(read_only: bool = False) -> Iterator[Session]:
    with refusals(), open_session(read_only=read_only) as s:
        yield s


def _admin(s: Session) -> None:
    s.reader.require(Role.ADMINISTRATOR)


def _json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _print_rows(rows: list[dict[str, Any]], as_json: bool) -> None:
    """JSON, or one line per row with its values (lists joined) two spaces apart."""
    if as_json:
        _json(rows)
        return
    for row in rows:
        console.print("  ".join(", ".join(v) if isinstance(v, list) else str(v)
                                for v in row.values()))


def _log(s: Session, action: str, what: str, why: str, recipients: tuple[str, ...] = (),
         detail: dict[str, Any] | None = None) -> None:
    journal.record(s.workspace.path, s.scope.user, s.scope.agency, action, what, why,
                   recipients, detail)


# -- agencies ----------------------------------------------------------------------------------
@agency_app.command("add")
def agency_add(name: str, title: Annotated[str, typer.Option(help="Full name")] = "",
               group: Annotated[list[str] | None, typer.Option(
                   "--group", help="Sharing groups it belongs to (repeatable)")] = None
               ) -> None:
    """Add a partner agency (administrators)."""
    with _session() as s:
        _admin(s)
        directory.add_agency(s.store.con, name, title)
        for g in group or []:
            directory.add_to_group(s.store.con, g, name)
        _log(s, "alteration", f"agency {name}", "agency added", detail={"groups": group or []})
    console.print(f"agency {name} added" + (f" to {', '.join(group)}" if group else ""))


@agency_app.command("join")
def agency_join(name: str, group: str) -> None:
    """Put an agency in a sharing group (administrators)."""
    with _session() as s:
        _admin(s)
        directory.add_to_group(s.store.con, group, name)
        _log(s, "alteration", f"agency {name}", f"joined sharing group {group}")
    console.print(f"{name} is in sharing group {group}")


@agency_app.command("list")
def agency_list(as_json: JsonOption = False) -> None:
    """Agencies and their sharing groups."""
    with _session(read_only=True) as s:
        rows = [{"name": n, "title": t, "groups": directory.groups_of(s.store.con, n)}
                for n, t in directory.agencies(s.store.con).items()]
    _print_rows(rows, as_json)


# -- users ---------------------------------------------------------------------------------------
@user_app.command("add")
def user_add(
    name: str,
    agency: Annotated[str, typer.Option(help="The user's agency")],
    role: Annotated[Role, typer.Option(help="analyst, supervisor, administrator or auditor")
                    ] = Role.ANALYST,
    clearance: Annotated[Clearance, typer.Option(help="OFFICIAL, OFFICIAL-SENSITIVE or SECRET")
                         ] = Clearance.OFFICIAL,
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read a password from standard input (for the web app)")
    ] = False,
) -> None:
    """Add a user (administrators)."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    with _session() as s:
        _admin(s)
        directory.add_user(s.store.con, name, agency, role, clearance, password)
        _log(s, "alteration", f"user {name}", "user added",
             detail={"agency": agency, "role": role.value, "clearance": clearance.value})
    console.print(f"user {name}: {role.value} of {agency}, cleared to {clearance.value}")


@user_app.command("list")
def user_list(as_json: JsonOption = False) -> None:
    """Users of your agency (administrators see all)."""
    with _session(read_only=True) as s:
        everyone = s.scope.role == Role.ADMINISTRATOR
        readers = directory.users(s.store.con, None if everyone else s.scope.agency)
    rows = [{"name": r.user, "agency": r.agency, "role": r.role.value,
             "clearance": r.clearance.value} for r in readers]
    _print_rows(rows, as_json)


@user_app.command("token")
def user_token(name: str, note: Annotated[str, typer.Option(help="What it is for")] = "") -> None:
    """Issue an API token for a user (administrators); shown once."""
    with _session() as s:
        _admin(s)
        token_id, token = directory.issue_token(s.store.con, name, note)
        _log(s, "alteration", f"token {token_id} of {name}", "token issued")
    console.print(f"token {token_id} for {name} (shown once):")
    sys.stdout.write(token + "\n")


@user_app.command("revoke-token")
def user_revoke_token(token_id: str, reason: ReasonOption = "revoked") -> None:
    """Revoke an API token at once (administrators)."""
    with _session() as s:
        _admin(s)
        directory.revoke_token(s.store.con, token_id)
        _log(s, "alteration", f"token {token_id}", reason)
    console.print(f"token {token_id} revoked")


# -- grants --------------------------------------------------------------------------------------
@share_app.command("grant")
def share_grant(
    to: Annotated[str, typer.Option("--to", help="The agency (or, with --group, the group)")],
    reason: Annotated[str, typer.Option("--reason", help="Why (the disclosure record)")],
    group: Annotated[bool, typer.Option("--group", help="--to names a sharing group")] = False,
    source: Annotated[str | None, typer.Option(help="Only this source [default: all]")] = None,
    victim_details: Annotated[bool, typer.Option(
        "--victim-details", help="Do not redact victims' and witnesses' identifying details"
    )] = False,
    as_json: JsonOption = False,
) -> None:
    """Share your agency's statements with another agency or a sharing group."""
    with _session() as s:
        row = directory.grant(s.store.con, s.reader, to, reason, source, victim_details,
                              group)
        _log(s, "disclosure", f"grant {row.id}: {source or 'all sources'}", reason, (to,),
             {"victim_details": victim_details, "group": group})
    if as_json:
        _json(dataclasses.asdict(row))
        return
    console.print(f"grant {row.id}: {row.owner} -> {to} ({source or 'all sources'}"
                  f"{', victim details' if victim_details else ''})")


@share_app.command("revoke")
def share_revoke(grant_id: str, reason: ReasonOption = "revoked") -> None:
    """Withdraw a grant; it stops working at once."""
    with _session() as s:
        row = directory.revoke_grant(s.store.con, s.reader, grant_id, reason)
        _log(s, "alteration", f"grant {grant_id} revoked", reason, (row.recipient,))
    console.print(f"grant {grant_id} revoked")


@share_app.command("grants")
def share_grants(as_json: JsonOption = False) -> None:
    """Grants your agency made and grants that reach it."""
    with _session(read_only=True) as s:
        made = directory.grants(s.store.con, owner=s.scope.agency)
        received = directory.grants(s.store.con, recipient_agency=s.scope.agency)
    rows = [{**dataclasses.asdict(g), "direction": d} for d, gs in
            (("made", made), ("received", received)) for g in gs]
    if as_json:
        _json(rows)
        return
    table = Table(title=f"{len(made)} made, {len(received)} received", title_justify="left")
    for column in ("id", "direction", "owner", "recipient", "source", "victim details",
                   "granted by", "reason"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(r["id"], r["direction"], r["owner"], r["recipient"], r["source"] or "all",
                      "yes" if r["victim_details"] else "no", r["granted_by"], r["reason"])
    console.print(table)


# -- packages and keys ------------------------------------------------------------------------
def package_statements(s: Session, recipient_scope: Scope) -> list[Statement]:
    """What the recipient may see and the exporting user may see too (nobody passes on
    what they cannot read), the more redacted of the two versions of each value; Europol
    H2 statements of other owners are never re-disseminated."""
    seen: set[str] = set()
    redacted: dict[str, Statement] = {}  # the exporter's own view, where it is redacted
    for group in s.store.iter_entities(s.scope):
        for st in group:
            seen.add(st.id)
            if st.value == REDACTED:
                redacted[st.id] = st
    return [redacted.get(st.id, st)
            for group in s.store.iter_entities(recipient_scope) for st in group
            if st.id in seen and (st.owner == s.scope.agency
                                  or st.handling != REDISSEMINATION_FORBIDDEN)]


@share_app.command("export")
def share_export(
    to: Annotated[str, typer.Option("--to", help="The receiving agency")],
    out: Annotated[Path, typer.Option("--out", help="The package file to write")],
    reason: Annotated[str, typer.Option("--reason", help="Why (the disclosure record)")],
    clearance: Annotated[Clearance, typer.Option(
        help="Highest classification the recipient is accredited for")
    ] = Clearance.OFFICIAL_SENSITIVE,
) -> None:
    """Write a signed package of exactly what AGENCY may see of your data here."""
    with _session(read_only=True) as s:
        s.reader.require(Role.SUPERVISOR, Role.ADMINISTRATOR)
        if to not in directory.agencies(s.store.con):
            raise DirectoryError(f"no agency {to}")
        recipient = agency_scope(s.store.con, to, clearance)
        # Only what the exporter sees too, so never above the exporter's clearance.
        info = write_package(out, package_statements(s, recipient), s.scope.agency, to,
                             keys.load_or_create(s.workspace.path), note=reason)
        _log(s, "disclosure", f"package {out.name} ({info.statements} statements)", reason,
             (to,), {"sha256": info.file_sha256, "entities": info.entities})
    console.print(f"wrote {info.statements} statements about {info.entities} entities for "
                  f"{to} to {out} (signed by key {info.key_id})")


@share_app.command("import")
def share_import(
    package: Annotated[Path, typer.Argument(help="The package file")],
    reason: ReasonOption = "partner package",
) -> None:
    """Verify a package against the trusted keys and import it, the sender as owner."""
    with _session() as s:
        s.reader.require(Role.ANALYST, Role.SUPERVISOR, Role.ADMINISTRATOR)
        loaded = read_package(package, trust.trusted(s.store.con))
        report = import_package(s.store, loaded, s.scope.agency, s.scope.user)
        directory.record_received(s.store.con, report.sender, s.scope.agency,
                                  [st.source for st in loaded.statements],
                                  loaded.info.file_sha256[:16], s.scope.user)
        _log(s, "collection", f"package {package.name} from {report.sender}", reason,
             detail={"added": report.statements_added, "sha256": loaded.info.file_sha256})
    console.print(f"imported {report.statements_added} new statements ({report.statements_read}"
                  f" read) from {report.sender}, owned by {report.sender}")


@share_app.command("trust")
def share_trust(agency: str, public_key: Annotated[str, typer.Argument(
        help="The partner's public key (base64, from `pinchpoint share key`)")],
                note: Annotated[str, typer.Option(help="How the key was obtained")] = "") -> None:
    """Trust a partner's package signing key (administrators)."""
    with _session() as s:
        _admin(s)
        entry = trust.trust(s.store.con, agency, public_key, s.scope.user, note)
        _log(s, "alteration", f"trusted key {entry.key_id} of {agency}", note or "key trusted")
    console.print(f"trusting key {entry.key_id} for {agency}")


@share_app.command("key")
def share_key() -> None:
    """Print this workspace's public signing key (give it to partners)."""
    with _session(read_only=True) as s:
        key = keys.load_or_create(s.workspace.path)
    sys.stdout.write(keys.public_text(key.public_key()) + "\n")
