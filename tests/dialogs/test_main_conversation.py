"""Whole conversations: refusals, school data, help, language, forged and stale cards, restart."""

from __future__ import annotations

import json

from sqlalchemy import Select, func, select, update

from bot.app import RUNTIME, create_app
from services.db import create_engine, create_sessions
from services.demo import PLAYGROUND_TENANT
from services.models import AuditEvent, Group, LicenceGroup, Person, Role, School
from tests.cardcheck import card_actions
from tests.conftest import MEGAN_AAD, Chat, fixed_clock, make_settings


async def _db(db_url: str, statement):
    engine = create_engine(db_url)
    async with create_sessions(engine).begin() as session:
        result = await session.execute(statement)
        rows = result.all() if isinstance(statement, Select) else None
    await engine.dispose()
    return rows


async def _regenboog(chat: Chat) -> None:
    await chat.join()
    await chat.choose_school("OBS De Regenboog (12AB 00)")


# -- who may use the bot ------------------------------------------------------------------------

async def test_teacher_gets_a_refusal_naming_the_coordinator(bot_client):
    chat = Chat(bot_client, user_id="user-id-1", name="Megan Bowen", aad=MEGAN_AAD)
    await chat.join()
    assert "Alex Wilber" in chat.texts() and "alleen voor ict-coördinatoren" in chat.texts()
    await chat.say("koppel groep 5a aan staal")
    assert "Alex Wilber" in chat.texts()
    await chat.submit({"action": "licences", "school_id": 1})
    assert "Alex Wilber" in chat.texts()
    assert not [a for a in chat.actions() if a["type"] == "Action.Submit"]


async def test_pupil_gets_the_same_refusal(bot_client, migrated_demo_db):
    await _db(migrated_demo_db, update(Person).where(Person.basispoort_key == "P000001")
              .values(aad_object_id="pupil-aad", aad_tenant_id=PLAYGROUND_TENANT))
    chat = Chat(bot_client, user_id="pupil", name="Leerling", aad="pupil-aad")
    await chat.say("hallo")
    assert "OBS De Regenboog" in chat.texts() and "Alex Wilber" in chat.texts()


async def test_unknown_user_is_told_what_the_bot_is_for(bot_client):
    chat = Chat(bot_client, user_id="someone", name="Iemand", aad="ffffffff-0000")
    await chat.say("menu")
    assert "ict-coördinatoren van scholen die met Malmberg werken" in chat.texts()
    assert "Alex Wilber" not in chat.texts()


async def test_other_tenant_is_refused(aiohttp_client, migrated_demo_db):
    settings = make_settings(migrated_demo_db, allowed_tenants=(PLAYGROUND_TENANT,))
    client = await aiohttp_client(create_app(settings, clock=fixed_clock))
    chat = Chat(client, tenant="another-tenant")
    await chat.say("menu")
    assert "niet beschikbaar voor jouw organisatie" in chat.texts()
    allowed = Chat(client)
    await allowed.say("menu")
    assert "Kies een school" in allowed.texts()


# -- menu, help, LAS, unknown, language ---------------------------------------------------------

async def test_help_typed_in_dutch_or_english(chat: Chat):
    for word in ("help", "Hulp", "HELP!"):
        await chat.say(word)
        assert "073 - 628 87 22" in chat.texts() and "helpdesk.bao@malmberg.nl" in chat.texts()


async def test_creating_users_is_explained_not_done(chat: Chat):
    await _regenboog(chat)
    for said in ("Kun je een nieuwe leerling aanmaken?", "verplaats Sanne naar groep 6",
                 "leerkracht toevoegen"):
        await chat.say(said)
        assert "schooladministratiepakket" in chat.texts(), said
        assert "Basispoort" in chat.texts()


async def test_not_understood_offers_the_menu(chat: Chat):
    await _regenboog(chat)
    await chat.say("wat is het weer morgen")
    assert "Ik begreep 'wat is het weer morgen' niet" in chat.texts()
    await chat.click("Licenties koppelen")  # the menu's choices are right there
    assert "Groepslicenties van OBS De Regenboog" in chat.texts()


