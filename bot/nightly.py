"""The nightly run inside `serve`: at a set time (02:00 Europe/Amsterdam by default) every
delivery in the inbox folder is applied through the sync and moved aside, so nothing is applied
twice by accident; the notification sender is woken afterwards. Several processes on one
database each keep this clock, but a night is claimed in the database first, so one of them runs
it (SyncService.claim_night)."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.background import go_on, stop
from services.sync import SyncService
from services.sync.results import RunResultDTO

log = logging.getLogger(__name__)

DELIVERY_SUFFIXES = (".xml", ".json")
DONE_FOLDER = "verwerkt"
REJECTED_FOLDER = "afgewezen"


@dataclass(frozen=True)
class NightlySettings:
    inbox: Path | None = None  # None: no nightly run
    at: time = time(2, 0)
    zone: str = "Europe/Amsterdam"

    @classmethod
    def from_env(cls, env) -> NightlySettings:
        inbox = env.get("SYNC_INBOX", "inbox").strip()
        text = env.get("SYNC_TIME", "02:00").strip()
        try:
            hours, minutes = (int(part) for part in text.split(":"))
            at = time(hours, minutes)
        except ValueError:
            raise ValueError(f"SYNC_TIME moet een tijd als 02:00 zijn, niet {text!r}.") from None
        zone = env.get("SYNC_TIMEZONE", "Europe/Amsterdam").strip()
        try:
            ZoneInfo(zone)
        except (KeyError, ValueError):
            raise ValueError(f"SYNC_TIMEZONE {zone!r} is geen tijdzone.") from None
        return cls(inbox=Path(inbox) if inbox else None, at=at, zone=zone)


def deliveries_in(paths: list[Path]) -> list[Path]:
    """The delivery files named, folders expanded; in name order, so dated names apply in
    the order they were made. Files already moved aside are left out."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir()
                                if p.is_file() and p.suffix.lower() in DELIVERY_SUFFIXES))
        else:
            found.append(path)
    return found


def move_aside(path: Path, result: RunResultDTO, day: str) -> Path:
    """Into `verwerkt/<day>/` or `afgewezen/<day>/` next to the file, never over another."""
    folder = path.parent / (REJECTED_FOLDER if result.status == "rejected" else DONE_FOLDER) / day
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    n = 2
    while target.exists():
        target = folder / f"{path.stem}-{n}{path.suffix}"
        n += 1
    shutil.move(str(path), target)
    return target


async def run_inbox(sync: SyncService, inbox: Path, *, now: datetime,
                    progress: Callable[[Path, RunResultDTO], None] | None = None
                    ) -> list[RunResultDTO]:
    """Apply every delivery in the inbox, one school at a time, and move each aside. A
    delivery applied but not moved (a crash in between) is recognised by its content the
    next time and changes nothing."""
    await asyncio.to_thread(inbox.mkdir, parents=True, exist_ok=True)
    results = []
    for path in await asyncio.to_thread(deliveries_in, [inbox]):
        result = await sync.apply_file(path)
        await asyncio.to_thread(move_aside, path, result, now.strftime("%Y-%m-%d"))
        results.append(result)
        if progress is not None:
            progress(path, result)
    return results


def next_run(now: datetime, at: time, zone: str) -> datetime:
    """The next moment the clock in `zone` shows `at` (a day later when that moment is past).
    Across a DST change the wall-clock time is kept."""
    local = now.astimezone(ZoneInfo(zone))
    candidate = datetime.combine(local.date(), at, ZoneInfo(zone))
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, ZoneInfo(zone))
    return candidate


class NightlySync:
    """Sleeps until the next run time, runs the inbox, wakes the sender, and again."""

    def __init__(self, sync: SyncService, settings: NightlySettings, *,
                 clock: Callable[[], datetime], after_run: Callable[[], None] | None = None
                 ) -> None:
        self.sync = sync
        self.settings = settings
        self.clock = clock
        self.after_run = after_run
        self._task: asyncio.Task | None = None
        self.runs = 0
        self.skipped = 0  # nights another process ran
        self.worker = f"{socket.gethostname()}:{os.getpid()}"

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="nightly-sync")

    async def stop(self) -> None:
        await stop(self._task, "de nachtelijke synchronisatie")

    async def run_once(self) -> list[RunResultDTO]:
        assert self.settings.inbox is not None
        results = await run_inbox(self.sync, self.settings.inbox, now=self.clock())
        self.runs += 1
        if results:
            rejected = sum(r.status == "rejected" for r in results)
            log.info("nachtelijke synchronisatie: %s leveringen, %s afgewezen",
                     len(results), rejected)
        if self.after_run is not None:
            self.after_run()
        return results

    async def run_night(self, night: str) -> list[RunResultDTO] | None:
        """The run of one night, if this process claims it first; None when another process
        (on the same database) already has it."""
        if not await self.sync.claim_night(night, self.worker):
            self.skipped += 1
            log.info("nachtelijke synchronisatie van %s loopt al in een ander proces", night)
            return None
        results = await self.run_once()
        await self.sync.finish_night(night, len(results))
        return results

    async def _loop(self) -> None:
        while True:
            due = next_run(self.clock(), self.settings.at, self.settings.zone)
            await asyncio.sleep(max(0.0, (due - self.clock()).total_seconds()))
            go_on()
            try:
                await self.run_night(due.date().isoformat())
            except Exception:
                go_on()
                log.exception("nachtelijke synchronisatie mislukt")


NIGHTLY = web.AppKey("nightly_sync", NightlySync)


def nightly_context(settings: NightlySettings, sync_of: Callable[[web.Application], SyncService],
                    clock_of: Callable[[web.Application], Callable[[], datetime]],
                    wake_of: Callable[[web.Application], Callable[[], None]] | None = None):
    """cleanup_ctx (after the sender's): the nightly run, when an inbox is configured; the
    sender is woken after each run."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        if settings.inbox is None:
            yield
            return
        nightly = NightlySync(sync_of(app), settings, clock=clock_of(app),
                              after_run=wake_of(app) if wake_of else None)
        app[NIGHTLY] = nightly
        nightly.start()
        log.info("nachtelijke synchronisatie om %s (%s) uit map %s",
                 settings.at.strftime("%H:%M"), settings.zone, settings.inbox)
        try:
            yield
        finally:
            await nightly.stop()

    return context
