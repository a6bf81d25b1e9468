"""One thread that writes the server's audit entries, many requests' entries per commit.

Every read of the API is logged as a consultation before its answer goes out. A commit
costs far more than an entry in it (on PostgreSQL about 0.8 ms of the server's CPU for a
commit of one entry, 0.16 ms an entry in a commit of eight: `_insert`, the lock, the
round trips), so entries are committed together. Requests hand their entries to one
writer thread and the answer is held until its entry is committed
(`pinchpoint.api.audit_gate`). The writer takes an entry and then waits, without waking
for each entry that queues meanwhile, until a request needs its entry committed (its
answer is ready: `Commit.needed`) or `LINGER_SECONDS` have passed; then it commits
everything queued. Under load the answers queue behind each other, so a commit carries
the entries of every request made meanwhile and delays none of them; a lone request
waits for its own commit only, as before. Nothing is answered before its entry is on
disk.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future

from pinchpoint.access.audit import AuditLog, Pending, check

LINGER_SECONDS = 0.05
"""The longest an entry waits for company when no request needs it committed yet."""
MAX_BATCH = 512

_STOP = object()


class Commit(Future[None]):
    """An entry's commit: done once the entry is on disk (or failed). `needed` tells the
    writer a request is waiting for it, so it commits what it holds now."""

    def __init__(self, wake: threading.Event) -> None:
        super().__init__()
        self._wake = wake

    def needed(self) -> None:
        if not self.done():
            self._wake.set()


class AuditWriter:
    """Commits submitted entries in batches, in its own thread."""

    def __init__(self, log: Callable[[], AuditLog], lock: threading.Lock,
                 linger: float = LINGER_SECONDS) -> None:
        self._log = log
        self._lock = lock  # held while writing: readers of the same connection take it
        self._linger = linger
        self._queue: queue.SimpleQueue[tuple[Pending, Commit] | object] = (
            queue.SimpleQueue())
        self._needed = threading.Event()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.commits = 0
        self.entries = 0

    def submit(self, item: Pending) -> Commit:
        """Queue an entry; the commit is done once it is on disk (or failed). Call its
        `needed` before waiting for it."""
        check(item)  # a refused entry fails its own request, not the batch it would join
        done = Commit(self._needed)
        self._ensure_started()
        self._queue.put((item, done))
        return done

    def record(self, item: Pending) -> None:
        """Queue an entry and wait until it is committed; its error is raised here."""
        done = self.submit(item)
        done.needed()
        done.result()

    def close(self, timeout: float = 30.0) -> None:
        """Write what is queued, then stop the thread."""
        with self._start_lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(_STOP)
            self._needed.set()
            thread.join(timeout)

    def _ensure_started(self) -> None:
        if self._thread is not None:
            return
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="audit-writer",
                                                daemon=True)
                self._thread.start()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is _STOP:
                return
            batch: list[tuple[Pending, Commit]] = [first]  # type: ignore[list-item]
            # Wait until a request needs its entry, without waking for each entry that
            # arrives meanwhile (each wake took the interpreter from the handlers).
            self._needed.wait(self._linger)
            self._needed.clear()
            while len(batch) < MAX_BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stopping = True
                    break
                batch.append(item)  # type: ignore[arg-type]
            if len(batch) >= MAX_BATCH:
                self._needed.set()  # more queued: no waiting for the next batch
            self._write(batch)

    def _write(self, batch: list[tuple[Pending, Commit]]) -> None:
        try:
            with self._lock:
                self._log().record_many([item for item, _done in batch])
        except BaseException as exc:  # each waiting request sees the failure
            for _item, done in batch:
                done.set_exception(exc)
            return
        self.commits += 1
        self.entries += len(batch)
        for _item, done in batch:
            done.set_result(None)
