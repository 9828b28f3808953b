"""Cards of the helpdesk handoff: the coördinator's ticket, 'Mijn meldingen', what they are
told when the helpdesk acted, and the helpdesk's e-mail."""

from __future__ import annotations

from cards import actions as A
from cards.actions.child_licences import CHILD_LICENCE
from cards.actions.helpdesk import (
    INPUT_GROUP,
    INPUT_INTENDED,
    INPUT_REASON,
    INPUT_WRONG,
    KEY_TICKET,
    NO_GROUP,
    TICKET_FORM,
    TICKET_INTENDED,
    TICKETS,
    VERB_EXECUTE,
    VERB_REJECT,
)
from cards.children import full_label, paging_rows
from cards.common import helpdesk_actions
from cards.elements import (
    action_rows,
    card,
    choice_set,
    execute,
    facts,
    heading,
    submit,
    text,
    text_input,
    title,
    without_inputs,
)
from cards.i18n import Texts
from services.helpdesk.results import (
    MAX_REASON,
    IntendedChoiceDTO,
    TicketDTO,
    TicketFormDTO,
    TicketPreviewDTO,
    TicketsDTO,
)


def _details(t: Texts, ticket: TicketDTO) -> dict:
    rows = [(t("helpdesk.number"), ticket.number),
            (t("helpdesk.licence"), ticket.licence_name),
            (t("helpdesk.wrong_child"), ticket.wrong_child_name)]
    if ticket.intended_child_name:
        rows.append((t("helpdesk.intended_child"), ticket.intended_child_name))
    return facts(rows)


def ticket_outcome_card(t: Texts, ticket: TicketDTO) -> dict:
    """The helpdesk executed or rejected a ticket: what that means for the seats."""
    if ticket.status == "executed":
        if ticket.intended_child_name and ticket.outcome != "intended_skipped":
            line = t("helpdesk.executed_moved", wrong=ticket.wrong_child_name,
                     intended=ticket.intended_child_name, licence=ticket.licence_name)
        elif ticket.intended_child_name:
            line = t("helpdesk.executed_skipped", wrong=ticket.wrong_child_name,
                     intended=ticket.intended_child_name, licence=ticket.licence_name)
        else:
            line = t("helpdesk.executed_freed", wrong=ticket.wrong_child_name,
                     licence=ticket.licence_name)
        body = [title(t("helpdesk.executed_title", number=ticket.number)),
                text(line, color="Good")]
    else:
        body = [title(t("helpdesk.rejected_title", number=ticket.number)),
                text(t("helpdesk.rejected", reason=ticket.outcome))]
    body.append(_details(t, ticket))
    return card(body, [
        submit(t("helpdesk.to_licence", licence=ticket.licence_name), CHILD_LICENCE,
               **{A.KEY_SCHOOL: ticket.school_id, A.KEY_LICENCE: ticket.licence_id}),
        submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: ticket.school_id}),
    ], fallback=t("helpdesk.executed_title", number=ticket.number))


# -- the coördinator's ticket -------------------------------------------------------------------

def _cancel(t: Texts, flow: str) -> dict:
    return {**submit(t("common.cancel"), A.CANCEL, flow=flow), "associatedInputs": "none"}


def ticket_form_card(t: Texts, form: TicketFormDTO, flow: str, error: str = "", *,
                     wrong_child: str | None = None) -> dict:
    """Which child is wrongly on the licence (only those on it are offered), why, and where to
    find the child who should have had the seat. With `error`, what was wrong last time, and
    the child chosen then (`wrong_child`) chosen again."""
    wrong = choice_set(INPUT_WRONG, [(f"{c.name} ({c.group_name or t('school.no_group')})",
                                      str(c.id)) for c in form.assigned],
                       label=t("ticket.wrong_label"), error=t("ticket.wrong_error"))
    wrong["style"] = "compact"
    if wrong_child in {choice["value"] for choice in wrong["choices"]}:
        wrong["value"] = wrong_child
    groups = choice_set(INPUT_GROUP, [(t("ticket.no_intended"), NO_GROUP)]
                        + [(g.name, str(g.id)) for g in form.groups],
                        label=t("ticket.group_label"), required=False)
    groups["style"] = "compact"
    groups["value"] = NO_GROUP
    reason = text_input(INPUT_REASON, label=t("ticket.reason_label"),
                        placeholder=t("ticket.reason_placeholder"), max_length=MAX_REASON)
    reason.update(isRequired=True, errorMessage=t("error.reason_missing"), isMultiline=True)
    body = [title(t("childlic.wrong")), text(t("ticket.intro", licence=full_label(
        t, form.licence)))]
    if error:
        body.append(text(error, color="Attention", weight="Bolder"))
    body.extend([wrong, reason, groups])
    # Action.Execute: an answer that is not right comes back in this same card.
    return card(body, [execute(t("ticket.next"), TICKET_FORM, flow=flow, style="positive"),
                       without_inputs(execute(t("common.cancel"), A.CANCEL, flow=flow))],
                fallback=t("childlic.wrong"))


