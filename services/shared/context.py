"""The one context every area service is given: sessions and transactions, the clock, the secret
box, audit, and the permission and school-ownership checks. Passed in, never inherited."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from services.actor import Actor
from services.db import read_only, reading, session_of
from services.driver_rows import Read, first_row, forget_later_reads, rows_ahead
from services.errors import NotAllowed, NotFound
from services.models import ROLE_COORDINATOR, AuditEvent, Group, Role, School
from services.schoolyear import school_year_of
from services.secrets import SecretBox
from services.shared.inputs import as_id
from services.shared.predicates import live_group

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SchoolRow:
    """A school as the use cases read it: the checks below return this, not an ORM School.
    Nearly every turn reads one, and loading it as an ORM object (identity map, instrumented
    attributes) cost SQLAlchemy more than the statement did. A use case that changes a school
    loads the School itself."""

    id: int
    brin: str
    vestiging: str
    name: str
    city: str
    entra_tenant_id: str | None


@dataclass(frozen=True, slots=True)
class GroupRow:
    """A live group as a use case that only shows it reads it (see group_row_of_school)."""

    id: int
    school_id: int
    name: str
    year_levels: str
    login_mode: str


_S, _R, _G = School.__table__, Role.__table__, Group.__table__
_SCHOOL_COLUMNS = (_S.c.id, _S.c.brin, _S.c.vestiging, _S.c.name, _S.c.city,
                   _S.c.entra_tenant_id)
# Built once: the school, and in the same statement whether the actor is its coördinator.
_SCHOOL = select(*_SCHOOL_COLUMNS).where(_S.c.id == bindparam("school"))
_GROUP = select(_G.c.id, _G.c.school_id, _G.c.name, _G.c.year_levels, _G.c.login_mode,
                live_group(_G.c).label("live")).where(_G.c.id == bindparam("group"))
_COORDINATED_SCHOOL = select(*_SCHOOL_COLUMNS, select(_R.c.id).where(
    _R.c.person_id == bindparam("person"), _R.c.school_id == bindparam("school"),
    _R.c.role == ROLE_COORDINATOR).exists()).where(_S.c.id == bindparam("school"))


def group_row_read(group_id: int) -> Read:
    """The read group_row_of_school checks a group by, to be read ahead with others."""
    return Read(_GROUP, {"group": group_id})


class ServiceContext:
    """Sessions, clock and secrets, and the checks every use case starts with."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        clock: Callable[[], datetime] | None = None,
        secrets: SecretBox | None = None,
    ) -> None:
        self.sessions = sessions
        self._clock = clock or (lambda: datetime.now(UTC))
        self._secrets = secrets

    @property
    def secrets(self) -> SecretBox:
        if self._secrets is None:
            raise RuntimeError("this service was built without a secret key")
        return self._secrets

    @property
    def has_secrets(self) -> bool:
        return self._secrets is not None

    # -- time -------------------------------------------------------------------------------------
    def now(self) -> datetime:
        return self._clock()

    def today(self) -> date:
        return self._clock().date()

    def school_year(self) -> str:
        """The current school year, '2026-2027' (1 August – 31 July)."""
        return school_year_of(self.today())

    # -- transactions -----------------------------------------------------------------------------
    @asynccontextmanager
    async def transaction(self, actor: Actor, action: str) -> AsyncIterator[AsyncSession]:
        """One use case, one transaction; a refusal is rolled back and then audited on its own."""
        # SQLAlchemy's own exit: it finishes a commit that a cancellation (a worker stopping
        # at shutdown) would interrupt; a read's close (below) has nothing to finish.
        forget_later_reads()  # what the turn read ahead may be what this changes
        try:
            async with self.sessions.begin() as session:
                yield session
        except NotAllowed as exc:
            await self.record_refusal(actor, action, exc)
            raise

    @asynccontextmanager
    async def read(self, actor: Actor, action: str) -> AsyncIterator[AsyncSession]:
        """A use case that only reads: no write lock on SQLite, rolled back at the end."""
        try:
            async with session_of(self.sessions) as session:
                await read_only(session)
                yield session
        except NotAllowed as exc:
            await self.record_refusal(actor, action, exc)
            raise

    @asynccontextmanager
    async def read_rows(self, actor: Actor, action: str) -> AsyncIterator[AsyncConnection]:
        """A use case that only reads, and only with Core statements (rows, never ORM objects):
        a connection begun as `read` begins its session, without the Session around it. The
        Session's own bookkeeping (identity map, its transaction, its close) cost more than a
        small read took; the busiest reads of a turn (a licence list, a page of pupils) go
        here. The checks below take the connection in place of a session."""
        try:
            async with reading(self.sessions) as connection:
                yield connection
        except NotAllowed as exc:
            await self.record_refusal(actor, action, exc)
            raise

    # -- audit ------------------------------------------------------------------------------------
    async def record_refusal(self, actor: Actor, action: str, exc: NotAllowed) -> None:
        """Audit a refused action in a transaction of its own (the use case's was rolled back),
        under the school it was about when that school exists (its trail shows refusals)."""
        log.warning("%s geweigerd voor persoon %s: %s", action, actor.person_id, exc.params)
        async with self.sessions.begin() as session:
            sid = exc.params.get("school_id")
            known = (isinstance(sid, int) and not isinstance(sid, bool) and 0 < sid < 2**53
                     and await session.get(School, sid) is not None)
            session.add(AuditEvent(
                person_id=actor.person_id, school_id=sid if known else None, action=action,
                detail=json.dumps(_plain(exc.params), sort_keys=True),
                conversation_id=actor.conversation_id, outcome="refused",
            ))

    def audit(
        self, session: AsyncSession, actor: Actor, action: str, school_id: int | None, **detail
    ) -> None:
        """Record a change in the same transaction as the change itself. Never pass a secret."""
        session.add(AuditEvent(
            person_id=actor.person_id, school_id=school_id, action=action,
            detail=json.dumps(_plain(detail), sort_keys=True, default=str),
            conversation_id=actor.conversation_id, outcome="ok",
        ))

    # -- permissions and ownership ----------------------------------------------------------------
    async def coordinated_school(
        self, session: AsyncSession | AsyncConnection, actor: Actor, school_id: object
    ) -> SchoolRow:
        """The school, if the actor is its ict-coördinator (or an operator); NotAllowed else."""
        sid = as_id(school_id, "school")
        check = self._school_check(actor, sid)
        if check is None:
            raise NotAllowed(school_id=sid)
        row = await first_row(session, check.statement, check.params)
        if not actor.is_operator and (row is None or not row[-1]):
            raise NotAllowed(school_id=sid)
        if row is None:
            raise NotFound("error.school_not_found")
        return SchoolRow(*row[:6])

    @staticmethod
    def _school_check(actor: Actor, sid: int) -> Read | None:
        """The read coordinated_school decides by; None for nobody known."""
        if actor.is_operator:
            return Read(_SCHOOL, {"school": sid})
        if actor.person_id is None:
            return None
        return Read(_COORDINATED_SCHOOL, {"school": sid, "person": actor.person_id})

    def checked_together(self, connection: AsyncConnection | AsyncSession, actor: Actor,
                         school_id: int, *reads: Read) -> AbstractAsyncContextManager[None]:
        """A block whose coordinated_school check of `school_id` and `reads` (which need
        nothing the check returns) are read together when it begins: on PostgreSQL one round
        trip instead of one each (services.driver_rows.rows_ahead; not in a Session, which may
        write). The check decides as always; rows it refuses are never returned."""
        return rows_ahead(connection, self.checked_reads(actor, school_id, *reads))

    def checked_reads(self, actor: Actor, school_id: int, *reads: Read) -> list[Read]:
        """The reads of a checked_together block: to be read ahead with a turn's first reads
        too (a use case's `…_reads` method)."""
        return [read for read in (self._school_check(actor, school_id), *reads)
                if read is not None]

    async def group_of_school(self, session: AsyncSession, school: SchoolRow, group_id: object
                              ) -> Group:
        """A live group of this school; a group of another school is a forged claim."""
        gid = as_id(group_id, "group")
        group = await session.get(Group, gid)
        _check_group(gid, group is not None and group.is_live, group and group.school_id,
                     school)
        return group

    async def group_row_of_school(self, session: AsyncSession | AsyncConnection,
                                  school: SchoolRow, group_id: object) -> GroupRow:
        """As group_of_school, as a row: for a use case that only shows the group."""
        gid = as_id(group_id, "group")
        read = group_row_read(gid)
        row = await first_row(session, read.statement, read.params)
        _check_group(gid, row is not None and bool(row.live), row and row.school_id, school)
        return GroupRow(*row[:5])


def _check_group(group_id: int, live: bool, of_school: int | None, school: SchoolRow) -> None:
    if not live:
        raise NotFound("error.group_not_found")
    if of_school != school.id:
        raise NotAllowed(group_id=group_id, school_id=school.id)


def _plain(params: dict) -> dict:
    return {k: v for k, v in params.items() if isinstance(v, str | int | float | bool | list | None)}