async def test_english_is_chosen_and_remembered(chat: Chat, bot_client):
    await _regenboog(chat)
    await chat.click("Taal / Language")
    await chat.click("English")
    assert "What would you like to do?" in chat.texts()
    await chat.click("Link licences")
    assert "Group licences of OBS De Regenboog" in chat.texts()
    other = Chat(bot_client)  # a new conversation of the same user
    await other.say("help")
    assert "Help page" in other.texts()
    await other.say("taal")
    await other.click("Nederlands")
    await other.click("Licenties koppelen")
    assert "Groepslicenties van OBS De Regenboog" in other.texts()


async def test_dutch_even_when_teams_says_en_us(chat: Chat):
    await chat.join()
    assert "Kies een school" in chat.texts()


async def test_switching_school(chat: Chat):
    await _regenboog(chat)
    await chat.click("Andere school")
    await chat.click("CBS Het Kompas (34CD 01)")
    assert "School: CBS Het Kompas" in chat.texts()
    await chat.say("menu")
    assert "School: CBS Het Kompas" in chat.texts()


# -- schoolgegevens -----------------------------------------------------------------------------

async def test_school_data_walk(chat: Chat):
    await _regenboog(chat)
    await chat.click("Schoolgegevens")
    assert "12AB" in chat.texts() and "2026-2027" in chat.texts()
    await chat.click("Groepen")
    assert "Groep 6/7" in chat.texts()
    await chat.click("Bekijken", index=4)  # Groep 5a
    assert "Groep 5a" in chat.texts() and "Megan Bowen" in chat.texts()
    await chat.click("ICT-coördinatoren")
    assert "Alex Wilber" in chat.texts()
    await chat.click("Leerkrachten")
    assert "megan.bowen@obsderegenboog.nl" in chat.texts()
    await chat.click("Leerlingen")
    assert "Pagina 1 van" in chat.texts()
    await chat.click("Volgende", query="")
    assert "Pagina 2 van" in chat.texts()
    await chat.click("Zoeken", query="de vries")
    assert "gevonden voor 'de vries'" in chat.texts()
    await chat.click("Zoeken", query="Zzyzx")
    assert "Geen leerling gevonden" in chat.texts() and "Basispoort" in chat.texts()


async def test_cards_stay_small(chat: Chat):
    await _regenboog(chat)
    for button in ("Licenties koppelen",):
        await chat.click(button)
        assert len(json.dumps(chat.card)) < 80_000
    await chat.submit({"action": "school.pupils", "school_id": 1})
    assert len(json.dumps(chat.card)) < 80_000


# -- forged, garbled and stale payloads ---------------------------------------------------------

async def _fatima(client, db_url) -> Chat:
    """The second coördinator of CBS Het Kompas only."""
    await _db(db_url, update(Person).where(Person.basispoort_key == "coord-fatima")
              .values(aad_object_id="fatima-aad", aad_tenant_id=PLAYGROUND_TENANT))
    return Chat(client, user_id="fatima", name="Fatima el Amrani", aad="fatima-aad")


async def _count(db_url: str, statement) -> int:
    return (await _db(db_url, statement))[0][0]


async def test_forged_ids_of_another_school_are_refused_and_audited(bot_client, migrated_demo_db):
    fatima = await _fatima(bot_client, migrated_demo_db)
    await fatima.say("menu")
    assert "School: CBS Het Kompas" in fatima.texts()
    regenboog_group = (await _db(migrated_demo_db, select(Group.id).join(School)
                                 .where(School.brin == "12AB").limit(1)))[0][0]
    links_before = await _count(migrated_demo_db, select(func.count(LicenceGroup.id)))
    for forged in (
        {"action": "menu", "school_id": 1},
        {"action": "licences", "school_id": 1},
        {"action": "school.group", "school_id": 2, "group_id": regenboog_group},
        {"action": "link.start", "school_id": 2, "licence_id": 1},
        {"action": "unlink.start", "school_id": 2, "licence_id": 1, "group_id": regenboog_group},
    ):
        await fatima.submit(forged)
        assert "Dat lukt niet" in fatima.texts(), forged
        assert "Er is niets gewijzigd" in fatima.texts()
    assert await _count(migrated_demo_db, select(func.count(LicenceGroup.id))) == links_before
    assert await _count(migrated_demo_db, select(func.count(AuditEvent.id))
                        .where(AuditEvent.outcome == "refused")) >= 5


