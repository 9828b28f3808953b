"""Children on licences: children of other groups on a group licence (rule 6) and the reminder
for their teachers (rule 7); also what both child flows share (picking groups and children)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.actor import Actor
from services.base import as_id, as_ids
from services.dto import LicenceDTO, Page
from services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from services.licence_tasks_dto import (
    ChildCandidatesDTO,
    ChildDTO,
    ChildGroupsDTO,
    ChildrenPreviewDTO,
    ChildrenResultDTO,
    ExtraChildRemovalDTO,
    LicenceChildDTO,
    LicenceChildrenDTO,
    LicenceOverviewDTO,
    ReminderLineDTO,
    TeacherReminderDTO,
)
from services.linking import LinkingMixin, fits
from services.models import (
    MODEL_CHILD,
    MODEL_GROUP,
    ROLE_PUPIL,
    ROLE_TEACHER,
    STATUS_ACTIVE,
    ChildAssignment,
    Group,
    GroupMember,
    Licence,
    LicenceExtraChild,
    Person,
    Role,
    School,
)
from services.people import MAX_QUERY, PeopleMixin, _escape_like, group_sort_key

CHILD_PAGE_SIZE = 30
# Rule 6: children of other groups can be put on a group licence since this school year.
FIRST_EXTRA_CHILD_YEAR = "2022-2023"


def page_of(items: Sequence, page: int, size: int, query: str = "") -> Page:
    """One page of a sorted list; a page past the end shows the last page."""
    page_count = max(1, math.ceil(len(items) / size))
    page = min(max(page, 1), page_count)
    start = (page - 1) * size
    return Page(items=tuple(items[start : start + size]), page=page, page_count=page_count,
                total=len(items), query=query)


def page_number(value: object) -> int:
    return as_id(value, "page") if value not in (None, "") else 1


def query_text(value: object) -> str:
    """A typed search text: a string of at most MAX_QUERY characters."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput("error.invalid_field", field="query")
    text = " ".join(value.split())
    if len(text) > MAX_QUERY:
        raise InvalidInput("error.query_too_long", limit=MAX_QUERY)
    return text


def child_dto(person: Person, group: Group | None) -> ChildDTO:
    return ChildDTO(id=person.id, name=person.full_name,
                    group_id=group.id if group else None, group_name=group.name if group else None)


def names_of(people: Iterable[Person]) -> str:
    return ", ".join(p.full_name for p in people)


