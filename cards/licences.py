"""Cards of 'Licenties koppelen': group licences, picking groups, confirming, the outcome."""

from __future__ import annotations

from cards import actions as A
from cards import names
from cards.actions.children import CHILDREN_LICENCE
from cards.actions.licences import (
    AUTOLINK,
    GROUPS_CHOSEN,
    INPUT_GROUPS,
    LICENCES,
    LINK_START,
    UNLINK_START,
)
from cards.children import paging_rows
from cards.elements import (
    action_set,
    card,
    choice_set,
    execute,
    facts,
    heading,
    submit,
    text,
    title,
    without_inputs,
)
from cards.i18n import Texts
from services.licences.results import (
    LinkOptionsDTO,
    LinkPreviewDTO,
    LinkResultDTO,
    UnlinkPreviewDTO,
    UnlinkResultDTO,
)
from services.shared.paging import window
from services.shared.results import LicenceDTO

LICENCES_PER_PAGE = 8


def licence_label(t: Texts, licence: LicenceDTO) -> str:
    """'Pluspunt groep 5 — 2026-2027'."""
    return names.licence_title(licence.product_name, licence.levels, licence.school_year)


def licence_name(t: Texts, licence: LicenceDTO) -> str:
    """'Pluspunt groep 5': how a button names the licence it acts on."""
    return names.licence_name(licence.product_name, licence.levels)


def origin_label(t: Texts, origin: str) -> str:
    return t("licence.auto") if origin == "auto" else t("licence.manual")


def licences_card(t: Texts, school_id: int, school_name: str, year: str,
                  licences: tuple[LicenceDTO, ...], page: object = None,
                  showing: object = None) -> dict:
    """One page of the school year's group licences, under a heading per method as in the
    manual, led by how many still have no group. Every button names the licence or group it
    acts on (a screen reader reads the titles without the rows around them). Without a page
    number the page shows the licence `showing` (coming back from it), else the first."""
    body = [title(t("licences.title")), text(t("licences.intro", school=school_name, year=year),
                                             subtle=True)]
    if not licences:
        body.append(text(t("licences.none", year=year)))
    else:
        unlinked = sum(1 for licence in licences if not licence.linked_groups)
        body.append(text(t("licences.attention", count=unlinked), weight="Bolder",
                         color="Attention") if unlinked else text(t("licences.all_linked")))
    if not isinstance(page, int):
        index = next((i for i, lic in enumerate(licences) if lic.id == showing), 0)
        page = index // LICENCES_PER_PAGE + 1
    where = window(len(licences), page, LICENCES_PER_PAGE)
    method = None
    for licence in licences[where.offset:where.offset + where.size]:
        if licence.product_name != method:
            method = licence.product_name
            body.append(heading(method))
        body.append(_licence_rows(t, school_id, licence))
    if where.page_count > 1:
        body.append(text(t("licences.page", page=where.page, pages=where.page_count),
                         subtle=True))
        body.extend(paging_rows(t, where.page, where.page_count, LICENCES,
                                **{A.KEY_SCHOOL: school_id}))
    return card(body, [submit(t("licences.autolink"), AUTOLINK, **{A.KEY_SCHOOL: school_id}),
                       submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: school_id})],
                fallback=t("licences.title"))


def _licence_rows(t: Texts, school_id: int, licence: LicenceDTO) -> dict:
    """A licence: its year levels, its groups (or that it has none) and its buttons."""
    levels = names.levels_name(licence.levels).capitalize()  # 'Groep 5' under its method's heading
    if licence.linked_groups:
        status = text(", ".join(f"{link.group_name} ({origin_label(t, link.origin)})"
                                for link in licence.linked_groups), spacing="None")
    else:
        status = text(t("licences.no_groups"), color="Attention", spacing="None")
    buttons = [submit(t("licences.link_named", licence=licence_name(t, licence)), LINK_START,
                      **{A.KEY_SCHOOL: school_id, A.KEY_LICENCE: licence.id})]
    buttons += [submit(t("licences.unlink_named", group=link.group_name,
                         licence=licence_name(t, licence)), UNLINK_START,
                       **{A.KEY_SCHOOL: school_id, A.KEY_LICENCE: licence.id,
                          A.KEY_GROUP: link.group_id})
                for link in licence.linked_groups]
    children = submit(t("licences.children_named", licence=licence_name(t, licence)),
                      CHILDREN_LICENCE, **{A.KEY_SCHOOL: school_id, A.KEY_LICENCE: licence.id})
    # Teams cuts long titles off: the short one names the licence, the tooltip says it all.
    children["tooltip"] = t("licences.children_named_full", licence=licence_name(t, licence))
    buttons.append(children)
    return {"type": "Container", "spacing": "Small",
            "items": [text(levels, weight="Bolder"), status, action_set(buttons)]}


