"""The account life cycle: disable and enable a user, change a password, role or
clearance, revoke a user's tokens, and slow down whoever guesses passwords.

Administrators make these changes, for users of their own agency (an administrator of
the workspace's own agency, `home`, for any agency's, as they add them). Each takes
effect on the very next request: a disabled user's tokens are revoked (and a disabled
user's token would be refused anyway: `directory.reader` skips disabled users); a new
password revokes every token issued under the old one; a new role or clearance keeps
the tokens but the scope is built afresh from the user's row (the API clears the
scopes it remembers after every write it makes).

Failed logins are counted per user name (`LoginGuard`, in the server's memory): after
`FREE_FAILURES` in a row the name is locked for 1 s, doubling with each further failure
up to `MAX_LOCK`, whether or not the name exists (a lock must not tell that either).
A success clears the count. The API also counts failures per client address, with
more room (`CLIENT_FREE_FAILURES`: an office behind one address shares it), so one
client trying one password on many names is slowed down too; a success does not clear
a client's count.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from pinchpoint.access import directory
from pinchpoint.access.passwords import check_password
from pinchpoint.model.reader import AccessError, Clearance, Reader, Role
from pinchpoint.store import directory as store_directory
from pinchpoint.store.database import Connection
from pinchpoint.store.directory import DirectoryError

__all__ = [
    "CLIENT_FREE_FAILURES", "FREE_FAILURES", "MAX_LOCK", "LockedOut", "LoginGuard",
    "agency_of", "authenticate", "disable", "enable", "revoke_tokens", "set_clearance",
    "set_password", "set_role",
]

FREE_FAILURES = 5
CLIENT_FREE_FAILURES = 30
MAX_LOCK = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=1)  # a count left this long after its lock starts again
E = TypeVar("E", Role, Clearance)
MAX_TRACKED = 10_000  # names counted at once: guessing random names cannot fill memory


class LockedOut(AccessError):
    """Too many failed logins for a name: refused, without checking, until `until`."""

    def __init__(self, until: datetime, now: datetime) -> None:
        self.retry_after = max(1, int((until - now).total_seconds() + 0.999))
        super().__init__(f"too many failed logins; try again in {self.retry_after} s")


@dataclass
class LoginGuard:
    """Failed logins per user name (or client address), and the lock they earn after
    `free` failures in a row (see the module's notes)."""

    clock: Callable[[], datetime] = store_directory.now
    free: int = FREE_FAILURES
    _failures: OrderedDict[str, tuple[int, datetime]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, name: str) -> None:
        """Refuse a locked name (`LockedOut`)."""
        now = self.clock()
        with self._lock:
            count, until = self._failures.get(name, (0, now))
            if now - until > FORGET_AFTER:
                self._failures.pop(name, None)
            elif count >= self.free and now < until:
                raise LockedOut(until, now)

    def failed(self, name: str) -> None:
        now = self.clock()
        with self._lock:
            count = self._failures.pop(name, (0, now))[0] + 1
            lock = timedelta(seconds=2 ** min(20, max(0, count - self.free)))
            until = now + min(lock, MAX_LOCK) if count >= self.free else now
            self._failures[name] = (count, until)
            while len(self._failures) > MAX_TRACKED:
                self._failures.popitem(last=False)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name, None)


def authenticate(con: Connection, guard: LoginGuard, name: str,
                 password: str, client: tuple[LoginGuard, str] | None = None) -> Reader:
    """`directory.login` behind the guards: a locked name or client (a guard and an
    address) is refused at once (`LockedOut`), a failure counts against both, a success
    clears the name's count."""
    if client is not None:
        client[0].check(client[1])
    guard.check(name)
    try:
        found = directory.login(con, name, password)
    except AccessError:
        guard.failed(name)
        if client is not None:
            client[0].failed(client[1])
        raise
    guard.succeeded(name)
    return found


def agency_of(con: Connection, name: str) -> str | None:
    """The agency of user `name` (disabled or not), None for a name nobody has: whose
    audit log a refused login belongs in."""
    row = con.execute("SELECT agency FROM users WHERE name = ?", [name]).fetchall()
    return str(row[0][0]) if row else None


# -- changes (administrators) ------------------------------------------------------------------
def _target(con: Connection, by: Reader, home: str, name: str,
            self_allowed: bool = False) -> str:
    """The agency of user `name` when `by` may change them; refused otherwise."""
    by.require(Role.ADMINISTRATOR)
    agency = agency_of(con, name)
    if agency is None:
        raise DirectoryError(f"no user {name}")
    if by.agency not in (agency, home):
        raise AccessError(f"{by.user} administers {by.agency}'s users, not {agency}'s")
    if name == by.user and not self_allowed:
        raise DirectoryError("administrators cannot disable themselves or change their "
                             "own role or clearance; ask another administrator")
    return agency


def disable(con: Connection, by: Reader, home: str, name: str) -> int:
    """Disable a user and revoke their tokens; how many tokens were revoked."""
    _target(con, by, home, name)
    store_directory.set_disabled(con, name, True)
    return store_directory.revoke_tokens_of(con, name)


def enable(con: Connection, by: Reader, home: str, name: str) -> None:
    """Let a disabled user log in again (their old tokens stay revoked)."""
    _target(con, by, home, name)
    store_directory.set_disabled(con, name, False)


def set_password(con: Connection, by: Reader, home: str, name: str,
                 password: str) -> int:
    """A new password (`passwords.check_password`); every token of the user is revoked.
    Returns how many were."""
    _target(con, by, home, name, self_allowed=True)
    check_password(name, password)
    store_directory.set_user_field(con, name, "password_hash",
                                   directory.hash_password(password))
    return store_directory.revoke_tokens_of(con, name)


def set_role(con: Connection, by: Reader, home: str, name: str,
             role: Role | str) -> Role:
    """A new role, from the user's next request (their tokens keep working)."""
    return _set(con, by, home, name, "role", _parsed(Role, role))


def set_clearance(con: Connection, by: Reader, home: str, name: str,
                  clearance: Clearance | str) -> Clearance:
    """A new clearance, from the user's next request (their tokens keep working)."""
    return _set(con, by, home, name, "clearance", _parsed(Clearance, clearance))


def _set(con: Connection, by: Reader, home: str, name: str, column: str,
         value: E) -> E:
    _target(con, by, home, name)
    store_directory.set_user_field(con, name, column, value.value)
    return value


def revoke_tokens(con: Connection, by: Reader, home: str, name: str) -> int:
    """Revoke every active token of a user (an administrator may revoke their own)."""
    _target(con, by, home, name, self_allowed=True)
    return store_directory.revoke_tokens_of(con, name)


def _parsed(kind: type[E], value: E | str) -> E:
    try:
        return kind(value)
    except ValueError:
        raise DirectoryError(f"{value!r} is not one of "
                             f"{', '.join(v.value for v in kind)}") from None
