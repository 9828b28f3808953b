"""Reads (and the state write) straight from the database driver, for the few statements
every turn runs.

SQLAlchemy spends more on a small read than the database does: an execution context, a cursor
wrapper, a result object, and on PostgreSQL a pass through its asyncpg adapter. Measured per
statement on this machine: a one-row select by key costs 127 µs through SQLAlchemy against 7 µs
in sqlite3, and 345 µs against 187 µs in asyncpg; a turn runs six to eight of them.

Here a statement is compiled by SQLAlchemy once per dialect (and per number of values of an
expanding IN), with its bind and result processors taken from its types, and then run with
the driver's own call. `all_rows` and `first_row` take this way for Core selects on a
reading connection (services.db.reading); anything else, and any statement this cannot plan
(a Numeric column, whose result processing depends on the driver's column type), goes through
SQLAlchemy as before. A driver error is run again through SQLAlchemy, so errors and a broken
connection are handled as everywhere else.

`rows_ahead` runs several such reads, known before a block starts, as one statement: on
PostgreSQL each read is a round trip to the server, and a turn starts with three (its actor,
its state, the messages that show codes). The block's `all_rows` calls then take their rows
from it.

`changed_rows` does the same for an UPDATE whose count of changed rows is all it needs (the
dialog state's e-tag check), where the transaction is known: one SQLAlchemy has begun on
SQLite, autocommit on PostgreSQL.

Rows are named tuples: index, unpack or read a column by its key, as a SQLAlchemy Row. With
BEHEERBOT_CHECK_DRIVER_ROWS=1 (the test suite sets it) every read is also run through
SQLAlchemy and the two must agree, value for value and type for type."""

from __future__ import annotations

import os
import weakref
from collections import namedtuple
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, Update, func, select
from sqlalchemy import types as sqltypes
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from services.db import READ_ONLY

CHECK = "BEHEERBOT_CHECK_DRIVER_ROWS"

Processor = Callable[[Any], Any]
# SQL strings kept per statement, one per set of IN lengths (a page of pupils: up to 30).
MAX_SHAPES = 64
_DRIVERS = ("sqlite", "postgresql")  # the dialects whose driver call _fetch knows


@dataclass(frozen=True, slots=True)
class _Shape:
    """The SQL for one set of expanding-IN lengths, and where each positional value comes from:
    (parameter name, index into its list or None, bind processor or None)."""

    sql: str
    values: tuple[tuple[str, int | None, Processor | None], ...]


class _Plan:
    """One statement, compiled for one dialect."""

    __slots__ = ("compiled", "fixed", "expanding", "names", "row", "results", "shapes")

    def __init__(self, statement: Select, dialect: Dialect) -> None:
        if isinstance(statement, Update):
            if list(statement.exported_columns):  # RETURNING: not a count of changed rows
                raise _Unplannable
            columns = []
        else:
            columns = list(statement.selected_columns)
        impls = [column.type.dialect_impl(dialect) for column in columns]
        if any(isinstance(impl, sqltypes.Numeric) for impl in impls):
            raise _Unplannable
        self.compiled = statement.compile(dialect=dialect)
        if self.compiled.positiontup is None or self.compiled.escaped_bind_names:
            raise _Unplannable
        # Values of the statement's own bound literals (a role name in a WHERE).
        names = self.compiled.bind_names  # {BindParameter: its name in the SQL}
        # A value computed at each execution, or rendered into the SQL, is not planned once.
        if self.compiled.literal_execute_params or any(
                bind.callable is not None or (bind in self.compiled.post_compile_params
                                              and not bind.expanding) for bind in names):
            raise _Unplannable
        self.fixed = {name: bind.effective_value for bind, name in names.items()
                      if not bind.required}
        self.expanding = tuple(name for bind, name in names.items() if bind.expanding)
        self.names = tuple(names.values())
        processors = [impl.result_processor(dialect, None) for impl in impls]
        self.results = tuple(processors) if any(processors) else None
        # The keys SQLAlchemy's rows have (an unnamed EXISTS is "anon_1").
        keys = [entry[0] for entry in self.compiled._result_columns]
        if len(keys) != len(columns):
            raise _Unplannable
        self.row = namedtuple("Row", keys, rename=True)  # noqa: PYI024 - a class per statement
        self.shapes: dict[tuple[int, ...], _Shape] = {}

    def shape(self, params: Mapping[str, Any]) -> _Shape:
        lengths = tuple(len(params[key] if key in params else self.fixed[key])
                        for key in self.expanding)
        found = self.shapes.get(lengths)
        if found is None:
            # Sample values of the right lengths: the SQL and positions depend on nothing else.
            sample = {name: self.fixed.get(name) for name in self.names}
            sample.update({key: list(range(n)) for key, n in zip(self.expanding, lengths,
                                                                 strict=True)})
            state = self.compiled.construct_expanded_state(sample)
            origin = {name: (key, i) for key, names in state.parameter_expansion.items()
                      for i, name in enumerate(names)}
            found = _Shape(state.statement, tuple(
                (*origin.get(name, (name, None)), state.processors.get(name))
                for name in state.positiontup))
            if len(self.shapes) < MAX_SHAPES:
                self.shapes[lengths] = found
        return found

    def arguments(self, shape: _Shape, params: Mapping[str, Any]) -> list[Any]:
        fixed, values = self.fixed, []
        for key, index, process in shape.values:
            value = params[key] if key in params else fixed[key]
            if index is not None:
                value = value[index]
            values.append(value if process is None else process(value))
        return values

    def rows(self, raw: Sequence[Sequence[Any]]) -> list[tuple]:
        make = self.row._make
        results = self.results
        if results is None:
            return [make(row) for row in raw]
        return [make([v if p is None else p(v) for p, v in zip(results, row, strict=True)])
                for row in raw]


