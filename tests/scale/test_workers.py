"""`serve --workers N`: connections opened together spread over the processes.

With uvicorn's shared socket, 32 connections opened at once landed 31 on one of two
processes in most tries (`pinchpoint.api.workers`); each process's own SO_REUSEPORT
socket spreads them by hash (two workers taking fewer than 4 of 32 each: about 1 in
300,000)."""

from __future__ import annotations

import asyncio
import collections
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pinchpoint.api.workers import balanced

HERE = Path(__file__).resolve().parent

pytestmark = pytest.mark.skipif(not balanced(), reason="needs SO_REUSEPORT")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _pid_of_connection(port: int) -> str:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n")
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length"))
        return (await reader.readexactly(length)).decode()
    finally:
        writer.close()


async def _together(port: int, clients: int) -> list[str]:
    return list(await asyncio.gather(*(_pid_of_connection(port) for _ in range(clients))))


def _start(port: int, workers: int) -> subprocess.Popen[bytes]:
    code = ("from pinchpoint.api.workers import serve_workers; "
            f"serve_workers('pid_app:make', '127.0.0.1', {port}, {workers})")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), *sys.path])}
    return subprocess.Popen([sys.executable, "-c", code], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _until_all(port: int, workers: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if len(set(asyncio.run(_together(port, 64)))) == workers:
                return
        except (OSError, asyncio.IncompleteReadError):
            pass
        time.sleep(0.2)
    raise AssertionError("the workers did not all answer")


def test_connections_opened_together_spread_over_the_workers() -> None:
    port = _free_port()
    server = _start(port, 2)
    try:
        _until_all(port, 2)
        for _ in range(3):
            counts = collections.Counter(asyncio.run(_together(port, 32)))
            assert len(counts) == 2 and min(counts.values()) >= 4, counts
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == 0


def test_a_worker_that_dies_is_replaced() -> None:
    port = _free_port()
    server = _start(port, 2)
    try:
        _until_all(port, 2)
        victim = int(asyncio.run(_together(port, 1))[0])
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:  # a connection queued on the dead worker's socket is reset
                pids = set(asyncio.run(_together(port, 64)))
            except (OSError, asyncio.IncompleteReadError):
                pids = set()
            if len(pids) == 2 and str(victim) not in pids:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("no worker replaced the one that died")
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == 0
