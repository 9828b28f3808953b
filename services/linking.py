"""Group licences and the groups linked to them (rule 5)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from services.actor import Actor
from services.base import ServiceBase, as_id, as_ids
from services.dto import (
    GroupChoiceDTO,
    LicenceDTO,
    LinkedGroupDTO,
    LinkOptionsDTO,
    LinkPreviewDTO,
    LinkResultDTO,
    UnlinkPreviewDTO,
    UnlinkResultDTO,
)
from services.errors import Conflict, NotFound
from services.models import (
    LINK_MANUAL,
    MODEL_GROUP,
    Group,
    Licence,
    LicenceGroup,
    Person,
    School,
)
from services.people import group_sort_key


def fits(group_levels: tuple[int, ...], licence_levels: tuple[int, ...]) -> bool:
    """A group fits a licence when one of its year levels is one of the licence's."""
    return bool(set(group_levels) & set(licence_levels))


class LinkingMixin(ServiceBase):
    def _licence_query(self):
        # populate_existing: a licence re-read after a change in the same session is fresh.
        return (
            select(Licence)
            .options(
                selectinload(Licence.product),
                selectinload(Licence.group_links).selectinload(LicenceGroup.group),
            )
            .execution_options(populate_existing=True)
        )

    async def _licence_for(
        self, session: AsyncSession, actor: Actor, licence_id: object, model: str | None = None
    ) -> tuple[Licence, School]:
        """A licence of a school the actor coordinates; NotFound when it does not exist."""
        lid = as_id(licence_id, "licence")
        licence = await session.scalar(self._licence_query().where(Licence.id == lid))
        if licence is None:
            raise NotFound("error.licence_not_found")
        school = await self._require_coordinator(session, actor, licence.school_id)
        if model is not None and licence.model != model:
            raise NotFound("error.licence_not_found")
        return licence, school

    async def _licence_dto(self, session: AsyncSession, licence: Licence) -> LicenceDTO:
        links = [ln for ln in licence.group_links if ln.group.deleted_at is None]
        linker_ids = {ln.linked_by for ln in links if ln.linked_by}
        names: dict[int, str] = {}
        if linker_ids:
            people = (await session.scalars(select(Person).where(Person.id.in_(linker_ids)))).all()
            names = {p.id: p.full_name for p in people}
        linked = tuple(
            LinkedGroupDTO(
                group_id=ln.group.id,
                group_name=ln.group.name,
                origin=ln.origin,
                linked_at=ln.linked_at,
                linked_by=names.get(ln.linked_by) if ln.linked_by else None,
            )
            for ln in sorted(links, key=lambda ln: group_sort_key(ln.group))
        )
        return LicenceDTO(
            id=licence.id,
            school_id=licence.school_id,
            product_code=licence.product.code,
            product_name=licence.product.name,
            levels=licence.levels,
            school_year=licence.school_year,
            model=licence.model,
            seats=licence.seats,
            seats_taken=licence.seats_taken,
            linked_groups=linked,
        )

    async def list_group_licences(
        self, actor: Actor, school_id: object, school_year: str | None = None
    ) -> tuple[LicenceDTO, ...]:
        """The school's group licences of the (current) school year, each with its linked groups."""
        async with self._read(actor, "list_group_licences") as session:
            school = await self._require_coordinator(session, actor, school_id)
            year = school_year or self.current_school_year()
            licences = (
                await session.scalars(
                    self._licence_query().where(
                        Licence.school_id == school.id,
                        Licence.school_year == year,
                        Licence.model == MODEL_GROUP,
                    )
                )
            ).all()
            dtos = [await self._licence_dto(session, lic) for lic in licences]
            return tuple(sorted(dtos, key=lambda d: (d.product_name.lower(), d.levels)))

    async def link_options(self, actor: Actor, licence_id: object) -> LinkOptionsDTO:
        """The groups that can still be linked to a group licence, fitting year levels first."""
        async with self._read(actor, "link_options") as session:
            licence, school = await self._licence_for(session, actor, licence_id, MODEL_GROUP)
            dto = await self._licence_dto(session, licence)
            return LinkOptionsDTO(licence=dto, groups=await self._choices(session, school, licence))

    async def _choices(
        self, session: AsyncSession, school: School, licence: Licence
    ) -> tuple[GroupChoiceDTO, ...]:
        linked = {ln.group_id for ln in licence.group_links}
        groups = (
            await session.scalars(
                select(Group).where(Group.school_id == school.id, Group.deleted_at.is_(None))
            )
        ).all()
        open_groups = sorted((g for g in groups if g.id not in linked), key=group_sort_key)
        choices = [GroupChoiceDTO(g.id, g.name, fits(g.levels, licence.levels)) for g in open_groups]
        return tuple(sorted(choices, key=lambda c: not c.fits))

    async def preview_link(
        self, actor: Actor, licence_id: object, group_ids: object
    ) -> LinkPreviewDTO:
        """What link_groups would do, checked but not applied (for the confirmation card)."""
        async with self._read(actor, "preview_link") as session:
            licence, school = await self._licence_for(session, actor, licence_id, MODEL_GROUP)
            groups = [await self._group_of_school(session, school, g) for g in as_ids(group_ids)]
            linked = {ln.group_id for ln in licence.group_links}
            to_link = [g for g in groups if g.id not in linked]
            if not to_link:
                raise Conflict("error.already_linked")
            return LinkPreviewDTO(
                licence=await self._licence_dto(session, licence),
                to_link=tuple(
                    GroupChoiceDTO(g.id, g.name, fits(g.levels, licence.levels))
                    for g in sorted(to_link, key=group_sort_key)
                ),
            )

    async def link_groups(self, actor: Actor, licence_id: object, group_ids: object) -> LinkResultDTO:
        """Link groups of the licence's school to a group licence, by hand.

        Groups already linked are reported, not linked twice. Raises NotFound for a stale
        licence or group, NotAllowed for another school's licence or group, InvalidInput for
        a garbled list.
        """
        async with self._transaction(actor, "link_groups") as session:
            licence, school = await self._licence_for(session, actor, licence_id, MODEL_GROUP)
            groups = [await self._group_of_school(session, school, g) for g in as_ids(group_ids)]
            linked = {ln.group_id for ln in licence.group_links}
            new = [g for g in sorted(groups, key=group_sort_key) if g.id not in linked]
            already = [g for g in sorted(groups, key=group_sort_key) if g.id in linked]
            for group in new:
                session.add(
                    LicenceGroup(
                        licence_id=licence.id,
                        group_id=group.id,
                        origin=LINK_MANUAL,
                        linked_by=actor.person_id,
                        linked_at=self.now(),
                    )
                )
            if new:
                self._audit(
                    session, actor, "link_groups", school.id,
                    licence_id=licence.id, group_ids=[g.id for g in new],
                )
            await session.flush()
            licence, _ = await self._licence_for(session, actor, licence.id, MODEL_GROUP)
            return LinkResultDTO(
                licence=await self._licence_dto(session, licence),
                linked=tuple(g.name for g in new),
                already_linked=tuple(g.name for g in already),
            )

    async def preview_unlink(
        self, actor: Actor, licence_id: object, group_id: object
    ) -> UnlinkPreviewDTO:
        """The link that unlink_group would remove (for the confirmation card)."""
        async with self._read(actor, "preview_unlink") as session:
            licence, school = await self._licence_for(session, actor, licence_id, MODEL_GROUP)
            group = await self._group_of_school(session, school, group_id)
            dto = await self._licence_dto(session, licence)
            link = next((ln for ln in dto.linked_groups if ln.group_id == group.id), None)
            if link is None:
                raise Conflict("error.not_linked", group=group.name)
            return UnlinkPreviewDTO(licence=dto, group=link)

    async def unlink_group(
        self, actor: Actor, licence_id: object, group_id: object
    ) -> UnlinkResultDTO:
        """Remove a group from a group licence; a group that is not linked changes nothing."""
        async with self._transaction(actor, "unlink_group") as session:
            licence, school = await self._licence_for(session, actor, licence_id, MODEL_GROUP)
            group = await self._group_of_school(session, school, group_id)
            link = next((ln for ln in licence.group_links if ln.group_id == group.id), None)
            # Delete by row count: of two simultaneous unlinks only one removes (and audits) it.
            removed = link is not None and (await session.execute(
                delete(LicenceGroup).where(LicenceGroup.id == link.id))).rowcount == 1
            if removed:
                self._audit(
                    session, actor, "unlink_group", school.id,
                    licence_id=licence.id, group_id=group.id, origin=link.origin,
                )
                licence, _ = await self._licence_for(session, actor, licence.id, MODEL_GROUP)
            return UnlinkResultDTO(
                licence=await self._licence_dto(session, licence),
                group_name=group.name,
                was_linked=removed,
            )
