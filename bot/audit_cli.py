"""`beheerbot audit export --school BRIN --since DATE [--out FILE]`: a school's audit trail as
CSV (who, when, what, from which conversation; refusals included) for the operator; and
`beheerbot school tenant --school BRIN --tenant ID`: the Entra tenant of a school's staff."""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from datetime import date

from bot.config import Settings
from bot.pincode_cli import report_refusal
from cards.i18n import Texts
from services.actor import Actor
from services.db import create_engine, create_sessions
from services.errors import DomainError
from services.rotation import rotate_secrets
from services.school import SchoolService
from services.secrets import load_secret_box
from services.shared.context import ServiceContext

COLUMNS = ("tijdstip", "wie", "actie", "uitkomst", "gesprek", "details")


def add_audit_commands(commands) -> None:
    audit = commands.add_parser("audit", help="het logboek van wijzigingen")
    sub = audit.add_subparsers(dest="audit_command", required=True)
    export = sub.add_parser("export", help="het logboek van een school als CSV")
    export.add_argument("--school", required=True, help="BRIN, eventueel met vestiging (12AB00)")
    export.add_argument("--since", required=True, help="vanaf deze dag (JJJJ-MM-DD)")
    export.add_argument("--out", help="het CSV-bestand (standaard: het scherm)")


def add_school_commands(commands) -> None:
    school = commands.add_parser("school", help="instellingen van een school")
    sub = school.add_subparsers(dest="school_command", required=True)
    tenant = sub.add_parser("tenant", help="de Entra-tenant waarmee het personeel inlogt")
    tenant.add_argument("--school", required=True, help="BRIN, eventueel met vestiging (12AB00)")
    tenant.add_argument("--tenant", required=True, help="de tenant-id (een GUID)")


async def run_school(settings: Settings, args: argparse.Namespace) -> int:
    engine = create_engine(settings.database_url)
    try:
        school = SchoolService(ServiceContext(create_sessions(engine)))
        ref = await school.set_entra_tenant(Actor.operator(), args.school, args.tenant)
    except DomainError as error:
        return report_refusal(Texts(), error)
    finally:
        await engine.dispose()
    print(f"{ref.name} ({ref.brin} {ref.vestiging}): personeel uit tenant {args.tenant.strip()} "
          "kan nu via het e-mailadres gekoppeld worden.")
    return 0


def add_secrets_commands(commands) -> None:
    secrets = commands.add_parser("secrets", help="de geheime sleutel")
    sub = secrets.add_subparsers(dest="secrets_command", required=True)
    sub.add_parser("rotate", help="versleutel pincodes en LVS-sleutels opnieuw onder "
                   "BEHEERBOT_SECRET_KEY (BEHEERBOT_SECRET_KEY_PREVIOUS leest nog mee)")


async def run_secrets(settings: Settings) -> int:
    """Rotate: with the new key in BEHEERBOT_SECRET_KEY and the old one in
    BEHEERBOT_SECRET_KEY_PREVIOUS (the running bot started with both), rewrite every secret."""
    if not settings.secret_key or not settings.previous_secret_key:
        print("beheerbot: zet de nieuwe sleutel in BEHEERBOT_SECRET_KEY en de oude in "
              "BEHEERBOT_SECRET_KEY_PREVIOUS, start de bot opnieuw en draai dan dit commando.",
              file=sys.stderr)
        return 2
    box = load_secret_box(settings.secret_key, settings.database_url,
                          settings.previous_secret_key)
    engine = create_engine(settings.database_url)
    try:
        counts = await rotate_secrets(create_sessions(engine), box)
    finally:
        await engine.dispose()
    print(f"opnieuw versleuteld: {counts['pincodes']} pincodes, {counts['lvs_keys']} "
          "LVS-sleutels. Haal BEHEERBOT_SECRET_KEY_PREVIOUS weg en start de bot opnieuw.")
    return 0


async def run_audit(settings: Settings, args: argparse.Namespace) -> int:
    t = Texts()
    try:
        since = date.fromisoformat(args.since)
    except ValueError:
        print(f"beheerbot: --since moet een datum zijn als 2026-09-01, niet {args.since!r}.",
              file=sys.stderr)
        return 2
    engine = create_engine(settings.database_url)
    try:
        school = SchoolService(ServiceContext(create_sessions(engine)))
        rows = await school.audit_trail(Actor.operator(), args.school, since)
    except DomainError as error:
        return report_refusal(t, error)
    finally:
        await engine.dispose()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow((row.at.isoformat(), row.who, row.action, row.outcome,
                         row.conversation_id, row.detail))
    if args.out:
        # The trail names pupils' groups and coördinatoren: readable by its owner only.
        fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())
        os.chmod(args.out, 0o600)
    else:
        sys.stdout.write(buffer.getvalue())
    return 0
