"""The helpdesk's Teams channel: an agent names the bot there with 'helpdesk' once, after which
tickets arrive in it as cards; 'Uitvoeren' and 'Afwijzen' (Action.Execute) are checked against
HELPDESK_AGENTS on the server and answer with the updated card."""

from __future__ import annotations

import re

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from cards.actions import KEY_ACTION
from cards.actions.helpdesk import INPUT_REASON, KEY_TICKET, VERB_EXECUTE, VERB_REJECT
from cards.helpdesk import channel_message_card, helpdesk_ticket_card
from cards.i18n import Texts
from dialogs.context import send_card
from services.errors import DomainError, NotAllowed
from services.helpdesk import HelpdeskService

MENTION = re.compile(r"<at[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)
VERBS = (VERB_EXECUTE, VERB_REJECT)


def in_channel(activity: Activity) -> bool:
    conversation = activity.conversation
    return bool(conversation) and getattr(conversation, "conversation_type", None) == "channel"


def without_mentions(text: str | None) -> str:
    """The message without any <at>…</at> mention (the bot's own name above all)."""
    return " ".join(MENTION.sub(" ", text or "").split())


class HelpdeskChannel:
    def __init__(self, helpdesk: HelpdeskService) -> None:
        self.helpdesk = helpdesk

    @staticmethod
    def _agent(activity: Activity) -> tuple[str | None, str]:
        sender = activity.from_property
        if sender is None:
            return None, ""
        return sender.aad_object_id or None, sender.name if isinstance(sender.name, str) else ""

    async def on_message(self, turn_context: TurnContext, tenant_id: str | None) -> None:
        activity = turn_context.activity
        t = Texts("nl")
        value = activity.value if isinstance(activity.value, dict) else {}
        if value.get(KEY_ACTION) in VERBS:  # a client without Universal Actions: a new card
            await send_card(turn_context, await self.on_invoke(turn_context, value[KEY_ACTION],
                                                               value))
            return
        said = without_mentions(activity.text).lower()
        agent_id, name = self._agent(activity)
        if said != "helpdesk":
            await send_card(turn_context, channel_message_card(t, t("channel.hint")))
            return
        reference = TurnContext.get_conversation_reference(activity)
        # Teams names the thread the mention was in ('19:…@thread.tacv2;messageid=…'); tickets
        # go to the channel itself, each as a new post, not as replies in that thread.
        channel_id = activity.conversation.id.split(";messageid=")[0]
        reference.conversation.id = channel_id
        try:
            await self.helpdesk.register_channel(
                agent_id, name, channel_id, tenant_id, activity.service_url or "",
                reference.serialize())
        except NotAllowed:
            await send_card(turn_context, channel_message_card(t, t("error.not_an_agent")))
            return
        await send_card(turn_context, channel_message_card(t, t("channel.registered")))

    async def on_invoke(self, turn_context: TurnContext, verb: str, data: object) -> dict:
        """The card that replaces the ticket's card: updated, or the reason nothing changed."""
        t = Texts("nl")
        data = data if isinstance(data, dict) else {}
        agent_id, name = self._agent(turn_context.activity)
        try:
            if verb == VERB_EXECUTE:
                done = await self.helpdesk.execute(agent_id, name, data.get(KEY_TICKET))
            else:
                done = await self.helpdesk.reject(agent_id, name, data.get(KEY_TICKET),
                                                  data.get(INPUT_REASON))
        except DomainError as exc:
            note = f"{t(exc.code, **exc.params)} {t('error.nothing_changed')}"
            if isinstance(exc, NotAllowed):
                return channel_message_card(t, note)
            try:  # the ticket again, with what was wrong (e.g. a refusal without a reason)
                ticket = await self.helpdesk.ticket(agent_id, data.get(KEY_TICKET))
            except DomainError:
                return channel_message_card(t, note)
            return helpdesk_ticket_card(t, ticket, note=note)
        return helpdesk_ticket_card(t, done.ticket,
                                    note="" if done.applied else t("channel.handled"))
