"""Deterministic demo data: two schools run by the Agents Playground's default user."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.actor import Actor
from services.licences import GroupLinks
from services.models import (
    MODEL_CHILD,
    MODEL_GROUP,
    ROLE_COORDINATOR,
    ROLE_PUPIL,
    ROLE_TEACHER,
    ChildAssignment,
    Group,
    GroupMember,
    Licence,
    LicenceExtraChild,
    Person,
    Product,
    Role,
    School,
)
from services.pincodes import issue_missing_pincodes
from services.schoolyear import school_year_of
from services.secrets import SecretBox
from services.shared.context import ServiceContext

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


async def load_demo(sessions: async_sessionmaker[AsyncSession], school_year: str | None = None,
                    *, today=None, secrets: SecretBox | None = None) -> dict[str, int]:
    """Insert the demo schools in one transaction; the same data every time. With a secret
    box every pupil also gets a pincode of their group's kind (random, so not the same)."""
    year = school_year or school_year_of(today or date.today())
    rng = random.Random(20262027)
    counts = {"schools": 0, "groups": 0, "pupils": 0, "teachers": 0, "licences": 0}
    async with sessions.begin() as session:
        products = {}
        for code, name, lo, hi, kind, group_ok, child_ok in PRODUCTS:
            product = await session.scalar(select(Product).where(Product.code == code))
            if product is None:
                product = Product(code=code, name=name, min_level=lo, max_level=hi, kind=kind,
                                  offers_group=group_ok, offers_child=child_ok)
                session.add(product)
            products[code] = product
        coordinator = _person("coord-alex", *PLAYGROUND_COORDINATOR[:3],
                              email="alex.wilber@malmberg-demo.nl",
                              aad=PLAYGROUND_COORDINATOR[3])
        second_coordinator = _person("coord-fatima", "Fatima", "el", "Amrani",
                                     email="f.elamrani@cbshetkompas.nl")
        session.add_all([coordinator, second_coordinator])
        used_emails: set[str] = set()
        key = 0
        for index, spec in enumerate(SCHOOLS):
            school = School(brin=spec.brin, vestiging=spec.vestiging, name=spec.name,
                            city=spec.city, entra_tenant_id=PLAYGROUND_TENANT)
            session.add(school)
            await session.flush()
            counts["schools"] += 1
            session.add(Role(person=coordinator, school_id=school.id, role=ROLE_COORDINATOR))
            if index == 1:
                session.add(Role(person=second_coordinator, school_id=school.id,
                                 role=ROLE_COORDINATOR))
            groups = []
            for g_index, (gname, levels) in enumerate(spec.groups):
                group = Group(school_id=school.id, basispoort_key=f"{spec.brin}-G{g_index + 1:02d}",
                              name=gname, year_levels=levels,
                              login_mode="pictures" if levels.startswith(("1", "3")) else "digits")
                session.add(group)
                groups.append(group)
            await session.flush()
            counts["groups"] += len(groups)
            for g_index, group in enumerate(groups):
                # Teachers: the Playground's second user teaches the first school's Groep 5a.
                if index == 0 and group.name == "Groep 5a":
                    first, tv, last, aad = PLAYGROUND_TEACHER
                    teacher = _person("teacher-megan", first, tv, last,
                                      email=f"megan.bowen@{spec.domain}", aad=aad)
                    used_emails.add(teacher.email)
                else:
                    teacher = _teacher(rng, f"{spec.brin}-T{g_index + 1:02d}", spec.domain,
                                       used_emails)
                session.add(teacher)
                session.add(Role(person=teacher, school_id=school.id, role=ROLE_TEACHER))
                session.add(GroupMember(group_id=group.id, person=teacher, role=ROLE_TEACHER))
                counts["teachers"] += 1
                for _ in range(rng.randint(22, 28)):
                    key += 1
                    first = rng.choice(FIRST_NAMES)
                    tv, last = rng.choice(LAST_NAMES)
                    pupil = _person(f"P{key:06d}", first, tv, last, email=None)
                    session.add(pupil)
                    session.add(Role(person=pupil, school_id=school.id, role=ROLE_PUPIL))
                    session.add(GroupMember(group_id=group.id, person=pupil, role=ROLE_PUPIL))
                    counts["pupils"] += 1
            await session.flush()
            for code in spec.products:
                product = products[code]
                if code == "bingel":
                    licence = Licence(school_id=school.id, product_id=product.id,
                                      year_levels="/".join(str(n) for n in range(3, 9)),
                                      school_year=year, model=MODEL_CHILD,
                                      seats=spec.child_seats, seats_taken=0)
                    session.add(licence)
                    counts["licences"] += 1
                    continue
                if product.max_level <= 2:
                    level_sets = ["1/2"]
                else:
                    level_sets = [str(n) for n in range(product.min_level, product.max_level + 1)]
                for levels in level_sets:
                    licence = Licence(school_id=school.id, product_id=product.id,
                                      year_levels=levels, school_year=year, model=MODEL_GROUP)
                    session.add(licence)
                    counts["licences"] += 1
                    await session.flush()
            # Kindlicentie seats, a child of another group, and 'Sanne de Vries'.
            await _demo_children(session, school, spec, counts)
        if secrets is not None:
            counts["pincodes"] = await issue_missing_pincodes(session, secrets)
    # Malmberg linked what it could, through the same use case the sync uses (rule 5).
    counts["auto_links"] = await _link_automatically(sessions, year)
    return counts


def _person(key: str, first: str, tussenvoegsel: str, last: str, *, email: str | None,
            aad: str | None = None) -> Person:
    return Person(basispoort_key=key, first_name=first, tussenvoegsel=tussenvoegsel,
                  last_name=last, email=email, aad_object_id=aad,
                  aad_tenant_id=PLAYGROUND_TENANT if aad else None)


def _teacher(rng: random.Random, key: str, domain: str, used: set[str]) -> Person:
    first = rng.choice(TEACHER_FIRST)
    tv, last = rng.choice(LAST_NAMES)
    base = f"{first[0]}.{(tv + last).replace(' ', '').replace(chr(39), '')}".lower()
    email = f"{base}@{domain}"
    n = 2
    while email in used:
        email = f"{base}{n}@{domain}"
        n += 1
    used.add(email)
    return _person(key, first, tv, last, email=email)


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
# A group of the first school that arrived through Basispoort after Malmberg's automatic
# linking: nothing is linked to it yet, as in the manual's example 'koppel groep 5b aan pluspunt'.
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
    if DEMO_SANNE[0] == spec.brin:
        _, group_name, key, first, tv, last = DEMO_SANNE
        sanne = _person(key, first, tv, last, email=None)
        session.add(sanne)
        session.add(Role(person=sanne, school_id=school.id, role=ROLE_PUPIL))
        session.add(GroupMember(group_id=groups[group_name].id, person=sanne, role=ROLE_PUPIL))
        counts["pupils"] += 1
        await session.flush()
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
        agreed = [[link.licence.id, link.group_id] for link in preview.links
                  if link.group_name != DEMO_LATE_GROUP[1] or school_id != school_ids[0]]
        outcome = await links.auto_link(operator, school_id, year,
                                        product_codes=AUTO_LINKED_PRODUCTS, confirmed=agreed)
        linked += len(outcome.links)
    return linked
