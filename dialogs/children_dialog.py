"""Kinderen op groepslicenties: add children of other groups (pick, confirm, add, remind the
teachers) and remove one again (confirm, remove)."""

from __future__ import annotations

from botbuilder.dialogs import WaterfallStepContext

from cards import children as cards
from cards.actions import CONFIRM, KEY_LICENCE, KEY_SCHOOL
from cards.actions.children import KEY_CHILD
from dialogs.child_picker_dialog import CANCELLED, CHOSEN, ChildPickerDialog
from dialogs.flow import FLOW, FlowDialog
from services.licences import ExtraChildren


class AddExtraChildDialog(FlowDialog):
    """Options: {'school_id', 'licence_id'} from the 'Kind toevoegen' button of a group licence."""

    ID = "AddExtraChildDialog"

    def __init__(self, extra_children: ExtraChildren) -> None:
        super().__init__(AddExtraChildDialog.ID)
        self.extra_children = extra_children
        self.add_dialog(ChildPickerDialog(extra_children))
        self.add_dialog(self.waterfall("add_children", [
            self.pick_step, self.confirm_step, self.add_step,
        ]))
        self.initial_dialog_id = "add_children"

    async def pick_step(self, step: WaterfallStepContext):
        flow = self.begin_flow(step)
        return await step.begin_dialog(ChildPickerDialog.ID, {
            KEY_SCHOOL: step.options.get(KEY_SCHOOL), KEY_LICENCE: step.options.get(KEY_LICENCE),
            FLOW: flow})

    async def confirm_step(self, step: WaterfallStepContext):
        picked = step.result
        if not isinstance(picked, dict):  # the picker showed an error or 'no groups' already
            return await step.end_dialog()
        if picked.get(CANCELLED):
            return await self.cancel_flow(step)
        preview = await self.extra_children.preview_add_extra_children(
            self.actor(step), step.options.get(KEY_LICENCE), picked[CHOSEN])
        step.values[CHOSEN] = [child.id for child in preview.children]  # checked once
        card = cards.confirm_add_card(self.texts(step), preview, step.values[FLOW])
        return await self.prompt_card(step, card, CONFIRM)

    async def add_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        result = await self.extra_children.add_extra_children(
            self.actor(step), step.options.get(KEY_LICENCE), step.values[CHOSEN])
        return await self.finish(step, cards.add_result_card(self.texts(step), result))


class RemoveExtraChildDialog(FlowDialog):
    """Options: {'school_id', 'licence_id', 'child_id'} from a child's 'Verwijderen' button."""

    ID = "RemoveExtraChildDialog"

    def __init__(self, extra_children: ExtraChildren) -> None:
        super().__init__(RemoveExtraChildDialog.ID)
        self.extra_children = extra_children
        self.add_dialog(self.waterfall("remove_child", [self.confirm_step, self.remove_step]))
        self.initial_dialog_id = "remove_child"

    async def confirm_step(self, step: WaterfallStepContext):
        flow = self.begin_flow(step)
        preview = await self.extra_children.preview_remove_extra_child(
            self.actor(step), step.options.get(KEY_LICENCE), step.options.get(KEY_CHILD))
        return await self.prompt_card(
            step, cards.confirm_remove_card(self.texts(step), preview, flow), CONFIRM)

    async def remove_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        result = await self.extra_children.remove_extra_child(
            self.actor(step), step.options.get(KEY_LICENCE), step.options.get(KEY_CHILD))
        return await self.finish(step, cards.remove_result_card(self.texts(step), result))
