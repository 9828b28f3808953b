"""The Teams activity handler: resolves who is writing, refuses non-coördinators, runs dialogs."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from botbuilder.core import ConversationState, InvokeResponse, TurnContext, UserState
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    AdaptiveCardInvokeResponse,
    AdaptiveCardInvokeValue,
    ChannelAccount,
    DeliveryModes,
)

from bot.config import Settings
from bot.foresight import Foresight
from bot.helpdesk_channel import VERBS as HELPDESK_VERBS
from bot.helpdesk_channel import HelpdeskChannel, in_channel
from bot.identity import identity_of, teams_email, tenant_of
from bot.limits import RateLimits
from bot.storage import ConcurrencyError, load_states, states_read
from cards.actions import KEY_ACTION
from cards.common import error_card, refusal_card
from cards.i18n import Texts
from dialogs.context import (
    ACTOR_KEY,
    CLAIM_KEY,
    CLAIM_LOST_KEY,
    HELP_PAGE_KEY,
    SHOWN_CODES_KEY,
    answer_in_card,
    send_card,
    texts_of,
)
from dialogs.main_dialog import MainDialog
from dialogs.pincode_dialog import BASE_URL_KEY
from dialogs.runner import run_dialog
from services.actor import Actor, Identity
from services.notify.references import UNREAD
from services.registry import Services
from services.school.results import RefusalDTO

log = logging.getLogger(__name__)


class TeamsBot(TeamsActivityHandler):
    def __init__(
        self,
        settings: Settings,
        services: Services,
        conversation_state: ConversationState,
        user_state: UserState,
        dialog: MainDialog,
        claim: Callable[[str], Awaitable[bool]],
        limits: RateLimits,
    ) -> None:
        self.settings = settings
        self.school = services.school
        self.helpdesk_channel = HelpdeskChannel(services.helpdesk)
        self.references = services.references
        self.shown = services.pincodes.shown
        self.reads_together = services.reads_together
        self.turn_reads = services.turn_reads
        self.foresight = Foresight(dialog)
        self.conversation_state = conversation_state
        self.user_state = user_state
        self.dialog = dialog
        self.dialog_state = conversation_state.create_property("DialogState")
        self.claim = claim
        self.limits = limits

    async def on_turn(self, turn_context: TurnContext) -> None:
        with self.turn_reads():
            await self._turn(turn_context)

    async def _turn(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        sender = activity.from_property.id if activity.from_property else None
        if not self.limits.message(tenant_of(activity), sender):
            await self._too_many(turn_context)
            return
        conversation_id = activity.conversation.id if activity.conversation else None
        # Who is asking, if their tenant may ask at all.
        identity = (identity_of(activity) if self.settings.tenant_allowed(tenant_of(activity))
                    else None)
        remembers = self._remembers(activity, identity, conversation_id)
        # What every turn reads before it starts, on one connection, and on PostgreSQL in
        # one round trip.
        async with self.reads_together(
                self._opening_reads(turn_context, identity, conversation_id, remembers),
                self._guessed_reads(turn_context, identity)):
            actor = await self._actor(identity, conversation_id)
            await load_states(turn_context, self.conversation_state, self.user_state)
            if actor.is_coordinator and conversation_id:
                turn_context.turn_state[SHOWN_CODES_KEY] = await self.shown.in_conversation(
                    conversation_id)
            stored = await self._stored_reference(conversation_id) if remembers else UNREAD
        if not actor.is_known and not actor.extra.get("tenant_refused") and not in_channel(
                activity):  # agents are no people of ours
            actor = await self._actor_by_email(turn_context, actor)
        turn_context.turn_state[ACTOR_KEY] = actor
        if actor.is_known and not in_channel(activity):  # a channel is the helpdesk's
            await self._remember_conversation(turn_context, actor, stored)
        turn_context.turn_state[BASE_URL_KEY] = self.settings.base_url
        turn_context.turn_state[HELP_PAGE_KEY] = self.settings.help_page
        turn_context.turn_state[CLAIM_KEY] = self.claim
        await super().on_turn(turn_context)
        # A turn that lost the claim on its step read the state the winner is changing: it
        # keeps nothing. Otherwise a concurrent turn's state write wins over this one's (the
        # other conversation's flow, or the profile two conversations share), never wipes it.
        if not turn_context.turn_state.get(CLAIM_LOST_KEY):
            await self._save(self.conversation_state, turn_context)
        await self._save(self.user_state, turn_context)
        self.foresight.remember(turn_context, identity, actor)

    def _guessed_reads(self, turn_context: TurnContext, identity: Identity | None) -> list:
        """What the dialog's view will read first, guessed from this sender's last turn
        (bot.foresight): only for a turn that goes to the dialog."""
        activity = turn_context.activity
        if activity.type != ActivityTypes.message or in_channel(activity):
            return []
        return self.foresight.reads(turn_context, identity)

    def _opening_reads(self, turn_context: TurnContext, identity: Identity | None,
                       conversation_id: str | None, remembers: bool) -> list:
        """The reads `on_turn` makes first (the actor, the states, the messages that show
        codes, the conversation's stored reference), known before it makes them. Codes are
        only asked for a coördinator's turn; read ahead for anyone, they are dropped unused
        for the others."""
        reads = [states_read(turn_context, self.conversation_state, self.user_state)]
        if identity is not None:
            reads.append(self.school.actor_read(identity))
        if conversation_id:
            reads.append(self.shown.read_in(conversation_id))
        if remembers:
            reads.append(self.references.stored_read(conversation_id))
        return reads

    @staticmethod
    def _remembers(activity: Activity, identity: Identity | None,
                   conversation_id: str | None) -> bool:
        """Whether this turn may store where its sender can be reached later: a turn Teams
        sends (not one that takes its replies along), outside the helpdesk's channel."""
        return (identity is not None and bool(conversation_id) and not in_channel(activity)
                and activity.delivery_mode != DeliveryModes.expect_replies)

    async def _stored_reference(self, conversation_id: str):
        """The conversation's stored reference, read with the opening reads; a failure leaves
        it to `remember` (and never spoils the turn)."""
        try:
            return await self.references.stored(conversation_id)
        except Exception:
            log.exception("gespreksreferentie niet gelezen")
            return UNREAD

    @staticmethod
    async def _too_many(turn_context: TurnContext) -> None:
        """Over the rate limit: a polite card, and nothing read or changed."""
        card = error_card(Texts(), "error.too_many_messages")
        if turn_context.activity.type == ActivityTypes.invoke:
            await turn_context.send_activity(Activity(
                type=ActivityTypes.invoke_response, value=InvokeResponse(
                    status=200, body=AdaptiveCardInvokeResponse(
                        status_code=200, type="application/vnd.microsoft.card.adaptive",
                        value=card))))
        elif turn_context.activity.type == ActivityTypes.message:
            await send_card(turn_context, card)

    @staticmethod
    async def _save(state, turn_context: TurnContext) -> None:
        try:
            await state.save_changes(turn_context)
        except ConcurrencyError:
            log.info("gelijktijdige beurt in gesprek %s: de status van de andere beurt blijft",
                     turn_context.activity.conversation.id)

    async def _actor(self, identity: Identity | None, conversation_id: str | None) -> Actor:
        """The actor for `identity`; None is a sender whose tenant is not allowed."""
        if identity is None:
            return Actor(person_id=None, name="", conversation_id=conversation_id,
                         extra={"tenant_refused": True})
        return await self.school.resolve_actor(identity, conversation_id)

    async def _actor_by_email(self, turn_context: TurnContext, unknown: Actor) -> Actor:
        """Someone not known by their Entra id yet: by the e-mail address Teams has for them
        (a connector call, made outside the turn's shared read)."""
        email = await teams_email(turn_context)
        if not email:
            return unknown
        return await self.school.resolve_actor(identity_of(turn_context.activity, email),
                                               unknown.conversation_id)

    async def _remember_conversation(self, turn_context: TurnContext, actor: Actor,
                                     stored=UNREAD) -> None:
        """Where the outbox can reach this person later; a failure never spoils the turn.
        `stored` is what the opening reads found stored for the conversation."""
        activity = turn_context.activity
        if activity.delivery_mode == DeliveryModes.expect_replies:
            return  # a request that takes its replies along: nobody to reach there later
        conversation = activity.conversation
        try:
            await self.references.remember(
                actor, tenant_id=tenant_of(activity),
                scope=(conversation.conversation_type or "personal") if conversation else "",
                service_url=activity.service_url or "",
                reference=TurnContext.get_conversation_reference(activity).serialize(),
                current=stored)
        except Exception:
            log.exception("gespreksreferentie niet opgeslagen")

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        if in_channel(turn_context.activity):  # only the helpdesk uses the bot in a channel
            if self.settings.tenant_allowed(tenant_of(turn_context.activity)):
                await self.helpdesk_channel.on_message(turn_context,
                                                       tenant_of(turn_context.activity))
            return
        await self._serve(turn_context)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        # Not the Teams base class's version: it fetches every added member from the connector
        # (a network round trip that also fails for expectReplies requests), which we don't need.
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        added: list[ChannelAccount] = activity.members_added or []
        if any(member.id != bot_id for member in added):
            await self._serve(turn_context)

    async def _serve(self, turn_context: TurnContext) -> None:
        actor: Actor = turn_context.turn_state[ACTOR_KEY]
        if actor.is_coordinator:
            await self.dialog.before_turn(turn_context)
            await run_dialog(self.dialog, turn_context, self.dialog_state)
            return
        await send_card(turn_context, await self._refusal(turn_context, actor))

    async def _refusal(self, turn_context: TurnContext, actor: Actor) -> dict:
        # Every refusal is audited (the rate limit bounds how many one sender can cause).
        asked, school_id = _asked(turn_context.activity)
        await self.school.record_bot_refusal(actor, asked, school_id)
        if actor.extra.get("tenant_refused"):
            refusal = RefusalDTO(kind="tenant")
        else:
            refusal = await self.school.refusal_for(actor)
        return refusal_card(texts_of(turn_context), refusal.kind, refusal.schools)

    async def on_adaptive_card_invoke(
        self, turn_context: TurnContext, invoke_value: AdaptiveCardInvokeValue
    ) -> AdaptiveCardInvokeResponse:
        """Action.Execute: the returned card replaces the one the button was on. The actor is
        re-resolved and re-authorised for every invoke, exactly as for messages."""
        actor: Actor = turn_context.turn_state[ACTOR_KEY]
        action = invoke_value.action if isinstance(invoke_value.action, dict) else {}
        if action.get("verb") in HELPDESK_VERBS and not actor.extra.get("tenant_refused"):
            card = await self.helpdesk_channel.on_invoke(turn_context, action["verb"],
                                                         action.get("data"))
        elif actor.is_coordinator:
            await self.dialog.before_turn(turn_context)
            if not self.dialog.executes(action.get("verb")):
                return await self._answer_in_card(turn_context, action)
            card = await self.dialog.execute(turn_context, action.get("verb"), action.get("data"))
        else:
            card = await self._refusal(turn_context, actor)
        return AdaptiveCardInvokeResponse(
            status_code=200, type="application/vnd.microsoft.card.adaptive", value=card)

    async def _answer_in_card(self, turn_context: TurnContext, action: dict
                              ) -> AdaptiveCardInvokeResponse:
        """An Action.Execute button of a flow's card (a form's 'Opslaan'): the dialogs handle
        it as the submit it stands for, and what they answer replaces that card, so a form
        asked again with what was wrong stays one card. When they only say something (an old
        card's button), the card stays and Teams shows the text."""
        data = action.get("data") if isinstance(action.get("data"), dict) else {}
        verb = action.get("verb")
        in_card = answer_in_card(turn_context, {**data, KEY_ACTION: verb if isinstance(
            verb, str) else ""})
        await run_dialog(self.dialog, turn_context, self.dialog_state)
        if in_card.card is not None:
            return AdaptiveCardInvokeResponse(
                status_code=200, type="application/vnd.microsoft.card.adaptive",
                value=in_card.card)
        return AdaptiveCardInvokeResponse(
            status_code=200, type="application/vnd.microsoft.activity.message",
            value=in_card.text or texts_of(turn_context)("step.wrong_card"))

    @staticmethod
    def _create_invoke_response(body: object = None) -> InvokeResponse:
        # A message answer ('value' is the text) is valid for Teams, but the SDK's serializer
        # only takes a dict there; it is a plain body already.
        if isinstance(body, AdaptiveCardInvokeResponse) and isinstance(body.value, str):
            return InvokeResponse(status=200, body={
                "statusCode": body.status_code, "type": body.type, "value": body.value})
        return TeamsActivityHandler._create_invoke_response(body)

    def _create_adaptive_card_invoke_error_response(self, status_code, code: str, message: str):
        # The SDK puts an Exception object in `value`, which cannot be serialized (HTTP 500 for
        # a malformed Action.Execute); a plain dict gives the intended 400 with its reason.
        return AdaptiveCardInvokeResponse(status_code=int(status_code),
                                          type="application/vnd.microsoft.error",
                                          value={"code": code, "message": message})


def _asked(activity) -> tuple[str, object]:
    """What a refused activity asked for (a card action or verb, never typed text) and the
    school its card named."""
    value = activity.value if isinstance(activity.value, dict) else {}
    if activity.type == "invoke":
        action = value.get("action") if isinstance(value.get("action"), dict) else {}
        data = action.get("data") if isinstance(action.get("data"), dict) else {}
        return str(action.get("verb"))[:60], data.get("school_id")
    if value:
        return str(value.get("action"))[:60], value.get("school_id")
    return ("typed" if activity.type == "message" else str(activity.type)[:60]), None
