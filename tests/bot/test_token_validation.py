"""Real token validation end to end, with no network: a local token issuer (its own RSA key,
OpenID metadata and JWKS on loopback) signs tokens the app checks like Teams' own."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import bot.auth
from bot.app import create_app
from services.demo import PLAYGROUND_TENANT
from tests.conftest import Chat, fixed_clock, make_settings

APP_ID = "11111111-2222-3333-4444-555555555555"
PASSWORD = "the-app-password-of-this-bot"
KID = "local-test-key"


def _private_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


KEY = _private_key()
OTHER_KEY = _private_key()


class LocalIssuer:
    """OpenID metadata and a JWKS, as login.botframework.com serves them."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.fetches = 0
        self.fetching = asyncio.Event()  # set when the first fetch arrives
        self.app = web.Application()
        self.app.router.add_get("/v1/.well-known/openidconfiguration", self.metadata)
        self.app.router.add_get("/v1/keys", self.keys)

    async def metadata(self, request: web.Request) -> web.Response:
        self.fetches += 1
        self.fetching.set()
        await asyncio.sleep(self.delay)  # a tarpit when delay is long
        return web.json_response({"issuer": bot.auth.BOT_FRAMEWORK_ISSUER,
                                  "jwks_uri": str(request.url.with_path("/v1/keys"))})

    async def keys(self, request: web.Request) -> web.Response:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key(), as_dict=True)
        return web.json_response({"keys": [{**jwk, "kid": KID, "use": "sig",
                                            "endorsements": ["msteams"]}]})


def token(*, key=KEY, alg="RS256", kid=KID, **claims) -> str:
    now = int(time.time())
    payload = {"iss": bot.auth.BOT_FRAMEWORK_ISSUER, "aud": APP_ID, "iat": now,
               "nbf": now - 10, "exp": now + 3600, **claims}
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid})


def _part(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _claims() -> dict:
    return {"iss": bot.auth.BOT_FRAMEWORK_ISSUER, "aud": APP_ID, "exp": int(time.time()) + 600}


def _unsigned() -> str:
    return f"{_part({'alg': 'none', 'typ': 'JWT', 'kid': KID})}.{_part(_claims())}."


def _hs256(secret: bytes) -> str:
    """HS256 keyed with something an attacker knows (the libraries refuse to make these)."""
    signing_input = f"{_part({'alg': 'HS256', 'typ': 'JWT', 'kid': KID})}.{_part(_claims())}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_part(mac)}"


async def _client(aiohttp_client, aiohttp_server, migrated_demo_db, issuer: LocalIssuer):
    server = await aiohttp_server(issuer.app)
    settings = make_settings(
        migrated_demo_db, app_id=APP_ID, app_password=PASSWORD,
        allowed_tenants=(PLAYGROUND_TENANT,),
        openid_metadata_url=str(server.make_url("/v1/.well-known/openidconfiguration")))
    return await aiohttp_client(create_app(settings, clock=fixed_clock))


async def _post(client, bearer: str | None):
    activity = Chat(client)._activity("message", text="help")
    headers = {"Authorization": f"Bearer {bearer}"} if bearer is not None else {}
    return await client.post("/api/messages", json=activity, headers=headers)


async def test_a_valid_token_is_served_and_every_bad_one_is_401(
        aiohttp_client, aiohttp_server, migrated_demo_db):
    issuer = LocalIssuer()
    client = await _client(aiohttp_client, aiohttp_server, migrated_demo_db, issuer)
    response = await _post(client, token())
    assert response.status == 200, await response.text()
    assert "Hulp" in str(await response.json())
    bad = {
        "expired": token(exp=int(time.time()) - 3600, iat=int(time.time()) - 7200,
                         nbf=int(time.time()) - 7200),
        "wrong audience": token(aud="22222222-0000-0000-0000-000000000000"),
        "wrong issuer": token(iss="https://sts.windows.net/evil/"),
        "wrong key": token(key=OTHER_KEY),
        "alg none": _unsigned(),
        "HS256 with the app password": _hs256(PASSWORD.encode()),
        "HS256 with the public key": _hs256(KEY.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)),
        "no exp": token(exp=None),
        "garbage": "a.b.c",
    }
    for why, bearer in bad.items():
        response = await _post(client, bearer)
        assert response.status == 401, why
    assert issuer.fetches == 1  # the keys were fetched once and kept


