"""What a turn carries for the dialogs: the Actor (resolved by bot/) and the user's texts."""

from __future__ import annotations

import logging

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity

from cards.actions import KEY_SCHOOL
from cards.i18n import Texts
from services.actor import Actor

log = logging.getLogger(__name__)

ACTOR_KEY = "beheerbot.actor"
# turn_state: the bot's claim function (key -> first?) and the mark of a turn that lost a claim
# (its dialog state is stale and must not overwrite the state of the turn that won).
CLAIM_KEY = "beheerbot.claim"
CLAIM_LOST_KEY = "beheerbot.claim_lost"


def actor_of(context: TurnContext) -> Actor:
    actor = context.turn_state.get(ACTOR_KEY)
    if actor is None:
        raise RuntimeError("the bot did not resolve an actor for this turn")
    return actor


def texts_of(context: TurnContext) -> Texts:
    return Texts(actor_of(context).language)


def card_activity(card: dict) -> Activity:
    return MessageFactory.attachment(CardFactory.adaptive_card(card))


async def send_card(context: TurnContext, card: dict) -> str | None:
    """Send the card; the id of the new message when the channel gave one."""
    response = await context.send_activity(card_activity(card))
    return getattr(response, "id", None) or None


async def update_message(context: TurnContext, activity_id: str, card: dict) -> bool:
    """Replace the card of an earlier message of this conversation; False when the channel
    refused or could not be reached (the caller decides what then)."""
    update = card_activity(card)
    update.id = activity_id
    try:
        await context.update_activity(update)
    except Exception:  # any connector failure
        log.warning("bericht %s kon niet bijgewerkt worden", activity_id)
        return False
    return True


def submitted(context: TurnContext) -> dict:
    """The Action.Submit data of this turn, or {} for a typed message."""
    value = context.activity.value
    return value if isinstance(value, dict) else {}


def school_id_in(data: dict) -> int | None:
    """The school id a card's data names, for its way back to the menu; None when garbled
    (a card built from it must not carry the garbage on)."""
    value = data.get(KEY_SCHOOL)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


async def claim_step(context: TurnContext, key: str) -> bool:
    """Claim one answer to a prompt for this turn; False when another turn already has it."""
    claim = context.turn_state.get(CLAIM_KEY)
    if claim is None:
        raise RuntimeError("the bot did not give this turn a way to claim a step")
    if await claim(key):
        return True
    context.turn_state[CLAIM_LOST_KEY] = True
    return False
