"""Paging in SQL: the page asked for, its window, and the last page for a page past the end."""

from __future__ import annotations

import gc

from sqlalchemy import bindparam, event, select

from services.models import Person
from services.shared import paging
from services.shared.paging import fetch_page
from services.shared.predicates import person_order


async def test_a_page_is_one_statement_and_a_page_past_the_end_is_the_last(sessions, demo):
    everyone = select(Person.id, Person.last_name).order_by(*person_order())
    statements = []

    def count(*_args) -> None:
        statements.append(1)

    async with sessions() as session:
        ids = list((await session.scalars(select(Person.id).order_by(*person_order()))).all())
        assert len(ids) > 25
        engine = session.bind.sync_engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            where, rows = await fetch_page(session, everyone, 2, 10)
            assert len(statements) == 1
            assert (where.page, where.total, where.page_count, where.offset) == (
                2, len(ids), -(-len(ids) // 10), 10)
            assert [r[0] for r in rows] == ids[10:20] and len(rows[0]) == 2

            statements.clear()
            where, rows = await fetch_page(session, everyone, 999, 10)
            assert len(statements) == 3  # the empty page, the count, the last page
            assert where.page == where.page_count and [r[0] for r in rows] == ids[where.offset:]

            where, rows = await fetch_page(session, everyone, 0, 10)
            assert where.page == 1 and [r[0] for r in rows] == ids[:10]

            nobody = everyone.where(Person.last_name == "niemand-heet-zo")
            where, rows = await fetch_page(session, nobody, 3, 10)
            assert (where.page, where.page_count, where.total, rows) == (1, 1, 0, [])

            where, rows = await fetch_page(
                session, select(Person).order_by(*person_order()), 1, 5)
            assert [type(r[0]) for r in rows] == [Person] * 5 and len(rows[0]) == 1
        finally:
            event.remove(engine, "before_cursor_execute", count)


async def test_a_statement_built_once_is_paged_with_parameters_and_others_are_not_kept(
        sessions, demo):
    """A statement built once keeps its page statements (with its own parameters beside the
    page's); one built for a single call leaves nothing behind."""
    by_name = (select(Person.id).where(Person.last_name.like(bindparam("name")))
               .order_by(*person_order()))
    async with sessions() as session:
        first, rows = await fetch_page(session, by_name, 1, 5, {"name": "%"})
        assert rows and first.total >= len(rows)
        kept = paging._PAGED[by_name]
        past, last = await fetch_page(session, by_name, 999, 5, {"name": "%"})
        assert paging._PAGED[by_name] is kept
        assert past.page == past.page_count and last
        none, empty = await fetch_page(session, by_name, 1, 5, {"name": "no such name"})
        assert none.total == 0 and empty == []
    before = len(paging._PAGED)
    for n in range(20):
        once = select(Person.id).where(Person.id > n).order_by(Person.id)
        async with sessions() as session:
            await fetch_page(session, once, 3, 5)
    del once
    gc.collect()
    assert len(paging._PAGED) == before
