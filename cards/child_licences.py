"""Cards of 'Kindlicenties' (rule 8, manual 3.6): seats, assigned children, assigning, and
'Verkeerd kind gekoppeld?' (only the Malmberg helpdesk can undo an assignment)."""

from __future__ import annotations

from cards import actions as A
from cards.actions.child_licences import CHILD_ASSIGN, CHILD_LICENCE, CHILD_LICENCES, CHILD_WRONG
from cards.actions.helpdesk import TICKETS
from cards.actions.licences import TOPOGRAPHY
from cards.children import full_label, names, paging_rows, reminder_block
from cards.common import HELPDESK_PHONE, helpdesk_actions
from cards.elements import (
    action_rows,
    action_set,
    card,
    facts,
    heading,
    submit,
    text,
    text_input,
    title,
)
from cards.i18n import Texts
from cards.names import licence_name
from services.shared.results import (
    ChildrenPreviewDTO,
    ChildrenResultDTO,
    LicenceChildrenDTO,
    LicenceOverviewDTO,
)

MAX_CHILD_LICENCES = 40


def _free(t: Texts, seats: int | None, free: int | None) -> str:
    return t("childlic.free", free=free or 0, seats=seats or 0)


def child_licences_card(t: Texts, school_id: int, school_name: str, year: str,
                        licences: tuple[LicenceOverviewDTO, ...]) -> dict:
    """The school's per-child licences, each with 'X van Y vrij'."""
    body = [title(t("childlic.title")),
            text(t("childlic.intro", school=school_name, year=year), subtle=True)]
    if not licences:
        body.append(text(t("childlic.none", year=year)))
    for item in licences[:MAX_CHILD_LICENCES]:
        licence = item.licence
        # The button is the licence's name ('Open Bingel groep 3 t/m 8'), its free seats under
        # it; the school year is in the intro above.
        button = submit(t("childlic.open",
                          licence=licence_name(licence.product_name, licence.levels)),
                        CHILD_LICENCE, **{A.KEY_SCHOOL: school_id, A.KEY_LICENCE: licence.id})
        body.append({"type": "Container", "separator": True, "items": [
            action_set([button]),
            text(_free(t, licence.seats, licence.seats_free), subtle=True, spacing="Small")]})
    body.append(text(t("childlic.not_every_product"), subtle=True))
    body.append(text(t("topography.hint"), subtle=True))
    return card(body, [
        submit(t("ticket.my_tickets"), TICKETS, **{A.KEY_SCHOOL: school_id}),
        submit(t("topography.button"), TOPOGRAPHY, **{A.KEY_SCHOOL: school_id}),
        submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: school_id}),
    ], fallback=t("childlic.title"))


def child_licence_card(t: Texts, data: LicenceChildrenDTO) -> dict:
    """One per-child licence: its seats and one page of assigned children, searchable."""
    licence, page = data.licence, data.children
    school = {A.KEY_SCHOOL: licence.school_id}
    ids = {**school, A.KEY_LICENCE: licence.id}
    body = [title(full_label(t, licence)),
            text(_free(t, licence.seats, licence.seats_free), weight="Bolder", size="Medium"),
            text(t("childlic.no_undo_short"), subtle=True),
            heading(t("childlic.assigned", count=licence.seats_taken))]
    if page.query:
        body.append(text(t("childlic.search_result", count=page.total, query=page.query),
                         subtle=True))
    if page.items:
        body.append(facts([(item.child.name, item.child.group_name or t("school.no_group"))
                           for item in page.items]))
    else:
        body.append(text(t("childlic.no_children_found") if page.query
                         else t("childlic.no_children")))
    if page.page_count > 1:
        body.append(text(t("children.page", page=page.page, pages=page.page_count,
                           total=page.total), subtle=True))
        body.extend(paging_rows(t, page.page, page.page_count, CHILD_LICENCE, **ids))
    if licence.seats_taken or page.query:
        body.append(text_input(A.INPUT_QUERY, label=t("childlic.search_label"), value=page.query,
                               placeholder=t("school.search_placeholder"), max_length=100))
        body.extend(action_rows([submit(t("school.search"), CHILD_LICENCE, **ids)]))
    actions = []
    if licence.seats_free:
        actions.append(submit(t("children.add"), CHILD_ASSIGN, style="positive", **ids))
    else:
        body.append(text(t("childlic.full"), color="Warning"))
    actions.append(submit(t("childlic.wrong"), CHILD_WRONG, **ids))
    body.extend(action_rows(actions, per_row=2))
    return card(body, [
        submit(t("childlic.back"), CHILD_LICENCES, **school),
        submit(t("common.menu"), A.MENU, **school),
    ], fallback=full_label(t, licence))


def confirm_assign_card(t: Texts, preview: ChildrenPreviewDTO, flow: str) -> dict:
    """Before assigning: who, how many seats remain, and that it cannot be undone."""
    licence = preview.licence
    body = [title(t("childlic.confirm_title")),
            text(t("childlic.confirm_text", count=len(preview.children),
                   licence=full_label(t, licence))),
            facts([(c.name, c.group_name or t("school.no_group")) for c in preview.children]),
            text(t("childlic.after", free=preview.seats_free_after, seats=licence.seats or 0)),
            text(t("childlic.no_undo", phone=HELPDESK_PHONE), color="Attention",
                 weight="Bolder"),
            *action_rows(helpdesk_actions(t)[:1], per_row=1)]
    return card(body, [
        submit(t("childlic.confirm"), A.CONFIRM, flow=flow, style="positive"),
        submit(t("common.cancel"), A.CANCEL, flow=flow),
    ], fallback=t("childlic.confirm_title"))


def assign_result_card(t: Texts, result: ChildrenResultDTO) -> dict:
    licence = result.licence
    ids = {A.KEY_SCHOOL: licence.school_id, A.KEY_LICENCE: licence.id}
    body = [title(t("childlic.done_title")),
            text(t("childlic.done", count=len(result.added), children=names(result.added), licence=full_label(t, licence)),
                 color="Good"),
            text(_free(t, licence.seats, licence.seats_free), weight="Bolder")]
    body.extend(reminder_block(t, result.reminder))
    return card(body, [
        submit(t("childlic.to_licence"), CHILD_LICENCE, **ids),
        submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: licence.school_id}),
    ], fallback=t("childlic.done_title"))
