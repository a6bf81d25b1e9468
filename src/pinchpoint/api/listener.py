"""Writes made by other processes, heard: what lets many API processes serve one
PostgreSQL database (`pinchpoint serve --workers N`) while the CLI ingests, grants,
revokes and judges beside them.

Every write to a store table on PostgreSQL sends a notification at COMMIT
(`pinchpoint.store.postgres_store.CHANNEL`, from a trigger, whoever wrote). Each server
process listens on a connection of its own, in a thread, and on each notification drops
whom it knew (`AppState.forget_callers`) and, for a write to the data rather than to the
accounts, what it derived (`AppState.invalidate`): a revoked grant or a disabled user
bites on the next request in every process, as it does in the process that made the
change. On DuckDB no other process can write while the server holds the file, so
there is nothing to hear.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from pinchpoint.store.postgres_store import CHANNEL

log = logging.getLogger(__name__)
RETRY_SECONDS = 1.0


class Listener:
    """A thread calling `on_write(table)` after each committed write to the database at
    `url` (`table` "" when writes may have been missed: after a reconnection)."""

    def __init__(self, url: str, on_write: Callable[[str], None]) -> None:
        self.url = url
        self.on_write = on_write
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pinchpoint-listen",
                                        daemon=True)

    def start(self, timeout: float = 10.0) -> None:
        """Start listening; returns once the first LISTEN is in place (so no write made
        after `start` returns can be missed)."""
        self._thread.start()
        self._ready.wait(timeout)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2 * RETRY_SECONDS)

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True) as con:
                    con.execute(f"LISTEN {CHANNEL}")
                    self._ready.set()
                    self.on_write("")  # anything written while not listening
                    while not self._stop.is_set():
                        for note in con.notifies(timeout=RETRY_SECONDS, stop_after=1):
                            self.on_write(note.payload)
            except psycopg.Error:
                log.warning("listening for writes failed; retrying", exc_info=True)
                self._stop.wait(RETRY_SECONDS)
