"""Schoolgegevens: the school's home, groups, ict-coördinatoren, teachers and pupils."""

from __future__ import annotations

from cards import actions as A
from cards import school as cards
from cards.actions.school import (
    SCHOOL_COORDINATORS,
    SCHOOL_GROUP,
    SCHOOL_GROUPS,
    SCHOOL_HOME,
    SCHOOL_PUPILS,
    SCHOOL_TEACHERS,
)
from dialogs.context import actor_of, send_card, texts_of
from dialogs.registry import Task, navigation, reads_ahead, task
from services import intents


@task
class SchoolTask(Task):
    @navigation(SCHOOL_HOME, typed=intents.School)
    async def show_school_home(self, step, school, data):
        home = await self.services.school.school_home(actor_of(step.context), school.id)
        await send_card(step.context, cards.school_home_card(texts_of(step.context), home))

    @navigation(SCHOOL_GROUPS)
    async def show_groups(self, step, school, data):
        groups = await self.services.school.list_groups(actor_of(step.context), school.id)
        await send_card(step.context, cards.groups_card(texts_of(step.context), school.id,
                                                        groups, data.get(A.KEY_PAGE, 1)))

    @navigation(SCHOOL_GROUP)
    async def show_group(self, step, school, data):
        detail = await self.services.school.group_detail(actor_of(step.context), school.id,
                                                         data.get(A.KEY_GROUP))
        await send_card(step.context, cards.group_detail_card(texts_of(step.context), school.id,
                                                              detail))

    @navigation(SCHOOL_COORDINATORS)
    async def show_coordinators(self, step, school, data):
        people = await self.services.school.list_coordinators(actor_of(step.context), school.id)
        await send_card(step.context, cards.coordinators_card(texts_of(step.context), school.id,
                                                              people))

    @navigation(SCHOOL_TEACHERS)
    async def show_teachers(self, step, school, data):
        teachers = await self.services.school.list_teachers(actor_of(step.context), school.id)
        await send_card(step.context, cards.teachers_card(texts_of(step.context), school.id,
                                                          teachers))

    @reads_ahead(SCHOOL_PUPILS)
    def pupils_reads(self, actor, school_id, data):
        return self.services.school.search_pupils_reads(
            actor, school_id, data.get(A.INPUT_QUERY, ""), data.get(A.KEY_PAGE, 1))

    @navigation(SCHOOL_PUPILS)
    async def show_pupils(self, step, school, data):
        page = await self.services.school.search_pupils(
            actor_of(step.context), school.id, data.get(A.INPUT_QUERY, ""),
            data.get(A.KEY_PAGE, 1))
        await send_card(step.context, cards.pupils_card(texts_of(step.context), school.id, page))
