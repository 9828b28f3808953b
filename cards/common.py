"""Cards every flow uses: menu, help, messages, errors, refusals, school and language pickers."""

from __future__ import annotations

from urllib.parse import quote

from cards import actions as A
from cards.actions.audit import RECENT_CHANGES
from cards.actions.changes import CHANGES
from cards.actions.child_licences import CHILD_LICENCES
from cards.actions.children import CHILDREN
from cards.actions.exchange import EXCHANGE
from cards.actions.licences import LICENCES, TOPOGRAPHY
from cards.actions.pincodes import PINCODES
from cards.actions.school import SCHOOL_HOME
from cards.elements import (
    action_rows,
    card,
    choice_set,
    facts,
    heading,
    open_url,
    submit,
    text,
    title,
)
from cards.i18n import Texts

HELPDESK_PHONE = "073 - 628 87 22"
HELPDESK_TEL = "tel:+31736288722"  # the same number, dialled from a phone or Teams
HELPDESK_EMAIL = "helpdesk.bao@malmberg.nl"
# The manual's help page; the operator can point it elsewhere (HELP_PAGE_URL, bot/config.py).
HELP_PAGE = "https://www.malmberg.nl/basisonderwijs/klantenservice-basisonderwijs.htm"


def helpdesk_actions(t: Texts, subject: str = "") -> list[dict]:
    """Tappable helpdesk contacts: call the number, write an e-mail (with a subject when the
    message is about something, like a ticket's number)."""
    mail = f"mailto:{HELPDESK_EMAIL}" + (f"?subject={quote(subject)}" if subject else "")
    return [open_url(t("ticket.call", phone=HELPDESK_PHONE), HELPDESK_TEL),
            open_url(t("ticket.mail", email=HELPDESK_EMAIL), mail)]


def shown_address(url: str) -> str:
    """A web address as people read it: without 'https://' and 'www.'."""
    shown = url.split("://", 1)[-1]
    return shown.removeprefix("www.").rstrip("/")

# Menu entries in the order of the manual; each is (text key, action, extra data).
MENU_ITEMS: tuple[tuple[str, str, dict], ...] = (
    ("menu.licences", LICENCES, {}),
    ("menu.children", CHILDREN, {}),
    ("menu.child_licences", CHILD_LICENCES, {}),
    ("menu.pincodes", PINCODES, {}),
    ("menu.exchange", EXCHANGE, {}),
    ("menu.school_data", SCHOOL_HOME, {}),
    ("menu.changes", CHANGES, {}),
    ("menu.audit", RECENT_CHANGES, {}),
    ("menu.help", A.HELP, {}),
)


def menu_card(t: Texts, name: str, school_id: int | None, school_name: str = "", *,
              greeting: bool = False, can_switch: bool = False,
              schools: list[tuple[int, str, str]] | None = None) -> dict:
    """The main menu for one school; `greeting` on first contact.

    Without a school (a coördinator of several schools on first contact) the card asks for the
    school first in a required drop-down whose value every menu button sends along.
    """
    body = []
    if greeting:
        body.append(title(t("menu.greeting", name=name)))
        body.append(text(t("menu.intro")))
    else:
        body.append(title(t("menu.title")))
    if school_id is None:
        body.append(text(t("menu.choose_school_intro", count=len(schools or []))))
        picker = choice_set(A.KEY_SCHOOL, [(f"{n} ({code})", str(sid)) for sid, n, code
                                           in schools or []],
                            label=t("menu.choose_school"), error=t("menu.choose_school_error"))
        picker["style"] = "compact"
        picker["placeholder"] = t("menu.choose_school")
        body.append(picker)
    else:
        body.append(text(t("menu.school", school=school_name), subtle=True))
    school = {} if school_id is None else {A.KEY_SCHOOL: school_id}
    buttons = [submit(t(key), action, **school, **extra) for key, action, extra in MENU_ITEMS]
    body.extend(action_rows(buttons, per_row=2))
    footer = []
    if can_switch:
        footer.append(submit(t("menu.switch_school"), A.SCHOOL_PICK))
    footer.append(submit(t("menu.language"), A.LANGUAGE))
    body.extend(action_rows(footer, per_row=2))
    return card(body, fallback=t("menu.title"))


def school_picker_card(t: Texts, schools: list[tuple[int, str, str]], *,
                       greeting: str | None = None, then: dict | None = None) -> dict:
    """Pick one of the schools the coördinator manages: (id, name, 'BRIN vestiging').

    `then` is the navigation request that needed a school (the caller passes only navigation):
    each school's button carries it on, so choosing the school also does what was asked.
    """
    body = []
    if greeting:
        body.extend([title(t("menu.greeting", name=greeting)), text(t("menu.intro"))])
    body.extend([title(t("school_pick.title")), text(t("school_pick.intro"))])
    request = {k: v for k, v in (then or {}).items() if k != A.KEY_ACTION}
    action = (then or {}).get(A.KEY_ACTION)
    if not action or action in (A.SCHOOL_PICK, A.SCHOOL_SET):
        action, request = A.SCHOOL_SET, {}
    buttons = [submit(f"{name} ({code})", action, **{**request, A.KEY_SCHOOL: sid})
               for sid, name, code in schools]
    body.extend(action_rows(buttons, per_row=1))
    return card(body, fallback=t("school_pick.title"))


