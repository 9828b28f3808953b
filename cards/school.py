"""Cards of 'Schoolgegevens': home, groups, one group, coördinatoren, teachers, pupils."""

from __future__ import annotations

from cards import actions as A
from cards.actions.audit import RECENT_CHANGES
from cards.actions.school import (
    SCHOOL_COORDINATORS,
    SCHOOL_GROUP,
    SCHOOL_GROUPS,
    SCHOOL_HOME,
    SCHOOL_PUPILS,
    SCHOOL_TEACHERS,
)
from cards.children import paging_rows
from cards.elements import action_rows, card, facts, heading, row, submit, text, text_input, title
from cards.i18n import Texts
from services.school.results import GroupDetailDTO, PupilDTO, SchoolDTO, TeacherDTO
from services.shared.paging import window
from services.shared.results import GroupDTO, Page, PersonDTO

GROUPS_PER_PAGE = 20  # a large school has 40 groups; one page of them stays well under 28 KB


def _tabs(t: Texts, school_id: int) -> list[dict]:
    return action_rows([
        submit(t("school.tab_home"), SCHOOL_HOME, **{A.KEY_SCHOOL: school_id}),
        submit(t("school.tab_groups"), SCHOOL_GROUPS, **{A.KEY_SCHOOL: school_id}),
        submit(t("school.tab_coordinators"), SCHOOL_COORDINATORS, **{A.KEY_SCHOOL: school_id}),
        submit(t("school.tab_teachers"), SCHOOL_TEACHERS, **{A.KEY_SCHOOL: school_id}),
        submit(t("school.tab_pupils"), SCHOOL_PUPILS, **{A.KEY_SCHOOL: school_id}),
        submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: school_id}),
    ], per_row=3)


def school_home_card(t: Texts, school: SchoolDTO) -> dict:
    body = [title(t("school.title")), facts([
        (t("school.name"), school.name),
        (t("school.brin"), school.brin),
        (t("school.vestiging"), school.vestiging),
        (t("school.city"), school.city),
        (t("school.year"), school.school_year),
        (t("school.groups"), str(school.group_count)),
        (t("school.teachers"), str(school.teacher_count)),
        (t("school.pupils"), str(school.pupil_count)),
    ]), text(t("school.las_note"), subtle=True)]
    body.extend(action_rows([submit(t("menu.audit"), RECENT_CHANGES,
                                    **{A.KEY_SCHOOL: school.id})]))
    body.extend(_tabs(t, school.id))
    return card(body, fallback=t("school.title"))


def groups_card(t: Texts, school_id: int, groups: tuple[GroupDTO, ...], page: object = 1
                ) -> dict:
    """One page of the school's groups (a page past the end shows the last one)."""
    body = [title(t("school.tab_groups"))]
    if not groups:
        body.append(text(t("school.no_groups")))
    where = window(len(groups), page if isinstance(page, int) and not isinstance(page, bool)
                   else 1, GROUPS_PER_PAGE)
    for group in groups[where.offset:where.offset + where.size]:
        detail = t("school.group_line", pupils=group.pupil_count,
                   teachers=", ".join(group.teacher_names) or t("school.no_teacher"))
        body.append(row(group.name, detail, submit(
            t("school.open"), SCHOOL_GROUP, **{A.KEY_SCHOOL: school_id, A.KEY_GROUP: group.id})))
    if where.page_count > 1:
        body.append(text(t("changes.page", page=where.page, pages=where.page_count),
                         subtle=True))
        body.extend(paging_rows(t, where.page, where.page_count, SCHOOL_GROUPS,
                                **{A.KEY_SCHOOL: school_id}))
    body.extend(_tabs(t, school_id))
    return card(body, fallback=t("school.tab_groups"))


def group_detail_card(t: Texts, school_id: int, detail: GroupDetailDTO) -> dict:
    group = detail.group
    body = [title(group.name),
            heading(t("school.group_teachers")),
            text(", ".join(p.name for p in detail.teachers) or t("school.no_teacher")),
            heading(t("school.group_pupils", count=len(detail.pupils)))]
    if detail.pupils:
        body.append(text("\n".join(f"- {p.name}" for p in detail.pupils)))
    else:
        body.append(text(t("school.no_pupils")))
    body.append(text(t("school.missing_hint"), subtle=True))
    body.extend(_tabs(t, school_id))
    return card(body, fallback=group.name)


def coordinators_card(t: Texts, school_id: int, people: tuple[PersonDTO, ...]) -> dict:
    body = [title(t("school.tab_coordinators"))]
    for person in people:
        body.append(row(person.name, person.email or ""))
    body.extend(_tabs(t, school_id))
    return card(body, fallback=t("school.tab_coordinators"))


def teachers_card(t: Texts, school_id: int, teachers: tuple[TeacherDTO, ...]) -> dict:
    body = [title(t("school.tab_teachers"))]
    if not teachers:
        body.append(text(t("school.no_teachers")))
    for teacher in teachers:
        groups = ", ".join(teacher.group_names) or t("school.no_group")
        body.append(row(teacher.person.name, f"{groups} · {teacher.person.email or ''}"))
    body.extend(_tabs(t, school_id))
    return card(body, fallback=t("school.tab_teachers"))


def pupils_card(t: Texts, school_id: int, page: Page[PupilDTO]) -> dict:
    """One page of pupils, with a name search; the search keeps working across pages."""
    body = [title(t("school.tab_pupils")),
            text_input(A.INPUT_QUERY, label=t("school.search_label"),
                       placeholder=t("school.search_placeholder"), value=page.query,
                       max_length=100),
            action_rows([submit(t("school.search"), SCHOOL_PUPILS, **{A.KEY_SCHOOL: school_id})])[0]]
    if page.query:
        body.append(text(t("school.search_result", count=page.total, query=page.query),
                         subtle=True))
    if not page.items:
        body.append(text(t("school.no_pupils_found") if page.query else t("school.no_pupils")))
        if page.query:
            body.append(text(t("school.missing_hint"), subtle=True))
    else:
        body.append(facts([(p.person.name, p.group_name or t("school.no_group"))
                           for p in page.items]))
        body.append(text(t("school.page", page=page.page, pages=page.page_count,
                           total=page.total), subtle=True))
    paging = []
    if page.page > 1:
        paging.append(submit(t("school.previous"), SCHOOL_PUPILS, **{
            A.KEY_SCHOOL: school_id, A.KEY_PAGE: page.page - 1}))
    if page.page < page.page_count:
        paging.append(submit(t("school.next"), SCHOOL_PUPILS, **{
            A.KEY_SCHOOL: school_id, A.KEY_PAGE: page.page + 1}))
    if paging:
        body.extend(action_rows(paging))
    body.extend(_tabs(t, school_id))
    return card(body, fallback=t("school.tab_pupils"))
