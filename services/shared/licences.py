"""Licence queries shared by the licence areas: loading a licence the actor may manage, its
result type, the children on it, the checks a child must pass, and picking children."""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, exists, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from services.actor import Actor
from services.driver_rows import Read, all_rows
from services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from services.models import (
    MODEL_GROUP,
    ROLE_PUPIL,
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
    parse_levels,
)
from services.shared.context import SchoolRow, ServiceContext
from services.shared.inputs import as_id, as_ids
from services.shared.paging import Page, fetch_page
from services.shared.predicates import (
    GROUPS,
    active_person,
    live_group,
    name_contains,
    person_order,
    pupil_role_of,
)
from services.shared.queries import (
    child_dto,
    group_sort_key,
    groups_of,
    names_of,
    person_names,
    pupil_groups,
    teacher_names,
    year_order,
)
from services.shared.results import (
    ChildCandidatesDTO,
    ChildGroupsDTO,
    LicenceChildDTO,
    LicenceDTO,
    LicenceOverviewDTO,
    LinkedGroupDTO,
    ReminderLineDTO,
    TeacherReminderDTO,
)

CHILD_PAGE_SIZE = 30

Chosen = list[tuple[Person, Group | None]]


def fits(group_levels: tuple[int, ...], licence_levels: tuple[int, ...]) -> bool:
    """A group fits a licence when one of its year levels is one of the licence's."""
    return bool(set(group_levels) & set(licence_levels))


def licence_query():
    """Licences with their product and live links loaded. populate_existing: a licence read
    again after a change in the same session is fresh. The product comes in the same
    statement (one per licence), the links with their groups in one more."""
    return (
        select(Licence)
        .options(joinedload(Licence.product, innerjoin=True),
                 selectinload(Licence.group_links).joinedload(LicenceGroup.group,
                                                               innerjoin=True))
        .execution_options(populate_existing=True)
    )


# Built once: nearly every licence step starts with it.
_LICENCE_BY_ID = licence_query().where(Licence.id == bindparam("licence"))


async def managed_licence(
    ctx: ServiceContext, session: AsyncSession, actor: Actor, licence_id: object,
    model: str | None = None,
) -> tuple[Licence, School]:
    """A licence of a school the actor coordinates, of the given model when one is named.
    NotFound when it does not exist (or is of the other model), NotAllowed for another school's."""
    lid = as_id(licence_id, "licence")
    licence = await session.scalar(_LICENCE_BY_ID, {"licence": lid})
    if licence is None:
        raise NotFound("error.licence_not_found")
    school = await ctx.coordinated_school(session, actor, licence.school_id)
    if model is not None and licence.model != model:
        raise NotFound("error.licence_not_found")
    if licence.model != MODEL_GROUP and not licence.product.offers_child:
        raise NotFound("error.licence_not_found")
    return licence, school


def live_links(licence: Licence) -> list[LicenceGroup]:
    return [ln for ln in licence.group_links if ln.group.is_live]


def linked_group_ids(licence: Licence) -> set[int]:
    return {ln.group_id for ln in live_links(licence)}


async def licence_dtos(session: AsyncSession, licences: Sequence[Licence],
                       ) -> list[LicenceDTO]:
    """Result types of loaded licences, with who linked each group (one query for all)."""
    links = {lic.id: live_links(lic) for lic in licences}
    names = await person_names(session, (ln.linked_by for ls in links.values() for ln in ls))
    return [_licence_dto(lic, links[lic.id], names) for lic in licences]


async def licence_dto(session: AsyncSession, licence: Licence,
                      links: Iterable[LicenceGroup] | None = None) -> LicenceDTO:
    """One licence's result type; `links` replaces its loaded links (after a change)."""
    chosen = [ln for ln in (licence.group_links if links is None else links) if ln.group.is_live]
    names = await person_names(session, (ln.linked_by for ln in chosen))
    return _licence_dto(licence, chosen, names)


