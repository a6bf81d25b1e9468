"""`pinchpoint share`: grants, signed packages and trusted keys between agencies.

Thin wrappers around `pinchpoint.access.directory` (grants) and `pinchpoint.sharing`
(packages, trust). Supervisors and administrators grant, revoke and export shares of
their own agency's data; administrators manage trusted keys. Every grant, export and
import is written to the audit log (disclosure or collection, with recipients and
reason).
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Annotated

import typer

from pinchpoint.access import administration, directory, journal, keys
from pinchpoint.access.directory import DirectoryError
from pinchpoint.access.entitlements import agency_scope
from pinchpoint.cli.common import (
    REFUSALS,
    JsonOption,
    ReasonOption,
    console,
    print_json,
    session,
    table,
)
from pinchpoint.model.reader import Clearance, Role
from pinchpoint.sharing import heads, trust
from pinchpoint.sharing.disclosure import package_statements
from pinchpoint.sharing.package import read_package, write_package
from pinchpoint.sharing.receive import import_package

share_app = typer.Typer(help="Share intelligence: grants, signed packages, trusted keys.",
                        no_args_is_help=True)


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
    with session(kinds=REFUSALS) as s:
        row = directory.grant(s.store.con, s.reader, to, reason, source, victim_details,
                              group)
        s.record("disclosure", f"grant {row.id}: {source or 'all sources'}", reason, (to,),
                 {"victim_details": victim_details, "group": group})
    if as_json:
        print_json(dataclasses.asdict(row))
        return
    console.print(f"grant {row.id}: {row.owner} -> {to} ({source or 'all sources'}"
                  f"{', victim details' if victim_details else ''})")


@share_app.command("revoke")
def share_revoke(grant_id: str, reason: ReasonOption = "revoked") -> None:
    """Withdraw a grant; it stops working at once."""
    with session(kinds=REFUSALS) as s:
        row = directory.revoke_grant(s.store.con, s.reader, grant_id, reason)
        s.record("alteration", f"grant {grant_id} revoked", reason, (row.recipient,))
    console.print(f"grant {grant_id} revoked")


@share_app.command("grants")
def share_grants(as_json: JsonOption = False) -> None:
    """Grants your agency made and grants that reach it."""
    with session(read_only=True, kinds=REFUSALS) as s:
        found = administration.grants_of(s.store.con, s.scope.agency)
    rows = [{**dataclasses.asdict(g), "direction": d} for d, g in found]
    if as_json:
        print_json(rows)
        return
    made = sum(d == "made" for d, _g in found)
    listed = table(f"{made} made, {len(found) - made} received", "id", "direction", "owner",
                   "recipient", "source", "victim details", "granted by", "reason")
    for r in rows:
        listed.add_row(r["id"], r["direction"], r["owner"], r["recipient"], r["source"] or "all",
                       "yes" if r["victim_details"] else "no", r["granted_by"], r["reason"])
    console.print(listed)


# -- packages and keys ------------------------------------------------------------------------
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
    with session(read_only=True, kinds=REFUSALS) as s:
        s.reader.require(Role.SUPERVISOR, Role.ADMINISTRATOR)
        if to not in directory.agencies(s.store.con):
            raise DirectoryError(f"no agency {to}")
        recipient = agency_scope(s.store.con, to, clearance)
        # Only what the exporter sees too, so never above the exporter's clearance.
        info = write_package(out, package_statements(s.store, s.scope, recipient),
                             s.scope.agency, to, keys.signing_key(s.workspace.path),
                             note=reason, audit_head=journal.latest_head(s.workspace.path))
        s.record("disclosure", f"package {out.name} ({info.statements} statements)", reason,
                 (to,), {"sha256": info.file_sha256, "entities": info.entities})
    console.print(f"wrote {info.statements} statements about {info.entities} entities for "
                  f"{to} to {out} (signed by key {info.key_id})")


@share_app.command("import")
def share_import(
    package: Annotated[Path, typer.Argument(help="The package file")],
    reason: ReasonOption = "partner package",
) -> None:
    """Verify a package against the trusted keys and import it, the sender as owner."""
    with session(kinds=REFUSALS) as s:
        s.reader.require(Role.ANALYST, Role.SUPERVISOR, Role.ADMINISTRATOR)
        loaded = read_package(package, trust.trusted(s.store.con))
        received = heads.receive(s.store, s.scope, loaded.info)  # refuses a shorter log
        report = import_package(s.store, loaded, s.scope.agency, s.scope.user)
        directory.record_received(s.store.con, report.sender, s.scope.agency,
                                  [st.source for st in loaded.statements],
                                  loaded.info.file_sha256[:16], s.scope.user)
        s.record("collection", f"package {package.name} from {report.sender}", reason,
                 detail={"added": report.statements_added, "sha256": loaded.info.file_sha256,
                         "audit_head": received.head.size})
    console.print(f"imported {report.statements_added} new statements ({report.statements_read}"
                  f" read) from {report.sender}, owned by {report.sender}")


@share_app.command("heads")
def share_heads(
    sender: Annotated[str, typer.Option("--from", help="The partner agency")],
    as_json: JsonOption = False,
) -> None:
    """The partner's signed audit heads received in its packages (auditors and
    administrators): give them to the partner's auditor for `audit verify --trusted`."""
    with session(read_only=True, kinds=REFUSALS) as s:
        s.reader.require(Role.AUDITOR, Role.ADMINISTRATOR)
        found = heads.held(s.store, s.scope, sender)
    if as_json:
        print_json(found)
        return
    listed = table(f"{len(found)} audit heads of {sender}", "size", "at", "key id", "root",
                   "received", right=("size",))
    for h in found:
        listed.add_row(str(h["size"]), h["at"], h["key_id"], h["root"], h["received_at"])
    console.print(listed)


@share_app.command("trust")
def share_trust(agency: str, public_key: Annotated[str, typer.Argument(
        help="The partner's public key (base64, from `pinchpoint share key`)")],
                note: Annotated[str, typer.Option(help="How the key was obtained")] = "") -> None:
    """Trust a partner's package signing key (administrators)."""
    with session(kinds=REFUSALS) as s:
        s.reader.require(Role.ADMINISTRATOR)
        entry = trust.trust(s.store.con, agency, public_key, s.scope.user, note)
        s.record("alteration", f"trusted key {entry.key_id} of {agency}", note or "key trusted")
    console.print(f"trusting key {entry.key_id} for {agency}")


@share_app.command("key")
def share_key() -> None:
    """Print this workspace's public signing key (give it to partners)."""
    with session(read_only=True, kinds=REFUSALS) as s:
        key = keys.signing_key(s.workspace.path)
    sys.stdout.write(keys.public_text(key.public_key()) + "\n")
