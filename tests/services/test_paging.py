"""Paging in SQL: the page asked for, its window, and the last page for a page past the end."""

from __future__ import annotations

from sqlalchemy import event, select

from services.models import Person
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