def _licence_dto(licence: Licence, links: list[LicenceGroup], names: dict[int, str]
                 ) -> LicenceDTO:
    linked = tuple(
        LinkedGroupDTO(group_id=ln.group.id, group_name=ln.group.name, origin=ln.origin,
                       linked_at=ln.linked_at, linked_by=names.get(ln.linked_by))
        for ln in sorted(links, key=lambda ln: group_sort_key(ln.group))
    )
    return LicenceDTO(
        id=licence.id, school_id=licence.school_id, product_code=licence.product.code,
        product_name=licence.product.name, levels=licence.levels,
        school_year=licence.school_year, model=licence.model, seats=licence.seats,
        seats_taken=licence.seats_taken, linked_groups=linked,
    )


_L, _P = Licence.__table__, Product.__table__
_LG, _G, _PE = LicenceGroup.__table__, Group.__table__, Person.__table__
# The licence list, read often and never changed in the same read: Core rows straight into
# result types, without the ORM's objects (a card of 30 licences spent most of its time there).
_LICENCE_ROWS = (
    select(_L.c.id, _L.c.school_id, _P.c.code, _P.c.name, _L.c.year_levels, _L.c.school_year,
           _L.c.model, _L.c.seats, _L.c.seats_taken)
    .join(_P, _P.c.id == _L.c.product_id))
_LINKS = (
    select(_LG.c.licence_id, _G.c.id, _G.c.name, _G.c.year_levels, _LG.c.origin,
           _LG.c.linked_at, _PE.c.id, _PE.c.first_name, _PE.c.tussenvoegsel, _PE.c.last_name)
    .join(_G, _G.c.id == _LG.c.group_id)
    .outerjoin(_PE, _PE.c.id == _LG.c.linked_by)
    .where(live_group(GROUPS)))
_LIVE_LINKS = _LINKS.where(_LG.c.licence_id.in_(bindparam("licences", expanding=True)))
# The live links of the licences a licence_rows statement selects, with that statement's
# parameters: known before the licences are read, so both can be read in one round trip.
_LINKS_OF: weakref.WeakKeyDictionary[Select, Select] = weakref.WeakKeyDictionary()


def _links_of(statement: Select) -> Select:
    found = _LINKS_OF.get(statement)
    if found is None:
        found = _LINKS_OF[statement] = _LINKS.where(_LG.c.licence_id.in_(
            statement.with_only_columns(_L.c.id).order_by(None)))
    return found


def licence_rows(*where) -> Select:
    """The statement licence_list reads: the licences that meet `where` (conditions on the
    licences table, licence_columns), with their product."""
    return _LICENCE_ROWS.where(*where)


licence_columns = _L.c


def licence_reads(statement: Select, params: dict | None = None) -> list[Read]:
    """The two reads licence_list makes, to be read ahead with others."""
    return [Read(statement, params or {}), Read(_links_of(statement), params or {})]


async def licence_list(session: AsyncSession, statement: Select, params: dict | None = None
                       ) -> list[LicenceDTO]:
    """The result types of the licences `statement` (from licence_rows) selects, with their
    live linked groups in year order and who linked each: two statements (licence_reads), as
    licence_dtos gives them for loaded licences."""
    return (await read_licences(session, statement, params)).dtos()


@dataclass(frozen=True, slots=True)
class LicenceRows:
    """What licence_list reads, before it is made into result types: a use case that looks
    for one product among a year's licences (a typed shortcut) makes results of that
    product's licences only."""

    rows: list
    links: list

    def products(self) -> list[tuple[str, str]]:
        """(code, name) of the product of each licence read."""
        return [(row.code, row.name) for row in self.rows]

    def dtos(self, product_code: str | None = None) -> list[LicenceDTO]:
        """The licences read (of one product, if given) as licence_list returns them."""
        rows = self.rows if product_code is None else [
            row for row in self.rows if row.code == product_code]
        if not rows:
            return []
        wanted = None if product_code is None else {row.id for row in rows}
        links: dict[int, list[tuple[tuple, LinkedGroupDTO]]] = {}
        for licence_id, group_id, name, year_levels, origin, at, by, first, middle, last in (
                self.links):
            if wanted is not None and licence_id not in wanted:
                continue
            links.setdefault(licence_id, []).append((
                year_order(parse_levels(year_levels), name),
                LinkedGroupDTO(group_id=group_id, group_name=name, origin=origin,
                               linked_at=at,
                               linked_by=None if by is None else full_name(first, middle, last))))
        return [
            LicenceDTO(id=lid, school_id=school_id, product_code=code, product_name=product,
                       levels=parse_levels(year_levels), school_year=year, model=model,
                       seats=seats, seats_taken=taken,
                       linked_groups=tuple(dto for _, dto in sorted(links.get(lid, ()),
                                                                    key=lambda pair: pair[0])))
            for lid, school_id, code, product, year_levels, year, model, seats, taken in rows]


