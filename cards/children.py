"""Cards of 'Kinderen op licenties' (rule 6, manual 3.5) and the child pickers both child flows
share: pick the child's group, then the children, then confirm; the rule-7 reminder."""

from __future__ import annotations

from cards import actions as A
from cards.actions.children import (
    CHILDREN,
    CHILDREN_ADD,
    CHILDREN_CHOSEN,
    CHILDREN_LICENCE,
    CHILDREN_REMOVE,
    CHILDREN_SEARCH,
    INPUT_CHILDREN,
    KEY_CHILD,
    PICK_GROUPS,
)
from cards.actions.licences import TOPOGRAPHY
from cards.elements import (
    action_rows,
    card,
    choice_set,
    execute,
    facts,
    heading,
    row,
    submit,
    text,
    text_input,
    title,
    without_inputs,
)
from cards.i18n import Texts
from cards.names import licence_name, licence_title
from services.licences.results import ExtraChildRemovalDTO
from services.shared.results import (
    ChildCandidatesDTO,
    ChildDTO,
    ChildGroupsDTO,
    ChildrenPreviewDTO,
    ChildrenResultDTO,
    LicenceChildrenDTO,
    LicenceDTO,
    LicenceOverviewDTO,
    TeacherReminderDTO,
    levels_label,
)

MAX_LICENCE_BUTTONS = 60
MAX_GROUP_BUTTONS = 60


def levels_text(t: Texts, levels: tuple[int, ...]) -> str:
    """(5,) → '5'; (6, 7) → '6/7'; (3, 4, ..., 8) → '3 t/m 8'."""
    if len(levels) > 2 and list(levels) == list(range(levels[0], levels[-1] + 1)):
        return t("levels.range", first=levels[0], last=levels[-1])
    return levels_label(levels)


def short_label(t: Texts, licence: LicenceDTO) -> str:
    """'Pluspunt groep 5' (the school year is on the card already)."""
    return licence_name(licence.product_name, licence.levels)


def full_label(t: Texts, licence: LicenceDTO) -> str:
    """'Pluspunt groep 5 — 2026-2027'."""
    return licence_title(licence.product_name, licence.levels, licence.school_year)


def child_label(t: Texts, child: ChildDTO) -> str:
    return f"{child.name} ({child.group_name or t('school.no_group')})"


def names(children: tuple[ChildDTO, ...]) -> str:
    return ", ".join(c.name for c in children)


def _cancel(t: Texts, flow: str) -> dict:
    return without_inputs(execute(t("common.cancel"), A.CANCEL, flow=flow))


def paging_rows(t: Texts, page: int, page_count: int, action: str, *, flow: str | None = None,
            **data: object) -> list[dict]:
    # In a flow's card the page turns in place (Action.Execute); a list outside a flow pages
    # by navigation.
    button = submit if flow is None else execute
    buttons = []
    if page > 1:
        buttons.append(button(t("school.previous"), action, flow=flow,
                              **{**data, A.KEY_PAGE: page - 1}))
    if page < page_count:
        buttons.append(button(t("school.next"), action, flow=flow,
                              **{**data, A.KEY_PAGE: page + 1}))
    return action_rows(buttons) if buttons else []


# -- overview and the tab 'Kinderen gekoppeld' ----------------------------------------------------

def children_overview_card(t: Texts, school_id: int, school_name: str, year: str,
                           overview: tuple[LicenceOverviewDTO, ...], *,
                           product_name: str | None = None) -> dict:
    """The group licences of the year as buttons; licences with extra children listed first."""
    heading_text = (t("children.title_product", product=product_name) if product_name
                    else t("children.title"))
    body = [title(heading_text), text(t("children.intro", school=school_name, year=year),
                                      subtle=True)]
    if not overview:
        body.append(text(t("licences.none", year=year)))
    with_children = [o for o in overview if o.child_count]
    if with_children:
        body.append(heading(t("children.with_children")))
        body.append(facts([(short_label(t, o.licence), t("children.count", count=o.child_count))
                           for o in with_children]))
    if overview:
        body.append(heading(t("children.choose")))
        body.extend(action_rows([
            submit(short_label(t, o.licence), CHILDREN_LICENCE,
                   **{A.KEY_SCHOOL: school_id, A.KEY_LICENCE: o.licence.id})
            for o in overview[:MAX_LICENCE_BUTTONS]
        ], per_row=3))
    if len(overview) > MAX_LICENCE_BUTTONS:
        body.append(text(t("children.more", count=len(overview) - MAX_LICENCE_BUTTONS),
                         subtle=True))
    body.append(text(t("topography.hint"), subtle=True))
    return card(body, [
        submit(t("topography.button"), TOPOGRAPHY, **{A.KEY_SCHOOL: school_id}),
        submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: school_id}),
    ], fallback=heading_text)


