"""CloudAdapter with the 4.17 fixes: bodies that serialize, 4xx for client mistakes, 401 for
bad tokens, token validation that never blocks (bot/auth.py); plus the turn-error handler."""

from __future__ import annotations

import copy
import logging
from collections.abc import Awaitable, Callable
from enum import Enum
from http import HTTPStatus

import orjson
from aiohttp import web
from botbuilder.core import (
    Bot,
    ConversationState,
    InvokeResponse,
    TurnContext,
    serializer_helper,
)
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    DeliveryModes,
    InputHints,
    ResourceResponse,
)
from msrest.serialization import Model

from bot.auth import SigningKeys, TokenValidator, authenticate
from bot.clients import ReusingAuthentication
from bot.config import Settings
from bot.inbound import BadBody, load_body, read_activity, service_url_allowed

log = logging.getLogger(__name__)

MAX_BODY = 256 * 1024
# Replies to an expectReplies request are buffered, never posted; the URL is never called.
BUFFERED_SERVICE_URL = "https://expect-replies.invalid/"


def _bad_request(reason: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(
        text=f'{{"error": "{reason}"}}', content_type="application/json"
    )


class ReplyContext(TurnContext):
    """TurnContext whose send_activities copies each outgoing activity shallowly.

    The SDK deep-copies every activity it sends (the card's whole JSON tree, and for a prompt
    the activity kept in dialog state) so that addressing the copy cannot change the caller's
    object. Addressing only sets top-level fields, which a shallow copy already keeps apart;
    the nested parts (attachments, card dicts) are shared, which is safe because nothing in
    this bot changes an activity after sending it: cards are built fresh for each send, and
    serialize_reply puts back what it takes out before it returns."""

    async def send_activities(self, activities: list[Activity]) -> list[ResourceResponse]:
        reference = TurnContext.get_conversation_reference(self.activity)
        output = []
        for original in activities:
            activity = TurnContext.apply_conversation_reference(copy.copy(original), reference)
            activity.type = activity.type or ActivityTypes.message
            activity.input_hint = activity.input_hint or InputHints.accepting_input
            activity.id = None
            output.append(activity)
        visible = any(a.type != ActivityTypes.trace for a in output)

        async def deliver() -> list[ResourceResponse]:
            if self.activity.delivery_mode == DeliveryModes.expect_replies:
                self.buffered_reply_activities.extend(output)
                for activity in output:
                    if activity.type == ActivityTypes.invoke_response:
                        self.turn_state[TurnContext._INVOKE_RESPONSE_KEY] = activity
                responses = [ResourceResponse() for _ in output]
            else:
                responses = await self.adapter.send_activities(self, output)
            if visible:
                self.responded = True
            return responses

        return await self._emit(self._on_send_activities, output, deliver())


class BeheerAdapter(CloudAdapter):
    """CloudAdapter.process rewritten around the SDK's process_activity."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        super().__init__(ReusingAuthentication(settings.bot_auth()))
        # The SDK's own check blocks on requests.get; ours runs on the loop (bot/auth.py).
        self._validator = TokenValidator(settings.app_id,
                                         SigningKeys(settings.openid_metadata_url))

    async def process(self, request: web.Request, bot: Bot, ws_response=None) -> web.Response:
        if request.method != "POST":
            raise web.HTTPMethodNotAllowed(request.method, ["POST"])
        if "application/json" not in request.headers.get("Content-Type", ""):
            raise web.HTTPUnsupportedMediaType(text="expected application/json")
        auth_header = request.headers.get("Authorization", "")
        if self._settings.auth_enabled and not _bearer_shaped(auth_header):
            # Nothing of the body is read for a request that cannot be authenticated.
            log.warning("verzoek geweigerd: geen bearer-token")
            raise web.HTTPUnauthorized()
        try:
            body = load_body(await request.read())
        except BadBody as exc:
            raise _bad_request(str(exc)) from None
        activity = parse_activity(body)

        try:
            auth = await self._authenticate(activity, auth_header)
        except Exception as exc:  # every failure to authenticate is the caller's problem
            log.warning("verzoek geweigerd: %s", type(exc).__name__)
            raise web.HTTPUnauthorized() from None
        if (activity.service_url != BUFFERED_SERVICE_URL
                and not service_url_allowed(activity.service_url, self._settings.auth_enabled)):
            log.warning("verzoek geweigerd: serviceUrl %r is niet toegestaan",
                        activity.service_url[:100])
            raise _bad_request("serviceUrl is not allowed")

        invoke_response = await self.process_activity(auth, activity, bot.on_turn)
        if invoke_response is None:
            return web.Response(status=201)
        body = invoke_response.body
        if body is not None and not isinstance(body, dict | list | str | int | float | bool):
            body = serializer_helper(body)
        if body is None:
            return web.Response(status=invoke_response.status)
        try:
            data = orjson.dumps(body)
        except TypeError:  # not plain JSON data (a key that is no string): the slow way
            return web.json_response(body, status=invoke_response.status)
        return web.Response(body=data, status=invoke_response.status,
                            content_type="application/json")

    def _create_turn_context(self, activity, claims_identity, oauth_scope, connector_client,
                             user_token_client, logic, connector_factory) -> TurnContext:
        context = ReplyContext(self, activity)
        context.turn_state[self.BOT_IDENTITY_KEY] = claims_identity
        context.turn_state[self.BOT_CONNECTOR_CLIENT_KEY] = connector_client
        context.turn_state[self.USER_TOKEN_CLIENT_KEY] = user_token_client
        context.turn_state[self.BOT_CALLBACK_HANDLER_KEY] = logic
        context.turn_state[self.CONNECTOR_FACTORY_KEY] = connector_factory
        context.turn_state[self.BOT_OAUTH_SCOPE_KEY] = oauth_scope
        return context

    def _process_turn_results(self, context: TurnContext) -> InvokeResponse | None:
        if context.activity.delivery_mode == DeliveryModes.expect_replies:
            replies = [serialize_reply(a) for a in context.buffered_reply_activities]
            return InvokeResponse(status=HTTPStatus.OK, body={"activities": replies})
        return super()._process_turn_results(context)

    async def _authenticate(self, activity: Activity, auth_header: str):
        authentication = self.bot_framework_authentication
        if not self._settings.auth_enabled:
            return await authentication.authenticate_request(activity, auth_header)
        if not _bearer_shaped(auth_header):
            raise PermissionError("no bearer token")
        return await authenticate(authentication, self._validator, activity, auth_header)


def _bearer_shaped(auth_header: str) -> bool:
    return auth_header.startswith("Bearer ") and 16 < len(auth_header) <= 8192


def serialize_reply(activity: Activity) -> dict:
    """An outgoing activity as the Bot Framework's JSON, as msrest writes it.

    msrest's serializer walks every node of a card's JSON and checks each attribute's declared
    type (the slowest part of an expectReplies turn). Card contents and other `object` fields
    are plain JSON data already; the activity's own attributes are strings, enums, lists and
    nested models. wire_data writes exactly that, and leaves anything else (a date, a value
    that is no JSON data) to msrest."""
    try:
        return wire_data(activity)
    except _NotPlain:
        return _msrest_reply(activity)


class _NotPlain(Exception):
    """A value wire_data does not write the way msrest does."""


_JSON_SCALARS = (str, int, float, bool)


def wire_data(model: Model) -> dict:
    """A msrest model's JSON: each non-None attribute under its wire name, enums as their
    values, additional properties added."""
    out = {}
    for attr, desc in type(model)._attribute_map.items():
        value = getattr(model, attr, None)
        if value is None or attr == "additional_properties":
            continue
        out[desc["key"]] = _wire_value(value, desc["type"])
    extra = getattr(model, "additional_properties", None)
    if extra:
        out.update(_wire_object(extra))
    return out


def _wire_value(value: object, kind: str):
    if kind == "object":
        return _wire_object(value)
    if kind.startswith("["):
        if not isinstance(value, list):
            raise _NotPlain
        return [_wire_value(item, kind[1:-1]) for item in value]
    if isinstance(value, Model):
        return wire_data(value)
    if isinstance(value, Enum):
        value = value.value
    if kind in ("str", "bool", "int", "float") and type(value) in _JSON_SCALARS:
        return value
    raise _NotPlain  # dates, durations, dictionaries of models: msrest's rules


# orjson writes dates, dataclasses and subclasses of str, int, dict and list its own way; with
# these options it refuses them instead, as it refuses any other object that is no JSON data.
_PLAIN_ONLY = (orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
               | orjson.OPT_PASSTHROUGH_SUBCLASS)


def _wire_object(value: object):
    """Plain JSON data, checked without copying it (no model or date deep inside). orjson
    checks it in C, where a walk in Python took a fifth of a millisecond for a page of
    pincodes; its output is thrown away (the reply is written once, at the end)."""
    try:
        orjson.dumps(value, option=_PLAIN_ONLY)
    except TypeError:
        raise _NotPlain from None
    return value


def _msrest_reply(activity: Activity) -> dict:
    """msrest's serialization, with card contents kept out of its walk."""
    contents = [attachment.content for attachment in activity.attachments or []]
    for attachment in activity.attachments or []:
        attachment.content = None
    try:
        data = activity.serialize()
    finally:
        for attachment, content in zip(activity.attachments or [], contents, strict=True):
            attachment.content = content
    for attachment_data, content in zip(data.get("attachments", []), contents, strict=True):
        if content is not None:
            attachment_data["content"] = content
    return data


def parse_activity(body: object) -> Activity:
    """An Activity from a request body, or HTTP 400 saying what is wrong."""
    if not isinstance(body, dict):
        raise _bad_request("body must be a JSON object")
    kind = body.get("type")
    if not isinstance(kind, str) or not kind:
        raise _bad_request("activity type is missing")
    for name in ("conversation", "from", "recipient"):
        part = body.get(name)
        if part is not None and not isinstance(part, dict):
            raise _bad_request(f"{name} must be an object")
    conversation = body.get("conversation") or {}
    if not isinstance(conversation.get("id"), str) or not conversation.get("id"):
        raise _bad_request("conversation.id is missing")
    sender = body.get("from") or {}
    if not isinstance(sender.get("id"), str) or not sender.get("id"):
        raise _bad_request("from.id is missing")
    for name in ("text", "serviceUrl", "channelId", "deliveryMode", "locale"):
        if body.get(name) is not None and not isinstance(body.get(name), str):
            raise _bad_request(f"{name} must be a string")
    if body.get("channelData") is not None and not isinstance(body.get("channelData"), dict):
        raise _bad_request("channelData must be an object")
    try:
        activity = read_activity(body)
    except Exception:  # msrest raises several unrelated types for malformed input
        raise _bad_request("activity could not be read") from None
    if activity.delivery_mode == DeliveryModes.expect_replies:
        activity.service_url = BUFFERED_SERVICE_URL  # replies are buffered, the URL never called
    elif not activity.service_url:
        raise _bad_request("serviceUrl is missing")
    if not activity.channel_id:
        activity.channel_id = "msteams"
    return activity


def make_turn_error_handler(
    conversation_state: ConversationState, error_reply: Callable[[TurnContext], Activity]
) -> Callable[[TurnContext, Exception], Awaitable[None]]:
    """Log, tell the user (`error_reply`: the message to send), and clear the conversation's
    dialog state so nobody stays stuck."""

    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        log.exception("beurt mislukt in gesprek %s", context.activity.conversation.id,
                      exc_info=error)
        try:
            await context.send_activity(error_reply(context))
        except Exception:
            log.exception("kon de gebruiker niet over de fout vertellen")
        try:
            await conversation_state.load(context)
            await conversation_state.delete(context)
        except Exception:
            log.exception("kon de gespreksstatus niet wissen")

    return on_turn_error
