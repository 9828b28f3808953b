"""Cards of 'Resultaten uitwisselen': couplings with the school's LVS, adding, replacing, removing."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cards import actions as A
from cards.actions.exchange import (
    EXCHANGE,
    EXCHANGE_ADD,
    EXCHANGE_GRADES,
    EXCHANGE_KEY_SAVE,
    EXCHANGE_REMOVE,
    EXCHANGE_SYSTEM_CHOSEN,
    EXCHANGE_VERIFY,
    INPUT_LVS_KEY,
    KEY_COUPLING,
    KEY_SYSTEM,
    KEY_VALUE,
)
from cards.elements import (
    action_rows,
    card,
    execute,
    facts,
    heading,
    submit,
    text,
    title,
    without_inputs,
)
from cards.i18n import Texts
from services.exchange.results import CouplingDTO, CouplingRemovedDTO, CouplingSavedDTO, ExchangeDTO

_DUTCH_TIME: tzinfo
try:
    _DUTCH_TIME = ZoneInfo("Europe/Amsterdam")
except ZoneInfoNotFoundError:  # no time-zone database on this machine: UTC is off by 1-2 h
    _DUTCH_TIME = UTC

ACTIVE = "active"
REJECTED = "rejected"


def status_label(t: Texts, status: str) -> str:
    key = f"exchange.status.{status}"
    return t(key) if t.has(key) else status


def status_hint(t: Texts, coupling: CouplingDTO) -> str:
    if coupling.status == ACTIVE and coupling.results_sent:
        return t("exchange.hint.active_sent", system=coupling.system_name,
                 count=coupling.results_sent)
    key = f"exchange.hint.{coupling.status}"
    return t(key, system=coupling.system_name) if t.has(key) else ""


def _status_texts(t: Texts, coupling: CouplingDTO, **style) -> list[dict]:
    """The hint under a coupling's status, and what the LVS did not accept and why."""
    body = [text(status_hint(t, coupling), color=_status_color(coupling.status), **style)]
    if coupling.status == REJECTED:
        body.append(text(t("exchange.hint.rejected_school", system=coupling.system_name,
                           brin=coupling.brin, vestiging=coupling.vestiging), **style))
    if coupling.set_aside:
        body.append(text(t("exchange.aside_title", system=coupling.system_name),
                         weight="Bolder", spacing="Small"))
        for reason, count in coupling.set_aside:
            key = f"exchange.aside.{reason}"
            body.append(text("• " + t(key if t.has(key) else "exchange.aside.other",
                                      system=coupling.system_name, count=count),
                             spacing="None", **style))
    return body


