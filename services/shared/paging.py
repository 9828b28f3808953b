"""One way to page a list: counted and cut in SQL, a page past the end shows the last page."""

from __future__ import annotations

import functools
import math
import weakref
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from services.driver_rows import Read, all_rows, first_row

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


class _Paged:
    """The statements that read a page of one statement, with the page's offset and size as
    parameters: built once for a statement that is built once (the count and the plain page
    only when a page past the end asks for them)."""

    def __init__(self, stmt: Select) -> None:
        # Weakly: _PAGED holds this by the statement, which must stay free to go.
        self._stmt = weakref.ref(stmt)
        self.counted = stmt.add_columns(func.count().over()).offset(_OFFSET).limit(_SIZE)

    @functools.cached_property
    def total(self) -> Select:
        return select(func.count()).select_from(self._stmt().order_by(None).subquery())

    @functools.cached_property
    def page(self) -> Select:
        return self._stmt().offset(_OFFSET).limit(_SIZE)


_PAGED: weakref.WeakKeyDictionary[Select, _Paged] = weakref.WeakKeyDictionary()
_OFFSET, _SIZE = bindparam("page_offset"), bindparam("page_size")


def _paged(stmt: Select) -> _Paged:
    paged = _PAGED.get(stmt)
    if paged is None:
        paged = _PAGED[stmt] = _Paged(stmt)
    return paged


def page_read(stmt: Select, page: int, size: int, params: dict | None = None) -> Read:
    """The read fetch_page starts with, to be read ahead with others."""
    asked = window(page * size, page, size)
    return Read(_paged(stmt).counted, {**(params or {}), "page_offset": asked.offset,
                                      "page_size": size})


async def fetch_page(session: AsyncSession | AsyncConnection, stmt: Select, page: int,
                     size: int, params: dict | None = None) -> tuple[Window, list]:
    """The requested page of the statement's rows (the statement must be ordered, and must not
    be DISTINCT; `params` its bound parameters) and the window it is in. A page inside the list
    is one statement: every row carries the total along (count(*) over the whole result). Only
    a page past the end, or an empty list, costs a count and a second read, of the last page.

    Pass a statement built once, with bound parameters, where a list is read often: its page
    statements are then built once too, and SQLAlchemy finds them in its cache without
    walking them (building and keying a statement costs more than SQLite takes to run it)."""
    paged = _paged(stmt)
    params = params or {}
    asked = window(page * size, page, size)  # the page clamped to at least 1
    first = page_read(stmt, page, size, params)
    rows = await all_rows(session, first.statement, first.params)
    if rows:
        return window(rows[0][-1], asked.page, size), [tuple(row[:-1]) for row in rows]
    total = (await first_row(session, paged.total, params))[0]
    where = window(total, page, size)
    if not where.total:
        return where, []
    return where, await all_rows(session, paged.page, {
        **params, "page_offset": where.offset, "page_size": size})
