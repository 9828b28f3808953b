"""In English the bot translates its own words and keeps names as the school knows them:
groups ('Groep 4') and licences ('Pluspunt groep 4')."""

from __future__ import annotations

import re

from tests.conftest import Chat, open_school

TRANSLATED_NAME = re.compile(r"\b[Gg]roup \d")  # 'Pluspunt group 4', 'Group 4'


async def test_english_keeps_group_and_licence_names(chat: Chat):
    await open_school(chat)
    await chat.click("Taal / Language")
    await chat.click("English")
    await chat.click("Link licences")
    texts = chat.texts()
    assert "Group licences of OBS De Regenboog" in texts
    assert "Groep 4 (linked automatically)" in texts  # a group's name, English around it
    assert "Groep 1/2" in texts and "Kleuterplein" in texts
    titles = [a["title"] for a in chat.actions()]
    assert any(title.startswith("Link Kleuterplein groep ") for title in titles), titles
    assert not TRANSLATED_NAME.search(texts + "\n".join(titles))

    await chat.click("Menu")
    await chat.click("Children on licences")
    assert not TRANSLATED_NAME.search(chat.texts())
    await chat.click("Menu")
    await chat.click("Child licences")
    assert "groep" in chat.texts() and not TRANSLATED_NAME.search(chat.texts())

    await chat.click("Menu")
    await chat.click("School data")
    texts = chat.texts()
    assert "Location" in texts and "vestiging" not in texts.lower()

    await chat.click("Menu")
    await chat.click("Help")
    assert "beheerdeel" not in chat.texts()
    await chat.click("Topography")
    assert "beheerdeel" not in chat.texts() and "online licence administration" in chat.texts()
