"""What every request shares: the workspace, one DuckDB database per app, who is asking.

DuckDB refuses a read-only connection to a file this process already holds read-write
(measured: "Can't open a connection to same database file with a different
configuration"), and a fresh read-only open costs about 35 ms. So each app keeps one
read-write connection (`AppState.anchor`) and every request works on a cursor of it
(its own connection to the same database, about 1 ms); writes are serialised by
`AppState.write_lock`. Ingest opens the store itself with the same configuration and
so joins the same database.

`session` is the one dependency that turns a bearer token into a scope: every `/api/`
route but login takes it (`tests/api/test_routes_scoped.py`), so no route can read
without a scope. It also writes the consultation of every GET to the audit log.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import orjson
from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from pinchpoint.access import accounts, bounds, directory, journal
from pinchpoint.access.audit import AuditError, AuditLog, Pending
from pinchpoint.access.bounds import PurposeError
from pinchpoint.access.entitlements import scope_for
from pinchpoint.api import cache
from pinchpoint.api.answers import json_body
from pinchpoint.api.audit_gate import hold_until_logged
from pinchpoint.api.audit_writer import AuditWriter
from pinchpoint.api.listener import Listener
from pinchpoint.model.reader import AccessError, Reader, Role
from pinchpoint.store import Scope, Workspace
from pinchpoint.store import directory as store_directory
from pinchpoint.store.database import Connection
from pinchpoint.store.postgres_store import ACCOUNT_TABLES
from pinchpoint.store.sql_store import SqlStore

WARM_JOIN_SECONDS = 120.0
MAX_WARMED_TOKENS = 100_000  # forgotten all at once past this (a scope is warmed again)
log = logging.getLogger(__name__)
bearer = HTTPBearer(auto_error=False, description="A token from POST /api/login")


@dataclass
class AppState:
    """One per app: the workspace, the database it holds open, locks, the callers seen
    since the last write and the audit writer (derived data: `pinchpoint.api.cache`);
    how long a token works, the clock it is measured by and the guard against password
    guessing (`pinchpoint.access.accounts`)."""

    workspace: Workspace
    small_boats: Path | None = None
    token_lifetime: timedelta = directory.TOKEN_LIFETIME
    clock: Callable[[], datetime] = store_directory.now
    guard: accounts.LoginGuard = field(default_factory=accounts.LoginGuard)
    client_guard: accounts.LoginGuard = field(default_factory=lambda: accounts.LoginGuard(
        free=accounts.CLIENT_FREE_FAILURES))
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    audit_lock: threading.Lock = field(default_factory=threading.Lock)
    _anchor: Connection | None = None
    _anchor_store: SqlStore | None = None
    _open_lock: threading.Lock = field(default_factory=threading.Lock)
    _callers: dict[str, tuple[Reader, Scope, datetime]] = field(default_factory=dict)
    _generation: int = 0
    _writer: AuditWriter | None = None
    _warming: dict[str, list[tuple[int, threading.Thread]]] = field(default_factory=dict)
    _audit: AuditLog | None = None
    _audit_con: Connection | None = None
    _listener: Listener | None = None
    # Makes a scope's derived data (`routes_network.warm`, set by `create_app`), and the
    # tokens this process has started it for (`who`).
    warmer: Callable[[AppState, Scope], None] | None = None
    _warmed_tokens: set[str] = field(default_factory=set)

    def anchor(self) -> Connection:
        with self._open_lock:
            if self._anchor is None:
                self._anchor_store = self.workspace.open_store()
                # Profiles and neighbourhoods look statements up by entity; a served
                # store keeps an index for that (0.9 s to build on 2.8M statements; it
                # then persists, at some cost to later ingests).
                self._anchor_store.con.execute(
                    "CREATE INDEX IF NOT EXISTS statements_entity_id ON statements (entity_id)")
                self._anchor = self._anchor_store.con
                if self.workspace.database:  # other processes write too: hear them
                    self._listener = Listener(self.workspace.database, self.heard)
                    self._listener.start()
            return self._anchor

    def store(self) -> SqlStore:
        """A store on its own cursor of the app's database (close it after use). The
        cursor (about 1 ms) is opened on the first query: most requests are answered from
        the scope's derived data and never touch the database."""
        return _CursorOnDemand(self.anchor, self.workspace.store_path)

    def warm_up(self, scope: Scope, job: Callable[[], None]) -> None:
        """Run `job` (making a scope's derived data) in a thread of its own, once at a
        time per scope and generation of the cache; a failure is logged, and the request
        that needs the data makes it again and reports the error itself.

        A warm-up begun before the cache's last clear is of no use: what it made before
        the write is dropped, and the rest is not kept (`cache.derived`). So a later
        login of the scope starts one of its own rather than count on it (with the old
        one still running, `GET /api/me` said `prepared: False` after `settle()`)."""
        def run() -> None:
            try:
                job()
            except Exception:
                log.warning("preparing scope %s failed", scope.key(), exc_info=True)

        generation = cache.generation()  # read before `job` reads its own
        with self._open_lock:
            running = [(at, t) for at, t in self._warming.get(scope.key(), ()) if t.is_alive()]
            if any(at == generation for at, _t in running):
                return
            thread = threading.Thread(target=run, name=f"warm {scope.key()}", daemon=True)
            self._warming[scope.key()] = [*running, (generation, thread)]
        thread.start()

    def prepared(self, scope: Scope) -> bool:
        """Whether what `warm_up` makes for `scope` is made (and not dropped since by a
        write): its resolution, statements, search index and, when resolved, network,
        its analysis and its graph for neighbourhoods."""
        held = cache.held(self.store(), scope)
        if not {"resolution", "statements", "search"} <= set(held):
            return False
        return not held["resolution"].resolved or {
            ("analysis", None, None), ("ego-graph", None, None, frozenset())} <= set(held)

    def settle(self, timeout: float = WARM_JOIN_SECONDS) -> None:
        """Wait for the scopes being prepared (`warm_up`)."""
        with self._open_lock:
            warming, self._warming = list(self._warming.values()), {}
        for _at, thread in (pair for threads in warming for pair in threads):
            thread.join(timeout)

    def close(self) -> None:
        self.settle()  # the threads preparing scopes use the database about to be closed
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        with self._open_lock:
            if self._anchor_store is not None:
                self._anchor_store.close()
            self._anchor, self._anchor_store = None, None
        cache.clear()
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        with self.audit_lock:
            if self._audit_con is not None:
                self._audit_con.close()
            self._audit_con, self._audit = None, None

    def heard(self, table: str) -> None:
        """Another process wrote `table` ("": anything): forget whom we knew, and, unless
        only accounts changed, what we derived."""
        if table in ACCOUNT_TABLES:
            self.forget_callers()
        else:
            self.invalidate()

    def invalidate(self) -> None:
        """After any write: derived results, and who sees what, may have changed."""
        self.forget_callers()
        cache.clear()

    def forget_callers(self) -> None:
        """After an account change: each token's reader and scope are read again from
        the directory on its next request (a disabled user, a revoked token or a lowered
        clearance bites at once). What was derived from the statements stays: it is kept
        per scope key, and a key holds the reader's clearance and grants, so a changed
        user finds the data of the scope they now have, never of the one they had. The
        app's count of writes moves on, so a caller read before the change is not kept."""
        with self._open_lock:
            self._callers = {}
            self._generation += 1

    @property
    def generation(self) -> int:
        """How many writes the app has seen (`remember` takes it from before its read)."""
        return self._generation

    def known(self, token: str) -> tuple[Reader, Scope] | None:
        """The caller and scope of a token already seen since the last write, while it
        has not expired (an expired one is forgotten: `who` then refuses it)."""
        known = self._callers.get(token)
        if known is None:
            return None
        if self.clock() >= known[2]:
            self._callers.pop(token, None)
            return None
        return known[0], known[1]

    def who(self, store: SqlStore, token: str) -> tuple[Reader, Scope]:
        """The caller behind a token and their scope, or 401.

        Remembered per token until the next write: grants, users and tokens change only
        through a write, every write this app makes clears it (a logout included), and
        so does every write of another process (on PostgreSQL, heard by
        `pinchpoint.api.listener`; on DuckDB no other process can write the file). So a revoked
        grant or token still bites on the very next request; what is saved is reading the
        directory on every request (a fifth of the server's time under load)."""
        known = self.known(token)
        if known is not None:
            return known
        generation = self.generation
        try:
            reader, expires = self.holder(store, token)
        except AccessError:
            raise UNAUTHENTICATED from None
        scope = scope_for(store.con, reader)
        self.first_seen(token, scope)
        return self.remember(token, reader, scope, generation, expires)

    def first_seen(self, token: str, scope: Scope) -> None:
        """A token this process meets for the first time starts making its scope's
        derived data, as a login does: with many server processes (`serve --workers`),
        the one that answered the login is only one of them."""
        with self._open_lock:
            if token in self._warmed_tokens:
                return
            if len(self._warmed_tokens) > MAX_WARMED_TOKENS:
                self._warmed_tokens.clear()
            self._warmed_tokens.add(token)
        if self.warmer is not None:
            warmer = self.warmer
            self.warm_up(scope, lambda: warmer(self, scope))

    def holder(self, store: SqlStore, token: str) -> tuple[Reader, datetime]:
        """The user of a token and when it expires, by this app's lifetime and clock."""
        return directory.token_holder(store.con, token, self.token_lifetime, self.clock())

    def remember(self, token: str, reader: Reader, scope: Scope, generation: int,
                 expires: datetime) -> tuple[Reader, Scope]:
        """Keep a token's caller and scope until the next write (see `who`) or until it
        expires, unless a write came after `generation` was taken: what was read may be
        out of date."""
        with self._open_lock:
            if generation == self._generation:
                self._callers[token] = (reader, scope, expires)
        return reader, scope

    def audit(self) -> AuditLog:
        """The workspace's audit log, held open for the app's lifetime."""
        if self._audit is None:
            self._audit_con, self._audit = journal.connect(self.workspace.path)
        return self._audit

    def writer(self) -> AuditWriter:
        if self._writer is None:
            with self._open_lock:
                if self._writer is None:
                    self._writer = AuditWriter(self.audit, self.audit_lock)
        return self._writer

    def entry(self, scope: Scope, action: str, what: str, why: str | None,
              detail: dict[str, Any] | None = None, recipients: Sequence[str] = ()
              ) -> Pending:
        return (scope.user, scope.agency, action, what, journal.justification(why),
                tuple(recipients), dict(detail) if detail else None)

    def record(self, scope: Scope, action: str, what: str, why: str | None,
               detail: dict[str, Any] | None = None, recipients: Sequence[str] = ()
               ) -> None:
        """Append an entry (a disclosure names its `recipients`), committed before this
        returns, with the entries of other requests waiting at the same time
        (`pinchpoint.api.audit_writer`)."""
        self.writer().record(self.entry(scope, action, what, why, detail, recipients))


