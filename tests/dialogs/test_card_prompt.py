"""The card prompt's saved options: plain data now, and whole activities in states saved
before, which a running conversation still answers."""

from __future__ import annotations

from botbuilder.core import MessageFactory
from sqlalchemy import select, update

from bot import state_codec
from dialogs.card_prompt import CARD, RETRY_TEXT
from dialogs.context import card_activity
from services.models import StateItem
from tests.conftest import Chat, open_school


async def _waiting_prompt_state(db) -> tuple[str, str, dict]:
    async with db() as session:
        rows = (await session.execute(select(StateItem.key, StateItem.data))).all()
    key, data = next((k, d) for k, d in rows if "CardPrompt" in d)
    return key, data, state_codec.loads(data)


def _prompt_options(state: dict):
    stack = state["DialogState"].dialog_stack
    while stack:
        instance = stack[0]
        if instance.id == "CardPrompt":
            return instance.state["options"]
        stack = instance.state["dialogs"].dialog_stack
    raise AssertionError("no card prompt waits")


async def _start_link(chat: Chat) -> None:
    await open_school(chat)
    await chat.click("Licenties koppelen")
    await chat.page_to("Koppel Staal groep 5")
    await chat.click("Koppel Staal groep 5")  # a card prompt now waits for the groups


async def test_a_waiting_prompt_keeps_its_retry_text_not_its_sent_card_and_asks_again_with_it(
        chat: Chat, db):
    await _start_link(chat)
    shown = chat.card
    _key, data, state = await _waiting_prompt_state(db)
    assert "botbuilder.schema" not in data  # no Activity, no enum tags
    options = _prompt_options(state)
    assert options.prompt is None and options.retry_prompt is None
    # The card was sent when the prompt began; the state keeps what the answer is checked by.
    assert CARD not in options.validations and shown["body"]
    assert options.validations[RETRY_TEXT].startswith("Kies een van de knoppen")
    assert shown["actions"][0]["data"]["flow"] == options.validations["flow"]
    assert len(data) < 1600

    await chat.submit({"action": "pick.group", "flow": "forged"})
    assert "Kies een van de knoppen op de laatste kaart" in chat.texts()
    assert [r.get("inputHint") for r in chat.replies] == ["expectingInput"]


async def test_a_prompt_saved_with_whole_activities_still_answers(chat: Chat, db):
    await _start_link(chat)
    choices = chat.choices("group_ids")
    verder = chat.button("Verder")["data"]
    key, _data, state = await _waiting_prompt_state(db)
    options = _prompt_options(state)
    card = chat.card
    options.validations.pop(RETRY_TEXT)
    options.prompt = card_activity(card)
    options.retry_prompt = MessageFactory.text("Oude tekst: kies op de kaart.")
    async with db() as session, session.begin():
        await session.execute(update(StateItem).where(StateItem.key == key).values(
            data=state_codec.dumps({k: v for k, v in state.items() if k != "e_tag"})))

    await chat.submit({"action": "pick.group", "flow": "forged"})
    assert "Oude tekst: kies op de kaart." in chat.texts()
    # The card of the older state still answers its prompt.
    await chat.submit({**verder, "group_ids": choices[next(iter(choices))]})
    assert "Klopt dit?" in chat.texts()