class _Unplannable(Exception):
    pass


# statement -> {dialect name: plan, or None when it cannot be planned}. Held weakly: a
# statement built for one call leaves nothing behind.
_PLANS: weakref.WeakKeyDictionary[Select, dict[str, _Plan | None]] = weakref.WeakKeyDictionary()


def _plan(statement: Select, dialect: Dialect) -> _Plan | None:
    plans = _PLANS.get(statement)
    if plans is None:
        plans = _PLANS[statement] = {}
    try:
        return plans[dialect.name]
    except KeyError:
        pass
    try:
        plan = (_Plan(statement, dialect) if isinstance(statement, Select | Update)
                and dialect.name in _DRIVERS else None)
    except _Unplannable:
        plan = None
    plans[dialect.name] = plan
    return plan


async def all_rows(executor: AsyncConnection | AsyncSession, statement: Select,
                   params: Mapping[str, Any] | None = None) -> list:
    """Every row of `statement` (a Core select), as `(await executor.execute(...)).all()`
    gives them; from the driver when `executor` is a reading connection, or already read by
    the `rows_ahead` block this runs in."""
    params = params or {}
    ahead = _AHEAD.get()
    if ahead and (key := _read_key(statement, params)) is not None:
        rows = ahead.pop(key, None)
        if rows is not None:
            return rows
    if not isinstance(executor, AsyncConnection) or not (
            executor.sync_connection.get_execution_options().get(READ_ONLY)):
        return list((await executor.execute(statement, params)).all())
    dialect = executor.dialect
    plan = _plan(statement, dialect)
    if plan is None:
        return list((await executor.execute(statement, params)).all())
    fetched = await _fetch(executor, dialect.name, plan, params)
    if fetched is None:  # the driver failed: SQLAlchemy runs it and handles what went wrong
        return list((await executor.execute(statement, params)).all())
    if os.environ.get(CHECK):
        await _compare(executor, statement, params, fetched)
    return fetched


async def first_row(executor: AsyncConnection | AsyncSession, statement: Select,
                    params: Mapping[str, Any] | None = None):
    """The first row of `statement`, or None."""
    rows = await all_rows(executor, statement, params)
    return rows[0] if rows else None


async def changed_rows(connection: AsyncConnection, statement: Update,
                       params: Mapping[str, Any]) -> int:
    """How many rows `statement` (an UPDATE without RETURNING) changed, run in `connection`'s
    transaction: straight on sqlite3 in a transaction SQLAlchemy has begun, straight on asyncpg
    on a connection in autocommit (one statement, atomic by itself), through SQLAlchemy
    otherwise. A statement the driver fails on changed nothing (SQLite and PostgreSQL undo a
    failed statement whole) and is run again through SQLAlchemy, which reports the error as
    everywhere else. (A connection lost after PostgreSQL committed the statement is the one
    case where it did change: SQLAlchemy's run then fails on the lost connection too, the turn
    ends in an error, and the next turn reads the state as it was written.)"""
    dialect = connection.dialect
    plan = _plan(statement, dialect)
    sync = connection.sync_connection
    if plan is not None and (
            (dialect.name == "sqlite" and sync.in_transaction()) or (
            dialect.name == "postgresql"
            and sync.get_execution_options().get("isolation_level") == "AUTOCOMMIT")):
        shape = plan.shape(params)
        arguments = plan.arguments(shape, params)
        driver = sync.connection.driver_connection
        try:
            if dialect.name == "sqlite":
                count = driver.changed(shape.sql, arguments)
            else:
                count = int((await driver.execute(shape.sql, *arguments)).rsplit(" ", 1)[-1])
        except Exception:
            pass
        else:
            _DRIVER_STATEMENTS[0] += 1
            return count
    return (await connection.execute(statement, params)).rowcount


