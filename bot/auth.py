"""Bot Framework token validation on the event loop: signing keys fetched asynchronously with a
timeout, cached with refresh, failures remembered briefly; a forged token never causes a fetch.

The SDK checks tokens with a blocking requests.get (no timeout, no memory of failures) that had
to run in worker threads: six forged tokens on a slow network stalled every request. Here the
only network work is one fetch of the OpenID metadata and its keys at a time, bounded by a
timeout; every token is then checked locally in microseconds.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable

import aiohttp
import jwt
from botbuilder.schema import CallerIdConstants, DeliveryModes
from botframework.connector.auth import AuthenticateRequestResult, ClaimsIdentity

log = logging.getLogger(__name__)

OPENID_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
FETCH_TIMEOUT = 5.0  # seconds for the metadata and the keys together
KEYS_KEPT = 24 * 3600.0  # refresh the signing keys daily (Microsoft rotates them slowly)
FAILURE_KEPT = 30.0  # after a failed fetch, refuse at once for this long instead of fetching
UNKNOWN_KID_REFRESH = 300.0  # an unknown key id fetches anew at most this often
LEEWAY = 300  # seconds of clock skew, as the SDK allows
MAX_TOKEN = 8192


class TokenRefused(PermissionError):
    """The token is not a valid Bot Framework token for this bot."""


class SigningKeys:
    """The Bot Framework's signing keys, from its OpenID metadata, cached."""

    def __init__(self, metadata_url: str = OPENID_METADATA_URL, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.metadata_url = metadata_url
        self._clock = clock
        self._keys: dict[str, dict] = {}
        self._fetched_at: float | None = None
        self._failed_at: float | None = None
        self._lock = asyncio.Lock()

    async def key(self, kid: str) -> dict:
        """The JWK with this key id; TokenRefused when unknown or the keys cannot be had now."""
        now = self._clock()
        fresh = self._fetched_at is not None and now - self._fetched_at < KEYS_KEPT
        if kid in self._keys and fresh:
            return self._keys[kid]
        recently = self._fetched_at is not None and now - self._fetched_at < UNKNOWN_KID_REFRESH
        if fresh and recently:
            raise TokenRefused("unknown signing key")  # no fetch for a made-up key id
        await self._refresh()
        if kid not in self._keys:
            raise TokenRefused("unknown signing key")
        return self._keys[kid]

    async def _refresh(self) -> None:
        async with self._lock:  # one fetch at a time; the others wait for its result
            now = self._clock()
            if self._failed_at is not None and now - self._failed_at < FAILURE_KEPT:
                raise TokenRefused("signing keys unavailable")
            if self._fetched_at is not None and now - self._fetched_at < 1.0:
                return  # another request fetched them just now
            try:
                self._keys = await asyncio.wait_for(self._fetch(), FETCH_TIMEOUT)
            except Exception as exc:  # network, timeout, malformed metadata: all the same here
                self._failed_at = self._clock()
                log.warning("sleutels voor tokencontrole niet op te halen: %s",
                            type(exc).__name__)
                raise TokenRefused("signing keys unavailable") from None
            self._fetched_at = self._clock()
            self._failed_at = None

    async def _fetch(self) -> dict[str, dict]:
        timeout = aiohttp.ClientTimeout(total=FETCH_TIMEOUT)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.get(self.metadata_url) as response:
                response.raise_for_status()
                metadata = json.loads(await response.text())
            jwks_uri = metadata["jwks_uri"]
            if not isinstance(jwks_uri, str) or not jwks_uri.startswith(("https://", "http://")):
                raise ValueError("jwks_uri")
            async with session.get(jwks_uri) as response:
                response.raise_for_status()
                jwks = json.loads(await response.text())
        return {k["kid"]: k for k in jwks["keys"]
                if isinstance(k, dict) and isinstance(k.get("kid"), str) and k.get("kty") == "RSA"}


class TokenValidator:
    """Checks the bearer token of a request from a Bot Framework channel (Teams)."""

    def __init__(self, app_id: str, keys: SigningKeys, *,
                 issuer: str = BOT_FRAMEWORK_ISSUER) -> None:
        self.app_id = app_id
        self.keys = keys
        self.issuer = issuer

    async def claims(self, auth_header: str, channel_id: str | None,
                     service_url: str | None) -> dict:
        if not isinstance(auth_header, str) or not auth_header.startswith("Bearer "):
            raise TokenRefused("no bearer token")
        token = auth_header[len("Bearer "):].strip()
        if not token or len(token) > MAX_TOKEN:
            raise TokenRefused("no bearer token")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise TokenRefused("malformed token") from None
        # Only RS256: never 'none', never an HMAC keyed with something public or guessable.
        if header.get("alg") != "RS256" or not isinstance(header.get("kid"), str):
            raise TokenRefused("wrong algorithm")
        jwk = await self.keys.key(header["kid"])
        endorsements = jwk.get("endorsements")
        if isinstance(endorsements, list) and channel_id not in endorsements:
            raise TokenRefused("key not endorsed for this channel")
        try:
            key = jwt.PyJWK(jwk, algorithm="RS256").key
            claims = jwt.decode(token, key, algorithms=["RS256"], audience=self.app_id,
                                issuer=self.issuer, leeway=LEEWAY,
                                options={"require": ["exp", "iss", "aud"]})
        except jwt.PyJWTError as exc:
            raise TokenRefused(type(exc).__name__) from None
        if service_url is not None and claims.get("serviceurl") != service_url:
            raise TokenRefused("serviceurl claim does not match")
        return claims

    async def authenticate_request(self, activity, auth_header: str) -> ClaimsIdentity:
        """The claims of a request's token (what the SDK's JwtTokenValidation gives)."""
        if auth_header is None:
            raise TokenRefused("no bearer token")
        # An expectReplies request is answered in its HTTP response: no URL is ever called, so
        # the token need not name one.
        buffered = activity.delivery_mode == DeliveryModes.expect_replies
        claims = await self.claims(auth_header, activity.channel_id,
                                   None if buffered else activity.service_url)
        return ClaimsIdentity(claims, True)


async def authenticate(authentication, validator: TokenValidator, activity, auth_header: str):
    """What the SDK's authenticate_request returns, with the token checked by `validator`:
    the claims, the audience and connector factory for replies, the channel's caller id."""
    identity = await validator.authenticate_request(activity, auth_header)
    result = AuthenticateRequestResult()
    result.claims_identity = identity
    result.audience = authentication.get_originating_audience()
    result.caller_id = CallerIdConstants.public_azure_channel
    result.connector_factory = authentication.create_connector_factory(identity)
    return result