class _CursorOnDemand(SqlStore):
    """A store whose connection is a cursor of the app's one, opened when first used."""

    def __init__(self, anchor: Callable[[], Connection], path: Path) -> None:
        self.path = path
        self._anchor = anchor
        self._con: Connection | None = None

    @property
    def con(self) -> Connection:
        if self._con is None:
            self._con = self._anchor().cursor()
        return self._con

    @con.setter
    def con(self, value: Connection) -> None:
        self._con = value

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None


async def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.pinchpoint
    return state


@dataclass
class Session:
    """One request's view: the store (a cursor), the caller and the caller's scope."""

    app: AppState
    store: SqlStore
    reader: Reader
    scope: Scope
    purpose: str | None
    token: str
    # Read before anything the request derives: what it builds from data read before a
    # later write is not kept for the requests after it (`cache.derived`'s `inputs_at`).
    generation: int = field(default_factory=cache.generation)

    @property
    def workspace(self) -> Workspace:
        return self.app.workspace

    def require(self, *roles: Role) -> None:
        try:
            self.reader.require(*roles)
        except AccessError as exc:
            raise HTTPException(403, str(exc)) from None

    def record(self, action: str, what: str, why: str | None = None,
               detail: dict[str, Any] | None = None, recipients: Sequence[str] = ()
               ) -> None:
        self.app.record(self.scope, action, what, why or self.purpose, detail, recipients)

    def answer(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Response | None:
        """`make()` as a JSON answer, kept for the caller's scope until the next write
        (`cache.answer`); None when `make()` found nothing."""
        body = cache.answer(self.store, self.scope, key, lambda: _encoded(make()))
        return None if body is None else json_body(body)

    async def answer_soon(self, key: tuple[Any, ...], make: Callable[[], Any],
                          quick: bool = False) -> Response | None:
        """`answer` for an async route: a kept answer is returned on the event loop (no
        thread hand-over, the most of a cached request's cost). Otherwise it is made in
        the thread pool, where building derived data may take seconds; but a `quick`
        answer (milliseconds, from derived data alone) is made on the event loop too
        once the scope is prepared (`AppState.prepared`).

        Why on the event loop: Python runs one thread at a time. With the answers made
        in the pool, a server process under 32 clients had on average nearly three
        threads wanting the interpreter and used only two thirds of a core (py-spy of
        every thread, `benchmarks/api.py --profile-waiting`): the hand-overs between
        threads cost more than the answers. Made in turn on the loop, they queue
        instead, first come first served."""
        body = cache.answers(self.store, self.scope).get(key)
        if body is not cache.MISSING:
            return None if body is None else json_body(body)
        if quick and self.app.prepared(self.scope):
            return self.answer(key, make)
        return await run_in_threadpool(self.answer, key, make)


def _encoded(value: Any) -> bytes | None:
    return None if value is None else orjson.dumps(value)


UNAUTHENTICATED = HTTPException(401, "a valid bearer token is needed (POST /api/login)",
                                headers={"WWW-Authenticate": "Bearer"})


async def session(request: Request, state: Annotated[AppState, Depends(app_state)],
                  credentials: Annotated[HTTPAuthorizationCredentials | None,
                                         Depends(bearer)]) -> AsyncIterator[Session]:
    """The caller's session; 401 without a valid token. Reads are logged here.

    It runs on the event loop: a known token is a dictionary look-up, and the
    consultation's entry is committed while the answer is made, which is held until it
    is (`pinchpoint.api.audit_gate`); only a token not seen since the last write reads
    the directory, in the thread pool."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise UNAUTHENTICATED
    store = state.store()
    try:
        token = credentials.credentials
        known = state.known(token)
        reader, scope = known if known is not None else await run_in_threadpool(
            state.who, store, token)
        try:
            purpose = bounds.checked_purpose(request.headers.get("x-purpose"))
        except PurposeError as exc:  # refused before anything is read or logged
            raise HTTPException(400, str(exc)) from None
        found = Session(state, store, reader, scope, purpose, token)
        if request.method == "GET":
            params = {k: v[:200] for k, v in request.query_params.items()}
            try:
                entry = state.entry(scope, "consultation", f"GET {request.url.path}", purpose,
                                    {"arguments": params} if params else None)
                # committed while the answer is made; sent only once it is (audit_gate)
                hold_until_logged(request.scope, state.writer().submit(entry))
            except AuditError as exc:  # an entry the log refuses: say why, read nothing
                raise HTTPException(400, str(exc)) from None
        yield found
    finally:
        store.close()


SessionDep = Annotated[Session, Depends(session)]
