"""Cards of 'Resultaten uitwisselen': shape, actions, texts, and no key beyond its last four."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from cards import actions as A
from cards import exchange as cards
from cards.common import MENU_ITEMS
from cards.i18n import Texts
from services.exchange_dto import CouplingDTO, CouplingRemovedDTO, CouplingSavedDTO, ExchangeDTO
from services.lvs import STATUSES, SYSTEMS
from tests.cardcheck import card_actions, check_card

T = Texts("nl")


def coupling(status="active", grades=False, **extra) -> CouplingDTO:
    values = dict(id=7, school_id=1, system="momento", system_name="Momento", status=status,
                  masked_key="••••737=", forward_grades=grades,
                  created_at=datetime(2026, 11, 29, 10, 0), created_by="Alex Wilber",
                  verified_at=datetime(2026, 11, 29, 10, 0) if status == "active" else None)
    values.update(extra)
    return CouplingDTO(**values)




def _button(card: dict, title: str) -> dict:
    (match,) = [a for a in card_actions(card) if a["title"] == title]
    return match["data"]


def test_menu_item_opens_the_exchange():
    assert ("menu.exchange", A.EXCHANGE, {}) in MENU_ITEMS
    assert {A.EXCHANGE, A.EXCHANGE_ADD, A.EXCHANGE_GRADES, A.EXCHANGE_REMOVE,
            A.EXCHANGE_VERIFY} <= A.NAVIGATION
    assert A.EXCHANGE_KEY_SAVE not in A.NAVIGATION and A.EXCHANGE_SYSTEM_CHOSEN not in A.NAVIGATION


def test_overview_explains_consent_and_lists_each_coupling():
    overview = ExchangeDTO(1, "OBS De Regenboog", (
        coupling(), coupling(id=8, system="parnassys", system_name="ParnasSys",
                             status="rejected", grades=True, created_by=None)),
        tuple(SYSTEMS.items()))
    card = cards.overview_card(T, overview)
    check_card(card)
    text = json.dumps(card, ensure_ascii=False)
    for expected in ("Resultatenmonitor", "alleen naar Momento", "uitdrukkelijke toestemming",
                     "Actief", "Sleutel geweigerd", "••••737=", "29-11-2026", "Alex Wilber",
                     "onbekend", "kun je niet aanpassen", "Aan observaties"):
        assert expected in text
    assert _button(card, "Koppeling toevoegen") == {"action": A.EXCHANGE_ADD, "school_id": 1}
    grades = [a["data"] for a in card_actions(card) if a["data"]["action"] == A.EXCHANGE_GRADES]
    assert grades == [{"action": A.EXCHANGE_GRADES, "school_id": 1, "coupling_id": 7,
                       "value": "true"},
                      {"action": A.EXCHANGE_GRADES, "school_id": 1, "coupling_id": 8,
                       "value": "false"}]
    replace = [a["data"] for a in card_actions(card) if a["title"] == "Sleutel vervangen"]
    assert replace[1] == {"action": A.EXCHANGE_ADD, "school_id": 1, "system": "parnassys"}
    # 'Opnieuw controleren' only where the status is not settled.
    assert [a["data"]["coupling_id"] for a in card_actions(card)
            if a["title"] == "Opnieuw controleren"] == [8]


def test_overview_without_couplings():
    card = cards.overview_card(T, ExchangeDTO(2, "CBS Het Kompas", (), tuple(SYSTEMS.items())))
    check_card(card)
    assert "nog geen koppeling" in json.dumps(card, ensure_ascii=False)


@pytest.mark.parametrize("status", STATUSES)
def test_every_status_has_a_label_and_a_hint(status):
    assert cards.status_label(T, status) != status
    assert "Momento" in cards.status_hint(T, coupling(status=status))
    assert cards.status_label(Texts("en"), status) != status


def test_choose_system_card_offers_the_three_systems_as_step_answers():
    card = cards.choose_system_card(T, tuple(SYSTEMS.items()), "flow-1")
    check_card(card)
    assert "Stap 1" in json.dumps(card, ensure_ascii=False)
    assert _button(card, "Momento") == {"action": A.EXCHANGE_SYSTEM_CHOSEN, "flow": "flow-1",
                                        "system": "momento"}
    assert [a["title"] for a in card_actions(card)] == ["ParnasSys", "Momento", "Easyrapport",
                                                    "Annuleren"]


def test_key_card_explains_step_1_for_momento_and_hides_the_input():
    card = cards.key_card(T, "momento", "Momento", "flow-1", replacing=True,
                          error="De sleutel bevat een spatie.")
    check_card(card)
    text = json.dumps(card, ensure_ascii=False)
    assert "Instellingen" in text and "bovenaan de pagina" in text and "oefenresultaten" in text
    assert "De sleutel bevat een spatie. Probeer het nog eens." in text
    (field,) = [e for e in card["body"] if e.get("type") == "Input.Text"]
    assert field["id"] == A.INPUT_LVS_KEY and field["style"] == "password"
    assert "value" not in field and "maxLength" not in field  # never prefilled, never cut short
    assert _button(card, "Opslaan") == {"action": A.EXCHANGE_KEY_SAVE, "flow": "flow-1"}
    parnassys = json.dumps(cards.key_card(T, "parnassys", "ParnasSys", "f"), ensure_ascii=False)
    assert "Zet in ParnasSys de automatische koppeling" in parnassys
    assert "Instellingen" not in parnassys


def test_replace_and_remove_ask_first():
    replace = cards.replace_card(T, coupling(), "f")
    remove = cards.confirm_remove_card(T, coupling(), "f")
    for card in (replace, remove):
        check_card(card)
    assert "Vervangen?" in json.dumps(replace, ensure_ascii=False)
    assert _button(replace, "Vervangen") == {"action": A.CONFIRM, "flow": "f"}
    text = json.dumps(remove, ensure_ascii=False)
    assert "toestemming" in text and "••••737=" in text
    assert _button(remove, "Verwijderen") == {"action": A.CONFIRM, "flow": "f"}


def test_outcome_cards():
    for card in (cards.saved_card(T, CouplingSavedDTO(coupling(), replaced=False)),
                 cards.saved_card(T, CouplingSavedDTO(coupling(status="pending"), replaced=True)),
                 cards.grades_card(T, coupling(grades=True)),
                 cards.status_card(T, coupling(status="unreachable")),
                 cards.removed_card(T, CouplingRemovedDTO(1, "momento", "Momento"))):
        check_card(card)
        assert _button(card, "Naar resultaten uitwisselen") == {"action": A.EXCHANGE,
                                                                "school_id": 1}
    grades = cards.grades_card(T, coupling(grades=True))
    assert "worden nu doorgestuurd" in json.dumps(grades, ensure_ascii=False)
    assert _button(grades, "Schoolcijfers uitzetten")["value"] == "false"
    unreadable = cards.overview_card(T, ExchangeDTO(1, "S", (coupling(masked_key=None),), ()))
    assert "onleesbaar" in json.dumps(unreadable, ensure_ascii=False)
