"""Queries about a school's people and groups that several areas need."""

from __future__ import annotations

import re
from collections.abc import Iterable

import orjson
from sqlalchemy import Select, String, and_, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement, ScalarSelect

from services.driver_rows import Read, all_rows
from services.errors import InvalidInput, NotFound
from services.models import (
    ROLE_PUPIL,
    ROLE_TEACHER,
    Group,
    GroupMember,
    Person,
    School,
    full_name,
    parse_levels,
)
from services.shared.predicates import (
    GROUPS,
    PEOPLE,
    active_person,
    live_groups_of,
    person_order,
)
from services.shared.results import ChildDTO, GroupDTO, GroupNameDTO, PersonDTO


def year_order(levels: tuple[int, ...], name: str) -> tuple:
    """Groups in year order: 1/2 before 3, 5a before 5b, 6/7 after 6."""
    levels = levels or (0,)
    return (min(levels), max(levels), name.lower())


def group_sort_key(group) -> tuple:
    """year_order of a group (or anything with its levels and name)."""
    return year_order(group.levels, group.name)


def person_dto(person: Person) -> PersonDTO:
    return PersonDTO(id=person.id, name=person.full_name, email=person.email)


def child_dto(person: Person, group: Group | None) -> ChildDTO:
    return ChildDTO(id=person.id, name=person.full_name,
                    group_id=group.id if group else None, group_name=group.name if group else None)


def names_of(people: Iterable[Person]) -> str:
    return ", ".join(p.full_name for p in people)


async def live_groups(session: AsyncSession, school_id: int) -> list[Group]:
    """The school's live groups in year order."""
    groups = (await session.scalars(select(Group).where(live_groups_of(school_id)))).all()
    return sorted(groups, key=group_sort_key)


_G, _GM, _PE = Group.__table__, GroupMember.__table__, Person.__table__
_ACTIVE_MEMBER = and_(PEOPLE.id == _GM.c.person_id, active_person(PEOPLE))
_SCHOOL = bindparam("school")
# Asked for by the group list, the typed shortcuts and the pincode start: Core statements,
# built once, that the database answers with counts and names rather than rows to count.
_PUPIL_COUNTS = (
    select(_GM.c.group_id, func.count(_GM.c.id))
    .join(_PE, _ACTIVE_MEMBER).join(_G, _G.c.id == _GM.c.group_id)
    .where(GROUPS.school_id == _SCHOOL, _GM.c.role == ROLE_PUPIL)
    .group_by(_GM.c.group_id))
_LIVE_GROUPS_COUNTED = select(
    _G.c.id, _G.c.name, _G.c.year_levels,
    select(func.count(_GM.c.id)).join(_PE, _ACTIVE_MEMBER)
    .where(_GM.c.group_id == _G.c.id, _GM.c.role == ROLE_PUPIL)
    .correlate(_G).scalar_subquery(),
).where(live_groups_of(_SCHOOL, GROUPS))
_TEACHER_NAMES = (
    select(_GM.c.group_id, _PE.c.first_name, _PE.c.tussenvoegsel, _PE.c.last_name)
    .join(_PE, _ACTIVE_MEMBER).join(_G, _G.c.id == _GM.c.group_id)
    .where(live_groups_of(_SCHOOL, GROUPS), _GM.c.role == ROLE_TEACHER))


_LIVE_GROUP_NAMES = select(_G.c.id, _G.c.name, _G.c.year_levels).where(
    live_groups_of(_SCHOOL, GROUPS))


async def group_names_of(session: AsyncSession, school_id: int) -> tuple[GroupNameDTO, ...]:
    """The school's live groups in year order, by name only (for matching typed words: no
    pupils counted, which PostgreSQL takes most of a millisecond for)."""
    read = group_names_read(school_id)
    groups = [GroupNameDTO(id=gid, name=name, levels=parse_levels(levels))
              for gid, name, levels in await all_rows(session, read.statement, read.params)]
    return tuple(sorted(groups, key=group_sort_key))


def group_names_read(school_id: int) -> Read:
    """The read group_names_of makes, to be read ahead with others."""
    return Read(_LIVE_GROUP_NAMES, {"school": school_id})


async def pupil_counts(session: AsyncSession, school_id: int) -> dict[int, int]:
    """{group id: number of active pupils} of the school's groups, counted by the database."""
    return dict((await session.execute(_PUPIL_COUNTS, {"school": school_id})).all())


async def groups_of(session: AsyncSession, school_id: int) -> tuple[GroupDTO, ...]:
    """The school's live groups in year order, with pupil counts and teacher names: two
    statements, the pupils counted by the database (a school's few hundred pupils are not
    loaded to be counted)."""
    teachers: dict[int, list[str]] = {}
    for group_id, first, tussenvoegsel, last in await session.execute(
            _TEACHER_NAMES, {"school": school_id}):
        teachers.setdefault(group_id, []).append(full_name(first, tussenvoegsel, last))
    groups = [GroupDTO(id=gid, name=name, levels=parse_levels(levels), pupil_count=pupils,
                       teacher_names=tuple(sorted(teachers.get(gid, ()))))
              for gid, name, levels, pupils in await session.execute(
                  _LIVE_GROUPS_COUNTED, {"school": school_id})]
    return tuple(sorted(groups, key=group_sort_key))


async def pupil_groups(
    session: AsyncSession, school_id: int, person_ids: Iterable[int] | None = None
) -> dict[int, Group]:
    """Each pupil's live group at this school (the first in year order if several)."""
    stmt = (
        select(GroupMember.person_id, Group)
        .join(Group, Group.id == GroupMember.group_id)
        .where(live_groups_of(school_id), GroupMember.role == ROLE_PUPIL)
    )
    if person_ids is not None:
        stmt = stmt.where(GroupMember.person_id.in_(list(person_ids)))
    groups: dict[int, Group] = {}
    for person_id, group in (await session.execute(stmt)).all():
        if person_id not in groups or group_sort_key(group) < group_sort_key(groups[person_id]):
            groups[person_id] = group
    return groups


