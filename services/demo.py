"""Deterministic demo data: two schools run by the Agents Playground's default user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.actor import Actor
from services.db import refresh_statistics
from services.licences import GroupLinks
from services.models import (
    MODEL_CHILD,
    MODEL_GROUP,
    ROLE_PUPIL,
    ROLE_TEACHER,
    RUN_REJECTED,
    ChildAssignment,
    Group,
    GroupMember,
    Licence,
    LicenceExtraChild,
    Person,
    Product,
    PupilCredential,
    Role,
    School,
)
from services.schoolyear import school_year_of
from services.secrets import SecretBox
from services.shared.context import ServiceContext
from services.sync import SyncService

# The Microsoft 365 Agents Playground's built-in users, so `make run` works unconfigured.
PLAYGROUND_COORDINATOR = ("Alex", "", "Wilber", "00000000-0000-0000-0000-0000000000020")
PLAYGROUND_TEACHER = ("Megan", "", "Bowen", "00000000-0000-0000-0000-0000000000021")
PLAYGROUND_TENANT = "00000000-0000-0000-0000-0000000000001"

# code, name, min level, max level, kind, offers group licences, offers child licences
PRODUCTS = [
    ("kleuterplein", "Kleuterplein", 1, 2, "digitaal", True, False),
    ("lijn3", "Lijn 3", 3, 3, "digitaal", True, False),
    ("pluspunt", "Pluspunt", 3, 8, "digitaal", True, False),
    ("staal", "Staal", 3, 8, "papier", True, False),
    ("taalactief", "Taal actief", 4, 8, "papier", True, False),
    ("karakter", "Karakter", 4, 8, "digitaal", True, False),
    ("naut", "Naut", 5, 8, "papier", True, False),
    ("meander", "Meander", 5, 8, "papier", True, False),
    ("brandaan", "Brandaan", 5, 8, "papier", True, False),
    ("bingel", "Bingel", 3, 8, "oefensoftware", True, True),
]

FIRST_NAMES = [
    "Sanne", "Daan", "Emma", "Lucas", "Julia", "Sem", "Tess", "Finn", "Lotte", "Levi", "Noor",
    "Milan", "Fleur", "Jesse", "Sara", "Bram", "Anouk", "Thijs", "Lieke", "Ruben", "Yara", "Luuk",
    "Evi", "Mees", "Isa", "Stijn", "Roos", "Gijs", "Femke", "Jayden", "Maud", "Ties", "Zoë",
    "Hugo", "Nina", "Jens", "Liv", "Boaz", "Elif", "Mohamed", "Fenna", "Ayoub", "Amira", "Twan",
    "Jasmijn", "Olivier", "Sofie", "Cas", "Hanna", "Owen",
]
LAST_NAMES = [
    ("de", "Vries"), ("", "Jansen"), ("van", "Dijk"), ("", "Bakker"), ("", "Visser"),
    ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"), ("de", "Groot"),
    ("", "Bos"), ("", "Vos"), ("", "Peters"), ("", "Hendriks"), ("van", "Leeuwen"),
    ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"), ("", "Smits"),
    ("de", "Graaf"), ("van der", "Meer"), ("van der", "Linden"), ("", "Kok"), ("", "Jacobs"),
    ("de", "Haan"), ("", "Vermeulen"), ("van den", "Heuvel"), ("van der", "Veen"),
    ("van den", "Berg"), ("", "Kuipers"), ("", "Schouten"), ("", "Willems"), ("van", "Vliet"),
    ("el", "Amrani"), ("", "Yilmaz"), ("", "Öztürk"), ("", "Postma"), ("ter", "Horst"),
    ("in 't", "Veld"),
]
TEACHER_FIRST = [
    "Marieke", "Joost", "Annelies", "Pieter", "Ingrid", "Karin", "Wouter", "Esther", "Hans",
    "Monique", "Sandra", "Erik", "Linda", "Bas", "Petra", "Rianne", "Martijn", "Ellen", "Ilse",
    "Gerrit",
]


@dataclass(frozen=True)
class DemoSchool:
    brin: str
    vestiging: str
    name: str
    city: str
    domain: str
    groups: tuple[tuple[str, str], ...]  # (name, year levels)
    products: tuple[str, ...]
    child_seats: int


SCHOOLS = (
    DemoSchool(
        "12AB", "00", "OBS De Regenboog", "Utrecht", "obsderegenboog.nl",
        (("Groep 1/2a", "1/2"), ("Groep 1/2b", "1/2"), ("Groep 3", "3"), ("Groep 4", "4"),
         ("Groep 5a", "5"), ("Groep 5b", "5"), ("Groep 6/7", "6/7"), ("Groep 7", "7"),
         ("Groep 8", "8")),
        ("kleuterplein", "lijn3", "pluspunt", "staal", "taalactief", "naut", "bingel"),
        30,
    ),
    DemoSchool(
        "34CD", "01", "CBS Het Kompas", "Amersfoort", "cbshetkompas.nl",
        (("Groep 1/2", "1/2"), ("Groep 3", "3"), ("Groep 4a", "4"), ("Groep 4b", "4"),
         ("Groep 5", "5"), ("Groep 6", "6"), ("Groep 6/7", "6/7"), ("Groep 7", "7"),
         ("Groep 8a", "8"), ("Groep 8b", "8")),
        ("kleuterplein", "pluspunt", "taalactief", "karakter", "meander", "brandaan", "bingel"),
        12,
    ),
)


async def is_empty(sessions: async_sessionmaker[AsyncSession]) -> bool:
    async with sessions() as session:
        return not await session.scalar(select(func.count(School.id)))


# The shipped deliveries, applied in this order through the sync; the later one brings
# De Regenboog's Groep 5b after Malmberg's automatic linking.
DELIVERIES = Path(__file__).parent / "demo_data"
FIRST_DELIVERIES = ("12AB-00-2026-08-20.edexml.xml", "34CD-01-2026-08-20.basispoort.json")
LATER_DELIVERY = "12AB-00-2026-10-02.edexml.xml"
SHIPPED_YEAR = b"2026-2027"
SYNC_TIME = time(2, 0)  # of the demo's deliveries, UTC


def delivery(name: str, school_year: str) -> bytes:
    """A shipped demo delivery, for the school year the demo is loaded in."""
    return (DELIVERIES / name).read_bytes().replace(SHIPPED_YEAR, school_year.encode())


def last_sync_day(now: datetime) -> date:
    """The day of the last nightly sync (02:00 UTC) at `now`: the demo's deliveries are
    applied then. Before 02:00 that is yesterday's, or the summary it leaves would not be due
    for hours, and nobody would see it arrive."""
    return now.date() if now.time() >= SYNC_TIME else now.date() - timedelta(days=1)


async def load_demo(sessions: async_sessionmaker[AsyncSession], school_year: str | None = None,
                    *, today=None, secrets: SecretBox | None = None) -> dict[str, int]:
    """The demo: Malmberg's own data (products, the two customer schools and their licences)
    and the schools' Basispoort deliveries applied through the sync, as in production. With a
    secret box the sync gives every pupil a pincode of their group's kind."""
    day = today or last_sync_day(datetime.now(UTC))
    year = school_year or school_year_of(day)
    ctx = ServiceContext(sessions, clock=lambda: datetime.combine(day, SYNC_TIME, UTC),
                         secrets=secrets)
    sync = SyncService(ctx)
    counts = {"schools": 0}
    async with sessions.begin() as session:
        for code, name, lo, hi, kind, group_ok, child_ok in PRODUCTS:
            if await session.scalar(select(Product.id).where(Product.code == code)) is None:
                session.add(Product(code=code, name=name, min_level=lo, max_level=hi, kind=kind,
                                    offers_group=group_ok, offers_child=child_ok))
        for spec in SCHOOLS:
            session.add(School(brin=spec.brin, vestiging=spec.vestiging, name=spec.name,
                               city=spec.city, entra_tenant_id=PLAYGROUND_TENANT))
            counts["schools"] += 1
    for name in FIRST_DELIVERIES:
        await _apply(sync, name, year)
    # EDEXML carries no roles: De Regenboog's coördinator is set by Malmberg's operator.
    await sync.assign_coordinator(Actor.operator("demo"), "12AB", "00",
                                  "alex.wilber@malmberg-demo.nl")
    counts["licences"] = 0
    async with sessions.begin() as session:
        # The Playground's users, as if they had spoken to the bot before.
        for key, (*_, aad) in (("coord-alex", PLAYGROUND_COORDINATOR),
                               ("teacher-megan", PLAYGROUND_TEACHER)):
            person = await session.scalar(select(Person).where(Person.basispoort_key == key))
            person.aad_object_id = aad
            person.aad_tenant_id = PLAYGROUND_TENANT
        products = {p.code: p for p in (await session.scalars(select(Product))).all()}
        for spec in SCHOOLS:
            school = await session.scalar(select(School).where(School.brin == spec.brin))
            counts["licences"] += await _licences(session, school, spec, products, year)
            await _demo_children(session, school, spec, counts)
    # Malmberg linked what it could, through the same use case as the menu's.
    counts["auto_links"] = await _link_automatically(sessions, year)
    await _apply(sync, LATER_DELIVERY, year)
    async with sessions() as session:
        for role, key in ((ROLE_PUPIL, "pupils"), (ROLE_TEACHER, "teachers")):
            counts[key] = await session.scalar(select(func.count(Role.id)).where(
                Role.role == role)) or 0
        counts["groups"] = await session.scalar(select(func.count(Group.id))) or 0
        if secrets is not None:
            counts["pincodes"] = await session.scalar(
                select(func.count(PupilCredential.person_id))) or 0
    await refresh_statistics(sessions)
    return counts


