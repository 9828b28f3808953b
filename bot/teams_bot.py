"""The Teams activity handler: resolves who is writing, refuses non-coördinators, runs dialogs."""

from __future__ import annotations

import logging

from botbuilder.core import ConversationState, TurnContext, UserState
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, ChannelAccount

from bot.config import Settings
from bot.identity import identity_of, teams_email, tenant_of
from cards.common import refusal_card
from dialogs.context import ACTOR_KEY, send_card, texts_of
from dialogs.main_dialog import MainDialog
from dialogs.pincode_dialog import BASE_URL_KEY
from dialogs.runner import run_dialog
from services.actor import Actor
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
    ) -> None:
        self.settings = settings
        self.school = services.school
        self.references = services.references
        self.conversation_state = conversation_state
        self.user_state = user_state
        self.dialog = dialog
        self.dialog_state = conversation_state.create_property("DialogState")

    async def on_turn(self, turn_context: TurnContext) -> None:
        actor = await self._actor(turn_context)
        turn_context.turn_state[ACTOR_KEY] = actor
        if actor.is_known:
            await self._remember_conversation(turn_context, actor)
        turn_context.turn_state[BASE_URL_KEY] = self.settings.base_url
        await super().on_turn(turn_context)
        await self.conversation_state.save_changes(turn_context)
        await self.user_state.save_changes(turn_context)

    async def _actor(self, turn_context: TurnContext) -> Actor:
        activity = turn_context.activity
        conversation_id = activity.conversation.id if activity.conversation else None
        if not self.settings.tenant_allowed(tenant_of(activity)):
            return Actor(person_id=None, name="", conversation_id=conversation_id,
                         extra={"tenant_refused": True})
        actor = await self.school.resolve_actor(identity_of(activity), conversation_id)
        if not actor.is_known:
            email = await teams_email(turn_context)
            if email:
                actor = await self.school.resolve_actor(identity_of(activity, email),
                                                        conversation_id)
        return actor

    async def _remember_conversation(self, turn_context: TurnContext, actor: Actor) -> None:
        """Where the outbox can reach this person later; a failure never spoils the turn."""
        activity = turn_context.activity
        conversation = activity.conversation
        try:
            await self.references.remember(
                actor, tenant_id=tenant_of(activity),
                scope=(conversation.conversation_type or "personal") if conversation else "",
                service_url=activity.service_url or "",
                reference=TurnContext.get_conversation_reference(activity).serialize())
        except Exception:
            log.exception("gespreksreferentie niet opgeslagen")

    async def on_message_activity(self, turn_context: TurnContext) -> None:
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
            await run_dialog(self.dialog, turn_context, self.dialog_state)
            return
        await send_card(turn_context, await self._refusal(turn_context, actor))

    async def _refusal(self, turn_context: TurnContext, actor: Actor) -> dict:
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
        if actor.is_coordinator:
            card = await self.dialog.execute(turn_context, action.get("verb"), action.get("data"))
        else:
            card = await self._refusal(turn_context, actor)
        return AdaptiveCardInvokeResponse(
            status_code=200, type="application/vnd.microsoft.card.adaptive", value=card)

    def _create_adaptive_card_invoke_error_response(self, status_code, code: str, message: str):
        # The SDK puts an Exception object in `value`, which cannot be serialized (HTTP 500 for
        # a malformed Action.Execute); a plain dict gives the intended 400 with its reason.
        return AdaptiveCardInvokeResponse(status_code=int(status_code),
                                          type="application/vnd.microsoft.error",
                                          value={"code": code, "message": message})