async def read_licences(session: AsyncSession | AsyncConnection, statement: Select,
                        params: dict | None = None) -> LicenceRows:
    """The rows of licence_list's two statements (none of links when no licence is read)."""
    rows = await all_rows(session, statement, params)
    if not rows:
        return LicenceRows([], [])
    return LicenceRows(rows, await all_rows(session, _links_of(statement), params))


def by_product(dtos: Iterable) -> tuple:
    """Licence results in the order of the manual: by product name, then year levels."""
    def key(item):
        licence = getattr(item, "licence", item)
        return (licence.product_name.lower(), licence.levels)
    return tuple(sorted(dtos, key=key))


def children_table(licence_or_model) -> type[LicenceExtraChild] | type[ChildAssignment]:
    """Where a licence keeps its children: extra children (group) or assigned seats (child)."""
    model = getattr(licence_or_model, "model", licence_or_model)
    return LicenceExtraChild if model == MODEL_GROUP else ChildAssignment


async def overview(
    session: AsyncSession, school: SchoolRow, year: str, model: str,
    product_ids: Iterable[int] | None = None,
) -> tuple[LicenceOverviewDTO, ...]:
    """The school's licences of one model and year, each with the number of children on it."""
    stmt = licence_query().where(
        Licence.school_id == school.id, Licence.school_year == year, Licence.model == model)
    if product_ids is not None:
        stmt = stmt.where(Licence.product_id.in_(list(product_ids)))
    licences = [lic for lic in (await session.scalars(stmt)).all()
                if model == MODEL_GROUP or lic.product.offers_child]
    table = children_table(model)
    counts = dict((await session.execute(
        select(table.licence_id, func.count(table.id))
        .where(table.licence_id.in_([lic.id for lic in licences]))
        .group_by(table.licence_id)
    )).all()) if licences else {}
    dtos = await licence_dtos(session, licences)
    return by_product(LicenceOverviewDTO(dto, counts.get(dto.id, 0)) for dto in dtos)


async def licence_children(
    session: AsyncSession, licence: Licence, query: str, page: int
) -> Page[LicenceChildDTO]:
    """One page of the children on a licence, by last name, filtered by name (in SQL)."""
    table = children_table(licence)
    since = table.added_at if table is LicenceExtraChild else table.assigned_at
    by = table.added_by if table is LicenceExtraChild else table.assigned_by
    stmt = (select(Person, since, by).join(table, table.person_id == Person.id)
            .where(table.licence_id == licence.id).order_by(*person_order()))
    named = name_contains(query)
    if named is not None:
        stmt = stmt.where(named)
    where, rows = await fetch_page(session, stmt, page, CHILD_PAGE_SIZE)
    groups = await pupil_groups(session, licence.school_id, [r[0].id for r in rows])
    names = await person_names(session, (r[2] for r in rows))
    return where.of((LicenceChildDTO(child=child_dto(person, groups.get(person.id)), since=at,
                                     by=names.get(who) if who else None)
                     for person, at, who in rows), query)


async def on_licence(session: AsyncSession, licence: Licence) -> set[int]:
    """Ids of the children on a licence: its extra children, or its assigned seats."""
    table = children_table(licence)
    return set((await session.scalars(
        select(table.person_id).where(table.licence_id == licence.id))).all())


async def children_of_school(session: AsyncSession, school: SchoolRow, child_ids: object) -> Chosen:
    """The chosen children, checked: pupils of this school who have not left it.

    Raises InvalidInput for a garbled list, NotFound for an unknown id, NotAllowed for a
    child of another school (a forged or stale claim) and Conflict for a child who left.
    """
    ids = as_ids(child_ids, "children")
    people = {p.id: p for p in
              (await session.scalars(select(Person).where(Person.id.in_(ids)))).all()}
    if any(i not in people for i in ids):
        raise NotFound("error.child_not_found")
    pupils = set((await session.scalars(select(Role.person_id).where(
        Role.school_id == school.id, Role.role == ROLE_PUPIL, Role.person_id.in_(ids)))).all())
    strangers = [i for i in ids if i not in pupils]
    if strangers:
        raise NotAllowed("error.child_other_school", child_ids=strangers, school_id=school.id)
    left = [people[i] for i in ids if not people[i].is_active]
    if left:
        raise Conflict("error.child_left", names=names_of(left))
    groups = await pupil_groups(session, school.id, ids)
    return sorted(((people[i], groups.get(i)) for i in ids), key=lambda pair: pair[0].sort_name)


