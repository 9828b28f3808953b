"""Pick children for a licence: the child's group (or a name), then one or more children; loops
for searching and paging and ends with the chosen ids."""

from __future__ import annotations

from typing import Protocol

from botbuilder.dialogs import WaterfallStepContext

from cards import children as cards
from cards.actions import (
    CANCEL,
    GROUP_CHOSEN,
    INPUT_QUERY,
    KEY_ACTION,
    KEY_GROUP,
    KEY_LICENCE,
    KEY_PAGE,
)
from cards.actions.children import CHILDREN_CHOSEN, CHILDREN_SEARCH, INPUT_CHILDREN, PICK_GROUPS
from dialogs.context import replace_pressed_card
from dialogs.flow import FLOW, FlowDialog
from services.shared.results import ChildCandidatesDTO, ChildGroupsDTO

STAGE = "stage"
GROUPS = "groups"
CHILDREN = "children"
NOTICE = "notice"
CHOSEN = "child_ids"
CANCELLED = "cancelled"


class ChildPicker(Protocol):
    """The licence area the children are picked for (extra children or kindlicenties)."""

    async def child_groups(self, actor, licence_id: object) -> ChildGroupsDTO: ...

    async def child_candidates(self, actor, licence_id: object, group_id: object = None,
                               query: object = "", page: object = 1) -> ChildCandidatesDTO: ...


class ChildPickerDialog(FlowDialog):
    """Options: {'school_id', 'licence_id', 'flow'} and, while looping, 'stage' ('groups' or
    'children'), 'group_id', 'query', 'page' and a 'notice' key. Ends with {'child_ids': '1,2'},
    with {'cancelled': True}, or with None after it showed an error card itself."""

    ID = "ChildPickerDialog"
    LOOP = "pick"

    def __init__(self, picker: ChildPicker) -> None:
        super().__init__(ChildPickerDialog.ID)
        self.picker = picker
        self.add_dialog(self.waterfall(self.LOOP, [self.show_step, self.read_step]))
        self.initial_dialog_id = self.LOOP

    async def show_step(self, step: WaterfallStepContext):
        options = step.options
        self.begin_flow(step)  # every state of the picker card answers once
        t = self.texts(step)
        notice = t(options[NOTICE]) if options.get(NOTICE) else ""
        if options.get(STAGE) != CHILDREN:
            groups = await self.picker.child_groups(self.actor(step),
                                                    options.get(KEY_LICENCE))
            card = cards.pick_group_card(t, groups, step.values[FLOW], notice=notice)
            if not groups.groups:
                return await self.finish(step, card)
            return await self.prompt_card(step, card, GROUP_CHOSEN, CHILDREN_SEARCH)
        found = await self.picker.child_candidates(
            self.actor(step), options.get(KEY_LICENCE), options.get(KEY_GROUP),
            options.get(INPUT_QUERY, ""), options.get(KEY_PAGE, 1))
        card = cards.pick_children_card(t, found, step.values[FLOW], notice=notice)
        return await self.prompt_card(step, card, CHILDREN_CHOSEN, CHILDREN_SEARCH, PICK_GROUPS)

    async def read_step(self, step: WaterfallStepContext):
        answer = self.answer(step)
        action = answer.get(KEY_ACTION)
        base = {k: v for k, v in step.options.items() if k not in (NOTICE, KEY_PAGE)}
        if action == CANCEL:
            return await step.end_dialog({CANCELLED: True})
        # Another group, a search, a page, or what was wrong: the picker card is asked again
        # in the place of the one pressed (one card, not a pile of them).
        replace_pressed_card(step.context)
        if action == PICK_GROUPS:
            return await step.replace_dialog(self.LOOP, {**base, STAGE: GROUPS, INPUT_QUERY: ""})
        query = answer.get(INPUT_QUERY, "")
        if step.options.get(STAGE) != CHILDREN:
            if action == GROUP_CHOSEN:
                return await step.replace_dialog(self.LOOP, {
                    **base, STAGE: CHILDREN, KEY_GROUP: answer.get(KEY_GROUP), INPUT_QUERY: query})
            if isinstance(query, str) and query.strip():
                return await step.replace_dialog(self.LOOP, {
                    **base, STAGE: CHILDREN, KEY_GROUP: None, INPUT_QUERY: query})
            return await step.replace_dialog(self.LOOP, {**base, NOTICE: "pick.group_or_name"})
        if action == CHILDREN_SEARCH:
            if step.options.get(KEY_GROUP) is None and not (isinstance(query, str)
                                                            and query.strip()):
                # A whole-school search whose name was emptied: back to the groups, not an error.
                return await step.replace_dialog(self.LOOP, {
                    **base, STAGE: GROUPS, INPUT_QUERY: "", NOTICE: "pick.group_or_name"})
            # The group stays the one chosen before: a search narrows it down, never widens it.
            return await step.replace_dialog(self.LOOP, {
                **base, INPUT_QUERY: query, KEY_PAGE: answer.get(KEY_PAGE, 1)})
        chosen = answer.get(INPUT_CHILDREN)
        if not chosen:
            return await step.replace_dialog(self.LOOP, {
                **base, NOTICE: "pick.nothing_chosen", KEY_PAGE: step.options.get(KEY_PAGE, 1)})
        return await step.end_dialog({CHOSEN: chosen})
