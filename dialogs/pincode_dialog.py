"""Pincodes: the views (pick a group, show/hide codes, print link), 'Wijzig pincode' and
'Inlogmethode' flows, and the Action.Execute handler that replaces a card in place.

Showing and hiding codes is an Action.Execute: Teams sends an `adaptiveCard/action` invoke and
shows the card we return in its place, so codes leave the chat again on 'Verberg'. Clients
without Universal Actions use the action's Action.Submit fallback; that arrives as a message and
we replace the card with update_activity (the message the button sits on is `replyToId`). When
no update is possible (expectReplies, no replyToId, the connector refuses) the card is sent as a
new message instead.
"""

from __future__ import annotations

import logging

from botbuilder.core import TurnContext
from botbuilder.dialogs import WaterfallStepContext
from botbuilder.schema import ActivityTypes, DeliveryModes

from cards import actions as A
from cards import pincodes as cards
from cards.actions.pincodes import (
    INPUT_PICTURE,
    INPUT_PINCODE,
    KEY_GROUP_QUERY,
    KEY_PUPIL,
    PINCODE_CHANGE,
    PINCODE_GENERATE,
    PINCODE_GROUP,
    PINCODE_MODE,
    PINCODE_NEW_HIDE,
    PINCODE_PRINT,
    PINCODE_SAVE,
    PINCODES,
    PINCODES_HIDE,
    PINCODES_SHOW,
)
from cards.common import error_card
from dialogs.context import (
    SHOWN_CODES_KEY,
    actor_of,
    school_id_in,
    send_card,
    texts_of,
    update_message,
)
from dialogs.flow import FlowDialog
from dialogs.registry import Task, executes, navigation, reads_ahead, task
from services import intents
from services.errors import DomainError, Rejected
from services.pincodes import PincodeService
from services.pincodes.results import MODE_DIGITS, PICTURE_COUNT, other_mode

log = logging.getLogger(__name__)

BASE_URL_KEY = "beheerbot.base_url"  # set by bot/ every turn: where download links point
CODE_VERBS = (PINCODES_SHOW, PINCODES_HIDE, PINCODE_NEW_HIDE)
MODE = "login_mode"


def base_url_of(context: TurnContext) -> str:
    return context.turn_state.get(BASE_URL_KEY) or ""


async def replace_card(context: TurnContext, card: dict) -> str | None:
    """The Action.Submit fallback: update the message the button was on, else send anew.
    The id of the message that now shows the card, when there is one."""
    activity = context.activity
    target = activity.reply_to_id
    if (target and activity.delivery_mode != DeliveryModes.expect_replies
            and await update_message(context, target, card)):
        return target
    return await send_card(context, card)


def acts_on_codes(activity) -> bool:
    """Whether this activity is a show/hide/page button of a card with codes (that card is
    then answered by its own handler, not hidden behind the coördinator's back)."""
    value = activity.value if isinstance(activity.value, dict) else {}
    if activity.type == ActivityTypes.invoke:
        action = value.get("action") if isinstance(value.get("action"), dict) else {}
        verb = action.get("verb")
    else:
        verb = value.get(A.KEY_ACTION)
    return verb in CODE_VERBS


async def track_shown(context: TurnContext, pincodes: PincodeService, message_id: str | None,
                      hidden_card: dict | None) -> None:
    """Remember that message `message_id` shows codes (with the card that hides them), or
    forget it when it no longer does."""
    activity = context.activity
    conversation_id = activity.conversation.id if activity.conversation else None
    if not message_id or not conversation_id:
        return
    if hidden_card is None:
        await pincodes.shown.forget(conversation_id, message_id)
        return
    tenant = (activity.channel_data or {}).get("tenant") if isinstance(
        activity.channel_data, dict) else None
    await pincodes.shown.remember(
        actor_of(context), conversation_id=conversation_id, activity_id=message_id,
        service_url=activity.service_url or "",
        tenant_id=tenant.get("id") if isinstance(tenant, dict) else None,
        hidden_card=hidden_card)