def intended_card(t: Texts, choice: IntendedChoiceDTO, flow: str) -> dict:
    body = [title(t("ticket.intended_title", group=choice.group_name))]
    if not choice.children:
        body.append(text(t("ticket.intended_none", group=choice.group_name)))
        return card(body, [_cancel(t, flow)], fallback=body[0]["text"])
    children = choice_set(INPUT_INTENDED, [(c.name, str(c.id)) for c in choice.children],
                          label=t("ticket.intended_label"), error=t("ticket.intended_error"))
    body.append(children)
    return card(body, [submit(t("ticket.next"), TICKET_INTENDED, flow=flow, style="positive"),
                       _cancel(t, flow)], fallback=body[0]["text"])


def confirm_ticket_card(t: Texts, preview: TicketPreviewDTO, flow: str) -> dict:
    rows = [(t("helpdesk.licence"), full_label(t, preview.licence)),
            (t("helpdesk.wrong_child"), _child(t, preview.wrong))]
    rows.append((t("helpdesk.intended_child"),
                 _child(t, preview.intended) if preview.intended else t("ticket.no_intended")))
    rows.append((t("ticket.reason"), preview.reason))
    body = [title(t("ticket.confirm_title")), facts(rows), text(t("ticket.confirm_text"))]
    return card(body, [submit(t("ticket.send"), A.CONFIRM, flow=flow, style="positive"),
                       _cancel(t, flow)], fallback=t("ticket.confirm_title"))


def _child(t: Texts, child) -> str:
    return f"{child.name} ({child.group_name or t('school.no_group')})"


def ticket_sent_card(t: Texts, ticket: TicketDTO) -> dict:
    """The ticket is stored and on its way to the helpdesk: its number and what happens next."""
    body = [title(t("ticket.sent_title", number=ticket.number)),
            text(t("ticket.sent_text")), _details(t, ticket),
            text(t("ticket.sent_contact"), subtle=True)]
    body.extend(action_rows(helpdesk_actions(t, ticket.number), per_row=1))
    return card(body, [
        submit(t("ticket.my_tickets"), TICKETS, **{A.KEY_SCHOOL: ticket.school_id}),
        submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: ticket.school_id}),
    ], fallback=t("ticket.sent_title", number=ticket.number))


def tickets_card(t: Texts, found: TicketsDTO) -> dict:
    """'Mijn meldingen': each ticket with its status, newest first."""
    school = {A.KEY_SCHOOL: found.school_id}
    body = [title(t("ticket.my_tickets")), text(t("notify.school", school=found.school_name),
                                                subtle=True, spacing="None")]
    if not found.tickets.items:
        body.append(text(t("ticket.none")))
    for ticket in found.tickets.items:
        status = t(f"ticket.status.{ticket.status}")
        if ticket.status == "rejected":
            status = t("ticket.status.rejected_with", reason=ticket.outcome)
        body.append(heading(f"{ticket.number} — {status}"))
        body.append(text(t("ticket.line", wrong=ticket.wrong_child_name,
                           licence=ticket.licence_name,
                           date=ticket.created_at.strftime("%d-%m-%Y")), spacing="None"))
    if found.tickets.page_count > 1:
        body.extend(paging_rows(t, found.tickets.page, found.tickets.page_count, TICKETS,
                                **school))
    body.extend(action_rows(helpdesk_actions(t), per_row=1))
    body.extend(action_rows([submit(t("common.menu"), A.MENU, **school)]))
    return card(body, fallback=t("ticket.my_tickets"))


