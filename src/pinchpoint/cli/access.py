"""`pinchpoint agency | user`: partner agencies, sharing groups, users and tokens.

Thin wrappers around `pinchpoint.access.directory` and `pinchpoint.access.accounts`.
Administrators add agencies, groups, users and tokens, and disable, enable and change
users; anyone may list what concerns their own agency. Every change is written to the
audit log. While `pinchpoint serve` holds the workspace, make these changes through its
admin API (`/api/admin/...`, `/api/users/...`): they then apply to the server's next
request. The rules are the library's (`pinchpoint.access.administration`), the API's too.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from pinchpoint.access import accounts, administration, directory
from pinchpoint.cli.common import (
    REFUSALS,
    JsonOption,
    ReasonOption,
    Session,
    console,
    print_json,
    session,
)
from pinchpoint.model.reader import Clearance, Role

agency_app = typer.Typer(help="Partner agencies and sharing groups.", no_args_is_help=True)
user_app = typer.Typer(help="Users, roles, clearances and API tokens.", no_args_is_help=True)


@contextmanager
def _admin_session(read_only: bool = False) -> Iterator[Session]:
    """A session of an administrator; anyone else is refused."""
    with session(read_only, kinds=REFUSALS) as s:
        s.reader.require(Role.ADMINISTRATOR)
        yield s


def _print_rows(rows: list[dict[str, Any]], as_json: bool) -> None:
    """JSON, or one line per row with its values (lists joined) two spaces apart."""
    if as_json:
        print_json(rows)
        return
    for row in rows:
        console.print("  ".join(", ".join(v) if isinstance(v, list) else str(v)
                                for v in row.values()))


# -- agencies ----------------------------------------------------------------------------------
@agency_app.command("add")
def agency_add(name: str, title: Annotated[str, typer.Option(help="Full name")] = "",
               group: Annotated[list[str] | None, typer.Option(
                   "--group", help="Sharing groups it belongs to (repeatable)")] = None
               ) -> None:
    """Add a partner agency (administrators)."""
    with _admin_session() as s:
        administration.add_agency(s.store.con, s.reader, name, title, group or [])
        s.record("alteration", f"agency {name}", "agency added", detail={"groups": group or []})
    console.print(f"agency {name} added" + (f" to {', '.join(group)}" if group else ""))


@agency_app.command("join")
def agency_join(name: str, group: str) -> None:
    """Put an agency in a sharing group (administrators)."""
    with _admin_session() as s:
        administration.join_group(s.store.con, s.reader, name, group)
        s.record("alteration", f"agency {name}", f"joined sharing group {group}")
    console.print(f"{name} is in sharing group {group}")


@agency_app.command("list")
def agency_list(as_json: JsonOption = False) -> None:
    """Agencies and their sharing groups."""
    with session(read_only=True, kinds=REFUSALS) as s:
        rows = [dataclasses.asdict(a) for a in administration.agencies(s.store.con)]
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
        "--password-stdin", help="Read a password from standard input (for the web app; "
        "at least 12 characters, not the user's name, not a common one)")] = False,
) -> None:
    """Add a user (administrators: to their own agency; the workspace's own agency's
    administrators to any)."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    with _admin_session() as s:
        administration.add_user(s.store.con, s.reader, s.workspace.agency, name, agency,
                                role, clearance, password)
        s.record("alteration", f"user {name}", "user added",
                 detail={"agency": agency, "role": role.value, "clearance": clearance.value})
    console.print(f"user {name}: {role.value} of {agency}, cleared to {clearance.value}")


