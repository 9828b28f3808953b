"""Kindlicenties (rule 8, manual 3.6): per-child licences with seats that cannot be oversold."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.actor import Actor
from services.errors import Conflict
from services.models import MODEL_CHILD, ChildAssignment, Licence, School
from services.shared import licences as shared
from services.shared.context import ServiceContext
from services.shared.inputs import page_number, query_text
from services.shared.queries import child_dto, names_of
from services.shared.results import (
    ChildCandidatesDTO,
    ChildGroupsDTO,
    ChildrenPreviewDTO,
    ChildrenResultDTO,
    LicenceChildrenDTO,
    LicenceOverviewListDTO,
)


def not_enough_seats(wanted: int, seats: int | None, taken: int) -> Conflict:
    free = max((seats or 0) - taken, 0)
    return Conflict("error.not_enough_seats", count=wanted, free=free, seats=seats or 0)


class ChildLicences:
    """Assigning per-child licences. An assignment cannot be undone by the school: only the
    Malmberg helpdesk corrects a wrong one (see wrong_child_report)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    async def _licence(self, session: AsyncSession, actor: Actor, licence_id: object
                       ) -> tuple[Licence, School]:
        """A kindlicentie of the actor's school whose product offers per-child licences."""
        return await shared.managed_licence(self.ctx, session, actor, licence_id, MODEL_CHILD)

    # -- reading --------------------------------------------------------------------------------
    async def list_child_licences(
        self, actor: Actor, school_id: object, school_year: str | None = None
    ) -> LicenceOverviewListDTO:
        """The school's kindlicenties of the (current) school year with their seats; products
        without per-child licences never appear here."""
        async with self.ctx.read(actor, "list_child_licences") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            year = school_year or self.ctx.school_year()
            return LicenceOverviewListDTO(
                school.id, year, await shared.overview(session, school, year, MODEL_CHILD))

    async def child_licence(
        self, actor: Actor, licence_id: object, query: object = "", page: object = 1
    ) -> LicenceChildrenDTO:
        """One kindlicentie with its seats and one page of the children assigned to it,
        optionally filtered by (part of) a name."""
        text = query_text(query)
        page_no = page_number(page)
        async with self.ctx.read(actor, "child_licence") as session:
            licence, _ = await self._licence(session, actor, licence_id)
            return LicenceChildrenDTO(
                licence=await shared.licence_dto(session, licence),
                children=await shared.licence_children(session, licence, text, page_no))

    # -- picking children -----------------------------------------------------------------------
    async def child_groups(self, actor: Actor, licence_id: object) -> ChildGroupsDTO:
        """Every group of the school to pick a child from, fitting groups first. A kindlicentie
        without a free seat is refused (Conflict) before anyone picks children; a group
        licence is NotFound here."""
        async with self.ctx.read(actor, "child_groups") as session:
            licence, school = await self._licence(session, actor, licence_id)
            return await shared.child_groups(session, licence, school)

    async def child_candidates(
        self, actor: Actor, licence_id: object, group_id: object = None, query: object = "",
        page: object = 1,
    ) -> ChildCandidatesDTO:
        """Pupils of one group (or found by name) who have no seat on the kindlicentie yet.
        Raises like ExtraChildren.child_candidates."""
        text = query_text(query)
        page_no = page_number(page)
        async with self.ctx.read(actor, "child_candidates") as session:
            licence, school = await self._licence(session, actor, licence_id)
            return await shared.child_candidates(self.ctx, session, licence, school, group_id,
                                                 text, page_no)

    # -- assigning ------------------------------------------------------------------------------
    async def _check_new(
        self, session: AsyncSession, actor: Actor, licence_id: object, child_ids: object
    ) -> tuple[Licence, School, shared.Chosen]:
        licence, school = await self._licence(session, actor, licence_id)
        children = await shared.children_of_school(session, school, child_ids)
        await self._refuse_assigned(session, licence, children)
        return licence, school, children

    @staticmethod
    async def _refuse_assigned(session: AsyncSession, licence: Licence,
                               children: shared.Chosen) -> None:
        assigned = await shared.on_licence(session, licence)
        already = [p for p, _ in children if p.id in assigned]
        if already:
            raise Conflict("error.child_already_assigned", names=names_of(already))

    async def preview_assign_children(
        self, actor: Actor, licence_id: object, child_ids: object
    ) -> ChildrenPreviewDTO:
        """What assign_children would do, checked against the free seats but not applied."""
        async with self.ctx.read(actor, "preview_assign_children") as session:
            licence, _, children = await self._check_new(session, actor, licence_id, child_ids)
            if len(children) > (licence.seats or 0) - licence.seats_taken:
                raise not_enough_seats(len(children), licence.seats, licence.seats_taken)
            return ChildrenPreviewDTO(licence=await shared.licence_dto(session, licence),
                                      children=tuple(child_dto(p, g) for p, g in children))

    async def assign_children(
        self, actor: Actor, licence_id: object, child_ids: object
    ) -> ChildrenResultDTO:
        """Give each chosen child a seat of a kindlicentie: all of them or none.

        The seats are claimed with one conditional UPDATE (`seats_taken + n <= seats`), which
        the database applies atomically per row, so simultaneous claims on the last seats can
        never oversell them, on SQLite and PostgreSQL alike. Raises Conflict when there are
        fewer free seats than children (with the numbers), when a child has a seat already or
        left the school; NotAllowed for another school's licence or child; NotFound for a stale
        licence or child, or a product without per-child licences; InvalidInput for garbage.
        """
        async with self.ctx.transaction(actor, "assign_children") as session:
            licence, school, children = await self._check_new(session, actor, licence_id,
                                                              child_ids)
            wanted = len(children)
            claimed = await session.execute(
                update(Licence)
                .where(Licence.id == licence.id, Licence.seats_taken + wanted <= Licence.seats)
                .values(seats_taken=Licence.seats_taken + wanted)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:
                seats, taken = (await session.execute(
                    select(Licence.seats, Licence.seats_taken).where(Licence.id == licence.id)
                )).one()
                raise not_enough_seats(wanted, seats, taken)
            # The licence row is ours until commit: a claim for the same child that committed
            # while we waited is visible now.
            await self._refuse_assigned(session, licence, children)
            try:
                async with session.begin_nested():  # see ExtraChildren.add_extra_children
                    session.add_all(ChildAssignment(
                        licence_id=licence.id, person_id=person.id, assigned_by=actor.person_id,
                        assigned_at=self.ctx.now()) for person, _ in children)
            except IntegrityError:
                raise Conflict("error.child_already_assigned",
                               names=names_of(p for p, _ in children)) from None
            self.ctx.audit(session, actor, "assign_children", school.id, licence_id=licence.id,
                           child_ids=[p.id for p, _ in children])
            await session.refresh(licence, ["seats_taken"])
            return ChildrenResultDTO(
                licence=await shared.licence_dto(session, licence),
                added=tuple(child_dto(p, g) for p, g in children),
                reminder=await shared.reminder(session, licence, children),
            )