def _date(value: datetime | None) -> str:
    """A stored moment (UTC; SQLite hands it back without a zone) as a Dutch calendar date."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(_DUTCH_TIME).strftime("%d-%m-%Y")


def _status_color(status: str) -> str:
    return {"active": "Good", "rejected": "Attention", "unreachable": "Warning"}.get(
        status, "Default")


def coupling_facts(t: Texts, coupling: CouplingDTO) -> dict:
    pairs = [
        (t("exchange.status"), status_label(t, coupling.status)),
        (t("exchange.key"), coupling.masked_key or t("exchange.key_unreadable")),
        (t("exchange.since"), _date(coupling.created_at)),
        (t("exchange.by"), coupling.created_by or t("exchange.by_unknown")),
        (t("exchange.grades"), t("exchange.on") if coupling.forward_grades else t("exchange.off")),
    ]
    if coupling.status == ACTIVE and coupling.active_since:
        pairs.insert(1, (t("exchange.active_since"), _date(coupling.active_since)))
    elif coupling.verified_at:
        pairs.append((t("exchange.verified"), _date(coupling.verified_at)))
    pairs.append((t("exchange.last_exchange"), _date(coupling.last_exchange_at)
                  if coupling.last_exchange_at else t("exchange.last_exchange_none")))
    pairs.append((t("exchange.results_sent"), str(coupling.results_sent)))
    if coupling.queued:
        pairs.append((t("exchange.results_queued"), str(coupling.queued)))
    if coupling.set_aside:
        pairs.append((t("exchange.results_aside"), str(sum(n for _, n in coupling.set_aside))))
    return facts(pairs)


def _ids(coupling: CouplingDTO) -> dict:
    """What a button names: the school, the coupling and its LVS (an id alone may be reused)."""
    return {A.KEY_SCHOOL: coupling.school_id, KEY_COUPLING: coupling.id,
            KEY_SYSTEM: coupling.system}


def _grades_button(t: Texts, coupling: CouplingDTO) -> dict:
    wanted = not coupling.forward_grades
    return submit(t("exchange.grades_on") if wanted else t("exchange.grades_off"),
                  EXCHANGE_GRADES, **_ids(coupling), **{KEY_VALUE: "true" if wanted else "false"})


def _replace_button(t: Texts, coupling: CouplingDTO) -> dict:
    return submit(t("exchange.replace"), EXCHANGE_ADD,
                  **{A.KEY_SCHOOL: coupling.school_id, KEY_SYSTEM: coupling.system})


def _coupling_buttons(t: Texts, coupling: CouplingDTO) -> list[dict]:
    ids = _ids(coupling)
    buttons = [
        _grades_button(t, coupling),
        _replace_button(t, coupling),
        submit(t("exchange.remove"), EXCHANGE_REMOVE, **ids),
    ]
    if coupling.status != ACTIVE:
        buttons.append(submit(t("exchange.recheck"), EXCHANGE_VERIFY, **ids))
    return buttons


def _back(t: Texts, school_id: int) -> list[dict]:
    return [submit(t("exchange.back"), EXCHANGE, **{A.KEY_SCHOOL: school_id}),
            submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: school_id})]


def overview_card(t: Texts, overview: ExchangeDTO) -> dict:
    """The school's couplings, what the exchange means, and how to add or change one."""
    body = [
        title(t("exchange.title")),
        text(t("menu.school", school=overview.school_name), subtle=True, spacing="None"),
        text(t("exchange.consent")),
        text(t("exchange.consent_explicit")),
    ]
    if not overview.couplings:
        body.append(text(t("exchange.none"), weight="Bolder"))
    for coupling in overview.couplings:
        body.append(heading(coupling.system_name))
        body.append(coupling_facts(t, coupling))
        body.append(grades_meaning(t, coupling))
        body.extend(_status_texts(t, coupling, subtle=True))
        body.extend(action_rows(_coupling_buttons(t, coupling), per_row=2))
    if overview.couplings:
        body.append(text(t("exchange.grades_note"), subtle=True, separator=True))
    body.append(text(t("exchange.supported"), subtle=True))
    return card(body, [
        submit(t("exchange.add"), EXCHANGE_ADD, style="positive",
               **{A.KEY_SCHOOL: overview.school_id}),
        submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: overview.school_id}),
    ], fallback=t("exchange.title"))


def choose_system_card(t: Texts, systems: tuple[tuple[str, str], ...], flow: str) -> dict:
    """Step 1 in general, then: which LVS?"""
    body = [
        title(t("exchange.add")),
        heading(t("exchange.step1_title")),
        text(t("exchange.step1_general")),
        text(t("exchange.bingel_note"), subtle=True),
        text(t("exchange.choose"), weight="Bolder"),
    ]
    buttons = [submit(name, EXCHANGE_SYSTEM_CHOSEN, flow=flow, **{KEY_SYSTEM: system})
               for system, name in systems]
    body.extend(action_rows(buttons, per_row=3))
    return card(body, [submit(t("common.cancel"), A.CANCEL, flow=flow)],
                fallback=t("exchange.add"))


def replace_card(t: Texts, coupling: CouplingDTO, flow: str) -> dict:
    """'Vervangen?': the school already has a coupling with this LVS."""
    body = [
        title(t("exchange.replace_title")),
        text(t("exchange.replace_text", system=coupling.system_name,
               masked=coupling.masked_key or t("exchange.key_unreadable"),
               status=status_label(t, coupling.status))),
    ]
    return card(body, [
        submit(t("exchange.replace_confirm"), A.CONFIRM, flow=flow, style="positive"),
        submit(t("common.cancel"), A.CANCEL, flow=flow),
    ], fallback=t("exchange.replace_title"))