def extra_children_card(t: Texts, data: LicenceChildrenDTO) -> dict:
    """Tab 'Kinderen gekoppeld': children of other groups on one group licence, paged."""
    licence, page = data.licence, data.children
    school = {A.KEY_SCHOOL: licence.school_id}
    body = [title(t("children.tab")), text(full_label(t, licence), weight="Bolder")]
    groups = ", ".join(g.group_name for g in licence.linked_groups) or t("children.no_groups")
    body.append(text(t("children.groups", groups=groups), subtle=True))
    if not page.items:
        body.append(text(t("children.none")))
    for item in page.items:
        detail = item.child.group_name or t("school.no_group")
        if item.by:
            detail = t("children.added_by", group=detail, name=item.by)
        body.append(row(item.child.name, detail, submit(
            t("children.remove"), CHILDREN_REMOVE,
            **school, **{A.KEY_LICENCE: licence.id, KEY_CHILD: item.child.id})))
    if page.page_count > 1:
        body.append(text(t("children.page", page=page.page, pages=page.page_count,
                           total=page.total), subtle=True))
        body.extend(paging_rows(t, page.page, page.page_count, CHILDREN_LICENCE,
                                **school, **{A.KEY_LICENCE: licence.id}))
    return card(body, [
        submit(t("children.add"), CHILDREN_ADD, style="positive",
               **school, **{A.KEY_LICENCE: licence.id}),
        submit(t("children.back"), CHILDREN, **school),
        submit(t("common.menu"), A.MENU, **school),
    ], fallback=t("children.tab"))


# -- picking the group, then the children (both flows) --------------------------------------------

def pick_group_card(t: Texts, options: ChildGroupsDTO, flow: str, *, notice: str = "") -> dict:
    """Step 1 of 'Kind toevoegen': the child's group as buttons, or a name to search for.
    Its buttons (and those of step 2) answer in this same card (Action.Execute)."""
    licence = options.licence
    body = [title(t("pick.title")), text(full_label(t, licence), weight="Bolder")]
    if licence.seats is not None:
        body.append(text(t("childlic.free", free=licence.seats_free, seats=licence.seats)))
    if notice:
        body.append(text(notice, color="Attention"))
    if not options.groups:
        body.append(text(t("pick.no_groups")))
        return card(body, [submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: licence.school_id})],
                    fallback=t("pick.title"))
    body.append(text(t("pick.choose_group")))
    body.extend(action_rows([
        execute(g.name, A.GROUP_CHOSEN, flow=flow, **{A.KEY_GROUP: g.id})
        for g in options.groups[:MAX_GROUP_BUTTONS]
    ], per_row=3))
    body.append(text_input(A.INPUT_QUERY, label=t("pick.search_school"),
                           placeholder=t("school.search_placeholder"), max_length=100))
    return card(body, [
        execute(t("school.search"), CHILDREN_SEARCH, flow=flow),
        _cancel(t, flow),
    ], fallback=t("pick.title"))