def ticket_mail(t: Texts, ticket: TicketDTO) -> tuple[str, str]:
    """The helpdesk's e-mail: subject and plain-text body with everything to act on it."""
    subject = t("mail.subject", number=ticket.number, school=ticket.school_name,
                brin=ticket.brin, vestiging=ticket.vestiging)
    lines = [t("mail.intro"), "",
             f"{t('helpdesk.number')}: {ticket.number}",
             f"{t('mail.school')}: {ticket.school_name} ({ticket.brin} {ticket.vestiging})",
             f"{t('helpdesk.licence')}: {ticket.licence_name} ({ticket.school_year}, "
             f"licentie-id {ticket.licence_id})",
             f"{t('helpdesk.wrong_child')}: {ticket.wrong_child_name} "
             f"({ticket.wrong_child_group or '-'}, id {ticket.wrong_child_id})"]
    if ticket.intended_child_name:
        lines.append(f"{t('helpdesk.intended_child')}: {ticket.intended_child_name} "
                     f"({ticket.intended_child_group or '-'}, id {ticket.intended_child_id})")
    else:
        lines.append(f"{t('helpdesk.intended_child')}: {t('ticket.no_intended')}")
    lines += [f"{t('ticket.reason')}: {ticket.reason}",
              f"{t('mail.by')}: {ticket.created_by_name}, "
              f"{ticket.created_at.strftime('%d-%m-%Y %H:%M')} UTC", "", t("mail.how", number=ticket.number)]
    return subject, "\n".join(lines)


# -- the helpdesk's channel ---------------------------------------------------------------------

def helpdesk_ticket_card(t: Texts, ticket: TicketDTO, *, note: str = "") -> dict:
    """A ticket as the helpdesk sees it in its channel: every detail, and while it is open
    'Uitvoeren' and 'Afwijzen' (with the reason the coördinator will read)."""
    rows = [(t("mail.school"), f"{ticket.school_name} ({ticket.brin} {ticket.vestiging})"),
            (t("helpdesk.licence"), f"{ticket.licence_name} ({ticket.school_year})"),
            (t("helpdesk.wrong_child"),
             f"{ticket.wrong_child_name} ({ticket.wrong_child_group or '-'})"),
            (t("helpdesk.intended_child"),
             f"{ticket.intended_child_name} ({ticket.intended_child_group or '-'})"
             if ticket.intended_child_name else t("ticket.no_intended")),
            (t("ticket.reason"), ticket.reason),
            (t("mail.by"), f"{ticket.created_by_name}, "
                           f"{ticket.created_at.strftime('%d-%m-%Y %H:%M')} UTC")]
    body = [title(t("channel.title", number=ticket.number)), facts(rows)]
    if note:
        body.append(text(note, color="Attention"))
    if ticket.status == "open":
        reason = text_input(INPUT_REASON, label=t("channel.reject_label"),
                            placeholder=t("channel.reject_placeholder"), max_length=MAX_REASON)
        body.append(reason)
        return card(body, [
            execute(t("channel.execute"), VERB_EXECUTE, style="positive",
                    **{KEY_TICKET: ticket.id}),
            execute(t("channel.reject"), VERB_REJECT, **{KEY_TICKET: ticket.id}),
        ], fallback=t("channel.title", number=ticket.number))
    done = (t("channel.executed", name=ticket.resolved_by_name or "-")
            if ticket.status == "executed"
            else t("channel.rejected", name=ticket.resolved_by_name or "-",
                   reason=ticket.outcome))
    # Bold default-coloured text on an emphasis background: light green on white is too faint.
    body.append({"type": "Container", "style": "emphasis",
                 "items": [text(("✅ " if ticket.status == "executed" else "") + done,
                                weight="Bolder")]})
    return card(body, fallback=done)


def channel_message_card(t: Texts, message: str) -> dict:
    """A short answer in the helpdesk channel (no menu: this is no coördinator's chat)."""
    return card([text(message)], fallback=message)
