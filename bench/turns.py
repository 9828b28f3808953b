"""Turn latency and throughput of beheerbot over real HTTP (expectReplies), side by side with two
bare botbuilder 4.17 echo bots (stock, and with the msrest fix of bot/perf.py), each its own
process, interleaved in one run; on the demo database and a national-size one, on SQLite and
(with --pg) PostgreSQL, at 1 and 50 conversations (closed loop: each conversation sends its next
turn when the previous one has answered); with --workers N, PostgreSQL once more with
`serve --workers N`.

Usage: python -m bench [--turns 600] [--conversations 1 50] [--scale 1.0] [--pg URL]
                       [--workers N] [--datasets demo national] [--report bench/results]
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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import asyncpg

from bench.national import build as build_national
from bench.report import ECHO_FIXED, ECHO_STOCK, Result, write_report
from bot.eventloop import LOOPS, chosen_loop
from services.db import create_engine, create_sessions, upgrade
from services.demo import PLAYGROUND_COORDINATOR, PLAYGROUND_TENANT, load_demo

ROOT = str(Path(__file__).resolve().parents[1])
ROUNDS = 5  # each target's turns come in this many slices, alternating with the others
WARM_UP = 30


def activity(conversation: str, **fields) -> dict:
    base = {
        "type": "message", "channelId": "msteams", "deliveryMode": "expectReplies",
        "serviceUrl": "https://smba.example.invalid/", "locale": "nl-NL",
        "from": {"id": f"user-{conversation}", "name": "Alex Wilber",
                 "aadObjectId": PLAYGROUND_COORDINATOR[3]},
        "recipient": {"id": "bot"},
        "conversation": {"id": conversation, "conversationType": "personal"},
        "channelData": {"tenant": {"id": PLAYGROUND_TENANT}},
    }
    base.update(fields)
    return base


# What a coördinator of the demo's first school does; each turn leaves the state as it was,
# so every turn of a scenario is the same work.
SCENARIOS: dict[str, Callable[[str], dict]] = {
    "menu": lambda c: activity(c, value={"action": "menu", "school_id": 1}),
    "typed help": lambda c: activity(c, text="help"),
    "licence list": lambda c: activity(c, value={"action": "licences", "school_id": 1}),
    "link confirmation": lambda c: activity(c, text="koppel groep 5b aan Naut"),
    "pupil search": lambda c: activity(c, value={"action": "school.pupils", "school_id": 1,
                                                 "query": "de", "page": 1}),
    "pincode view": lambda c: activity(c, value={"action": "pincodes.group", "school_id": 1,
                                                 "group_id": 3}),
}


def ECHO_TURN(conversation: str) -> dict:  # noqa: N802 - used like the scenario table
    return activity(conversation, text="help")


@dataclass
class Target:
    name: str
    url: str
    process: asyncio.subprocess.Process
    pid: int = 0


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)
    busy: float = 0.0  # seconds spent in measured slices
    errors: int = 0

    def row(self) -> dict:
        lat = sorted(self.latencies)
        return {"turns": len(lat), "turns/s": len(lat) / self.busy if self.busy else 0.0,
                "p50": statistics.median(lat) * 1000 if lat else float("nan"),
                "p99": lat[max(0, int(len(lat) * 0.99) - 1)] * 1000 if lat else float("nan"),
                "errors": self.errors}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def start(name: str, args: list[str], env: dict[str, str], port: int) -> Target:
    process = await asyncio.create_subprocess_exec(
        sys.executable, *args, env=env, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        for _ in range(600):
            if process.returncode is not None:
                raise RuntimeError(f"{name} stopped during start-up")
            try:
                async with session.get(base + "/healthz") as response:
                    if response.status == 200:
                        return Target(name, base + "/api/messages", process, process.pid)
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError(f"{name} did not start")


async def stop(target: Target) -> None:
    target.process.terminate()
    await asyncio.wait_for(target.process.wait(), 20)


def largest_process(pid: int) -> int:
    """`pid`, or with `serve --workers` the worker with the largest resident set."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as listing:
            children = [int(child) for child in listing.read().split()]
    except OSError:
        children = []
    return max(children, key=lambda child: rss_mb(child)[0]) if children else pid


def rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident set of a process, MB."""
    values = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                values[line.split(":")[0]] = int(line.split()[1]) / 1024
    return values.get("VmRSS", float("nan")), values.get("VmHWM", float("nan"))


async def slice_of(session: aiohttp.ClientSession, target: Target, make: Callable[[str], dict],
                   conversations: list[str], turns: int, sample: Sample | None) -> None:
    """`turns` turns spread over the conversations, each conversation a closed loop."""
    left = [turns]

    async def loop(conversation: str) -> None:
        while left[0] > 0:
            left[0] -= 1
            body = make(conversation)
            started = time.perf_counter()
            async with session.post(target.url, json=body) as response:
                data = await response.read()
                ok = response.status == 200 and b'"activities"' in data
            if sample is not None:
                sample.latencies.append(time.perf_counter() - started)
                sample.errors += 0 if ok else 1

    started = time.perf_counter()
    await asyncio.gather(*(loop(c) for c in conversations))
    if sample is not None:
        sample.busy += time.perf_counter() - started


async def compare(session: aiohttp.ClientSession, bot: Target, echoes: list[Target], label: str,
                  make: Callable[[str], dict], concurrency: int, turns: int
                  ) -> dict[str, Sample]:
    """The bot's scenario and the echo bots, interleaved slice by slice."""
    plan = [(bot, make)] + [(echo, ECHO_TURN) for echo in echoes]
    conversations = {t.name: [f"bench-{label}-{concurrency}-{i}" for i in range(concurrency)]
                     for t, _ in plan}
    for conversation in conversations[bot.name]:  # the school is chosen once, as users do
        async with session.post(bot.url, json=activity(
                conversation, value={"action": "school.set", "school_id": 1})) as response:
            await response.read()
    samples = {t.name: Sample() for t, _ in plan}
    for target, maker in plan:
        await slice_of(session, target, maker, conversations[target.name],
                       max(WARM_UP, concurrency * 2), None)
    per_slice = max(concurrency, turns // ROUNDS)
    for _ in range(ROUNDS):
        for target, maker in plan:
            await slice_of(session, target, maker, conversations[target.name], per_slice,
                           samples[target.name])
    return samples


def serve_env(url: str, port: int) -> dict[str, str]:
    """The environment `beheerbot serve` is benchmarked in: this database and port, no sync
    inbox, no message limit, and no Bot Framework authentication."""
    env = {**os.environ, "DATABASE_URL": url, "PORT": str(port), "HOST": "127.0.0.1",
           "BEHEERBOT_SECRET_KEY": "bench-secret-key-not-for-production",
           "SYNC_INBOX": "", "RATE_MESSAGES": "1000000/minute"}
    for name in ("MicrosoftAppId", "MicrosoftAppPassword"):
        env.pop(name, None)
    return env


async def run_database(database: str, url: str, dataset: str, echoes: list[Target],
                       args: argparse.Namespace, results: list[Result], memory: dict,
                       workers: int = 1) -> None:
    port = free_port()
    env = serve_env(url, port)
    serve = ["-m", "bot.cli", "serve"] + (["--workers", str(workers)] if workers > 1 else [])
    bot = await start("beheerbot", serve, env, port)
    if workers > 1:
        database = f"{database}, {workers} workers"
    try:
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as session:
            for scenario, make in SCENARIOS.items():
                for concurrency in args.conversations:
                    samples = await compare(session, bot, echoes, f"{dataset}-{scenario}",
                                            make, concurrency, args.turns)
                    for target, sample in samples.items():
                        results.append(Result(database, dataset, scenario, concurrency, target,
                                              sample.row()))
                    print_progress(results[-len(samples):])
        memory[(database, dataset)] = rss_mb(largest_process(bot.pid))
    finally:
        await stop(bot)


def print_progress(rows: list[Result]) -> None:
    bot = rows[0]
    print(f"  {bot.database:<10} {bot.dataset:<8} {bot.scenario:<18} {bot.conversations:>3} "
          + "  ".join(f"{r.target}: p50 {r.row['p50']:.1f} ms, {r.row['turns/s']:.0f}/s"
                      + (f" ({r.row['errors']} errors)" if r.row["errors"] else "")
                      for r in rows), flush=True)


async def prepare(database: str, dataset: str, folder: Path, pg: str | None,
                  scale: float, seed: int) -> str:
    """A fresh database of the dataset; its URL."""
    if database == "sqlite":
        url = f"sqlite+aiosqlite:///{folder / f'{dataset}.db'}"
    else:
        name = f"beheerbot_bench_{dataset}"
        admin = await asyncpg.connect(pg)
        try:
            await admin.execute(f"DROP DATABASE IF EXISTS {name}")
            await admin.execute(f"CREATE DATABASE {name}")
        finally:
            await admin.close()
        url = pg.rsplit("/", 1)[0] + f"/{name}"
    started = time.perf_counter()
    if dataset == "national":
        totals = await build_national(url, scale, seed)
        print(f"  {database} national database: {totals['schools']} schools, "
              f"{totals['people']} people, {totals['groups']} groups in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
    else:
        await upgrade(url)
        engine = create_engine(url)
        await load_demo(create_sessions(engine))
        await engine.dispose()
    return url


async def main(args: argparse.Namespace) -> None:
    databases = ["sqlite"] + (["postgresql"] if args.pg else [])
    results: list[Result] = []
    memory: dict = {}
    load_before = os.getloadavg()
    started = time.perf_counter()
    echo_env = {**os.environ, "PYTHONPATH": ROOT}
    echoes = []
    for name, extra in ((ECHO_STOCK, []), (ECHO_FIXED, ["--msrest-fix"])):
        port = free_port()
        echoes.append(await start(name, ["-m", "bench.echo_bot", "--port", str(port),
                                         "--loop", args.echo_loop, *extra], echo_env, port))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for database in databases:
                for dataset in args.datasets:
                    url = await prepare(database, dataset, Path(tmp), args.pg, args.scale,
                                        args.seed)
                    await run_database(database, url, dataset, echoes, args, results, memory)
                    if database == "postgresql" and args.workers > 1:
                        await run_database(database, url, dataset, echoes, args, results,
                                           memory, args.workers)
    finally:
        for echo in echoes:
            await stop(echo)
    meta = {"turns": args.turns, "scale": args.scale, "seed": args.seed,
            "load_before": load_before, "load_after": os.getloadavg(),
            "cpus": os.cpu_count(), "minutes": (time.perf_counter() - started) / 60,
            "bot_loop": chosen_loop(),
            "echo_loop": args.echo_loop}
    path = write_report(Path(args.report), results, memory, meta)
    print(f"\nreport: {path}")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=600,
                        help="measured turns per target, scenario and concurrency")
    parser.add_argument("--conversations", type=int, nargs="+", default=[1, 50])
    parser.add_argument("--datasets", nargs="+", default=["demo", "national"],
                        choices=["demo", "national"])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="fraction of the national size (1.0: ~6,500 schools)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--pg", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="a PostgreSQL server URL (postgresql://user@host:port/db) on which "
                             "the benchmark may create and drop its own databases")
    parser.add_argument("--workers", type=int, default=1,
                        help="also run PostgreSQL with `serve --workers N` (N > 1)")
    parser.add_argument("--echo-loop", choices=LOOPS, default="asyncio",
                        help="the echo bots' event loop: asyncio's own, as the SDK sample runs "
                             "(the floor), or uvloop, on which beheerbot serves")
    parser.add_argument("--report", default=str(Path(__file__).parent / "results"))
    return parser.parse_args(argv)


def run(argv: list[str] | None = None) -> None:
    asyncio.run(main(parse(argv)))
