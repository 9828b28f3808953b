"""Helpers for the licence-task tests: demo lookups, a school Alex does not run, seat races."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json

from sqlalchemy import func, select

from services.actor import Actor
from services.errors import DomainError
from services.models import (
    MODEL_CHILD,
    MODEL_GROUP,
    ROLE_COORDINATOR,
    ROLE_PUPIL,
    ROLE_TEACHER,
    STATUS_LEFT,
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
)

_keys = itertools.count(1)


def regenboog(actor: Actor) -> int:
    return next(s.id for s in actor.coordinator_of if s.brin == "12AB")


def kompas(actor: Actor) -> int:
    return next(s.id for s in actor.coordinator_of if s.brin == "34CD")


async def licence_id(sessions, school_id: int, product: str, levels: str | None = None) -> int:
    async with sessions() as session:
        stmt = (select(Licence.id).join(Product, Product.id == Licence.product_id)
                .where(Licence.school_id == school_id, Product.name == product))
        if levels is not None:
            stmt = stmt.where(Licence.year_levels == levels)
        return (await session.scalars(stmt)).one()


async def group_id(sessions, school_id: int, name: str) -> int:
    async with sessions() as session:
        return await session.scalar(
            select(Group.id).where(Group.school_id == school_id, Group.name == name))


async def pupils_of(sessions, school_id: int, group_name: str) -> list[tuple[int, str]]:
    """(id, full name) of a group's pupils, by Basispoort key (the demo's creation order)."""
    async with sessions() as session:
        people = (await session.scalars(
            select(Person).join(GroupMember, GroupMember.person_id == Person.id)
            .join(Group, Group.id == GroupMember.group_id)
            .where(Group.school_id == school_id, Group.name == group_name,
                   GroupMember.role == ROLE_PUPIL)
            .order_by(Person.basispoort_key))).all()
        return [(p.id, p.full_name) for p in people]


async def person_named(sessions, full_name: str) -> int:
    async with sessions() as session:
        people = (await session.scalars(select(Person))).all()
        return next(p.id for p in people if p.full_name == full_name)


async def extra_children(sessions, licence: int) -> set[int]:
    async with sessions() as session:
        return set((await session.scalars(select(LicenceExtraChild.person_id).where(
            LicenceExtraChild.licence_id == licence))).all())


async def seats(sessions, licence: int) -> tuple[int, int, set[int]]:
    """(seats, seats_taken, assigned person ids) as stored."""
    async with sessions() as session:
        row = (await session.execute(select(Licence.seats, Licence.seats_taken).where(
            Licence.id == licence))).one()
        assigned = set((await session.scalars(select(ChildAssignment.person_id).where(
            ChildAssignment.licence_id == licence))).all())
    return row[0], row[1], assigned


async def links(sessions, licence: int) -> dict[str, str]:
    """{group name: origin} of a licence's links."""
    async with sessions() as session:
        rows = (await session.execute(
            select(Group.name, LicenceGroup.origin).join(LicenceGroup,
                                                         LicenceGroup.group_id == Group.id)
            .where(LicenceGroup.licence_id == licence))).all()
    return dict(rows)


async def audit(sessions, action: str, outcome: str = "ok") -> list[dict]:
    async with sessions() as session:
        rows = (await session.scalars(select(AuditEvent.detail).where(
            AuditEvent.action == action, AuditEvent.outcome == outcome))).all()
    return [json.loads(r) for r in rows]


async def count(sessions, model) -> int:
    async with sessions() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def mark_left(sessions, person_id: int) -> None:
    async with sessions.begin() as session:
        (await session.get(Person, person_id)).status = STATUS_LEFT