async def _apply(sync: SyncService, name: str, year: str) -> None:
    result = await sync.apply_delivery(delivery(name, year), name)
    if result.status == RUN_REJECTED:
        raise RuntimeError(f"demo delivery {name} rejected: {result.report}")


async def _licences(session: AsyncSession, school: School, spec: DemoSchool,
                    products: dict[str, Product], year: str) -> int:
    """The licences the school ordered: a kindlicentie for Bingel, group licences per year
    level for the rest."""
    made = 0
    for code in spec.products:
        product = products[code]
        if code == "bingel":
            session.add(Licence(school_id=school.id, product_id=product.id,
                                year_levels="/".join(str(n) for n in range(3, 9)),
                                school_year=year, model=MODEL_CHILD, seats=spec.child_seats,
                                seats_taken=0))
            made += 1
            continue
        if product.max_level <= 2:
            level_sets = ["1/2"]
        else:
            level_sets = [str(n) for n in range(product.min_level, product.max_level + 1)]
        for levels in level_sets:
            session.add(Licence(school_id=school.id, product_id=product.id, year_levels=levels,
                                school_year=year, model=MODEL_GROUP))
            made += 1
    await session.flush()
    return made


# -- children on licences, automatic links -----------------------------------------------------
# Products whose groups Malmberg linked automatically in the demo; the rest is left to the
# coördinator ("Licenties koppelen", or "Automatisch koppelen" for the unambiguous ones).
AUTO_LINKED_PRODUCTS = ("kleuterplein", "lijn3", "pluspunt")
# Kindlicentie seats per school: (group, how many of its first pupils get a Bingel seat).
DEMO_SEATS = {
    "12AB": (("Groep 4", 3), ("Groep 5a", 3), ("Groep 7", 3)),  # 21 of 30 free
    "34CD": (("Groep 3", 2), ("Groep 4a", 2), ("Groep 5", 2), ("Groep 6", 2), ("Groep 8a", 2)),
}
# One child of another group on a group licence: (child's group, product, licence levels).
DEMO_EXTRA_CHILD = {"12AB": ("Groep 4", "pluspunt", "5")}
# A group of the first school that arrives in a later delivery, after Malmberg's automatic
# linking: the sync links it where that is unambiguous and lists the rest in a notification.
DEMO_LATE_GROUP = ("12AB", "Groep 5b")
# The pupil of the manual's shortcut example 'leerling Sanne de Vries'.
DEMO_SANNE = ("12AB", "Groep 5a", "P900001", "Sanne", "de", "Vries")