async def test_garbled_fields(chat: Chat):
    await _regenboog(chat)
    for garbled in (
        {"action": "link.start", "school_id": 1, "licence_id": "abc"},
        {"action": "link.start", "school_id": 1},
        {"action": "school.group", "school_id": 1, "group_id": [1, 2]},
        {"action": "menu", "school_id": "één"},
        {"action": "school.pupils", "school_id": 1, "page": "-3"},
    ):
        await chat.submit(garbled)
        assert "Dat lukt niet" in chat.texts(), garbled
    await chat.submit({"action": "does.not.exist", "school_id": 1})
    assert "verlopen" in chat.texts()
    await chat.submit({"no": "action"})
    assert "verlopen" in chat.texts()


async def _start_link(chat: Chat) -> None:
    await _regenboog(chat)
    await chat.click("Licenties koppelen")
    await chat.click("Koppel Naut groep 5")


async def test_double_click_and_old_cards_change_nothing(chat: Chat, migrated_demo_db):
    await _start_link(chat)
    choices = chat.choices("group_ids")
    first_card = chat.card
    await chat.click("Verder", group_ids=list(choices.values())[0])
    confirm = chat.button("Koppelen")["data"]
    await chat.submit(confirm)
    assert "Gekoppeld" in chat.texts()
    links = await _count(migrated_demo_db, select(func.count(LicenceGroup.id)))
    await chat.submit(confirm)  # double click
    assert "Deze kaart is verlopen" in chat.texts()
    assert await _count(migrated_demo_db, select(func.count(LicenceGroup.id))) == links

    # A new flow, then a button of the first flow's card: told to use the latest card.
    await chat.click("Menu")
    await chat.click("Licenties koppelen")
    await chat.click("Koppel Kleuterplein groep 1/2")
    old_next = next(a for a in card_actions(first_card) if a["title"] == "Verder")
    await chat.submit({**old_next["data"], "group_ids": list(choices.values())[1]})
    assert "laatste kaart" in chat.texts()
    assert await _count(migrated_demo_db, select(func.count(LicenceGroup.id))) == links


async def test_group_deleted_between_choice_and_confirm(chat: Chat, migrated_demo_db):
    links = await _count(migrated_demo_db, select(func.count(LicenceGroup.id)))
    await _start_link(chat)
    choices = list(chat.choices("group_ids").values())
    await chat.click("Verder", group_ids=",".join(choices[:2]))
    await _db(migrated_demo_db, update(Group).where(Group.id == int(choices[1]))
              .values(deleted_at=func.now()))
    await chat.click("Koppelen")
    assert "bestaat niet (meer)" in chat.texts() and "Er is niets gewijzigd" in chat.texts()
    assert await _count(migrated_demo_db, select(func.count(LicenceGroup.id))) == links


async def test_cancel_changes_nothing(chat: Chat, migrated_demo_db):
    links = await _count(migrated_demo_db, select(func.count(LicenceGroup.id)))
    await _start_link(chat)
    await chat.click("Verder", group_ids=list(chat.choices("group_ids").values())[0])
    await chat.click("Annuleren")
    assert "Geannuleerd" in chat.texts()
    assert await _count(migrated_demo_db, select(func.count(LicenceGroup.id))) == links