def pick_children_card(t: Texts, options: ChildCandidatesDTO, flow: str, *,
                       notice: str = "") -> dict:
    """Step 2: one page of children to tick (several at once), with a name search."""
    licence, page = options.licence, options.candidates
    body = [title(t("pick.children_title")), text(full_label(t, licence), weight="Bolder")]
    if options.group is not None:
        body.append(text(t("pick.in_group", group=options.group.name), subtle=True))
    else:
        body.append(text(t("pick.in_school", query=page.query), subtle=True))
    if licence.seats is not None:
        body.append(text(t("childlic.free", free=licence.seats_free, seats=licence.seats)))
    if options.already_on:
        body.append(text(t("pick.already_on", count=options.already_on), subtle=True))
    if notice:
        body.append(text(notice, color="Attention"))
    search_data = {A.KEY_GROUP: options.group.id} if options.group else {}
    if page.items:
        body.append(choice_set(
            INPUT_CHILDREN,
            [(c.name if options.group else child_label(t, c), str(c.id)) for c in page.items],
            multi=True, label=t("pick.choose_children"), required=False))
        if page.page_count > 1:
            body.append(text(t("pick.page", page=page.page, pages=page.page_count,
                               total=page.total), subtle=True))
            body.extend(paging_rows(t, page.page, page.page_count, CHILDREN_SEARCH, flow=flow,
                                    **search_data))
    else:
        body.append(text(t("pick.none_found")))
        body.append(text(t("school.missing_hint"), subtle=True))
    body.append(text_input(A.INPUT_QUERY, label=t("pick.search_label"), value=page.query,
                           placeholder=t("school.search_placeholder"), max_length=100))
    body.extend(action_rows([execute(t("school.search"), CHILDREN_SEARCH, flow=flow,
                                    **search_data)]))
    actions = [without_inputs(execute(t("pick.other_group"), PICK_GROUPS, flow=flow)), _cancel(t, flow)]
    if page.items:
        actions.insert(0, execute(t("link.next"), CHILDREN_CHOSEN, flow=flow, style="positive"))
    return card(body, actions, fallback=t("pick.children_title"))


# -- adding children of other groups ------------------------------------------------------------

def reminder_block(t: Texts, reminder: TeacherReminderDTO) -> list[dict]:
    """Rule 7: the teacher starts the running lesson week (digitaal) or block/theme for them."""
    key = f"reminder.{reminder.kind}" if t.has(f"reminder.{reminder.kind}") else "reminder.papier"
    body = [heading(t("reminder.title")), text(t(key, product=reminder.product_name))]
    pairs = []
    for line in reminder.lines:
        who = ", ".join(line.teacher_names) or t("reminder.no_teacher")
        pairs.append((line.child_name, t("reminder.teacher_line",
                                         group=line.group_name or t("school.no_group"),
                                         teachers=who)))
    if pairs:
        body.append(facts(pairs))
    return body


def confirm_add_card(t: Texts, preview: ChildrenPreviewDTO, flow: str) -> dict:
    licence = preview.licence
    body = [title(t("children.confirm_title")),
            text(t("children.confirm_text", children=names(preview.children),
                   licence=full_label(t, licence))),
            facts([(c.name, c.group_name or t("school.no_group")) for c in preview.children]),
            text(t("children.confirm_note"), subtle=True)]
    return card(body, [
        submit(t("children.confirm"), A.CONFIRM, flow=flow, style="positive"),
        submit(t("common.cancel"), A.CANCEL, flow=flow),
    ], fallback=t("children.confirm_title"))


def add_result_card(t: Texts, result: ChildrenResultDTO) -> dict:
    licence = result.licence
    school = {A.KEY_SCHOOL: licence.school_id}
    body = [title(t("children.done_title")),
            text(t("children.done", count=len(result.added), children=names(result.added), licence=full_label(t, licence)),
                 color="Good")]
    body.extend(reminder_block(t, result.reminder))
    return card(body, [
        submit(t("children.to_tab"), CHILDREN_LICENCE, **school, **{A.KEY_LICENCE: licence.id}),
        submit(t("common.menu"), A.MENU, **school),
    ], fallback=t("children.done_title"))


def confirm_remove_card(t: Texts, removal: ExtraChildRemovalDTO, flow: str) -> dict:
    body = [title(t("children.remove_title")),
            text(t("children.remove_text", child=child_label(t, removal.child),
                   licence=full_label(t, removal.licence))),
            text(t("children.remove_note"), subtle=True)]
    return card(body, [
        submit(t("children.remove"), A.CONFIRM, flow=flow, style="destructive"),
        submit(t("common.cancel"), A.CANCEL, flow=flow),
    ], fallback=t("children.remove_title"))


def remove_result_card(t: Texts, removal: ExtraChildRemovalDTO) -> dict:
    licence = removal.licence
    school = {A.KEY_SCHOOL: licence.school_id}
    message = (t("children.removed", child=removal.child.name, licence=full_label(t, licence))
               if removal.was_on else t("children.was_not_on", child=removal.child.name))
    return card([title(t("children.removed_title")), text(message)], [
        submit(t("children.to_tab"), CHILDREN_LICENCE, **school, **{A.KEY_LICENCE: licence.id}),
        submit(t("common.menu"), A.MENU, **school),
    ], fallback=t("children.removed_title"))
