"""A card turn through the real app reads its actor, its state and its data straight from the
database driver, on PostgreSQL together where it can (services/driver_rows.py), not through SQLAlchemy's execution: the reads
that made a turn several times the cost of the Bot Framework's own."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from services import driver_rows
from tests.conftest import BACKEND, open_school

pytestmark = pytest.mark.asyncio

# The tables a turn's own reads touch; background loops (the shown-codes sweep, the outbox)
# may run their statements through SQLAlchemy meanwhile.
TURN_TABLES = re.compile(
    r"\bFROM (people|bot_state|schools|licences|licence_groups|groups|pupil_credentials)\b")


@pytest.mark.parametrize("action, replied, on_postgresql", [
    # The opening reads; the check, the licences and their links.
    ({"action": "licences", "school_id": 1}, "Kleuterplein", 2),
    # The opening reads; the check and the page with its pupils' groups.
    ({"action": "school.pupils", "school_id": 1, "query": "de", "page": 1}, "de", 2),
    # The opening reads; the checks of school and group, the page and its kinds of code.
    ({"action": "pincodes.group", "school_id": 1, "group_id": 3}, "Pincodes Groep 3", 2),
])
async def test_a_card_turn_reads_straight_from_the_driver(chat, monkeypatch, action, replied,
                                                          on_postgresql):
    monkeypatch.delenv(driver_rows.CHECK, raising=False)
    await open_school(chat)
    await chat.submit(action)  # the statements are planned on first use
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    before = driver_rows.driver_statements()
    event.listen(Engine, "before_cursor_execute", record)
    try:
        await chat.submit(action)
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    assert replied in chat.texts()
    # The actor, the state, the shown codes, the check and the use case's reads: on SQLite one
    # statement each. On PostgreSQL, where each is a round trip, the first three are one
    # statement, and the check with the use case's reads that do not depend on it another.
    if BACKEND == "postgresql":
        assert driver_rows.driver_statements() - before == on_postgresql
    else:
        assert driver_rows.driver_statements() - before >= 5
    assert [s for s in seen if TURN_TABLES.search(s)] == []
