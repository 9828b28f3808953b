"""Use cases of the school area: identity, the refusal for non-coördinators, the user's language,
and Schoolgegevens (home, groups, coördinatoren, teachers, pupils, a pupil's licences)."""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, time

from rapidfuzz import fuzz, process
from sqlalchemy import ColumnElement, Select, bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.expression import ColumnCollection

from services.actor import Actor, Identity, SchoolRef
from services.db import reading
from services.driver_rows import Read, all_rows, rows_ahead
from services.errors import DomainError, InvalidInput, NotAllowed
from services.matching import normalise
from services.models import (
    MODEL_CHILD,
    ROLE_COORDINATOR,
    ROLE_PUPIL,
    ROLE_TEACHER,
    STATUS_ACTIVE,
    AuditEvent,
    ChildAssignment,
    Group,
    GroupMember,
    Licence,
    LicenceExtraChild,
    LicenceGroup,
    Person,
    Product,
    Role,
    School,
    full_name,
)
from services.school.results import (
    AuditRowDTO,
    GroupDetailDTO,
    PupilDTO,
    PupilLicenceDTO,
    PupilLookupDTO,
    PupilLookupItemDTO,
    RefusalDTO,
    SchoolDTO,
    TeacherDTO,
)
from services.shared.context import SchoolRow, ServiceContext
from services.shared.inputs import as_id, page_number, query_text, required_text
from services.shared.paging import Page, fetch_page, page_read
from services.shared.predicates import (
    PEOPLE,
    ROLES,
    active_person,
    live_groups_of,
    name_contains_words,
    person_order,
    pupil_role_of,
    word_params,
)
from services.shared.queries import (
    child_dto,
    group_sort_key,
    groups_of,
    groups_of_json,
    person_dto,
    pupil_groups,
    pupil_groups_json,
    school_by_code,
)
from services.shared.results import GroupDTO, PersonDTO

LANGUAGES = ("nl", "en")
TENANT_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PUPIL_PAGE_SIZE = 25
MAX_PUPIL_MATCHES = 10
PUPIL_CUTOFF = 85.0


def school_ref(school: School | SchoolRow) -> SchoolRef:
    return SchoolRef(id=school.id, name=school.name, brin=school.brin, vestiging=school.vestiging)


def _person_with_schools(*where):
    """The person, with a row for each of their roles and its school (one row with neither
    when they have none): who is acting, in one Core statement, as every turn needs it."""
    people, roles, schools = Person.__table__, Role.__table__, School.__table__
    return (select(people.c.id, people.c.first_name, people.c.tussenvoegsel,
                   people.c.last_name, people.c.status, people.c.language, roles.c.role,
                   schools.c.id.label("school_id"), schools.c.name, schools.c.brin,
                   schools.c.vestiging)
            .select_from(people.outerjoin(roles, roles.c.person_id == people.c.id)
                         .outerjoin(schools, schools.c.id == roles.c.school_id))
            .where(*where).order_by(schools.c.name, schools.c.vestiging))


_ACTOR_BY_ENTRA = _person_with_schools(
    Person.__table__.c.aad_tenant_id == bindparam("tenant"),
    Person.__table__.c.aad_object_id == bindparam("object_id"))
_ACTOR_BY_ID = _person_with_schools(Person.__table__.c.id == bindparam("person_id"))


@functools.lru_cache(maxsize=16)
def _pupil_search(words: int) -> Select:
    """The school's active pupils whose name holds `words` typed words, in name order: rows,
    not ORM objects (a page of 25 names is all the card shows), built once per number of
    words."""
    stmt = (select(PEOPLE.id, PEOPLE.first_name, PEOPLE.tussenvoegsel, PEOPLE.last_name,
                   PEOPLE.email)
            .join(Role.__table__, pupil_role_of(bindparam("school"), PEOPLE, ROLES))
            .where(active_person(PEOPLE)).order_by(*person_order(PEOPLE)))
    named = name_contains_words(words, PEOPLE)
    return stmt if named is None else stmt.where(named)


def _pupil_search_of(school_id: int, text: str) -> tuple[Select, dict]:
    """The search statement for this text and its values."""
    words = word_params(text)
    return _pupil_search(len(words)), {"school": school_id, **words}


