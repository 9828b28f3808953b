"""Whole conversations through the real app: welcome, school choice, link and unlink."""

from __future__ import annotations

from sqlalchemy import select

from services.db import create_engine, create_sessions
from services.models import Group, Licence, LicenceGroup, Product
from tests.conftest import Chat


async def test_welcome_is_the_menu_with_the_school_to_choose_first(chat: Chat):
    await chat.join()
    assert "Hallo Alex Wilber!" in chat.texts()
    assert "Kies een school" in chat.texts()
    menu = ("Licenties koppelen", "Kinderen op licenties", "Kindlicenties", "Pincodes",
            "Resultaten uitwisselen", "Schoolgegevens", "Wijzigingen", "Hulp")
    for item in menu:
        assert "school_id" not in chat.button(item)["data"]  # the drop-down sends it along
    schools = chat.choices("school_id")
    assert list(schools) == ["CBS Het Kompas (34CD 01)", "OBS De Regenboog (12AB 00)"]

    # A client that skips the required drop-down still gets asked for the school first,
    # and choosing it then opens what was asked for.
    await chat.click("Licenties koppelen")
    assert "Kies een school" in chat.texts() and "Groepslicenties" not in chat.texts()
    await chat.click("CBS Het Kompas (34CD 01)")
    assert "Groepslicenties van CBS Het Kompas" in chat.texts()
    await chat.join()
    await chat.click("Licenties koppelen", school_id=schools["OBS De Regenboog (12AB 00)"])
    assert "Groepslicenties van OBS De Regenboog" in chat.texts()
    # The school is remembered: the menu now names it, and offers to switch.
    await chat.say("menu")
    assert "School: OBS De Regenboog" in chat.texts()
    for item in menu:
        chat.button(item)
    chat.button("Andere school")



async def _links(db_url: str, licence_id: int) -> set[str]:
    engine = create_engine(db_url)
    async with create_sessions(engine)() as session:
        rows = await session.scalars(
            select(Group.name).join(LicenceGroup, LicenceGroup.group_id == Group.id)
            .where(LicenceGroup.licence_id == licence_id))
        names = set(rows.all())
    await engine.dispose()
    return names


async def _licence_id(db_url: str, product: str, levels: str, school_id: int = 1) -> int:
    engine = create_engine(db_url)
    async with create_sessions(engine)() as session:
        lid = await session.scalar(
            select(Licence.id).join(Product).where(Product.name == product,
                                                   Licence.year_levels == levels,
                                                   Licence.school_id == school_id))
    await engine.dispose()
    return lid


async def test_link_two_groups_then_unlink_one(chat: Chat, migrated_demo_db):
    await chat.join()
    await chat.choose_school("OBS De Regenboog (12AB 00)")
    await chat.click("Licenties koppelen")
    await chat.page_to("Koppel Staal groep 5")
    licence_id = await _licence_id(migrated_demo_db, "Staal", "5")
    await chat.submit(next(a["data"] for a in chat.actions()
                           if a["data"].get("licence_id") == licence_id
                           and a["data"]["action"] == "link.start"))
    choices = chat.choices("group_ids")
    first = list(choices)[:2]
    assert all("past bij deze licentie" in c for c in first)  # Groep 5a and 5b fit, come first
    await chat.click("Verder", group_ids=",".join(choices[c] for c in first))
    assert "Klopt dit?" in chat.texts()
    await chat.click("Koppelen")
    assert "Gekoppeld" in chat.texts()
    assert await _links(migrated_demo_db, licence_id) == {"Groep 5a", "Groep 5b"}

    # The licence list shows the links, marked as made by hand.
    await chat.click("Naar de licenties")
    assert "Groep 5a (handmatig gekoppeld)" in chat.texts()

    unlink = next(a["data"] for a in chat.actions() if a["data"].get("action") == "unlink.start"
                  and a["data"].get("licence_id") == licence_id)
    await chat.submit(unlink)
    assert "Groep ontkoppelen?" in chat.texts()
    await chat.click("Ontkoppelen")
    assert "is ontkoppeld van" in chat.texts()
    assert len(await _links(migrated_demo_db, licence_id)) == 1
