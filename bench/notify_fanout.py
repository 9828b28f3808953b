"""Fan-out of the proactive sender against a local endpoint that enforces Teams' limits.

Usage: .venv/bin/python bench/notify_fanout.py [--conversations 20] [--per-conversation 30]

Reports the time taken, the 429s the endpoint had to give, and the fraction of the permitted
rate achieved: per conversation Teams permits 8 per 2 s in steady state (4/s, after a first
burst), so N messages in one conversation need at least (N - 8) / 4 seconds."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.sender import NotifySettings, ProactiveSender  # noqa: E402
from services.actor import Actor  # noqa: E402
from services.db import create_engine, create_sessions  # noqa: E402
from services.models import Base, Person  # noqa: E402
from services.registry import Services  # noqa: E402
from tests.notify.test_sender import Connector, render  # noqa: E402


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
        floor = max((per_conversation - 8) / 4.0, conversations * per_conversation / 50.0)
        print(f"{conversations} gesprekken x {per_conversation} berichten: "
              f"{report.sent} verstuurd in {elapsed:.1f} s, {fake.throttled} keer 429, "
              f"{len(fake.delivered)} ontvangen; minimaal toegestaan {floor:.1f} s, "
              f"dus {floor / elapsed:.0%} van het toegestane tempo")
        await runner.cleanup()
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--per-conversation", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(main(args.conversations, args.per_conversation))
