"""`beheerbot serve --workers N`: N bot processes on one machine and one port.

The parent migrates the database once, opens the listening socket once (so a port in use is
reported once, before anything starts) and forks N workers that all accept on that socket: the
kernel hands each new connection to one of them. Each worker is a whole `serve` (its own event
loop, engine pool, notification sender, LVS check and nightly clock); they share nothing but
the database, where dialog state lives and background work is claimed (DESIGN.md §8), so any
worker may take any turn. The parent only supervises: a worker that dies is started again,
SIGTERM or SIGINT stops them all gracefully.

Only on PostgreSQL: a SQLite file has one writer at a time, so more processes would only queue
for its lock (and a file on one machine gains nothing from them)."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import replace

from bot.config import ConfigError, Settings
from services.db import normalise_url, upgrade

log = logging.getLogger("beheerbot.workers")

MAX_WORKERS = 64
RESTART_WINDOW = 60.0  # seconds
MAX_RESTARTS = 5  # more restarts than this within the window: something is wrong, stop
STOP_GRACE = 20.0  # seconds a worker gets to finish its turns before it is killed


def check_workers(settings: Settings, workers: int) -> None:
    """Refuse a number of workers this database cannot use."""
    if not 1 <= workers <= MAX_WORKERS:
        raise ConfigError(f"--workers moet tussen 1 en {MAX_WORKERS} liggen, niet {workers}.")
    if workers > 1 and not normalise_url(settings.database_url).startswith("postgresql"):
        raise ConfigError(
            f"--workers {workers} kan alleen met PostgreSQL (DATABASE_URL=postgresql://...). "
            "Een SQLite-bestand heeft één schrijver tegelijk: draai daarmee één proces.")


def listening_socket(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def serve_workers(settings: Settings, workers: int,
                  run_worker: Callable[[Settings, socket.socket], None]) -> int:
    """Run `workers` processes of `run_worker` on one socket until SIGTERM/SIGINT."""
    if settings.migrate_on_start:
        asyncio.run(upgrade(settings.database_url))  # once, before any worker starts
    settings = replace(settings, migrate_on_start=False)
    sock = listening_socket(settings.host, settings.port)
    context = multiprocessing.get_context("fork")
    stopping = False

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}

    def start(slot: int) -> multiprocessing.Process:
        process = context.Process(target=_worker, args=(run_worker, settings, sock, slot),
                                  name=f"beheerbot-worker-{slot}", daemon=False)
        process.start()
        log.info("worker %s gestart (pid %s)", slot, process.pid)
        return process

    processes = {slot: start(slot) for slot in range(workers)}
    log.info("%s workers luisteren op http://%s:%s", workers, settings.host, settings.port)
    restarts: list[float] = []
    code = 0
    try:
        while not stopping:
            multiprocessing.connection.wait([p.sentinel for p in processes.values()], timeout=1)
            for slot, process in list(processes.items()):
                if process.is_alive() or stopping:
                    continue
                now = time.monotonic()
                restarts = [t for t in restarts if now - t < RESTART_WINDOW] + [now]
                if len(restarts) > MAX_RESTARTS:
                    log.error("workers stoppen steeds (%s keer binnen %.0f s): beheerbot stopt",
                              len(restarts), RESTART_WINDOW)
                    stopping, code = True, 1
                    break
                log.warning("worker %s (pid %s) stopte met code %s; hij wordt opnieuw gestart",
                            slot, process.pid, process.exitcode)
                processes[slot] = start(slot)
    finally:
        for process in processes.values():
            if process.is_alive():
                os.kill(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        for process in processes.values():
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                log.warning("worker (pid %s) stopte niet op tijd en wordt afgebroken",
                            process.pid)
                process.kill()
                process.join()
        sock.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log.info("alle workers zijn gestopt")
    return code


def _worker(run_worker: Callable[[Settings, socket.socket], None], settings: Settings,
            sock: socket.socket, slot: int) -> None:
    # The parent's handlers only set its flag; the worker's own server installs its handlers.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    formatter = logging.Formatter(
        f"%(asctime)s %(levelname)s [worker {slot} %(process)d] %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter)
    run_worker(settings, sock)