class LicenceTaskBase(LinkingMixin, PeopleMixin):
    """What the child flows share: the school's pupils, their groups and teachers, and the
    checks every child must pass before it goes on any licence."""

    async def _pupil_groups(
        self, session: AsyncSession, school_id: int, person_ids: Iterable[int] | None = None
    ) -> dict[int, Group]:
        """Each pupil's live group at this school (the first in year order if several)."""
        stmt = (
            select(GroupMember.person_id, Group)
            .join(Group, Group.id == GroupMember.group_id)
            .where(Group.school_id == school_id, Group.deleted_at.is_(None),
                   GroupMember.role == ROLE_PUPIL)
        )
        if person_ids is not None:
            stmt = stmt.where(GroupMember.person_id.in_(list(person_ids)))
        groups: dict[int, Group] = {}
        for person_id, group in (await session.execute(stmt)).all():
            if person_id not in groups or group_sort_key(group) < group_sort_key(groups[person_id]):
                groups[person_id] = group
        return groups

    async def _teacher_names(
        self, session: AsyncSession, group_ids: Iterable[int]
    ) -> dict[int, tuple[str, ...]]:
        ids = list(set(group_ids))
        if not ids:
            return {}
        rows = (
            await session.execute(
                select(GroupMember.group_id, Person)
                .join(Person, Person.id == GroupMember.person_id)
                .where(GroupMember.group_id.in_(ids), GroupMember.role == ROLE_TEACHER,
                       Person.status == STATUS_ACTIVE)
            )
        ).all()
        names: dict[int, list[Person]] = {}
        for group_id, person in rows:
            names.setdefault(group_id, []).append(person)
        return {gid: tuple(p.full_name for p in sorted(people, key=lambda p: p.sort_name))
                for gid, people in names.items()}

    async def _children_of_school(
        self, session: AsyncSession, school: School, child_ids: object
    ) -> list[tuple[Person, Group | None]]:
        """The chosen children, checked: pupils of this school who have not left it.

        Raises InvalidInput for a garbled list, NotFound for an unknown id, NotAllowed for a
        child of another school (a forged or stale claim) and Conflict for a child who left.
        """
        ids = as_ids(child_ids, "children")
        people = {
            p.id: p for p in (await session.scalars(select(Person).where(Person.id.in_(ids)))).all()
        }
        if any(i not in people for i in ids):
            raise NotFound("error.child_not_found")
        pupils = set(
            (
                await session.scalars(
                    select(Role.person_id).where(
                        Role.school_id == school.id, Role.role == ROLE_PUPIL,
                        Role.person_id.in_(ids),
                    )
                )
            ).all()
        )
        strangers = [i for i in ids if i not in pupils]
        if strangers:
            raise NotAllowed("error.child_other_school", child_ids=strangers, school_id=school.id)
        left = [people[i] for i in ids if people[i].status != STATUS_ACTIVE]
        if left:
            raise Conflict("error.child_left", names=names_of(left))
        groups = await self._pupil_groups(session, school.id, ids)
        chosen = [(people[i], groups.get(i)) for i in ids]
        return sorted(chosen, key=lambda pair: pair[0].sort_name)

    async def _reminder(
        self, session: AsyncSession, licence: Licence, children: list[tuple[Person, Group | None]]
    ) -> TeacherReminderDTO:
        """Rule 7: the teacher must start the running lesson week or block for a new child."""
        teachers = await self._teacher_names(session, (g.id for _, g in children if g))
        return TeacherReminderDTO(
            product_name=licence.product.name,
            kind=licence.product.kind,
            lines=tuple(
                ReminderLineDTO(
                    child_name=person.full_name,
                    group_name=group.name if group else None,
                    teacher_names=teachers.get(group.id, ()) if group else (),
                )
                for person, group in children
            ),
        )

    async def _on_licence(self, session: AsyncSession, licence: Licence) -> set[int]:
        """Ids of the children on a licence: its extra children, or its assigned seats."""
        table = LicenceExtraChild if licence.model == MODEL_GROUP else ChildAssignment
        return set(
            (await session.scalars(select(table.person_id).where(table.licence_id == licence.id)))
            .all()
        )

    @staticmethod
    def _linked_group_ids(licence: Licence) -> set[int]:
        return {ln.group_id for ln in licence.group_links if ln.group.deleted_at is None}

    async def _licence_children(
        self, session: AsyncSession, licence: Licence, query: str, page: int
    ) -> Page[LicenceChildDTO]:
        """The children on a licence, sorted by last name, filtered by name, one page."""
        table = LicenceExtraChild if licence.model == MODEL_GROUP else ChildAssignment
        since = table.added_at if table is LicenceExtraChild else table.assigned_at
        by = table.added_by if table is LicenceExtraChild else table.assigned_by
        rows = (
            await session.execute(
                select(Person, since, by)
                .join(table, table.person_id == Person.id)
                .where(table.licence_id == licence.id)
            )
        ).all()
        words = query.lower().split()
        rows = [r for r in rows if all(w in r[0].full_name.lower() for w in words)]
        rows.sort(key=lambda r: r[0].sort_name)
        groups = await self._pupil_groups(session, licence.school_id, [r[0].id for r in rows])
        by_ids = {r[2] for r in rows if r[2]}
        names = {}
        if by_ids:
            names = {p.id: p.full_name for p in
                     (await session.scalars(select(Person).where(Person.id.in_(by_ids)))).all()}
        items = [
            LicenceChildDTO(child=child_dto(person, groups.get(person.id)), since=at,
                            by=names.get(who) if who else None)
            for person, at, who in rows
        ]
        return page_of(items, page, CHILD_PAGE_SIZE, query)

    async def _overview(
        self, session: AsyncSession, school: School, year: str, model: str,
        product_ids: Iterable[int] | None = None,
    ) -> tuple[LicenceOverviewDTO, ...]:
        stmt = self._licence_query().where(
            Licence.school_id == school.id, Licence.school_year == year, Licence.model == model,
        )
        if product_ids is not None:
            stmt = stmt.where(Licence.product_id.in_(list(product_ids)))
        licences = [lic for lic in (await session.scalars(stmt)).all()
                    if model == MODEL_GROUP or lic.product.offers_child]
        table = LicenceExtraChild if model == MODEL_GROUP else ChildAssignment
        counts = dict(
            (
                await session.execute(
                    select(table.licence_id, func.count(table.id))
                    .where(table.licence_id.in_([lic.id for lic in licences]))
                    .group_by(table.licence_id)
                )
            ).all()
        ) if licences else {}
        dtos = [LicenceOverviewDTO(await self._licence_dto(session, lic), counts.get(lic.id, 0))
                for lic in licences]
        return tuple(sorted(dtos, key=lambda d: (d.licence.product_name.lower(),
                                                 d.licence.levels)))

    async def _task_licence(
        self, session: AsyncSession, actor: Actor, licence_id: object, model: object = None
    ) -> tuple[Licence, School]:
        """A group licence, or a kindlicentie of a product that offers them; of the given
        model ('group' or 'child') when one is named."""
        if model not in (None, MODEL_GROUP, MODEL_CHILD):
            raise InvalidInput("error.invalid_field", field="model")
        licence, school = await self._licence_for(session, actor, licence_id, model)
        if licence.model != MODEL_GROUP and not licence.product.offers_child:
            raise NotFound("error.licence_not_found")
        return licence, school

    # -- picking children (both flows) ----------------------------------------------------------
    async def child_groups(
        self, actor: Actor, licence_id: object, model: str | None = None
    ) -> ChildGroupsDTO:
        """The groups to pick a child from: for a group licence the groups not linked to it
        (their children have access already); for a kindlicentie every group, fitting first.
        `model` ('group' or 'child') refuses a licence of the other kind as NotFound; a
        kindlicentie without a free seat is refused (Conflict) before anyone picks children."""
        async with self._read(actor, "child_groups") as session:
            licence, school = await self._task_licence(session, actor, licence_id, model)
            if licence.model != MODEL_GROUP and licence.seats_taken >= (licence.seats or 0):
                raise Conflict("error.no_free_seats", seats=licence.seats or 0)
            linked = self._linked_group_ids(licence)
            groups = [g for g in await self._groups_of(session, school.id) if g.id not in linked]
            if licence.model != MODEL_GROUP:
                groups.sort(key=lambda g: not fits(g.levels, licence.levels))
            return ChildGroupsDTO(licence=await self._licence_dto(session, licence),
                                  groups=tuple(groups))

    async def child_candidates(
        self, actor: Actor, licence_id: object, group_id: object = None, query: object = "",
        page: object = 1, model: str | None = None,
    ) -> ChildCandidatesDTO:
        """Children that can still be put on the licence: the pupils of one group, or of the
        whole school when only a name is given; those on the licence already are left out.

        Raises InvalidInput when neither a group nor a name is given or a value is garbled,
        NotFound for a stale licence or group, NotAllowed for another school's licence or group.
        """
        text = query_text(query)
        page_no = page_number(page)
        async with self._read(actor, "child_candidates") as session:
            licence, school = await self._task_licence(session, actor, licence_id, model)
            group = None
            if group_id not in (None, ""):
                group = await self._group_of_school(session, school, group_id)
            elif not text:
                raise InvalidInput("error.choose_group_or_name")
            stmt = (
                select(Person)
                .join(Role, (Role.person_id == Person.id) & (Role.school_id == school.id)
                      & (Role.role == ROLE_PUPIL))
                .where(Person.status == STATUS_ACTIVE)
            )
            if group is not None:
                stmt = stmt.join(GroupMember, (GroupMember.person_id == Person.id)
                                 & (GroupMember.role == ROLE_PUPIL)
                                 & (GroupMember.group_id == group.id))
            for word in text.lower().split():
                pattern = f"%{_escape_like(word)}%"
                stmt = stmt.where(
                    func.lower(Person.first_name).like(pattern, escape="\\")
                    | func.lower(Person.last_name).like(pattern, escape="\\")
                    | func.lower(Person.tussenvoegsel).like(pattern, escape="\\")
                )
            people = list(dict.fromkeys((await session.scalars(stmt)).all()))
            on_licence = await self._on_licence(session, licence)
            groups = await self._pupil_groups(session, school.id, [p.id for p in people])
            linked = self._linked_group_ids(licence) if licence.model == MODEL_GROUP else set()
            open_people = [
                p for p in people if p.id not in on_licence
                and (groups.get(p.id) is None or groups[p.id].id not in linked)
            ]
            open_people.sort(key=lambda p: p.sort_name)
            items = [child_dto(p, groups.get(p.id)) for p in open_people]
            group_dto = None
            if group is not None:
                group_dto = next(g for g in await self._groups_of(session, school.id)
                                 if g.id == group.id)
            return ChildCandidatesDTO(
                licence=await self._licence_dto(session, licence),
                group=group_dto,
                candidates=page_of(items, page_no, CHILD_PAGE_SIZE, text),
                already_on=len(people) - len(open_people),
            )


