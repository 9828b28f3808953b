"""Turn throughput and latency of the real app over loopback HTTP, on a temporary demo database.

Usage: python -m bench [--turns N] [--concurrency C ...]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.app import create_app
from bot.config import Settings
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


async def main(turns: int, concurrencies: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url_db = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        await upgrade(url_db)
        engine = create_engine(url_db)
        await load_demo(create_sessions(engine))
        await engine.dispose()
        settings = Settings(database_url=url_db, port=0,
                            secret_key="bench-secret-key-not-for-production")
        runner = web.AppRunner(create_app(settings), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        url = f"http://127.0.0.1:{port}/api/messages"
        rows = []
        for name, make in SCENARIOS.items():
            for concurrency in concurrencies:
                rows.append(await run_scenario(url, name, turns, concurrency, make))
        await runner.cleanup()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    header = f"{'scenario':<16}{'conv':>6}{'turns':>7}{'turns/s':>10}{'p50 ms':>9}{'p95 ms':>9}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['scenario']:<16}{r['conversations']:>6}{r['turns']:>7}{r['turns/s']:>10.1f}"
              f"{r['p50 ms']:>9.1f}{r['p95 ms']:>9.1f}")
    print(f"\npeak RSS of the process (bot + load generator): {rss:.0f} MB; SQLite file database")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 20])
    args = parser.parse_args()
    asyncio.run(main(args.turns, args.concurrency))
