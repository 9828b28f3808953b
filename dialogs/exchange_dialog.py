"""Resultaten uitwisselen: add or replace an LVS coupling, remove one, and the stateless views."""

from __future__ import annotations

from botbuilder.dialogs import WaterfallStepContext

from cards import exchange as cards
from cards.actions import CONFIRM, KEY_SCHOOL
from cards.actions.exchange import (
    EXCHANGE,
    EXCHANGE_ADD,
    EXCHANGE_GRADES,
    EXCHANGE_KEY_SAVE,
    EXCHANGE_REMOVE,
    EXCHANGE_SYSTEM_CHOSEN,
    EXCHANGE_VERIFY,
    INPUT_LVS_KEY,
    KEY_COUPLING,
    KEY_SYSTEM,
    KEY_VALUE,
)
from dialogs.context import actor_of, send_card, texts_of
from dialogs.flow import FLOW, FlowDialog
from dialogs.registry import Task, navigation, task
from services import intents
from services.errors import Rejected
from services.exchange import ExchangeService
from services.exchange.lvs import SYSTEMS

REPLACE = "replace"
KEY_LOOP = "exchange.key"


class AddCouplingDialog(FlowDialog):
    """Koppeling toevoegen: choose the LVS, 'Vervangen?' if it is coupled already, step 1 for
    that LVS, paste the key, save, see the status. A badly pasted key asks again.

    Options: {'school_id', 'system'?}; 'system' comes from a coupling's 'Sleutel vervangen'.
    The key itself is never kept in dialog state: it goes from the submit straight to the
    service, which stores it encrypted.
    """

    ID = "AddCouplingDialog"

    def __init__(self, exchange: ExchangeService) -> None:
        super().__init__(AddCouplingDialog.ID)
        self.exchange = exchange
        self.add_dialog(self.waterfall("add", [
            self.choose_system_step, self.replace_step, self.key_step, self.done_step,
        ]))
        self.add_dialog(self.waterfall(KEY_LOOP, [self.ask_key_step, self.save_step]))
        self.initial_dialog_id = "add"

    async def choose_system_step(self, step: WaterfallStepContext):
        flow = self.begin_flow(step)
        system = step.options.get(KEY_SYSTEM)
        if system is not None:
            return await step.next({KEY_SYSTEM: system})
        overview = await self.exchange.exchange_overview(self.actor(step),
                                                         step.options.get(KEY_SCHOOL))
        card = cards.choose_system_card(self.texts(step), overview.systems, flow)
        return await self.prompt_card(step, card, EXCHANGE_SYSTEM_CHOSEN)

    async def replace_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        chosen = step.result if isinstance(step.result, dict) else self.answer(step)
        step.values[KEY_SYSTEM] = chosen.get(KEY_SYSTEM)
        existing = await self.exchange.coupling_for_system(
            self.actor(step), step.options.get(KEY_SCHOOL), step.values[KEY_SYSTEM])
        step.values[REPLACE] = existing is not None
        if existing is None:
            return await step.next(None)
        card = cards.replace_card(self.texts(step), existing, step.values[FLOW])
        return await self.prompt_card(step, card, CONFIRM)

    async def key_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        return await step.begin_dialog(KEY_LOOP, {
            KEY_SCHOOL: step.options.get(KEY_SCHOOL), KEY_SYSTEM: step.values[KEY_SYSTEM],
            REPLACE: step.values[REPLACE], FLOW: step.values[FLOW],
        })

    async def done_step(self, step: WaterfallStepContext):
        return await step.end_dialog()

    # -- the key, asked again until it is well-formed (or the user leaves) -----------------------
    async def ask_key_step(self, step: WaterfallStepContext):
        # A fresh token for every ask: a key card asked again replaces the pressed one, and
        # no earlier copy of it can still answer.
        self.begin_flow(step)
        system = step.options[KEY_SYSTEM]
        card = cards.key_card(
            self.texts(step), system, SYSTEMS[system], step.values[FLOW],
            replacing=step.options[REPLACE], error=self.form_error(step))
        return await self.prompt_card(step, card, EXCHANGE_KEY_SAVE)

    async def save_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        try:
            saved = await self.exchange.add_coupling(
                self.actor(step), step.options.get(KEY_SCHOOL), step.options[KEY_SYSTEM],
                self.answer(step).get(INPUT_LVS_KEY), replace=step.options[REPLACE])
        except Rejected as error:  # a badly pasted key: ask again in the same card, saying why
            return await self.ask_again(step, KEY_LOOP, step.options, error)
        return await self.finish(step, cards.saved_card(self.texts(step), saved))


