"""Cards of the typed shortcuts: what was understood, choices when a name is ambiguous, a pupil's
licences, and topografie (rule 9)."""

from __future__ import annotations

from cards import actions as A
from cards.actions.children import CHILDREN
from cards.actions.licences import LICENCE_CHOSEN, LICENCES
from cards.actions.school import SCHOOL_GROUP, SCHOOL_PUPILS
from cards.children import levels_text, short_label
from cards.common import HELPDESK_EMAIL, HELPDESK_PHONE, helpdesk_actions
from cards.elements import action_rows, card, row, submit, text, title
from cards.i18n import Texts
from cards.names import licence_name
from services.licences.results import ChildrenShortcutDTO, LinkShortcutDTO
from services.school.results import PupilLicenceDTO, PupilLookupDTO
from services.shared.results import GroupNameDTO, LicenceDTO


def _menu(t: Texts, school_id: int | None) -> dict:
    return submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: school_id})


def _quoted(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 3] + "..."


def topography_card(t: Texts, school_id: int | None) -> dict:
    """Rule 9: topografie licences are not managed here; separate login details by e-mail."""
    body = [title(t("topography.title")), text(t("topography.text")),
            text(t("topography.helpdesk", phone=HELPDESK_PHONE, email=HELPDESK_EMAIL),
                 subtle=True), *action_rows(helpdesk_actions(t), per_row=1)]
    return card(body, [_menu(t, school_id)], fallback=t("topography.title"))


def link_not_found_card(t: Texts, found: LinkShortcutDTO) -> dict:
    """'koppel groep 5c aan pluspunt' that does not resolve: what was understood, what exists."""
    body = [title(t("shortcut.not_found_title")),
            text(t("shortcut.understood_link", group=_quoted(found.group_text),
                   product=_quoted(found.product_text)))]
    if not found.groups:
        body.append(text(t("shortcut.no_group", group=_quoted(found.group_text))))
    if found.product_name is None:
        body.append(text(t("shortcut.no_product", product=_quoted(found.product_text),
                           products=", ".join(found.known_products) or "-")))
    elif not found.licences:
        body.append(text(t("shortcut.no_licence", product=found.product_name)))
    return card(body, [
        submit(t("menu.licences"), LICENCES, **{A.KEY_SCHOOL: found.school_id}),
        _menu(t, found.school_id),
    ], fallback=t("shortcut.not_found_title"))


def pick_group_card(t: Texts, found: LinkShortcutDTO, flow: str) -> dict:
    """'groep 5' at a school with 5a and 5b: which one?"""
    body = [title(t("shortcut.which_group")),
            text(t("shortcut.understood_link", group=_quoted(found.group_text),
                   product=found.product_name or _quoted(found.product_text)))]
    body.extend(action_rows([submit(g.name, A.GROUP_CHOSEN, flow=flow, **{A.KEY_GROUP: g.id})
                             for g in found.groups], per_row=3))
    return card(body, [_cancel(t, flow)], fallback=t("shortcut.which_group"))


def pick_licence_card(t: Texts, found: LinkShortcutDTO, group: GroupNameDTO,
                      licences: tuple[LicenceDTO, ...], fitting: list[int], flow: str) -> dict:
    """Several (or no) licences of the product fit the group: the coördinator chooses. When
    some fit, only those are offered; when none does, every licence, with a warning."""
    body = [title(t("shortcut.which_licence", product=found.product_name or "")),
            text(t("shortcut.licence_for", group=group.name, levels=levels_text(t, group.levels)))]
    if not fitting:
        body.append(text(t("shortcut.none_fits", group=group.name), color="Warning"))
    offered = [lic for lic in licences if lic.id in fitting] if fitting else list(licences)
    body.extend(action_rows([
        submit(short_label(t, lic), LICENCE_CHOSEN, flow=flow, **{A.KEY_LICENCE: lic.id})
        for lic in offered
    ], per_row=3))
    return card(body, [_cancel(t, flow)], fallback=t("shortcut.which_licence",
                                                     product=found.product_name or ""))


def already_linked_card(t: Texts, school_id: int, group: GroupNameDTO,
                        licences: tuple[LicenceDTO, ...]) -> dict:
    """'koppel groep 5b aan pluspunt' when Groep 5b has its Pluspunt licence already."""
    labels = ", ".join(short_label(t, lic) for lic in licences)
    body = [title(t("shortcut.already_linked_title")),
            text(t("shortcut.already_linked", group=group.name, licence=labels))]
    return card(body, [
        submit(t("menu.licences"), LICENCES, **{A.KEY_SCHOOL: school_id}),
        _menu(t, school_id),
    ], fallback=t("shortcut.already_linked_title"))


def _cancel(t: Texts, flow: str) -> dict:
    return {**submit(t("common.cancel"), A.CANCEL, flow=flow), "associatedInputs": "none"}


def children_not_found_card(t: Texts, found: ChildrenShortcutDTO) -> dict:
    body = [title(t("shortcut.not_found_title")),
            text(t("shortcut.understood_children", product=_quoted(found.product_text))),
            text(t("shortcut.no_product", product=_quoted(found.product_text),
                   products=", ".join(found.known_products) or "-"))]
    return card(body, [
        submit(t("menu.children"), CHILDREN, **{A.KEY_SCHOOL: found.school_id}),
        _menu(t, found.school_id),
    ], fallback=t("shortcut.not_found_title"))


def _licence_line(t: Texts, licence: PupilLicenceDTO) -> str:
    label = licence_name(licence.product_name, licence.levels)
    return t(f"pupil.via_{licence.via}", licence=label)


def pupil_card(t: Texts, lookup: PupilLookupDTO) -> dict:
    """'leerling Sanne de Vries': the matching pupils, their group and their licences."""
    school = {A.KEY_SCHOOL: lookup.school_id}
    body = [title(t("pupil.title", query=_quoted(lookup.query)))]
    if not lookup.matches:
        body.append(text(t("pupil.none", query=_quoted(lookup.query))))
        body.append(text(t("school.missing_hint"), subtle=True))
    for item in lookup.matches:
        child = item.child
        action = None
        if child.group_id is not None:
            action = submit(t("pupil.open_group"), SCHOOL_GROUP,
                            **school, **{A.KEY_GROUP: child.group_id})
        body.append(row(child.name, child.group_name or t("school.no_group"), action))
        if item.licences:
            body.append(text("\n".join(f"- {_licence_line(t, lic)}" for lic in item.licences),
                             spacing="Small"))
        else:
            body.append(text(t("pupil.no_licences"), subtle=True, spacing="Small"))
    if lookup.more:
        body.append(text(t("pupil.more", count=lookup.more), subtle=True))
    return card(body, [
        submit(t("school.tab_pupils"), SCHOOL_PUPILS, **school),
        submit(t("common.menu"), A.MENU, **school),
    ], fallback=t("pupil.title", query=_quoted(lookup.query)))

