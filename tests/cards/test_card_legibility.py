"""What a coördinator sees in the real client: buttons that name what they act on in a width
Teams shows, no input marked required that may stay empty, outcomes legible, facts explained."""

from __future__ import annotations

import dataclasses

import pytest

from cards.child_licences import child_licences_card
from cards.exchange import coupling_facts, overview_card, saved_card
from cards.helpdesk import helpdesk_ticket_card, ticket_form_card
from cards.i18n import Texts
from cards.licences import licences_card
from services.exchange.results import CouplingDTO, CouplingSavedDTO, ExchangeDTO
from services.helpdesk.results import TicketDTO, TicketFormDTO
from services.shared.results import LicenceDTO, LicenceOverviewDTO, LinkedGroupDTO
from tests.cardcheck import card_actions, card_texts, check_card, elements
from tests.cards.test_card_sizes import make

T = Texts("nl")
# About what one button shows in a Teams chat column before it cuts the title off (the walk's
# screenshots show 38 characters whole, 47 cut off).
WIDEST_BUTTON = 40


def _licence(id_: int, product: str, level: int, linked: tuple[str, ...]) -> LicenceDTO:
    base = make(LicenceDTO)
    return dataclasses.replace(
        base, id=id_, product_name=product, levels=(level,), model="group",
        linked_groups=tuple(dataclasses.replace(make(LinkedGroupDTO), group_id=100 + i,
                                                group_name=name, origin="manual")
                            for i, name in enumerate(linked)))


def test_licence_buttons_are_short_unique_and_the_full_text_is_a_tooltip():
    licences = (_licence(1, "Pluspunt", 3, ("Groep 3",)), _licence(2, "Naut", 3, ("Groep 3",)),
                _licence(3, "Pluspunt", 4, ()))
    built = licences_card(T, 1, "OBS De Regenboog", "2026-2027", licences)
    check_card(built)
    titles = [a["title"] for a in card_actions(built)]
    assert len(titles) == len(set(titles)), titles
    assert "Andere kinderen: Pluspunt groep 3" in titles
    assert all(len(title) <= WIDEST_BUTTON for title in titles), titles
    tooltips = {a.get("tooltip") for a in card_actions(built)}
    assert "Kinderen van andere groepen op Pluspunt groep 3" in tooltips


def test_each_child_licence_button_names_its_licence():
    items = tuple(dataclasses.replace(make(LicenceOverviewDTO), licence=dataclasses.replace(
        make(LicenceDTO), id=i, product_name=name, levels=(3, 4, 5, 6, 7, 8), model="child"))
        for i, name in enumerate(("Bingel", "Topografie")))
    built = child_licences_card(T, 1, "OBS De Regenboog", "2026-2027", items)
    titles = [a["title"] for a in card_actions(built)]
    assert {"Open Bingel groep 3 t/m 8", "Open Topografie groep 3 t/m 8"} <= set(titles)
    assert "Openen" not in titles


def test_the_intended_childs_group_is_not_required_when_none_is_preselected():
    form = make(TicketFormDTO)
    built = ticket_form_card(T, form, "f")
    (group,) = [e for e in elements(built) if e.get("id") == "intended_group"]
    assert group["value"] == "none" or group["value"]  # 'Geen ander kind' is chosen already
    assert not group.get("isRequired")
    (wrong,) = [e for e in elements(built) if e.get("id") == "wrong_child"]
    assert wrong["isRequired"]  # which child is wrong must still be chosen


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_executed_ticket_reads_in_bold_default_colour_on_an_emphasis_background(language):
    ticket = dataclasses.replace(make(TicketDTO), status="executed", resolved_by_name="Mila")
    built = helpdesk_ticket_card(Texts(language), ticket)
    check_card(built)
    (done,) = [e for e in elements(built) if e.get("type") == "TextBlock"
               and ("Uitgevoerd door Mila" in e["text"] or "Carried out by Mila" in e["text"])]
    assert done.get("color") in (None, "Default") and done.get("weight") == "Bolder"
    containers = [e for e in elements(built) if e.get("type") == "Container"
                  and done in e.get("items", [])]
    assert containers and containers[0]["style"] == "emphasis"


@pytest.mark.parametrize("forward", [True, False])
def test_forwarding_school_grades_is_explained_next_to_the_fact(forward):
    coupling = dataclasses.replace(make(CouplingDTO), forward_grades=forward,
                                   system_name="ParnasSys", status="pending")
    saved = dataclasses.replace(make(CouplingSavedDTO), coupling=coupling, replaced=False)
    overview = dataclasses.replace(make(ExchangeDTO), couplings=(coupling,))
    fact = ("Schoolcijfers doorsturen", "aan" if forward else "uit")
    assert fact in [(f["title"], f["value"]) for f in coupling_facts(T, coupling)["facts"]]
    meaning = ("Schoolcijfers doorsturen aan: bij een toetsresultaat krijgt ParnasSys ook het "
               "schoolcijfer." if forward else "Schoolcijfers doorsturen uit: ParnasSys krijgt de "
               "toetsresultaten zonder schoolcijfer.")
    for built in (saved_card(T, saved), overview_card(T, overview)):
        check_card(built)
        assert meaning in card_texts(built)