async def _first_pupils(session: AsyncSession, group: Group, count: int) -> list[Person]:
    return list((await session.scalars(
        select(Person).join(GroupMember, GroupMember.person_id == Person.id)
        .where(GroupMember.group_id == group.id, GroupMember.role == ROLE_PUPIL)
        .order_by(Person.basispoort_key).limit(count)
    )).all())


async def _demo_children(session: AsyncSession, school: School, spec: DemoSchool,
                         counts: dict[str, int]) -> None:
    groups = {g.name: g for g in (await session.scalars(
        select(Group).where(Group.school_id == school.id))).all()}
    licences = (await session.execute(
        select(Licence, Product.code).join(Product, Product.id == Licence.product_id)
        .where(Licence.school_id == school.id)
    )).all()
    child_licence = next(lic for lic, code in licences if lic.model == MODEL_CHILD)
    seated = 0
    for group_name, count in DEMO_SEATS.get(spec.brin, ()):
        for pupil in await _first_pupils(session, groups[group_name], count):
            session.add(ChildAssignment(licence_id=child_licence.id, person_id=pupil.id))
            seated += 1
    child_licence.seats_taken = seated
    counts["seats"] = counts.get("seats", 0) + seated
    if spec.brin in DEMO_EXTRA_CHILD:
        group_name, code, levels = DEMO_EXTRA_CHILD[spec.brin]
        licence = next(lic for lic, c in licences if c == code and lic.year_levels == levels)
        child = (await _first_pupils(session, groups[group_name], 1))[0]
        session.add(LicenceExtraChild(licence_id=licence.id, person_id=child.id))
    await session.flush()


async def _link_automatically(sessions: async_sessionmaker[AsyncSession], year: str) -> int:
    """Link the demo's groups through the auto-link use case, as Malmberg's sync would."""
    links = GroupLinks(ServiceContext(sessions))
    operator = Actor.operator("demo")
    async with sessions() as session:
        school_ids = (await session.scalars(
            select(School.id).where(School.brin.in_([s.brin for s in SCHOOLS]))
            .order_by(School.id))).all()
    linked = 0
    for school_id in school_ids:
        preview = await links.auto_link_preview(operator, school_id, year)
        agreed = [[link.licence.id, link.group_id] for link in preview.links]
        outcome = await links.auto_link(operator, school_id, year,
                                        product_codes=AUTO_LINKED_PRODUCTS, confirmed=agreed)
        linked += len(outcome.links)
    return linked
