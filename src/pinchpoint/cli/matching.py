"""`pinchpoint match`: hit/no-hit between agencies (docs/matching.md).

Thin wrappers around `pinchpoint.matching.workflow`: a filter of one's shareable people
for a sharing group, a check of one's own people against a partner's filter, a request
about a hit, the owner's answer, and the group keys. Every step writes its audit entries
(both sides' where both agencies are in this workspace).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from pinchpoint.cli.common import (
    REFUSALS,
    JsonOption,
    Session,
    console,
    print_json,
    session,
    table,
)
from pinchpoint.matching import group_keys, records
from pinchpoint.matching.filters import DEFAULT_RATE
from pinchpoint.matching.identifiers import KINDS
from pinchpoint.matching.workflow import (
    MatchError,
    Step,
    answer,
    check_filter,
    make_filter,
    make_request,
    receive,
)
from pinchpoint.model.reader import Clearance, Role

match_app = typer.Typer(help="Hit/no-hit: who else knows a person, without showing data.",
                        no_args_is_help=True)
key_app = typer.Typer(help="The sharing groups' matching keys.", no_args_is_help=True)
match_app.add_typer(key_app, name="key")

NeededReason = Annotated[str, typer.Option("--reason", help="Why (kept in the audit log)")]


def _kinds(text: str | None) -> list[str]:
    chosen = [k.strip() for k in (text or ",".join(KINDS)).split(",") if k.strip()]
    unknown = sorted(set(chosen) - set(KINDS))
    if unknown or not chosen:
        raise MatchError(f"unknown kinds {', '.join(unknown) or '(none)'}; choose from "
                         f"{', '.join(KINDS)}")
    return chosen


def _write(s: Session, steps: Sequence[Step]) -> None:
    for step in steps:
        step.write(s.workspace.path)


@match_app.command("filter")
def match_filter(
    group: Annotated[str, typer.Option("--group", help="The sharing group")],
    out: Annotated[Path, typer.Option("--out", help="The filter file to write")],
    reason: NeededReason,
    kinds: Annotated[str | None, typer.Option(
        help=f"Comma-separated kinds [default: all of {','.join(KINDS)}]")] = None,
    rate: Annotated[float, typer.Option(help="False-positive rate")] = DEFAULT_RATE,
    clearance: Annotated[Clearance, typer.Option(
        help="Highest classification the group is accredited for")
    ] = Clearance.OFFICIAL_SENSITIVE,
    victim_details: Annotated[bool, typer.Option(
        "--victim-details", help="Include victims' and witnesses' identifiers")] = False,
) -> None:
    """Write a filter of your shareable people's identifiers for a sharing group."""
    with session(kinds=REFUSALS) as s:
        info, steps = make_filter(s.store, s.scope, s.workspace.path, group, out, reason,
                                  _kinds(kinds), rate, clearance, victim_details)
        _write(s, steps)
    console.print(f"wrote {out}: {info.items} keyed digests ({', '.join(info.kinds)}) for "
                  f"{group} under key {info.key_id}; false positives about "
                  f"{info.expected_rate:.1e}")


@match_app.command("check")
def match_check(
    filter_file: Annotated[Path, typer.Argument(help="A partner's filter file")],
    reason: NeededReason = "checking a partner's match filter",
    kinds: Annotated[str | None, typer.Option(help="Only these kinds")] = None,
    weak: Annotated[bool, typer.Option(
        "--weak", help="Also list a name alone where one side has no birth year")] = False,
    as_json: JsonOption = False,
) -> None:
    """Check your own people against a partner's filter, here; the hits are kept."""
    with session(kinds=REFUSALS) as s:
        checked, steps = check_filter(s.store, s.scope, s.workspace.path,
                                      filter_file.read_bytes(), reason,
                                      _kinds(kinds) if kinds else None, weak)
        _write(s, steps)
    if as_json:
        print_json([h.as_json() for h in checked.hits])
        return
    listed = table(f"{len(checked.hits)} of your {checked.people} people hit "
                   f"{checked.info.sender}'s filter", "entity", "label", "kinds", "strength",
                   right=("strength",))
    for hit in checked.hits:
        listed.add_row(hit.entity, hit.label, ", ".join(hit.kinds), f"{hit.strength:.2f}")
    console.print(listed)
    if not checked.names_comparable:
        console.print("[yellow]the sender's name keys differ from this instance's: name hits "
                      "may be missed[/yellow]")


