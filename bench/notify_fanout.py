"""Fan-out of the proactive sender against a local endpoint that enforces Teams' limits.

Usage: .venv/bin/python bench/notify_fanout.py [--conversations 20] [--per-conversation 30]

Reports the time taken, the 429s the endpoint had to give, whether every message arrived exactly
once, and the fraction of the permitted rate achieved: the least time Teams' windows permit
(per conversation 7/1 s, 8/2 s, 60/30 s, 1,800/h; per tenant 50/1 s; every message sent at the
earliest moment they allow, simulated) divided by the time taken."""

from __future__ import annotations

import argparse
import asyncio
import heapq
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.sender import (  # noqa: E402
    CONVERSATION_LIMITS,
    TENANT_LIMITS,
    NotifySettings,
    ProactiveSender,
    SlidingWindows,
)
from services.actor import Actor  # noqa: E402
from services.db import create_engine, create_sessions  # noqa: E402
from services.models import Base, Person  # noqa: E402
from services.registry import Services  # noqa: E402
from tests.notify.test_sender import Connector, render  # noqa: E402


def permitted_seconds(conversations: int, per_conversation: int) -> float:
    """The least time in which Teams' windows let these messages through (one tenant)."""
    clock = [0.0]
    tenant = SlidingWindows(TENANT_LIMITS, clock=lambda: clock[0], margin=(1.0, 0.0))
    ready = [(0.0, c) for c in range(conversations)]
    windows = [SlidingWindows(CONVERSATION_LIMITS, clock=lambda: clock[0], margin=(1.0, 0.0))
               for _ in range(conversations)]
    left = [per_conversation] * conversations
    heapq.heapify(ready)
    last = 0.0
    while ready:
        at, c = heapq.heappop(ready)
        at = max(windows[c].next_allowed(at), at)
        at = tenant.next_allowed(at)
        if windows[c].next_allowed(at) > at:  # the tenant's wait moved it: look again
            heapq.heappush(ready, (at, c))
            continue
        clock[0] = at
        tenant.start().finish()
        windows[c].start().finish()
        last = at
        left[c] -= 1
        if left[c]:
            heapq.heappush(ready, (windows[c].next_allowed(at), c))
    return last


async def main(conversations: int, per_conversation: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{folder}/bench.db")
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        services = Services.build(create_sessions(engine))
        fake = Connector()
        runner = web.AppRunner(fake.app())
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/"
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
            sender = ProactiveSender(services.outbox, http, render,
                                     NotifySettings(batch=500, max_attempts=10))
            report = await sender.drain_once()
        elapsed = time.perf_counter() - started
        floor = permitted_seconds(conversations, per_conversation)
        once = len(set(fake.delivered)) == len(fake.delivered) == conversations * per_conversation
        arrivals = sorted(t for times in fake.tenants.values() for t in times)
        span = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else 0.0
        print(f"{conversations} gesprekken x {per_conversation} berichten: "
              f"{report.sent} verstuurd in {elapsed:.2f} s (eerste tot laatste aankomst "
              f"{span:.2f} s), {fake.throttled} keer 429, {len(fake.delivered)} ontvangen "
              f"({'elk precies één keer' if once else 'NIET elk precies één keer'}); "
              f"minimaal toegestaan {floor:.2f} s, dus {floor / elapsed:.0%} van het "
              f"toegestane tempo ({floor / span if span else 1:.0%} gemeten aan de aankomsten)")
        await runner.cleanup()
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--per-conversation", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(main(args.conversations, args.per_conversation))
