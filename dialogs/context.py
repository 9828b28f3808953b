"""What a turn carries for the dialogs: the Actor (resolved by bot/) and the user's texts."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity, DeliveryModes

from cards.actions import KEY_SCHOOL
from cards.common import HELP_PAGE
from cards.i18n import Texts
from services.actor import Actor

log = logging.getLogger(__name__)

ACTOR_KEY = "beheerbot.actor"
# turn_state: the bot's claim function (key -> first?) and the mark of a turn that lost a claim
# (its dialog state is stale and must not overwrite the state of the turn that won).
CLAIM_KEY = "beheerbot.claim"
CLAIM_LOST_KEY = "beheerbot.claim_lost"
HELP_PAGE_KEY = "beheerbot.help_page"  # the help page's address, from the settings
IN_CARD_KEY = "beheerbot.in_card"  # turn_state: the InCard of an Execute answering a flow
REPLACE_KEY = "beheerbot.replace_card"  # turn_state: the next card replaces the pressed one
# turn_state: the messages of this chat that show codes, read with the turn's actor
SHOWN_CODES_KEY = "beheerbot.shown_codes"


def actor_of(context: TurnContext) -> Actor:
    actor = context.turn_state.get(ACTOR_KEY)
    if actor is None:
        raise RuntimeError("the bot did not resolve an actor for this turn")
    return actor


def texts_of(context: TurnContext) -> Texts:
    return Texts(actor_of(context).language)


def help_page_of(context: TurnContext) -> str:
    return context.turn_state.get(HELP_PAGE_KEY) or HELP_PAGE


def card_activity(card: dict) -> Activity:
    return MessageFactory.attachment(CardFactory.adaptive_card(card))


@dataclass
class InCard:
    """An Action.Execute that answers a flow's card: its data is read as a submit's, and the
    first card the turn sends becomes the invoke response, which Teams shows in place of the
    card the button was on (or, when the turn only says something, that text)."""

    data: dict
    card: dict | None = None
    text: str | None = None


def answer_in_card(context: TurnContext, data: dict) -> InCard:
    in_card = InCard(data)
    context.turn_state[IN_CARD_KEY] = in_card
    return in_card


def replace_pressed_card(context: TurnContext) -> None:
    """The next card of this turn goes where the pressed button was (a form asked again with
    what was wrong), also for clients without Action.Execute where Teams can update it."""
    context.turn_state[REPLACE_KEY] = True


def _card_in(activity: Activity) -> dict | None:
    for attachment in activity.attachments or []:
        if attachment.content_type == CardFactory.content_types.adaptive_card:
            return attachment.content
    return None


async def deliver(context: TurnContext, activity: Activity) -> str | None:
    """Send an activity of a dialog, or put it in the card the user pressed (see InCard and
    replace_pressed_card); the id of the message that shows it, when known."""
    card = _card_in(activity)
    in_card: InCard | None = context.turn_state.get(IN_CARD_KEY)
    if in_card is not None and in_card.card is None:
        if card is not None:
            in_card.card = card
            return context.activity.reply_to_id
        if in_card.text is None and activity.text:
            in_card.text = activity.text
            return None
    if card is not None and context.turn_state.pop(REPLACE_KEY, False):
        target = context.activity.reply_to_id
        if (target and context.activity.delivery_mode != DeliveryModes.expect_replies
                and await update_message(context, target, card)):
            return target
    response = await context.send_activity(activity)
    return getattr(response, "id", None) or None


async def send_card(context: TurnContext, card: dict) -> str | None:
    """Send the card; the id of the message that shows it when the channel gave one."""
    return await deliver(context, card_activity(card))


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
    """The Action.Submit (or flow-answering Action.Execute) data of this turn, or {} for a
    typed message."""
    in_card = context.turn_state.get(IN_CARD_KEY)
    if in_card is not None:
        return in_card.data
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
