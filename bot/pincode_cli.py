"""`beheerbot pincodes print --school BRIN --group NAME --out file.pdf` (as the operator)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from bot.config import Settings
from cards.i18n import Texts
from cards.pincode_pdf import pincode_pdf
from services.actor import Actor
from services.db import create_engine, create_sessions
from services.errors import DomainError
from services.pincodes import PincodeService
from services.secrets import SecretKeyError, load_secret_box, sqlite_path
from services.shared.context import ServiceContext

log = logging.getLogger("beheerbot")


def add_pincode_commands(commands) -> None:
    """Register `pincodes print` on the CLI's subparsers."""
    pincodes = commands.add_parser("pincodes", help="pincodes van leerlingen")
    sub = pincodes.add_subparsers(dest="pincodes_command", required=True)
    print_ = sub.add_parser("print", help="PDF met de pincodes van een groep (om uit te knippen)")
    print_.add_argument("--school", required=True,
                        help="BRIN, met vestiging als de BRIN er meer heeft (12AB of 12AB00)")
    print_.add_argument("--group", required=True, help="de groep, bijv. 'Groep 4' of '4b'")
    print_.add_argument("--out", required=True, help="het PDF-bestand")


def report_refusal(t: Texts, error: DomainError) -> int:
    """A domain error at the command line: its Dutch text on stderr, exit status 1."""
    key = error.code if t.has(error.code) else "error.unexpected"
    print(f"beheerbot: {t(key, **error.params)}", file=sys.stderr)
    return 1


async def run_pincodes(settings: Settings, args: argparse.Namespace) -> int:
    """Print a group's pincodes to a file readable only by its owner. 0 ok, 1 refused."""
    t = Texts()
    db_file = sqlite_path(settings.database_url)
    if db_file is not None and not db_file.exists():
        print(f"beheerbot: database {db_file} bestaat niet.", file=sys.stderr)
        return 1
    try:
        box = load_secret_box(settings.secret_key, settings.database_url)
    except SecretKeyError as exc:
        print(f"beheerbot: {exc}", file=sys.stderr)
        return 2
    engine = create_engine(settings.database_url)
    try:
        pincodes = PincodeService(ServiceContext(create_sessions(engine), secrets=box))
        operator = Actor.operator()
        try:
            ref = await pincodes.locate_group(operator, args.school, args.group)
            sheet = await pincodes.pincode_sheet(operator, ref.school_id, ref.group_id, via="cli")
        except DomainError as error:
            return report_refusal(t, error)
    finally:
        await engine.dispose()
    out = Path(args.out)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pincode_pdf(t, sheet))
    os.chmod(out, 0o600)  # also when the file already existed with wider rights
    log.info("pincodes van %s (%s, %d leerlingen) geschreven naar %s", sheet.group_name,
             sheet.school_name, len(sheet.cards), out)
    return 0
