"""The normal Teams path: replies posted to the Bot Connector, and the roster lookup of an
unknown sender's e-mail. The connector is a local server speaking the Bot Connector v3 REST API
(the one acceptable test double: Teams itself cannot run here)."""

from __future__ import annotations

import pytest
from aiohttp import web

from bot.app import create_app
from tests.conftest import Chat, db_rows, fixed_clock, make_settings


class FakeConnector:
    def __init__(self) -> None:
        self.members: dict[str, dict] = {}
        self.posted: list[dict] = []
        self.app = web.Application()
        self.app.router.add_get("/v3/conversations/{cid}/members/{mid}", self.member)
        self.app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self.reply)
        self.app.router.add_post("/v3/conversations/{cid}/activities", self.reply)

    async def member(self, request: web.Request) -> web.Response:
        member = self.members.get(request.match_info["mid"])
        if member is None:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation",
                                                "message": "Member not found"}}, status=404)
        return web.json_response(member)

    async def reply(self, request: web.Request) -> web.Response:
        self.posted.append(await request.json())
        return web.json_response({"id": f"reply-{len(self.posted)}"})

    def texts(self) -> str:
        out = []
        for activity in self.posted:
            out.append(activity.get("text") or "")
            for attachment in activity.get("attachments") or []:
                out.append(str(attachment.get("content")))
        return "\n".join(out)


@pytest.fixture
async def connector(aiohttp_server):
    fake = FakeConnector()
    server = await aiohttp_server(fake.app)
    fake.url = str(server.make_url("/"))
    return fake


async def _send(client, connector: FakeConnector, chat: Chat, **fields) -> None:
    activity = chat._activity("message", serviceUrl=connector.url, **fields)
    activity.pop("deliveryMode")
    response = await client.post("/api/messages", json=activity)
    assert response.status == 201, await response.text()


async def test_replies_go_to_the_connector(aiohttp_client, migrated_demo_db, connector):
    client = await aiohttp_client(create_app(make_settings(migrated_demo_db), clock=fixed_clock))
    chat = Chat(client)
    await _send(client, connector, chat, text="help")
    assert "073 - 628 87 22" in connector.texts()


async def test_unknown_sender_is_found_by_the_email_in_the_teams_roster(
    aiohttp_client, migrated_demo_db, connector
):
    [(email,)] = db_rows(
        migrated_demo_db, "select p.email from people p join roles r on r.person_id = p.id "
        "where r.role = 'teacher' and p.aad_object_id is null and r.school_id = 2 "
        "order by p.id limit 1")
    connector.members["teacher-29"] = {"id": "teacher-29", "name": "Juf", "aadObjectId": "aad-29",
                                       "email": email, "userPrincipalName": email}
    client = await aiohttp_client(create_app(make_settings(migrated_demo_db), clock=fixed_clock))
    chat = Chat(client, user_id="teacher-29", name="Juf", aad="aad-29")
    await _send(client, connector, chat, text="menu")
    assert "CBS Het Kompas" in connector.texts() and "Fatima el Amrani" in connector.texts()
    assert db_rows(migrated_demo_db, "select aad_object_id from people where email = :email",
                   email=email) == [("aad-29",)]

    stranger = Chat(client, user_id="nobody", name="Niemand", aad="aad-nobody")
    connector.posted.clear()
    await _send(client, connector, stranger, text="menu")
    assert "Ik ken je (nog) niet" in connector.texts()


async def test_a_roster_email_from_another_tenant_is_refused(
    aiohttp_client, migrated_demo_db, connector
):
    email = "f.elamrani@cbshetkompas.nl"
    connector.members["evil-1"] = {"id": "evil-1", "name": "Fatima", "aadObjectId": "evil-aad",
                                   "email": email, "userPrincipalName": email}
    client = await aiohttp_client(create_app(make_settings(migrated_demo_db), clock=fixed_clock))
    chat = Chat(client, user_id="evil-1", name="Fatima", aad="evil-aad",
                tenant="99999999-0000-0000-0000-000000000009")
    await _send(client, connector, chat, text="menu")
    assert "CBS Het Kompas" not in connector.texts()
    assert db_rows(migrated_demo_db, "select aad_object_id from people where email = :email",
                   email=email) == [(None,)]