@match_app.command("request")
def match_request(
    owner: Annotated[str, typer.Option("--to", help="The filter's owner agency")],
    reason: NeededReason,
    entity: Annotated[list[str] | None, typer.Option(
        "--entity", help="Only hits of these entities [default: all hits]")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Also write the signed request file (for an owner elsewhere)")] = None,
) -> None:
    """Ask a filter's owner about your hits on its filter."""
    with session(kinds=REFUSALS) as s:
        row, document, steps = make_request(s.store, s.scope, s.workspace.path, owner,
                                            reason, entity)
        _write(s, steps)
    if out is not None:
        out.write_bytes(document)
    console.print(f"request {row.id} to {owner}: {len(row.items)} hits"
                  + (f"; written to {out}" if out else ""))


@match_app.command("receive")
def match_receive(
    file: Annotated[Path, typer.Argument(help="A request or answer file")],
    reason: NeededReason = "match request or answer received",
) -> None:
    """Take a partner's request (you own the filter) or an owner's answer."""
    with session(kinds=REFUSALS) as s:
        row, steps = receive(s.store, s.scope, s.workspace.path, file.read_bytes(), reason)
        _write(s, steps)
    if row.requester == s.scope.agency:
        console.print(f"request {row.id}: {row.owner} {row.status} it")
        return
    found = sum(bool(v) for v in row.matches.values())
    console.print(f"request {row.id} from {row.requester}: {found} of {len(row.items)} "
                  "items match your people")


@match_app.command("answer")
def match_answer(
    request_id: Annotated[str, typer.Argument(help="The request")],
    reason: NeededReason,
    disclose: Annotated[bool, typer.Option(
        "--disclose/--decline", help="Share the matched people, or decline")] = False,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Where to write the answer (and, disclosing to an agency elsewhere, "
        "the package beside it)")] = None,
) -> None:
    """Answer a request about your filter: disclose the matched people, or decline."""
    with session(kinds=REFUSALS) as s:
        package = out.with_suffix(".package.zip") if out is not None else None
        row, document, steps = answer(s.store, s.scope, s.workspace.path, request_id,
                                      disclose, reason, package)
        _write(s, steps)
    if out is not None:
        out.write_bytes(document)
    shared = (row.answer or {}).get("shared", {})
    console.print(f"request {row.id}: {row.status}"
                  + (f"; sources granted: {', '.join(shared['grants'])}"
                     if shared.get("grants") else "")
                  + (f"; package {package}" if shared.get("package") else "")
                  + (f"; answer written to {out}" if out else ""))


@match_app.command("requests")
def match_requests(as_json: JsonOption = False) -> None:
    """Requests your agency sent and received."""
    with session(read_only=True, kinds=REFUSALS) as s:
        rows = records.requests_of(s.store.con, s.scope.agency)
        agency = s.scope.agency
    out = [{"id": r.id, "side": r.side(agency), "requester": r.requester, "owner": r.owner,
            "group": r.group, "created_at": r.created_at, "status": r.status,
            "reason": r.reason, "items": len(r.items),
            "matched": sum(bool(v) for v in r.matches.values()) if r.owner == agency
            else None} for r in rows]
    if as_json:
        print_json(out)
        return
    listed = table(f"{len(out)} requests", "id", "side", "requester", "owner", "items",
                   "status", "reason")
    for r in out:
        listed.add_row(str(r["id"]), str(r["side"]), str(r["requester"]), str(r["owner"]),
                       str(r["items"]), str(r["status"]), str(r["reason"]))
    console.print(listed)


# -- keys ------------------------------------------------------------------------------------
@key_app.command("show")
def key_show(group: Annotated[str, typer.Option("--group")], as_json: JsonOption = False
             ) -> None:
    """The group's keys held here (ids and dates, never the key)."""
    with session(read_only=True, kinds=REFUSALS) as s:
        s.reader.require(Role.SUPERVISOR, Role.ADMINISTRATOR)
        found = group_keys.keys_of(s.store.con, group)
    rows = [{"key_id": k.key_id, "created_at": k.created_at, "created_by": k.created_by,
             "current": k.current} for k in found]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        console.print(f"{r['key_id']}  {r['created_at']}  {r['created_by']}"
                      f"{'  (current)' if r['current'] else '  (retired)'}")


@key_app.command("rotate")
def key_rotate(group: Annotated[str, typer.Option("--group")], reason: NeededReason) -> None:
    """Replace the group's key: filters made under the old one are refused from now."""
    with session(kinds=REFUSALS) as s:
        s.reader.require(Role.ADMINISTRATOR)
        key = group_keys.rotate(s.store.con, group, s.scope.user)
        s.record("alteration", f"matching key of {group} rotated to {key.key_id}", reason,
                 detail={"group": group, "key_id": key.key_id})
    console.print(f"{group}: new matching key {key.key_id}")


@key_app.command("export")
def key_export(group: Annotated[str, typer.Option("--group")],
               out: Annotated[Path, typer.Option("--out")], reason: NeededReason) -> None:
    """Write the group's current key for a member agency on another instance (a secret:
    whoever holds it can test values against the group's filters)."""
    with session(kinds=REFUSALS) as s:
        s.reader.require(Role.ADMINISTRATOR)
        key = group_keys.current_or_new(s.store.con, group, s.scope.user)
        out.touch(mode=0o600)
        out.write_text(group_keys.export_text(key), encoding="utf-8")
        s.record("disclosure", f"matching key {key.key_id} of {group} exported", reason,
                 (group,), {"key_id": key.key_id})
    console.print(f"wrote {group}'s key {key.key_id} to {out}; keep it secret")


@key_app.command("import")
def key_import(file: Annotated[Path, typer.Argument()], reason: NeededReason) -> None:
    """Hold a group key exported by another instance's administrator."""
    with session(kinds=REFUSALS) as s:
        s.reader.require(Role.ADMINISTRATOR)
        key = group_keys.import_text(s.store.con, file.read_text(encoding="utf-8"),
                                     s.scope.user)
        s.record("collection", f"matching key {key.key_id} of {key.group} imported", reason,
                 detail={"key_id": key.key_id})
    console.print(f"holding {key.group}'s key {key.key_id}")