async def test_typing_during_a_flow_leaves_it(chat: Chat):
    await _start_link(chat)
    verder = chat.button("Verder")["data"]
    await chat.say("help")
    assert "Hulp" in chat.texts()
    await chat.submit({**verder, "group_ids": "1"})  # the flow was left: this card is stale now
    assert "verlopen" in chat.texts()


# -- restart ------------------------------------------------------------------------------------

async def test_dialog_continues_after_a_restart(aiohttp_client, migrated_demo_db):
    first = await aiohttp_client(create_app(make_settings(migrated_demo_db), clock=fixed_clock))
    chat = Chat(first)
    await _start_link(chat)
    choice = list(chat.choices("group_ids").values())[0]
    verder = chat.button("Verder")["data"]
    await first.close()

    second = await aiohttp_client(create_app(make_settings(migrated_demo_db), clock=fixed_clock))
    chat.client = second
    await chat.submit({**verder, "group_ids": choice})
    assert "Klopt dit?" in chat.texts()
    await chat.click("Koppelen")
    assert "Gekoppeld" in chat.texts()
    await chat.click("Naar de licenties")
    assert "(handmatig gekoppeld)" in chat.texts()


async def test_turn_error_clears_the_dialog_and_apologises(chat: Chat, bot_client, monkeypatch):
    await _start_link(chat)
    services = bot_client.server.app[RUNTIME].services

    async def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(services.links, "preview_link", broken)
    await chat.click("Verder", group_ids=list(chat.choices("group_ids").values())[0])
    assert "er ging iets mis aan mijn kant" in chat.texts()
    assert "tel:+31736288722" in [a.get("url") for a in chat.actions()]  # the helpdesk, tappable
    monkeypatch.undo()
    await chat.say("menu")
    assert "Wat wil je doen?" in chat.texts()


async def test_role_lookup_is_fresh_every_turn(chat: Chat, migrated_demo_db):
    await _regenboog(chat)
    await _db(migrated_demo_db, update(Role).where(Role.role == "coordinator",
                                                   Role.school_id == 1).values(role="teacher"))
    await chat.click("Licenties koppelen")
    assert "Licenties koppelen" not in [a.get("title") for a in chat.actions()]
    assert "Groepslicenties" not in chat.texts()


async def test_a_pasted_key_is_never_echoed(chat: Chat):
    await _regenboog(chat)
    await chat.say("Pk77881FG-HJ99777737=")
    assert "Pk77881FG" not in chat.texts()
    assert "herhaal ik niet" in chat.texts()
    await chat.say("wat kost een licentie")
    assert "Ik begreep 'wat kost een licentie' niet" in chat.texts()


async def test_a_confirmation_pressed_three_times_at_once_links_once(chat: Chat,
                                                                     migrated_demo_db):
    await _start_link(chat)
    await chat.click("Verder", group_ids=list(chat.choices("group_ids").values())[0])
    links = await _count(migrated_demo_db, select(func.count(LicenceGroup.id)))
    texts = await chat.submit_at_once(chat.button("Koppelen")["data"], 3)
    assert sum("Gekoppeld" in t for t in texts) == 1, texts
    assert not any("ging iets mis" in t.lower() for t in texts), texts
    assert all("Gekoppeld" in t or "verlopen" in t or "al gedaan" in t for t in texts), texts
    assert await _count(migrated_demo_db, select(func.count(LicenceGroup.id))) == links + 1
    actions = await _count(migrated_demo_db, select(func.count(AuditEvent.id))
                           .where(AuditEvent.action == "link_groups"))
    assert actions == 1
    await chat.say("menu")  # the conversation goes on
    assert "Licenties koppelen" in chat.texts()


async def test_a_next_step_pressed_twice_at_once_asks_once(chat: Chat, migrated_demo_db):
    await _start_link(chat)
    group = list(chat.choices("group_ids").values())[0]
    texts = await chat.submit_at_once({**chat.button("Verder")["data"], "group_ids": group}, 2)
    assert sum("Koppelen" in t for t in texts) == 1, texts
    assert not any("ging iets mis" in t.lower() for t in texts), texts
