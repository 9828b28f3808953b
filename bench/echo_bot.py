"""A bare botbuilder 4.17 echo bot (the SDK sample's shape) as the floor the turn benchmark
compares beheerbot against: `python -m bench.echo_bot --port P [--msrest-fix]`.

It is the stock CloudAdapter with one change without which no expectReplies turn answers at
all: 4.17's `process` serializes the already-serialized reply body again and answers 500
(DESIGN.md §5), so a body that is a dict is returned as it is. `--msrest-fix` adds the start-up
fix of bot/perf.py; everything else is the SDK as shipped. It runs on asyncio's own event loop,
as the sample does; `--loop uvloop` runs it on the loop `beheerbot serve` runs on, to see how
much of a difference between the two is the loop's."""

from __future__ import annotations

import argparse

from aiohttp import web
from botbuilder.core import ActivityHandler, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity

from bot.eventloop import LOOPS, loop_factory


class EchoBot(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        text = turn_context.activity.text or ""
        await turn_context.send_activity(MessageFactory.text(f"Echo: {text}"))


class _NoAuth:
    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


class ExpectRepliesAdapter(CloudAdapter):
    """The stock adapter; only a reply body that is already JSON data is sent as it is."""

    async def process(self, request: web.Request, bot, ws_response=None):
        activity = Activity().deserialize(await request.json())
        auth_header = request.headers.get("Authorization", "")
        invoke_response = await self.process_activity(auth_header, activity, bot.on_turn)
        if invoke_response:
            return web.json_response(invoke_response.body, status=invoke_response.status)
        return web.Response(status=201)


def create_app(msrest_fix: bool) -> web.Application:
    if msrest_fix:
        from bot.perf import apply_msrest_fix

        apply_msrest_fix()
    adapter = ExpectRepliesAdapter(ConfigurationBotFrameworkAuthentication(_NoAuth()))
    bot = EchoBot()

    async def messages(request: web.Request) -> web.Response:
        return await adapter.process(request, bot)

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--msrest-fix", action="store_true")
    parser.add_argument("--loop", choices=LOOPS, default="asyncio")
    args = parser.parse_args()
    web.run_app(create_app(args.msrest_fix), host="127.0.0.1", port=args.port,
                print=None, access_log=None, loop=loop_factory(args.loop)())
