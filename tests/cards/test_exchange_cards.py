"""Cards of 'Resultaten uitwisselen': shape, actions, texts, and no key beyond its last four."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from cards import actions as A
from cards import exchange as cards
from cards.actions.exchange import (
    EXCHANGE,
    EXCHANGE_ADD,
    EXCHANGE_GRADES,
    EXCHANGE_KEY_SAVE,
    EXCHANGE_REMOVE,
    EXCHANGE_SYSTEM_CHOSEN,
    EXCHANGE_VERIFY,
    INPUT_LVS_KEY,
)
from cards.common import MENU_ITEMS
from cards.i18n import Texts
from dialogs.registry import navigation_actions
from services.exchange.lvs import STATUSES, SYSTEMS
from services.exchange.results import CouplingDTO, CouplingRemovedDTO, CouplingSavedDTO, ExchangeDTO
from tests.cardcheck import card_actions, check_card

T = Texts("nl")

NAVIGATION = navigation_actions()


def coupling(status="active", grades=False, **extra) -> CouplingDTO:
    values = dict(id=7, school_id=1, system="momento", system_name="Momento", status=status,
                  masked_key="••••737=", forward_grades=grades,
                  created_at=datetime(2026, 11, 29, 10, 0), created_by="Alex Wilber",
                  verified_at=datetime(2026, 11, 29, 10, 0) if status == "active" else None)
    values.update(extra)
    return CouplingDTO(**values)




def _button(card: dict, title: str) -> dict:
    matches = [a for a in card_actions(card) if a["title"] == title]
    # One button; an Action.Execute carries its Action.Submit fallback with the same data.
    assert matches and all(m["data"] == matches[0]["data"] for m in matches)
    assert len(matches) == 1 or matches[0].get("fallback") == matches[1]
    return matches[0]["data"]


def test_menu_item_opens_the_exchange():
    assert ("menu.exchange", EXCHANGE, {}) in MENU_ITEMS
    assert {EXCHANGE, EXCHANGE_ADD, EXCHANGE_GRADES, EXCHANGE_REMOVE,
            EXCHANGE_VERIFY} <= NAVIGATION
    assert EXCHANGE_KEY_SAVE not in NAVIGATION and EXCHANGE_SYSTEM_CHOSEN not in NAVIGATION


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
    assert _button(card, "Koppeling toevoegen") == {"action": EXCHANGE_ADD, "school_id": 1}
    grades = [a["data"] for a in card_actions(card) if a["data"]["action"] == EXCHANGE_GRADES]
    assert grades == [{"action": EXCHANGE_GRADES, "school_id": 1, "coupling_id": 7,
                       "system": "momento", "value": "true"},
                      {"action": EXCHANGE_GRADES, "school_id": 1, "coupling_id": 8,
                       "system": "parnassys", "value": "false"}]
    # Every button that acts on a coupling names its LVS too (a removed coupling's id is reused).
    removes = [a["data"] for a in card_actions(card) if a["title"] == "Koppeling verwijderen"]
    assert removes[0] == {"action": EXCHANGE_REMOVE, "school_id": 1, "coupling_id": 7,
                          "system": "momento"}
    rechecks = [a["data"] for a in card_actions(card) if a["title"] == "Opnieuw controleren"]
    assert rechecks == [{"action": EXCHANGE_VERIFY, "school_id": 1, "coupling_id": 8,
                         "system": "parnassys"}]
    replace = [a["data"] for a in card_actions(card) if a["title"] == "Sleutel vervangen"]
    assert replace[1] == {"action": EXCHANGE_ADD, "school_id": 1, "system": "parnassys"}
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
    assert _button(card, "Momento") == {"action": EXCHANGE_SYSTEM_CHOSEN, "flow": "flow-1",
                                        "system": "momento"}
    assert [a["title"] for a in card_actions(card)] == ["ParnasSys", "Momento", "Easyrapport",
                                                    "Annuleren"]


def test_key_card_explains_step_1_for_momento_and_has_no_unnamed_reveal_button():
    card = cards.key_card(T, "momento", "Momento", "flow-1", replacing=True,
                          error="De sleutel bevat een spatie.")
    check_card(card)
    text = json.dumps(card, ensure_ascii=False)
    assert "Instellingen" in text and "bovenaan de pagina" in text and "oefenresultaten" in text
    assert "De sleutel bevat een spatie. Probeer het nog eens." in text
    (field,) = [e for e in card["body"] if e.get("type") == "Input.Text"]
    # A password field gets a reveal button from Teams that has no title for a screen reader.
    assert field["id"] == INPUT_LVS_KEY and field.get("style") != "password"
    assert "value" not in field and "maxLength" not in field  # never prefilled, never cut short
    assert _button(card, "Opslaan") == {"action": EXCHANGE_KEY_SAVE, "flow": "flow-1"}
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
        assert _button(card, "Naar resultaten uitwisselen") == {"action": EXCHANGE,
                                                                "school_id": 1}
    grades = cards.grades_card(T, coupling(grades=True))
    assert "worden nu doorgestuurd" in json.dumps(grades, ensure_ascii=False)
    assert _button(grades, "Schoolcijfers uitzetten")["value"] == "false"
    unreadable = cards.overview_card(T, ExchangeDTO(1, "S", (coupling(masked_key=None),), ()))
    assert "onleesbaar" in json.dumps(unreadable, ensure_ascii=False)


@pytest.mark.parametrize("make", [
    lambda c: cards.saved_card(T, CouplingSavedDTO(c, replaced=False)),
    lambda c: cards.status_card(T, c),
])
def test_a_refused_key_offers_sleutel_vervangen_where_its_hint_says_so(make):
    refused = make(coupling(status="rejected"))
    assert "Kies daarna 'Sleutel vervangen'" in json.dumps(refused, ensure_ascii=False)
    assert _button(refused, "Sleutel vervangen") == {"action": EXCHANGE_ADD, "school_id": 1,
                                                     "system": "momento"}
    assert "Sleutel vervangen" not in [a["title"] for a in card_actions(make(coupling()))]


@pytest.mark.parametrize(("stored", "shown"), [
    (datetime(2026, 11, 29, 23, 30, tzinfo=UTC), "30-11-2026"),  # 00:30 in the Netherlands
    (datetime(2026, 11, 29, 23, 30), "30-11-2026"),  # as SQLite hands it back: UTC, no zone
    (datetime(2026, 7, 31, 21, 59, tzinfo=UTC), "31-07-2026"),  # summer time: 23:59
    (datetime(2026, 7, 31, 22, 0, tzinfo=UTC), "01-08-2026"),
])
def test_dates_are_the_dutch_calendar_day(stored, shown):
    text = json.dumps(cards.status_card(T, coupling(created_at=stored)), ensure_ascii=False)
    assert shown in text
