"""The tamper-evident audit log that the Data Protection Act 2018 s.62 requires.

Law-enforcement processing must log collection, alteration, consultation, disclosure
(with its recipients), combination and erasure, each with who did it, when, what and
the justification they gave. A log that an administrator can quietly edit proves
nothing, so every entry is a leaf of an RFC 6962 Merkle tree (`pinchpoint.access.merkle`)
and every append signs a new tree head with the workspace's Ed25519 key.

What that buys, checked by `AuditLog.verify`:
- an edited field changes the entry's leaf hash, and so every later signed root;
- a deleted, inserted or reordered entry breaks the contiguous `seq` numbering or
  (because `seq` is inside the hashed bytes) the leaf hashes and roots;
- a deleted or edited head leaves a size with no head or a head whose signature fails:
  there is exactly one signed head per log size, so a gap is itself evidence;
- entries appended without a head (bypassing `record`) are not covered by the latest.

What it cannot catch alone: someone with the key and the database who rewrites the
whole log and re-signs every head, or who truncates the tail together with its heads.
That is why `head()` exists: a head kept outside the workspace (printed into a case
file, sent to a partner) is passed back as `verify(..., trusted=head)` and pins history.

Entries are read per agency only (`entries(agency=...)`): an auditor sees their own
agency's log, never that another agency consulted something.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, cast

import pyarrow as pa
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from pinchpoint.access import bounds, keys, merkle
from pinchpoint.store.database import Connection, PostgresConnection, is_postgres

ACTIONS = ("collection", "alteration", "consultation", "disclosure", "combination", "erasure")
# s.62(2): consultation and disclosure logs must make the justification ascertainable.
NEEDS_REASON = ("consultation", "disclosure")
MAX_MESSAGES = 10  # per kind of problem: a truncated log should not print 100k lines

_COLUMNS = 'seq, "at", "user", agency, action, what, why, recipients, detail, leaf_hash'
_HEAD_COLUMNS = 'size, root, "at", key_id, signature'


_ENTRY_TYPES = (pa.int64(), pa.string(), pa.string(), pa.string(), pa.string(), pa.string(),
                pa.string(), pa.list_(pa.string()), pa.string(), pa.string())
_HEAD_TYPES = (pa.int64(), pa.string(), pa.string(), pa.string(), pa.string())


def _insert(con: Connection, table: str, columns: str,
            types: Sequence[pa.DataType], rows: Sequence[Sequence[Any]]) -> None:
    """Append `rows` (in `columns` order) to `table` in one statement."""
    names = [c.strip().strip('"') for c in columns.split(",")]
    batch = pa.table({name: pa.array([row[n] for row in rows], kind)
                      for n, (name, kind) in enumerate(zip(names, types, strict=True))})
    if is_postgres(con):  # COPY straight in: a temporary table per append cost more
        cast(PostgresConnection, con).copy_in(table, batch)  # than the rest of it
        return
    con.register("_audit_rows", batch)
    try:
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _audit_rows")
    finally:
        con.unregister("_audit_rows")


def _one(con: Connection, sql: str, params: Sequence[Any] = ()
         ) -> tuple[Any, ...] | None:
    """The first row (the result read to its end: DuckDB refuses other work on a
    connection with an unfinished result)."""
    rows = con.execute(sql, params).fetchall()
    return rows[0] if rows else None


FRONTIER_EVERY = 256
"""The frontier is stored when the log passes a multiple of this many entries (and while
it is shorter): a process that opens the log extends the stored one with at most this
many leaves, and a commit does not pay two more statements every time."""


class AuditError(ValueError):
    """An entry the log refuses (unknown action, missing reason) or a lookup that fails."""


def check(item: Pending) -> tuple[str, str, str, str, str, tuple[str, ...], str]:
    """An entry as it will be written (detail as canonical JSON), or AuditError saying
    why the log refuses it."""
    user, agency, action, what, why, recipients, detail = item
    if isinstance(recipients, str):
        raise AuditError("recipients must be a list of names, not one string")
    _check(user, agency, action, what, why, recipients)
    try:
        full = canonical_json(detail or {})
        detail_json = canonical_json(bounds.bounded_detail(detail or {}, full)).decode("utf-8")
    except (TypeError, ValueError) as exc:
        raise AuditError(f"detail must be plain JSON: {exc}") from exc
    # Bounded, so no caller can flood the log (pinchpoint.access.bounds).
    return (user, agency, action, bounds.bounded_text(what), bounds.bounded_text(why),
            tuple(recipients), detail_json)


def canonical_json(value: Any) -> bytes:
    """One byte string per value: sorted keys, no whitespace, UTF-8 (what gets hashed
    and signed, so two writers can never disagree about the bytes of the same entry)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Entry:
    """One logged act: who (`user` of `agency`) did `action` to `what`, when, and why."""

    seq: int
    at: str
    user: str
    agency: str
    action: str
    what: str
    why: str
    recipients: tuple[str, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)
    leaf_hash: str = ""  # hex, as stored

    def fields(self) -> dict[str, Any]:
        """Every field that is hashed: seq included, so moving an entry changes it."""
        return {"seq": self.seq, "at": self.at, "user": self.user, "agency": self.agency,
                "action": self.action, "what": self.what, "why": self.why,
                "recipients": list(self.recipients), "detail": self.detail}

    def canonical(self) -> bytes:
        return canonical_json(self.fields())

    def computed_hash(self) -> bytes:
        """The leaf hash the entry's fields imply (compare with `leaf_hash`)."""
        return merkle.leaf_hash(self.canonical())

    def to_json(self) -> dict[str, Any]:
        return {**self.fields(), "leaf_hash": self.leaf_hash}


