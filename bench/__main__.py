"""Turn throughput and latency of the real bot over loopback HTTP, on a temporary demo database.

The bot runs as its own process (`beheerbot serve`), as in production; this process only
generates the load. Usage: python -m bench [--turns N] [--concurrency C ...];
the sync's benchmark: python -m bench sync [--schools N] (see bench/sync.py).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from services.db import create_engine, create_sessions, upgrade
from services.demo import PLAYGROUND_COORDINATOR, PLAYGROUND_TENANT, load_demo


def activity(conversation: str, **fields) -> dict:
    base = {
        "type": "message", "channelId": "msteams", "deliveryMode": "expectReplies",
        "serviceUrl": "https://smba.example.invalid/",
        "from": {"id": "user-id-0", "name": "Alex Wilber",
                 "aadObjectId": PLAYGROUND_COORDINATOR[3]},
        "recipient": {"id": "bot"}, "conversation": {"id": conversation},
        "channelData": {"tenant": {"id": PLAYGROUND_TENANT}},
    }
    base.update(fields)
    return base


async def run_scenario(url: str, name: str, turns: int, concurrency: int, make) -> dict:
    latencies: list[float] = []
    queue = list(range(turns))

    async def worker(index: int, session: aiohttp.ClientSession) -> None:
        conversation = f"bench-{name}-{index}"
        # Choose the school once, as a user would.
        await session.post(url, json=activity(conversation, value={"action": "school.set",
                                                                   "school_id": 1}))
        while queue:
            queue.pop()
            start = time.perf_counter()
            async with session.post(url, json=make(conversation)) as response:
                await response.read()
                assert response.status == 200, response.status
            latencies.append(time.perf_counter() - start)

    async with aiohttp.ClientSession() as session:
        start = time.perf_counter()
        await asyncio.gather(*(worker(i, session) for i in range(concurrency)))
        elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "scenario": name, "conversations": concurrency, "turns": len(latencies),
        "turns/s": len(latencies) / elapsed,
        "p50 ms": statistics.median(latencies) * 1000,
        "p95 ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


SCENARIOS = {
    "help (text)": lambda c: activity(c, text="help"),
    "menu (card)": lambda c: activity(c, value={"action": "menu", "school_id": 1}),
    "licences list": lambda c: activity(c, value={"action": "licences", "school_id": 1}),
    "pupils page": lambda c: activity(c, value={"action": "school.pupils", "school_id": 1,
                                                "query": "de", "page": 1}),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def wait_until_up(base: str, server: asyncio.subprocess.Process) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(200):
            if server.returncode is not None:
                raise RuntimeError("the bot stopped during start-up")
            try:
                async with session.get(base + "/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError("the bot did not start")


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def main(turns: int, concurrencies: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url_db = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        await upgrade(url_db)
        engine = create_engine(url_db)
        await load_demo(create_sessions(engine))
        await engine.dispose()
        port = free_port()
        env = {**os.environ, "DATABASE_URL": url_db, "PORT": str(port), "HOST": "127.0.0.1",
               "BEHEERBOT_SECRET_KEY": "bench-secret-key-not-for-production",
               # One simulated user sends every turn: the per-user limit would measure itself.
               "RATE_MESSAGES": "1000000/minute"}
        for name in ("MicrosoftAppId", "MicrosoftAppPassword"):
            env.pop(name, None)
        server = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "serve", env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            await wait_until_up(base, server)
            rows = []
            for name, make in SCENARIOS.items():
                for concurrency in concurrencies:
                    rows.append(await run_scenario(base + "/api/messages", name, turns,
                                                   concurrency, make))
            rss = peak_rss_mb(server.pid)
        finally:
            server.terminate()
            await asyncio.wait_for(server.wait(), 10)
    header = f"{'scenario':<16}{'conv':>6}{'turns':>7}{'turns/s':>10}{'p50 ms':>9}{'p95 ms':>9}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['scenario']:<16}{r['conversations']:>6}{r['turns']:>7}{r['turns/s']:>10.1f}"
              f"{r['p50 ms']:>9.1f}{r['p95 ms']:>9.1f}")
    print(f"\npeak RSS of the bot process: {rss:.0f} MB; SQLite file database (WAL), demo data")


if __name__ == "__main__":
    if sys.argv[1:2] == ["sync"]:  # the sync benchmark: python -m bench sync --schools N
        from bench.sync import main as sync_main

        sys.exit(sync_main(sys.argv[2:]))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 20])
    args = parser.parse_args()
    asyncio.run(main(args.turns, args.concurrency))
