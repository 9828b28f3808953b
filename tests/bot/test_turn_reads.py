"""A card turn through the real app reads its actor, its state and its data straight from the
database driver, on PostgreSQL together where it can (services/driver_rows.py), not through SQLAlchemy's execution: the reads
that made a turn several times the cost of the Bot Framework's own."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from bot.app import RUNTIME
from bot.foresight import Foresight
from services import driver_rows
from tests.bot.test_teams_connector import connector  # noqa: F401 - the fixture
from tests.conftest import BACKEND, open_school

pytestmark = pytest.mark.asyncio

# The tables a turn's own reads touch; background loops (the shown-codes sweep, the outbox)
# may run their statements through SQLAlchemy meanwhile.
TURN_TABLES = re.compile(
    r"\bFROM (people|bot_state|schools|licences|licence_groups|groups|pupil_credentials)\b")
# A statement of the turn's own about where its sender can be reached: its write or its read.
OWN_REFERENCE_STATEMENT = re.compile(
    r"(INSERT INTO|UPDATE) conversation_refs\b|SELECT conversation_refs\.")


@pytest.mark.parametrize("action, replied, on_postgresql", [
    # The opening reads with the check, the licences and their links.
    ({"action": "licences", "school_id": 1}, "Kleuterplein", 1),
    # The opening reads with the check and the page with its pupils' groups.
    ({"action": "school.pupils", "school_id": 1, "query": "de", "page": 1}, "de", 1),
    # The opening reads with the checks of school and group, the page and its kinds of code.
    ({"action": "pincodes.group", "school_id": 1, "group_id": 3}, "Pincodes Groep 3", 1),
    # The opening reads with the check, the group names, the licences and their links; the
    # dialog state of the confirmation it asks for.
    ("koppel groep 5b aan naut", "Klopt dit?", 2),
])
async def test_a_card_turn_reads_straight_from_the_driver(chat, monkeypatch, action, replied,
                                                          on_postgresql):
    monkeypatch.delenv(driver_rows.CHECK, raising=False)
    await open_school(chat)
    await send(chat, action)  # the statements are planned on first use
    statements, seen = await counted(chat, action)
    assert replied in chat.texts()
    # The actor, the state, the shown codes, the check and the use case's reads: on SQLite one
    # statement each. On PostgreSQL, where each is a round trip, all are one statement: the
    # use case's reads guessed from the sender's last turn (bot.foresight).
    if BACKEND == "postgresql":
        assert statements == on_postgresql
    else:
        assert statements >= 5
    assert [s for s in seen if TURN_TABLES.search(s)] == []


async def test_a_wrong_guess_costs_a_statement_and_changes_no_answer(bot_client, chat,
                                                                    monkeypatch):
    monkeypatch.delenv(driver_rows.CHECK, raising=False)
    bot = bot_client.app[RUNTIME].bot
    await open_school(chat)
    typed = "koppel groep 5b aan naut"
    await send(chat, typed)
    right, _ = await counted(chat, typed)
    answer = chat.texts()
    guessed = dict(bot.foresight._last)
    # Another process answered this sender's last turn: nothing to guess from here.
    bot.foresight = Foresight(bot.dialog)
    unguessed, _ = await counted(chat, typed)
    assert chat.texts() == answer
    # The last turn here was at another school (the user chose Het Kompas elsewhere since).
    bot.foresight._last.update({key: (actor, 2) for key, (actor, _) in guessed.items()})
    wrong, _ = await counted(chat, typed)
    assert chat.texts() == answer
    assert "Het Kompas" not in answer
    if BACKEND == "postgresql":
        assert (right, unguessed, wrong) == (2, 3, 3)
    # The turn at school 1 is remembered for the next.
    assert [school for _, school in bot.foresight._last.values()] == [1]


async def send(chat, action) -> None:
    if isinstance(action, str):
        await chat.say(action)
    else:
        await chat.submit(action)


async def counted(chat, action) -> tuple[int, list[str]]:
    """The statements one turn sends straight to the driver, and those SQLAlchemy runs."""
    return await counting(send(chat, action))


async def counting(turn) -> tuple[int, list[str]]:
    """The statements the awaitable `turn` sends straight to the driver, and those SQLAlchemy
    runs."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    before = driver_rows.driver_statements()
    event.listen(Engine, "before_cursor_execute", record)
    try:
        await turn
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    return driver_rows.driver_statements() - before, seen


async def test_a_turn_teams_sends_reads_its_stored_reference_with_its_first_reads(
        bot_client, chat, connector, monkeypatch):  # noqa: F811 - the imported fixture
    monkeypatch.delenv(driver_rows.CHECK, raising=False)

    async def through_the_connector(text: str) -> None:
        activity = chat._activity("message", text=text, serviceUrl=connector.url)
        activity.pop("deliveryMode")
        response = await bot_client.post("/api/messages", json=activity)
        assert response.status in (200, 201), await response.text()

    _, first = await counting(through_the_connector("help"))  # where Alex can be reached
    assert any(OWN_REFERENCE_STATEMENT.match(s.lstrip()) for s in first)
    statements, seen = await counting(through_the_connector("help"))
    # Read with the actor and the states, and nothing to write: no statement of its own (the
    # background sender's claim, which only looks at the references, may run meanwhile).
    assert [s for s in seen if OWN_REFERENCE_STATEMENT.match(s.lstrip())] == []
    assert "073 - 628 87 22" in connector.texts()
    if BACKEND == "postgresql":
        assert statements == 1
    else:
        assert statements >= 4
