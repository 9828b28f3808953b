"""Children of other groups on a group licence (rule 6, tab 'Kinderen gekoppeld'), with the
reminder for their teachers (rule 7)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.actor import Actor
from services.errors import Conflict, NotAllowed, NotFound
from services.licences.products import match_product, school_products
from services.licences.results import (
    ChildrenShortcutDTO,
    ExtraChildRemovalDTO,
)
from services.models import (
    MODEL_GROUP,
    ROLE_PUPIL,
    Licence,
    LicenceExtraChild,
    Person,
    Role,
    School,
)
from services.shared import licences as shared
from services.shared.context import ServiceContext
from services.shared.inputs import as_id, page_number, query_text, required_text
from services.shared.queries import child_dto, names_of, pupil_groups
from services.shared.results import (
    ChildCandidatesDTO,
    ChildGroupsDTO,
    ChildrenPreviewDTO,
    ChildrenResultDTO,
    LicenceChildrenDTO,
    LicenceDTO,
    LicenceOverviewListDTO,
)

# Rule 6: children of other groups can be put on a group licence since this school year.
FIRST_EXTRA_CHILD_YEAR = "2022-2023"


class ExtraChildren:
    """Kinderen op groepslicenties (manual 3.5): children of other groups on a group licence."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    async def _licence(self, session: AsyncSession, actor: Actor, licence_id: object
                       ) -> tuple[Licence, School]:
        return await shared.managed_licence(self.ctx, session, actor, licence_id, MODEL_GROUP)

    # -- reading --------------------------------------------------------------------------------
    async def children_overview(
        self, actor: Actor, school_id: object, school_year: str | None = None
    ) -> LicenceOverviewListDTO:
        """The school's group licences of the (current) school year, each with the number of
        children of other groups on it."""
        async with self.ctx.read(actor, "children_overview") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            year = school_year or self.ctx.school_year()
            return LicenceOverviewListDTO(
                school.id, year, await shared.overview(session, school, year, MODEL_GROUP))

    async def extra_children(
        self, actor: Actor, licence_id: object, page: object = 1
    ) -> LicenceChildrenDTO:
        """Tab 'Kinderen gekoppeld' of a group licence: the children of other groups on it."""
        page_no = page_number(page)
        async with self.ctx.read(actor, "extra_children") as session:
            licence, _ = await self._licence(session, actor, licence_id)
            return LicenceChildrenDTO(
                licence=await shared.licence_dto(session, licence),
                children=await shared.licence_children(session, licence, "", page_no))

    async def children_shortcut(
        self, actor: Actor, school_id: object, product_text: object
    ) -> ChildrenShortcutDTO:
        """'kinderen op taal actief': the product's group licences with their extra children."""
        product_said = required_text(product_text, "product")
        async with self.ctx.read(actor, "children_shortcut") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            year = self.ctx.school_year()
            products = await school_products(session, school, year, MODEL_GROUP)
            product = match_product(product_said, products)
            found = ()
            if product is not None:
                found = await shared.overview(session, school, year, MODEL_GROUP, [product.id])
            return ChildrenShortcutDTO(
                school_id=school.id, school_year=year, product_text=product_said,
                product_name=product.name if product else None, licences=found,
                known_products=tuple(p.name for p in products.values()))

    # -- picking children -----------------------------------------------------------------------
    async def child_groups(self, actor: Actor, licence_id: object) -> ChildGroupsDTO:
        """The groups to pick a child from: those not linked to the licence (their children
        have access already). NotFound for a kindlicentie."""
        async with self.ctx.read(actor, "child_groups") as session:
            licence, school = await self._licence(session, actor, licence_id)
            return await shared.child_groups(session, licence, school)

    async def child_candidates(
        self, actor: Actor, licence_id: object, group_id: object = None, query: object = "",
        page: object = 1,
    ) -> ChildCandidatesDTO:
        """Children that can still be put on the licence: the pupils of one group, or of the
        whole school when only a name is given; those on it (or with access through a linked
        group) are left out.

        Raises InvalidInput when neither a group nor a name is given or a value is garbled,
        NotFound for a stale licence or group, NotAllowed for another school's licence or group.
        """
        text = query_text(query)
        page_no = page_number(page)
        async with self.ctx.read(actor, "child_candidates") as session:
            licence, school = await self._licence(session, actor, licence_id)
            return await shared.child_candidates(self.ctx, session, licence, school, group_id,
                                                 text, page_no)

    # -- adding ---------------------------------------------------------------------------------
    async def _check_new(
        self, session: AsyncSession, actor: Actor, licence_id: object, child_ids: object
    ) -> tuple[Licence, School, shared.Chosen]:
        licence, school = await self._licence(session, actor, licence_id)
        if licence.school_year < FIRST_EXTRA_CHILD_YEAR:
            raise Conflict("error.extra_children_since", year=FIRST_EXTRA_CHILD_YEAR)
        children = await shared.children_of_school(session, school, child_ids)
        on_licence = await shared.on_licence(session, licence)
        already = [p for p, _ in children if p.id in on_licence]
        if already:
            raise Conflict("error.child_already_on", names=names_of(already))
        linked = shared.linked_group_ids(licence)
        covered = [(p, g) for p, g in children if g is not None and g.id in linked]
        if covered:
            person, group = covered[0]
            raise Conflict("error.child_has_access", name=person.full_name, group=group.name)
        return licence, school, children

    async def preview_add_extra_children(
        self, actor: Actor, licence_id: object, child_ids: object
    ) -> ChildrenPreviewDTO:
        """What add_extra_children would do, checked but not applied (for the confirmation)."""
        async with self.ctx.read(actor, "preview_add_extra_children") as session:
            licence, _, children = await self._check_new(session, actor, licence_id, child_ids)
            return ChildrenPreviewDTO(licence=await shared.licence_dto(session, licence),
                                      children=tuple(child_dto(p, g) for p, g in children))

    async def add_extra_children(
        self, actor: Actor, licence_id: object, child_ids: object
    ) -> ChildrenResultDTO:
        """Put children of other groups on a group licence (rule 6), all or none.

        Returns the children added and the rule-7 reminder for their teachers. Raises
        Conflict when a child is on the licence already, has access through a linked group or
        left the school; NotAllowed for another school's licence or child; NotFound for a stale
        licence or child; InvalidInput for a garbled list.
        """
        async with self.ctx.transaction(actor, "add_extra_children") as session:
            licence, school, children = await self._check_new(session, actor, licence_id,
                                                              child_ids)
            try:
                # A savepoint: without it a failed INSERT (a race, only possible on PostgreSQL)
                # rolls back the whole transaction and expires the children, and reading their
                # names for the message fails with "closed transaction" instead of a Conflict.
                async with session.begin_nested():
                    session.add_all(LicenceExtraChild(
                        licence_id=licence.id, person_id=person.id, added_by=actor.person_id,
                        added_at=self.ctx.now()) for person, _ in children)
            except IntegrityError:  # another coördinator added one of them a moment ago
                raise Conflict("error.child_already_on",
                               names=names_of(p for p, _ in children)) from None
            self.ctx.audit(session, actor, "add_extra_children", school.id,
                           licence_id=licence.id, child_ids=[p.id for p, _ in children])
            return ChildrenResultDTO(
                licence=await shared.licence_dto(session, licence),
                added=tuple(child_dto(p, g) for p, g in children),
                reminder=await shared.reminder(session, licence, children),
            )

    # -- removing -------------------------------------------------------------------------------
    async def _extra_child(
        self, session: AsyncSession, actor: Actor, licence_id: object, child_id: object
    ) -> tuple[Licence, School, Person, LicenceExtraChild | None, LicenceDTO]:
        licence, school = await self._licence(session, actor, licence_id)
        pid = as_id(child_id, "child")
        row = await session.scalar(select(LicenceExtraChild).where(
            LicenceExtraChild.licence_id == licence.id, LicenceExtraChild.person_id == pid))
        person = await session.get(Person, pid)
        if person is None:
            raise NotFound("error.child_not_found")
        if row is None:
            is_pupil = await session.scalar(select(Role.id).where(
                Role.person_id == pid, Role.school_id == school.id, Role.role == ROLE_PUPIL))
            if is_pupil is None:
                raise NotAllowed("error.child_other_school", child_ids=[pid], school_id=school.id)
        return licence, school, person, row, await shared.licence_dto(session, licence)

    async def preview_remove_extra_child(
        self, actor: Actor, licence_id: object, child_id: object
    ) -> ExtraChildRemovalDTO:
        """The extra child that remove_extra_child would take off (for the confirmation)."""
        async with self.ctx.read(actor, "preview_remove_extra_child") as session:
            _, school, person, row, dto = await self._extra_child(session, actor, licence_id,
                                                                  child_id)
            if row is None:
                raise Conflict("error.child_not_on", name=person.full_name)
            group = (await pupil_groups(session, school.id, [person.id])).get(person.id)
            return ExtraChildRemovalDTO(licence=dto, child=child_dto(person, group))

    async def remove_extra_child(
        self, actor: Actor, licence_id: object, child_id: object
    ) -> ExtraChildRemovalDTO:
        """Take a child of another group off a group licence; a child not on it changes nothing
        (`was_on` is False). Raises NotAllowed/NotFound like the other use cases."""
        async with self.ctx.transaction(actor, "remove_extra_child") as session:
            licence, school, person, row, dto = await self._extra_child(
                session, actor, licence_id, child_id)
            group = (await pupil_groups(session, school.id, [person.id])).get(person.id)
            removed = False
            if row is not None:
                # By rowcount, not session.delete: of two simultaneous removals (PostgreSQL)
                # only the one whose DELETE hit the row says so and is audited.
                deleted = await session.execute(
                    delete(LicenceExtraChild).where(LicenceExtraChild.id == row.id)
                    .execution_options(synchronize_session=False))
                removed = deleted.rowcount == 1
            if removed:
                self.ctx.audit(session, actor, "remove_extra_child", school.id,
                               licence_id=licence.id, child_id=person.id)
            return ExtraChildRemovalDTO(licence=dto, child=child_dto(person, group),
                                        was_on=removed)
