"""Fan-out of the proactive sender against a local endpoint that enforces Teams' limits.

Usage: .venv/bin/python bench/notify_fanout.py [--conversations 20] [--per-conversation 30]

The sender runs with its production settings (NotifySettings' defaults) on a SQLite file; the
endpoint (bench/teams_endpoint.py) in a process of its own, as Teams is. Reports the time
taken, the 429s the endpoint had to give, whether every message arrived exactly once and was
recorded as sent, and the fraction of the permitted rate achieved: a lower bound of the least
time Teams' windows permit (per conversation 7/1 s, 8/2 s, 60/30 s, 1,800/h; per tenant 50/1 s)
divided by the time taken."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = str(Path(__file__).resolve().parents[1])
sys.path.insert(0, ROOT)

from bench.turns import free_port, start, stop  # noqa: E402
from bot.sender import (  # noqa: E402
    CONVERSATION_LIMITS,
    TENANT_LIMITS,
    NotifySettings,
    ProactiveSender,
)
from services.actor import Actor  # noqa: E402
from services.db import create_engine, create_sessions  # noqa: E402
from services.models import OUTBOX_SENT, Base, Person  # noqa: E402
from services.registry import Services  # noqa: E402
from tests.notify.test_sender import earliest_sends, render  # noqa: E402


def permitted_seconds(conversations: int, per_conversation: int) -> float:
    """A lower bound of the least time in which Teams' windows let these messages through
    (one tenant): the tenant's windows with every message at the earliest moment they allow,
    or one conversation's windows with its own messages, whichever takes longer. No schedule
    can beat either, so the fraction reported against it is never flattered."""
    unhurried = (1.0, 0.0)  # Teams' own windows, without the sender's margin
    return max(earliest_sends(TENANT_LIMITS, unhurried, conversations * per_conversation)[-1],
               earliest_sends(CONVERSATION_LIMITS, unhurried, per_conversation)[-1])


async def main(conversations: int, per_conversation: int) -> None:
    port = free_port()
    endpoint = await start("test endpoint", ["-m", "bench.teams_endpoint", "--port", str(port)],
                           {**os.environ, "PYTHONPATH": ROOT}, port)
    try:
        await _fan_out(f"http://127.0.0.1:{port}/", conversations, per_conversation)
    finally:
        await stop(endpoint)


async def _fan_out(url: str, conversations: int, per_conversation: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{folder}/bench.db")
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        services = Services.build(create_sessions(engine))
        async with services.outbox.ctx.sessions.begin() as session:
            people = [Person(basispoort_key=f"p{i}", first_name="P", last_name=str(i))
                      for i in range(conversations)]
            session.add_all(people)
            await session.flush()
            for person in people:
                for n in range(per_conversation):
                    services.outbox.enqueue(session, person_id=person.id, school_id=None,
                                            run_id=None, kind="bench", payload={"n": n})
        for person in people:
            actor = Actor(person_id=person.id, name="", conversation_id=f"conv-{person.id}")
            await services.references.remember(
                actor, tenant_id="t", scope="personal", service_url=url,
                reference={"conversation": {"id": actor.conversation_id}})
        started = time.perf_counter()
        async with aiohttp.ClientSession() as http:
            sender = ProactiveSender(services.outbox, http, render, NotifySettings())
            report = await sender.drain_once()
            elapsed = time.perf_counter() - started
            async with http.get(url + "_stats") as response:
                stats = await response.json()
        recorded = (await services.outbox.status()).counts.get(OUTBOX_SENT, 0)
        await engine.dispose()
    floor = permitted_seconds(conversations, per_conversation)
    delivered = [tuple(item) for item in stats["delivered"]]
    once = len(set(delivered)) == len(delivered) == conversations * per_conversation
    arrivals = stats["arrivals"]
    span = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else 0.0
    print(f"{conversations} gesprekken x {per_conversation} berichten: "
          f"{report.sent} verstuurd in {elapsed:.2f} s (eerste tot laatste aankomst "
          f"{span:.2f} s), {stats['throttled']} keer 429, {len(delivered)} ontvangen "
          f"({'elk precies één keer' if once else 'NIET elk precies één keer'}); "
          f"minimaal toegestaan {floor:.2f} s, dus {floor / elapsed:.0%} van het "
          f"toegestane tempo ({floor / span if span else 1:.0%} gemeten aan de aankomsten); "
          f"{recorded} als verstuurd vastgelegd")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--per-conversation", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(main(args.conversations, args.per_conversation))
