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
from tests.conftest import BACKEND, open_school

pytestmark = pytest.mark.asyncio

# The tables a turn's own reads touch; background loops (the shown-codes sweep, the outbox)
# may run their statements through SQLAlchemy meanwhile.
TURN_TABLES = re.compile(
    r"\bFROM (people|bot_state|schools|licences|licence_groups|groups|pupil_credentials)\b")


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
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    before = driver_rows.driver_statements()
    event.listen(Engine, "before_cursor_execute", record)
    try:
        await send(chat, action)
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    return driver_rows.driver_statements() - before, seen
