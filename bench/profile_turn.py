"""Where one kind of turn spends its time: the real app in this process over loopback HTTP, its
SQL statements counted, and a pyinstrument profile printed.

Usage: python -m bench.profile_turn [--scenario "licence list"] [--turns 300] [--rounds 1]
[--db URL]
(without --db: a temporary SQLite file with the demo data)."""

from __future__ import annotations

import argparse
import os
import socket
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlalchemy import event
from sqlalchemy.engine import Engine

from bench.turns import SCENARIOS, activity
from bot.app import create_app
from bot.config import Settings
from bot.eventloop import run
from services.db import create_engine, create_sessions, upgrade
from services.demo import load_demo
from services.driver_rows import driver_statements


async def profile(url: str, scenario: str, turns: int, show: bool, sql: bool = False,
                  rounds: int = 1) -> None:
    statements = [0]

    def count(_conn, _cursor, statement, *_args) -> None:
        statements[0] += 1
        if sql and turns == 1:
            print(" ".join(statement.split())[:160])

    event.listen(Engine, "before_cursor_execute", count)
    settings = Settings.from_env({"DATABASE_URL": url, "SYNC_INBOX": "",
                                  "BEHEERBOT_SECRET_KEY": "bench-secret-key-not-for-production",
                                  "RATE_MESSAGES": "1000000/minute"})
    runner = web.AppRunner(create_app(settings), access_log=None)
    await runner.setup()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    endpoint = f"http://127.0.0.1:{port}/api/messages"
    make = SCENARIOS[scenario]
    try:
        async with aiohttp.ClientSession() as http:
            async def turn(body: dict) -> None:
                async with http.post(endpoint, json=body) as response:
                    await response.read()
                    assert response.status == 200, response.status

            await turn(activity("profile", value={"action": "school.set", "school_id": 1}))
            for _ in range(30 if turns > 1 else 1):
                await turn(make("profile"))
            statements[0] = 0
            driver_before = driver_statements()
            profiler = None
            if show:
                from pyinstrument import Profiler

                profiler = Profiler(async_mode="disabled", interval=0.0005)
                profiler.start()
            times, cpu_times = [], []
            for _ in range(rounds):
                started, cpu_started = time.perf_counter(), time.process_time()
                for _ in range(turns):
                    await turn(make("profile"))
                times.append(time.perf_counter() - started)
                cpu_times.append(time.process_time() - cpu_started)
            elapsed, cpu = min(times), min(cpu_times)
            if profiler is not None:
                profiler.stop()
                print(profiler.output_text(unicode=True, color=False,
                                           show_all=bool(os.environ.get("PROFILE_ALL"))))
    finally:
        await runner.cleanup()
        event.remove(Engine, "before_cursor_execute", count)
    best = "" if rounds == 1 else f" (the best of {rounds} rounds of {turns})"
    print(f"{scenario}: {elapsed / turns * 1000:.2f} ms per turn, {cpu / turns * 1000:.2f} ms "
          f"of this process's CPU (client included){best}, "
          f"{statements[0] / turns / rounds:.1f} SQL statements per turn through SQLAlchemy, "
          f"{(driver_statements() - driver_before) / turns / rounds:.1f} straight to the driver")


async def main(args: argparse.Namespace) -> None:
    if args.db:
        await profile(args.db, args.scenario, args.turns, not args.quiet, args.sql, args.rounds)
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'profile.db'}"
        await upgrade(url)
        engine = create_engine(url)
        await load_demo(create_sessions(engine))
        await engine.dispose()
        await profile(url, args.scenario, args.turns, not args.quiet, args.sql, args.rounds)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", default="licence list", choices=sorted(SCENARIOS))
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=1,
                        help="time this many rounds of --turns and print the best: on a noisy "
                             "machine the fastest round is the steadiest figure")
    parser.add_argument("--db")
    parser.add_argument("--quiet", action="store_true", help="only the figures, no profile")
    parser.add_argument("--sql", action="store_true", help="with --turns 1: each statement")
    run(main(parser.parse_args()))
