"""The card of each kind of proactive message in the outbox, rendered when it is sent, in the
recipient's language."""

from __future__ import annotations

from cards.changes import sync_summary_card
from cards.helpdesk import helpdesk_ticket_card, ticket_outcome_card
from cards.i18n import Texts
from services.helpdesk.results import KIND_TICKET_CHANNEL, KIND_TICKET_OUTCOME, TicketDTO
from services.notify.results import KIND_SYNC_SUMMARY, SyncSummaryDTO


def outbox_card(t: Texts, kind: str, payload: dict) -> dict:
    if kind == KIND_SYNC_SUMMARY:
        return sync_summary_card(t, SyncSummaryDTO.from_payload(payload))
    if kind == KIND_TICKET_OUTCOME:
        return ticket_outcome_card(t, TicketDTO.from_payload(payload))
    if kind == KIND_TICKET_CHANNEL:
        return helpdesk_ticket_card(t, TicketDTO.from_payload(payload))
    raise ValueError(f"unknown outbox message kind {kind!r}")


def render(kind: str, payload: dict, language: str | None) -> dict:
    """The sender's renderer: the card in the recipient's language (Dutch when unknown)."""
    return outbox_card(Texts(language), kind, payload)
