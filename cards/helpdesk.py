"""Cards of the helpdesk handoff: what a coördinator is told when the helpdesk acted."""

from __future__ import annotations

from cards import actions as A
from cards.actions.child_licences import CHILD_LICENCE
from cards.elements import card, facts, submit, text, title
from cards.i18n import Texts
from services.helpdesk.results import TicketDTO


def _details(t: Texts, ticket: TicketDTO) -> dict:
    rows = [(t("helpdesk.number"), ticket.number),
            (t("helpdesk.licence"), ticket.licence_name),
            (t("helpdesk.wrong_child"), ticket.wrong_child_name)]
    if ticket.intended_child_name:
        rows.append((t("helpdesk.intended_child"), ticket.intended_child_name))
    return facts(rows)


def ticket_outcome_card(t: Texts, ticket: TicketDTO) -> dict:
    """The helpdesk executed or rejected a ticket: what that means for the seats."""
    if ticket.status == "executed":
        if ticket.intended_child_name and ticket.outcome != "intended_skipped":
            line = t("helpdesk.executed_moved", wrong=ticket.wrong_child_name,
                     intended=ticket.intended_child_name, licence=ticket.licence_name)
        elif ticket.intended_child_name:
            line = t("helpdesk.executed_skipped", wrong=ticket.wrong_child_name,
                     intended=ticket.intended_child_name, licence=ticket.licence_name)
        else:
            line = t("helpdesk.executed_freed", wrong=ticket.wrong_child_name,
                     licence=ticket.licence_name)
        body = [title(t("helpdesk.executed_title", number=ticket.number)),
                text(line, color="Good")]
    else:
        body = [title(t("helpdesk.rejected_title", number=ticket.number)),
                text(t("helpdesk.rejected", reason=ticket.outcome))]
    body.append(_details(t, ticket))
    return card(body, [
        submit(t("helpdesk.to_licence", licence=ticket.licence_name), CHILD_LICENCE,
               **{A.KEY_SCHOOL: ticket.school_id, A.KEY_LICENCE: ticket.licence_id}),
        submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: ticket.school_id}),
    ], fallback=t("helpdesk.executed_title", number=ticket.number))
