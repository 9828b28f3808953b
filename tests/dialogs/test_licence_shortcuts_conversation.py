"""Automatic linking, topografie and the typed shortcuts through the real app: typos reach the
right confirmation card, nothing changes before 'Koppelen', no match says what was understood."""

from __future__ import annotations

from services.models import LicenceGroup
from tests.conftest import Chat, open_school
from tests.licence_tasks_support import count, licence_id, links, other_school

REGENBOOG = 1


async def test_auto_link_can_be_cancelled_and_typed(chat: Chat, db):
    await open_school(chat)
    before = await count(db, LicenceGroup)
    await chat.say("automatisch koppelen")
    await chat.click("Annuleren")
    assert "Geannuleerd" in chat.texts() and await count(db, LicenceGroup) == before
    await chat.submit({"action": "autolink", "school_id": (await other_school(db))["school"]})
    assert "geen ict-coördinator" in chat.texts()


async def test_topografie_from_help_menu_and_typed(chat: Chat):
    await open_school(chat)
    await chat.click("Hulp")
    assert "Kinderen op licenties" in chat.texts() and "topografie" in chat.texts()
    await chat.click("Topografie")
    texts = chat.texts()
    assert "aparte inloggegevens" in texts and "per e-mail" in texts
    await chat.say("Hoe zit het met de topgrafie licenties?")
    assert "aparte inloggegevens" in chat.texts()
    await chat.click("Menu")
    await chat.click("Kindlicenties")
    await chat.click("Topografie")
    assert "aparte inloggegevens" in chat.texts()


async def test_typed_link_with_typos_reaches_the_confirmation_card(chat: Chat, db):
    await open_school(chat)
    staal5 = await licence_id(db, REGENBOOG, "Staal", "5")
    await chat.say("Kopel groep 5B aan Stal")
    texts = chat.texts()
    assert "Klopt dit?" in texts and "Je koppelt **Groep 5b** aan **Staal groep 5 — 2026-2027**" \
        in texts
    assert await links(db, staal5) == {}  # nothing before the confirmation
    await chat.click("Koppelen")
    assert "Groep 5b is gekoppeld aan Staal groep 5" in chat.texts()
    assert await links(db, staal5) == {"Groep 5b": "manual"}


async def test_typed_link_asks_which_group_and_which_licence(chat: Chat, db):
    await open_school(chat)
    await chat.say("koppel groep 5 aan taal aktief")
    assert "Welke groep bedoel je?" in chat.texts()
    await chat.click("Groep 5a")
    assert "Je koppelt **Groep 5a** aan **Taal actief groep 5 — 2026-2027**" in chat.texts()
    await chat.click("Annuleren")
    assert await links(db, await licence_id(db, REGENBOOG, "Taal actief", "5")) == {}

    await chat.say("koppel groep 6/7 aan pluspnt")
    assert "Welke licentie van Pluspunt?" in chat.texts()
    assert [a["title"] for a in chat.actions()][:2] == ["Pluspunt groep 6", "Pluspunt groep 7"]
    await chat.click("Pluspunt groep 7")
    assert "Je koppelt **Groep 6/7** aan **Pluspunt groep 7 — 2026-2027**" in chat.texts()
    await chat.click("Koppelen")
    assert await links(db, await licence_id(db, REGENBOOG, "Pluspunt", "7")) == {
        "Groep 7": "auto", "Groep 6/7": "manual"}


async def test_typed_link_that_does_not_resolve(chat: Chat, db):
    await open_school(chat)
    before = await count(db, LicenceGroup)
    await chat.say("koppel groep 9z aan pluspunt")
    texts = chat.texts()
    assert "Ik begreep: koppel groep '9z' aan 'pluspunt'." in texts
    assert "Een groep '9z' vond ik niet op je school." in texts
    chat.button("Menu")
    await chat.say("koppel groep 5a aan wiskunde")
    texts = chat.texts()
    assert "Een methode 'wiskunde' vond ik niet" in texts and "Pluspunt, Staal" in texts
    await chat.say("koppel groep 5a aan pluspunt")  # linked already by the demo
    texts = chat.texts()
    assert "Groep 5a is al gekoppeld aan Pluspunt groep 5. Er is niets gewijzigd." in texts
    assert {a["title"] for a in chat.actions()} == {"Licenties koppelen", "Menu"}
    await chat.say("link group 5A to pluspunt")
    assert "Groep 5a is al gekoppeld aan Pluspunt groep 5." in chat.texts()
    assert await count(db, LicenceGroup) == before