@dataclass(frozen=True)
class SignedHead:
    """The signed root of the first `size` entries: the thing to keep elsewhere."""

    size: int
    root: str  # hex
    at: str
    key_id: str
    signature: str  # base64

    def signed_bytes(self) -> bytes:
        return canonical_json({"size": self.size, "root": self.root, "at": self.at,
                               "key_id": self.key_id})

    def verify(self, public_key: Ed25519PublicKey) -> bool:
        """True when the head was signed by `public_key` (and names that key)."""
        if self.key_id != keys.key_id(public_key):
            return False
        try:
            signature = base64.b64decode(self.signature, validate=True)
        except ValueError:
            return False
        return keys.verify(public_key, signature, self.signed_bytes())

    def to_json(self) -> dict[str, Any]:
        return {"size": self.size, "root": self.root, "at": self.at, "key_id": self.key_id,
                "signature": self.signature}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SignedHead:
        try:
            return cls(size=int(data["size"]), root=str(data["root"]), at=str(data["at"]),
                       key_id=str(data["key_id"]), signature=str(data["signature"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise AuditError(f"not a signed tree head: {exc}") from exc


@dataclass
class VerifyReport:
    """The outcome of `AuditLog.verify`: ok only when `problems` is empty."""

    ok: bool
    size: int
    problems: list[str]


class _Problems:
    """Problem messages, at most MAX_MESSAGES of each kind plus a count of the rest."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.extra: dict[str, int] = {}
        self.seen: dict[str, int] = {}

    def add(self, kind: str, message: str) -> None:
        self.seen[kind] = self.seen.get(kind, 0) + 1
        if self.seen[kind] <= MAX_MESSAGES:
            self.lines.append(message)
        else:
            self.extra[kind] = self.extra.get(kind, 0) + 1

    def result(self) -> list[str]:
        return self.lines + [f"... and {n} more: {kind}" for kind, n in self.extra.items()]


def _shorten(values: Sequence[int]) -> str:
    shown = ", ".join(str(v) for v in values[:MAX_MESSAGES])
    return shown + (f" (and {len(values) - MAX_MESSAGES} more)"
                    if len(values) > MAX_MESSAGES else "")


# One entry to append: user, agency, action, what, why, recipients, detail.
Pending = tuple[str, str, str, str, str, Sequence[str], dict[str, Any] | None]


# Held while an entry is appended on PostgreSQL, where many processes share the log.
APPEND_LOCK = 727_002


class AuditLog:
    """The audit log of one workspace (its own DuckDB file, or its PostgreSQL
    database), signed with its key."""

    def __init__(self, con: Connection, key: Ed25519PrivateKey | None) -> None:
        """`key` None: open to read and verify only (an auditor needs no private key)."""
        self.con = con
        self._key = key
        self.key_id = keys.key_id(key.public_key()) if key is not None else ""
        # The frontier of the tree as this object last saw it: appends cost O(log n),
        # reading the stored frontier when another writer appended in between.
        self._frontier: list[tuple[int, bytes]] = []
        self._size = 0
        self._synced = False  # whether _frontier and _size were read from the log once
        self._ready = False

    @property
    def key(self) -> Ed25519PrivateKey:
        if self._key is None:
            raise AuditError("the audit log was opened to verify only; it cannot sign")
        return self._key

    def ensure(self) -> None:
        """Create the tables (idempotent). No primary key on seq: verify, not a
        constraint, is what judges the numbering, and a constraint would only stop
        honest mistakes while making tamper tests impossible to write."""
        if self._ready:
            return
        self.con.execute(
            'CREATE TABLE IF NOT EXISTS audit_log (seq BIGINT NOT NULL, "at" VARCHAR NOT NULL, '
            '"user" VARCHAR NOT NULL, agency VARCHAR NOT NULL, action VARCHAR NOT NULL, '
            "what VARCHAR NOT NULL, why VARCHAR NOT NULL, recipients VARCHAR[] NOT NULL, "
            "detail VARCHAR NOT NULL, leaf_hash VARCHAR NOT NULL)"
        )
        # The tree's frontier after the last append (its perfect subtrees' roots), kept
        # only so appends need not re-read every leaf; verify never trusts it.
        self.con.execute("CREATE TABLE IF NOT EXISTS audit_frontier (size BIGINT NOT NULL, "
                         "nodes VARCHAR NOT NULL)")
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS audit_heads (size BIGINT NOT NULL, root VARCHAR NOT NULL, "
            '"at" VARCHAR NOT NULL, key_id VARCHAR NOT NULL, signature VARCHAR NOT NULL)'
        )
        if is_postgres(self.con):  # an index, not a constraint: see `_sync_tail`
            self.con.execute("CREATE INDEX IF NOT EXISTS audit_log_seq ON audit_log (seq)")
        self._ready = True

    # -- writing ---------------------------------------------------------------------

    def record(self, user: str, agency: str, action: str, what: str, why: str,
               recipients: Sequence[str] = (), detail: dict[str, Any] | None = None) -> Entry:
        """Append one entry and sign the head of the log that now ends with it."""
        return self.record_many([(user, agency, action, what, why, recipients, detail)])[0]

    def record_many(self, items: Sequence[Pending]) -> list[Entry]:
        """Append entries in one transaction, each with the signed head of the log that
        ends with it (exactly what one `record` per item writes; a server uses this to
        commit the entries of concurrent requests together)."""
        checked = [check(item) for item in items]
        key = self.key  # refused before anything is written when opened to verify only
        self.ensure()
        self.con.execute("BEGIN TRANSACTION")
        try:
            if is_postgres(self.con):  # other processes append too: one at a time
                self.con.execute("SELECT pg_advisory_xact_lock(?)", [APPEND_LOCK])
            seq = self._sync()
            frontier = list(self._frontier)
            entries, rows, heads = [], [], []
            for user, agency, action, what, why, recipients, detail_json in checked:
                at = _now()
                entry = Entry(seq=seq, at=at, user=user, agency=agency, action=action,
                              what=what, why=why, recipients=recipients,
                              detail=json.loads(detail_json))
                leaf = entry.computed_hash()
                entry = replace(entry, leaf_hash=leaf.hex())
                rows.append([seq, at, user, agency, action, what, why, list(recipients),
                             detail_json, entry.leaf_hash])
                frontier = merkle.extend(frontier, leaf)
                head = self._sign(key, seq + 1, merkle.frontier_root(frontier), at)
                heads.append([head.size, head.root, head.at, head.key_id, head.signature])
                entries.append(entry)
                seq += 1
            if rows:
                # One INSERT per table from Arrow: executemany ran one statement per row,
                # about 1 ms an entry, the most of a served request's audit cost.
                _insert(self.con, "audit_log", _COLUMNS, _ENTRY_TYPES, rows)
                _insert(self.con, "audit_heads", _HEAD_COLUMNS, _HEAD_TYPES, heads)
                if seq // FRONTIER_EVERY != self._size // FRONTIER_EVERY or seq < FRONTIER_EVERY:
                    self.con.execute("DELETE FROM audit_frontier")
                    self.con.execute("INSERT INTO audit_frontier VALUES (?, ?)", [
                        seq, json.dumps([[width, h.hex()] for width, h in frontier])])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        if entries:
            self._frontier, self._size = frontier, seq
        return entries

    def _sync(self) -> int:
        """The next seq; refreshes the cached frontier if the log changed under us.

        The common case (nobody else appended) costs a row count, which DuckDB answers
        from its metadata. Otherwise the frontier a writer last stored (a few dozen
        hashes, at most `FRONTIER_EVERY` entries old) is extended with the leaves after
        it, so a new process (every CLI command logs its read) does not re-read every
        leaf; a log without a usable stored frontier is re-read whole."""
        if self._synced and is_postgres(self.con) and self._sync_tail():
            return self._size
        counted = _one(self.con, "SELECT count(*) FROM audit_log")
        count = int(counted[0]) if counted else 0
        if count == self._size:
            self._synced = True
            return count
        top = _one(self.con, "SELECT max(seq) FROM audit_log")
        if count and (top is None or top[0] != count - 1):
            raise AuditError(f"the audit log's numbering is broken ({count} entries, last seq "
                             f"{top[0] if top else None}); run `pinchpoint audit verify` "
                             "before appending")
        stored = _one(self.con, "SELECT size, nodes FROM audit_frontier")
        start = 0
        self._frontier = []
        if stored and int(stored[0]) <= count:
            start = int(stored[0])
            self._frontier = [(int(width), bytes.fromhex(h))
                              for width, h in json.loads(str(stored[1]))]
        for (h,) in self.con.execute("SELECT leaf_hash FROM audit_log WHERE seq >= ? "
                                     "ORDER BY seq", [start]).fetchall():
            self._frontier = merkle.extend(self._frontier, bytes.fromhex(h))
        self._size, self._synced = count, True
        return count

    def _sync_tail(self) -> bool:
        """PostgreSQL, a log this object has read before: extend the frontier with the
        entries after the last one it saw (the other processes' appends, found by the
        index on seq), and say whether they continue the numbering. On PostgreSQL a row
        count reads the whole table, and with several server processes taking turns,
        nearly every append found the log changed and re-read up to `FRONTIER_EVERY`
        leaves: that cost grew with the log and took most of a served request's time in
        the database. A hole further back is not looked for here; `verify` finds it."""
        rows = self.con.execute("SELECT seq, leaf_hash FROM audit_log WHERE seq >= ? "
                                "ORDER BY seq", [self._size]).fetchall()
        if [int(r[0]) for r in rows] != list(range(self._size, self._size + len(rows))):
            return False
        for _seq, h in rows:
            self._frontier = merkle.extend(self._frontier, bytes.fromhex(h))
        self._size += len(rows)
        return True

    def _sign(self, key: Ed25519PrivateKey, size: int, root: bytes, at: str) -> SignedHead:
        unsigned = SignedHead(size=size, root=root.hex(), at=at, key_id=self.key_id,
                              signature="")
        signature = key.sign(unsigned.signed_bytes())
        return SignedHead(size=size, root=unsigned.root, at=at, key_id=self.key_id,
                          signature=base64.b64encode(signature).decode("ascii"))

    # -- reading ---------------------------------------------------------------------

    def entries(self, agency: str, action: str | None = None, user: str | None = None,
                limit: int | None = None) -> list[Entry]:
        """The agency's own entries, oldest first; `limit` keeps the most recent N."""
        self.ensure()
        where, params = ["agency = ?"], [agency]
        if action is not None:
            if action not in ACTIONS:
                raise AuditError(f"unknown action {action!r}; choose one of {', '.join(ACTIONS)}")
            where.append("action = ?")
            params.append(action)
        if user is not None:
            where.append('"user" = ?')
            params.append(user)
        sql = f"SELECT {_COLUMNS} FROM audit_log WHERE {' AND '.join(where)} ORDER BY seq DESC"
        if limit is not None:
            if limit < 0:
                raise AuditError("limit must not be negative")
            sql += f" LIMIT {int(limit)}"
        return [_entry(row) for row in reversed(self.con.execute(sql, params).fetchall())]

    def heads(self) -> list[SignedHead]:
        self.ensure()
        rows = self.con.execute(
            f"SELECT {_HEAD_COLUMNS} FROM audit_heads ORDER BY size, \"at\"").fetchall()
        return [SignedHead(int(r[0]), r[1], r[2], r[3], r[4]) for r in rows]

    def head(self) -> SignedHead:
        """The latest signed tree head (the largest size)."""
        self.ensure()
        row = _one(self.con, f"SELECT {_HEAD_COLUMNS} FROM audit_heads "
                   'ORDER BY size DESC, "at" DESC LIMIT 1')
        if row is None:
            raise AuditError("the audit log has no signed head yet (it is empty)")
        return SignedHead(int(row[0]), row[1], row[2], row[3], row[4])

    def prove(self, seq: int, agency: str | None = None) -> dict[str, Any]:
        """An inclusion proof (hex) of entry `seq` against the latest signed head.

        Check it with `merkle.verify_inclusion(leaf_hash, seq, size, proof, root)` and the
        head's signature. With `agency`, another agency's entry is reported as missing,
        exactly like one that does not exist.
        """
        head = self.head()
        rows = self.con.execute(f"SELECT {_COLUMNS} FROM audit_log WHERE seq = ?",
                                [seq]).fetchall()
        if len(rows) != 1 or (agency is not None and rows[0][3] != agency):
            raise AuditError(f"no audit entry {seq}")
        if seq >= head.size:
            raise AuditError(f"entry {seq} is not yet covered by a signed head")
        entry = _entry(rows[0])
        hashes = [bytes.fromhex(h) for (h,) in self.con.execute(
            "SELECT leaf_hash FROM audit_log WHERE seq < ? ORDER BY seq",
            [head.size]).fetchall()]
        if len(hashes) != head.size:
            raise AuditError("the audit log is damaged; run `pinchpoint audit verify`")
        leaf = entry.computed_hash()
        hashes[seq] = leaf
        proof = merkle.inclusion_proof(hashes, seq)
        return {"seq": seq, "leaf_hash": leaf.hex(), "size": head.size, "root": head.root,
                "proof": [p.hex() for p in proof], "head": head.to_json(),
                "entry": entry.to_json()}

    # -- checking --------------------------------------------------------------------

    def verify(self, public_key: Ed25519PublicKey,
               trusted: SignedHead | Sequence[SignedHead] | None = None) -> VerifyReport:
        """Recompute the whole log from its stored fields and check it against every
        signed head (and `trusted`: heads kept outside the workspace, by the operator
        or by partners who received them in packages, each of which must still be
        covered exactly).

        Comparing every head's root with the root recomputed over its prefix is
        stronger than checking consistency proofs between successive heads: all the
        prefixes come from one leaf list, so equal roots imply consistency.
        """
        self.ensure()
        problems = _Problems()
        rows = self.con.execute(f"SELECT {_COLUMNS} FROM audit_log ORDER BY seq").fetchall()
        n = len(rows)
        seqs = [int(r[0]) for r in rows]
        if seqs != list(range(n)):
            present = set(seqs)
            missing = [s for s in range(max(seqs) + 1) if s not in present]
            doubled = sorted(s for s, k in Counter(seqs).items() if k > 1)
            if missing:
                problems.add("seq", f"entries missing: seq {_shorten(missing)}")
            if doubled:
                problems.add("seq", f"seq used more than once: {_shorten(doubled)}")
            if min(seqs) < 0:
                problems.add("seq", "negative seq numbers")
        roots: list[bytes] = [merkle.EMPTY_ROOT]  # roots[k] = root of the first k entries
        frontier: list[tuple[int, bytes]] = []
        for position, row in enumerate(rows):
            leaf = _recomputed(row, position, problems)
            frontier = merkle.extend(frontier, leaf)
            roots.append(merkle.frontier_root(frontier))
        self._check_heads(public_key, roots, problems)
        for kept in [trusted] if isinstance(trusted, SignedHead) else (trusted or ()):
            _check_trusted(public_key, kept, roots, problems)
        lines = problems.result()
        return VerifyReport(ok=not lines, size=n, problems=lines)

    def _check_heads(self, public_key: Ed25519PublicKey, roots: list[bytes],
                     problems: _Problems) -> None:
        n = len(roots) - 1
        heads = self.heads()
        by_size: dict[int, list[SignedHead]] = {}
        for h in heads:
            by_size.setdefault(h.size, []).append(h)
        covered = 0
        previous_at = ""
        for size in sorted(by_size):
            group = by_size[size]
            if len(group) > 1:
                problems.add("fork", f"{len(group)} different heads for size {size}")
            for h in group:
                if not h.verify(public_key):
                    problems.add("signature", f"head for size {size}: signature does not verify "
                                 "(edited, or not signed by this key)")
                    continue
                if size > n:
                    problems.add("short", f"head for size {size} covers entries that are "
                                 f"missing (the log holds {n})")
                    continue
                if size < 1 or h.root != roots[size].hex():
                    problems.add("root", f"head for size {size}: root does not match entries "
                                 f"0..{size - 1} (an entry was edited, removed, added or moved)")
                    continue
                if h.at < previous_at:
                    problems.add("time", f"head for size {size} is dated before the head "
                                 "for a smaller size")
                previous_at = h.at
                covered = max(covered, size)
        missing = [s for s in range(1, n + 1) if s not in by_size]
        if missing:
            problems.add("gap", f"no signed head for log size {_shorten(missing)} "
                         "(a head was removed, or entries were added without one)")
        if covered < n:
            problems.add("uncovered", f"entries {covered}..{n - 1} are not covered by a valid "
                         "signed head")


def _check(user: str, agency: str, action: str, what: str, why: str,
           recipients: Sequence[str]) -> None:
    if action not in ACTIONS:
        raise AuditError(f"unknown audit action {action!r}; choose one of {', '.join(ACTIONS)}")
    for name, value in (("user", user), ("agency", agency), ("what", what)):
        if not value or not value.strip():
            raise AuditError(f"an audit entry needs a {name}")
    if action in NEEDS_REASON and not why.strip():
        raise AuditError(f"a {action} needs a justification (why)")
    if action == "disclosure" and not recipients:
        raise AuditError("a disclosure needs its recipients")


def _entry(row: tuple[Any, ...]) -> Entry:
    return Entry(seq=int(row[0]), at=row[1], user=row[2], agency=row[3], action=row[4],
                 what=row[5], why=row[6], recipients=tuple(row[7] or ()),
                 detail=json.loads(row[8]), leaf_hash=row[9])


def _recomputed(row: tuple[Any, ...], position: int, problems: _Problems) -> bytes:
    """The leaf hash implied by a stored row; anything unreadable is a problem and
    hashes as garbage, so the heads over it fail too."""
    seq = row[0]
    try:
        entry = _entry(row)
    except (TypeError, ValueError) as exc:
        problems.add("unreadable", f"entry seq {seq}: unreadable ({exc})")
        return merkle.leaf_hash(repr(row).encode())
    if entry.action not in ACTIONS:
        problems.add("action", f"entry seq {seq}: unknown action {entry.action!r}")
    leaf = entry.computed_hash()
    if leaf.hex() != entry.leaf_hash:
        problems.add("leaf", f"entry seq {seq} (position {position}): its fields do not match "
                     "its leaf hash (edited or moved)")
    return leaf


def _check_trusted(public_key: Ed25519PublicKey, trusted: SignedHead, roots: list[bytes],
                   problems: _Problems) -> None:
    n = len(roots) - 1
    if not trusted.verify(public_key):
        problems.add("trusted", f"the trusted head for size {trusted.size}: its signature "
                     "does not verify")
    elif trusted.size > n:
        problems.add("trusted", f"the log holds {n} entries but a trusted head covers "
                     f"{trusted.size}: entries were removed")
    elif trusted.root != roots[trusted.size].hex():
        problems.add("trusted", f"the first {trusted.size} entries no longer match the "
                     "trusted head: history was rewritten")
