"""Cards of 'Automatisch koppelen' (rule 5): what links itself, and what the coördinator chooses."""

from __future__ import annotations

from cards import actions as A
from cards.actions.licences import LICENCES, LINK_START
from cards.children import levels_text
from cards.elements import action_rows, card, facts, heading, submit, text, title
from cards.i18n import Texts
from services.licences.results import AutoLinkOutcomeDTO, LicenceRefDTO, SuggestionDTO

MAX_LINES = 80
MAX_SUGGESTIONS = 15


def ref_label(t: Texts, licence: LicenceRefDTO) -> str:
    return t("licence.short", product=licence.product_name, levels=levels_text(t, licence.levels))


def _or_list(t: Texts, labels: list[str]) -> str:
    if len(labels) < 2:
        return "".join(labels)
    return t("autolink.and", first=", ".join(labels[:-1]), last=labels[-1])


def suggestion_block(t: Texts, suggestions: tuple[SuggestionDTO, ...], school_id: int) -> list[dict]:
    """'Groep 6/7 past bij Pluspunt groep 6 en Pluspunt groep 7 — kies zelf', with a button per
    licence that opens the normal link flow for it."""
    if not suggestions:
        return []
    body = [heading(t("autolink.suggestions"))]
    for suggestion in suggestions[:MAX_SUGGESTIONS]:
        labels = [ref_label(t, lic) for lic in suggestion.licences]
        body.append(text(t("autolink.suggestion", group=suggestion.group_name,
                           licences=_or_list(t, labels))))
        body.extend(action_rows([
            submit(label, LINK_START, **{A.KEY_SCHOOL: school_id, A.KEY_LICENCE: lic.id})
            for label, lic in zip(labels, suggestion.licences, strict=True)
        ], per_row=3))
    if len(suggestions) > MAX_SUGGESTIONS:
        body.append(text(t("autolink.more", count=len(suggestions) - MAX_SUGGESTIONS),
                         subtle=True))
    return body


def _links(t: Texts, outcome: AutoLinkOutcomeDTO) -> list[dict]:
    pairs = [(link.group_name, ref_label(t, link.licence)) for link in outcome.links[:MAX_LINES]]
    body = [facts(pairs)]
    if len(outcome.links) > MAX_LINES:
        body.append(text(t("autolink.more_links", count=len(outcome.links) - MAX_LINES),
                         subtle=True))
    return body


def autolink_preview_card(t: Texts, outcome: AutoLinkOutcomeDTO, flow: str) -> dict:
    """What 'Koppelen' will link (exactly one licence fits each), and the suggestions."""
    body = [title(t("autolink.title")),
            text(t("autolink.intro", year=outcome.school_year), subtle=True)]
    if outcome.links:
        body.append(text(t("autolink.will_link", count=len(outcome.links))))
        body.extend(_links(t, outcome))
    else:
        body.append(text(t("autolink.nothing")))
    body.extend(suggestion_block(t, outcome.suggestions, outcome.school_id))
    if not outcome.links:
        return card(body, [
            submit(t("licences.back"), LICENCES, **{A.KEY_SCHOOL: outcome.school_id}),
            submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: outcome.school_id}),
        ], fallback=t("autolink.title"))
    return card(body, [
        submit(t("autolink.confirm"), A.CONFIRM, flow=flow, style="positive"),
        submit(t("common.cancel"), A.CANCEL, flow=flow),
    ], fallback=t("autolink.title"))


def autolink_result_card(t: Texts, outcome: AutoLinkOutcomeDTO) -> dict:
    body = [title(t("autolink.done_title"))]
    if outcome.links:
        body.append(text(t("autolink.done", count=len(outcome.links)), color="Good"))
        body.extend(_links(t, outcome))
    else:
        body.append(text(t("autolink.nothing")))
    body.extend(suggestion_block(t, outcome.suggestions, outcome.school_id))
    return card(body, [
        submit(t("licences.back"), LICENCES, **{A.KEY_SCHOOL: outcome.school_id}),
        submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: outcome.school_id}),
    ], fallback=t("autolink.done_title"))
