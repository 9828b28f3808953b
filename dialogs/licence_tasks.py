"""The views of the licence tasks (kinderen op licenties, kindlicenties, automatisch koppelen,
topografie, typed shortcuts). Each does one service call and renders one card, or starts one
flow; domain errors become MainDialog's error card."""

from __future__ import annotations

from botbuilder.dialogs import Dialog, WaterfallStepContext

from cards import actions as A
from cards import child_licences as child_licence_cards
from cards import children as children_cards
from cards import shortcuts as shortcut_cards
from cards.actions.child_licences import CHILD_ASSIGN, CHILD_LICENCE, CHILD_LICENCES
from cards.actions.children import (
    CHILDREN,
    CHILDREN_ADD,
    CHILDREN_LICENCE,
    CHILDREN_REMOVE,
    KEY_CHILD,
    SHORTCUT_CHILDREN,
)
from cards.actions.licences import AUTOLINK, SHORTCUT_LINK, TOPOGRAPHY
from cards.actions.school import SHORTCUT_PUPIL
from dialogs.autolink_dialog import AutoLinkDialog
from dialogs.child_licence_dialog import AssignChildDialog
from dialogs.children_dialog import AddExtraChildDialog, RemoveExtraChildDialog
from dialogs.context import actor_of, send_card, texts_of
from dialogs.registry import Task, navigation, reads_ahead, task, typed_only
from dialogs.shortcut_dialog import GROUP_TEXT, PRODUCT_TEXT, QuickLinkDialog
from services import intents


@task
class LicenceTasks(Task):
    def dialogs(self) -> list[Dialog]:
        s = self.services
        return [AddExtraChildDialog(s.extra_children), RemoveExtraChildDialog(s.extra_children),
                AssignChildDialog(s.child_licences), AutoLinkDialog(s.links),
                QuickLinkDialog(s.links)]

    # -- kinderen op groepslicenties ------------------------------------------------------------
    @navigation(CHILDREN, typed=intents.Children)
    async def show_children(self, step: WaterfallStepContext, school, data: dict):
        overview = await self.services.extra_children.children_overview(actor_of(step.context),
                                                                        school.id)
        await send_card(step.context, children_cards.children_overview_card(
            texts_of(step.context), school.id, school.name, overview.school_year,
            overview.licences))

    @navigation(CHILDREN_LICENCE)
    async def show_extra_children(self, step: WaterfallStepContext, school, data: dict):
        found = await self.services.extra_children.extra_children(
            actor_of(step.context), data.get(A.KEY_LICENCE), data.get(A.KEY_PAGE, 1))
        await send_card(step.context, children_cards.extra_children_card(
            texts_of(step.context), found))

    @navigation(CHILDREN_ADD)
    async def start_add_children(self, step: WaterfallStepContext, school, data: dict):
        return await step.begin_dialog(AddExtraChildDialog.ID, {
            A.KEY_SCHOOL: school.id, A.KEY_LICENCE: data.get(A.KEY_LICENCE)})

    @navigation(CHILDREN_REMOVE)
    async def start_remove_child(self, step: WaterfallStepContext, school, data: dict):
        return await step.begin_dialog(RemoveExtraChildDialog.ID, {
            A.KEY_SCHOOL: school.id, A.KEY_LICENCE: data.get(A.KEY_LICENCE),
            KEY_CHILD: data.get(KEY_CHILD)})

    # -- kindlicenties --------------------------------------------------------------------------
    @navigation(CHILD_LICENCES, typed=intents.ChildLicences)
    async def show_child_licences(self, step: WaterfallStepContext, school, data: dict):
        licences = await self.services.child_licences.list_child_licences(
            actor_of(step.context), school.id)
        await send_card(step.context, child_licence_cards.child_licences_card(
            texts_of(step.context), school.id, school.name, licences.school_year,
            licences.licences))

    @navigation(CHILD_LICENCE)
    async def show_child_licence(self, step: WaterfallStepContext, school, data: dict):
        found = await self.services.child_licences.child_licence(
            actor_of(step.context), data.get(A.KEY_LICENCE), data.get(A.INPUT_QUERY, ""),
            data.get(A.KEY_PAGE, 1))
        await send_card(step.context, child_licence_cards.child_licence_card(
            texts_of(step.context), found))

    @navigation(CHILD_ASSIGN)
    async def start_assign(self, step: WaterfallStepContext, school, data: dict):
        return await step.begin_dialog(AssignChildDialog.ID, {
            A.KEY_SCHOOL: school.id, A.KEY_LICENCE: data.get(A.KEY_LICENCE)})

    # -- automatisch koppelen, topografie -------------------------------------------------------
    @navigation(AUTOLINK, typed=intents.AutoLink)
    async def start_autolink(self, step: WaterfallStepContext, school, data: dict):
        return await step.begin_dialog(AutoLinkDialog.ID, {A.KEY_SCHOOL: school.id})

    @navigation(TOPOGRAPHY, school_optional=True, typed=intents.Topography)
    async def show_topography(self, step: WaterfallStepContext, school, data: dict):
        await send_card(step.context, shortcut_cards.topography_card(
            texts_of(step.context), school.id if school else None))

    # -- typed shortcuts ------------------------------------------------------------------------
    @reads_ahead(SHORTCUT_LINK)
    def quick_link_reads(self, actor, school_id, data):
        return self.services.links.resolve_link_shortcut_reads(actor, school_id)

    @typed_only(SHORTCUT_LINK, intents.LinkGroup)
    async def start_quick_link(self, step: WaterfallStepContext, school, data: dict):
        return await step.begin_dialog(QuickLinkDialog.ID, {
            A.KEY_SCHOOL: school.id, GROUP_TEXT: data.get(GROUP_TEXT),
            PRODUCT_TEXT: data.get(PRODUCT_TEXT)})

    @typed_only(SHORTCUT_CHILDREN, intents.ChildrenOf)
    async def show_children_of(self, step: WaterfallStepContext, school, data: dict):
        found = await self.services.extra_children.children_shortcut(
            actor_of(step.context), school.id, data.get(PRODUCT_TEXT))
        t = texts_of(step.context)
        if found.product_name is None:
            await send_card(step.context, shortcut_cards.children_not_found_card(t, found))
            return
        await send_card(step.context, children_cards.children_overview_card(
            t, school.id, school.name, found.school_year, found.licences,
            product_name=found.product_name))

    @typed_only(SHORTCUT_PUPIL, intents.Pupil)
    async def show_pupil(self, step: WaterfallStepContext, school, data: dict):
        lookup = await self.services.school.find_pupil(actor_of(step.context), school.id,
                                                       data.get("name"))
        await send_card(step.context, shortcut_cards.pupil_card(texts_of(step.context), lookup))