@task
class PincodeTask(Task):
    """The views of 'Pincodes', its flows, and the Action.Execute handler."""

    def dialogs(self):
        return [ChangePincodeDialog(self.services.pincodes),
                SwitchLoginModeDialog(self.services.pincodes)]

    async def before_turn(self, context: TurnContext) -> None:
        """The coördinator moves on: every card of this chat that still shows codes is
        replaced by its version without them (what fails is left to the sweep)."""
        activity = context.activity
        if activity.conversation is None or not activity.conversation.id:
            return
        store = self.services.pincodes.shown
        shown = context.turn_state.get(SHOWN_CODES_KEY)
        if shown is None:  # not read with the actor (a first contact found by e-mail)
            shown = await store.in_conversation(activity.conversation.id)
        keep = activity.reply_to_id if acts_on_codes(activity) else None
        for message in shown:
            if message.activity_id == keep:
                continue
            if await update_message(context, message.activity_id, message.hidden_card):
                await store.forget(message.conversation_id, message.activity_id)

    async def _card_for_verb(self, context: TurnContext, verb: str, data: dict
                             ) -> tuple[dict, dict | None]:
        """The card for a show/hide button, and (when it shows codes) the card without them."""
        t = texts_of(context)
        actor = actor_of(context)
        pincodes = self.services.pincodes
        try:
            if verb in (PINCODES_SHOW, PINCODES_HIDE):
                group = await pincodes.pincode_group(
                    actor, data.get(A.KEY_SCHOOL), data.get(A.KEY_GROUP),
                    reveal=verb == PINCODES_SHOW, page=data.get(A.KEY_PAGE, 1))
                hidden = cards.pincode_group_card(t, group.hidden()) if group.revealed else None
                return cards.pincode_group_card(t, group), hidden
            pupil = await pincodes.pincode_pupil(actor, data.get(A.KEY_SCHOOL),
                                                 data.get(A.KEY_GROUP), data.get(KEY_PUPIL))
            return cards.pincode_changed_card(t, pupil, None), None
        except DomainError as error:
            return error_card(t, error.code, error.params, school_id=school_id_in(data)), None

    @executes(*CODE_VERBS)
    async def card_for_verb(self, context: TurnContext, verb: str, data: dict) -> dict:
        """The card that replaces the one whose Execute button was pressed (the message Teams
        names in replyToId). Every call is authorised again by the service; refusals become an
        error card."""
        card, hidden = await self._card_for_verb(context, verb, data)
        await track_shown(context, self.services.pincodes, context.activity.reply_to_id, hidden)
        return card

    @navigation(PINCODES, typed=intents.Pincodes)
    async def show_start(self, step: WaterfallStepContext, school, data: dict):
        start = await self.services.pincodes.open_pincodes(actor_of(step.context), school.id,
                                                           data.get(KEY_GROUP_QUERY))
        t = texts_of(step.context)
        card = (cards.pincode_group_card(t, start.group) if start.group
                else cards.pincode_groups_card(t, start))
        await send_card(step.context, card)

    @reads_ahead(PINCODE_GROUP)
    def group_reads(self, actor, school_id, data):
        return self.services.pincodes.pincode_group_reads(
            actor, school_id, data.get(A.KEY_GROUP), data.get(A.KEY_PAGE, 1))

    @navigation(PINCODE_GROUP)
    async def show_group(self, step: WaterfallStepContext, school, data: dict):
        group = await self.services.pincodes.pincode_group(actor_of(step.context), school.id,
                                                           data.get(A.KEY_GROUP),
                                                           page=data.get(A.KEY_PAGE, 1))
        await send_card(step.context, cards.pincode_group_card(texts_of(step.context), group))

    @navigation(PINCODES_SHOW)
    @navigation(PINCODES_HIDE)
    @navigation(PINCODE_NEW_HIDE)
    async def replace(self, step: WaterfallStepContext, school, data: dict):
        """'Toon pincodes' / 'Verberg' pressed on a client without Action.Execute."""
        card, hidden = await self._card_for_verb(step.context, data.get(A.KEY_ACTION), data)
        shown_in = await replace_card(step.context, card)
        await track_shown(step.context, self.services.pincodes, shown_in, hidden)

    @navigation(PINCODE_PRINT)
    async def show_print(self, step: WaterfallStepContext, school, data: dict):
        link = await self.services.pincodes.pincode_print_link(actor_of(step.context), school.id,
                                                               data.get(A.KEY_GROUP))
        await send_card(step.context, cards.print_link_card(
            texts_of(step.context), link, base_url_of(step.context) + link.path))

    @navigation(PINCODE_CHANGE)
    async def start_change(self, step: WaterfallStepContext, school, data: dict):
        return await step.begin_dialog(ChangePincodeDialog.ID, {
            A.KEY_SCHOOL: school.id, A.KEY_GROUP: data.get(A.KEY_GROUP),
            KEY_PUPIL: data.get(KEY_PUPIL)})

    @navigation(PINCODE_MODE)
    async def start_switch(self, step: WaterfallStepContext, school, data: dict):
        return await step.begin_dialog(SwitchLoginModeDialog.ID, {
            A.KEY_SCHOOL: school.id, A.KEY_GROUP: data.get(A.KEY_GROUP)})


