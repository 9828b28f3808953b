"""CloudAdapter with the 4.17 fixes: bodies that serialize, 4xx for client mistakes, 401 for
bad tokens, token validation that never blocks (bot/auth.py); plus the turn-error handler."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus

from aiohttp import web
from botbuilder.core import (
    Bot,
    ConversationState,
    InvokeResponse,
    TurnContext,
    serializer_helper,
)
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity, DeliveryModes

from bot.auth import SigningKeys, TokenValidator, authenticate
from bot.config import Settings
from bot.inbound import BadBody, load_body, service_url_allowed

log = logging.getLogger(__name__)

MAX_BODY = 256 * 1024
# Replies to an expectReplies request are buffered, never posted; the URL is never called.
BUFFERED_SERVICE_URL = "https://expect-replies.invalid/"


def _bad_request(reason: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(
        text=f'{{"error": "{reason}"}}', content_type="application/json"
    )


class BeheerAdapter(CloudAdapter):
    """CloudAdapter.process rewritten around the SDK's process_activity."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        super().__init__(ConfigurationBotFrameworkAuthentication(settings.bot_auth()))
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
        return web.json_response(body, status=invoke_response.status)

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
    """msrest's serializer walks every node of a card's JSON (the slowest part of an
    expectReplies turn); card contents are plain dicts already, so they go around it."""
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
        activity = Activity().deserialize(body)
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
