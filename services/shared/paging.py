"""One way to page a list: counted and cut in SQL, a page past the end shows the last page."""

from __future__ import annotations

import functools
import math
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql.expression import ColumnCollection

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


# A column computed for each row of a page only (a pupil's groups): given the page's own
# columns, it returns a column expression over them.
PerRow = Callable[[ColumnCollection], ColumnElement]


class _Paged:
    """The statements that read a page of one statement, with the page's offset and size as
    parameters: built once for a statement that is built once (the count and the plain page
    only when a page past the end asks for them)."""

    def __init__(self, stmt: Select, per_row: PerRow | None) -> None:
        # Weakly: _PAGED holds this by the statement, which must stay free to go.
        self._stmt = weakref.ref(stmt)
        self._per_row = per_row
        self.counted = self._with_per_row(
            stmt.add_columns(func.count().over()).offset(_OFFSET).limit(_SIZE), counted=True)

    @functools.cached_property
    def total(self) -> Select:
        return select(func.count()).select_from(self._stmt().order_by(None).subquery())

    @functools.cached_property
    def page(self) -> Select:
        return self._with_per_row(self._stmt().offset(_OFFSET).limit(_SIZE), counted=False)

    def _with_per_row(self, page: Select, counted: bool) -> Select:
        """The page with the per-row column after its own (before the total, which stays
        last), computed over the page's rows only: the page is a subquery, ordered and cut
        inside, and ordered again outside by the same keys, which are carried along."""
        if self._per_row is None:
            return page
        order = page._order_by_clauses
        inner = page.add_columns(*(key.label(f"page_key{i}") for i, key in enumerate(order)))
        rows = inner.subquery("page")
        columns = list(rows.c)[:len(page.selected_columns)]
        own = columns[:-1] if counted else columns
        return (select(*own, self._per_row(rows.c), *columns[len(own):])
                .order_by(*(rows.c[f"page_key{i}"] for i in range(len(order)))))


_PAGED: weakref.WeakKeyDictionary[Select, dict] = weakref.WeakKeyDictionary()
_OFFSET, _SIZE = bindparam("page_offset"), bindparam("page_size")


def _paged(stmt: Select, per_row: PerRow | None = None) -> _Paged:
    by_column = _PAGED.get(stmt)
    if by_column is None:
        by_column = _PAGED[stmt] = {}
    paged = by_column.get(per_row)
    if paged is None:
        paged = by_column[per_row] = _Paged(stmt, per_row)
    return paged


def page_read(stmt: Select, page: int, size: int, params: dict | None = None,
              per_row: PerRow | None = None) -> Read:
    """The read fetch_page starts with, to be read ahead with others."""
    asked = window(page * size, page, size)
    return Read(_paged(stmt, per_row).counted, {**(params or {}), "page_offset": asked.offset,
                                               "page_size": size})


async def fetch_page(session: AsyncSession | AsyncConnection, stmt: Select, page: int,
                     size: int, params: dict | None = None, per_row: PerRow | None = None
                     ) -> tuple[Window, list]:
    """The requested page of the statement's rows (the statement must be ordered, and must not
    be DISTINCT; `params` its bound parameters) and the window it is in. A page inside the list
    is one statement: every row carries the total along (count(*) over the whole result). Only
    a page past the end, or an empty list, costs a count and a second read, of the last page.
    `per_row` adds a column computed for the page's rows only (a module-level function, so
    that its statements are built once): each row then ends with its value.

    Pass a statement built once, with bound parameters, where a list is read often: its page
    statements are then built once too, and SQLAlchemy finds them in its cache without
    walking them (building and keying a statement costs more than SQLite takes to run it)."""
    paged = _paged(stmt, per_row)
    params = params or {}
    asked = window(page * size, page, size)  # the page clamped to at least 1
    first = page_read(stmt, page, size, params, per_row)
    rows = await all_rows(session, first.statement, first.params)
    if rows:
        return window(rows[0][-1], asked.page, size), [tuple(row[:-1]) for row in rows]
    total = (await first_row(session, paged.total, params))[0]
    where = window(total, page, size)
    if not where.total:
        return where, []
    return where, await all_rows(session, paged.page, {
        **params, "page_offset": where.offset, "page_size": size})