@dataclass(frozen=True, slots=True)
class Read:
    """A read a block is going to make: its Core select and values, for `rows_ahead`."""

    statement: Select
    params: Mapping[str, Any]


# The rows `rows_ahead` read for its block, by (statement, values); each taken once.
_AHEAD: ContextVar[dict[tuple, list] | None] = ContextVar("beheerbot_rows_ahead", default=None)
# The rows a turn's opening block read for the next block (rows_ahead's `later`); None
# outside a turn_reads scope.
_LATER: ContextVar[dict[tuple, list] | None] = ContextVar("beheerbot_later_rows", default=None)
# One select per tuple of statements read ahead together (a turn's opening reads: one tuple).
_TOGETHER: dict[tuple[int, ...], tuple[tuple[Select, ...], Select | None]] = {}
MAX_TOGETHER = 32


def _read_key(statement: Select, params: Mapping[str, Any]) -> tuple | None:
    """What tells one read from another; None for values that are no key (never read ahead)."""
    key = (id(statement), *sorted(
        (name, tuple(value) if isinstance(value, list | tuple) else value)
        for name, value in params.items()))
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _together(statements: tuple[Select, ...]) -> Select | None:
    """One select whose columns are the rows of each statement, each an array of records:
    `SELECT array((SELECT row(q.*) FROM (statement) q)), ...`. A parameter name two
    statements share is one parameter of it (`_read_together` checks their values agree)."""
    key = tuple(id(s) for s in statements)
    found = _TOGETHER.get(key)
    if found is not None:
        return found[1]
    try:
        combined: Select | None = select(*(
            func.array(select(func.row(*rows.c)).scalar_subquery()).label(f"r{i}")
            for i, rows in enumerate(statement.subquery() for statement in statements)))
    except Exception:  # noqa: BLE001 - what SQLAlchemy cannot combine is read one by one
        combined = None
    if len(_TOGETHER) < MAX_TOGETHER:
        _TOGETHER[key] = (statements, combined)  # the statements kept alive with their ids
    return combined


@asynccontextmanager
async def rows_ahead(connection: AsyncConnection | AsyncSession, reads: Sequence[Read],
                     later: Sequence[Read] = ()) -> AsyncIterator[None]:
    """A block in which `all_rows` finds the rows of `reads`, read on `connection` when the
    block begins: on PostgreSQL in one statement, one round trip instead of one per read. On
    SQLite, where a read is a call into the library and no round trip, and in a Session (a
    transaction that may write), nothing is read ahead.
    `later` are reads the turn's next such block is expected to make (in a `turn_reads`
    scope): read in the same statement, kept for that block, which takes those it makes and
    drops the rest. A guess that was wrong costs that part of the statement, nothing else.
    What fails, or cannot be planned, is not read ahead: the block's reads run as always."""
    kept = _LATER.get()
    taken: dict[tuple, list] = {}
    if kept:  # the first block after the turn's opening one takes what was read for it
        if _reads_ahead_on(connection):
            for read in reads:
                key = _read_key(read.statement, read.params)
                if key is not None and key in kept:
                    taken[key] = kept.pop(key)
        kept.clear()
    if taken and os.environ.get(CHECK):  # read again: rows kept since the turn began
        for key, read in [(_read_key(r.statement, r.params), r) for r in reads]:
            if key in taken and not await _compare(connection, read.statement, read.params,
                                                   taken[key], fail=False):
                del taken[key]
    rest = [read for read in reads if _read_key(read.statement, read.params) not in taken
            ] if taken else reads
    later = list(later) if kept is not None else []
    ahead = None
    if (len(rest) > 1 or later) and _reads_ahead_on(connection):
        if later and not _agree([*rest, *later]):
            later = []  # the guess would change a value the block's own reads need
        if len(rest) > 1 or later:
            ahead = await _read_together(connection, [*rest, *later])
        if ahead is not None and later:
            for read in later:
                key = _read_key(read.statement, read.params)
                if key is not None and key in ahead:
                    kept[key] = ahead.pop(key)
    if taken:
        ahead = {**taken, **(ahead or {})}
    token = _AHEAD.set(ahead)
    try:
        yield
    finally:
        _AHEAD.reset(token)


