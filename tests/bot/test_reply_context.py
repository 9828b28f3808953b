"""Outgoing activities are copied shallowly: the caller's activity is never changed, its card
is not copied, and expectReplies and invoke responses still arrive."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from botbuilder.core import CardFactory, InvokeResponse, MessageFactory, TurnContext
from botbuilder.schema import (
    ActionTypes,
    Activity,
    ActivityTypes,
    CardAction,
    ChannelAccount,
    ConversationAccount,
    DeliveryModes,
    Entity,
    InputHints,
)

from bot.adapter import BeheerAdapter, ReplyContext, _NotPlain, serialize_reply, wire_data
from tests.conftest import Chat, make_settings


def _incoming() -> Activity:
    return Activity(type="message", id="in-1", channel_id="msteams", locale="nl-NL",
                    service_url="https://expect-replies.invalid/",
                    delivery_mode=DeliveryModes.expect_replies,
                    from_property=ChannelAccount(id="user"), recipient=ChannelAccount(id="bot"),
                    conversation=ConversationAccount(id="conv"))


async def test_the_sent_copy_is_addressed_and_the_original_stays_as_it_was(db_url):
    context = ReplyContext(BeheerAdapter(make_settings(db_url)), _incoming())
    card = {"type": "AdaptiveCard", "body": [{"type": "TextBlock", "text": "Hallo"}]}
    original = MessageFactory.attachment(CardFactory.adaptive_card(card))
    original.id = "keep-me"

    await context.send_activity(original)

    (sent,) = context.buffered_reply_activities
    assert sent is not original
    assert sent.conversation.id == "conv" and sent.recipient.id == "user"
    assert sent.from_property.id == "bot" and sent.reply_to_id == "in-1"
    assert sent.input_hint == "acceptingInput" and sent.id is None
    assert original.conversation is None and original.recipient is None
    assert original.id == "keep-me" and original.input_hint is None
    assert sent.attachments[0].content is card  # shared, not deep-copied
    assert context.responded


async def test_a_trace_does_not_count_as_responding(db_url):
    context = ReplyContext(BeheerAdapter(make_settings(db_url)), _incoming())
    await context.send_activity(Activity(type="trace", name="debug"))
    assert not context.responded
    assert isinstance(context, TurnContext)


async def test_replies_of_a_whole_turn_arrive_over_http(chat: Chat):
    replies = await chat.say("help")
    assert replies and replies[0]["type"] == "message"
    assert replies[0]["conversation"]["id"] == chat.conversation_id
    assert replies[0]["recipient"]["id"] == chat.user["id"]


def _replies() -> list[Activity]:
    card = {"type": "AdaptiveCard", "version": "1.5",
            "body": [{"type": "TextBlock", "text": "Zoë 'ü' \"q\"", "wrap": True}],
            "actions": [{"type": "Action.Submit", "title": "Koppelen",
                         "data": {"action": "confirm", "ids": [1, 2], "x": None, "f": 0.5}}]}
    reference = TurnContext.get_conversation_reference(_incoming())
    with_card = MessageFactory.attachment(CardFactory.adaptive_card(card))
    text = MessageFactory.text("Hallo", input_hint=InputHints.expecting_input)
    suggested = MessageFactory.suggested_actions(
        [CardAction(type=ActionTypes.im_back, title="Ja", value={"ok": True})], "Kies")
    dated = MessageFactory.text("met datum")
    dated.timestamp = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
    typing = Activity(type=ActivityTypes.typing, channel_data={"tenant": {"id": "t"}},
                      entities=[Entity(type="mention")])
    invoke = Activity(type=ActivityTypes.invoke_response,
                      value=InvokeResponse(status=200, body={"a": 1}))
    out = []
    for activity in (with_card, text, suggested, dated, typing, invoke):
        out.append(TurnContext.apply_conversation_reference(activity, reference))
    return out


def test_the_fast_reply_json_is_what_msrest_writes():
    for activity in _replies():
        assert serialize_reply(activity) == activity.serialize(), activity.type


def test_wire_data_refuses_what_it_cannot_write_exactly():
    dated, invoke = _replies()[3], _replies()[5]
    for activity in (dated, invoke):
        with pytest.raises(_NotPlain):
            wire_data(activity)


@pytest.mark.parametrize("deep", [
    datetime(2026, 12, 4, tzinfo=UTC), type("Name", (str,), {})("Sanne"), object(),
    {1: "a key that is no string"},
])
def test_a_card_with_anything_but_json_data_deep_inside_goes_to_msrest(deep):
    card = {"type": "AdaptiveCard", "body": [{"type": "TextBlock", "text": "x",
                                               "extra": [{"deep": deep}]}]}
    activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
    with pytest.raises(_NotPlain):
        wire_data(activity)
