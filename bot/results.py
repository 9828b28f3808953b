"""Results to the LVS from the bot's side: the HTTP intake (POST /api/results), the sender
inside `serve` (nightly and right after an import), and `beheerbot results import|send`."""

from __future__ import annotations

import asyncio
import hmac
import logging
import sys
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.background import go_on, stop, woken_or_after
from bot.config import Settings
from bot.lvs import new_http_session
from services.actor import Actor
from services.db import create_engine, create_sessions, upgrade
from services.errors import DomainError
from services.registry import Services
from services.results import DocumentError, ResultsService
from services.results.client import build_clients
from services.results.documents import MAX_DOCUMENT_BYTES
from services.results.results import ImportReportDTO, SendReportDTO
from services.secrets import load_secret_box

log = logging.getLogger(__name__)

ROUTE = "/api/results"
INTAKE = "resultatenmonitor"  # the operator name in audit events of the intake
SENDER = "resultaten-verzender"
KINDS = {"application/json": "json", "text/csv": "csv"}


class ResultsSender:
    """Sends queued results at the nightly time and whenever woken (after an import)."""

    def __init__(self, results: ResultsService, send_time: str, *,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.results = results
        hours, minutes = (int(part) for part in send_time.split(":"))
        self._at = (hours, minutes)
        self._clock = clock or (lambda: datetime.now(UTC))
        self.wake = asyncio.Event()
        self.rounds = 0
        self.round_done = asyncio.Event()
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="results-sender")

    async def stop(self) -> None:
        await stop(self._task, "het versturen van resultaten")

    def _seconds_to_next_round(self) -> float:
        zone = ZoneInfo("Europe/Amsterdam")
        now = self._clock().astimezone(zone)
        due = now.replace(hour=self._at[0], minute=self._at[1], second=0, microsecond=0)
        if due <= now:
            due += timedelta(days=1)
        return (due - now).total_seconds()

    async def _run(self) -> None:
        actor = Actor.operator(SENDER)
        while True:
            await woken_or_after(self.wake, self._seconds_to_next_round())
            self.wake.clear()
            go_on()
            try:
                report = await self.results.send_pending(actor)
                if report.couplings:
                    log.info("resultaten verstuurd: %s", summary(report))
            except Exception:
                go_on()
                log.exception("versturen van resultaten mislukt")
            self.rounds += 1
            self.round_done.set()


RESULTS_SENDER = web.AppKey("results_sender", ResultsSender)


def results_sender_context(settings: Settings,
                           service_of: Callable[[web.Application], ResultsService]):
    """cleanup_ctx (after the runtime): the sender, only when an LVS is configured."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        if not settings.lvs.endpoints:
            yield
            return
        sender = ResultsSender(service_of(app), settings.lvs.send_time)
        app[RESULTS_SENDER] = sender
        sender.start()
        sender.wake.set()  # what is still queued from before goes out now
        try:
            yield
        finally:
            await sender.stop()

    return context


def _refuse(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def results_intake(settings: Settings,
                   service_of: Callable[[web.Application], ResultsService]):
    """POST /api/results: a result export (JSON or CSV) with `Authorization: Bearer <token>`
    (RESULTS_TOKEN). Without a configured token every request is refused."""

    async def handle(request: web.Request) -> web.Response:
        if not settings.results_token:
            return _refuse(403, "de resultateninname staat uit (geen RESULTS_TOKEN ingesteld)")
        given = request.headers.get("Authorization", "")
        scheme, _, token = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
                token.strip().encode(), settings.results_token.encode()):
            return web.json_response({"error": "geen of een verkeerd token"}, status=401,
                                     headers={"WWW-Authenticate": "Bearer"})
        kind = KINDS.get(request.content_type)
        if kind is None:
            return _refuse(415, "stuur application/json of text/csv")
        if (request.content_length or 0) > MAX_DOCUMENT_BYTES:
            return _refuse(413, f"hooguit {MAX_DOCUMENT_BYTES} bytes")
        data = bytearray()
        async for chunk in request.content.iter_chunked(65536):
            data.extend(chunk)
            if len(data) > MAX_DOCUMENT_BYTES:
                return _refuse(413, f"hooguit {MAX_DOCUMENT_BYTES} bytes")
        try:
            report = await service_of(request.app).import_document(
                Actor.operator(INTAKE), bytes(data), kind=kind)
        except DocumentError as exc:
            return _refuse(400, str(exc))
        except DomainError as exc:
            return _refuse(409, exc.code or "conflict")
        sender = request.app.get(RESULTS_SENDER)
        if sender is not None and report.queued:
            sender.wake.set()
        return web.json_response(report.as_json())

    return handle


def import_summary(report: ImportReportDTO) -> str:
    return (f"{report.rows} regels: {report.queued} in de wachtrij, {report.known} al bekend, "
            f"{len(report.problems)} apart gezet")


def summary(report: SendReportDTO) -> str:
    parts = [f"{c.school} {c.system}: {c.sent} verstuurd, {c.set_aside} apart gezet, "
             f"status {c.status}{' (' + c.detail + ')' if c.detail else ''}"
             for c in report.couplings]
    if report.skipped:
        parts.append(f"{report.skipped} koppeling(en) overgeslagen (bezig bij een ander proces)")
    return "; ".join(parts) or "niets te versturen"


def run_results(settings: Settings, command: str, path: str | None = None,
                kind: str | None = None) -> int:
    """`beheerbot results import PATH` (queues, then sends like `serve` does after an import)
    and `beheerbot results send`."""
    data = None
    if command == "import":
        file = Path(path or "")
        if not file.is_file():
            print(f"beheerbot: {file} is geen bestand", file=sys.stderr)
            return 2
        if file.stat().st_size > MAX_DOCUMENT_BYTES:
            print(f"beheerbot: {file} is groter dan {MAX_DOCUMENT_BYTES} bytes", file=sys.stderr)
            return 2
        if kind is None and file.suffix.lower() in (".json", ".csv"):
            kind = file.suffix.lower()[1:]
        data = file.read_bytes()
    return asyncio.run(_results_once(settings, data, kind))


async def _results_once(settings: Settings, data: bytes | None, kind: str | None) -> int:
    await upgrade(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        async with new_http_session() as http:
            services = Services.build(
                create_sessions(engine),
                secrets=load_secret_box(settings.secret_key, settings.database_url),
                results_clients=build_clients(settings.lvs, http))
            if data is not None:
                try:
                    report = await services.results.import_document(
                        Actor.operator(INTAKE), data, kind=kind)
                except DocumentError as exc:
                    print(f"beheerbot: {exc}", file=sys.stderr)
                    return 1
                print(import_summary(report))
                for problem in report.problems:
                    print(f"  regel {problem.line}: {problem.reason}")
                if not report.queued or not settings.lvs.endpoints:
                    return 0
            sent = await services.results.send_pending(Actor.operator(SENDER))
            print(summary(sent))
            if not settings.lvs.endpoints:
                print("Geen LVS_ENDPOINT_* ingesteld: resultaten blijven in de wachtrij.")
            return 0
    finally:
        await engine.dispose()