async def test_a_typo_in_the_word_groep_still_finds_the_group(chat: Chat, db):
    await open_school(chat)
    for said in ("koppel gorep 6/7 aan plusunt", "koppel grup 6-7 aan de methode pluspunt"):
        await chat.say(said)
        texts = chat.texts()
        assert "Welke groep bedoel je?" not in texts, said
        assert "Welke licentie van Pluspunt?" in texts and "Voor Groep 6/7" in texts, said
        offered = [a["title"] for a in chat.actions() if a["data"]["action"] == "pick.licence"]
        assert offered == ["Pluspunt groep 6", "Pluspunt groep 7"], said
    await chat.click("Pluspunt groep 6")
    assert "Je koppelt **Groep 6/7** aan **Pluspunt groep 6 — 2026-2027**" in chat.texts()
    assert await links(db, await licence_id(db, REGENBOOG, "Pluspunt", "6")) == {}
    # With 6/7 on Pluspunt 6, the same words go straight to the one licence still open.
    await chat.click("Koppelen")
    await chat.say("koppel gorep 6/7 aan plusunt")
    assert "Je koppelt **Groep 6/7** aan **Pluspunt groep 7 — 2026-2027**" in chat.texts()


async def test_other_typed_shortcuts(chat: Chat):
    await open_school(chat)
    await chat.say("kindlicentis")
    assert "Kindlicenties" in chat.texts() and "21 van 30 vrij" in chat.texts()
    await chat.say("kinderne op taal aktief")
    assert "Kinderen op Taal actief" in chat.texts()
    await chat.click("Taal actief groep 6")
    assert "Kinderen gekoppeld" in chat.texts()
    await chat.say("kinderen op rekenrek")
    assert "Ik begreep: kinderen op 'rekenrek'." in chat.texts()
    await chat.say("leerlng sane de vris")
    texts = chat.texts()
    assert "Sanne de Vries" in texts and "Groep 5a" in texts
    assert "Pluspunt groep 5 (via de groep)" in texts
    await chat.click("Groep bekijken")
    assert "Groep 5a" in chat.texts() and "Sanne de Vries" in chat.texts()
    await chat.say("leerling Xerxes Qwerty")
    assert "Ik vond geen leerling die lijkt op 'xerxes qwerty'." in chat.texts()
    await chat.say("schoolgegevns")
    assert "Schoolgegevens" in chat.texts() and "12AB" in chat.texts()
    await chat.say("kinderen op licenties")
    assert "Met kinderen van andere groepen" in chat.texts()


async def test_shortcuts_in_english(chat: Chat, db):
    await open_school(chat)
    await chat.click("Taal / Language")
    await chat.click("English")
    await chat.say("link group 5b to staal")
    assert "Is this right?" in chat.texts() and "**Staal groep 5 — 2026-2027**" in chat.texts()
    await chat.click("Link")
    assert "Groep 5b" in (await links(db, await licence_id(db, REGENBOOG, "Staal", "5")))
    await chat.say("child licenses")
    assert "Child licences" in chat.texts() and "21 of 30 free" in chat.texts()
    await chat.say("pupil Sanne de Vries")
    assert "Pluspunt groep 5 (through the group)" in chat.texts()
    await chat.say("topography")
    assert "separate login details by e-mail" in chat.texts()
    await chat.say("link group 9z to pluspunt")
    assert "I understood: link group '9z' to 'pluspunt'." in chat.texts()


async def test_forged_shortcut_payloads_change_nothing(chat: Chat, db):
    await open_school(chat)
    before = await count(db, LicenceGroup)
    for payload in ({"action": "shortcut.link", "group": 5, "product": "staal"},
                    {"action": "shortcut.link", "group": "5a"},
                    {"action": "shortcut.children", "product": ["x"]},
                    {"action": "shortcut.pupil", "name": {"a": 1}}):
        await chat.submit(payload)
        assert "Dat lukt niet" in chat.texts() and "klopt niet" in chat.texts(), payload
    # Inside the flow: a group or licence that was not offered.
    await chat.say("koppel groep 5 aan staal")
    flow = chat.button("Groep 5a")["data"]["flow"]
    await chat.submit({"action": "pick.group", "flow": flow, "group_id": 1})
    assert "klopt niet" in chat.texts()
    await chat.say("koppel groep 6/7 aan staal")
    flow = chat.button("Staal groep 6")["data"]["flow"]
    await chat.submit({"action": "pick.licence", "flow": flow,
                       "licence_id": await licence_id(db, REGENBOOG, "Pluspunt", "6")})
    assert "klopt niet" in chat.texts()
    assert await count(db, LicenceGroup) == before


async def test_koppelen_links_what_the_preview_showed_not_more(chat: Chat, db):
    from services.models import Group

    await open_school(chat)
    await chat.click("Licenties koppelen")
    await chat.click("Automatisch koppelen")
    assert "Groep 4b" not in chat.texts()
    async with db.begin() as session:  # the nightly sync adds a group while the card is open
        session.add(Group(school_id=REGENBOOG, basispoort_key="12AB-NEW", name="Groep 4b",
                          year_levels="4"))
    await chat.click("Koppelen")
    assert "Automatisch gekoppeld" in chat.texts() and "Groep 4b" not in chat.texts()
    assert await links(db, await licence_id(db, REGENBOOG, "Staal", "4")) == {"Groep 4": "auto"}
    await chat.click("Menu")
    await chat.click("Licenties koppelen")
    await chat.click("Automatisch koppelen")
    assert "Groep 4b" in chat.texts()
