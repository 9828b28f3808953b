"""The state codec gives back exactly what jsonpickle gives back, and reads what it wrote."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import DialogInstance, DialogState
from botbuilder.dialogs.prompts import PromptOptions
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount
from jsonpickle import Pickler, Unpickler
from sqlalchemy import select

from bot import state_codec
from bot.storage import ConcurrencyError, SqlStorage, TurnConversationState
from services.models import StateItem
from services.state_store import StateStore
from tests.conftest import Chat, open_school


def _jsonpickle_round_trip(value):
    return Unpickler().restore(json.loads(json.dumps(Pickler().flatten(value))))


def _same(a, b) -> bool:
    """Equal as jsonpickle sees them: every attribute, type and enum member."""
    return Pickler().flatten(a) == Pickler().flatten(b)


def _waiting_prompt() -> dict:
    card = {"type": "AdaptiveCard", "version": "1.5",
            "body": [{"type": "TextBlock", "text": "Klopt dit? é ü 'quotes' \"dq\""}],
            "actions": [{"type": "Action.Submit", "title": "Koppelen",
                         "data": {"action": "confirm", "flow": "f-1", "ids": [1, 2]}}]}
    state = DialogState()
    state.dialog_stack.append(DialogInstance(id="MainDialog", state={
        "dialogs": {"dialogStack": []}, "values": {"school_id": 1, "levels": (5, 6),
                                                   "ratio": 0.5, "none": None, "yes": True}}))
    state.dialog_stack.append(DialogInstance(id="CardPrompt", state={
        "options": PromptOptions(prompt=MessageFactory.attachment(
            CardFactory.adaptive_card(card))),
        "state": {}}))
    return {"DialogState": state, "e_tag": "abc"}


def test_a_waiting_prompt_round_trips_exactly_as_with_jsonpickle():
    value = _waiting_prompt()
    text = state_codec.dumps(value)
    assert _same(state_codec.loads(text), _jsonpickle_round_trip(value))
    assert json.loads(text) == json.loads(json.dumps(Pickler().flatten(value)))
    restored = state_codec.loads(text)
    prompt = restored["DialogState"].dialog_stack[1].state["options"].prompt
    assert prompt.attachments[0].content["actions"][0]["data"]["ids"] == [1, 2]
    assert restored["DialogState"].dialog_stack[0].state["values"]["levels"] == (5, 6)


def test_jsonpickle_reads_what_the_codec_wrote_and_the_other_way_round():
    value = _waiting_prompt()
    by_codec = state_codec.dumps(value)
    by_jsonpickle = json.dumps(Pickler().flatten(value))
    assert _same(Unpickler().restore(json.loads(by_codec)), _jsonpickle_round_trip(value))
    assert _same(state_codec.loads(by_jsonpickle), _jsonpickle_round_trip(value))


class _Plain:  # a class outside the trusted packages: jsonpickle's business
    def __init__(self) -> None:
        self.x = 1


shared = {"a": 1}


@pytest.mark.parametrize("value", [
    {"when": datetime(2026, 12, 3, 7, 0, tzinfo=UTC)},
    {"set": {1, 2}},
    {"nan": float("nan")},
    {1: "integer key"},
    {"first": shared, "second": shared},
    {"foreign": _Plain()},
], ids=["datetime", "set", "nan", "int-key", "shared", "foreign-class"])
def test_what_the_codec_does_not_hold_goes_through_jsonpickle_unchanged(value):
    text = state_codec.dumps(value)
    assert json.loads(text) == json.loads(json.dumps(Pickler().flatten(value)))
    restored = state_codec.loads(text)
    expected = _jsonpickle_round_trip(value)
    if "nan" in value:
        assert restored["nan"] != restored["nan"] and expected["nan"] != expected["nan"]
    else:
        assert _same(restored, expected)


def test_the_change_check_sees_a_change_deep_in_a_prompt():
    value = _waiting_prompt()
    before = state_codec.dumps(value)
    value["DialogState"].dialog_stack[1].state["options"].prompt.attachments[0] \
        .content["actions"][0]["data"]["flow"] = "f-2"
    assert state_codec.dumps(value) != before


async def test_every_state_a_real_conversation_stores_round_trips_exactly(
        chat: Chat, db):
    await open_school(chat)
    await chat.click("Licenties koppelen")
    await chat.page_to("Koppel Staal groep 5")
    await chat.click("Koppel Staal groep 5")  # a card prompt now waits for the groups
    async with db() as session:
        rows = (await session.execute(select(StateItem.key, StateItem.data))).all()
    assert any("CardPrompt" in data or "prompt" in data for _, data in rows)
    for _key, data in rows:
        expected = Unpickler().restore(json.loads(data))
        restored = state_codec.loads(data)
        assert _same(restored, expected)
        assert _same(state_codec.loads(state_codec.dumps(restored)), expected)
        # The text a state was read from is the text it encodes to again: a turn compares
        # the two to know whether to write, so a turn that changed nothing writes nothing.
        assert state_codec.dumps(restored) == data


async def test_a_turn_writes_its_state_only_when_it_changed(sessions):
    store = StateStore(sessions)
    writes = []
    real_write = store.write

    async def counted(items):
        writes.append(dict(items))
        return await real_write(items)

    store.write = counted
    state = TurnConversationState(SqlStorage(store))

    def turn() -> TurnContext:
        return TurnContext(TestAdapter(), Activity(
            type="message", channel_id="test", conversation=ConversationAccount(id="c-1"),
            from_property=ChannelAccount(id="u-1"), recipient=ChannelAccount(id="bot")))

    first = turn()
    await state.load(first)
    await state.save_changes(first)
    assert writes == []  # nothing read, nothing changed
    state.get(first)["DialogState"] = _waiting_prompt()["DialogState"]
    await state.save_changes(first)
    assert len(writes) == 1

    second = turn()
    await state.load(second)
    await state.save_changes(second)
    assert len(writes) == 1  # read back and unchanged: no write
    state.get(second)["DialogState"].dialog_stack[0].state["values"]["school_id"] = 2
    await state.save_changes(second)
    assert len(writes) == 2
    [(written, etag)] = writes[1].values()
    assert etag and "e_tag" not in json.loads(written)
    await state.save_changes(second, force=True)  # with the e-tag of its own write
    assert len(writes) == 3

    third = turn()
    await state.load(third)
    assert state.get(third)["DialogState"].dialog_stack[0].state["values"]["school_id"] == 2
    state.get(second)["DialogState"].dialog_stack[0].state["values"]["school_id"] = 3
    await state.save_changes(second)
    state.get(third)["DialogState"].dialog_stack[0].state["values"]["school_id"] = 4
    with pytest.raises(ConcurrencyError):  # read before the other turn wrote
        await state.save_changes(third)

    fourth = turn()
    await state.load(fourth)
    await state.clear_state(fourth)  # the SDK's own cache, with a hash that is no JSON
    state.get(fourth)["DialogState"] = _waiting_prompt()["DialogState"]
    await state.save_changes(fourth)
    fifth = turn()
    await state.load(fifth)
    assert _same(state.get(fifth)["DialogState"], _waiting_prompt()["DialogState"])
