"""Cards of 'Pincodes': pick a group, the group's codes (hidden or shown), change, switch, print."""

from __future__ import annotations

from cards import actions as A
from cards.actions.pincodes import (
    INPUT_PICTURE,
    INPUT_PINCODE,
    KEY_PUPIL,
    PINCODE_CHANGE,
    PINCODE_GENERATE,
    PINCODE_GROUP,
    PINCODE_MODE,
    PINCODE_NEW_HIDE,
    PINCODE_PRINT,
    PINCODE_SAVE,
    PINCODES,
    PINCODES_HIDE,
    PINCODES_SHOW,
)
from cards.elements import (
    action_rows,
    card,
    execute,
    submit,
    text,
    text_input,
    title,
    warning,
    without_inputs,
)
from cards.i18n import Texts
from services.pincodes.results import (
    CODES_VISIBLE_MINUTES,
    DIGITS_MAX,
    DIGITS_MIN,
    MODE_DIGITS,
    PICTURE_COUNT,
    PICTURES,
    LoginModeDTO,
    PincodeChangeDTO,
    PincodeGroupDTO,
    PincodePupilDTO,
    PincodeStartDTO,
    PrintLinkDTO,
    picture_names,
)

# How each of the 16 pictures looks in a card (the PDF draws them as symbols).
PICTURE_SYMBOLS = {
    "appel": "🍎", "auto": "🚗", "bal": "⚽", "bloem": "🌷", "boom": "🌳", "boot": "⛵",
    "hart": "❤️", "huis": "🏠", "kroon": "👑", "maan": "🌙", "paraplu": "☂️", "sleutel": "🔑",
    "ster": "⭐", "vis": "🐟", "wolk": "☁️", "zon": "☀️",
}
HIDDEN = "••••"


def mode_label(t: Texts, mode: str) -> str:
    return t("pincodes.mode_digits") if mode == MODE_DIGITS else t("pincodes.mode_pictures")


def picture_label(t: Texts, name: str) -> str:
    return f"{PICTURE_SYMBOLS.get(name, '')} {t(f'picture.{name}')}".strip()


def code_label(t: Texts, mode: str, code: str) -> str:
    """'482910', or '☀️ zon · 🌙 maan · ⭐ ster · ❤️ hart'."""
    if mode == MODE_DIGITS:
        return code
    return " · ".join(picture_label(t, name) for name in picture_names(code))


def _ids(school_id: int, group_id: int, **extra: object) -> dict:
    return {A.KEY_SCHOOL: school_id, A.KEY_GROUP: group_id, **extra}


def _menu(t: Texts, school_id: int) -> dict:
    return submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: school_id})


def _back_to_group(t: Texts, school_id: int, group_id: int) -> dict:
    return submit(t("pincodes.back_to_group"), PINCODE_GROUP, **_ids(school_id, group_id))


# -- pick a group -------------------------------------------------------------------------------

def pincode_groups_card(t: Texts, start: PincodeStartDTO) -> dict:
    """The school's groups, each with its login mode; or the groups a typed name fits."""
    body = [title(t("pincodes.title")),
            text(t("pincodes.pick_group", school=start.school_name), subtle=True)]
    if start.not_found:
        body.append(warning(t("pincodes.no_match", query=start.query)))
        body.append(text(t("school.missing_hint"), subtle=True))
    elif start.query:
        body.append(text(t("pincodes.several", query=start.query)))
    if not start.groups:
        body.append(text(t("school.no_groups")))
    for group in start.groups:
        body.append({
            "type": "ColumnSet",
            "separator": True,
            "columns": [
                {"type": "Column", "width": "auto", "items": [{
                    "type": "ActionSet",
                    "actions": [submit(group.name, PINCODE_GROUP,
                                       **_ids(start.school_id, group.id))]}]},
                {"type": "Column", "width": "stretch", "verticalContentAlignment": "Center",
                 "items": [text(t("pincodes.group_line", count=group.pupil_count,
                                  mode=mode_label(t, group.login_mode)), subtle=True)]},
            ],
        })
    return card(body, [_menu(t, start.school_id)], fallback=t("pincodes.title"))


# -- one group ----------------------------------------------------------------------------------

def _code_cell(t: Texts, group: PincodeGroupDTO, pupil) -> dict:
    if not pupil.has_code:
        return text(t("pincodes.no_code"), subtle=True, spacing="None")
    if not group.revealed:
        return text(HIDDEN, subtle=True, spacing="None")
    if pupil.unreadable:
        return text(t("pincodes.unreadable"), color="Attention", spacing="None")
    block = text(code_label(t, group.login_mode, pupil.code), weight="Bolder", spacing="None")
    if group.login_mode == MODE_DIGITS:
        block["fontType"] = "Monospace"
    return block