def key_card(t: Texts, system: str, system_name: str, flow: str, *, replacing: bool = False,
             error: str = "") -> dict:
    """Step 1 for this LVS, then the field for the autorisatiesleutel. Never prefilled."""
    body = [title(t("exchange.key_title", system=system_name))]
    if error:
        body.append(text(f"{error} {t('exchange.try_again')}", color="Attention",
                         weight="Bolder"))
    if replacing:
        body.append(text(t("exchange.replacing", system=system_name), subtle=True))
    body.append(heading(t("exchange.step1_title")))
    step1 = f"exchange.step1.{system}"
    body.append(text(t(step1) if t.has(step1) else t("exchange.step1_general")))
    if system == "momento":
        body.append(text(t("exchange.bingel_note"), subtle=True))
    body.append(text(t("exchange.step2", system=system_name), weight="Bolder"))
    body.append(text(t("exchange.paste_here"), subtle=True, spacing="None"))
    body.append({
        "type": "Input.Text",
        "id": INPUT_LVS_KEY,
        "label": t("exchange.key_label"),
        "placeholder": t("exchange.key_placeholder"),
        # No "password" style: Teams draws an untitled reveal button beside such a field, which
        # a screen reader announces as an unnamed button. The card is replaced once the key is
        # saved, so the key does not stay on screen either way.
    })
    # Action.Execute: a badly pasted key comes back in this same card, with the reason.
    return card(body, [
        execute(t("exchange.save"), EXCHANGE_KEY_SAVE, flow=flow, style="positive"),
        without_inputs(execute(t("common.cancel"), A.CANCEL, flow=flow)),
    ], fallback=t("exchange.key_title", system=system_name))


def grades_meaning(t: Texts, coupling: CouplingDTO) -> dict:
    """One sentence under the facts: what 'Schoolcijfers doorsturen: aan/uit' means."""
    key = "exchange.grades_meaning_on" if coupling.forward_grades else "exchange.grades_meaning_off"
    return text(t(key, system=coupling.system_name), subtle=True, spacing="Small")


def _status_block(t: Texts, coupling: CouplingDTO) -> list[dict]:
    return [coupling_facts(t, coupling), grades_meaning(t, coupling), *_status_texts(t, coupling)]


def saved_card(t: Texts, saved: CouplingSavedDTO) -> dict:
    coupling = saved.coupling
    if saved.replaced:
        head, message = t("exchange.replaced_title"), t("exchange.replaced",
                                                        system=coupling.system_name)
    else:
        head, message = t("exchange.saved_title"), t("exchange.saved", system=coupling.system_name)
    body = [title(head), text(message), *_status_block(t, coupling)]
    return card(body, _next_actions(t, coupling), fallback=head)


def status_card(t: Texts, coupling: CouplingDTO, *, checked: bool = True) -> dict:
    """After 'Opnieuw controleren': whether the LVS was asked at all, then the status."""
    system = coupling.system_name
    if checked:
        said = [text(t("exchange.checked_now", system=system), weight="Bolder")]
    else:
        said = [text(t("exchange.not_checked", system=system), weight="Bolder"),
                text(t("exchange.not_checked_last", system=system,
                       date=_date(coupling.last_exchange_at)) if coupling.last_exchange_at
                     else t("exchange.not_checked_never", system=system), spacing="Small")]
    body = [title(t("exchange.checked_title")), heading(system), *said,
            *_status_block(t, coupling)]
    return card(body, _next_actions(t, coupling), fallback=t("exchange.checked_title"))


def _next_actions(t: Texts, coupling: CouplingDTO) -> list[dict]:
    """A refused key's hint says 'kies Sleutel vervangen': the button is right there."""
    replace = [_replace_button(t, coupling)] if coupling.status == REJECTED else []
    return [*replace, *_back(t, coupling.school_id)]


def grades_card(t: Texts, coupling: CouplingDTO) -> dict:
    """After the toggle: what is forwarded now, and why the grades are what they are."""
    message = t("exchange.grades_now_on" if coupling.forward_grades else "exchange.grades_now_off",
                system=coupling.system_name)
    body = [title(t("exchange.grades_title")), text(message, weight="Bolder"),
            text(t("exchange.grades_note"))]
    return card(body, [_grades_button(t, coupling), *_back(t, coupling.school_id)],
                fallback=message)


def confirm_remove_card(t: Texts, coupling: CouplingDTO, flow: str) -> dict:
    body = [
        title(t("exchange.remove_title")),
        text(t("exchange.remove_text", system=coupling.system_name,
               masked=coupling.masked_key or t("exchange.key_unreadable"))),
        text(t("exchange.remove_note", system=coupling.system_name), subtle=True),
    ]
    return card(body, [
        submit(t("exchange.remove_confirm"), A.CONFIRM, flow=flow, style="destructive"),
        submit(t("common.cancel"), A.CANCEL, flow=flow),
    ], fallback=t("exchange.remove_title"))


def removed_card(t: Texts, removed: CouplingRemovedDTO) -> dict:
    message = t("exchange.removed", system=removed.system_name)
    return card([title(t("exchange.removed_title")), text(message, color="Good")],
                _back(t, removed.school_id), fallback=message)
