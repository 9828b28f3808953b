"""Every menu item and every typed example the help page gives does something: no entry answers
'kan ik nog niet', 'not understood' or an expired card."""

from __future__ import annotations

import re

import pytest

from cards.common import MENU_ITEMS
from cards.i18n import Texts, forms
from cards.locale import en, nl
from tests.conftest import Chat, open_school

NOT_YET = re.compile(r"kan ik (nog )?niet|nog niet mogelijk|binnenkort|komt later|"
                     r"can(not|'t) do (that|this) yet|not (possible|available) yet|coming soon",
                     re.IGNORECASE)
DEAD_ENDS = ("Dat begreep ik niet", "I did not understand that", "Deze kaart is verlopen",
             "This card has expired", "Dat lukt niet", "That did not work")


def test_no_text_promises_what_is_not_there():
    for catalog in (nl.CATALOG, en.CATALOG):
        for key, entry in catalog.items():
            for text in forms(entry):
                assert not NOT_YET.search(text), f"{key}: {text!r}"


def _examples(language: str) -> list[str]:
    """The typed examples the help page gives ('Typ bijvoorbeeld **koppel groep 5b aan Staal**')."""
    found = re.findall(r"\*\*([^*]+)\*\*", Texts(language)("help.tasks").split("\n\n", 1)[1])
    assert len(found) >= 6
    return found


async def test_every_menu_item_answers_with_its_task(chat: Chat):
    await open_school(chat)
    for key, _, _ in MENU_ITEMS:
        await chat.say("menu")
        await chat.click(Texts("nl")(key))
        assert chat.cards, key
        texts = chat.texts()
        assert not any(dead in texts for dead in DEAD_ENDS), (key, texts)
        assert not NOT_YET.search(texts), key


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_every_typed_example_of_the_help_page_works(chat: Chat, language):
    await open_school(chat)
    if language == "en":
        await chat.click("Taal / Language")
        await chat.click("English")
    for example in _examples(language):
        await chat.say(example)
        texts = chat.texts()
        assert chat.cards, example
        assert not any(dead in texts for dead in DEAD_ENDS), (example, texts)
        if chat.actions() and any(a.get("title") in ("Annuleren", "Cancel")
                                  for a in chat.actions()):
            await chat.click("Annuleren" if language == "nl" else "Cancel")