def _button_names(pupils) -> dict[int, str]:
    """Each pupil's button is named after the pupil: the first name, or the full name where
    two pupils on the page share a first name."""
    firsts = [p.first_name or p.name for p in pupils]
    return {p.person_id: (first if firsts.count(first) == 1 else p.name)
            for p, first in zip(pupils, firsts, strict=True)}


def _pupil_row(t: Texts, group: PincodeGroupDTO, pupil, button_name: str) -> dict:
    """Name with the code under it (stretches and wraps), the button at the right taking only
    the width its title needs: nothing is clipped, also at a phone's width."""
    change = submit(t("pincodes.change_pupil", name=button_name), PINCODE_CHANGE,
                    **_ids(group.school_id, group.group_id, **{KEY_PUPIL: pupil.person_id}))
    change["tooltip"] = t("pincodes.change_pupil_tooltip", name=pupil.name)
    return {
        "type": "ColumnSet",
        "separator": True,
        "spacing": "Small",
        "columns": [
            {"type": "Column", "width": "stretch", "verticalContentAlignment": "Center",
             "items": [text(pupil.name), _code_cell(t, group, pupil)]},
            {"type": "Column", "width": "auto", "verticalContentAlignment": "Center",
             "items": [{"type": "ActionSet", "actions": [change]}]},
        ],
    }


def pincode_group_card(t: Texts, group: PincodeGroupDTO) -> dict:
    """A group's pupils and login mode. Codes only when `group.revealed`; 'Toon pincodes' and
    'Verberg' replace this card in place."""
    ids = _ids(group.school_id, group.group_id)
    body = [title(t("pincodes.group_title", group=group.group_name)),
            text(t("pincodes.group_intro", school=group.school_name,
                   mode=mode_label(t, group.login_mode)), subtle=True)]
    if group.revealed:
        body.append(warning(t("pincodes.shown_note", minutes=CODES_VISIBLE_MINUTES)))
    else:
        body.append(text(t("pincodes.hidden_note")))
    if not group.pupils:
        body.append(text(t("school.no_pupils")))
    names = _button_names(group.pupils)
    body.extend(_pupil_row(t, group, pupil, names[pupil.person_id]) for pupil in group.pupils)
    verb = PINCODES_SHOW if group.revealed else PINCODES_HIDE
    if group.page_count > 1:
        body.append(text(t("pincodes.page", page=group.page, pages=group.page_count,
                           total=group.total), subtle=True))
        paging = []
        if group.page > 1:
            paging.append(execute(t("school.previous"), verb,
                                  **{**ids, A.KEY_PAGE: group.page - 1}))
        if group.page < group.page_count:
            paging.append(execute(t("school.next"), verb, **{**ids, A.KEY_PAGE: group.page + 1}))
        body.extend(action_rows(paging))
    if group.revealed:
        toggle = execute(t("pincodes.hide"), PINCODES_HIDE, **{**ids, A.KEY_PAGE: group.page})
    else:
        toggle = execute(t("pincodes.show"), PINCODES_SHOW, style="positive",
                         **{**ids, A.KEY_PAGE: group.page})
    body.extend(action_rows([
        toggle,
        submit(t("pincodes.switch_mode"), PINCODE_MODE, **ids),
        submit(t("pincodes.print"), PINCODE_PRINT, **ids),
        submit(t("pincodes.other_group"), PINCODES, **{A.KEY_SCHOOL: group.school_id}),
        _menu(t, group.school_id),
    ], per_row=3))
    return card(body, fallback=t("pincodes.group_title", group=group.group_name))


# -- change one pupil's code --------------------------------------------------------------------