def _reads_ahead_on(connection: AsyncConnection | AsyncSession) -> bool:
    """A reading connection to PostgreSQL: where reads ahead save round trips."""
    return (isinstance(connection, AsyncConnection) and connection.dialect.name == "postgresql"
            and bool(connection.sync_connection.get_execution_options().get(READ_ONLY)))


def _agree(reads: Sequence[Read]) -> bool:
    """Whether every parameter name has one value across `reads` (the combined select has
    one parameter of each name)."""
    params: dict[str, Any] = {}
    for read in reads:
        for name, value in read.params.items():
            if params.setdefault(name, value) != value:
                return False
    return True


@contextmanager
def turn_reads() -> Iterator[None]:
    """A turn's scope for `rows_ahead(later=...)`: what its opening block reads for the next
    block lives until that block, or until the turn ends or writes (`forget_later_reads`)."""
    token = _LATER.set({})
    try:
        yield
    finally:
        _LATER.reset(token)


def forget_later_reads() -> None:
    """Drop what this turn read for a later block: a write of the turn may change it."""
    kept = _LATER.get()
    if kept:
        kept.clear()


async def _read_together(connection: AsyncConnection, reads: Sequence[Read]
                         ) -> dict[tuple, list] | None:
    combined = _together(tuple(read.statement for read in reads))
    plan = combined is not None and _plan(combined, connection.dialect)
    plans = [_plan(read.statement, connection.dialect) for read in reads]
    if not plan or None in plans or not _agree(reads):
        return None  # one name, two values: the combined select has one parameter
    params: dict[str, Any] = {}
    for read in reads:
        params.update(read.params)
    checks = 3 if os.environ.get(CHECK) else 0
    while True:
        fetched = await _fetch(connection, "postgresql", plan, params)
        if not fetched:
            return None
        read_rows = [own.rows(records) for own, records in zip(plans, fetched[0], strict=True)]
        # The double check reads each statement again afterwards: a turn writing meanwhile
        # (two presses at once) can change what it sees, so it reads ahead again first.
        checks -= 1
        if checks < 0 or all([await _compare(connection, read.statement, read.params, rows,
                                             fail=checks == 0)
                              for read, rows in zip(reads, read_rows, strict=True)]):
            break
    ahead = {}
    for read, rows in zip(reads, read_rows, strict=True):
        key = _read_key(read.statement, read.params)
        if key is not None:
            ahead[key] = rows
    return ahead


_DRIVER_STATEMENTS = [0]


def driver_statements() -> int:
    """How many statements went straight to the driver in this process (SQLAlchemy's events
    do not see them; the benchmarks count statements with both)."""
    return _DRIVER_STATEMENTS[0]


async def _fetch(connection: AsyncConnection, dialect: str, plan: _Plan,
                 params: Mapping[str, Any]) -> list[tuple] | None:
    shape = plan.shape(params)
    arguments = plan.arguments(shape, params)
    driver = connection.sync_connection.connection.driver_connection
    try:
        if dialect == "sqlite":
            # The BEGIN SQLAlchemy would send before its first statement, so that the reads
            # of one connection see one snapshot (services.db.reads_together). SQLAlchemy does
            # not know of it; the pool's reset rolls it back when the connection is returned.
            driver.begin_read()
            raw = await driver.fetch_all(shape.sql, arguments)
        else:
            raw = await driver.fetch(shape.sql, *arguments)
    except Exception:
        return None
    _DRIVER_STATEMENTS[0] += 1
    return plan.rows(raw)


async def _compare(connection: AsyncConnection, statement: Select, params: Mapping[str, Any],
                   fetched: list[tuple], fail: bool = True) -> bool:
    """Whether SQLAlchemy reads `fetched` too; with `fail`, an AssertionError where not."""
    # A statement without ORDER BY may give its rows in another order each time it runs (on
    # PostgreSQL a prepared statement's generic plan): those are compared as a multiset.
    ordered = bool(getattr(statement, "_order_by_clauses", ()))

    def typed(rows) -> list[list[tuple[type, Any]]]:
        values = [[(type(v), v) for v in row] for row in rows]
        return values if ordered else sorted(values, key=repr)

    for _ in range(2):  # PostgreSQL reads in autocommit: a writer may come between the two
        expected = (await connection.execute(statement, params)).all()
        if typed(expected) == typed(fetched) and all(
                row._fields == got._fields for row, got in zip(expected, fetched, strict=True)):
            return True
    if not fail:
        return False
    raise AssertionError(f"driver rows differ from SQLAlchemy's for {statement}:\n"
                         f"{fetched!r}\n{expected!r}")
