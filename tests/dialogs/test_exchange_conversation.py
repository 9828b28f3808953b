"""Resultaten uitwisselen through the real app: a new user's walk by button titles, and abuse."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import create_app
from services.db import create_engine, create_sessions
from services.exchange.lvs import LvsEndpoint, LvsSettings
from services.models import AuditEvent, LvsCoupling
from tests.conftest import MEGAN_AAD, ON_PG, Chat, fixed_clock, make_settings
from tests.lvs_fake import GOOD_KEY, KLANTCODE, KLANTNAAM, FakeLvs, start_fake_lvs

OTHER_KEY = "Zz99001AB-CD11223344="
SECRETS = (GOOD_KEY, OTHER_KEY, "Pk77881FG", "HJ99777737")


@pytest.fixture
async def lvs(aiohttp_server):
    fake = await start_fake_lvs(aiohttp_server)
    yield fake
    fake.release()


@pytest.fixture
async def lvs_chat(aiohttp_client, migrated_demo_db, lvs: FakeLvs) -> Chat:
    """A chat with a bot whose Momento client talks to the local LVS."""
    endpoint = LvsEndpoint(url=lvs.url, klantcode=KLANTCODE, klantnaam=KLANTNAAM)
    settings = make_settings(migrated_demo_db, lvs=LvsSettings(
        endpoints=(("momento", endpoint),), timeout=1.0, verify_interval=0))
    return Chat(await aiohttp_client(create_app(settings, clock=fixed_clock)))


async def _couplings(db_url: str) -> list[LvsCoupling]:
    engine = create_engine(db_url)
    async with create_sessions(engine)() as session:
        rows = (await session.scalars(select(LvsCoupling))).all()
    await engine.dispose()
    return list(rows)


async def _audit_actions(db_url: str) -> list[str]:
    engine = create_engine(db_url)
    async with create_sessions(engine)() as session:
        rows = (await session.scalars(select(AuditEvent.action).order_by(AuditEvent.id))).all()
    await engine.dispose()
    return list(rows)


def _raw_database(db_url: str) -> bytes:
    db_file = Path(db_url.removeprefix("sqlite+aiosqlite:///"))
    return b"".join(p.read_bytes() for p in db_file.parent.glob(db_file.name + "*"))


def _assert_no_secret(*haystacks: str | bytes) -> None:
    for haystack in haystacks:
        text = haystack.decode("latin-1") if isinstance(haystack, bytes) else haystack
        for secret in SECRETS:
            assert secret not in text


async def _regenboog(chat: Chat) -> None:
    await chat.join()
    await chat.choose_school("OBS De Regenboog (12AB 00)")


async def test_new_user_walk_add_momento_toggle_grades_replace_remove(
        lvs_chat: Chat, lvs: FakeLvs, migrated_demo_db, caplog):
    caplog.set_level(logging.DEBUG)
    chat = lvs_chat
    seen: list[str] = []

    async def click(title: str, **inputs) -> str:
        await chat.click(title, **inputs)
        seen.append(json.dumps(chat.replies, ensure_ascii=False))
        return chat.texts()

    await _regenboog(chat)
    texts = await click("Resultaten uitwisselen")
    assert "Resultatenmonitor" in texts and "alleen oefenresultaten, en alleen naar Momento" in texts
    assert "uitdrukkelijke toestemming" in texts and "nog geen koppeling" in texts

    texts = await click("Koppeling toevoegen")
    assert "Stap 1: zet de koppeling aan in je LVS" in texts and "autorisatiesleutel" in texts
    texts = await click("Momento")
    assert "Instellingen" in texts and "bovenaan de pagina" in texts and "Malmberg" in texts

    # A bad key first: the same card again, saying what is wrong.
    texts = await click("Opslaan", lvs_key="Pk77881FG HJ99777737=")
    assert "op plaats 10 een spatie" in texts and "Probeer het nog eens." in texts
    assert await _couplings(migrated_demo_db) == []
    _assert_no_secret(_raw_database(migrated_demo_db))  # the waiting dialog kept no key
    texts = await click("Opslaan", lvs_key="")
    assert "geen sleutel ingevuld" in texts

    texts = await click("Opslaan", lvs_key=f" {GOOD_KEY} ")
    assert "Koppeling opgeslagen" in texts and "Actief" in texts and "••••737=" in texts
    assert "Momento heeft de sleutel geaccepteerd" in texts
    assert len(await _couplings(migrated_demo_db)) == 1

    texts = await click("Naar resultaten uitwisselen")
    assert "Alex Wilber" in texts and "29-11-2026" in texts and "Actief" in texts
    assert "Schoolcijfers doorsturen" in texts
    texts = await click("Schoolcijfers aanzetten")
    assert "Schoolcijfers worden nu doorgestuurd naar Momento." in texts
    assert "per methode vastgesteld" in texts and "kun je niet aanpassen" in texts
    assert "Aan observaties koppelen we geen schoolcijfers." in texts
    (coupling,) = await _couplings(migrated_demo_db)
    assert coupling.forward_grades

    await click("Naar resultaten uitwisselen")
    texts = await click("Sleutel vervangen")
    assert "Vervangen?" in texts and "••••737=" in texts and "Actief" in texts
    texts = await click("Vervangen")
    assert "Je vervangt de sleutel van de koppeling met Momento." in texts
    texts = await click("Opslaan", lvs_key=OTHER_KEY)
    assert "Sleutel vervangen" in texts and "de oude is gewist" in texts
    assert "Sleutel geweigerd" in texts and "••••344=" in texts
    (coupling,) = await _couplings(migrated_demo_db)
    assert coupling.status == "rejected" and coupling.forward_grades
    _assert_no_secret(_raw_database(migrated_demo_db))

    await click("Naar resultaten uitwisselen")
    texts = await click("Koppeling verwijderen")
    assert "Koppeling verwijderen?" in texts and "trek je de toestemming in" in texts
    texts = await click("Verwijderen")
    assert "Koppeling verwijderd" in texts and "de sleutel is gewist" in texts
    assert await _couplings(migrated_demo_db) == []
    texts = await click("Naar resultaten uitwisselen")
    assert "nog geen koppeling" in texts

    assert [a for a in await _audit_actions(migrated_demo_db) if "lvs" in a] == [
        "add_lvs_coupling", "verify_lvs_coupling", "set_lvs_forward_grades",
        "replace_lvs_coupling", "verify_lvs_coupling", "remove_lvs_coupling"]
    _assert_no_secret(*seen, caplog.text, _raw_database(migrated_demo_db))
    assert [r["autorisatiesleutel"] for r in lvs.requests] == [GOOD_KEY, OTHER_KEY]


async def test_without_an_lvs_endpoint_the_coupling_waits(chat: Chat, migrated_demo_db):
    await _regenboog(chat)
    await chat.say("lvs")  # typed words work too
    await chat.click("Koppeling toevoegen")
    await chat.click("ParnasSys")
    assert "Zet in ParnasSys de automatische koppeling met Malmberg aan." in chat.texts()
    await chat.click("Opslaan", lvs_key=GOOD_KEY)
    assert "Wacht op eerste uitwisseling" in chat.texts() and "Actief" not in chat.texts()
    # Adding the same system again asks first, and cancelling changes nothing.
    await chat.click("Naar resultaten uitwisselen")
    await chat.click("Koppeling toevoegen")
    await chat.click("ParnasSys")
    assert "Vervangen?" in chat.texts() and "Wacht op eerste uitwisseling" in chat.texts()
    await chat.click("Annuleren")
    assert "Er is niets gewijzigd." in chat.texts()
    (coupling,) = await _couplings(migrated_demo_db)
    assert coupling.status == "pending"


async def test_recheck_button_asks_the_lvs_again(lvs_chat: Chat, lvs: FakeLvs, migrated_demo_db):
    chat = lvs_chat
    await _regenboog(chat)
    await chat.click("Resultaten uitwisselen")
    await chat.click("Koppeling toevoegen")
    await chat.click("Momento")
    lvs.mode = "hang"  # the LVS does not answer in time: the bot answers anyway
    await chat.click("Opslaan", lvs_key=GOOD_KEY)
    assert "LVS niet bereikbaar" in chat.texts() and "automatisch opnieuw" in chat.texts()
    lvs.release()
    lvs.mode = "normal"
    await chat.click("Naar resultaten uitwisselen")
    await chat.click("Opnieuw controleren")
    assert "Status van de koppeling" in chat.texts() and "Actief" in chat.texts()


async def test_stale_and_forged_cards_change_nothing(chat: Chat, migrated_demo_db):
    await _regenboog(chat)
    await chat.click("Resultaten uitwisselen")
    await chat.click("Koppeling toevoegen")
    await chat.click("Momento")
    save = chat.button("Opslaan")["data"]
    await chat.click("Opslaan", lvs_key=GOOD_KEY)
    await chat.submit({**save, "lvs_key": OTHER_KEY})  # a double click on the old card
    assert "Deze kaart is verlopen" in chat.texts()
    (coupling,) = await _couplings(migrated_demo_db)

    await chat.submit({"action": "exchange.remove", "school_id": 1, "coupling_id": 9999})
    assert "Deze koppeling bestaat niet (meer)." in chat.texts()
    # The other school's id with this school's coupling: a forged claim.
    await chat.submit({"action": "exchange.grades", "school_id": 2,
                       "coupling_id": coupling.id, "value": "true"})
    assert "andere school" in chat.texts()
    await chat.submit({"action": "exchange.grades", "school_id": 1,
                       "coupling_id": coupling.id, "value": "ja"})
    assert "Er ontbreekt iets in de kaart" in chat.texts()
    await chat.submit({"action": "exchange.add", "school_id": 1, "system": "magister"})
    assert "Kies ParnasSys, Momento of Easyrapport." in chat.texts()
    (after,) = await _couplings(migrated_demo_db)
    assert (after.id, after.forward_grades, after.key_secret) == (
        coupling.id, False, coupling.key_secret)

    # A remove confirmed twice: the second click finds nothing left to do.
    await chat.click("Menu")
    await chat.click("Resultaten uitwisselen")
    await chat.click("Koppeling verwijderen")
    confirm = chat.button("Verwijderen")["data"]
    await chat.click("Verwijderen")
    await chat.submit(confirm)
    assert "Deze kaart is verlopen" in chat.texts()
    assert await _couplings(migrated_demo_db) == []


async def test_a_teacher_gets_no_coupling_and_no_buttons(bot_client, chat: Chat,
                                                         migrated_demo_db):
    await _regenboog(chat)
    await chat.click("Resultaten uitwisselen")
    await chat.click("Koppeling toevoegen")
    await chat.click("Momento")
    await chat.click("Opslaan", lvs_key=GOOD_KEY)
    (coupling,) = await _couplings(migrated_demo_db)
    megan = Chat(bot_client, user_id="user-id-1", name="Megan Bowen", aad=MEGAN_AAD)
    for data in ({"action": "exchange", "school_id": 1},
                 {"action": "exchange.remove", "school_id": 1, "coupling_id": coupling.id},
                 {"action": "exchange.grades", "school_id": 1, "coupling_id": coupling.id,
                  "value": "true"}):
        await megan.submit(data)
        assert "alleen voor ict-coördinatoren" in megan.texts()
        assert "••••737=" not in megan.texts() and "Momento" not in megan.texts()
    (after,) = await _couplings(migrated_demo_db)
    assert not after.forward_grades


async def test_english_texts(chat: Chat):
    await _regenboog(chat)
    await chat.click("Taal / Language")
    await chat.click("English")
    await chat.say("exchange results")
    assert "Exchange results" in chat.texts() and "explicit consent" in chat.texts()
    await chat.click("Add coupling")
    await chat.click("Momento")
    await chat.click("Save", lvs_key="short")
    assert "too short" in chat.texts()


async def test_a_key_typed_into_the_chat_is_never_repeated(chat: Chat, migrated_demo_db):
    await _regenboog(chat)
    await chat.click("Resultaten uitwisselen")
    await chat.click("Koppeling toevoegen")
    await chat.click("Momento")
    for said in (GOOD_KEY, f"mijn sleutel is {GOOD_KEY} klopt dat?", f"sleutel:\n{OTHER_KEY}"):
        await chat.say(said)
        assert "herhaal ik niet" in chat.texts()
        _assert_no_secret(json.dumps(chat.replies, ensure_ascii=False))
    assert await _couplings(migrated_demo_db) == []
    _assert_no_secret(_raw_database(migrated_demo_db))


async def test_an_old_cards_buttons_do_not_act_on_the_next_coupling(chat: Chat, migrated_demo_db):
    """Remove Momento, couple ParnasSys (SQLite gives it the same id, PostgreSQL a new one):
    the buttons of the old overview card name Momento and change nothing."""
    await _regenboog(chat)
    await chat.click("Resultaten uitwisselen")
    await chat.click("Koppeling toevoegen")
    await chat.click("Momento")
    await chat.click("Opslaan", lvs_key=GOOD_KEY)
    await chat.click("Naar resultaten uitwisselen")
    old = {title: chat.button(title)["data"] for title in (
        "Schoolcijfers aanzetten", "Koppeling verwijderen", "Opnieuw controleren")}
    await chat.click("Koppeling verwijderen")
    await chat.click("Verwijderen")
    await chat.click("Naar resultaten uitwisselen")
    await chat.click("Koppeling toevoegen")
    await chat.click("ParnasSys")
    await chat.click("Opslaan", lvs_key=OTHER_KEY)
    (parnassys,) = await _couplings(migrated_demo_db)
    assert (parnassys.id == old["Schoolcijfers aanzetten"]["coupling_id"]) is not ON_PG
    for data in old.values():
        await chat.submit(data)
        assert "Deze koppeling bestaat niet (meer)." in chat.texts()
    (after,) = await _couplings(migrated_demo_db)
    assert (after.system, after.forward_grades) == ("parnassys", False)