def language_card(t: Texts) -> dict:
    body = [title(t("language.title")), text(t("language.intro"))]
    body.extend(action_rows([
        submit("Nederlands", A.LANGUAGE_SET, **{A.KEY_LANGUAGE: "nl"}),
        submit("English", A.LANGUAGE_SET, **{A.KEY_LANGUAGE: "en"}),
    ]))
    return card(body, fallback=t("language.title"))


def help_card(t: Texts, school_id: int | None = None, help_page: str = HELP_PAGE) -> dict:
    """What the bot does, and the helpdesk: its number and address to tap, and its help page
    (`help_page`, from the settings)."""
    body = [
        title(t("help.title")),
        text(t("help.intro")),
        text(t("help.tasks")),
        heading(t("help.helpdesk")),
        facts([
            (t("help.phone"), HELPDESK_PHONE),
            (t("help.email"), HELPDESK_EMAIL),
            (t("help.page"), shown_address(help_page)),
        ]),
        *action_rows(helpdesk_actions(t), per_row=1),
        text(t("help.las"), subtle=True),
    ]
    buttons = [open_url(t("help.open_page"), help_page)]
    buttons.append(submit(t("topography.button"), TOPOGRAPHY, **{A.KEY_SCHOOL: school_id}))
    if school_id is not None:
        buttons.append(submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: school_id}))
    return card(body, buttons, fallback=t("help.title"))


def message_card(t: Texts, heading_text: str, message: str, *, school_id: int | None = None,
                 color: str | None = None, extra_actions: list[dict] | None = None) -> dict:
    """A plain message with a way back to the menu."""
    body = [title(heading_text), text(message, color=color)]
    buttons = list(extra_actions or [])
    buttons.append(submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: school_id}))
    return card(body, buttons, fallback=message)


def error_card(t: Texts, code: str, params: dict | None = None, *,
               school_id: int | None = None) -> dict:
    """A domain error in the user's language; nothing was changed."""
    key = code if t.has(code) else "error.unexpected"
    return message_card(t, t("error.title"), f"{t(key, **(params or {}))} {t('error.nothing_changed')}",
                        school_id=school_id, color="Attention")


def stale_card(t: Texts, school_id: int | None = None) -> dict:
    return message_card(t, t("stale.title"), t("stale.text"), school_id=school_id)


def cancelled_card(t: Texts, school_id: int | None = None) -> dict:
    return message_card(t, t("cancelled.title"), t("cancelled.text"), school_id=school_id)


def looks_like_secret(said: str) -> bool:
    """A long token mixing letters and digits (an autorisatiesleutel pasted into the chat),
    alone or inside a sentence ('is Pk77881FG-HJ99777737= goed?')."""
    return any(len(token) >= 12 and any(c.isdigit() for c in token)
               and any(c.isalpha() for c in token) for token in said.split())


def not_understood_card(t: Texts, said: str, school_id: int | None) -> dict:
    """What was not understood (never a pasted key), with the menu's choices right below."""
    if looks_like_secret(said):  # never echo what may be a key or a code
        message = t("unknown.secret")
    else:
        shown = said if len(said) <= 80 else said[:77] + "..."
        message = t("unknown.text", text=shown)
    if school_id is None:
        return message_card(t, t("unknown.title"), message)
    buttons = [submit(t(key), action, **{A.KEY_SCHOOL: school_id}, **extra)
               for key, action, extra in MENU_ITEMS]
    return card([title(t("unknown.title")), text(message), *action_rows(buttons, per_row=2)],
                fallback=message)


def too_long_card(t: Texts, length: int, limit: int, school_id: int | None) -> dict:
    """A message far longer than any command: not read, and nothing of it echoed."""
    return message_card(t, t("too_long.title"), t("too_long.text", length=length, limit=limit),
                        school_id=school_id)


def las_card(t: Texts, school_id: int | None) -> dict:
    """Rule 1/2: users and groups are managed in the LAS and arrive through Basispoort at night."""
    return message_card(t, t("las.title"), t("las.text"), school_id=school_id)


def refusal_card(t: Texts, kind: str, schools: tuple[tuple[str, tuple[str, ...]], ...]) -> dict:
    """For teachers, pupils, strangers and other tenants: who to ask instead. Nothing else."""
    body = [title(t("refusal.title"))]
    if kind == "staff":
        body.append(text(t("refusal.staff")))
        for school, names in schools:
            who = ", ".join(names) if names else t("refusal.no_coordinator")
            body.append(text(t("refusal.school_line", school=school, names=who)))
    elif kind == "tenant":
        body.append(text(t("refusal.tenant")))
    else:
        body.append(text(t("refusal.unknown")))
    body.append(text(t("refusal.helpdesk", phone=HELPDESK_PHONE, email=HELPDESK_EMAIL),
                     subtle=True))
    body.extend(action_rows(helpdesk_actions(t), per_row=1))
    return card(body, fallback=t("refusal.title"))


def turn_error_card(t: Texts) -> dict:
    """Something broke on the bot's side: say so, and how to reach the helpdesk by one tap."""
    body = [title(t("error.title")), text(t("turn_error.text"))]
    body.extend(action_rows(helpdesk_actions(t), per_row=1))
    return card(body, fallback=t("turn_error.text"))

