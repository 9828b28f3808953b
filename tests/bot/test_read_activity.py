"""The fast activity reader gives exactly what msrest's deserializer gives, or leaves it to msrest."""

from __future__ import annotations

import copy
import json

import pytest
from botbuilder.schema import Activity
from msrest.exceptions import DeserializationError
from msrest.serialization import Model

from bot import inbound
from bot.inbound import read_activity

TEAMS_MESSAGE = {
    "text": "<at>beheerbot</at> koppel groep 5b aan Naut",
    "textFormat": "plain",
    "attachments": [{"contentType": "text/html", "content": "<div>koppel</div>"},
                    {"contentType": "application/vnd.microsoft.teams.file.download.info",
                     "contentUrl": "https://contoso.sharepoint.com/x.csv", "name": "x.csv",
                     "content": {"downloadUrl": "https://x/y", "uniqueId": "u", "fileType": "csv"}}],
    "type": "message",
    "timestamp": "2026-12-04T06:15:31.1234567Z",
    "localTimestamp": "2026-12-04T07:15:31.1234567+01:00",
    "id": "1733296531123",
    "channelId": "msteams",
    "serviceUrl": "https://smba.trafficmanager.net/emea/",
    "from": {"id": "29:1abc", "name": "Alex Wilber", "aadObjectId": "00000000-aaaa",
             "role": "user", "properties": {"x": [1, 2, {"y": None}]}},
    "conversation": {"conversationType": "personal", "tenantId": "tenant-1", "id": "a:1xyz",
                     "isGroup": False, "unknownToMsrest": 3},
    "recipient": {"id": "28:bot", "name": "beheerbot"},
    "entities": [{"locale": "nl-NL", "country": "NL", "platform": "Web",
                  "timezone": "Europe/Amsterdam", "type": "clientInfo"},
                 {"type": "mention", "text": "<at>beheerbot</at>",
                  "mentioned": {"id": "28:bot", "name": "beheerbot"}}],
    "channelData": {"tenant": {"id": "tenant-1"}, "source": {"name": "message"}},
    "locale": "nl-NL",
    "localTimezone": "Europe/Amsterdam",
    "replyToId": None,
    "somethingNew": {"from": "a later Teams"},
}

CARD_INVOKE = {
    "name": "adaptiveCard/action", "type": "invoke", "timestamp": "2026-12-04T06:15:31Z",
    "id": "f:1", "channelId": "msteams", "serviceUrl": "https://smba.trafficmanager.net/emea/",
    "from": {"id": "29:1abc", "aadObjectId": "00000000-aaaa"},
    "conversation": {"id": "a:1xyz", "conversationType": "personal", "tenantId": "tenant-1"},
    "recipient": {"id": "28:bot"}, "replyToId": "1733296531000", "locale": "en-US",
    "value": {"action": {"type": "Action.Execute", "verb": "pincodes.show",
                         "data": {"school_id": 1, "group_id": 3, "ids": [1, 2.5, True]}},
              "trigger": "manual"},
    "channelData": {"tenant": {"id": "tenant-1"}, "legacy": {"replyToId": "x"}},
    "entities": [],
}

INSTALL = {
    "type": "conversationUpdate", "membersAdded": [{"id": "28:bot"}, {"id": "29:1abc"}],
    "membersRemoved": [], "channelId": "msteams", "serviceUrl": "https://smba.x/",
    "from": {"id": "29:1abc"}, "recipient": {"id": "28:bot"},
    "conversation": {"id": "19:team@thread.tacv2", "isGroup": True, "conversationType": "channel"},
    "channelData": {"eventType": "teamMemberAdded", "team": {"id": "19:team"}},
}

# Parts the fast reader leaves to msrest: other nested models, unexpected JSON types.
UNUSUAL = [
    {**INSTALL, "type": "messageReaction", "reactionsAdded": [{"type": "like"}]},
    {**CARD_INVOKE, "suggestedActions": {"to": ["x"], "actions": []}},
    {**CARD_INVOKE, "relatesTo": {"activityId": "1", "conversation": {"id": "c"}}},
    {**CARD_INVOKE, "id": 123},
    {**CARD_INVOKE, "historyDisclosed": "true"},
    {**CARD_INVOKE, "from": {"id": "29:1", "name": 7}},
    {**CARD_INVOKE, "entities": [None]},
    {**CARD_INVOKE, "membersAdded": {"id": "not a list"}},
]


def _plain(value):
    """A model as nested plain data with its class names, to compare two readings."""
    if isinstance(value, Model):
        return {"class": type(value).__name__,
                **{name: _plain(item) for name, item in sorted(vars(value).items())}}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return (type(value).__name__, value)


def _by_msrest(body: dict) -> Activity:
    return Activity().deserialize(copy.deepcopy(body))


@pytest.mark.parametrize("body", [TEAMS_MESSAGE, CARD_INVOKE, INSTALL], ids=["message", "invoke",
                                                                             "install"])
def test_a_teams_activity_reads_as_msrest_reads_it_without_msrest(body, monkeypatch):
    expected = _plain(_by_msrest(body))

    def no_msrest(*_args, **_kwargs):
        raise AssertionError("msrest was asked")

    monkeypatch.setattr(Activity, "deserialize", no_msrest)
    activity = read_activity(copy.deepcopy(body))
    assert _plain(activity) == expected
    assert json.dumps(_plain(activity), default=str)  # plain data all the way down


@pytest.mark.parametrize("body", UNUSUAL)
def test_what_the_fast_reader_does_not_read_goes_to_msrest(body, monkeypatch):
    try:
        expected = _plain(_by_msrest(body))
    except DeserializationError:
        with pytest.raises(DeserializationError):
            read_activity(copy.deepcopy(body))
        return
    asked = []
    real = inbound.Activity.deserialize

    def counted(self, data, *args, **kwargs):
        asked.append(1)
        return real(data, *args, **kwargs)

    monkeypatch.setattr(inbound.Activity, "deserialize", counted)
    assert _plain(read_activity(copy.deepcopy(body))) == expected
    assert asked == [1]


@pytest.mark.parametrize("stamp", ["yesterday", "2026-13-40T99:00:00Z", ""])
def test_a_broken_timestamp_fails_as_in_msrest(stamp):
    body = {**CARD_INVOKE, "timestamp": stamp}
    with pytest.raises(DeserializationError):
        _by_msrest(body)
    with pytest.raises(DeserializationError):
        read_activity(body)