def typed_code(answer: dict, mode: str) -> object:
    """The code the coördinator entered: the text (digits) or the four picked pictures."""
    if mode == MODE_DIGITS:
        return answer.get(INPUT_PINCODE, "")
    return [answer.get(INPUT_PICTURE.format(n), "") for n in range(1, PICTURE_COUNT + 1)]


class ChangePincodeDialog(FlowDialog):
    """Wijzig pincode. Options: {'school_id', 'group_id', 'person_id'} from the group card; a
    code that breaks a rule asks again with the reason (the typed code is never kept)."""

    ID = "ChangePincodeDialog"

    def __init__(self, pincodes: PincodeService) -> None:
        super().__init__(ChangePincodeDialog.ID)
        self.pincodes = pincodes
        self.add_dialog(self.waterfall("change", [self.ask_code_step, self.save_step]))
        self.initial_dialog_id = "change"

    async def ask_code_step(self, step: WaterfallStepContext):
        flow = self.begin_flow(step)
        pupil = await self.pincodes.pincode_pupil(
            self.actor(step), step.options.get(A.KEY_SCHOOL), step.options.get(A.KEY_GROUP),
            step.options.get(KEY_PUPIL))
        step.values[MODE] = pupil.login_mode
        card = cards.change_pincode_card(self.texts(step), pupil, flow,
                                         self.form_error(step) or None)
        return await self.prompt_card(step, card, PINCODE_SAVE, PINCODE_GENERATE)

    async def save_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        answer = self.answer(step)
        generate = answer.get(A.KEY_ACTION) == PINCODE_GENERATE
        code = None if generate else typed_code(answer, step.values[MODE])
        try:
            change = await self.pincodes.change_pincode(
                self.actor(step), step.options.get(A.KEY_SCHOOL), step.options.get(A.KEY_GROUP),
                step.options.get(KEY_PUPIL), code)
        except Rejected as error:  # a code that breaks a rule: ask again in the same card
            return await self.ask_again(step, "change", step.options, error)
        t = self.texts(step)
        shown_in = await send_card(step.context, cards.change_result_card(t, change))
        hidden = cards.pincode_changed_card(t, change.pupil, None) if change.code else None
        await track_shown(step.context, self.pincodes, shown_in, hidden)
        return await step.end_dialog()


class SwitchLoginModeDialog(FlowDialog):
    """Inlogmethode: confirm, then switch the group to the other mode (new codes for all)."""

    ID = "SwitchLoginModeDialog"

    def __init__(self, pincodes: PincodeService) -> None:
        super().__init__(SwitchLoginModeDialog.ID)
        self.pincodes = pincodes
        self.add_dialog(self.waterfall("switch", [self.confirm_step, self.switch_step]))
        self.initial_dialog_id = "switch"

    async def confirm_step(self, step: WaterfallStepContext):
        flow = self.begin_flow(step)
        group = await self.pincodes.pincode_group(
            self.actor(step), step.options.get(A.KEY_SCHOOL), step.options.get(A.KEY_GROUP))
        step.values[MODE] = other_mode(group.login_mode)
        card = cards.confirm_mode_card(self.texts(step), group, step.values[MODE], flow)
        return await self.prompt_card(step, card, A.CONFIRM)

    async def switch_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        result = await self.pincodes.switch_login_mode(
            self.actor(step), step.options.get(A.KEY_SCHOOL), step.options.get(A.KEY_GROUP),
            step.values[MODE])
        return await self.finish(step, cards.mode_switched_card(self.texts(step), result))
