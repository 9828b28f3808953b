"""The proactive sender: drains the notification outbox into Teams through the Bot Connector
REST protocol (POST {serviceUrl}/v3/conversations/{id}/activities, one Adaptive Card).

Within Teams' limits: per conversation 7 per second, 8 per 2 s, 60 per 30 s and 1,800 per hour;
per tenant 50 requests per second (SlidingWindows: exact, with a small margin). 429 waits for Retry-After, 412/502/503/504 and
network errors are retried with exponential backoff and jitter (tenacity), up to
`max_attempts`; 403/404 mark the conversation stale. A message is claimed before it is sent
(services.notify.outbox), so it is sent at most once. Neither a card nor a token is logged."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import math
import os
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import web
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from bot.background import go_on, stop, woken_or_after
from bot.outgoing import checked_card
from cards.i18n import Texts
from services.notify.outbox import Outbox
from services.notify.results import OutgoingDTO

log = logging.getLogger(__name__)

Render = Callable[[str, dict[str, Any], str | None], dict]
TokenSource = Callable[[], Awaitable[str | None]]

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
RETRYABLE_STATUS = frozenset({412, 429, 502, 503, 504})
STALE_STATUS = frozenset({403, 404})
# Teams' documented limits: per conversation (count, seconds), and per tenant.
CONVERSATION_LIMITS = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))
TENANT_LIMITS = ((50, 1.0),)
# Each window is kept a little longer than Teams' own (1 % and 10 ms): clocks and timers round.
WINDOW_MARGIN = (1.01, 0.01)


@dataclass(frozen=True)
class NotifySettings:
    max_attempts: int = 5
    backoff_initial: float = 1.0
    backoff_max: float = 60.0
    max_retry_after: float = 120.0  # a longer Retry-After is capped to this
    interval: float = 15.0  # how often the background sender looks without being woken
    batch: int = 50

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> NotifySettings:
        env = os.environ if env is None else env
        return cls(
            max_attempts=max(1, int(env.get("NOTIFY_MAX_ATTEMPTS", "5"))),
            interval=max(1.0, float(env.get("NOTIFY_INTERVAL", "15"))),
        )


@dataclass
class DrainReport:
    sent: int = 0
    retried: int = 0  # extra attempts made (429, 5xx, network)
    given_up: int = 0
    stale: int = 0
    expired: int = 0
    elsewhere: bool = False  # another process's sender was draining: this one sent nothing


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Retry-After as seconds or as an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - now).total_seconds())


def activity_for(message: OutgoingDTO, card: dict) -> dict[str, Any]:
    ref = message.reference
    activity: dict[str, Any] = {
        "type": "message",
        "conversation": {"id": message.conversation_id},
        "attachments": [{"contentType": CARD_TYPE, "content": card}],
    }
    if isinstance(ref.get("bot"), dict):
        activity["from"] = ref["bot"]
    if isinstance(ref.get("user"), dict):
        activity["recipient"] = ref["user"]
    if message.tenant_id:
        activity["channelData"] = {"tenant": {"id": message.tenant_id}}
    return activity


@dataclass
class ProactiveSender:
    outbox: Outbox
    http: aiohttp.ClientSession
    render: Render
    settings: NotifySettings = field(default_factory=NotifySettings)
    token: TokenSource | None = None  # None: authentication is off (local use)
    _conversations: dict[str, SlidingWindows] = field(default_factory=dict)
    _tenants: dict[str, SlidingWindows] = field(default_factory=dict)

    async def drain_once(self) -> DrainReport:
        """Send everything that is due now; messages waiting for a later attempt stay pending.
        While another process's sender drains, nothing (it takes what is due as it goes)."""
        async with self.outbox.sending_turn() as mine:
            return await self._drain() if mine else DrainReport(elsewhere=True)

    async def _drain(self) -> DrainReport:
        report = DrainReport(expired=await self.outbox.expire_unreachable())
        # A stream rather than batch after batch: up to `batch` messages are on their way at
        # once, and more are claimed as soon as half of them are done, so a conversation that
        # waits for its windows never holds up the claim of the others.
        running: set[asyncio.Task] = set()
        sent: list[int] = []
        more = True
        try:
            while True:
                await self._record_sent(sent)
                if more and len(running) <= self.settings.batch // 2:
                    claimed = await self.outbox.claim_due(self.settings.batch - len(running))
                    more = bool(claimed)
                    running.update(asyncio.create_task(self._deliver(message, report, sent))
                                   for message in claimed)
                if not running:
                    return report
                done, running = await asyncio.wait(running,
                                                   return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    task.result()
        finally:
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)
            await self._record_sent(sent)

    async def _record_sent(self, sent: list[int]) -> None:
        """Record the messages Teams accepted since the last time, in one transaction. One
        per message would hold up the event loop on SQLite, and with it the answers of the
        other messages on their way, whose arrival the windows count from. An id leaves the
        list only once written: a write cut short is made again."""
        if sent:
            ids = list(sent)
            await self.outbox.mark_sent(*ids)
            del sent[:len(ids)]

    async def _deliver(self, message: OutgoingDTO, report: DrainReport, sent: list[int]
                       ) -> None:
        try:
            card = self.render(message.kind, message.payload, message.language)
        except Exception as exc:  # a card that cannot be made will not become makeable
            log.error("melding %s: kaart kon niet worden gemaakt (%s)", message.id,
                      type(exc).__name__)
            await self.outbox.give_up(message.id, f"kaart niet te maken: {type(exc).__name__}")
            report.given_up += 1
            return
        body = activity_for(message, checked_card(card, Texts(message.language),
                                                  f"melding {message.id}"))
        attempts = 0
        try:
            async for attempt in AsyncRetrying(
                    retry=retry_if_exception_type(_Retryable),
                    stop=stop_after_attempt(self.settings.max_attempts),
                    wait=self._wait, reraise=True):
                with attempt:
                    attempts += 1
                    if attempts > 1:
                        report.retried += 1
                    status = await self._post(message, body)
        except _Retryable as exc:
            log.warning("melding %s opgegeven na %d pogingen: %s", message.id, attempts,
                        exc.reason)
            await self.outbox.give_up(message.id,
                                      f"opgegeven na {attempts} pogingen: {exc.reason}")
            report.given_up += 1
            return
        if 200 <= status < 300:
            sent.append(message.id)  # recorded by drain_once with the others that came in
            report.sent += 1
        elif status in STALE_STATUS:
            log.info("melding %s: gesprek bestaat niet meer (HTTP %d)", message.id, status)
            await self.outbox.mark_stale(message.id, message.conversation_id)
            report.stale += 1
        else:
            log.warning("melding %s geweigerd door Teams (HTTP %d)", message.id, status)
            await self.outbox.give_up(message.id, f"geweigerd door Teams: HTTP {status}")
            report.given_up += 1

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retryable) and exc.retry_after is not None:
            return min(exc.retry_after, self.settings.max_retry_after)
        return wait_exponential_jitter(initial=self.settings.backoff_initial,
                                       max=self.settings.backoff_max)(state)

    async def _post(self, message: OutgoingDTO, body: dict[str, Any]) -> int:
        """One POST within the limits; a retryable answer raises _Retryable."""
        url = (f"{message.service_url.rstrip('/')}/v3/conversations/"
               f"{quote(message.conversation_id, safe='')}/activities")
        headers = {}
        if self.token is not None:
            token = await self.token()
            if token:
                headers["Authorization"] = f"Bearer {token}"
        done = await self._paced(message)
        try:
            async with self.http.post(url, json=body, headers=headers,
                                      timeout=aiohttp.ClientTimeout(total=30)) as response:
                status = response.status
                retry_after = response.headers.get("Retry-After")
                await response.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise _Retryable(f"netwerkfout: {type(exc).__name__}") from exc
        finally:
            done()
        if status in RETRYABLE_STATUS:
            seconds = retry_after_seconds(retry_after, datetime.now(UTC)) \
                if status == 429 else None
            raise _Retryable(f"HTTP {status}", seconds)
        return status

    async def _paced(self, message: OutgoingDTO) -> Callable[[], None]:
        """Wait until this conversation's windows and then its tenant's allow one more send,
        and count it in both; call the returned function when the answer is in. A
        conversation's messages take their turns one by one (its lock, in order). Of the
        conversations waiting for their tenant, the one that sent fewest in the last hour goes
        first, so that all of a fan-out's conversations move on together and none is left
        with a queue that only its own windows (4 a second) let through at the end."""
        conversation = self._windows(self._conversations, message.conversation_id,
                                     CONVERSATION_LIMITS)
        tenant = self._windows(self._tenants, message.tenant_id or "", TENANT_LIMITS)
        async with conversation.lock.turn(0):
            await conversation.wait()
            priority = len(conversation.sends)
            async with tenant.lock.turn(priority):
                await tenant.wait()
                while await tenant.lock.defer(priority):  # someone quieter came: after them
                    await tenant.wait()
                in_tenant = tenant.start()
            in_conversation = conversation.start()

        def done() -> None:
            in_tenant.finish()
            in_conversation.finish()

        return done

    @staticmethod
    def _windows(table: dict[str, SlidingWindows], key: str,
                 limits: tuple[tuple[int, float], ...]) -> SlidingWindows:
        windows = table.get(key)
        if windows is None:
            if len(table) > 10_000:  # forget conversations that are quiet now
                for old in [k for k, w in table.items() if w.idle()]:
                    del table[old]
            windows = table[key] = SlidingWindows(limits)
        return windows


