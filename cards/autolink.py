"""Cards of 'Automatisch koppelen' (rule 5): one proposal with what links itself and, per doubtful
group, a choice; one 'Koppelen' applies all of it."""

from __future__ import annotations

from cards import actions as A
from cards.actions.licences import AUTOLINK, AUTOLINK_SKIP, INPUT_AUTOLINK_CHOICE, LICENCES
from cards.common import message_card
from cards.elements import card, choice_set, facts, heading, submit, text, title
from cards.i18n import Texts
from cards.names import licence_name
from services.licences.results import (
    AutoLinkDTO,
    AutoLinkOutcomeDTO,
    LicenceRefDTO,
    SuggestionDTO,
)

MAX_LINES = 80
MAX_SUGGESTIONS = 15  # rows to choose for on one proposal; the rest on the next one


def ref_label(licence: LicenceRefDTO) -> str:
    return licence_name(licence.product_name, licence.levels)


def choice_input(row: int) -> str:
    """The input id of the proposal's doubtful row `row` (0-based)."""
    return f"{INPUT_AUTOLINK_CHOICE}{row}"


def shown_suggestions(outcome: AutoLinkOutcomeDTO) -> tuple[SuggestionDTO, ...]:
    """The doubtful rows a proposal card offers a choice for, in the card's order."""
    return outcome.suggestions[:MAX_SUGGESTIONS]


def _or_list(t: Texts, labels: list[str]) -> str:
    if len(labels) < 2:
        return "".join(labels)
    return t("autolink.and", first=", ".join(labels[:-1]), last=labels[-1])


def _choices(t: Texts, outcome: AutoLinkOutcomeDTO) -> list[dict]:
    """Per doubtful group and method a choice between its fitting licences, 'Niet koppelen'
    first and preselected: nothing is linked by a guess."""
    if not outcome.suggestions:
        return []
    body = [heading(t("autolink.suggestions")), text(t("autolink.choose_intro"), subtle=True)]
    for row, suggestion in enumerate(shown_suggestions(outcome)):
        options = [(t("autolink.skip"), AUTOLINK_SKIP)]
        options += [(ref_label(lic), str(lic.id)) for lic in suggestion.licences]
        chooser = choice_set(choice_input(row), options, required=False,
                             label=t("autolink.choice_label", group=suggestion.group_name,
                                     product=suggestion.licences[0].product_name))
        chooser["value"] = AUTOLINK_SKIP
        body.append(chooser)
    left = len(outcome.suggestions) - MAX_SUGGESTIONS
    if left > 0:
        body.append(text(t("autolink.more", count=left), subtle=True))
    return body


def _left_over(t: Texts, suggestions: tuple[SuggestionDTO, ...]) -> list[dict]:
    """The doubtful groups nobody chose a licence for, as text: the result has no choices."""
    if not suggestions:
        return []
    body = [heading(t("autolink.left", count=len(suggestions)))]
    for suggestion in suggestions[:MAX_SUGGESTIONS]:
        labels = [ref_label(lic) for lic in suggestion.licences]
        body.append(text(t("autolink.suggestion", group=suggestion.group_name,
                           licences=_or_list(t, labels)), spacing="Small"))
    if len(suggestions) > MAX_SUGGESTIONS:
        body.append(text(t("autolink.more", count=len(suggestions) - MAX_SUGGESTIONS),
                         subtle=True))
    return body


def _links(t: Texts, links: tuple[AutoLinkDTO, ...]) -> list[dict]:
    body = [facts((link.group_name, ref_label(link.licence)) for link in links[:MAX_LINES])]
    if len(links) > MAX_LINES:
        body.append(text(t("autolink.more_links", count=len(links) - MAX_LINES), subtle=True))
    return body


def autolink_preview_card(t: Texts, outcome: AutoLinkOutcomeDTO, flow: str) -> dict:
    """The proposal: what 'Koppelen' links (exactly one licence fits each), and a choice per
    doubtful group that the same 'Koppelen' applies with it."""
    body = [title(t("autolink.title")),
            text(t("autolink.intro", year=outcome.school_year), subtle=True)]
    if outcome.links:
        body.append(text(t("autolink.will_link", count=len(outcome.links))))
        body.extend(_links(t, outcome.links))
    else:
        body.append(text(t("autolink.nothing")))
    body.extend(_choices(t, outcome))
    if not outcome.links and not outcome.suggestions:
        return card(body, [
            submit(t("licences.back"), LICENCES, **{A.KEY_SCHOOL: outcome.school_id}),
            submit(t("common.menu"), A.MENU, **{A.KEY_SCHOOL: outcome.school_id}),
        ], fallback=t("autolink.title"))
    return card(body, [
        submit(t("autolink.confirm"), A.CONFIRM, flow=flow, style="positive"),
        submit(t("common.cancel"), A.CANCEL, flow=flow),
    ], fallback=t("autolink.title"))


def proposal_changed_card(t: Texts, school_id: int | None) -> dict:
    """The proposal no longer holds: nothing was linked; one tap makes a new proposal."""
    again = [submit(t("autolink.new_proposal"), AUTOLINK, **{A.KEY_SCHOOL: school_id})]
    return message_card(t, t("error.title"), f"{t('error.autolink_changed')} "
                        f"{t('error.nothing_changed')}", school_id=school_id, color="Attention",
                        extra_actions=again if school_id is not None else [])


def autolink_result_card(t: Texts, outcome: AutoLinkOutcomeDTO) -> dict:
    """What was linked (automatically and by the coördinator's choice), and what is left."""
    made = (*outcome.links, *outcome.chosen)
    body = [title(t("autolink.done_title"))]
    if made:
        body.append(text(t("autolink.done", count=len(made)), color="Good"))
        body.extend(_links(t, made))
    else:
        body.append(text(t("autolink.none_made")))
    body.extend(_left_over(t, outcome.suggestions))
    school = {A.KEY_SCHOOL: outcome.school_id}
    buttons = [submit(t("licences.back"), LICENCES, **school)]
    if outcome.suggestions:
        buttons.insert(0, submit(t("autolink.choose_rest", count=len(outcome.suggestions)),
                                 AUTOLINK, **school))
    buttons.append(submit(t("common.menu"), A.MENU, **school))
    return card(body, buttons, fallback=t("autolink.done_title"))