class RemoveCouplingDialog(FlowDialog):
    """Koppeling verwijderen: confirm, then delete the coupling and its key.
    Options: {'school_id', 'coupling_id', 'system'}."""

    ID = "RemoveCouplingDialog"

    def __init__(self, exchange: ExchangeService) -> None:
        super().__init__(RemoveCouplingDialog.ID)
        self.exchange = exchange
        self.add_dialog(self.waterfall("remove", [self.confirm_step, self.remove_step]))
        self.initial_dialog_id = "remove"

    async def confirm_step(self, step: WaterfallStepContext):
        flow = self.begin_flow(step)
        coupling = await self.exchange.coupling_detail(
            self.actor(step), step.options.get(KEY_SCHOOL), step.options.get(KEY_COUPLING),
            system=step.options.get(KEY_SYSTEM))
        card = cards.confirm_remove_card(self.texts(step), coupling, flow)
        return await self.prompt_card(step, card, CONFIRM)

    async def remove_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        removed = await self.exchange.remove_coupling(
            self.actor(step), step.options.get(KEY_SCHOOL), step.options.get(KEY_COUPLING),
            system=step.options.get(KEY_SYSTEM))
        return await self.finish(step, cards.removed_card(self.texts(step), removed))


@task
class ExchangeTask(Task):
    """The views of 'Resultaten uitwisselen' and its flows. Each view does one service call and
    renders one card; domain errors become MainDialog's error card."""

    def dialogs(self):
        return [AddCouplingDialog(self.services.exchange),
                RemoveCouplingDialog(self.services.exchange)]

    @navigation(EXCHANGE, typed=intents.Exchange)
    async def show(self, step: WaterfallStepContext, school, data: dict):
        overview = await self.services.exchange.exchange_overview(actor_of(step.context), school.id)
        await send_card(step.context, cards.overview_card(texts_of(step.context), overview))

    @navigation(EXCHANGE_ADD)
    async def start_add(self, step: WaterfallStepContext, school, data: dict):
        return await step.begin_dialog(AddCouplingDialog.ID, {
            KEY_SCHOOL: school.id, KEY_SYSTEM: data.get(KEY_SYSTEM)})

    @navigation(EXCHANGE_GRADES)
    async def set_grades(self, step: WaterfallStepContext, school, data: dict):
        coupling = await self.services.exchange.set_forward_grades(
            actor_of(step.context), school.id, data.get(KEY_COUPLING), data.get(KEY_VALUE),
            system=data.get(KEY_SYSTEM))
        await send_card(step.context, cards.grades_card(texts_of(step.context), coupling))

    @navigation(EXCHANGE_REMOVE)
    async def start_remove(self, step: WaterfallStepContext, school, data: dict):
        return await step.begin_dialog(RemoveCouplingDialog.ID, {
            KEY_SCHOOL: school.id, KEY_COUPLING: data.get(KEY_COUPLING),
            KEY_SYSTEM: data.get(KEY_SYSTEM)})

    @navigation(EXCHANGE_VERIFY)
    async def recheck(self, step: WaterfallStepContext, school, data: dict):
        recheck = await self.services.exchange.recheck_coupling(
            actor_of(step.context), school.id, data.get(KEY_COUPLING),
            system=data.get(KEY_SYSTEM))
        await send_card(step.context, cards.status_card(texts_of(step.context), recheck.coupling,
                                                        checked=recheck.checked))
