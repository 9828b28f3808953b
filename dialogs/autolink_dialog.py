"""Automatisch koppelen: one proposal (what links itself, and a choice per doubtful group),
then one 'Koppelen' that applies all of it."""

from __future__ import annotations

from botbuilder.dialogs import WaterfallStepContext

from cards import autolink as cards
from cards.actions import CONFIRM, KEY_SCHOOL
from cards.actions.licences import AUTOLINK_SKIP
from dialogs.flow import FlowDialog
from services.errors import DomainError
from services.licences import GroupLinks

SHOWN = "shown_links"
OFFERED = "offered_rows"  # per doubtful row of the card: [group id, [licence ids]]
PROPOSAL_CHANGED = "error.autolink_changed"


class AutoLinkDialog(FlowDialog):
    """Options: {'school_id'} from the 'Automatisch koppelen' button or the typed words."""

    ID = "AutoLinkDialog"

    def __init__(self, links: GroupLinks) -> None:
        super().__init__(AutoLinkDialog.ID)
        self.links = links
        self.add_dialog(self.waterfall("autolink", [self.preview_step, self.link_step]))
        self.initial_dialog_id = "autolink"

    async def preview_step(self, step: WaterfallStepContext):
        flow = self.begin_flow(step)
        outcome = await self.links.auto_link_preview(self.actor(step),
                                                     step.options.get(KEY_SCHOOL))
        card = cards.autolink_preview_card(self.texts(step), outcome, flow)
        if not outcome.links and not outcome.suggestions:
            return await self.finish(step, card)
        # 'Koppelen' agrees to these links and rows, not to whatever fits by the time it is
        # clicked: the service refuses the whole proposal when they no longer hold.
        step.values[SHOWN] = [[link.licence.id, link.group_id] for link in outcome.links]
        step.values[OFFERED] = [[row.group_id, [lic.id for lic in row.licences]]
                                for row in cards.shown_suggestions(outcome)]
        return await self.prompt_card(step, card, CONFIRM)

    async def link_step(self, step: WaterfallStepContext):
        if self.cancelled(step):
            return await self.cancel_flow(step)
        outcome = await self.links.auto_link(self.actor(step), step.options.get(KEY_SCHOOL),
                                             confirmed=step.values[SHOWN],
                                             chosen=self._chosen(step))
        return await self.finish(step, cards.autolink_result_card(self.texts(step), outcome))

    async def fail(self, step: WaterfallStepContext, error: DomainError):
        if error.code == PROPOSAL_CHANGED:  # offer the new proposal right away
            return await self.finish(step, cards.proposal_changed_card(self.texts(step),
                                                                       self.school_id(step)))
        return await super().fail(step, error)

    def _chosen(self, step: WaterfallStepContext) -> list[list[object]]:
        """[licence id as sent, group id] for every doubtful row the coördinator chose a licence
        for. The group comes from the flow's own state, never from the card; the service checks
        that the licence was one of the row's options."""
        answer = self.answer(step)
        chosen = []
        for row, (group_id, _) in enumerate(step.values[OFFERED]):
            value = answer.get(cards.choice_input(row))
            if value not in (None, "", AUTOLINK_SKIP):
                chosen.append([value, group_id])
        return chosen
