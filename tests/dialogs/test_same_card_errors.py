"""A wrong answer comes back in the card it was typed in: through the real app and a local Bot
Connector, Action.Execute answers replace the form in place (no new messages), the Action.Submit
fallback updates the same message, and buttons of an older state of the form change nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.app import create_app
from services.exchange.lvs import LvsEndpoint, LvsSettings
from services.models import Licence, Product
from tests.conftest import fixed_clock, make_settings
from tests.connector_support import Connector, ConnectorChat
from tests.lvs_fake import GOOD_KEY, KLANTCODE, KLANTNAAM, start_fake_lvs
from tests.pincode_support import CARD, stored_codes

REGENBOOG = 1
WRONG = (("1234", "rijtje opeenvolgende cijfers"), ("7777", "Alle cijfers zijn hetzelfde"),
         ("", "Typ een nieuwe pincode"))


async def _regenboog(chat: ConnectorChat) -> None:
    await chat.join()
    await chat.choose_school("OBS De Regenboog (12AB 00)")


def _save_button(card: dict) -> dict:
    (save,) = [a for a in card["actions"] if a["title"] == "Wijzig pincode"]
    assert save["type"] == "Action.Execute" and save["fallback"]["type"] == "Action.Submit"
    return save


async def _open_change_form(chat: ConnectorChat) -> str:
    """Open Groep 4 and press the first pupil's 'Wijzig <name>': the pupil's name."""
    await _regenboog(chat)
    await chat.click("Pincodes")
    await chat.click("Groep 4")
    row = next(e for e in chat.card["body"] if e.get("type") == "ColumnSet")
    name = row["columns"][0]["items"][0]["text"]
    await chat.click(row["columns"][1]["items"][0]["actions"][0]["title"])
    assert "Wijzig pincode" in chat.texts() and name in chat.texts()
    return name


async def test_three_wrong_pincodes_update_one_card_three_times(cchat: ConnectorChat,
                                                              connector: Connector, db):
    pupil = await _open_change_form(cchat)
    before = await stored_codes(db, "Groep 4", REGENBOOG)
    form_message, posted = cchat.message_id, len(connector.posted)
    first_save = _save_button(cchat.card)
    tokens = {first_save["data"]["flow"]}
    for code, reason in WRONG:
        card = await cchat.execute("Wijzig pincode", new_code=code)
        assert reason in json.dumps(card, ensure_ascii=False), code
        assert "Wijzig pincode" in [a["title"] for a in card["actions"]]
        tokens.add(_save_button(card)["data"]["flow"])
    assert len(connector.posted) == posted and connector.updated == []  # no new card at all
    assert len(tokens) == 4  # each state of the form answers only once
    assert cchat.message_id == form_message

    # The first state's button (e.g. from a second device that did not refresh yet): a short
    # message, the card stays, nothing changes.
    status, body = await cchat.invoke({"verb": first_save["verb"],
                                       "data": {**first_save["data"], "new_code": "482915"}})
    assert status == 200 and body["type"] == "application/vnd.microsoft.activity.message"
    assert "laatste kaart" in body["value"]
    assert await stored_codes(db, "Groep 4", REGENBOOG) == before

    new = "730519" if before[pupil][1] != "730519" else "730529"
    result = await cchat.execute("Wijzig pincode", new_code=new)
    assert "Pincode gewijzigd" in json.dumps(result) and new in json.dumps(result)
    assert len(connector.posted) == posted  # the result, too, took the form's place
    assert (await stored_codes(db, "Groep 4", REGENBOOG))[pupil][1] == new

    # After the flow: the old form's button is refused and changes nothing.
    status, body = await cchat.invoke({"verb": first_save["verb"],
                                       "data": {**first_save["data"], "new_code": "482915"}})
    assert status == 200 and "verlopen" in json.dumps(body, ensure_ascii=False)
    assert (await stored_codes(db, "Groep 4", REGENBOOG))[pupil][1] == new


async def test_generate_and_cancel_also_answer_in_the_card(cchat: ConnectorChat,
                                                           connector: Connector, db):
    await _open_change_form(cchat)
    posted = len(connector.posted)
    cancelled = await cchat.execute("Annuleren")
    assert "Wijzig pincode" not in [a["title"] for a in cancelled.get("actions", [])]
    await cchat.click("Menu")
    assert len(connector.posted) == posted + 1
    await cchat.click("Pincodes")
    await cchat.click("Groep 4")
    row = next(e for e in cchat.card["body"] if e.get("type") == "ColumnSet")
    await cchat.click(row["columns"][1]["items"][0]["actions"][0]["title"])
    posted = len(connector.posted)
    generated = await cchat.execute("Bedenk er een voor mij")
    assert "Pincode gewijzigd" in json.dumps(generated)
    assert len(connector.posted) == posted


async def test_without_action_execute_the_fallback_updates_the_same_message(
        cchat: ConnectorChat, connector: Connector, db):
    pupil = await _open_change_form(cchat)
    before = await stored_codes(db, "Groep 4", REGENBOOG)
    form_message, posted = cchat.message_id, len(connector.posted)
    first_save = _save_button(cchat.card)["fallback"]
    for code, reason in WRONG:
        await cchat.submit({**_save_button(cchat.card)["fallback"]["data"], "new_code": code})
        assert reason in cchat.texts(), code
    assert len(connector.posted) == posted  # no new card: the form's message was updated
    assert [message for message, _ in connector.updated] == [form_message] * 3

    await cchat.submit({**first_save["data"], "new_code": "482915"})  # an older state's button
    assert len(connector.posted) == posted + 1
    assert "laatste kaart" in (connector.posted[-1].get("text") or "")
    assert not connector.posted[-1].get("attachments")
    assert await stored_codes(db, "Groep 4", REGENBOOG) == before
    assert pupil in before


@pytest.fixture
async def lvs_cchat(aiohttp_client, aiohttp_server, migrated_demo_db, connector):
    lvs = await start_fake_lvs(aiohttp_server)
    endpoint = LvsEndpoint(url=lvs.url, klantcode=KLANTCODE, klantnaam=KLANTNAAM)
    settings = make_settings(migrated_demo_db, lvs=LvsSettings(
        endpoints=(("momento", endpoint),), timeout=1.0, verify_interval=0))
    yield ConnectorChat(await aiohttp_client(create_app(settings, clock=fixed_clock)), connector)
    lvs.release()


async def test_a_badly_pasted_lvs_key_comes_back_in_the_same_card(lvs_cchat: ConnectorChat,
                                                                  connector: Connector):
    chat = lvs_cchat
    await _regenboog(chat)
    await chat.click("Resultaten uitwisselen")
    await chat.click("Koppeling toevoegen")
    await chat.click("Momento")
    posted = len(connector.posted)
    tokens = set()
    for key, reason in (("Pk77881FG HJ99777737=", "spatie"), ("", "")):
        card = await chat.execute("Opslaan", lvs_key=key)
        text = json.dumps(card, ensure_ascii=False)
        assert "Probeer het nog eens" in text and reason in text
        (save,) = [a for a in card["actions"] if a["title"] == "Opslaan"]
        tokens.add(save["data"]["flow"])
    assert len(tokens) == 2
    saved = await chat.execute("Opslaan", lvs_key=GOOD_KEY)
    assert GOOD_KEY not in json.dumps(saved) and "Opslaan" not in json.dumps(saved)
    assert len(connector.posted) == posted and connector.updated == []
    assert saved["type"] == "AdaptiveCard" and CARD


async def _staal_5(db) -> int:
    async with db() as session:
        return await session.scalar(
            select(Licence.id).join(Product).where(Product.name == "Staal",
                                                   Licence.year_levels == "5",
                                                   Licence.school_id == REGENBOOG))


async def test_linking_with_no_group_chosen_says_so_in_the_same_card(cchat: ConnectorChat,
                                                                     connector: Connector, db):
    await _regenboog(cchat)
    await cchat.submit({"action": "link.start", "school_id": REGENBOOG,
                        "licence_id": await _staal_5(db)})
    posted = len(connector.posted)
    card = await cchat.execute("Verder")  # a client that does not enforce isRequired
    text = json.dumps(card, ensure_ascii=False)
    assert "Je hebt niets gekozen." in text and "group_ids" in text
    choices = cchat.choices("group_ids")
    confirm = await cchat.execute("Verder", group_ids=next(iter(choices.values())))
    assert "Koppelen" in [a["title"] for a in confirm["actions"]]
    assert len(connector.posted) == posted and connector.updated == []


async def test_a_ticket_without_a_reason_says_so_in_the_same_card(cchat: ConnectorChat,
                                                                  connector: Connector):
    await _regenboog(cchat)
    await cchat.click("Kindlicenties")
    await cchat.click("Open Bingel groep 3 t/m 8")
    await cchat.click("Verkeerd kind gekoppeld?")
    posted = len(connector.posted)
    wrong = next(iter(cchat.choices("wrong_child").values()))
    card = await cchat.execute("Verder", wrong_child=wrong, reason="   ",
                               intended_group="none")
    assert "Schrijf kort waarom" in json.dumps(card, ensure_ascii=False)
    (chosen,) = [e for e in card["body"] if e.get("id") == "wrong_child"]
    assert chosen["value"] == wrong  # what was chosen stays chosen
    card = await cchat.execute("Verder", wrong_child=wrong, reason="Verwisseld",
                               intended_group="none")
    assert "Melding naar de helpdesk" in json.dumps(card, ensure_ascii=False)
    assert len(connector.posted) == posted and connector.updated == []


async def test_the_child_picker_stays_one_card(cchat: ConnectorChat, connector: Connector):
    await _regenboog(cchat)
    await cchat.click("Kinderen op licenties")
    await cchat.click("Taal actief groep 6")
    await cchat.click("Kind toevoegen")
    posted = len(connector.posted)
    first_search = next(a for a in cchat.actions() if a["title"] == "Zoeken")
    card = await cchat.execute("Zoeken")  # no group, no name
    assert "Kies een groep of typ" in json.dumps(card, ensure_ascii=False)
    await cchat.execute("Groep 8")
    card = await cchat.execute("Verder")  # nothing ticked
    assert "Kies minstens één kind." in json.dumps(card, ensure_ascii=False)
    assert len(connector.posted) == posted and connector.updated == []
    status, body = await cchat.invoke({"verb": first_search["verb"],
                                       "data": {**first_search["data"], "query": "de vries"}})
    assert body["type"] == "application/vnd.microsoft.activity.message"  # an older state
