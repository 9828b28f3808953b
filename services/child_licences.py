"""Kindlicenties (rule 8, manual 3.6): per-child licences with seats that cannot be oversold."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.actor import Actor
from services.base import as_id
from services.children import LicenceTaskBase, child_dto, names_of, page_number, query_text
from services.errors import Conflict, NotFound
from services.licence_tasks_dto import (
    ChildrenPreviewDTO,
    ChildrenResultDTO,
    LicenceChildrenDTO,
    LicenceOverviewDTO,
    WrongChildReportDTO,
)
from services.models import MODEL_CHILD, ChildAssignment, Group, Licence, Person, School


class ChildLicenceMixin(LicenceTaskBase):
    """Assigning per-child licences. An assignment cannot be undone by the school: only the
    Malmberg helpdesk corrects a wrong one (see wrong_child_report)."""

    async def _child_licence(
        self, session: AsyncSession, actor: Actor, licence_id: object
    ) -> tuple[Licence, School]:
        """A kindlicentie of the actor's school whose product offers per-child licences."""
        licence, school = await self._licence_for(session, actor, licence_id, MODEL_CHILD)
        if not licence.product.offers_child:
            raise NotFound("error.licence_not_found")
        return licence, school

    async def list_child_licences(
        self, actor: Actor, school_id: object, school_year: str | None = None
    ) -> tuple[LicenceOverviewDTO, ...]:
        """The school's kindlicenties of the (current) school year with their seats; products
        without per-child licences never appear here."""
        async with self._read(actor, "list_child_licences") as session:
            school = await self._require_coordinator(session, actor, school_id)
            return await self._overview(session, school, school_year or self.current_school_year(),
                                        MODEL_CHILD)

    async def child_licence(
        self, actor: Actor, licence_id: object, query: object = "", page: object = 1
    ) -> LicenceChildrenDTO:
        """One kindlicentie with its seats and one page of the children assigned to it,
        optionally filtered by (part of) a name."""
        text = query_text(query)
        page_no = page_number(page)
        async with self._read(actor, "child_licence") as session:
            licence, _ = await self._child_licence(session, actor, licence_id)
            return LicenceChildrenDTO(
                licence=await self._licence_dto(session, licence),
                children=await self._licence_children(session, licence, text, page_no),
            )

    async def _assign_check(
        self, session: AsyncSession, actor: Actor, licence_id: object, child_ids: object
    ) -> tuple[Licence, School, list[tuple[Person, Group | None]]]:
        licence, school = await self._child_licence(session, actor, licence_id)
        children = await self._children_of_school(session, school, child_ids)
        await self._refuse_assigned(session, licence, children)
        return licence, school, children

    async def _refuse_assigned(
        self, session: AsyncSession, licence: Licence, children: list[tuple[Person, Group | None]]
    ) -> None:
        assigned = await self._on_licence(session, licence)
        already = [p for p, _ in children if p.id in assigned]
        if already:
            raise Conflict("error.child_already_assigned", names=names_of(already))

    @staticmethod
    def _not_enough_seats(wanted: int, seats: int | None, taken: int) -> Conflict:
        free = max((seats or 0) - taken, 0)
        return Conflict("error.not_enough_seats", wanted=wanted, free=free, seats=seats or 0)

    async def preview_assign_children(
        self, actor: Actor, licence_id: object, child_ids: object
    ) -> ChildrenPreviewDTO:
        """What assign_children would do, checked against the free seats but not applied."""
        async with self._read(actor, "preview_assign_children") as session:
            licence, _, children = await self._assign_check(session, actor, licence_id, child_ids)
            if len(children) > (licence.seats or 0) - licence.seats_taken:
                raise self._not_enough_seats(len(children), licence.seats, licence.seats_taken)
            return ChildrenPreviewDTO(licence=await self._licence_dto(session, licence),
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
        async with self._transaction(actor, "assign_children") as session:
            licence, school, children = await self._assign_check(
                session, actor, licence_id, child_ids)
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
                raise self._not_enough_seats(wanted, seats, taken)
            # The licence row is ours until commit: a claim for the same child that committed
            # while we waited is visible now.
            await self._refuse_assigned(session, licence, children)
            try:
                async with session.begin_nested():  # see add_extra_children
                    for person, _ in children:
                        session.add(ChildAssignment(
                            licence_id=licence.id, person_id=person.id,
                            assigned_by=actor.person_id, assigned_at=self.now()))
            except IntegrityError:
                raise Conflict("error.child_already_assigned",
                               names=names_of(p for p, _ in children)) from None
            self._audit(session, actor, "assign_children", school.id, licence_id=licence.id,
                        child_ids=[p.id for p, _ in children])
            licence, _ = await self._child_licence(session, actor, licence.id)
            return ChildrenResultDTO(
                licence=await self._licence_dto(session, licence),
                added=tuple(child_dto(p, g) for p, g in children),
                reminder=await self._reminder(session, licence, children),
            )

    async def wrong_child_report(
        self, actor: Actor, licence_id: object, child_id: object = None
    ) -> WrongChildReportDTO:
        """'Verkeerd kind gekoppeld?': a school cannot undo an assignment; this gathers what the
        Malmberg helpdesk needs (the licence, the wrong child if named, the assigned children).

        This is the entry point for the helpdesk handoff (DESIGN §6): a ticket flow starts from
        this DTO. Raises NotFound when the named child has no seat on the licence.
        """
        async with self._read(actor, "wrong_child_report") as session:
            licence, school = await self._child_licence(session, actor, licence_id)
            rows = (await session.execute(
                select(Person).join(ChildAssignment, ChildAssignment.person_id == Person.id)
                .where(ChildAssignment.licence_id == licence.id)
            )).scalars().all()
            groups = await self._pupil_groups(session, school.id, [p.id for p in rows])
            assigned = tuple(child_dto(p, groups.get(p.id))
                             for p in sorted(rows, key=lambda p: p.sort_name))
            child = None
            if child_id not in (None, ""):
                pid = as_id(child_id, "child")
                child = next((c for c in assigned if c.id == pid), None)
                if child is None:
                    raise NotFound("error.child_not_assigned")
            return WrongChildReportDTO(licence=await self._licence_dto(session, licence),
                                       child=child, assigned=assigned)