def _pupil_groups(page: ColumnCollection) -> ColumnElement:
    """For a page of _pupil_search: each pupil's groups (groups_of_json)."""
    return pupil_groups_json(page.id)


class SchoolService:
    """Who is acting, and what a coördinator sees of their school."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- identity -----------------------------------------------------------------------------
    async def resolve_actor(self, identity: Identity, conversation_id: str | None = None) -> Actor:
        """The Actor for a channel identity: by (tenant, Entra object id), else by e-mail within
        the tenant of the person's school (then remembered as that tenant's Entra id).

        An Entra object id means nothing without its tenant: a sender without a tenant is
        unknown. Unknown people get an Actor without person_id; nothing is created for them.
        """
        tenant = identity.tenant_id or None
        by_entra = self.actor_read(identity)
        # Every turn resolves its actor: a Core read that never waits for SQLite's write lock.
        async with reading(self.ctx.sessions) as connection:
            found = []
            if by_entra is not None:
                found = await all_rows(connection, by_entra.statement, by_entra.params)
            if not found and identity.email and tenant:
                person_id = await self._link_by_email(identity, tenant)
                if person_id:
                    found = await all_rows(connection, _ACTOR_BY_ID,
                                           {"person_id": person_id})
        if not found or found[0].status != STATUS_ACTIVE:
            return Actor.unknown(identity.name or "", conversation_id)
        person = found[0]
        schools = [(row.role, SchoolRef(id=row.school_id, name=row.name, brin=row.brin,
                                        vestiging=row.vestiging))
                   for row in found if row.role is not None]
        coordinator = tuple(school for role, school in schools if role == ROLE_COORDINATOR)
        coordinator_ids = {s.id for s in coordinator}
        others = tuple(dict.fromkeys(
            school for role, school in schools
            if role != ROLE_COORDINATOR and school.id not in coordinator_ids))
        return Actor(person_id=person.id, language=person.language,
                     name=full_name(person.first_name, person.tussenvoegsel, person.last_name),
                     coordinator_of=coordinator, other_schools=others,
                     conversation_id=conversation_id)

    @staticmethod
    def actor_read(identity: Identity) -> Read | None:
        """The read `resolve_actor` starts with for this identity, to be read ahead with a
        turn's other first reads (Services.reads_together); None when it reads nothing first."""
        tenant = identity.tenant_id or None
        if not (identity.aad_object_id and tenant):
            return None
        return Read(_ACTOR_BY_ENTRA, {"tenant": tenant, "object_id": identity.aad_object_id})

    async def _link_by_email(self, identity: Identity, tenant: str) -> int | None:
        """The one person with this e-mail, no Entra id yet, and a role at a school of this
        tenant; the (tenant, Entra id) pair is stored with them. Two candidates: nobody."""
        email = (identity.email or "").strip().lower()
        in_tenant = select(Role.person_id).join(School, School.id == Role.school_id).where(
            School.entra_tenant_id == tenant)
        try:
            async with self.ctx.sessions.begin() as session:
                people = (await session.scalars(select(Person).where(
                    func.lower(Person.email) == email, Person.aad_object_id.is_(None),
                    Person.id.in_(in_tenant)).limit(2))).all()
                if len(people) != 1:
                    return None
                person = people[0]
                if identity.aad_object_id:
                    person.aad_tenant_id = tenant
                    person.aad_object_id = identity.aad_object_id
                return person.id
        except IntegrityError:  # a concurrent turn of the same user linked them first
            return None

    async def set_entra_tenant(self, actor: Actor, school_code: object, tenant_id: object
                               ) -> SchoolRef:
        """Name the Entra tenant a school's staff sign in with (operator only): from then on
        its people can be linked by their roster e-mail, from that tenant only."""
        if not actor.is_operator:
            raise NotAllowed(action="set_entra_tenant")
        tenant = str(tenant_id or "").strip().lower()
        if not TENANT_ID.fullmatch(tenant):
            raise InvalidInput("error.invalid_field", field="tenant")
        async with self.ctx.transaction(actor, "set_entra_tenant") as session:
            school = await school_by_code(session, school_code)
            school.entra_tenant_id = tenant
            self.ctx.audit(session, actor, "set_entra_tenant", school.id, tenant=tenant)
            return school_ref(school)

    async def audit_trail(self, actor: Actor, school_code: object, since: object
                          ) -> tuple[AuditRowDTO, ...]:
        """The audit trail of a school (by BRIN) since a day, oldest first, refusals included:
        for its coördinator or an operator (`beheerbot audit export`)."""
        if not isinstance(since, date) or isinstance(since, datetime):
            raise InvalidInput("error.invalid_field", field="since")
        start = datetime.combine(since, time.min, tzinfo=UTC)
        async with self.ctx.read(actor, "audit_trail") as session:
            found = await school_by_code(session, school_code)
            school = await self.ctx.coordinated_school(session, actor, found.id)
            rows = (await session.execute(
                select(AuditEvent, Person).outerjoin(Person, Person.id == AuditEvent.person_id)
                .where(AuditEvent.school_id == school.id, AuditEvent.at >= start)
                .order_by(AuditEvent.at, AuditEvent.id))).all()
            return tuple(AuditRowDTO(
                at=event.at, who=person.full_name if person else "onbekend",
                action=event.action, outcome=event.outcome,
                conversation_id=event.conversation_id or "", detail=event.detail)
                for event, person in rows)

    async def record_bot_refusal(self, actor: Actor, asked: str, school_id: object) -> None:
        """Audit that someone who may not use the bot (a teacher, a pupil, an unknown user,
        another tenant) asked for something; filed under the school their card named."""
        await self.ctx.record_refusal(actor, "bot_refused", NotAllowed(
            asked=asked, school_id=school_id if isinstance(school_id, int) else None,
            tenant_refused=bool(actor.extra.get("tenant_refused"))))

    async def refusal_for(self, actor: Actor) -> RefusalDTO:
        """Why this actor cannot use the bot, naming their schools' ict-coördinatoren."""
        if not actor.other_schools:
            return RefusalDTO(kind="unknown")
        async with self.ctx.read(actor, "refusal_for") as session:
            rows = (await session.execute(
                select(Role.school_id, Person).join(Role, Role.person_id == Person.id)
                .where(Role.school_id.in_([ref.id for ref in actor.other_schools]),
                       Role.role == ROLE_COORDINATOR)
                .order_by(Person.last_name, Person.first_name)
            )).all()
            return RefusalDTO(kind="staff", schools=tuple(
                (ref.name, tuple(p.full_name for sid, p in rows if sid == ref.id))
                for ref in actor.other_schools))

    async def set_language(self, actor: Actor, language: object) -> str:
        """Remember the actor's UI language ('nl' or 'en')."""
        if language not in LANGUAGES:
            raise InvalidInput("error.invalid_field", field="language")
        async with self.ctx.transaction(actor, "set_language") as session:
            person = await session.get(Person, actor.person_id) if actor.person_id else None
            if person is None:
                raise InvalidInput("error.invalid_field", field="person")
            person.language = str(language)
            self.ctx.audit(session, actor, "set_language", None, language=language)
            return person.language

    # -- school data ----------------------------------------------------------------------------
    async def require_school(self, actor: Actor, school_id: object) -> SchoolRef:
        """The school named by a card, if the actor coordinates it (NotAllowed otherwise)."""
        # The actor was read at the start of this turn with the schools it coordinates: one of
        # those needs no second read (every use case checks again in its own transaction).
        # Anything else, an operator's choice or a refusal to audit, goes to the database.
        if isinstance(school_id, int) and not isinstance(school_id, bool):
            for school in actor.coordinator_of:
                if school.id == school_id:
                    return school
        async with self.ctx.read(actor, "require_school") as session:
            return school_ref(await self.ctx.coordinated_school(session, actor, school_id))

    async def school_home(self, actor: Actor, school_id: object) -> SchoolDTO:
        """Name, BRIN, vestiging and counts of a school the actor coordinates."""
        async with self.ctx.read(actor, "school_home") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            counts = dict((await session.execute(
                select(Role.role, func.count(Role.id)).where(Role.school_id == school.id)
                .group_by(Role.role))).all())
            groups = await session.scalar(
                select(func.count(Group.id)).where(live_groups_of(school.id)))
            return SchoolDTO(
                id=school.id, name=school.name, brin=school.brin, vestiging=school.vestiging,
                city=school.city, school_year=self.ctx.school_year(), group_count=groups or 0,
                pupil_count=counts.get(ROLE_PUPIL, 0), teacher_count=counts.get(ROLE_TEACHER, 0),
            )

    async def list_groups(self, actor: Actor, school_id: object) -> tuple[GroupDTO, ...]:
        """The school's live groups in year order, with pupil counts and teacher names."""
        async with self.ctx.read(actor, "list_groups") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            return await groups_of(session, school.id)

    async def group_detail(self, actor: Actor, school_id: object, group_id: object
                           ) -> GroupDetailDTO:
        """One group of the school with its teachers and pupils (sorted by last name)."""
        async with self.ctx.read(actor, "group_detail") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            group = await self.ctx.group_of_school(session, school, group_id)
            rows = (await session.execute(
                select(GroupMember.role, Person).join(Person, Person.id == GroupMember.person_id)
                .where(GroupMember.group_id == group.id, active_person())
            )).all()
            teachers = sorted((p for r, p in rows if r == ROLE_TEACHER), key=lambda p: p.sort_name)
            pupils = sorted((p for r, p in rows if r == ROLE_PUPIL), key=lambda p: p.sort_name)
            return GroupDetailDTO(
                group=GroupDTO(id=group.id, name=group.name, levels=group.levels,
                               pupil_count=len(pupils),
                               teacher_names=tuple(p.full_name for p in teachers)),
                teachers=tuple(person_dto(p) for p in teachers),
                pupils=tuple(person_dto(p) for p in pupils),
            )

    async def list_coordinators(self, actor: Actor, school_id: object) -> tuple[PersonDTO, ...]:
        """The school's ict-coördinatoren."""
        async with self.ctx.read(actor, "list_coordinators") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            people = (await session.scalars(
                select(Person).join(Role, Role.person_id == Person.id)
                .where(Role.school_id == school.id, Role.role == ROLE_COORDINATOR))).all()
            return tuple(person_dto(p) for p in sorted(people, key=lambda p: p.sort_name))

    async def list_teachers(self, actor: Actor, school_id: object) -> tuple[TeacherDTO, ...]:
        """The school's teachers, each with the groups they teach."""
        async with self.ctx.read(actor, "list_teachers") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            teachers = (await session.scalars(
                select(Person).join(Role, Role.person_id == Person.id)
                .where(Role.school_id == school.id, Role.role == ROLE_TEACHER, active_person())
            )).all()
            groups = (await session.execute(
                select(GroupMember.person_id, Group).join(Group, Group.id == GroupMember.group_id)
                .where(live_groups_of(school.id), GroupMember.role == ROLE_TEACHER)
            )).all()
            by_teacher: dict[int, list[Group]] = {}
            for person_id, group in groups:
                by_teacher.setdefault(person_id, []).append(group)
            return tuple(
                TeacherDTO(person=person_dto(p), group_names=tuple(
                    g.name for g in sorted(by_teacher.get(p.id, []), key=group_sort_key)))
                for p in sorted(teachers, key=lambda p: p.sort_name)
            )

    async def search_pupils(
        self, actor: Actor, school_id: object, query: object = "", page: object = 1
    ) -> Page[PupilDTO]:
        """The school's pupils with their group, paged, optionally filtered by (part of) a name."""
        text = query_text(query)
        page_no = page_number(page)
        sid = as_id(school_id, "school")
        search, params = _pupil_search_of(sid, text)
        async with self.ctx.read_rows(actor, "search_pupils") as session, \
                rows_ahead(session, self._search_reads(actor, search, params, page_no)):
            await self.ctx.coordinated_school(session, actor, sid)
            where, rows = await fetch_page(session, search, page_no, PUPIL_PAGE_SIZE, params,
                                           _pupil_groups)
        pupils = []
        for pid, first, middle, last, email, groups in rows:
            group = groups_of_json(groups)
            pupils.append(PupilDTO(
                person=PersonDTO(id=pid, name=full_name(first, middle, last), email=email),
                group_id=group[0] if group else None, group_name=group[1] if group else None))
        return where.of(pupils, text)

    def search_pupils_reads(self, actor: Actor, school_id: object, query: object = "",
                            page: object = 1) -> list[Read]:
        """What search_pupils reads for these values (none for values it refuses)."""
        try:
            search, params = _pupil_search_of(as_id(school_id, "school"), query_text(query))
            return self._search_reads(actor, search, params, page_number(page))
        except DomainError:
            return []

    def _search_reads(self, actor: Actor, search: Select, params: dict, page_no: int
                      ) -> list[Read]:
        """The check and the page, whose pupils' groups come with it (read for the page's
        rows only)."""
        return self.ctx.checked_reads(actor, params["school"], page_read(
            search, page_no, PUPIL_PAGE_SIZE, params, _pupil_groups))

    async def find_pupil(self, actor: Actor, school_id: object, name: object) -> PupilLookupDTO:
        """'leerling Sanne de Vries': the school's pupils whose name matches (exactly, by its
        parts, or with a small typo), each with the licences they have this school year."""
        said = required_text(name, "name")
        wanted = normalise(said)
        async with self.ctx.read(actor, "find_pupil") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            people = (await session.scalars(
                select(Person).join(Role, pupil_role_of(school.id)).where(active_person())
            )).all()
            names = {p.id: normalise(p.full_name) for p in people}
            found = [pid for pid, n in names.items() if n == wanted]
            if not found:
                words = wanted.split()
                found = [pid for pid, n in names.items() if all(w in n.split() for w in words)]
            if not found:
                scored = process.extract(wanted, names, scorer=fuzz.ratio,
                                         score_cutoff=PUPIL_CUTOFF, limit=None)
                found = [pid for _, _, pid in scored]
            by_id = {p.id: p for p in people}
            chosen = sorted((by_id[pid] for pid in found), key=lambda p: p.sort_name)
            shown = chosen[:MAX_PUPIL_MATCHES]
            return PupilLookupDTO(school_id=school.id, query=said,
                                  matches=await self._pupil_licences(session, school, shown),
                                  more=len(chosen) - len(shown))

    async def _pupil_licences(self, session, school: SchoolRow, people: list[Person]
                              ) -> tuple[PupilLookupItemDTO, ...]:
        ids = [p.id for p in people]
        groups = await pupil_groups(session, school.id, ids)
        base = (select(Licence, Product).join(Product, Product.id == Licence.product_id)
                .where(Licence.school_id == school.id,
                       Licence.school_year == self.ctx.school_year()))
        via_group = (await session.execute(
            base.add_columns(LicenceGroup.group_id)
            .join(LicenceGroup, LicenceGroup.licence_id == Licence.id)
            .where(LicenceGroup.group_id.in_(sorted({g.id for g in groups.values()})))
        )).all()
        extra = (await session.execute(
            base.add_columns(LicenceExtraChild.person_id)
            .join(LicenceExtraChild, LicenceExtraChild.licence_id == Licence.id)
            .where(LicenceExtraChild.person_id.in_(ids))
        )).all()
        seats = (await session.execute(
            base.add_columns(ChildAssignment.person_id)
            .join(ChildAssignment, ChildAssignment.licence_id == Licence.id)
            .where(ChildAssignment.person_id.in_(ids), Licence.model == MODEL_CHILD)
        )).all()
        items = []
        for person in people:
            group = groups.get(person.id)
            found = [("group", lic, prod) for lic, prod, gid in via_group
                     if group is not None and gid == group.id]
            found += [("extra", lic, prod) for lic, prod, pid in extra if pid == person.id]
            found += [("seat", lic, prod) for lic, prod, pid in seats if pid == person.id]
            licences = tuple(sorted(
                (PupilLicenceDTO(prod.name, lic.levels, lic.school_year, via)
                 for via, lic, prod in found),
                key=lambda d: (d.product_name.lower(), d.levels)))
            items.append(PupilLookupItemDTO(child=child_dto(person, group), licences=licences))
        return tuple(items)
