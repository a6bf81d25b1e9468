"""One thread that writes the server's audit entries, many requests' entries per commit.

Every read of the API is logged as a consultation before its answer goes out. One DuckDB
transaction of the log costs about 3 ms of CPU whatever it holds (each INSERT statement
costs most of a millisecond; `benchmarks/results/api.json`), so a commit per request
made logging the most expensive part of serving one. Here requests hand their entries to
one writer thread and wait until the entry is committed: the writer takes an entry,
sleeps `LINGER_SECONDS` (entries arriving meanwhile do not wake it), and commits it with
every entry that queued up. Nothing is answered before its entry is on disk; the wait costs a request a
few milliseconds of latency and no CPU.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future

from pinchpoint.access.audit import AuditLog, Pending, check

LINGER_SECONDS = 0.004
"""How long the writer waits for company once a lone entry arrives."""
MAX_BATCH = 512

_STOP = object()


class AuditWriter:
    """Commits submitted entries in batches, in its own thread."""

    def __init__(self, log: Callable[[], AuditLog], lock: threading.Lock,
                 linger: float = LINGER_SECONDS) -> None:
        self._log = log
        self._lock = lock  # held while writing: readers of the same connection take it
        self._linger = linger
        self._queue: queue.SimpleQueue[tuple[Pending, Future[None]] | object] = (
            queue.SimpleQueue())
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.commits = 0
        self.entries = 0

    def submit(self, item: Pending) -> Future[None]:
        """Queue an entry; the future is done once it is committed (or failed)."""
        check(item)  # a refused entry fails its own request, not the batch it would join
        done: Future[None] = Future()
        self._ensure_started()
        self._queue.put((item, done))
        return done

    def record(self, item: Pending) -> None:
        """Queue an entry and wait until it is committed; its error is raised here."""
        self.submit(item).result()

    def close(self, timeout: float = 30.0) -> None:
        """Write what is queued, then stop the thread."""
        with self._start_lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(_STOP)
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
            batch: list[tuple[Pending, Future[None]]] = [first]  # type: ignore[list-item]
            # Sleep through the linger, then take what came: waiting on the queue with a
            # timeout woke this thread (and took the interpreter from the request
            # handlers) once per entry that arrived meanwhile.
            time.sleep(self._linger)
            while len(batch) < MAX_BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stopping = True
                    break
                batch.append(item)  # type: ignore[arg-type]
            self._write(batch)

    def _write(self, batch: list[tuple[Pending, Future[None]]]) -> None:
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
