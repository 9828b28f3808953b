"""The outbound clients are built once per app id, service URL and audience, and reused."""

from __future__ import annotations

from types import SimpleNamespace

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount
from botframework.connector.auth import ClaimsIdentity

from bot.adapter import BeheerAdapter
from bot.clients import ClientCache, ReusingAuthentication
from tests.conftest import make_settings


def _authentication() -> ReusingAuthentication:
    # No app id: the SDK's credentials are empty ones for any app id, as in local use.
    return ReusingAuthentication(SimpleNamespace(
        APP_ID=None, APP_PASSWORD=None, APP_TYPE="MultiTenant", APP_TENANTID=None))


def _claims(app_id: str) -> ClaimsIdentity:
    return ClaimsIdentity({"aud": app_id}, True)


async def test_a_connector_is_built_once_per_app_service_url_and_audience():
    auth = _authentication()
    teams = "https://smba.trafficmanager.net/emea/"
    first = await auth.create_connector_factory(_claims("app-1")).create(teams, "aud")
    again = await auth.create_connector_factory(_claims("app-1")).create(teams, "aud")
    assert again is first and first.config.base_url == teams
    assert await auth.create_connector_factory(_claims("app-1")).create(
        "https://smba.trafficmanager.net/amer/", "aud") is not first
    assert await auth.create_connector_factory(_claims("app-2")).create(teams, "aud") \
        is not first
    assert await auth.create_connector_factory(_claims("app-1")).create(teams, "other") \
        is not first
    assert len(auth.connectors) == 4


async def test_an_incoming_activity_gets_the_cached_clients():
    adapter = BeheerAdapter(make_settings("sqlite+aiosqlite:///unused.db"))
    auth = adapter.bot_framework_authentication
    assert isinstance(auth, ReusingAuthentication)
    seen = []

    async def logic(context: TurnContext) -> None:
        seen.append((context.turn_state[adapter.BOT_CONNECTOR_CLIENT_KEY],
                     context.turn_state[adapter.USER_TOKEN_CLIENT_KEY]))

    for _ in range(2):
        activity = Activity(type="event", name="x", channel_id="msteams",
                            service_url="https://smba.trafficmanager.net/emea/",
                            from_property=ChannelAccount(id="user"),
                            recipient=ChannelAccount(id="bot"),
                            conversation=ConversationAccount(id="conv"))
        result = await auth.authenticate_request(activity, "")  # authentication off here
        await adapter.process_activity(result, activity, logic)
    (connector, tokens), (connector_again, tokens_again) = seen
    assert connector is connector_again and tokens is tokens_again


async def test_the_cache_keeps_the_most_recently_used():
    cache = ClientCache(size=2)
    built = []

    async def build(key):
        built.append(key)
        return object()

    a = await cache.get("a", lambda: build("a"))
    await cache.get("b", lambda: build("b"))
    assert await cache.get("a", lambda: build("a")) is a  # a is now the most recent
    await cache.get("c", lambda: build("c"))  # b goes
    assert await cache.get("a", lambda: build("a")) is a
    await cache.get("b", lambda: build("b"))
    assert built == ["a", "b", "c", "b"] and len(cache) == 2
