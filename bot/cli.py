"""The `beheerbot` command: serve, demo-data, db upgrade, sync, audit, and the operator's tools."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import socket
import sys
from pathlib import Path

from aiohttp import web

from bot.app import create_app
from bot.audit_cli import (
    add_audit_commands,
    add_school_commands,
    add_secrets_commands,
    run_audit,
    run_school,
    run_secrets,
)
from bot.config import ConfigError, Settings
from bot.downloads import RedactingAccessLogger
from bot.eventloop import loop_factory
from bot.helpdesk_cli import add_helpdesk_commands, run_helpdesk
from bot.lvs import verify_once
from bot.manifest import ManifestError, write_package
from bot.notify_cli import notify_once
from bot.perf import freeze_heap
from bot.pincode_cli import add_pincode_commands, run_pincodes
from bot.results import run_results
from bot.sync_cli import add_sync_commands, run_coordinator, run_sync
from bot.workers import check_workers, serve_workers
from cards.notifications import render as render_outbox
from services.db import create_engine, create_sessions, upgrade
from services.demo import PLAYGROUND_COORDINATOR, is_empty, load_demo
from services.secrets import load_secret_box

log = logging.getLogger("beheerbot")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="beheerbot", description="Het Malmberg beheerdeel in Teams.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="start de bot (POST /api/messages)")
    serve.add_argument("--workers", type=int, default=None,
                       help="aantal botprocessen op deze poort (alleen PostgreSQL; "
                            "standaard WORKERS of 1)")
    demo = commands.add_parser("demo-data", help="laad de demoscholen")
    demo.add_argument("--if-empty", action="store_true", help="alleen als de database leeg is")
    db = commands.add_parser("db", help="database-onderhoud")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="breng de database naar de nieuwste migratie")
    manifest = commands.add_parser("manifest", help="maak het Teams-app-pakket (zip)")
    manifest.add_argument("--app-id", help="de Microsoft App ID (standaard: MicrosoftAppId)")
    manifest.add_argument("--domain", required=True, help="het publieke domein van de bot")
    manifest.add_argument("--out", default="beheerbot-teams.zip", help="het zip-bestand")
    results = commands.add_parser("results", help="resultatenuitwisseling met het LVS")
    results_commands = results.add_subparsers(dest="results_command", required=True)
    results_commands.add_parser("verify", help="controleer koppelingen die wachten of het LVS "
                                "niet bereikten")
    results_import = results_commands.add_parser(
        "import", help="zet resultaten uit de Resultatenmonitor (JSON of CSV) klaar en verstuur ze")
    results_import.add_argument("path", help="het exportbestand")
    results_import.add_argument("--format", choices=("json", "csv"),
                                help="standaard: naar de extensie of de inhoud")
    results_commands.add_parser("send", help="verstuur klaargezette resultaten naar de LVS'en")
    add_pincode_commands(commands)
    add_sync_commands(commands)
    add_helpdesk_commands(commands)
    add_audit_commands(commands)
    add_school_commands(commands)
    add_secrets_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its plugin list says nothing
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"beheerbot: {exc}", file=sys.stderr)
        return 2
    if args.command == "serve":
        return _serve(settings, args.workers)
    if args.command == "db":
        asyncio.run(upgrade(settings.database_url))
        log.info("database is bijgewerkt")
        return 0
    if args.command == "demo-data":
        return asyncio.run(_demo(settings, args.if_empty))
    if args.command == "manifest":
        try:
            out = write_package(Path(args.out), args.app_id or settings.app_id, args.domain)
        except ManifestError as exc:
            print(f"beheerbot: {exc}", file=sys.stderr)
            return 2
        log.info("Teams-app-pakket geschreven: %s", out)
        return 0
    if args.command == "pincodes":
        return asyncio.run(run_pincodes(settings, args))
    if args.command == "notify":
        return asyncio.run(notify_once(settings, render_outbox))
    if args.command == "helpdesk":
        return asyncio.run(run_helpdesk(settings, args))
    if args.command == "sync":
        return asyncio.run(run_sync(settings, args))
    if args.command == "coordinator":
        return asyncio.run(run_coordinator(settings, args))
    if args.command == "secrets":
        return asyncio.run(run_secrets(settings))
    if args.command == "school":
        return asyncio.run(run_school(settings, args))
    if args.command == "audit":
        return asyncio.run(run_audit(settings, args))
    if args.command == "results" and args.results_command in ("import", "send"):
        return run_results(settings, args.results_command, getattr(args, "path", None),
                           getattr(args, "format", None))
    if args.command == "results":
        return asyncio.run(verify_once(settings))
    return 2


def _serve(settings: Settings, workers: int | None) -> int:
    try:
        if workers is None:
            text = os.environ.get("WORKERS", "1").strip()
            if not (text.isascii() and text.isdigit()):
                raise ConfigError(f"WORKERS moet een aantal processen zijn, niet {text!r}.")
            workers = int(text)
        check_workers(settings, workers)
    except ConfigError as exc:
        print(f"beheerbot: {exc}", file=sys.stderr)
        return 2
    if workers == 1:
        _run_server(settings)
        return 0
    return serve_workers(settings, workers, _run_server)


def _run_server(settings: Settings, sock: socket.socket | None = None) -> None:
    where = {"sock": sock} if sock is not None else {"host": settings.host, "port": settings.port}
    app = create_app(settings)
    log.info("eventloop: %s", settings.event_loop)
    app.on_startup.append(freeze_heap)  # last: after the runtime and its tasks have started
    web.run_app(app, **where, access_log_class=RedactingAccessLogger,
                print=lambda text: log.info("%s", text),
                loop=loop_factory(settings.event_loop)())


async def _demo(settings: Settings, if_empty: bool) -> int:
    await upgrade(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        sessions = create_sessions(engine)
        if not await is_empty(sessions):
            if if_empty:
                log.info("database bevat al gegevens; demodata overgeslagen")
                return 0
            print("beheerbot: de database bevat al gegevens; demodata niet geladen.",
                  file=sys.stderr)
            return 1
        counts = await load_demo(
            sessions, secrets=load_secret_box(settings.secret_key, settings.database_url))
        log.info("demodata geladen: %s; demo-coördinator %s %s", counts,
                 PLAYGROUND_COORDINATOR[0], PLAYGROUND_COORDINATOR[2])
        return 0
    finally:
        await engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
