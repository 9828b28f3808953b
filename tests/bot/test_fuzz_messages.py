"""Fuzzing /api/messages with hypothesis: random and mutated activities, every card action with
wrong-typed payloads, odd Unicode and nesting. Never a 5xx, the server keeps serving, and
nothing changes that a coördinator did not ask for. A bounded run here; `python -m
bench.fuzz` runs long (FUZZ_EXAMPLES)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.app import create_app
from dialogs.registry import load_tasks
from services.models import AuditEvent, PupilCredential
from tests.conftest import Chat, fixed_clock, make_settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
# The bounded run in the suite is the same every time; the long run (bench.fuzz) explores.
DERANDOMIZE = "FUZZ_EXAMPLES" not in os.environ
ACTIONS = sorted({route.action for cls in load_tasks() for route in cls.declared_routes()})
ODD_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40)
FIELDS = ["school_id", "group_id", "person_id", "licence_id", "child_id", "page", "query",
          "flow", "ids", "group_ids", "child_ids", "new_code", "verb", "language", "name"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | ODD_TEXT
    | st.sampled_from(["1", "²", "①", "-1", "1e9", "0x1", " 2 ", "", "1,2,3"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ODD_TEXT, inner, max_size=4),
    max_leaves=12)

card_payloads = st.fixed_dictionaries(
    {"action": st.sampled_from(ACTIONS) | json_values},
    optional={field: json_values for field in FIELDS})

mutations = st.dictionaries(
    st.sampled_from(["type", "text", "value", "from", "conversation", "recipient", "channelId",
                     "channelData", "locale", "serviceUrl", "deliveryMode", "name", "id",
                     "membersAdded", "entities", "attachments", "replyToId"]),
    json_values, max_size=3)


@pytest.fixture
async def bot_client(aiohttp_client, migrated_demo_db):
    """The app without the per-user rate limit: the fuzzer is one user sending very fast."""
    settings = make_settings(migrated_demo_db, message_rate="1000000/minute")
    return await aiohttp_client(create_app(settings, clock=fixed_clock))


async def _counts(db) -> tuple[int, int]:
    async with db() as session:
        changes = await session.scalar(select(func.count(AuditEvent.id))
                                       .where(AuditEvent.outcome == "ok"))
        codes = await session.scalar(select(func.count(PupilCredential.person_id)))
        return changes, codes


def _teacher_or_stranger(client, n: int) -> Chat:
    # Not coördinatoren: whatever they send, nothing may change.
    if n % 2:
        return Chat(client, user_id="stranger", name="X", aad="not-in-the-database")
    return Chat(client, user_id="megan", name="Megan Bowen", aad="megan-aad-unknown-tenant",
                tenant="another-tenant")


@settings(max_examples=EXAMPLES, deadline=None, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(payload=card_payloads, mutation=mutations, n=st.integers(0, 3), kind=st.sampled_from(
    ["submit", "invoke", "mutated"]))
async def test_fuzzed_activities_never_5xx_and_change_nothing(bot_client, db, payload, mutation,
                                                              n, kind):
    before = await _counts(db)
    chat = _teacher_or_stranger(bot_client, n)
    if kind == "submit":
        activity = chat._activity("message", value=payload)
    elif kind == "invoke":
        activity = chat._activity("invoke", name="adaptiveCard/action", value={
            "action": {"type": "Action.Execute", "verb": payload.get("action"),
                       "data": payload}})
    else:
        activity = {**chat._activity("message", value=payload), **mutation}
    response = await bot_client.post("/api/messages", json=activity)
    assert response.status < 500, await response.text()
    assert await _counts(db) == before
    health = await bot_client.get("/healthz")
    assert health.status == 200


@settings(max_examples=EXAMPLES, deadline=None, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(payload=card_payloads, text=ODD_TEXT | st.text(min_size=200, max_size=3000))
async def test_a_coordinator_sending_garbage_gets_an_answer(bot_client, payload, text):
    chat = Chat(bot_client)
    for activity in (chat._activity("message", value=payload),
                     chat._activity("message", text=text)):
        response = await bot_client.post("/api/messages", json=activity)
        assert response.status < 500, await response.text()
        if response.status == 200:
            body = await response.json()
            assert body["activities"], "every message gets an answer"
            assert "ging iets mis aan mijn kant" not in str(body)
