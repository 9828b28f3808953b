"""The last check before anything leaves the bot: no card over the size Teams shows.

Teams refuses a message above ~28 KB (card, envelope and all). Cards are paged to stay far
below that, but a card that still grows past MAX_CARD_BYTES (an unforeseen name, a list that
lost its paging) must never go out half-rendered or be refused by Teams in silence: it is
replaced by an apology in the user's language, and the size is logged (never the content,
which may hold pupils' names or pincodes)."""

from __future__ import annotations

import json
import logging

import orjson
from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import Activity, ActivityTypes, Attachment

from cards.common import message_card
from cards.i18n import Texts
from dialogs.context import ACTOR_KEY

log = logging.getLogger(__name__)

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
# Teams refuses a message over ~28 KB; the activity around the card (ids, conversation,
# service URL, the attachment's wrapper) takes up to ~1 KB of that, the rest is margin.
MAX_CARD_BYTES = 26_000


def card_bytes(card: object) -> int:
    """The size of a card as it goes over the wire (UTF-8 JSON)."""
    return len(json.dumps(card, ensure_ascii=False, default=str).encode())


def card_bytes_bound(card: object) -> int:
    """At least card_bytes(card), and quick (json.dumps walks the card in Python, orjson does
    not). orjson writes the same JSON without the space after each ',' and ':' between
    items, so its size plus the number of commas and colons it wrote is never less (those in
    texts count too: the bound errs on the safe side). A float JSON cannot hold, which orjson
    writes as null, is the one exception; cards hold none. A card orjson cannot write (a key
    that is no string, a value that is no JSON) is measured exactly."""
    try:
        compact = orjson.dumps(card)
    except TypeError:
        return card_bytes(card)
    return len(compact) + compact.count(b",") + compact.count(b":")


def too_big_card(t: Texts) -> dict:
    return message_card(t, t("card_too_big.title"), t("card_too_big.text"), color="Attention")


def checked_card(card: dict, t: Texts, where: str) -> dict:
    """The card itself, or the apology when it is over the limit."""
    if card_bytes_bound(card) <= MAX_CARD_BYTES:
        return card
    size = card_bytes(card)
    if size <= MAX_CARD_BYTES:
        return card
    log.error("kaart van %d bytes (grens %d) niet verstuurd naar %s", size, MAX_CARD_BYTES,
              where)
    return too_big_card(t)


class CardSizeGuard(Middleware):
    """Checks every activity a turn sends (replies, buffered expectReplies answers and
    Action.Execute invoke responses) in one place."""

    async def on_turn(self, context: TurnContext, logic):
        context.on_send_activities(self._check)
        await logic()

    @staticmethod
    async def _check(context: TurnContext, activities: list[Activity], next_send):
        actor = context.turn_state.get(ACTOR_KEY)
        t = Texts(getattr(actor, "language", None))
        where = context.activity.conversation.id if context.activity.conversation else "?"
        for activity in activities:
            _guard(activity, t, where)
        return await next_send()


def _guard(activity: Activity, t: Texts, where: str) -> None:
    if activity.type == ActivityTypes.invoke_response:
        body = getattr(activity.value, "body", None)
        card = getattr(body, "value", None)
        if getattr(body, "type", None) == CARD_TYPE and isinstance(card, dict):
            body.value = checked_card(card, t, where)
        return
    cards = [a for a in activity.attachments or [] if a.content_type == CARD_TYPE]
    if not cards:
        return
    # One message carries all its cards: they count together against the limit.
    if sum(card_bytes_bound(a.content) for a in cards) <= MAX_CARD_BYTES:
        return
    total = sum(card_bytes(a.content) for a in cards)
    if total > MAX_CARD_BYTES:
        log.error("bericht met kaarten van samen %d bytes (grens %d) niet verstuurd naar %s",
                  total, MAX_CARD_BYTES, where)
        activity.attachments = [Attachment(content_type=CARD_TYPE, content=too_big_card(t))]
        activity.text = None