def first_group(groups: Iterable) -> tuple[int, str] | None:
    """(id, name) of the group a pupil is listed with, of their (id, name, year levels) in the
    school: the first in year order (a pupil in two groups is rare: a combination group)."""
    best = min(groups, key=lambda g: year_order(parse_levels(g[2]), g[1]), default=None)
    return None if best is None else (best[0], best[1])


class json_rows(FunctionElement):  # noqa: N801 - used like func.json_agg
    """The rows of a correlated subquery as one JSON text of arrays, in no particular order:
    json_agg(json_build_array(...)) as text on PostgreSQL, json_group_array(json_array(...))
    on SQLite. For no rows: NULL on PostgreSQL, '[]' on SQLite."""

    type = String()
    inherit_cache = True


@compiles(json_rows)
def _json_agg(element, compiler, **kw) -> str:
    # As text: SQLAlchemy has asyncpg decode json values itself, but not inside a record.
    return f"CAST(json_agg(json_build_array({compiler.process(element.clauses, **kw)})) AS TEXT)"


@compiles(json_rows, "sqlite")
def _json_group_array(element, compiler, **kw) -> str:
    return f"json_group_array(json_array({compiler.process(element.clauses, **kw)}))"


def pupil_groups_json(person_id) -> ScalarSelect:
    """A column for a page of pupils (`person_id` the page's id column): the pupil's live
    groups at the school (parameter "school") as json_rows of (id, name, year levels), for
    first_group. Evaluated per row of the page, it reads the groups of those rows only, in
    the page's own statement."""
    return (select(json_rows(_G.c.id, _G.c.name, _G.c.year_levels))
            .select_from(_GM.join(_G, _G.c.id == _GM.c.group_id))
            .where(_GM.c.person_id == person_id, _GM.c.role == ROLE_PUPIL,
                   live_groups_of(_SCHOOL, GROUPS))
            .scalar_subquery())


def groups_of_json(text: str | None) -> tuple[int, str] | None:
    """first_group of a pupil_groups_json value."""
    if not text:
        return None
    groups = orjson.loads(text)
    if len(groups) == 1:  # nearly every pupil: nothing to put in order
        return groups[0][0], groups[0][1]
    return first_group(groups)


# group_pupils_query as rows (id and the parts of the name) for a page of a list card, built
# once: the group is the parameter "group".
GROUP_PUPIL_ROWS = (
    select(PEOPLE.id, PEOPLE.first_name, PEOPLE.tussenvoegsel, PEOPLE.last_name)
    .join(_GM, _GM.c.person_id == PEOPLE.id)
    .where(_GM.c.group_id == bindparam("group"), _GM.c.role == ROLE_PUPIL,
           active_person(PEOPLE))
    .order_by(*person_order(PEOPLE)))


async def teacher_names(
    session: AsyncSession, group_ids: Iterable[int]
) -> dict[int, tuple[str, ...]]:
    """The active teachers of each group, by name."""
    ids = list(set(group_ids))
    if not ids:
        return {}
    rows = (await session.execute(
        select(GroupMember.group_id, Person)
        .join(Person, Person.id == GroupMember.person_id)
        .where(GroupMember.group_id.in_(ids), GroupMember.role == ROLE_TEACHER, active_person())
    )).all()
    names: dict[int, list[Person]] = {}
    for group_id, person in rows:
        names.setdefault(group_id, []).append(person)
    return {gid: tuple(p.full_name for p in sorted(people, key=lambda p: p.sort_name))
            for gid, people in names.items()}


async def person_names(session: AsyncSession, person_ids: Iterable[int | None]
                       ) -> dict[int, str]:
    """{id: full name} of the people named (who linked, added or assigned something)."""
    ids = {pid for pid in person_ids if pid}
    if not ids:
        return {}
    people = (await session.scalars(select(Person).where(Person.id.in_(ids)))).all()
    return {p.id: p.full_name for p in people}


def group_pupils_query(group: Group) -> Select:
    """The group's active pupils, in Dutch name order (to page, or to read whole)."""
    return (select(Person).join(GroupMember, GroupMember.person_id == Person.id)
            .where(GroupMember.group_id == group.id, GroupMember.role == ROLE_PUPIL,
                   active_person())
            .order_by(*person_order()))


async def pupils_of_group(session: AsyncSession, group: Group) -> list[Person]:
    """The group's active pupils, sorted by name."""
    return list((await session.scalars(group_pupils_query(group))).all())


SCHOOL_CODE = re.compile(r"^([0-9]{2}[A-Z]{2})[\s\-]*([0-9]{2})?$")


async def school_by_code(session: AsyncSession, school_code: object) -> School:
    """A school by BRIN ('12AB', '12AB00', '12AB 00'), for the command line. NotFound for an
    unknown school, InvalidInput when the BRIN is malformed or has several vestigingen."""
    match = SCHOOL_CODE.match(str(school_code or "").strip().upper())
    if not match:
        raise InvalidInput("error.brin_format")
    brin, vestiging = match.groups()
    stmt = select(School).where(School.brin == brin)
    if vestiging:
        stmt = stmt.where(School.vestiging == vestiging)
    schools = (await session.scalars(stmt.order_by(School.vestiging))).all()
    if not schools:
        raise NotFound("error.school_not_found")
    if len(schools) > 1:
        raise InvalidInput("error.school_ambiguous", schools=", ".join(
            f"{s.brin}{s.vestiging}" for s in schools))
    return schools[0]
