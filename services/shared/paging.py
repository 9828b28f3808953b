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
    """Count the statement's rows, then fetch only the requested page of them (the statement
    must be ordered). Returns the window and the page's rows."""
    total = await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    where = window(total or 0, page, size)
    rows = (await session.execute(stmt.offset(where.offset).limit(size))).all()
    return where, rows