async def test_forged_key_ids_cost_no_fetch(aiohttp_client, aiohttp_server, migrated_demo_db):
    issuer = LocalIssuer()
    client = await _client(aiohttp_client, aiohttp_server, migrated_demo_db, issuer)
    assert (await _post(client, token())).status == 200
    started = time.perf_counter()
    for n in range(50):
        assert (await _post(client, token(kid=f"made-up-{n}"))).status == 401
    assert issuer.fetches == 1
    assert time.perf_counter() - started < 5


async def test_a_tarpit_for_the_keys_stalls_nothing(aiohttp_client, aiohttp_server,
                                                    migrated_demo_db, monkeypatch):
    """Order, not stopwatch, proves the point: /healthz is answered while the key fetch still
    hangs, and the requests waiting on it end at the fetch timeout, not the tarpit's minute."""
    timeout = 2.0
    monkeypatch.setattr(bot.auth, "FETCH_TIMEOUT", timeout)
    issuer = LocalIssuer(delay=60)
    client = await _client(aiohttp_client, aiohttp_server, migrated_demo_db, issuer)
    started = time.perf_counter()
    forged = [asyncio.create_task(_post(client, token(key=OTHER_KEY))) for _ in range(12)]
    await asyncio.wait_for(issuer.fetching.wait(), timeout / 2)
    assert issuer.fetches == 1  # the fetch hangs in the tarpit now
    health = await client.get("/healthz")
    assert health.status == 200
    assert not any(task.done() for task in forged)  # served before the fetch gave up
    assert [r.status for r in await asyncio.gather(*forged)] == [401] * 12
    assert time.perf_counter() - started < timeout + 8  # the timeout, not the tarpit's 60 s
    assert issuer.fetches == 1  # one fetch for all twelve; the failure is remembered
    more = time.perf_counter()
    assert (await _post(client, token())).status == 401
    assert issuer.fetches == 1 and time.perf_counter() - more < timeout / 2  # no new wait


@pytest.mark.parametrize("header", ["Bearer", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 100])
async def test_malformed_headers_are_refused_without_a_fetch(
        aiohttp_client, aiohttp_server, migrated_demo_db, header):
    issuer = LocalIssuer()
    client = await _client(aiohttp_client, aiohttp_server, migrated_demo_db, issuer)
    activity = Chat(client)._activity("message", text="help")
    response = await client.post("/api/messages", json=activity,
                                 headers={"Authorization": header})
    assert response.status == 401 and issuer.fetches == 0


async def test_no_token_password_or_key_in_the_logs(aiohttp_client, aiohttp_server,
                                                   migrated_demo_db, caplog):
    import logging

    from tests.conftest import TEST_KEY_TEXT

    caplog.set_level(logging.DEBUG)
    issuer = LocalIssuer()
    client = await _client(aiohttp_client, aiohttp_server, migrated_demo_db, issuer)
    tokens = [token(), token(key=OTHER_KEY), token(aud="someone-else"), _unsigned(),
              _hs256(PASSWORD.encode()), token(kid="made-up")]
    for bearer in tokens:
        await _post(client, bearer)
    chat = Chat(client)
    for text in ("menu", "pincodes groep 4", "help"):
        activity = chat._activity("message", text=text)
        await client.post("/api/messages", json=activity,
                          headers={"Authorization": f"Bearer {tokens[0]}"})
    logged = caplog.text
    assert "verzoek geweigerd" in logged  # the refusals were logged, without their tokens
    for secret in (*tokens, PASSWORD, TEST_KEY_TEXT):
        assert secret not in logged
    for bearer in tokens:
        assert bearer.split(".")[-1] not in logged or not bearer.split(".")[-1]