def _read_password(from_stdin: bool) -> str:
    """A password from standard input (one line) or typed twice at a hidden prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("New password", hide_input=True, confirmation_prompt=True))


PasswordStdin = Annotated[bool, typer.Option(
    "--password-stdin", help="Read the password from standard input (else: a hidden prompt)")]


@user_app.command("list")
def user_list(as_json: JsonOption = False) -> None:
    """Users of your agency (administrators see all)."""
    with session(read_only=True, kinds=REFUSALS) as s:
        everyone = s.scope.role == Role.ADMINISTRATOR
        readers = directory.users(s.store.con, None if everyone else s.scope.agency)
    rows = [{"name": r.user, "agency": r.agency, "role": r.role.value,
             "clearance": r.clearance.value} for r in readers]
    _print_rows(rows, as_json)


@user_app.command("token")
def user_token(name: str, note: Annotated[str, typer.Option(help="What it is for")] = "") -> None:
    """Issue an API token for a user (administrators); shown once."""
    with _admin_session() as s:
        token_id, token = directory.issue_token(s.store.con, name, note)
        s.record("alteration", f"token {token_id} of {name}", "token issued")
    console.print(f"token {token_id} for {name} (shown once):")
    sys.stdout.write(token + "\n")


@user_app.command("revoke-token")
def user_revoke_token(token_id: str, reason: ReasonOption = "revoked") -> None:
    """Revoke an API token at once (administrators)."""
    with _admin_session() as s:
        directory.revoke_token(s.store.con, token_id)
        s.record("alteration", f"token {token_id}", reason)
    console.print(f"token {token_id} revoked")


# -- the account life cycle (`pinchpoint.access.accounts`) ---------------------------------------
def _account_change(name: str, what: str, reason: str,
                    change: Callable[[Session], object]) -> None:
    """Make one account change as an administrator, log it, and say what was done."""
    with _admin_session() as s:
        result = change(s)
        detail = {"result": result} if isinstance(result, (int, str)) else None
        s.record("alteration", f"user {name}: {what}", reason, detail=detail)
    revoked = f" ({result} token(s) revoked)" if isinstance(result, int) else ""
    console.print(f"user {name}: {what}{revoked}")


@user_app.command("disable")
def user_disable(name: str, reason: ReasonOption = "disabled") -> None:
    """Disable a user and revoke their tokens (administrators)."""
    _account_change(name, "disabled", reason,
                    lambda s: accounts.disable(s.store.con, s.reader, s.workspace.agency, name))


@user_app.command("enable")
def user_enable(name: str, reason: ReasonOption = "enabled") -> None:
    """Let a disabled user log in again (administrators); old tokens stay revoked."""
    _account_change(name, "enabled", reason,
                    lambda s: accounts.enable(s.store.con, s.reader, s.workspace.agency, name))


@user_app.command("passwd")
def user_passwd(name: str, password_stdin: PasswordStdin = False,
                reason: ReasonOption = "password changed") -> None:
    """Set a user's password (administrators); every token of theirs is revoked."""
    password = _read_password(password_stdin)
    _account_change(name, "password changed", reason, lambda s: accounts.set_password(
        s.store.con, s.reader, s.workspace.agency, name, password))


@user_app.command("set-role")
def user_set_role(name: str, role: Role, reason: ReasonOption = "role changed") -> None:
    """Change a user's role (administrators); applies from their next request."""
    _account_change(name, f"role {role.value}", reason, lambda s: accounts.set_role(
        s.store.con, s.reader, s.workspace.agency, name, role).value)


@user_app.command("set-clearance")
def user_set_clearance(name: str, clearance: Clearance,
                       reason: ReasonOption = "clearance changed") -> None:
    """Change a user's clearance (administrators); applies from their next request."""
    _account_change(name, f"clearance {clearance.value}", reason,
                    lambda s: accounts.set_clearance(s.store.con, s.reader,
                                                     s.workspace.agency, name,
                                                     clearance).value)


@user_app.command("revoke-tokens")
def user_revoke_tokens(name: str, reason: ReasonOption = "tokens revoked") -> None:
    """Revoke every active token of a user at once (administrators)."""
    _account_change(name, "tokens revoked", reason, lambda s: accounts.revoke_tokens(
        s.store.con, s.reader, s.workspace.agency, name))
