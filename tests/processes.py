"""Real `beheerbot serve` processes for the tests that need several of them on one database."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp

from tests.conftest import TEST_KEY_TEXT

BEHEERBOT = Path(sys.executable).with_name("beheerbot")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServeProcess:
    """`beheerbot serve` in a process of its own, on its own port, with an HTTP client to it."""

    def __init__(self, db_url: str, log: Path, *, workers: int = 1, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("LVS_", "SMTP_"))},
            "DATABASE_URL": db_url, "PORT": str(self.port), "HOST": "127.0.0.1",
            "BEHEERBOT_SECRET_KEY": TEST_KEY_TEXT, "SYNC_INBOX": "",
            "RATE_MESSAGES": "100000/minute", **env,
        }
        self.args = [str(BEHEERBOT), "serve", "--workers", str(workers)]
        self.process: asyncio.subprocess.Process | None = None
        self.client: aiohttp.ClientSession | None = None

    async def start(self) -> ServeProcess:
        with self.log.open("ab") as out:
            self.process = await asyncio.create_subprocess_exec(
                *self.args, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        # A turn gets a minute; a process that takes a connection and never answers fails the
        # test instead of holding it up (aiohttp's own limit is five minutes a request).
        self.client = aiohttp.ClientSession(base_url=self.url,
                                            timeout=aiohttp.ClientTimeout(total=60))
        deadline = asyncio.get_running_loop().time() + 30
        while asyncio.get_running_loop().time() < deadline:
            if self.process.returncode is not None:
                raise AssertionError(f"serve stopped at once:\n{self.log.read_text()}")
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with self.client.get("/healthz",
                                           timeout=aiohttp.ClientTimeout(total=2)) as response:
                    if response.status == 200:
                        return self
            await asyncio.sleep(0.1)
        raise AssertionError(f"serve did not answer within 30 s:\n{self.log.read_text()}")

    def post(self, path: str, json: dict):
        return self.client.post(path, json=json)

    async def stop(self) -> int | None:
        if self.client is not None:
            await self.client.close()
        if self.process is None or self.process.returncode is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.process.wait(), 30)
        except TimeoutError:
            self.process.kill()
            raise

    def children(self) -> list[int]:
        """The process ids of the workers (`serve --workers N`)."""
        pid = self.process.pid
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(p) for p in text.split()]


class Alternating:
    """A Chat client that sends each turn to the next of several processes in turn."""

    def __init__(self, *processes: ServeProcess, start: int = 0) -> None:
        self.processes = processes
        self.turns = start
        self.served_by: list[int] = []

    def post(self, path: str, json: dict):
        index = self.turns % len(self.processes)
        self.turns += 1
        self.served_by.append(index)
        return self.processes[index].post(path, json=json)
