"""`beheerbot notify`: drain the notification outbox once and show what happened."""

from __future__ import annotations

import aiohttp

from bot.config import Settings
from bot.sender import NotifySettings, ProactiveSender, Render, bot_token_source
from services.db import create_engine, create_sessions, upgrade
from services.models import OUTBOX_PENDING
from services.notify.outbox import Outbox
from services.shared.context import ServiceContext


async def notify_once(settings: Settings, render: Render) -> int:
    await upgrade(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        outbox = Outbox(ServiceContext(create_sessions(engine)))
        token = bot_token_source(settings.bot_auth()) if settings.auth_enabled else None
        async with aiohttp.ClientSession() as http:
            report = await ProactiveSender(outbox, http, render, NotifySettings.from_env(),
                                           token).drain_once()
        status = await outbox.status()
    finally:
        await engine.dispose()
    rows = [
        ("verstuurd", report.sent),
        ("extra pogingen", report.retried),
        ("opgegeven", report.given_up),
        ("gesprek bestaat niet meer", report.stale),
        ("verlopen (geen gesprek)", report.expired),
        ("nog te versturen", status.counts.get(OUTBOX_PENDING, 0)),
        ("blijven hangen in 'sending'", len(status.left_sending)),
    ]
    width = max(len(label) for label, _ in rows)
    for label, count in rows:
        print(f"{label:<{width}}  {count:>6}")
    if report.elsewhere:
        print("Een ander proces (beheerbot serve) verstuurt de meldingen al; "
              "het neemt ook deze mee.")
    if status.left_sending:
        print("Niet automatisch opnieuw verstuurd (mogelijk al bezorgd): "
              + ", ".join(str(i) for i in status.left_sending))
    return 0
