"""Cards of 'Licenties koppelen': group licences, picking groups, confirming, the outcome."""

from __future__ import annotations

from cards import actions as A
from cards.actions.children import CHILDREN_LICENCE
from cards.actions.licences import (
    AUTOLINK,
    GROUPS_CHOSEN,
    INPUT_GROUPS,
    LICENCES,
    LINK_START,
    UNLINK_START,
)
from cards.elements import action_set, card, choice_set, facts, heading, row, submit, text, title
from cards.i18n import Texts
from services.licences.results import (
    LinkOptionsDTO,
    LinkPreviewDTO,
    LinkResultDTO,
    UnlinkPreviewDTO,
    UnlinkResultDTO,
)
from services.shared.results import LicenceDTO, levels_label

MAX_LICENCES_PER_CARD = 40


def licence_label(t: Texts, licence: LicenceDTO) -> str:
    """'Pluspunt groep 5 — 2026-2027'."""
    return t("licence.label", product=licence.product_name,
             levels=levels_label(licence.levels), year=licence.school_year)


def origin_label(t: Texts, origin: str) -> str:
    return t("licence.auto") if origin == "auto" else t("licence.manual")


def licences_card(t: Texts, school_id: int, school_name: str, year: str,
                  licences: tuple[LicenceDTO, ...]) -> dict:
    """All group licences of the school year, each with its groups and a 'link' button."""
    body = [title(t("licences.title")), text(t("licences.intro", school=school_name, year=year),
                                             subtle=True)]
    if not licences:
        body.append(text(t("licences.none", year=year)))
    for licence in licences[:MAX_LICENCES_PER_CARD]:
        body.append(row(
            licence_label(t, licence),
            t("licences.count", count=len(licence.linked_groups)) if licence.linked_groups
            else t("licences.no_groups"),
            submit(t("licences.link"), LINK_START,
                   **{A.KEY_SCHOOL: school_id, A.KEY_LICENCE: licence.id}),
        ))
        for link in licence.linked_groups:
            body.append({
                "type": "ColumnSet",
                "spacing": "Small",
                "columns": [
                    {"type": "Column", "width": "stretch", "items": [text(
                        f"• {link.group_name} ({origin_label(t, link.origin)})", spacing="None")]},
                    {"type": "Column", "width": "auto", "items": [{
                        "type": "ActionSet", "actions": [submit(
                            t("licences.unlink"), UNLINK_START,
                            **{A.KEY_SCHOOL: school_id, A.KEY_LICENCE: licence.id,
                               A.KEY_GROUP: link.group_id})]}]},
                ],
            })
        # Tab 'Kinderen gekoppeld' (children of other groups on this licence)
        body.append(action_set([submit(t("licences.children"), CHILDREN_LICENCE, **{
            A.KEY_SCHOOL: school_id, A.KEY_LICENCE: licence.id})]))
    if len(licences) > MAX_LICENCES_PER_CARD:
        body.append(text(t("licences.more", count=len(licences) - MAX_LICENCES_PER_CARD),
                         subtle=True))
    return card(body, [submit(t("licences.autolink"), AUTOLINK, **{A.KEY_SCHOOL: school_id}),
                       submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: school_id})],
                fallback=t("licences.title"))


def pick_groups_card(t: Texts, options: LinkOptionsDTO, flow: str) -> dict:
    """Choose one or more groups for a licence; groups that fit its year level come first."""
    licence = options.licence
    body = [title(t("link.title")), text(licence_label(t, licence), weight="Bolder")]
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
    return card(body, [
        submit(t("link.next"), GROUPS_CHOSEN, flow=flow, style="positive"),
        {**submit(t("common.cancel"), A.CANCEL, flow=flow), "associatedInputs": "none"},
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
        submit(t("licences.back"), LICENCES, **{A.KEY_SCHOOL: licence.school_id}),
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
        submit(t("licences.back"), LICENCES, **{A.KEY_SCHOOL: licence.school_id}),
        submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: licence.school_id}),
    ], fallback=t("unlink.done_title"))
