"""A chat as Teams holds it: replies go to a local Bot Connector (the v3 REST API: POST a
message, PUT an update of an earlier one) and every button names the message it is on."""

from __future__ import annotations

from aiohttp import web

from tests.pincode_support import CARD, PincodeChat


class Connector:
    """The Bot Connector v3 REST API as far as the bot uses it here: replies (POST) and
    updates of an earlier message (PUT)."""

    def __init__(self) -> None:
        self.posted: list[dict] = []
        self.updated: list[tuple[str, dict]] = []
        self.refuse_updates = False
        self.app = web.Application()
        self.app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self.reply)
        self.app.router.add_post("/v3/conversations/{cid}/activities", self.reply)
        self.app.router.add_put("/v3/conversations/{cid}/activities/{aid}", self.update)

    async def reply(self, request: web.Request) -> web.Response:
        self.posted.append(await request.json())
        return web.json_response({"id": f"msg-{len(self.posted)}"})

    async def update(self, request: web.Request) -> web.Response:
        if self.refuse_updates:
            return web.json_response({"error": {"code": "ServiceError"}}, status=502)
        body = await request.json()
        assert body["id"] == request.match_info["aid"]
        self.updated.append((request.match_info["aid"], body))
        return web.json_response({"id": request.match_info["aid"]})

    def last_card(self, reply_to: str | None = None) -> tuple[str, dict]:
        """(message id, card) of the last card posted; with `reply_to`, of the last one that
        answers that activity (not a notification the background sender posted meanwhile)."""
        for number in range(len(self.posted), 0, -1):
            if reply_to and self.posted[number - 1].get("replyToId") != reply_to:
                continue
            for attachment in self.posted[number - 1].get("attachments") or []:
                if attachment.get("contentType") == CARD:
                    return f"msg-{number}", attachment["content"]
        raise AssertionError("no card posted")


class ConnectorChat(PincodeChat):
    """A chat whose replies go to the connector (as in Teams), not into the HTTP answer; every
    button press names the message it sits on (replyToId), as Teams does."""

    def __init__(self, client, connector: Connector) -> None:
        super().__init__(client)
        self.connector = connector
        self.message_id: str | None = None  # the message of the card we look at

    def _activity(self, kind: str, **fields) -> dict:
        activity = super()._activity(kind, **fields)
        activity.pop("deliveryMode", None)
        activity["serviceUrl"] = self.connector.url
        if self.message_id and kind in ("message", "invoke") and "text" not in fields:
            activity["replyToId"] = self.message_id
        return activity

    async def post(self, activity: dict) -> list[dict]:
        activity["serviceUrl"] = self.connector.url
        posted = len(self.connector.posted)
        response = await self.client.post("/api/messages", json=activity)
        assert response.status in (200, 201), await response.text()
        if activity["type"] != "invoke":
            # A reply names the activity it answers (a conversationUpdate's does not).
            reply_to = activity["id"] if activity["type"] == "message" else None
            if len(self.connector.posted) > posted:  # a new message
                try:
                    self.message_id, card = self.connector.last_card(reply_to)
                except AssertionError:  # a text answer: the card on screen is still the last
                    self.message_id, card = self.connector.last_card()
            else:  # the card we pressed a button on was updated in place
                message, update = self.connector.updated[-1]
                assert message == self.message_id
                card = update["attachments"][0]["content"]
            self.replies = [{"type": "message",
                             "attachments": [{"contentType": CARD, "content": card}]}]
        return self.replies

    async def invoke(self, action: dict) -> tuple[int, dict]:
        activity = self._activity("invoke", name="adaptiveCard/action", value={
            "action": {"type": "Action.Execute", "id": "exec", "verb": action.get("verb"),
                       "data": action.get("data")}, "trigger": "manual"})
        response = await self.client.post("/api/messages", json=activity)
        body = await response.json()
        if response.status == 200 and body.get("type") == CARD:
            self.replies = [{"type": "message",
                             "attachments": [{"contentType": CARD, "content": body["value"]}]}]
        return response.status, body
