"""The stateless views of the licence tasks (kinderen op licenties, kindlicenties, automatisch
koppelen, topografie, typed shortcuts), registered in MainDialog's view table. Each does one
service call and renders one card, or starts one flow; domain errors become MainDialog's error
card."""

from __future__ import annotations

from botbuilder.dialogs import Dialog, WaterfallStepContext

from cards import actions as A
from cards import child_licences as child_licence_cards
from cards import children as children_cards
from cards import shortcuts as shortcut_cards
from dialogs.autolink_dialog import AutoLinkDialog
from dialogs.child_licence_dialog import AssignChildDialog
from dialogs.children_dialog import AddExtraChildDialog, RemoveExtraChildDialog
from dialogs.context import actor_of, send_card, texts_of
from dialogs.shortcut_dialog import GROUP_TEXT, PRODUCT_TEXT, QuickLinkDialog
from services import intents
from services.registry import Services

# Typed words (services.intents) → the action that serves them.
TEXT_TO_ACTION = {
    intents.CHILDREN: A.CHILDREN,
    intents.CHILD_LICENCES: A.CHILD_LICENCES,
    intents.TOPOGRAPHY: A.TOPOGRAPHY,
    intents.AUTOLINK: A.AUTOLINK,
    intents.LINK_GROUP: A.SHORTCUT_LINK,
    intents.CHILDREN_OF: A.SHORTCUT_CHILDREN,
    intents.PUPIL: A.SHORTCUT_PUPIL,
}
# Views that work without a chosen school.
SCHOOL_OPTIONAL = frozenset({A.TOPOGRAPHY})


class LicenceTaskViews:
    def __init__(self, services: Services) -> None:
        self.services = services

    def dialogs(self) -> list[Dialog]:
        s = self.services
        return [AddExtraChildDialog(s.extra_children), RemoveExtraChildDialog(s.extra_children),
                AssignChildDialog(s.child_licences), AutoLinkDialog(s.links),
                QuickLinkDialog(s.links)]

    def views(self) -> dict:
        return {
            A.CHILDREN: self.show_children,
            A.CHILDREN_LICENCE: self.show_extra_children,
            A.CHILDREN_ADD: self.start_add_children,
            A.CHILDREN_REMOVE: self.start_remove_child,
            A.CHILD_LICENCES: self.show_child_licences,
            A.CHILD_LICENCE: self.show_child_licence,
            A.CHILD_ASSIGN: self.start_assign,
            A.CHILD_WRONG: self.show_wrong_child,
            A.AUTOLINK: self.start_autolink,
            A.TOPOGRAPHY: self.show_topography,
            A.SHORTCUT_LINK: self.start_quick_link,
            A.SHORTCUT_CHILDREN: self.show_children_of,
            A.SHORTCUT_PUPIL: self.show_pupil,
        }

    # -- kinderen op groepslicenties ------------------------------------------------------------
    async def show_children(self, step: WaterfallStepContext, school, data: dict):
        overview = await self.services.extra_children.children_overview(actor_of(step.context),
                                                                         school.id)
        await send_card(step.context, children_cards.children_overview_card(
            texts_of(step.context), school.id, school.name, overview.school_year,
            overview.licences))

    async def show_extra_children(self, step: WaterfallStepContext, school, data: dict):
        found = await self.services.extra_children.extra_children(actor_of(step.context), data.get(A.KEY_LICENCE),
                                                  data.get(A.KEY_PAGE, 1))
        await send_card(step.context, children_cards.extra_children_card(
            texts_of(step.context), found))

    async def start_add_children(self, step: WaterfallStepContext, school, data: dict):
        return await step.begin_dialog(AddExtraChildDialog.ID, {
            A.KEY_SCHOOL: school.id, A.KEY_LICENCE: data.get(A.KEY_LICENCE)})

    async def start_remove_child(self, step: WaterfallStepContext, school, data: dict):
        return await step.begin_dialog(RemoveExtraChildDialog.ID, {
            A.KEY_SCHOOL: school.id, A.KEY_LICENCE: data.get(A.KEY_LICENCE),
            A.KEY_CHILD: data.get(A.KEY_CHILD)})

    # -- kindlicenties --------------------------------------------------------------------------
    async def show_child_licences(self, step: WaterfallStepContext, school, data: dict):
        licences = await self.services.child_licences.list_child_licences(
            actor_of(step.context), school.id)
        await send_card(step.context, child_licence_cards.child_licences_card(
            texts_of(step.context), school.id, school.name, licences.school_year,
            licences.licences))

    async def show_child_licence(self, step: WaterfallStepContext, school, data: dict):
        found = await self.services.child_licences.child_licence(
            actor_of(step.context), data.get(A.KEY_LICENCE), data.get(A.INPUT_QUERY, ""),
            data.get(A.KEY_PAGE, 1))
        await send_card(step.context, child_licence_cards.child_licence_card(
            texts_of(step.context), found))

    async def start_assign(self, step: WaterfallStepContext, school, data: dict):
        return await step.begin_dialog(AssignChildDialog.ID, {
            A.KEY_SCHOOL: school.id, A.KEY_LICENCE: data.get(A.KEY_LICENCE)})

    async def show_wrong_child(self, step: WaterfallStepContext, school, data: dict):
        """'Verkeerd kind gekoppeld?'. The helpdesk handoff (DESIGN §6) replaces this view with
        its ticket flow, starting from the same service call and the same payload."""
        report = await self.services.child_licences.wrong_child_report(
            actor_of(step.context), data.get(A.KEY_LICENCE), data.get(A.KEY_CHILD))
        await send_card(step.context, child_licence_cards.wrong_child_card(
            texts_of(step.context), report))

    # -- automatisch koppelen, topografie -------------------------------------------------------
    async def start_autolink(self, step: WaterfallStepContext, school, data: dict):
        return await step.begin_dialog(AutoLinkDialog.ID, {A.KEY_SCHOOL: school.id})

    async def show_topography(self, step: WaterfallStepContext, school, data: dict):
        await send_card(step.context, shortcut_cards.topography_card(
            texts_of(step.context), school.id if school else None))

    # -- typed shortcuts ------------------------------------------------------------------------
    async def start_quick_link(self, step: WaterfallStepContext, school, data: dict):
        return await step.begin_dialog(QuickLinkDialog.ID, {
            A.KEY_SCHOOL: school.id, GROUP_TEXT: data.get(GROUP_TEXT),
            PRODUCT_TEXT: data.get(PRODUCT_TEXT)})

    async def show_children_of(self, step: WaterfallStepContext, school, data: dict):
        found = await self.services.extra_children.children_shortcut(actor_of(step.context), school.id,
                                                     data.get(PRODUCT_TEXT))
        t = texts_of(step.context)
        if found.product_name is None:
            await send_card(step.context, shortcut_cards.children_not_found_card(t, found))
            return
        await send_card(step.context, children_cards.children_overview_card(
            t, school.id, school.name, found.school_year, found.licences,
            product_name=found.product_name))

    async def show_pupil(self, step: WaterfallStepContext, school, data: dict):
        lookup = await self.services.school.find_pupil(actor_of(step.context), school.id, data.get("name"))
        await send_card(step.context, shortcut_cards.pupil_card(texts_of(step.context), lookup))