def change_pincode_card(t: Texts, pupil: PincodePupilDTO, flow: str,
                        error: str | None = None) -> dict:
    """Type a new code (digits) or pick 4 pictures, or let the bot make one up."""
    body = [title(t("pincode.change_title")),
            text(t("pincode.change_intro", pupil=pupil.name, group=pupil.group_name,
                   mode=mode_label(t, pupil.login_mode)))]
    if error:
        body.append(text(error, color="Attention", weight="Bolder"))
    if pupil.login_mode == MODE_DIGITS:
        body.append(text_input(INPUT_PINCODE, label=t("pincode.digits_label",
                                                      min=DIGITS_MIN, max=DIGITS_MAX),
                               placeholder=t("pincode.digits_placeholder"),
                               max_length=DIGITS_MAX + 4))
        body.append(text(t("pincode.digits_rules"), subtle=True))
    else:
        choices = [{"title": picture_label(t, name), "value": name} for name in PICTURES]
        for number in range(1, PICTURE_COUNT + 1):
            body.append({"type": "Input.ChoiceSet", "id": INPUT_PICTURE.format(number),
                         "label": t("pincode.picture_label", number=number),
                         "style": "compact", "placeholder": t("pincode.picture_placeholder"),
                         "choices": choices})
        body.append(text(t("pincode.pictures_rules", count=PICTURE_COUNT), subtle=True))
    # Action.Execute: a code that breaks a rule comes back in this same card, with the reason.
    return card(body, [
        execute(t("pincode.save"), PINCODE_SAVE, flow=flow, style="positive"),
        without_inputs(execute(t("pincode.generate"), PINCODE_GENERATE, flow=flow)),
        without_inputs(execute(t("common.cancel"), A.CANCEL, flow=flow)),
    ], fallback=t("pincode.change_title"))


def pincode_changed_card(t: Texts, pupil: PincodePupilDTO, code: str | None) -> dict:
    """The outcome; with `code` the new code is shown once, with a 'Verberg' to remove it."""
    body = [title(t("pincode.changed_title"))]
    actions = []
    if code is not None:
        body.append(text(t("pincode.changed_shown", pupil=pupil.name, group=pupil.group_name)))
        block = text(code_label(t, pupil.login_mode, code), size="Large", weight="Bolder")
        if pupil.login_mode == MODE_DIGITS:
            block["fontType"] = "Monospace"
        body.append(block)
        body.append(warning(t("pincode.changed_hide_hint")))
        actions.append(execute(t("pincodes.hide"), PINCODE_NEW_HIDE,
                               **_ids(pupil.school_id, pupil.group_id,
                                      **{KEY_PUPIL: pupil.person_id})))
    else:
        body.append(text(t("pincode.changed_hidden", pupil=pupil.name, group=pupil.group_name)))
    actions.append(_back_to_group(t, pupil.school_id, pupil.group_id))
    actions.append(_menu(t, pupil.school_id))
    return card(body, actions, fallback=t("pincode.changed_title"))


def change_result_card(t: Texts, change: PincodeChangeDTO) -> dict:
    return pincode_changed_card(t, change.pupil, change.code)


# -- switch the login mode ----------------------------------------------------------------------

def confirm_mode_card(t: Texts, group: PincodeGroupDTO, target: str, flow: str) -> dict:
    body = [title(t("pincodes.mode_title")),
            text(t("pincodes.mode_text", group=group.group_name,
                   current=mode_label(t, group.login_mode), target=mode_label(t, target))),
            warning(t("pincodes.mode_consequence", count=group.total))]
    return card(body, [
        submit(t("pincodes.mode_confirm", mode=mode_label(t, target)), A.CONFIRM, flow=flow,
               style="positive"),
        submit(t("common.cancel"), A.CANCEL, flow=flow),
    ], fallback=t("pincodes.mode_title"))


def mode_switched_card(t: Texts, result: LoginModeDTO) -> dict:
    ids = _ids(result.school_id, result.group_id)
    body = [title(t("pincodes.mode_done_title")),
            text(t("pincodes.mode_done", group=result.group_name,
                   mode=mode_label(t, result.login_mode), count=result.pupil_count),
                 color="Good"),
            text(t("pincodes.mode_print_hint"))]
    return card(body, [
        submit(t("pincodes.print"), PINCODE_PRINT, style="positive", **ids),
        execute(t("pincodes.show"), PINCODES_SHOW, **ids),
        _back_to_group(t, result.school_id, result.group_id),
        _menu(t, result.school_id),
    ], fallback=t("pincodes.mode_done_title"))


# -- print --------------------------------------------------------------------------------------

def print_link_card(t: Texts, link: PrintLinkDTO, url: str) -> dict:
    """The signed link to the group's PDF (valid 10 minutes)."""
    body = [title(t("pincodes.print_title")),
            text(t("pincodes.print_ready", group=link.group_name, count=link.pupil_count)),
            text(t("pincodes.print_expiry"), subtle=True)]
    return card(body, [
        {"type": "Action.OpenUrl", "title": t("pincodes.print_open"), "url": url},
        _back_to_group(t, link.school_id, link.group_id),
        _menu(t, link.school_id),
    ], fallback=t("pincodes.print_title"))
