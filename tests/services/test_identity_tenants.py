"""Identity is (tenant, Entra object id); a roster e-mail links a person only from the tenant
their school is in; authentication without a tenant list admits no one."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from bot.config import ConfigError, Settings
from services.actor import Identity
from services.demo import PLAYGROUND_TENANT
from services.models import Person, School
from tests.conftest import ALEX_AAD

FATIMA = "f.elamrani@cbshetkompas.nl"
OTHER_TENANT = "99999999-0000-0000-0000-000000000009"


async def _fatima(sessions) -> Person:
    async with sessions() as session:
        return await session.scalar(select(Person).where(Person.email == FATIMA))


async def test_an_email_from_another_tenant_takes_over_no_one(services, sessions, demo):
    stranger = await services.school.resolve_actor(
        Identity(tenant_id=OTHER_TENANT, aad_object_id="evil-aad", email=FATIMA.upper()))
    assert not stranger.is_known
    fatima = await _fatima(sessions)
    assert fatima.aad_object_id is None and fatima.aad_tenant_id is None
    # Her own tenant still links her, and remembers the pair.
    actor = await services.school.resolve_actor(
        Identity(tenant_id=PLAYGROUND_TENANT, aad_object_id="fatima-aad", email=FATIMA))
    assert actor.is_coordinator and actor.person_id == fatima.id
    fatima = await _fatima(sessions)
    assert (fatima.aad_tenant_id, fatima.aad_object_id) == (PLAYGROUND_TENANT, "fatima-aad")


async def test_the_same_object_id_in_another_tenant_is_someone_else(services, demo):
    assert not (await services.school.resolve_actor(
        Identity(tenant_id=OTHER_TENANT, aad_object_id=ALEX_AAD))).is_known
    assert not (await services.school.resolve_actor(Identity(aad_object_id=ALEX_AAD))).is_known
    assert (await services.school.resolve_actor(
        Identity(tenant_id=PLAYGROUND_TENANT, aad_object_id=ALEX_AAD))).is_coordinator


async def test_a_school_without_a_tenant_links_no_one_by_email(services, sessions, demo):
    async with sessions.begin() as session:
        await session.execute(update(School).values(entra_tenant_id=None))
    actor = await services.school.resolve_actor(
        Identity(tenant_id=PLAYGROUND_TENANT, aad_object_id="fatima-aad", email=FATIMA))
    assert not actor.is_known
    assert (await _fatima(sessions)).aad_object_id is None


def test_authentication_without_a_tenant_list_refuses_to_start():
    env = {"MicrosoftAppId": "11111111-2222-3333-4444-555555555555",
           "MicrosoftAppPassword": "secret"}
    with pytest.raises(ConfigError, match="ALLOWED_TENANTS"):
        Settings.from_env(env)
    assert Settings.from_env({**env, "ALLOWED_TENANTS": f" {PLAYGROUND_TENANT} ",
                              "PUBLIC_URL": "https://bot.example.nl"}
                             ).allowed_tenants == (PLAYGROUND_TENANT,)
    # Built without from_env, an empty list with authentication on admits no one.
    assert not Settings(app_id=env["MicrosoftAppId"]).tenant_allowed(PLAYGROUND_TENANT)
    assert Settings().tenant_allowed(PLAYGROUND_TENANT)
