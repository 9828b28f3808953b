"""Reads straight from the driver give what SQLAlchemy gives, and go the driver's way only
where that is safe: a Core select on a reading connection."""

from __future__ import annotations

import contextlib
from datetime import datetime

import pytest
from sqlalchemy import Numeric, bindparam, cast, event, select, text, update
from sqlalchemy.exc import DBAPIError

from services import driver_rows
from services.db import reading, reads_together
from services.driver_rows import Read, all_rows, changed_rows, first_row, rows_ahead
from services.licences.links import _GROUP_LICENCES_OF_YEAR
from services.models import Group, LicenceGroup, Person, School
from services.shared.context import _COORDINATED_SCHOOL
from services.shared.licences import _LIVE_LINKS, _links_of, licence_list, licence_reads
from tests.licence_tasks_support import regenboog

pytestmark = pytest.mark.asyncio

_G, _LG, _P, _S = Group.__table__, LicenceGroup.__table__, Person.__table__, School.__table__


class Statements:
    """Counts the statements SQLAlchemy runs on an engine."""

    def __init__(self, engine) -> None:
        self.count = 0
        self._engine = engine.sync_engine
        event.listen(self._engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1

    def close(self) -> None:
        event.remove(self._engine, "before_cursor_execute", self._seen)


@pytest.fixture
def statements(sessions):
    counter = Statements(sessions.kw["bind"])
    yield counter
    counter.close()


@pytest.fixture
def unchecked(monkeypatch):
    """Without the suite's double check, so that SQLAlchemy's statements can be counted."""
    monkeypatch.delenv(driver_rows.CHECK, raising=False)


async def expected(connection, statement, params):
    return [tuple(row) for row in (await connection.execute(statement, params)).all()]


async def test_rows_match_sqlalchemys_value_for_value_and_type_for_type(sessions, demo, alex):
    links = select(_LG.c.licence_id, _LG.c.linked_at, _G.c.name, (_G.c.deleted_at.is_(None))
                   .label("live")).join(_G, _G.c.id == _LG.c.group_id).where(
        _LG.c.licence_id.in_(bindparam("licences", expanding=True))).order_by(_LG.c.id)
    async with reading(sessions) as connection:
        school = await first_row(connection, _COORDINATED_SCHOOL,
                                 {"school": regenboog(alex), "person": alex.person_id})
        assert school == tuple(await expected(connection, _COORDINATED_SCHOOL, {
            "school": regenboog(alex), "person": alex.person_id}))[0]
        # The unnamed EXISTS is a bool on both databases, and its key is SQLAlchemy's.
        assert school[-1] is True and school._fields[-1] == "anon_1"
        assert school.name == "OBS De Regenboog"
        licence_ids = [row[0] for row in await all_rows(connection, select(_LG.c.licence_id))]
        assert licence_ids
        # Each number of values of an expanding IN is its own SQL: one, several, none.
        for wanted in (licence_ids[:1], licence_ids, [], licence_ids[:1]):
            got = await all_rows(connection, links, {"licences": wanted})
            assert [tuple(row) for row in got] == await expected(
                connection, links, {"licences": wanted})
            assert all(isinstance(row.linked_at, datetime) and row.live is True for row in got)
        assert len(await all_rows(connection, _LIVE_LINKS, {"licences": licence_ids})) > 0
        # An IN list written into the statement itself.
        listed = select(_S.c.id).where(_S.c.id.in_([1, 2, -1])).order_by(_S.c.id)
        assert [tuple(r) for r in await all_rows(connection, listed)] == await expected(
            connection, listed, {})


async def test_a_reading_connection_reads_from_the_driver(sessions, demo, alex, statements,
                                                          unchecked):
    before = driver_rows.driver_statements()
    async with reading(sessions) as connection:
        await first_row(connection, _COORDINATED_SCHOOL,
                        {"school": regenboog(alex), "person": alex.person_id})
        await all_rows(connection, _LIVE_LINKS, {"licences": [1, 2, 3]})
    assert driver_rows.driver_statements() - before == 2
    # SQLite's BEGIN is all SQLAlchemy sends; PostgreSQL reads in autocommit.
    assert statements.count == 0


async def test_sessions_and_writing_connections_go_through_sqlalchemy(sessions, demo, alex,
                                                                      statements, unchecked):
    before = driver_rows.driver_statements()
    params = {"school": regenboog(alex), "person": alex.person_id}
    async with sessions() as session:
        assert (await first_row(session, _COORDINATED_SCHOOL, params)).name == "OBS De Regenboog"
    async with sessions.kw["bind"].connect() as connection:
        assert (await first_row(connection, _COORDINATED_SCHOOL, params))[0] == regenboog(alex)
    assert driver_rows.driver_statements() == before
    assert statements.count == 2


async def test_a_statement_it_cannot_plan_goes_through_sqlalchemy(sessions, demo, statements,
                                                                  unchecked):
    before = driver_rows.driver_statements()
    async with reading(sessions) as connection:
        # A Numeric column's processing depends on the driver's column type.
        rows = await all_rows(connection, select(cast(_S.c.id, Numeric(10, 2))))
        assert rows
        # A value rendered into the SQL at each execution.
        literal = select(_S.c.id).where(_S.c.id == bindparam("school", literal_execute=True))
        assert await all_rows(connection, literal, {"school": 1}) == await expected(
            connection, literal, {"school": 1})
        # Not a select.
        assert (await all_rows(connection, text("SELECT 1"))) == [(1,)]
    assert driver_rows.driver_statements() == before
    assert statements.count >= 4


async def test_a_driver_error_is_raised_by_sqlalchemy(sessions, demo, unchecked):
    broken = select(_S.c.id).where(_S.c.id == bindparam("school")).where(
        text("no_such_column = 1"))
    async with reading(sessions) as connection:
        with pytest.raises(DBAPIError):
            await all_rows(connection, broken, {"school": 1})
    # The connection went back to the pool in order: the next read works.
    async with reading(sessions) as connection:
        assert await all_rows(connection, select(_S.c.id).limit(1))


async def test_reads_together_see_one_snapshot_on_sqlite(sessions, demo, db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL reads in autocommit: each statement its own snapshot")
    names = select(_P.c.first_name).where(_P.c.id == bindparam("person"))
    async with reads_together(sessions):
        async with reading(sessions) as connection:
            first = await first_row(connection, names, {"person": 1})
            assert first is not None
            assert connection.in_transaction()
            async with sessions.begin() as session:
                await session.execute(text("UPDATE people SET first_name = 'Anders' WHERE id = 1"))
        async with reading(sessions) as connection:
            assert await first_row(connection, names, {"person": 1}) == first
    async with reading(sessions) as connection:
        assert (await first_row(connection, names, {"person": 1})).first_name == "Anders"


async def test_the_double_check_catches_a_difference(sessions, demo, monkeypatch):
    monkeypatch.setenv(driver_rows.CHECK, "1")
    statement = select(_S.c.id, _S.c.name).where(_S.c.id == bindparam("school"))
    async with reading(sessions) as connection:
        await all_rows(connection, statement, {"school": 1})
        plan = driver_rows._PLANS[statement][connection.dialect.name]
        monkeypatch.setattr(plan, "results", (None, str.upper))
        with pytest.raises(AssertionError, match="driver rows differ"):
            await all_rows(connection, statement, {"school": 1})


async def test_an_update_goes_to_the_driver_only_where_its_transaction_is_known(
        sessions, demo, unchecked):
    rename = update(_S).where(_S.c.id == bindparam("school")).values(city=bindparam("city"))
    engine = sessions.kw["bind"]
    sqlite = engine.dialect.name == "sqlite"
    before = driver_rows.driver_statements()
    async with engine.connect() as connection:  # in a transaction SQLAlchemy began
        async with connection.begin():
            assert await changed_rows(connection, rename, {"school": 1, "city": "Zeist"}) == 1
            assert await changed_rows(connection, rename, {"school": -1, "city": "X"}) == 0
    # SQLite: both straight to sqlite3. PostgreSQL: a transaction SQLAlchemy's asyncpg adapter
    # opens at its first statement, so both through SQLAlchemy.
    assert driver_rows.driver_statements() - before == (2 if sqlite else 0)
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        async with connection.begin():
            assert await changed_rows(connection, rename, {"school": 1, "city": "Utrecht"}) == 1
    assert driver_rows.driver_statements() - before == (3 if sqlite else 1)
    async with reading(sessions) as connection:
        assert (await first_row(connection, select(_S.c.city).where(_S.c.id == 1))).city == (
            "Utrecht")
    async with engine.connect() as connection:  # RETURNING is more than a count
        async with connection.begin():
            assert await changed_rows(connection, rename.returning(_S.c.id),
                                      {"school": 1, "city": "Utrecht"}) == 1
    # The read above was one more; the RETURNING went through SQLAlchemy.
    assert driver_rows.driver_statements() - before == (4 if sqlite else 2)


async def test_reads_ahead_are_one_statement_on_postgresql_and_give_the_same_rows(
        sessions, demo, alex, unchecked):
    school = regenboog(alex)
    check = Read(_COORDINATED_SCHOOL, {"school": school, "person": alex.person_id})
    links = Read(_LIVE_LINKS, {"licences": [1, 2, 3, 4, 5]})
    nobody = Read(select(_P.c.id, _P.c.last_name).where(_P.c.id == bindparam("who")),
                  {"who": 10**9})
    async with reading(sessions) as connection:
        wanted = [await expected(connection, r.statement, r.params)
                  for r in (check, links, nobody)]
    assert wanted[1], "the demo school has linked groups"
    postgresql = sessions.kw["bind"].dialect.name == "postgresql"
    before = driver_rows.driver_statements()
    async with reading(sessions) as connection, rows_ahead(connection, [check, links, nobody]):
        read_ahead = driver_rows.driver_statements() - before
        got = [await all_rows(connection, r.statement, r.params) for r in (check, links, nobody)]
        after_all = driver_rows.driver_statements() - before
    # Value for value, type for type, key for key: as the reads one by one give them.
    assert [[tuple(row) for row in rows] for rows in got] == wanted
    assert [[[type(v) for v in row] for row in rows] for rows in got] == [
        [[type(v) for v in row] for row in rows] for rows in wanted]
    assert got[0][0].name == "OBS De Regenboog"
    # PostgreSQL: one round trip for all three, none after. SQLite: none ahead, three after.
    assert (read_ahead, after_all) == ((1, 1) if postgresql else (0, 3))


async def test_rows_read_ahead_are_taken_once_and_only_for_their_own_values(
        sessions, demo, unchecked):
    names = select(_P.c.first_name).where(_P.c.id == bindparam("person"))
    schools = select(_S.c.name).where(_S.c.id == bindparam("school"))
    async with reading(sessions) as connection, rows_ahead(connection, [
            Read(names, {"person": 1}), Read(schools, {"school": 1})]):
        first = await first_row(connection, names, {"person": 1})
        async with sessions.begin() as session:
            await session.execute(text("UPDATE people SET first_name = 'Anders' WHERE id = 1"))
        # The same read again is read again (on SQLite in the snapshot of the connection's
        # read transaction, on PostgreSQL anew); another person's is no read ahead.
        before = driver_rows.driver_statements()
        again = await first_row(connection, names, {"person": 1})
        assert driver_rows.driver_statements() == before + 1
        assert first.first_name != "Anders"
        assert again.first_name == (
            "Anders" if connection.dialect.name == "postgresql" else first.first_name)
        other = await first_row(connection, names, {"person": 2})
        assert other == (await expected(connection, names, {"person": 2}))[0]
    # Outside the block nothing is left of it.
    async with reading(sessions) as connection:
        assert (await first_row(connection, schools, {"school": 1})) is not None
        assert driver_rows._AHEAD.get() is None


async def test_reads_sharing_a_parameter_name_with_other_values_are_read_one_by_one(
        sessions, demo, unchecked):
    names = select(_P.c.first_name).where(_P.c.id == bindparam("person"))
    ids = select(_P.c.id).where(_P.c.id == bindparam("person"))
    before = driver_rows.driver_statements()
    async with reading(sessions) as connection:
        async with rows_ahead(connection, [Read(names, {"person": 1}), Read(ids, {"person": 2})]):
            assert driver_rows.driver_statements() == before
            assert (await first_row(connection, ids, {"person": 2})).id == 2
            assert (await first_row(connection, names, {"person": 1})).first_name
        if connection.dialect.name == "postgresql":
            # The same values: one parameter of the combined select.
            async with rows_ahead(connection, [Read(names, {"person": 3}),
                                               Read(ids, {"person": 3})]):
                assert driver_rows.driver_statements() == before + 3
                assert (await first_row(connection, ids, {"person": 3})).id == 3
            assert driver_rows.driver_statements() == before + 3


async def test_nothing_is_read_ahead_in_a_session_or_when_the_combined_read_fails(
        sessions, demo, unchecked):
    names = select(_P.c.first_name).where(_P.c.id == bindparam("person"))
    broken = select(_S.c.id).where(_S.c.id == bindparam("school")).where(
        text("no_such_column = 1"))
    before = driver_rows.driver_statements()
    async with sessions() as session, rows_ahead(session, [
            Read(names, {"person": 1}), Read(names, {"person": 1})]):
        assert driver_rows._AHEAD.get() is None
    async with reading(sessions) as connection:
        async with rows_ahead(connection, [Read(names, {"person": 1}),
                                           Read(broken, {"school": 1})]):
            assert driver_rows._AHEAD.get() is None
        # The failed read left the connection usable.
        assert (await first_row(connection, names, {"person": 1})).first_name
    assert driver_rows.driver_statements() == before + 1


async def test_the_links_of_a_licence_statement_are_the_links_of_its_licences(
        sessions, services, demo, alex):
    params = {"school": regenboog(alex), "year": services.school.ctx.school_year()}
    async with reading(sessions) as connection:
        ids = [row[0] for row in await all_rows(connection, _GROUP_LICENCES_OF_YEAR, params)]
        by_ids = await expected(connection, _LIVE_LINKS, {"licences": ids})
        of_statement = await expected(connection, _links_of(_GROUP_LICENCES_OF_YEAR), params)
        listed = await licence_list(connection, _GROUP_LICENCES_OF_YEAR, params)
        async with rows_ahead(connection, licence_reads(_GROUP_LICENCES_OF_YEAR, params)):
            listed_ahead = await licence_list(connection, _GROUP_LICENCES_OF_YEAR, params)
    assert by_ids and sorted(of_statement) == sorted(by_ids)
    assert listed_ahead == listed
    assert any(licence.linked_groups for licence in listed)


async def test_reads_for_a_later_block_are_read_with_the_turns_first_and_taken_by_the_next(
        sessions, services, demo, unchecked):
    names = select(_P.c.first_name).where(_P.c.id == bindparam("person"))
    schools = select(_S.c.name).where(_S.c.id == bindparam("school"))
    groups = select(_G.c.name).where(_G.c.school_id == bindparam("school")).order_by(_G.c.id)
    ids = select(_P.c.id).where(_P.c.id == bindparam("who"))
    opening = [Read(names, {"person": 1}), Read(ids, {"who": 2})]
    later = [Read(schools, {"school": 1}), Read(groups, {"school": 1})]
    postgresql = sessions.kw["bind"].dialect.name == "postgresql"
    async with reading(sessions) as connection:
        wanted = [await expected(connection, r.statement, r.params) for r in later]

    async def turn(second_block: list[Read], *, write: bool = False) -> tuple[int, list]:
        """Statements of the second block, and what it read."""
        with driver_rows.turn_reads():
            async with reads_together(sessions) as connection, rows_ahead(
                    connection, opening, later):
                for read in opening:
                    await all_rows(connection, read.statement, read.params)
            if write:
                async with services.school.ctx.transaction(None, "test"):
                    pass
            before = driver_rows.driver_statements()
            async with reading(sessions) as connection, rows_ahead(connection, second_block):
                got = [await all_rows(connection, r.statement, r.params)
                       for r in second_block]
            return driver_rows.driver_statements() - before, got

    # The reads guessed right: no statement of their own on PostgreSQL, the same rows.
    count, got = await turn(later)
    assert [[tuple(row) for row in rows] for rows in got] == wanted
    assert count == (0 if postgresql else 2)
    # One guessed right, one another school's: that one is read on its own.
    count, got = await turn([later[0], Read(groups, {"school": 2})])
    assert count == (1 if postgresql else 2)
    # A write of the turn drops the guess: its rows may be what the write changed.
    count, _ = await turn(later, write=True)
    assert count == (1 if postgresql else 2)
    # The next block takes what it reads and drops the rest: nothing is left for a third.
    with driver_rows.turn_reads():
        async with reads_together(sessions) as connection, rows_ahead(connection, opening, later):
            pass
        async with reading(sessions) as connection, rows_ahead(connection, later[:1]):
            await all_rows(connection, later[0].statement, later[0].params)
        before = driver_rows.driver_statements()
        async with reading(sessions) as connection:
            await all_rows(connection, later[1].statement, later[1].params)
        assert driver_rows.driver_statements() - before == 1
    # Outside a turn's scope, or where a guessed value would change one the opening reads
    # need, nothing is guessed, and the opening reads are read together as always.
    for scope, guess in ((False, later), (True, [Read(names, {"person": 3})])):
        before = driver_rows.driver_statements()
        with driver_rows.turn_reads() if scope else contextlib.nullcontext():
            async with reads_together(sessions) as connection, rows_ahead(
                    connection, opening, guess):
                assert driver_rows.driver_statements() - before == (1 if postgresql else 0)
            assert not driver_rows._LATER.get()
