"""Whole conversations about the nightly sync: 'Wijzigingen', and the morning summary's buttons
tapped as a coördinator would, also after the situation changed."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from cards.i18n import Texts
from cards.notifications import outbox_card
from services.db import create_engine, create_sessions
from services.models import AuditEvent, Group, Licence, LicenceGroup, OutboxMessage, Product
from tests.cardcheck import card_actions, card_texts, check_card
from tests.conftest import Chat


async def _rows(db_url: str, statement):
    engine = create_engine(db_url)
    try:
        async with create_sessions(engine)() as session:
            return (await session.execute(statement)).all()
    finally:
        await engine.dispose()


async def _summary(db_url: str, language: str | None = None) -> dict:
    """The morning summary the demo's later delivery left in the outbox, as Teams shows it."""
    (message,) = (await _rows(db_url, select(OutboxMessage)))[0]
    card = outbox_card(Texts(language), message.kind, json.loads(message.payload))
    check_card(card)
    return card


def _button(card: dict, title: str, tooltip: str | None = None) -> dict:
    matches = [a for a in card_actions(card) if a.get("title") == title
               and (tooltip is None or a.get("tooltip") == tooltip)]
    assert matches, f"no {title!r} in {[a.get('title') for a in card_actions(card)]}"
    return matches[0]["data"]


async def _links_of(db_url: str, group_name: str) -> set[str]:
    rows = await _rows(db_url, select(Product.name, Licence.year_levels)
                       .join(Licence, Licence.product_id == Product.id)
                       .join(LicenceGroup, LicenceGroup.licence_id == Licence.id)
                       .join(Group, Group.id == LicenceGroup.group_id)
                       .where(Group.name == group_name, Group.school_id == 1))
    return {f"{name} {levels}" for name, levels in rows}


async def _regenboog(chat: Chat) -> None:
    await chat.join()
    await chat.choose_school("OBS De Regenboog (12AB 00)")


async def test_the_summary_names_what_changed_and_each_button_what_it_acts_on(migrated_demo_db):
    card = await _summary(migrated_demo_db)
    shown = "\n".join(card_texts(card))
    # Titled with the run's own day and time, not "last night": a delivery may come by day.
    assert re.search(r"Wijzigingen uit Basispoort van \w+dag \d\d-\d\d-\d{4} om \d\d:\d\d", shown)
    assert "vannacht" not in shown and "OBS De Regenboog" in shown
    assert "1 nieuwe groep: Groep 5b" in shown
    assert "Groep 5b heeft nog geen licentie voor Staal groep 5." in shown
    assert "Groep 5b is gekoppeld aan Pluspunt groep 5" in shown
    titles = [a["title"] for a in card_actions(card)]
    # One group, three licences: each button names the group and the licence it links.
    assert {"Groep 5b → Naut groep 5", "Groep 5b → Staal groep 5", "Groep 5b → Taal actief groep 5",
            "Ontkoppel Groep 5b → Pluspunt groep 5"} <= set(titles)
    assert len(titles) == len(set(titles))
    tooltips = {a.get("tooltip") for a in card_actions(card)}
    assert {"Koppel Groep 5b aan Staal groep 5", "Ontkoppel Groep 5b van Pluspunt groep 5"
            } <= tooltips
    assert len(json.dumps(card)) < 12_000


async def test_the_summary_in_english_keeps_names_as_the_school_knows_them(migrated_demo_db):
    shown = "\n".join(card_texts(await _summary(migrated_demo_db, "en")))
    assert "Changes from Basispoort of " in shown and "1 new group: Groep 5b" in shown
    assert "Groep 5b has no licence for Staal groep 5 yet." in shown


async def test_link_now_links_with_one_confirmation_even_later(bot_client, migrated_demo_db):
    card = await _summary(migrated_demo_db)
    chat = Chat(bot_client)
    await chat.join()
    naut = _button(card, "Groep 5b → Naut groep 5", "Koppel Groep 5b aan Naut groep 5")
    await chat.submit(naut)
    assert "Je koppelt **Groep 5b** aan **Naut groep 5" in chat.texts()
    await chat.click("Koppelen")
    assert "Groep 5b is gekoppeld aan Naut" in chat.texts()
    assert "Naut 5" in await _links_of(migrated_demo_db, "Groep 5b")
    # Tapped again from the same summary: it says so, and nothing changes.
    before = await _rows(migrated_demo_db, select(LicenceGroup.id))
    await chat.submit(naut)
    assert "al aan de licentie gekoppeld" in chat.texts()
    assert await _rows(migrated_demo_db, select(LicenceGroup.id)) == before


async def test_undo_unlinks_the_automatic_link_after_a_confirmation(bot_client, migrated_demo_db):
    card = await _summary(migrated_demo_db)
    chat = Chat(bot_client)
    await chat.join()
    await chat.submit(_button(card, "Ontkoppel Groep 5b → Pluspunt groep 5"))
    assert "Pluspunt" in chat.texts()
    await chat.click("Ontkoppelen")
    assert "Groep 5b is ontkoppeld" in chat.texts()
    assert "Pluspunt 5" not in await _links_of(migrated_demo_db, "Groep 5b")


async def test_a_forged_summary_button_for_another_school_changes_nothing(bot_client,
                                                                         migrated_demo_db):
    card = await _summary(migrated_demo_db)
    data = _button(card, "Groep 5b → Naut groep 5")
    (kompas_licence,) = (await _rows(migrated_demo_db, select(Licence.id).where(
        Licence.school_id == 2, Licence.model == "group").limit(1)))[0]
    chat = Chat(bot_client)
    await chat.join()
    before = await _rows(migrated_demo_db, select(LicenceGroup.id))
    await chat.submit({**data, "licence_id": kompas_licence})
    assert "Koppelen" not in [a.get("title") for a in chat.actions()]
    assert await _rows(migrated_demo_db, select(LicenceGroup.id)) == before
    refused = await _rows(migrated_demo_db, select(AuditEvent.action).where(
        AuditEvent.outcome == "refused"))
    assert refused


async def test_changes_in_the_menu_show_the_runs_and_one_run(bot_client):
    chat = Chat(bot_client)
    await _regenboog(chat)
    await chat.click("Wijzigingen")
    shown = chat.texts()
    assert "Wijzigingen uit Basispoort" in shown
    assert "1 nieuwe groep, 24 nieuwe leerlingen, 1 nieuwe leerkracht en meer" in shown
    assert "29-11-2026 om 03:00" in shown  # 02:00 UTC, shown in Dutch time
    run_button = next(a["title"] for a in chat.actions() if a["title"].startswith("Bekijk "))
    await chat.click(run_button)
    shown = chat.texts()
    assert "Groep 5b (leerjaar 5)" in shown
    await chat.click("Volgende")
    assert "Groep 5b aan Pluspunt groep 5" in chat.texts()
    await chat.click("Alle wijzigingen")
    assert "Wijzigingen uit Basispoort" in chat.texts()


async def test_typed_wijzigingen_reaches_the_runs(bot_client):
    chat = Chat(bot_client)
    await _regenboog(chat)
    await chat.say("wijzigingen")
    assert "Wijzigingen uit Basispoort" in chat.texts()
