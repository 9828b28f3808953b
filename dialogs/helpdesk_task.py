"""'Verkeerd kind gekoppeld?' (a ticket for the Malmberg helpdesk) and 'Mijn meldingen'."""

from __future__ import annotations

from botbuilder.dialogs import WaterfallStepContext

from cards import actions as A
from cards import helpdesk as cards
from cards.actions.child_licences import CHILD_WRONG
from cards.actions.helpdesk import (
    INPUT_GROUP,
    INPUT_INTENDED,
    INPUT_REASON,
    INPUT_WRONG,
    NO_GROUP,
    TICKET_FORM,
    TICKET_INTENDED,
    TICKETS,
)
from dialogs.context import actor_of, send_card, texts_of
from dialogs.flow import FlowDialog
from dialogs.registry import Task, navigation, task
from services import intents
from services.errors import InvalidInput
from services.helpdesk import HelpdeskService

FORM = "form"
INTENDED = "intended"


class TicketDialog(FlowDialog):
    """Options: {'school_id', 'licence_id'}. The wrong child and the reason, optionally the
    intended child (from one group), a confirmation, then the ticket."""

    ID = "TicketDialog"

    def __init__(self, helpdesk: HelpdeskService) -> None:
        super().__init__(TicketDialog.ID)
        self.helpdesk = helpdesk
        self.add_dialog(self.waterfall("ticket", [
            self.form_step, self.intended_step, self.confirm_step, self.open_step,
        ]))
        self.initial_dialog_id = "ticket"

    async def form_step(self, step: WaterfallStepContext):
        flow = self.begin_flow(step)
        form = await self.helpdesk.ticket_form(self.actor(step), step.options.get(A.KEY_LICENCE))
        card = cards.ticket_form_card(self.texts(step), form, flow, self.form_error(step),
                                      wrong_child=step.options.get(INPUT_WRONG))
        return await self.prompt_card(step, card, TICKET_FORM)

    async def intended_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        answer = self.answer(step)
        step.values[FORM] = {key: answer.get(key) for key in (INPUT_WRONG, INPUT_REASON)}
        group = answer.get(INPUT_GROUP)
        if group in (None, "", NO_GROUP):
            return await step.next({})
        choice = await self.helpdesk.intended_choice(
            self.actor(step), step.options.get(A.KEY_LICENCE), group)
        card = cards.intended_card(self.texts(step), choice, step.values["flow"])
        if not choice.children:
            return await self.finish(step, card)
        return await self.prompt_card(step, card, TICKET_INTENDED)

    async def confirm_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        intended = None if isinstance(step.result, dict) else self.answer(step).get(INPUT_INTENDED)
        step.values[INTENDED] = intended
        form = step.values[FORM]
        try:
            preview = await self.helpdesk.preview_ticket(
                self.actor(step), step.options.get(A.KEY_LICENCE), form[INPUT_WRONG], intended,
                form[INPUT_REASON])
        except InvalidInput as error:  # e.g. a reason of only spaces: the form again, saying so
            # The child chosen stays chosen; the card offers it only if it is still listed.
            return await self.ask_again(step, "ticket", {
                **step.options, INPUT_WRONG: form[INPUT_WRONG]}, error)
        return await self.prompt_card(
            step, cards.confirm_ticket_card(self.texts(step), preview, step.values["flow"]),
            A.CONFIRM)

    async def open_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        form = step.values[FORM]
        ticket = await self.helpdesk.open_ticket(
            self.actor(step), step.options.get(A.KEY_LICENCE), form[INPUT_WRONG],
            step.values[INTENDED], form[INPUT_REASON])
        return await self.finish(step, cards.ticket_sent_card(self.texts(step), ticket))


@task
class HelpdeskTask(Task):
    """The coördinator's side of the helpdesk handoff."""

    def dialogs(self):
        return [TicketDialog(self.services.helpdesk)]

    @navigation(CHILD_WRONG)
    async def start_ticket(self, step: WaterfallStepContext, school, data: dict):
        return await step.begin_dialog(TicketDialog.ID, {
            A.KEY_SCHOOL: school.id, A.KEY_LICENCE: data.get(A.KEY_LICENCE)})

    @navigation(TICKETS, typed=intents.Tickets)
    async def show_tickets(self, step: WaterfallStepContext, school, data: dict):
        found = await self.services.helpdesk.list_tickets(actor_of(step.context), school.id,
                                                          data.get(A.KEY_PAGE, 1))
        await send_card(step.context, cards.tickets_card(texts_of(step.context), found))
