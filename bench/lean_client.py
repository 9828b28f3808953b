"""The turn ratios at 1 conversation once more, measured by a client that costs next to
nothing: one blocking keep-alive socket per target, each request's bytes built once, the
answer read by its Content-Length. `bench/turns.py` measures with aiohttp's client, whose own
time is part of every turn it times, the echo bots' included; this shows whether the ratios
to the echo floor depend on that client. Prints a table.

Usage: python -m bench.lean_client [--pg URL] [--turns 600]
(demo data; without --pg a temporary SQLite file)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import tempfile
import time
from pathlib import Path

from bench.turns import (
    ECHO_TURN,
    ROOT,
    SCENARIOS,
    activity,
    free_port,
    prepare,
    serve_env,
    start,
    stop,
)

SLICES = 10  # each target's turns are measured in this many slices, taken in turn
WARM_UP = 50


class Client:
    """One keep-alive HTTP/1.1 connection that sends prebuilt requests."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def request(self, body: dict) -> bytes:
        data = json.dumps(body).encode()
        return (f"POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
                ).encode() + data

    def turn(self, request: bytes) -> None:
        self.sock.sendall(request)
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._received()
        head, rest = self.buffer.split(b"\r\n\r\n", 1)
        length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:"))
        while len(rest) < length:
            rest += self._received()
        self.buffer = rest[length:]
        if not head.startswith(b"HTTP/1.1 200") or b'"activities"' not in rest[:length]:
            raise RuntimeError(f"unexpected answer: {head[:60]!r}")

    def _received(self) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise RuntimeError("connection closed")
        return chunk


def measure(bot: int, fixed: int, stock: int, turns: int) -> dict[str, float]:
    """p50 in seconds per target, slices interleaved as bench/turns.py does."""
    plan: dict[str, tuple[Client, bytes]] = {}
    for name, make in SCENARIOS.items():
        conversation = "lean-" + name.replace(" ", "-")
        client = Client(bot)
        client.turn(client.request(activity(conversation, value={"action": "school.set",
                                                                 "school_id": 1})))
        plan[name] = (client, client.request(make(conversation)))
    for name, port in (("echo fixed", fixed), ("echo stock", stock)):
        client = Client(port)
        plan[name] = (client, client.request(ECHO_TURN(f"lean-{port}")))
    latencies: dict[str, list[float]] = {name: [] for name in plan}
    for client, request in plan.values():
        for _ in range(WARM_UP):
            client.turn(request)
    per_slice = max(1, turns // SLICES)
    for _ in range(SLICES):
        for name, (client, request) in plan.items():
            for _ in range(per_slice):
                started = time.perf_counter()
                client.turn(request)
                latencies[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in latencies.items()}


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        database = "postgresql" if args.pg else "sqlite"
        url = await prepare(database, "demo", Path(tmp), args.pg, 1.0, 13)
        ports = [free_port() for _ in range(3)]
        env = {**serve_env(url, ports[0]), "PYTHONPATH": ROOT}
        targets = [await start("beheerbot", ["-m", "bot.cli", "serve"], env, ports[0])]
        try:
            for name, port, extra in (("echo, msrest fix", ports[1], ["--msrest-fix"]),
                                      ("echo, stock", ports[2], [])):
                targets.append(await start(name, ["-m", "bench.echo_bot", "--port", str(port),
                                                  *extra], env, port))
            p50 = await asyncio.to_thread(measure, *ports, args.turns)
        finally:
            for target in targets:
                await stop(target)
    fixed, stock = p50["echo fixed"], p50["echo stock"]
    print(f"\n{database}, demo data, 1 conversation, {args.turns} turns per target, "
          "lean client\n")
    print("| turn | p50 ms | ÷ fixed echo | ÷ stock echo |\n|---|--:|--:|--:|")
    for name, value in p50.items():
        print(f"| {name} | {value * 1000:.2f} | {value / fixed:.2f} | {value / stock:.2f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="a PostgreSQL server where beheerbot_bench_demo may be created")
    parser.add_argument("--turns", type=int, default=600)
    asyncio.run(main(parser.parse_args()))
