"""`beheerbot sync PATH...` (files or folders, or the inbox with --inbox) and
`beheerbot coordinator add`: the Basispoort sync at the command line, with a progress bar and a
summary table per school."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.config import Settings
from bot.nightly import deliveries_in, move_aside
from cards.i18n import Texts
from services.actor import Actor
from services.db import create_engine, create_sessions, upgrade
from services.errors import DomainError
from services.secrets import load_secret_box
from services.shared.context import ServiceContext
from services.sync import SyncService
from services.sync.results import RunResultDTO

STATUS_TEXT = {"applied": "verwerkt", "unchanged": "ongewijzigd", "rejected": "AFGEWEZEN"}
KIND_TEXT = {
    "group_added": "groepen +", "group_removed": "groepen −", "group_renamed": "hernoemd",
    "group_levels": "leerjaar", "pupil_added": "leerlingen +", "pupil_left": "leerlingen −",
    "pupil_moved": "verplaatst", "teacher_added": "leerkrachten +",
    "teacher_left": "leerkrachten −", "teacher_groups": "lk-groepen",
    "coordinator_added": "coörd. +", "coordinator_removed": "coörd. −",
    "link_ended": "koppeling −", "auto_linked": "auto-koppeling", "reminder": "herinnering",
}


def add_sync_commands(commands) -> None:
    sync = commands.add_parser("sync", help="verwerk Basispoort-leveringen (EDEXML of JSON)")
    sync.add_argument("paths", nargs="*", type=Path, help="bestanden of mappen")
    sync.add_argument("--inbox", action="store_true",
                      help="verwerk de map SYNC_INBOX en zet verwerkte bestanden opzij")
    sync.add_argument("--allow-mass-leaving", action="store_true",
                      help="verwerk ook een levering waarin meer dan de helft van de leerlingen "
                           "van een school vertrekt (anders afgewezen als onvolledige export)")
    coordinator = commands.add_parser("coordinator", help="ict-coördinatoren van scholen "
                                      "waarvan de levering geen rollen bevat (EDEXML)")
    sub = coordinator.add_subparsers(dest="coordinator_command", required=True)
    add = sub.add_parser("add", help="maak iemand ict-coördinator van een school")
    add.add_argument("--school", required=True, help="BRIN met vestiging, bijv. 12AB00")
    add.add_argument("--email", required=True, help="het e-mailadres uit de levering")


def summary_table(results: list[RunResultDTO]) -> Table:
    table = Table(title="Basispoort-synchronisatie")
    for column in ("bestand", "school", "status", "wijzigingen", "meldingen"):
        table.add_column(column)
    for result in results:
        changes = ", ".join(f"{KIND_TEXT.get(kind, kind)} {n}"
                            for kind, n in result.counts.items())
        school = f"{result.brin}-{result.vestiging} {result.school_name}".strip(" -")
        table.add_row(result.source, school, STATUS_TEXT.get(result.status, result.status),
                      changes or "—", str(result.notified))
    return table


async def run_sync(settings: Settings, args: argparse.Namespace) -> int:
    """0 when every delivery was applied or unchanged, 1 when one was rejected, 2 for usage."""
    err = Console(stderr=True)
    if args.inbox:
        if settings.nightly.inbox is None:
            err.print("beheerbot: SYNC_INBOX is leeg; er is geen inbox.")
            return 2
        paths = [settings.nightly.inbox]
        settings.nightly.inbox.mkdir(parents=True, exist_ok=True)
    else:
        paths = list(args.paths)
    if not paths:
        err.print("beheerbot: geef bestanden of mappen, of --inbox.")
        return 2
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        err.print(f"beheerbot: bestaat niet: {', '.join(missing)}")
        return 2
    files = deliveries_in(paths)
    await upgrade(settings.database_url)
    engine = create_engine(settings.database_url)
    results: list[RunResultDTO] = []
    try:
        secrets = load_secret_box(settings.secret_key, settings.database_url)
        sync = SyncService(ServiceContext(create_sessions(engine), secrets=secrets))
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=True) as progress:
            task = progress.add_task("leveringen", total=len(files))
            for path in files:
                progress.update(task, description=path.name)
                result = await sync.apply_file(path,
                                               allow_mass_leaving=args.allow_mass_leaving)
                if args.inbox:
                    move_aside(path, result, datetime.now(UTC).strftime("%Y-%m-%d"))
                results.append(result)
                progress.advance(task)
    finally:
        await engine.dispose()
    out = Console()
    out.print(summary_table(results))
    rejected = [r for r in results if r.status == "rejected"]
    for result in rejected:
        out.print(f"\n[bold]{result.source}[/bold] is afgewezen; er is niets veranderd:")
        out.print(result.report, markup=False)
    return 1 if rejected else 0


async def run_coordinator(settings: Settings, args: argparse.Namespace) -> int:
    school = args.school.strip().upper().replace("-", "").replace(" ", "")
    brin, vestiging = school[:4], school[4:] or "00"
    engine = create_engine(settings.database_url)
    try:
        sync = SyncService(ServiceContext(create_sessions(engine)))
        try:
            name = await sync.assign_coordinator(Actor.operator("cli"), brin, vestiging,
                                                 args.email)
        except DomainError as exc:
            print(f"beheerbot: {Texts()(exc.code, **exc.params)}", file=sys.stderr)
            return 1
        print(f"{name} is ict-coördinator van {brin}-{vestiging}.")
        return 0
    finally:
        await engine.dispose()