async def reminder(session: AsyncSession, licence: Licence, children: Chosen
                   ) -> TeacherReminderDTO:
    """Rule 7: the teacher must start the running lesson week or block for a new child."""
    teachers = await teacher_names(session, (g.id for _, g in children if g))
    return TeacherReminderDTO(
        product_name=licence.product.name,
        kind=licence.product.kind,
        lines=tuple(
            ReminderLineDTO(child_name=person.full_name,
                            group_name=group.name if group else None,
                            teacher_names=teachers.get(group.id, ()) if group else ())
            for person, group in children
        ),
    )


# -- picking children for a licence (both licence areas) -----------------------------------------

async def child_groups(session: AsyncSession, licence: Licence, school: SchoolRow
                       ) -> ChildGroupsDTO:
    """The groups to pick a child from: for a group licence the groups not linked to it (their
    children have access already); for a kindlicentie every group, fitting first. A kindlicentie
    without a free seat is refused (Conflict) before anyone picks children."""
    if licence.model != MODEL_GROUP and licence.seats_taken >= (licence.seats or 0):
        raise Conflict("error.no_free_seats", seats=licence.seats or 0)
    linked = linked_group_ids(licence)
    offered = [g for g in await groups_of(session, school.id) if g.id not in linked]
    if licence.model != MODEL_GROUP:
        offered.sort(key=lambda g: not fits(g.levels, licence.levels))
    return ChildGroupsDTO(licence=await licence_dto(session, licence), groups=tuple(offered))


async def child_candidates(
    ctx: ServiceContext, session: AsyncSession, licence: Licence, school: SchoolRow,
    group_id: object, text: str, page: int,
) -> ChildCandidatesDTO:
    """One page of the children that can still be put on the licence: the pupils of one group,
    or of the whole school when only a name is given; those on the licence already, or with
    access through a linked group, are left out (and counted).

    Raises InvalidInput when neither a group nor a name is given, NotFound for a stale group,
    NotAllowed for another school's group.
    """
    group = None
    if group_id not in (None, ""):
        group = await ctx.group_of_school(session, school, group_id)
    elif not text:
        raise InvalidInput("error.choose_group_or_name")
    matching = (select(Person.id).join(Role, pupil_role_of(school.id)).where(active_person()))
    if group is not None:
        matching = matching.join(GroupMember, (GroupMember.person_id == Person.id)
                                 & (GroupMember.role == ROLE_PUPIL)
                                 & (GroupMember.group_id == group.id))
    named = name_contains(text)
    if named is not None:
        matching = matching.where(named)
    table = children_table(licence)
    linked = linked_group_ids(licence) if licence.model == MODEL_GROUP else set()
    open_people = select(Person).where(
        Person.id.in_(matching),
        ~exists().where(table.licence_id == licence.id, table.person_id == Person.id),
    )
    if linked:
        open_people = open_people.where(~exists().where(
            GroupMember.person_id == Person.id, GroupMember.role == ROLE_PUPIL,
            GroupMember.group_id.in_(linked)))
    total = await session.scalar(select(func.count()).select_from(matching.subquery())) or 0
    where, rows = await fetch_page(session, open_people.order_by(*person_order()), page,
                                   CHILD_PAGE_SIZE)
    people = [row[0] for row in rows]
    pupil_group = await pupil_groups(session, school.id, [p.id for p in people])
    group_dto = None
    if group is not None:
        group_dto = next(g for g in await groups_of(session, school.id) if g.id == group.id)
    return ChildCandidatesDTO(
        licence=await licence_dto(session, licence),
        group=group_dto,
        candidates=where.of((child_dto(p, pupil_group.get(p.id)) for p in people), text),
        already_on=total - where.total,
    )
