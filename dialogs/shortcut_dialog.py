"""'koppel groep 5b aan pluspunt': resolve the typed names, ask when they are ambiguous, and end
in the normal confirmation card of 'Licenties koppelen' before anything is linked."""

from __future__ import annotations

from botbuilder.dialogs import WaterfallStepContext

from cards import licences as link_cards
from cards import shortcuts as cards
from cards.actions import CONFIRM, GROUP_CHOSEN, KEY_GROUP, KEY_LICENCE, KEY_SCHOOL
from cards.actions.licences import LICENCE_CHOSEN
from dialogs.flow import FLOW, FlowDialog
from services.errors import InvalidInput
from services.licences import GroupLinks
from services.licences.results import LinkShortcutDTO

GROUP_TEXT = "group"
PRODUCT_TEXT = "product"
GROUP_IDS = "group_ids"
LICENCE_IDS = "licence_ids"


FOUND = "found"  # resolve_step's result, handed to licence_step within one turn


class QuickLinkDialog(FlowDialog):
    """Options: {'school_id', 'group': typed group name, 'product': typed product name}."""

    ID = "QuickLinkDialog"

    def __init__(self, links: GroupLinks) -> None:
        super().__init__(QuickLinkDialog.ID)
        self.links = links
        self.add_dialog(self.waterfall("quick_link", [
            self.resolve_step, self.licence_step, self.confirm_step, self.link_step,
        ]))
        self.initial_dialog_id = "quick_link"

    async def _resolve(self, step: WaterfallStepContext):
        return await self.links.resolve_link_shortcut(
            self.actor(step), step.options.get(KEY_SCHOOL), step.options.get(GROUP_TEXT),
            step.options.get(PRODUCT_TEXT))

    @staticmethod
    def _chosen(step: WaterfallStepContext, key: str, allowed: list[int]) -> int:
        """The id picked on the previous card (or passed on by the step before), if it was one
        of the choices offered: anything else is a forged or stale answer."""
        data = step.result if isinstance(step.result, dict) else FlowDialog.answer(step)
        value = data.get(key)
        if not isinstance(value, int) or value not in allowed:
            raise InvalidInput("error.invalid_field", field=key)
        return value

    async def resolve_step(self, step: WaterfallStepContext):
        flow = self.begin_flow(step)
        found = await self._resolve(step)
        t = self.texts(step)
        if not found.groups or found.product_name is None or not found.licences:
            return await self.finish(step, cards.link_not_found_card(t, found))
        step.values[GROUP_IDS] = [g.id for g in found.groups]
        step.values[LICENCE_IDS] = [lic.id for lic in found.licences]
        if len(found.groups) > 1:
            return await self.prompt_card(step, cards.pick_group_card(t, found, flow),
                                          GROUP_CHOSEN)
        # The next step runs in this same turn: it takes what was just found along.
        return await step.next({KEY_GROUP: found.groups[0].id, FOUND: found})

    async def licence_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        group_id = self._chosen(step, KEY_GROUP, step.values[GROUP_IDS])
        step.values[KEY_GROUP] = group_id
        passed = step.result.get(FOUND) if isinstance(step.result, dict) else None
        # A card's answer is JSON and can never hold a result object: only resolve_step's can.
        found = passed if isinstance(passed, LinkShortcutDTO) else await self._resolve(step)
        group = next((g for g in found.groups if g.id == group_id), None)
        if group is None:  # renamed or gone since the previous card
            return await self.finish(step, cards.link_not_found_card(self.texts(step), found))
        linked = tuple(lic for lic in found.licences
                       if any(ln.group_id == group.id for ln in lic.linked_groups))
        open_licences = tuple(lic for lic in found.licences if lic not in linked)
        fitting = [lic.id for lic in open_licences if (group.id, lic.id) in found.fitting]
        if linked and not fitting:  # it has its licence of this product already
            return await self.finish(step, cards.already_linked_card(
                self.texts(step), found.school_id, group, linked))
        step.values[LICENCE_IDS] = fitting or [lic.id for lic in open_licences]
        if len(fitting) == 1:
            return await step.next({KEY_LICENCE: fitting[0], FOUND: found})
        card = cards.pick_licence_card(self.texts(step), found, group, open_licences, fitting,
                                       step.values[FLOW])
        return await self.prompt_card(step, card, LICENCE_CHOSEN)

    async def confirm_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        step.values[KEY_LICENCE] = self._chosen(step, KEY_LICENCE, step.values[LICENCE_IDS])
        passed = step.result.get(FOUND) if isinstance(step.result, dict) else None
        # Passed on within the turn that matched the words, the match is the preview; a
        # licence picked on a card in a later turn is checked again.
        preview = passed.preview(step.values[KEY_GROUP], step.values[KEY_LICENCE]) if isinstance(
            passed, LinkShortcutDTO) else None
        if preview is None:
            preview = await self.links.preview_link(
                self.actor(step), step.values[KEY_LICENCE], [step.values[KEY_GROUP]])
        card = link_cards.confirm_link_card(self.texts(step), preview, step.values[FLOW])
        return await self.prompt_card(step, card, CONFIRM)

    async def link_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        result = await self.links.link_groups(
            self.actor(step), step.values[KEY_LICENCE], [step.values[KEY_GROUP]])
        return await self.finish(step, link_cards.link_result_card(self.texts(step), result))