class FairLock:
    """A lock that goes to the waiter with the lowest priority when it is released (in order
    of asking among equals), where asyncio.Lock goes to the first to ask; its holder can also
    step aside for a lower one that asked meanwhile (`defer`)."""

    def __init__(self) -> None:
        self._owner: asyncio.Task | None = None
        self._waiters: list[tuple[int, int, asyncio.Future[None], asyncio.Task]] = []
        self._asked = itertools.count()

    def locked(self) -> bool:
        return self._owner is not None

    async def acquire(self, priority: int) -> None:
        me = asyncio.current_task()
        if self._owner is None and not self._live_waiters():
            self._owner = me
            return
        if not await self._wait(priority, me):
            return
        self.release()  # handed over just as it was cancelled: on to the next
        raise asyncio.CancelledError

    async def defer(self, priority: int) -> bool:
        """Held by the caller: when a waiter with a lower priority asked meanwhile, hand the
        lock over and wait for it back (True); otherwise keep it (False)."""
        if not self._live_waiters() or self._waiters[0][0] >= priority:
            return False
        me = asyncio.current_task()
        self.release()  # to the lower one: we are not in the queue yet
        if await self._wait(priority, me):
            raise asyncio.CancelledError  # held again: the caller's `turn` releases it
        return True

    async def _wait(self, priority: int, me: asyncio.Task | None) -> bool:
        """Queue up until handed the lock; True when cancelled while holding it."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (priority, next(self._asked), future, me))
        try:
            await future
        except asyncio.CancelledError:
            if future.cancelled():  # still waiting: not ours
                raise
            return True
        return False

    def _live_waiters(self) -> bool:
        while self._waiters and self._waiters[0][2].done():  # cancelled while waiting
            heapq.heappop(self._waiters)
        return bool(self._waiters)

    def release(self) -> None:
        if self._live_waiters():
            _, _, future, task = heapq.heappop(self._waiters)
            self._owner = task
            future.set_result(None)
        else:
            self._owner = None

    @contextlib.asynccontextmanager
    async def turn(self, priority: int) -> AsyncIterator[None]:
        await self.acquire(priority)
        try:
            yield
        finally:
            if self._owner is asyncio.current_task():
                self.release()


class _Send:
    """One request in the windows: counted from when it leaves until `period` after its answer
    came back (Teams counts it on arrival, which lies somewhere in between)."""

    __slots__ = ("clock", "started", "ended")

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.started = clock()
        self.ended = math.inf  # in flight

    def finish(self) -> None:
        if self.ended == math.inf:
            self.ended = self.clock()


class SlidingWindows:
    """Never more than `count` requests arriving in any `period` (widened by WINDOW_MARGIN),
    however long each takes on the way: a request counts as arriving anywhere between leaving
    and its answer, so the next may leave once the count-th latest answer is `period` old."""

    def __init__(self, limits: tuple[tuple[int, float], ...],
                 clock: Callable[[], float] = time.monotonic,
                 margin: tuple[float, float] = WINDOW_MARGIN) -> None:
        factor, extra = margin
        self.limits = tuple((count, period * factor + extra) for count, period in limits)
        self.horizon = max(period for _, period in self.limits)
        self.sends: deque[_Send] = deque()
        self.lock = FairLock()
        self._clock = clock

    def next_allowed(self, now: float) -> float:
        """The earliest moment from `now` on at which one more request stays within every
        window."""
        while self.sends and self.sends[0].ended <= now - self.horizon:
            self.sends.popleft()
        earliest = now
        ends: list[float] | None = None
        for count, period in self.limits:
            if len(self.sends) >= count:
                if ends is None:
                    ends = sorted(send.ended for send in self.sends)
                earliest = max(earliest, ends[-count] + period)
        return earliest

    async def wait(self) -> None:
        while True:
            now = self._clock()
            earliest = self.next_allowed(now)
            if earliest <= now:
                return
            if earliest == math.inf:  # the window is full of requests still on their way
                earliest = now + 0.01
            await asyncio.sleep(earliest - now)

    def start(self) -> _Send:
        send = _Send(self._clock)
        self.sends.append(send)
        return send

    def idle(self) -> bool:
        return not self.lock.locked() and all(
            send.ended <= self._clock() - self.horizon for send in self.sends)


def bot_token_source(auth: Any) -> TokenSource:
    """The bearer token for the Bot Connector from the SDK's own app credentials (password,
    certificate-less single/multi tenant or managed identity, as configured)."""
    from botbuilder.integration.aiohttp import ConfigurationServiceClientCredentialFactory
    from botframework.connector.auth import AuthenticationConstants

    factory = ConfigurationServiceClientCredentialFactory(auth)
    credentials = None

    async def token() -> str | None:
        nonlocal credentials
        if credentials is None:
            credentials = await factory.create_credentials(
                auth.APP_ID, AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE,
                AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL, True)
        # msal is blocking; it caches the token until shortly before it expires.
        return await asyncio.to_thread(credentials.get_access_token)

    return token


NOTIFY_WAKE = web.AppKey("notify_wake", asyncio.Event)


def sender_context(settings: Any, outbox_of: Callable[[web.Application], Outbox],
                   render: Render, notify: NotifySettings | None = None):
    """cleanup_ctx (after the runtime): the background sender, woken every `interval` seconds
    and whenever `app[NOTIFY_WAKE]` (an asyncio.Event) is set, e.g. after a nightly sync."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        wake = asyncio.Event()
        app[NOTIFY_WAKE] = wake
        nonlocal notify
        notify = notify or NotifySettings.from_env()
        token = bot_token_source(settings.bot_auth()) if settings.auth_enabled else None
        async with aiohttp.ClientSession() as http:
            sender = ProactiveSender(outbox_of(app), http, render, notify, token)
            task = asyncio.create_task(_run(sender, wake, notify.interval),
                                       name="notify-sender")
            try:
                yield
            finally:
                await stop(task, "het versturen van meldingen")

    return context


async def _run(sender: ProactiveSender, wake: asyncio.Event, interval: float) -> None:
    while True:
        go_on()
        try:
            report = await sender.drain_once()
            if report.sent or report.given_up or report.stale or report.expired:
                log.info("meldingen: %d verstuurd, %d opgegeven, %d gesprek weg, %d verlopen",
                         report.sent, report.given_up, report.stale, report.expired)
        except Exception:
            go_on()
            log.exception("meldingen versturen mislukt; volgende ronde probeert opnieuw")
        await woken_or_after(wake, interval)
        wake.clear()
