"""The root dialog: reads what the user asked (a card button or typed words) and routes it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from botbuilder.core import StatePropertyAccessor, TurnContext
from botbuilder.dialogs import (
    ComponentDialog,
    DialogContext,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.schema import ActivityTypes

from cards import actions as A
from cards import common
from cards import licences as licence_cards
from cards import school as school_cards
from cards.i18n import Texts
from dialogs.context import actor_of, send_card, submitted, texts_of
from dialogs.exchange_dialog import AddCouplingDialog, ExchangeViews, RemoveCouplingDialog
from dialogs.licence_task_views import SCHOOL_OPTIONAL as LICENCE_TASKS_SCHOOL_OPTIONAL
from dialogs.licence_task_views import TEXT_TO_ACTION as LICENCE_TASK_TEXTS
from dialogs.licence_task_views import LicenceTaskViews
from dialogs.link_group_dialog import LinkGroupDialog
from dialogs.pincode_dialog import ChangePincodeDialog, PincodeViews, SwitchLoginModeDialog
from dialogs.unlink_group_dialog import UnlinkGroupDialog
from services import intents
from services.actor import SchoolRef
from services.errors import DomainError
from services.registry import Services

WELCOME = "welcome"
LAS = "las"
UNKNOWN = "unknown"

_TEXT_TO_ACTION = {
    intents.HELP: A.HELP,
    intents.MENU: A.MENU,
    intents.LANGUAGE: A.LANGUAGE,
    intents.SCHOOL: A.SCHOOL_HOME,
    intents.SWITCH_SCHOOL: A.SCHOOL_PICK,
    intents.LICENCES: A.LICENCES,
    intents.PINCODES: A.PINCODES,
    intents.EXCHANGE: A.EXCHANGE,
    intents.FEATURE: A.FEATURE,
    intents.LAS: LAS,
    intents.UNKNOWN: UNKNOWN,
    **LICENCE_TASK_TEXTS,  # issue 3
}

# Views that can be shown without a chosen school (they use it when there is one).
_SCHOOL_OPTIONAL = frozenset({WELCOME, A.HELP, A.SCHOOL_PICK, A.LANGUAGE, A.FEATURE, LAS,
                              *LICENCE_TASKS_SCHOOL_OPTIONAL})


@dataclass(frozen=True)
class Request:
    action: str
    data: dict


def read_request(context: TurnContext) -> Request:
    """What this turn asks for: a submit's action, typed words, or a first contact."""
    activity = context.activity
    if activity.type != ActivityTypes.message:
        return Request(WELCOME, {})
    value = submitted(context)
    if value:
        action = value.get(A.KEY_ACTION)
        return Request(action if isinstance(action, str) else "", value)
    intent = intents.parse(activity.text or "")
    return Request(_TEXT_TO_ACTION[intent.kind], dict(intent.args))


def is_interruption(context: TurnContext) -> bool:
    """Typed words and navigation buttons leave a running flow; step answers do not."""
    activity = context.activity
    if activity.type != ActivityTypes.message:
        return True
    value = submitted(context)
    if value:
        return value.get(A.KEY_ACTION) in A.NAVIGATION
    return bool((activity.text or "").strip())


