"""The event loop `beheerbot serve` runs on.

uvloop (libuv under asyncio's interface) where it is installed, which is Linux and macOS:
every turn passes through the loop several times (the HTTP request, each round trip to
PostgreSQL, the reply), and uvloop's passes cost far less than asyncio's own. Measured on this
machine: a round trip to PostgreSQL through asyncpg 190 against 260-320 µs, a menu turn on
PostgreSQL (client in the same process) 2.3 against 3.3 ms (docs/performance.md).
EVENT_LOOP=asyncio runs asyncio's own loop, for a platform without uvloop or to compare."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, TypeVar

T = TypeVar("T")

LOOPS = ("uvloop", "asyncio")


def uvloop_installed() -> bool:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return False
    return True


def default_loop() -> str:
    return "uvloop" if uvloop_installed() else "asyncio"


def chosen_loop(env: Mapping[str, str] = os.environ) -> str:
    """The loop EVENT_LOOP names, else the default; Settings.from_env refuses a name not in
    LOOPS."""
    return env.get("EVENT_LOOP", "").strip().lower() or default_loop()


def loop_factory(name: str) -> Callable[[], asyncio.AbstractEventLoop]:
    """What makes a new event loop of kind `name`: uvloop's for "uvloop", asyncio's else."""
    if name == "uvloop":
        import uvloop

        return uvloop.new_event_loop
    return asyncio.new_event_loop


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run` on the loop `serve` would run on here (EVENT_LOOP, else the default): for
    the tools that run the app in their own process to profile it."""
    with asyncio.Runner(loop_factory=loop_factory(chosen_loop())) as runner:
        return runner.run(coroutine)
