"""Identity and school data use cases: who is this, what are their schools, who is in them."""

from __future__ import annotations

import math

from sqlalchemy import func, or_, select

from services.actor import Actor, Identity, SchoolRef
from services.base import ServiceBase, as_id
from services.db import READ_ONLY
from services.dto import (
    GroupDetailDTO,
    GroupDTO,
    Page,
    PersonDTO,
    PupilDTO,
    RefusalDTO,
    SchoolDTO,
    TeacherDTO,
)
from services.errors import InvalidInput
from services.models import (
    ROLE_COORDINATOR,
    ROLE_PUPIL,
    ROLE_TEACHER,
    STATUS_ACTIVE,
    Group,
    GroupMember,
    Person,
    Role,
    School,
)

LANGUAGES = ("nl", "en")
PUPIL_PAGE_SIZE = 25
MAX_QUERY = 100


def person_dto(person: Person) -> PersonDTO:
    return PersonDTO(id=person.id, name=person.full_name, email=person.email)


def school_ref(school: School) -> SchoolRef:
    return SchoolRef(id=school.id, name=school.name, brin=school.brin, vestiging=school.vestiging)


class PeopleMixin(ServiceBase):
    # -- identity -------------------------------------------------------------------------------
    async def resolve_actor(self, identity: Identity, conversation_id: str | None = None) -> Actor:
        """The Actor for a channel identity: by Entra object id, else by e-mail (then remembered).

        Unknown people get an Actor without person_id; nothing is created for them.
        """
        # Every turn resolves its actor: a read that never waits for SQLite's write lock.
        async with self._sessions() as session:
            await session.connection(execution_options={READ_ONLY: True})
            person = None
            if identity.aad_object_id:
                person = await session.scalar(
                    select(Person).where(Person.aad_object_id == identity.aad_object_id))
            if person is None and identity.email:
                person_id = await self._remember_entra_id(identity)
                person = await session.get(Person, person_id) if person_id else None
            if person is None or person.status != STATUS_ACTIVE:
                return Actor.unknown(identity.name or "", conversation_id)
            rows = (
                await session.execute(
                    select(Role.role, School)
                    .join(School, School.id == Role.school_id)
                    .where(Role.person_id == person.id)
                    .order_by(School.name, School.vestiging)
                )
            ).all()
            coordinator = tuple(school_ref(s) for role, s in rows if role == ROLE_COORDINATOR)
            coordinator_ids = {s.id for s in coordinator}
            others = tuple(
                dict.fromkeys(
                    school_ref(s) for role, s in rows if role != ROLE_COORDINATOR
                    and s.id not in coordinator_ids
                )
            )
            return Actor(
                person_id=person.id,
                name=person.full_name,
                language=person.language,
                coordinator_of=coordinator,
                other_schools=others,
                conversation_id=conversation_id,
            )

    async def _remember_entra_id(self, identity: Identity) -> int | None:
        """The person with this e-mail and no Entra id yet; the Entra id is stored with them."""
        async with self._sessions.begin() as session:
            person = await session.scalar(
                select(Person).where(
                    func.lower(Person.email) == identity.email.strip().lower(),
                    Person.aad_object_id.is_(None),
                )
            )
            if person is None:
                return None
            if identity.aad_object_id:
                person.aad_object_id = identity.aad_object_id
            return person.id

    async def refusal_for(self, actor: Actor) -> RefusalDTO:
        """Why this actor cannot use the bot, naming their schools' ict-coördinatoren."""
        if not actor.other_schools:
            return RefusalDTO(kind="unknown")
        async with self._read(actor, "refusal_for") as session:
            schools = []
            for ref in actor.other_schools:
                names = (
                    await session.scalars(
                        select(Person)
                        .join(Role, Role.person_id == Person.id)
                        .where(Role.school_id == ref.id, Role.role == ROLE_COORDINATOR)
                        .order_by(Person.last_name, Person.first_name)
                    )
                ).all()
                schools.append((ref.name, tuple(p.full_name for p in names)))
            return RefusalDTO(kind="staff", schools=tuple(schools))

    async def set_language(self, actor: Actor, language: object) -> str:
        """Remember the actor's UI language ('nl' or 'en')."""
        if language not in LANGUAGES:
            raise InvalidInput("error.invalid_field", field="language")
        async with self._transaction(actor, "set_language") as session:
            person = await session.get(Person, actor.person_id) if actor.person_id else None
            if person is None:
                raise InvalidInput("error.invalid_field", field="person")
            person.language = str(language)
            self._audit(session, actor, "set_language", None, language=language)
            return person.language

    # -- school data ----------------------------------------------------------------------------
    async def require_school(self, actor: Actor, school_id: object) -> SchoolRef:
        """The school named by a card, if the actor coordinates it (NotAllowed otherwise)."""
        async with self._read(actor, "require_school") as session:
            return school_ref(await self._require_coordinator(session, actor, school_id))

    async def school_home(self, actor: Actor, school_id: object) -> SchoolDTO:
        """Name, BRIN, vestiging and counts of a school the actor coordinates."""
        async with self._read(actor, "school_home") as session:
            school = await self._require_coordinator(session, actor, school_id)
            counts = dict(
                (
                    await session.execute(
                        select(Role.role, func.count(Role.id))
                        .where(Role.school_id == school.id)
                        .group_by(Role.role)
                    )
                ).all()
            )
            groups = await session.scalar(
                select(func.count(Group.id)).where(
                    Group.school_id == school.id, Group.deleted_at.is_(None)
                )
            )
            return SchoolDTO(
                id=school.id,
                name=school.name,
                brin=school.brin,
                vestiging=school.vestiging,
                city=school.city,
                school_year=self.current_school_year(),
                group_count=groups or 0,
                pupil_count=counts.get(ROLE_PUPIL, 0),
                teacher_count=counts.get(ROLE_TEACHER, 0),
            )

    async def list_groups(self, actor: Actor, school_id: object) -> tuple[GroupDTO, ...]:
        """The school's live groups in year order, with pupil counts and teacher names."""
        async with self._read(actor, "list_groups") as session:
            school = await self._require_coordinator(session, actor, school_id)
            return await self._groups_of(session, school.id)

    async def _groups_of(self, session, school_id: int) -> tuple[GroupDTO, ...]:
        groups = (
            await session.scalars(
                select(Group).where(Group.school_id == school_id, Group.deleted_at.is_(None))
            )
        ).all()
        members = (
            await session.execute(
                select(GroupMember.group_id, GroupMember.role, Person)
                .join(Person, Person.id == GroupMember.person_id)
                .join(Group, Group.id == GroupMember.group_id)
                .where(Group.school_id == school_id, Person.status == STATUS_ACTIVE)
            )
        ).all()
        pupils: dict[int, int] = {}
        teachers: dict[int, list[str]] = {}
        for group_id, role, person in members:
            if role == ROLE_PUPIL:
                pupils[group_id] = pupils.get(group_id, 0) + 1
            elif role == ROLE_TEACHER:
                teachers.setdefault(group_id, []).append(person.full_name)
        dtos = [
            GroupDTO(
                id=g.id,
                name=g.name,
                levels=g.levels,
                pupil_count=pupils.get(g.id, 0),
                teacher_names=tuple(sorted(teachers.get(g.id, []))),
            )
            for g in groups
        ]
        return tuple(sorted(dtos, key=group_sort_key))

    async def group_detail(self, actor: Actor, school_id: object, group_id: object) -> GroupDetailDTO:
        """One group of the school with its teachers and pupils (sorted by last name)."""
        async with self._read(actor, "group_detail") as session:
            school = await self._require_coordinator(session, actor, school_id)
            group = await self._group_of_school(session, school, group_id)
            rows = (
                await session.execute(
                    select(GroupMember.role, Person)
                    .join(Person, Person.id == GroupMember.person_id)
                    .where(GroupMember.group_id == group.id, Person.status == STATUS_ACTIVE)
                )
            ).all()
            teachers = sorted((p for r, p in rows if r == ROLE_TEACHER), key=lambda p: p.sort_name)
            pupils = sorted((p for r, p in rows if r == ROLE_PUPIL), key=lambda p: p.sort_name)
            return GroupDetailDTO(
                group=GroupDTO(
                    id=group.id,
                    name=group.name,
                    levels=group.levels,
                    pupil_count=len(pupils),
                    teacher_names=tuple(p.full_name for p in teachers),
                ),
                teachers=tuple(person_dto(p) for p in teachers),
                pupils=tuple(person_dto(p) for p in pupils),
            )

    async def list_coordinators(self, actor: Actor, school_id: object) -> tuple[PersonDTO, ...]:
        """The school's ict-coördinatoren."""
        async with self._read(actor, "list_coordinators") as session:
            school = await self._require_coordinator(session, actor, school_id)
            people = (
                await session.scalars(
                    select(Person)
                    .join(Role, Role.person_id == Person.id)
                    .where(Role.school_id == school.id, Role.role == ROLE_COORDINATOR)
                )
            ).all()
            return tuple(person_dto(p) for p in sorted(people, key=lambda p: p.sort_name))

    async def list_teachers(self, actor: Actor, school_id: object) -> tuple[TeacherDTO, ...]:
        """The school's teachers, each with the groups they teach."""
        async with self._read(actor, "list_teachers") as session:
            school = await self._require_coordinator(session, actor, school_id)
            teachers = (
                await session.scalars(
                    select(Person)
                    .join(Role, Role.person_id == Person.id)
                    .where(
                        Role.school_id == school.id,
                        Role.role == ROLE_TEACHER,
                        Person.status == STATUS_ACTIVE,
                    )
                )
            ).all()
            groups = (
                await session.execute(
                    select(GroupMember.person_id, Group)
                    .join(Group, Group.id == GroupMember.group_id)
                    .where(
                        Group.school_id == school.id,
                        Group.deleted_at.is_(None),
                        GroupMember.role == ROLE_TEACHER,
                    )
                )
            ).all()
            by_teacher: dict[int, list[Group]] = {}
            for person_id, group in groups:
                by_teacher.setdefault(person_id, []).append(group)
            return tuple(
                TeacherDTO(
                    person=person_dto(p),
                    group_names=tuple(
                        g.name for g in sorted(by_teacher.get(p.id, []), key=group_sort_key)
                    ),
                )
                for p in sorted(teachers, key=lambda p: p.sort_name)
            )

    async def search_pupils(
        self, actor: Actor, school_id: object, query: object = "", page: object = 1
    ) -> Page[PupilDTO]:
        """The school's pupils with their group, paged, optionally filtered by (part of) a name."""
        text = query.strip() if isinstance(query, str) else ""
        if query is not None and not isinstance(query, str):
            raise InvalidInput("error.invalid_field", field="query")
        if len(text) > MAX_QUERY:
            raise InvalidInput("error.query_too_long", limit=MAX_QUERY)
        page_no = as_id(page, "page") if page not in (None, "") else 1
        async with self._read(actor, "search_pupils") as session:
            school = await self._require_coordinator(session, actor, school_id)
            stmt = (
                select(Person, Group)
                .join(Role, (Role.person_id == Person.id) & (Role.school_id == school.id))
                .outerjoin(
                    GroupMember,
                    (GroupMember.person_id == Person.id) & (GroupMember.role == ROLE_PUPIL),
                )
                .outerjoin(
                    Group,
                    (Group.id == GroupMember.group_id)
                    & (Group.school_id == school.id)
                    & Group.deleted_at.is_(None),
                )
                .where(Role.role == ROLE_PUPIL, Person.status == STATUS_ACTIVE)
            )
            for word in text.lower().split():
                pattern = f"%{_escape_like(word)}%"
                stmt = stmt.where(
                    or_(
                        func.lower(Person.first_name).like(pattern, escape="\\"),
                        func.lower(Person.last_name).like(pattern, escape="\\"),
                        func.lower(Person.tussenvoegsel).like(pattern, escape="\\"),
                    )
                )
            rows = (await session.execute(stmt)).all()
            seen: dict[int, PupilDTO] = {}
            for person, group in sorted(rows, key=lambda r: (r[0].sort_name, r[1] is None)):
                if person.id in seen and seen[person.id].group_id is not None:
                    continue
                seen[person.id] = PupilDTO(
                    person=person_dto(person),
                    group_id=group.id if group else None,
                    group_name=group.name if group else None,
                )
            pupils = list(seen.values())
            page_count = max(1, math.ceil(len(pupils) / PUPIL_PAGE_SIZE))
            page_no = min(page_no, page_count)
            start = (page_no - 1) * PUPIL_PAGE_SIZE
            return Page(
                items=tuple(pupils[start : start + PUPIL_PAGE_SIZE]),
                page=page_no,
                page_count=page_count,
                total=len(pupils),
                query=text,
            )


def group_sort_key(group) -> tuple:
    levels = group.levels or (0,)
    return (min(levels), max(levels), group.name.lower())


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
