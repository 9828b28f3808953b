"""The sweep of `serve`: cards that still show pincodes after their few minutes are replaced by
their version without codes (PUT {serviceUrl}/v3/conversations/{id}/activities/{activityId},
the Bot Connector's update). What is shown lives in the database, so a restart loses nothing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from urllib.parse import quote

import aiohttp
from aiohttp import web

from bot.background import go_on, stop
from bot.sender import CARD_TYPE, TokenSource, bot_token_source
from services.pincodes.shown import ShownCardDTO, ShownCodesStore

log = logging.getLogger(__name__)

SWEEP_INTERVAL = 20.0  # seconds between looks; a card is hidden at most this late
GONE = frozenset({403, 404})  # the message or the conversation is no more: nothing to hide


@dataclass
class CodeHider:
    store: ShownCodesStore
    http: aiohttp.ClientSession
    token: TokenSource | None = None  # None: authentication is off (local use)

    async def hide_due_once(self) -> int:
        """Hide every card whose time is up; how many were hidden. A failure is tried again
        later (the claim moved its time on)."""
        hidden = 0
        for message in await self.store.claim_due():
            status = await self._put(message)
            if status is not None and (200 <= status < 300 or status in GONE):
                await self.store.forget(message.conversation_id, message.activity_id)
                hidden += 200 <= status < 300
            else:
                log.warning("pincodekaart %s niet verborgen (poging %d): %s",
                            message.activity_id, message.attempts + 1,
                            f"HTTP {status}" if status else "netwerkfout")
        return hidden

    async def _put(self, message: ShownCardDTO) -> int | None:
        url = (f"{message.service_url.rstrip('/')}/v3/conversations/"
               f"{quote(message.conversation_id, safe='')}/activities/"
               f"{quote(message.activity_id, safe='')}")
        body = {"type": "message", "id": message.activity_id,
                "conversation": {"id": message.conversation_id},
                "attachments": [{"contentType": CARD_TYPE, "content": message.hidden_card}]}
        if message.tenant_id:
            body["channelData"] = {"tenant": {"id": message.tenant_id}}
        headers = {}
        if self.token is not None:
            token = await self.token()
            if token:
                headers["Authorization"] = f"Bearer {token}"
        try:
            async with self.http.put(url, json=body, headers=headers,
                                     timeout=aiohttp.ClientTimeout(total=30)) as response:
                await response.read()
                return response.status
        except (aiohttp.ClientError, TimeoutError):
            return None


def hide_codes_context(settings, store_of: Callable[[web.Application], ShownCodesStore],
                       interval: float = SWEEP_INTERVAL):
    """cleanup_ctx (after the runtime): the sweep, every `interval` seconds."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        token = bot_token_source(settings.bot_auth()) if settings.auth_enabled else None
        async with aiohttp.ClientSession() as http:
            sweep = asyncio.create_task(_run(CodeHider(store_of(app), http, token), interval),
                                        name="pincode-sweep")
            try:
                yield
            finally:
                await stop(sweep, "het verbergen van pincodes")

    return context


async def _run(hider: CodeHider, interval: float) -> None:
    while True:
        go_on()
        try:
            hidden = await hider.hide_due_once()
            if hidden:
                log.info("pincodes: %d kaart(en) verborgen", hidden)
        except Exception:
            go_on()
            log.exception("pincodes verbergen mislukt; volgende ronde probeert opnieuw")
        await asyncio.sleep(interval)