async def other_school(sessions, *, seats: int = 5) -> dict[str, int]:
    """A third school that Alex does not coordinate: a group, a pupil, a group licence and a
    kindlicentie, for forged payloads."""
    async with sessions.begin() as session:
        school = School(brin="99ZZ", vestiging="00", name="De Andere School", city="Elders")
        session.add(school)
        await session.flush()
        group = Group(school_id=school.id, basispoort_key="99ZZ-G01", name="Groep 5",
                      year_levels="5")
        pupil = Person(basispoort_key=f"X{next(_keys):05d}", first_name="Olaf",
                       last_name="Vreemd")
        session.add_all([group, pupil])
        await session.flush()
        session.add_all([Role(person_id=pupil.id, school_id=school.id, role=ROLE_PUPIL),
                         GroupMember(group_id=group.id, person_id=pupil.id, role=ROLE_PUPIL)])
        products = {p.code: p for p in (await session.scalars(select(Product))).all()}
        group_licence = Licence(school_id=school.id, product_id=products["pluspunt"].id,
                                year_levels="5", school_year="2026-2027", model=MODEL_GROUP)
        child_licence = Licence(school_id=school.id, product_id=products["bingel"].id,
                                year_levels="5", school_year="2026-2027", model=MODEL_CHILD,
                                seats=seats, seats_taken=0)
        session.add_all([group_licence, child_licence])
        await session.flush()
        return {"school": school.id, "group": group.id, "pupil": pupil.id,
                "group_licence": group_licence.id, "child_licence": child_licence.id}


async def seat_race_school(sessions, *, seats: int, taken: int, pupils: int
                           ) -> tuple[Actor, Actor, int, list[int]]:
    """A small school with a kindlicentie of `seats` seats of which `taken` are in use, `pupils`
    pupils without a seat and two coördinatoren: (first, second, licence id, pupil ids)."""
    async with sessions.begin() as session:
        product = Product(code=f"race{next(_keys)}", name="Bingel", min_level=3, max_level=8,
                          kind="oefensoftware", offers_group=True, offers_child=True)
        school = School(brin="77RR", vestiging=f"{next(_keys) % 100:02d}", name="Racebaan")
        session.add_all([product, school])
        await session.flush()
        group = Group(school_id=school.id, basispoort_key="77RR-G1", name="Groep 6",
                      year_levels="6")
        teacher = Person(basispoort_key=f"T{next(_keys):05d}", first_name="Tess", last_name="Leraar")
        coordinators = [Person(basispoort_key=f"C{next(_keys):05d}", first_name=name,
                               last_name="Coördinator") for name in ("Anna", "Bert")]
        children = [Person(basispoort_key=f"R{next(_keys):06d}", first_name=f"Kind{i:03d}",
                           last_name="Racer") for i in range(pupils)]
        session.add_all([group, teacher, *coordinators, *children])
        await session.flush()
        for person in coordinators:
            session.add(Role(person_id=person.id, school_id=school.id, role=ROLE_COORDINATOR))
        session.add(Role(person_id=teacher.id, school_id=school.id, role=ROLE_TEACHER))
        session.add(GroupMember(group_id=group.id, person_id=teacher.id, role=ROLE_TEACHER))
        for child in children:
            session.add(Role(person_id=child.id, school_id=school.id, role=ROLE_PUPIL))
            session.add(GroupMember(group_id=group.id, person_id=child.id, role=ROLE_PUPIL))
        licence = Licence(school_id=school.id, product_id=product.id, year_levels="3/4/5/6/7/8",
                          school_year="2026-2027", model=MODEL_CHILD, seats=seats,
                          seats_taken=taken)
        session.add(licence)
        await session.flush()
        actors = [Actor(person_id=p.id, name=p.full_name) for p in coordinators]
        return actors[0], actors[1], licence.id, [c.id for c in children]


async def race(services, claims: list[tuple[Actor, int, list[int]]]) -> list[object]:
    """Start every claim at once; each result is a ChildrenResultDTO or the DomainError."""
    async def claim(actor, licence, children):
        try:
            return await services.child_licences.assign_children(actor, licence, children)
        except DomainError as error:
            return error

    return await asyncio.gather(*(claim(a, lic, c) for a, lic, c in claims))


@contextlib.asynccontextmanager
async def demo_on_postgresql(pg_url: str):
    """The migrated demo on a fresh PostgreSQL database: (services, Alex, sessions)."""
    from services.actor import Identity
    from services.db import create_engine, create_sessions, upgrade
    from services.demo import PLAYGROUND_TENANT, load_demo
    from services.registry import Services
    from tests.conftest import ALEX_AAD, TODAY, fixed_clock

    await upgrade(pg_url)
    engine = create_engine(pg_url)
    sessions = create_sessions(engine)
    try:
        await load_demo(sessions, today=TODAY)
        services = Services.build(sessions, clock=fixed_clock)
        alex = await services.school.resolve_actor(
            Identity(tenant_id=PLAYGROUND_TENANT, aad_object_id=ALEX_AAD))
        yield services, alex, sessions
    finally:
        await engine.dispose()