def pick_groups_card(t: Texts, options: LinkOptionsDTO, flow: str, error: str = "") -> dict:
    """Choose one or more groups for a licence; groups that fit its year level come first.
    With `error`, what was wrong with the last answer."""
    licence = options.licence
    body = [title(t("link.title")), text(licence_label(t, licence), weight="Bolder")]
    if error:
        body.append(text(error, color="Attention", weight="Bolder"))
    if licence.linked_groups:
        body.append(text(t("link.already", groups=", ".join(g.group_name for g in
                                                             licence.linked_groups)), subtle=True))
    if not options.groups:
        body.append(text(t("link.no_groups")))
        return card(body, [submit(t("common.back"), LICENCES,
                                  **{A.KEY_SCHOOL: licence.school_id})],
                    fallback=t("link.title"))
    choices = [(f"{g.name}" + (f" — {t('link.fits')}" if g.fits else ""), str(g.id))
               for g in options.groups]
    body.append(choice_set(INPUT_GROUPS, choices, multi=True, label=t("link.choose"),
                           error=t("link.choose_error")))
    # Action.Execute: an answer that is not right comes back in this same card.
    return card(body, [
        execute(t("link.next"), GROUPS_CHOSEN, flow=flow, style="positive"),
        without_inputs(execute(t("common.cancel"), A.CANCEL, flow=flow)),
    ], fallback=t("link.title"))


def confirm_link_card(t: Texts, preview: LinkPreviewDTO, flow: str) -> dict:
    names = ", ".join(g.name for g in preview.to_link)
    body = [title(t("link.confirm_title")),
            text(t("link.confirm_text", groups=names, licence=licence_label(t, preview.licence)))]
    misfits = [g.name for g in preview.to_link if not g.fits]
    if misfits:
        body.append(text(t("link.misfit", groups=", ".join(misfits)), color="Warning"))
    return card(body, [
        submit(t("link.confirm"), A.CONFIRM, flow=flow, style="positive"),
        submit(t("common.cancel"), A.CANCEL, flow=flow),
    ], fallback=t("link.confirm_title"))


def link_result_card(t: Texts, result: LinkResultDTO) -> dict:
    licence = result.licence
    body = [title(t("link.done_title"))]
    if result.linked:
        body.append(text(t("link.done", groups=", ".join(result.linked),
                           licence=licence_label(t, licence)), color="Good"))
    if result.already_linked:
        body.append(text(t("link.was_linked", groups=", ".join(result.already_linked))))
    body.append(heading(t("link.now_linked")))
    body.append(facts([(g.group_name, origin_label(t, g.origin)) for g in licence.linked_groups]))
    return card(body, [
        submit(t("licences.back"), LICENCES, **{A.KEY_SCHOOL: licence.school_id,
                                                 A.KEY_LICENCE: licence.id}),
        submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: licence.school_id}),
    ], fallback=t("link.done_title"))


def confirm_unlink_card(t: Texts, preview: UnlinkPreviewDTO, flow: str) -> dict:
    body = [title(t("unlink.confirm_title")),
            text(t("unlink.confirm_text", group=preview.group.group_name,
                   licence=licence_label(t, preview.licence))),
            text(t("unlink.consequence"), subtle=True)]
    return card(body, [
        submit(t("unlink.confirm"), A.CONFIRM, flow=flow, style="destructive"),
        submit(t("common.cancel"), A.CANCEL, flow=flow),
    ], fallback=t("unlink.confirm_title"))


def unlink_result_card(t: Texts, result: UnlinkResultDTO) -> dict:
    licence = result.licence
    message = (t("unlink.done", group=result.group_name, licence=licence_label(t, licence))
               if result.was_linked else
               t("unlink.was_not_linked", group=result.group_name))
    return card([title(t("unlink.done_title")), text(message)], [
        submit(t("licences.back"), LICENCES, **{A.KEY_SCHOOL: licence.school_id,
                                                 A.KEY_LICENCE: licence.id}),
        submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: licence.school_id}),
    ], fallback=t("unlink.done_title"))
