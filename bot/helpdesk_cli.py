"""`beheerbot helpdesk lijst | uitvoeren NUMMER | afwijzen NUMMER` for Malmberg's helpdesk
agents (their Entra object id must be in HELPDESK_AGENTS), and `helpdesk mail` to send the
waiting e-mails once."""

from __future__ import annotations

import argparse
import re
import sys

from bot.config import Settings
from bot.mailer import HelpdeskMailer
from cards.i18n import Texts
from services.db import create_engine, create_sessions
from services.errors import DomainError
from services.helpdesk import HelpdeskService
from services.helpdesk.mail import HelpdeskMailbox
from services.shared.context import ServiceContext

NUMBER = re.compile(r"^(?:HD-?)?0*([0-9]{1,9})$", re.IGNORECASE)


def add_helpdesk_commands(commands) -> None:
    helpdesk = commands.add_parser("helpdesk", help="meldingen over kindlicenties afhandelen")
    sub = helpdesk.add_subparsers(dest="helpdesk_command", required=True)
    listing = sub.add_parser("lijst", help="de open meldingen")
    listing.add_argument("--agent", required=True, help="je Entra-object-id")
    sub.add_parser("mail", help="verstuur de wachtende e-mails naar de helpdesk nu")
    for name, text in (("uitvoeren", "voer de correctie uit"), ("afwijzen", "wijs af")):
        command = sub.add_parser(name, help=text)
        command.add_argument("nummer", help="het meldingnummer, bijv. HD-000042")
        command.add_argument("--agent", required=True, help="je Entra-object-id")
        command.add_argument("--naam", default="", help="je naam (voor de ict-coördinator)")
        if name == "afwijzen":
            command.add_argument("--reden", required=True, help="waarom (de coördinator leest "
                                 "dit)")


async def run_helpdesk(settings: Settings, args: argparse.Namespace) -> int:
    engine = create_engine(settings.database_url)
    try:
        ctx = ServiceContext(create_sessions(engine))
        if args.helpdesk_command == "mail":
            counts = await HelpdeskMailer(HelpdeskMailbox(ctx), settings.mail).drain()
            print(f"verstuurd {counts['sent']}, later opnieuw {counts['retried']}, "
                  f"opgegeven {counts['given_up']}")
            return 0
        helpdesk = HelpdeskService(ctx, settings.helpdesk_agents)
        if args.helpdesk_command == "lijst":
            try:
                tickets = await helpdesk.open_tickets(args.agent)
            except DomainError as exc:
                print(f"beheerbot: {Texts()(exc.code, **exc.params)}", file=sys.stderr)
                return 1
            for ticket in tickets:
                print(f"{ticket.number}  {ticket.school_name} ({ticket.brin} "
                      f"{ticket.vestiging})  {ticket.licence_name}  {ticket.wrong_child_name}  "
                      f"{ticket.reason}")
            print(f"{len(tickets)} open")
            return 0
        match = NUMBER.match(args.nummer.strip())
        if not match:
            print("beheerbot: geen meldingnummer (zoals HD-000042).", file=sys.stderr)
            return 2
        try:
            if args.helpdesk_command == "uitvoeren":
                done = await helpdesk.execute(args.agent, args.naam, int(match.group(1)))
            else:
                done = await helpdesk.reject(args.agent, args.naam, int(match.group(1)),
                                             args.reden)
        except DomainError as exc:
            print(f"beheerbot: {Texts()(exc.code, **exc.params)}", file=sys.stderr)
            return 1
        if not done.applied:
            print(f"{done.ticket.number} was al afgehandeld ({done.ticket.status}); "
                  "er is niets veranderd.")
            return 0
        print(f"{done.ticket.number}: {done.ticket.status}; de ict-coördinator krijgt bericht.")
        return 0
    finally:
        await engine.dispose()
