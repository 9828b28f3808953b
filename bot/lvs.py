"""LVS clients for the app (one HTTP session), the periodic check in `serve`, `results verify`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable

import aiohttp
from aiohttp import web

from bot.background import go_on, stop
from bot.config import Settings
from services.actor import Actor
from services.db import create_engine, create_sessions, upgrade
from services.exchange import ExchangeService
from services.exchange.lvs import LvsSettings, LvsVerifier, build_verifier
from services.exchange.results import VerifyReportDTO
from services.results.client import build_clients
from services.secrets import load_secret_box
from services.shared.context import ServiceContext

log = logging.getLogger(__name__)

LVS_VERIFIER = web.AppKey("lvs_verifier", LvsVerifier)
RESULTS_CLIENTS = web.AppKey("results_clients", dict)
CHECKER = "lvs-controle"  # the operator name in audit events of automatic checks


def new_http_session() -> aiohttp.ClientSession:
    # No cookie jar: each check stands on its own and nothing an LVS sets is sent elsewhere.
    return aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar(), trust_env=False)


def lvs_client_context(settings: LvsSettings):
    """cleanup_ctx: one HTTP session for all LVS clients (key checks and results), closed on
    shutdown."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        http = new_http_session()
        app[LVS_VERIFIER] = build_verifier(settings, http)
        app[RESULTS_CLIENTS] = build_clients(settings, http)
        if not settings.endpoints:
            log.info("Geen LVS_ENDPOINT_* ingesteld: LVS-koppelingen blijven 'Wacht op eerste "
                     "uitwisseling'.")
        try:
            yield
        finally:
            await http.close()

    return context


class PeriodicVerifier:
    """Re-checks pending (and unreachable) couplings now and then every `interval` seconds."""

    def __init__(self, exchange: ExchangeService, interval: float) -> None:
        self.exchange = exchange
        self.interval = interval
        self.rounds = 0
        self.round_done = asyncio.Event()
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="lvs-verify")

    async def stop(self) -> None:
        await stop(self._task, "de LVS-controle")

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _run(self) -> None:
        actor = Actor.operator(CHECKER)
        while True:
            go_on()
            try:
                report = await self.exchange.verify_pending(actor)
                if report.checked:
                    log.info("LVS-koppelingen gecontroleerd: %s", _summary(report))
            except Exception:
                go_on()
                log.exception("periodieke LVS-controle mislukt")
            self.rounds += 1
            self.round_done.set()
            await asyncio.sleep(self.interval)


LVS_PERIODIC = web.AppKey("lvs_periodic", PeriodicVerifier)


def lvs_verify_context(settings: LvsSettings,
                       service_of: Callable[[web.Application], ExchangeService]):
    """cleanup_ctx (after the runtime): the periodic check, only when an LVS is configured."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        if not settings.endpoints or settings.verify_interval <= 0:
            yield
            return
        periodic = PeriodicVerifier(service_of(app), settings.verify_interval)
        app[LVS_PERIODIC] = periodic
        periodic.start()
        try:
            yield
        finally:
            await periodic.stop()

    return context


def _summary(report: VerifyReportDTO) -> str:
    parts = ", ".join(f"{status} {count}" for status, count in report.by_status)
    return f"{report.checked} ({parts})" if parts else str(report.checked)


async def verify_once(settings: Settings) -> int:
    """`beheerbot results verify`: check pending and unreachable couplings once."""
    await upgrade(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        async with new_http_session() as http:
            exchange = ExchangeService(
                ServiceContext(create_sessions(engine),
                               secrets=load_secret_box(settings.secret_key, settings.database_url)),
                build_verifier(settings.lvs, http),
            )
            report = await exchange.verify_pending(Actor.operator(CHECKER))
        log.info("LVS-koppelingen gecontroleerd: %s", _summary(report))
        if not settings.lvs.endpoints:
            log.warning("Geen LVS_ENDPOINT_* ingesteld: niets kon echt gecontroleerd worden.")
        return 0
    finally:
        await engine.dispose()
