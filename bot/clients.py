"""The Bot Framework's outbound clients, built once and reused for every turn.

CloudAdapter asks its authentication for a new ConnectorClient and a new UserTokenClient at
every incoming activity, and msrest builds a whole configuration and HTTP pipeline for each:
about a sixth of a menu turn, for clients that are the same every time for one app id,
audience and service URL. The Bot Framework SDK for .NET keeps its connector clients in a
cache for the same reason. A client holds credentials, not tokens: the credentials fetch and
renew their token per request, so a long-lived client stays valid."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    ClaimsIdentity,
)
from botframework.connector.auth.connector_factory import ConnectorFactory

# Teams answers from a handful of service URLs per region; a bound keeps forged ones (which
# service_url_allowed refuses anyway when authentication is on) from growing the cache.
MAX_CLIENTS = 64


class ClientCache:
    """The most recently used clients by key, at most `size` of them."""

    def __init__(self, size: int = MAX_CLIENTS) -> None:
        self._size = size
        self._clients: OrderedDict[Hashable, Any] = OrderedDict()

    async def get(self, key: Hashable, build: Callable[[], Awaitable[Any]]) -> Any:
        client = self._clients.get(key)
        if client is None:
            client = await build()
            self._clients[key] = client
            if len(self._clients) > self._size:
                # Dropped, not closed: a turn in flight may still be using it (the SDK never
                # closes its per-turn clients either).
                self._clients.popitem(last=False)
        else:
            self._clients.move_to_end(key)
        return client

    def __len__(self) -> int:
        return len(self._clients)


def app_id_of(claims_identity: ClaimsIdentity) -> str | None:
    """The bot's app id the claims were issued for (as the SDK reads it)."""
    return (claims_identity.get_claim_value(AuthenticationConstants.AUDIENCE_CLAIM)
            or claims_identity.get_claim_value(AuthenticationConstants.APP_ID_CLAIM))


class ReusedConnectors(ConnectorFactory):
    """A connector factory that hands out the cached client of its app id, service URL and
    audience, and builds one with the SDK's factory only the first time."""

    def __init__(self, inner: ConnectorFactory, app_id: str | None, cache: ClientCache) -> None:
        self._inner = inner
        self._app_id = app_id
        self._cache = cache

    async def create(self, service_url: str, audience: str = None):
        return await self._cache.get((self._app_id, service_url, audience),
                                     lambda: self._inner.create(service_url, audience))


class ReusingAuthentication(ConfigurationBotFrameworkAuthentication):
    """The SDK's authentication from configuration, with its outbound clients reused."""

    def __init__(self, configuration: Any, **kwargs: Any) -> None:
        super().__init__(configuration, **kwargs)
        self.connectors = ClientCache()
        self.token_clients = ClientCache()

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return ReusedConnectors(super().create_connector_factory(claims_identity),
                                app_id_of(claims_identity), self.connectors)

    async def authenticate_request(self, activity, auth_header: str
                                   ) -> AuthenticateRequestResult:
        result = await super().authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = ReusedConnectors(
                result.connector_factory, app_id_of(result.claims_identity), self.connectors)
        return result

    async def create_user_token_client(self, claims_identity: ClaimsIdentity):
        parent = super()
        return await self.token_clients.get(
            app_id_of(claims_identity),
            lambda: parent.create_user_token_client(claims_identity))
