"""Outgoing activities are copied shallowly: the caller's activity is never changed, its card
is not copied, and expectReplies and invoke responses still arrive."""

from __future__ import annotations

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, DeliveryModes

from bot.adapter import BeheerAdapter, ReplyContext
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