class ChildrenMixin(LicenceTaskBase):
    """Kinderen op groepslicenties (manual 3.5): children of other groups on a group licence."""

    async def children_overview(
        self, actor: Actor, school_id: object, school_year: str | None = None
    ) -> tuple[LicenceOverviewDTO, ...]:
        """The school's group licences of the (current) school year, each with the number of
        children of other groups on it."""
        async with self._read(actor, "children_overview") as session:
            school = await self._require_coordinator(session, actor, school_id)
            return await self._overview(session, school, school_year or self.current_school_year(),
                                        MODEL_GROUP)

    async def extra_children(
        self, actor: Actor, licence_id: object, page: object = 1
    ) -> LicenceChildrenDTO:
        """Tab 'Kinderen gekoppeld' of a group licence: the children of other groups on it."""
        page_no = page_number(page)
        async with self._read(actor, "extra_children") as session:
            licence, _ = await self._licence_for(session, actor, licence_id, MODEL_GROUP)
            return LicenceChildrenDTO(
                licence=await self._licence_dto(session, licence),
                children=await self._licence_children(session, licence, "", page_no),
            )

    async def _extra_children_check(
        self, session: AsyncSession, actor: Actor, licence_id: object, child_ids: object
    ) -> tuple[Licence, School, list[tuple[Person, Group | None]]]:
        licence, school = await self._licence_for(session, actor, licence_id, MODEL_GROUP)
        if licence.school_year < FIRST_EXTRA_CHILD_YEAR:
            raise Conflict("error.extra_children_since", year=FIRST_EXTRA_CHILD_YEAR)
        children = await self._children_of_school(session, school, child_ids)
        on_licence = await self._on_licence(session, licence)
        already = [p for p, _ in children if p.id in on_licence]
        if already:
            raise Conflict("error.child_already_on", names=names_of(already))
        linked = self._linked_group_ids(licence)
        covered = [(p, g) for p, g in children if g is not None and g.id in linked]
        if covered:
            person, group = covered[0]
            raise Conflict("error.child_has_access", name=person.full_name, group=group.name)
        return licence, school, children

    async def preview_add_extra_children(
        self, actor: Actor, licence_id: object, child_ids: object
    ) -> ChildrenPreviewDTO:
        """What add_extra_children would do, checked but not applied (for the confirmation)."""
        async with self._read(actor, "preview_add_extra_children") as session:
            licence, _, children = await self._extra_children_check(
                session, actor, licence_id, child_ids)
            return ChildrenPreviewDTO(licence=await self._licence_dto(session, licence),
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
        async with self._transaction(actor, "add_extra_children") as session:
            licence, school, children = await self._extra_children_check(
                session, actor, licence_id, child_ids)
            try:
                # A savepoint: without it a failed INSERT (a race, only possible on PostgreSQL)
                # rolls back the whole transaction and expires the children, and reading their
                # names for the message fails with "closed transaction" instead of a Conflict.
                async with session.begin_nested():
                    for person, _ in children:
                        session.add(LicenceExtraChild(
                            licence_id=licence.id, person_id=person.id,
                            added_by=actor.person_id, added_at=self.now()))
            except IntegrityError:  # another coördinator added one of them a moment ago
                raise Conflict("error.child_already_on",
                               names=names_of(p for p, _ in children)) from None
            self._audit(session, actor, "add_extra_children", school.id, licence_id=licence.id,
                        child_ids=[p.id for p, _ in children])
            return ChildrenResultDTO(
                licence=await self._licence_dto(session, licence),
                added=tuple(child_dto(p, g) for p, g in children),
                reminder=await self._reminder(session, licence, children),
            )

    async def _extra_child(
        self, session: AsyncSession, actor: Actor, licence_id: object, child_id: object
    ) -> tuple[Licence, School, Person, LicenceExtraChild | None, LicenceDTO]:
        licence, school = await self._licence_for(session, actor, licence_id, MODEL_GROUP)
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
        return licence, school, person, row, await self._licence_dto(session, licence)

    async def preview_remove_extra_child(
        self, actor: Actor, licence_id: object, child_id: object
    ) -> ExtraChildRemovalDTO:
        """The extra child that remove_extra_child would take off (for the confirmation)."""
        async with self._read(actor, "preview_remove_extra_child") as session:
            licence, school, person, row, dto = await self._extra_child(
                session, actor, licence_id, child_id)
            if row is None:
                raise Conflict("error.child_not_on", name=person.full_name)
            group = (await self._pupil_groups(session, school.id, [person.id])).get(person.id)
            return ExtraChildRemovalDTO(licence=dto, child=child_dto(person, group))

    async def remove_extra_child(
        self, actor: Actor, licence_id: object, child_id: object
    ) -> ExtraChildRemovalDTO:
        """Take a child of another group off a group licence; a child not on it changes nothing
        (`was_on` is False). Raises NotAllowed/NotFound like the other use cases."""
        async with self._transaction(actor, "remove_extra_child") as session:
            licence, school, person, row, dto = await self._extra_child(
                session, actor, licence_id, child_id)
            group = (await self._pupil_groups(session, school.id, [person.id])).get(person.id)
            removed = False
            if row is not None:
                # By rowcount, not session.delete: of two simultaneous removals (PostgreSQL)
                # only the one whose DELETE hit the row says so and is audited.
                deleted = await session.execute(
                    delete(LicenceExtraChild).where(LicenceExtraChild.id == row.id)
                    .execution_options(synchronize_session=False))
                removed = deleted.rowcount == 1
            if removed:
                self._audit(session, actor, "remove_extra_child", school.id,
                            licence_id=licence.id, child_id=person.id)
            return ExtraChildRemovalDTO(licence=dto, child=child_dto(person, group),
                                        was_on=removed)

