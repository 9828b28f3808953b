"""Fixtures of the conversation tests that talk to a local Bot Connector."""

from __future__ import annotations

import pytest

from tests.connector_support import Connector, ConnectorChat


@pytest.fixture
async def connector(aiohttp_server):
    fake = Connector()
    server = await aiohttp_server(fake.app)
    fake.url = str(server.make_url("/")).rstrip("/")
    return fake


@pytest.fixture
def cchat(bot_client, connector) -> ConnectorChat:
    return ConnectorChat(bot_client, connector)
