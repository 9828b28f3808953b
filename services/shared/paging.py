"""One way to page a list: counted and cut in SQL, a page past the end shows the last page."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    page: int
    page_count: int
    total: int
    query: str = ""


@dataclass(frozen=True)
class Window:
    """Which rows one page holds: the clamped page number, its offset and the totals."""

    page: int
    page_count: int
    total: int
    offset: int
    size: int

    def of(self, items, query: str = "") -> Page:
        return Page(items=tuple(items), page=self.page, page_count=self.page_count,
                    total=self.total, query=query)


def window(total: int, page: int, size: int) -> Window:
    page_count = max(1, math.ceil(total / size))
    page = min(max(page, 1), page_count)
    return Window(page=page, page_count=page_count, total=total, offset=(page - 1) * size,
                  size=size)


async def fetch_page(session: AsyncSession, stmt: Select, page: int, size: int
                     ) -> tuple[Window, list]:
    """The requested page of the statement's rows (the statement must be ordered, and must not
    be DISTINCT) and the window it is in. A page inside the list is one statement: every row
    carries the total along (count(*) over the whole result). Only a page past the end, or an
    empty list, costs a count and a second read, of the last page."""
    asked = window(page * size, page, size)  # the page clamped to at least 1
    rows = (await session.execute(stmt.add_columns(func.count().over())
                                  .offset(asked.offset).limit(size))).all()
    if rows:
        return window(rows[0][-1], asked.page, size), [tuple(row[:-1]) for row in rows]
    total = await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    where = window(total or 0, page, size)
    if not where.total:
        return where, []
    return where, (await session.execute(stmt.offset(where.offset).limit(size))).all()
