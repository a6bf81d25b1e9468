"""Several server processes on one port, each accepting on its own socket.

uvicorn's ``--workers`` hands every process one shared listening socket. When clients
connect together (32 analysts opening the workbench, a load test), the process that wakes
first accepts every pending connection (asyncio takes a backlog's worth per wake-up) and
keeps them, since HTTP/1.1 connections are kept alive: 32 connections opened at once
landed 31 on one of two processes and 1 on the other in most tries, so a "two-process"
server ran on one core (`benchmarks/results/api_team.json` before this module).

Here each process binds its own socket to the same address with ``SO_REUSEPORT``, and the
kernel spreads new connections across the processes' sockets by hash. The parent only
supervises: it restarts a process that dies (unless it died starting, which would fail
the same way again) and stops them all on SIGINT or SIGTERM.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import socket
import threading
from multiprocessing.process import BaseProcess

#: The exit status of a worker whose app could not start (uvicorn's own).
STARTUP_FAILURE = 3
#: Seconds a stopping worker gets to finish its requests before it is killed.
GRACE = 10.0


def balanced() -> bool:
    """Whether this platform can give each worker its own socket on one port."""
    return hasattr(socket, "SO_REUSEPORT")


def serve_workers(factory: str, host: str, port: int, workers: int) -> None:
    """Run ``workers`` processes serving the app ``factory`` makes ("module:function")
    on ``host``:``port``, until SIGINT or SIGTERM."""
    context = multiprocessing.get_context("spawn")
    stop = threading.Event()

    def start() -> BaseProcess:
        process = context.Process(target=_worker, args=(factory, host, port), daemon=False)
        process.start()
        return process

    previous = {sig: signal.signal(sig, lambda *_: stop.set())
                for sig in (signal.SIGINT, signal.SIGTERM)}
    processes = [start() for _ in range(workers)]
    try:
        while not stop.wait(0.5):
            for n, process in enumerate(processes):
                if process.is_alive() or stop.is_set():
                    continue
                if process.exitcode == STARTUP_FAILURE:
                    stop.set()
                    break
                processes[n] = start()
    finally:
        _stop_all(processes)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop_all(processes: list[BaseProcess]) -> None:
    for process in processes:
        if process.is_alive():
            process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
    for process in processes:
        process.join(GRACE)
        if process.is_alive():
            process.kill()
            process.join()


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` that other processes may bind too."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _worker(factory: str, host: str, port: int) -> None:
    """One server process: its own socket, its own app."""
    import uvicorn

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    try:
        sock = listening_socket(host, port)
    except OSError as exc:
        print(f"error: cannot listen on {host}:{port}: {exc}", flush=True)
        raise SystemExit(STARTUP_FAILURE) from None
    with contextlib.closing(sock):
        config = uvicorn.Config(factory, factory=True, host=host, port=port)
        uvicorn.Server(config).run(sockets=[sock])
