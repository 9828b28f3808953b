"""What an incoming request body may be before any of it is trusted: bounded JSON, no lone
surrogates, and a serviceUrl the bot may call back."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from botbuilder.schema import Activity, Attachment, ChannelAccount, ConversationAccount, Entity
from msrest.serialization import Deserializer

MAX_DEPTH = 32  # an activity nests a card's data a few levels deep; hostile input nests 1,000s
MAX_NODES = 50_000
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
# The documented Bot Connector hosts of Teams (public cloud, GCC, GCC High, DoD).
TEAMS_HOSTS = frozenset({
    "smba.trafficmanager.net",
    "smba.infra.gcc.teams.microsoft.com",
    "smba.infra.gov.teams.microsoft.us",
    "smba.infra.dod.teams.microsoft.us",
})


class BadBody(ValueError):
    """The body cannot be an activity; the reason goes back to the caller in the 400."""


def load_body(raw: bytes) -> object:
    """The JSON of a request body, or BadBody: not UTF-8, not JSON, nested too deep, too many
    values, or a string no database can store (a lone UTF-16 surrogate)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadBody("body is not UTF-8") from None
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        raise BadBody("body is not JSON") from None
    check_shape(body)
    return body


def check_shape(body: object) -> None:
    """Walk the value without recursion: depth, size and every string (keys too)."""
    pending: list[tuple[object, int]] = [(body, 1)]
    nodes = 0
    while pending:
        value, depth = pending.pop()
        nodes += 1
        if depth > MAX_DEPTH:
            raise BadBody("body is nested too deep")
        if nodes > MAX_NODES:
            raise BadBody("body has too many values")
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                _check_text(key)
                pending.append((item, depth + 1))
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadBody("body contains a lone surrogate") from None


def service_url_allowed(url: str, auth_enabled: bool) -> bool:
    """Where replies may be posted. Without authentication anyone can send a request, so only
    this machine; with it, only Teams' own Bot Connector hosts over HTTPS."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises for a malformed port
    except ValueError:
        return False
    if auth_enabled:
        return parts.scheme == "https" and host in TEAMS_HOSTS
    return parts.scheme in ("http", "https") and host in LOOPBACK_HOSTS


# -- reading an activity without msrest's generic walk ---------------------------------------------

_MODELS = {cls.__name__: cls for cls in (
    Activity, ChannelAccount, ConversationAccount, Attachment, Entity)}
_KEYS = {cls: {desc["key"]: (attr, desc["type"]) for attr, desc in cls._attribute_map.items()}
         for cls in _MODELS.values()}


class _Unusual(Exception):
    """A part the fast reader does not read exactly as msrest does: msrest reads it."""


def read_activity(body: dict) -> Activity:
    """The Activity msrest's `Activity().deserialize(body)` gives, built straight from the
    attribute maps for the parts every Teams activity has: strings, booleans, timestamps,
    JSON objects, the accounts, attachments and entities, and unknown keys kept in
    additional_properties as msrest keeps them. Anything else (another nested model such as
    suggestedActions or reactionsAdded, or a value of an unexpected JSON type) goes to msrest,
    which is about a tenth of a typical turn."""
    try:
        return _model(Activity, body)
    except _Unusual:
        return Activity().deserialize(body)


def _model(cls: type, data: object):
    if not isinstance(data, dict):
        raise _Unusual
    keys = _KEYS[cls]
    attrs = {}
    extra = {}
    for key, value in data.items():
        known = keys.get(key)
        if known is None:
            extra[key] = value
        elif value is not None:
            attrs[known[0]] = _value(known[1], value)
    model = cls(**attrs)
    if extra:
        model.additional_properties = extra
    return model


def _value(kind: str, value: object) -> object:
    if kind == "str":
        if type(value) is not str:
            raise _Unusual
        return value
    if kind == "object":
        return value
    if kind == "bool":
        if type(value) is not bool:
            raise _Unusual
        return value
    if kind == "iso-8601":
        if type(value) is not str:
            raise _Unusual
        return Deserializer.deserialize_iso(value)
    if kind.startswith("[") and kind.endswith("]"):
        if type(value) is not list:
            raise _Unusual
        return [_value(kind[1:-1], item) for item in value]
    model = _MODELS.get(kind)
    if model is None:
        raise _Unusual
    return _model(model, value)
