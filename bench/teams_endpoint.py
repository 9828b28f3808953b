"""The test Bot Connector endpoint (tests/notify/test_sender.py `Connector`: Teams' limits as
sliding windows, 429 with Retry-After) as a process of its own, as Teams is: its work does not
share the sender's event loop. GET /_stats gives what it received.

Usage: python -m bench.teams_endpoint --port 8123"""

from __future__ import annotations

import argparse

from aiohttp import web

from tests.notify.test_sender import Connector


def app() -> web.Application:
    connector = Connector()
    application = connector.app()

    async def stats(request: web.Request) -> web.Response:
        return web.json_response({
            "delivered": connector.delivered, "throttled": connector.throttled,
            "arrivals": sorted(t for times in connector.tenants.values() for t in times),
            "conversations": {cid: list(times) for cid, times in connector.recent.items()}})

    application.router.add_get("/_stats", stats)
    application.router.add_get("/healthz", stats)  # up: bench.turns.start waits for it
    return application


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    web.run_app(app(), host="127.0.0.1", port=parser.parse_args().port, print=None,
                access_log=None)