class MainDialog(ComponentDialog):
    ID = "MainDialog"

    def __init__(self, services: Services, profile: StatePropertyAccessor) -> None:
        super().__init__(MainDialog.ID)
        self.services = services
        self.profile = profile
        self.add_dialog(LinkGroupDialog(services.links))
        self.add_dialog(UnlinkGroupDialog(services.links))
        # --- dialogs of issue 3 (licence tasks) ---
        licence_tasks = LicenceTaskViews(services)
        for dialog in licence_tasks.dialogs():
            self.add_dialog(dialog)
        # --- dialogs of issue 4 (pincodes) ---
        self.add_dialog(ChangePincodeDialog(services.pincodes))
        self.add_dialog(SwitchLoginModeDialog(services.pincodes))
        pincodes = PincodeViews(services.pincodes)
        # --- dialogs of issue 5 (result exchange) ---
        self.add_dialog(AddCouplingDialog(services.exchange))
        self.add_dialog(RemoveCouplingDialog(services.exchange))
        exchange = ExchangeViews(services.exchange)
        self.add_dialog(WaterfallDialog("route", [self.route_step]))
        self.initial_dialog_id = "route"
        View = Callable[[WaterfallStepContext, SchoolRef | None, dict], Awaitable[object]]
        self._views: dict[str, View] = {
            WELCOME: self.show_welcome,
            A.MENU: self.show_menu,
            A.HELP: self.show_help,
            A.SCHOOL_PICK: self.show_school_picker,
            A.SCHOOL_SET: self.show_menu,
            A.LANGUAGE: self.show_language,
            A.LANGUAGE_SET: self.set_language,
            A.FEATURE: self.show_not_built,
            LAS: self.show_las,
            UNKNOWN: self.show_not_understood,
            A.LICENCES: self.show_licences,
            A.LINK_START: self.start_link,
            A.UNLINK_START: self.start_unlink,
            A.SCHOOL_HOME: self.show_school_home,
            A.SCHOOL_GROUPS: self.show_groups,
            A.SCHOOL_GROUP: self.show_group,
            A.SCHOOL_COORDINATORS: self.show_coordinators,
            A.SCHOOL_TEACHERS: self.show_teachers,
            A.SCHOOL_PUPILS: self.show_pupils,
            # --- views of issue 3 (licence tasks) ---
            **licence_tasks.views(),
            # --- views of issue 4 (pincodes) ---
            A.PINCODES: pincodes.show_start,
            A.PINCODE_GROUP: pincodes.show_group,
            A.PINCODES_SHOW: pincodes.replace,
            A.PINCODES_HIDE: pincodes.replace,
            A.PINCODE_NEW_HIDE: pincodes.replace,
            A.PINCODE_PRINT: pincodes.show_print,
            A.PINCODE_CHANGE: pincodes.start_change,
            A.PINCODE_MODE: pincodes.start_switch,
            # --- views of issue 5 (result exchange) ---
            A.EXCHANGE: exchange.show,
            A.EXCHANGE_ADD: exchange.start_add,
            A.EXCHANGE_GRADES: exchange.set_grades,
            A.EXCHANGE_REMOVE: exchange.start_remove,
            A.EXCHANGE_VERIFY: exchange.recheck,
        }

    async def on_continue_dialog(self, inner_dc: DialogContext) -> DialogTurnResult:
        if is_interruption(inner_dc.context):
            await inner_dc.cancel_all_dialogs()
            return await inner_dc.begin_dialog(self.initial_dialog_id)
        return await super().on_continue_dialog(inner_dc)

    async def route_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        request = read_request(step.context)
        t = texts_of(step.context)
        view = self._views.get(request.action)
        school = None
        try:
            school = await self._school(step, request)
            if view is None:
                # A step answer with no flow waiting for it: an old card, a double click.
                await send_card(step.context, common.stale_card(t, school.id if school else None))
                return await step.end_dialog()
            if school is None and request.action not in _SCHOOL_OPTIONAL:
                await self.show_school_picker(step, None,
                                              {**request.data, A.KEY_ACTION: request.action})
                return await step.end_dialog()
            result = await view(step, school, request.data)
        except DomainError as error:
            await send_card(step.context, common.error_card(
                t, error.code, error.params, school_id=school.id if school else None))
            return await step.end_dialog()
        if isinstance(result, DialogTurnResult):
            return result
        return await step.end_dialog()

    async def _school(self, step: WaterfallStepContext, request: Request) -> SchoolRef | None:
        """The school this request is about: named by the card, else the remembered one."""
        actor = actor_of(step.context)
        profile = await self.profile.get(step.context, dict)
        if request.data.get(A.KEY_SCHOOL) is not None:
            school = await self.services.school.require_school(actor, request.data[A.KEY_SCHOOL])
        else:
            known = {s.id: s for s in actor.coordinator_of}
            school = known.get(profile.get("school_id"))
            if school is None and len(known) == 1:
                school = next(iter(known.values()))
        if school is not None and profile.get("school_id") != school.id:
            profile["school_id"] = school.id
            await self.profile.set(step.context, profile)
        return school

    # -- views: each renders one card, after at most one service call ---------------------------
    async def show_welcome(self, step, school, data):
        actor = actor_of(step.context)
        t = texts_of(step.context)
        if school is None:  # several schools, none chosen yet: the menu asks for it first
            choices = [(s.id, s.name, f"{s.brin} {s.vestiging}") for s in actor.coordinator_of]
            card = common.menu_card(t, actor.name, None, greeting=True, schools=choices)
        else:
            card = common.menu_card(t, actor.name, school.id, school.name, greeting=True,
                                    can_switch=len(actor.coordinator_of) > 1)
        await send_card(step.context, card)

    async def show_menu(self, step, school, data):
        actor = actor_of(step.context)
        await send_card(step.context, common.menu_card(
            texts_of(step.context), actor.name, school.id, school.name,
            can_switch=len(actor.coordinator_of) > 1))

    async def show_help(self, step, school, data):
        await send_card(step.context, common.help_card(texts_of(step.context),
                                                       school.id if school else None))

    async def show_school_picker(self, step, school, data):
        actor = actor_of(step.context)
        t = texts_of(step.context)
        choices = [(s.id, s.name, f"{s.brin} {s.vestiging}") for s in actor.coordinator_of]
        greeting = actor.name if step.context.activity.type != ActivityTypes.message else None
        await send_card(step.context, common.school_picker_card(
            t, choices, greeting=greeting, then=data if data.get(A.KEY_ACTION) else None))

    async def show_language(self, step, school, data):
        await send_card(step.context, common.language_card(texts_of(step.context)))

    async def set_language(self, step, school, data):
        actor = actor_of(step.context)
        language = await self.services.school.set_language(actor, data.get(A.KEY_LANGUAGE))
        await send_card(step.context, common.menu_card(
            Texts(language), actor.name, school.id, school.name,
            can_switch=len(actor.coordinator_of) > 1))

    async def show_not_built(self, step, school, data):
        feature = data.get(A.KEY_FEATURE)
        await send_card(step.context, common.not_built_card(
            texts_of(step.context), feature if isinstance(feature, str) else "",
            school.id if school else None))

    async def show_las(self, step, school, data):
        await send_card(step.context, common.las_card(texts_of(step.context),
                                                      school.id if school else None))

    async def show_not_understood(self, step, school, data):
        t = texts_of(step.context)
        said = data.get("text") or ""
        if not said:  # a submit with an action nobody knows: a forged or garbled card
            await send_card(step.context, common.stale_card(t, school.id))
            return
        await send_card(step.context, common.not_understood_card(t, said, school.id))

    async def show_licences(self, step, school, data):
        found = await self.services.links.list_group_licences(actor_of(step.context), school.id)
        await send_card(step.context, licence_cards.licences_card(
            texts_of(step.context), school.id, school.name, found.school_year, found.licences))

    async def start_link(self, step, school, data):
        return await step.begin_dialog(LinkGroupDialog.ID, {
            A.KEY_SCHOOL: school.id, A.KEY_LICENCE: data.get(A.KEY_LICENCE)})

    async def start_unlink(self, step, school, data):
        return await step.begin_dialog(UnlinkGroupDialog.ID, {
            A.KEY_SCHOOL: school.id, A.KEY_LICENCE: data.get(A.KEY_LICENCE),
            A.KEY_GROUP: data.get(A.KEY_GROUP)})

    async def show_school_home(self, step, school, data):
        home = await self.services.school.school_home(actor_of(step.context), school.id)
        await send_card(step.context, school_cards.school_home_card(texts_of(step.context), home))

    async def show_groups(self, step, school, data):
        groups = await self.services.school.list_groups(actor_of(step.context), school.id)
        await send_card(step.context, school_cards.groups_card(
            texts_of(step.context), school.id, groups))

    async def show_group(self, step, school, data):
        detail = await self.services.school.group_detail(actor_of(step.context), school.id,
                                                 data.get(A.KEY_GROUP))
        await send_card(step.context, school_cards.group_detail_card(
            texts_of(step.context), school.id, detail))

    async def show_coordinators(self, step, school, data):
        people = await self.services.school.list_coordinators(actor_of(step.context), school.id)
        await send_card(step.context, school_cards.coordinators_card(
            texts_of(step.context), school.id, people))

    async def show_teachers(self, step, school, data):
        teachers = await self.services.school.list_teachers(actor_of(step.context), school.id)
        await send_card(step.context, school_cards.teachers_card(
            texts_of(step.context), school.id, teachers))

    async def show_pupils(self, step, school, data):
        page = await self.services.school.search_pupils(actor_of(step.context), school.id,
                                                data.get(A.INPUT_QUERY, ""),
                                                data.get(A.KEY_PAGE, 1))
        await send_card(step.context, school_cards.pupils_card(
            texts_of(step.context), school.id, page))
