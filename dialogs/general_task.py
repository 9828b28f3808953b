"""What every conversation has: the welcome, the menu, help, choosing a school and a language,
and the answers to words the bot does not act on (LAS work, not understood)."""

from __future__ import annotations

from botbuilder.schema import ActivityTypes

from cards import actions as A
from cards import common
from cards.i18n import Texts
from dialogs.context import actor_of, help_page_of, send_card, texts_of
from dialogs.registry import Task, navigation, task, typed_only
from services import intents

WELCOME = "welcome"  # a first contact (conversationUpdate), never on a card
LAS = "las"
UNKNOWN = "unknown"
TOO_LONG = "too_long"  # typed text longer than any command, never on a card


@task
class GeneralTask(Task):
    @typed_only(WELCOME, school_optional=True)
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

    @navigation(A.MENU, typed=intents.Menu)
    @navigation(A.SCHOOL_SET)
    async def show_menu(self, step, school, data):
        actor = actor_of(step.context)
        await send_card(step.context, common.menu_card(
            texts_of(step.context), actor.name, school.id, school.name,
            can_switch=len(actor.coordinator_of) > 1))

    @navigation(A.HELP, school_optional=True, typed=intents.Help)
    async def show_help(self, step, school, data):
        await send_card(step.context, common.help_card(
            texts_of(step.context), school.id if school else None,
            help_page=help_page_of(step.context)))

    @navigation(A.SCHOOL_PICK, school_optional=True, typed=intents.SwitchSchool)
    async def show_school_picker(self, step, school, data):
        actor = actor_of(step.context)
        t = texts_of(step.context)
        choices = [(s.id, s.name, f"{s.brin} {s.vestiging}") for s in actor.coordinator_of]
        greeting = actor.name if step.context.activity.type != ActivityTypes.message else None
        await send_card(step.context, common.school_picker_card(
            t, choices, greeting=greeting, then=data if data.get(A.KEY_ACTION) else None))

    @navigation(A.LANGUAGE, school_optional=True, typed=intents.Language)
    async def show_language(self, step, school, data):
        await send_card(step.context, common.language_card(texts_of(step.context)))

    @navigation(A.LANGUAGE_SET)
    async def set_language(self, step, school, data):
        actor = actor_of(step.context)
        language = await self.services.school.set_language(actor, data.get(A.KEY_LANGUAGE))
        await send_card(step.context, common.menu_card(
            Texts(language), actor.name, school.id, school.name,
            can_switch=len(actor.coordinator_of) > 1))

    @typed_only(LAS, intents.Las, school_optional=True)
    async def show_las(self, step, school, data):
        await send_card(step.context, common.las_card(texts_of(step.context),
                                                      school.id if school else None))

    @typed_only(TOO_LONG, intents.TooLong, school_optional=True)
    async def show_too_long(self, step, school, data):
        length = data.get("length")
        await send_card(step.context, common.too_long_card(
            texts_of(step.context), length if isinstance(length, int) else 0, intents.MAX_TYPED,
            school.id if school else None))

    @typed_only(UNKNOWN, intents.Unknown)
    async def show_not_understood(self, step, school, data):
        t = texts_of(step.context)
        said = data.get("text") or ""
        if not said:  # a submit with an action nobody knows: a forged or garbled card
            await send_card(step.context, common.stale_card(t, school.id))
            return
        await send_card(step.context, common.not_understood_card(t, said, school.id))
