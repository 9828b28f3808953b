"""Identity, refusals, language and the school data use cases on a temporary SQLite file."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update

from services.actor import Actor, Identity
from services.demo import PLAYGROUND_TENANT
from services.errors import InvalidInput, NotAllowed, NotFound
from services.models import STATUS_LEFT, AuditEvent, Group, GroupMember, Person, Role
from tests.conftest import ALEX_AAD


async def test_coordinator_of_two_schools(alex: Actor):
    assert alex.is_coordinator
    assert [s.name for s in alex.coordinator_of] == ["CBS Het Kompas", "OBS De Regenboog"]
    assert alex.name == "Alex Wilber"


async def test_teacher_is_known_but_no_coordinator(megan: Actor, services):
    assert megan.is_known and not megan.is_coordinator
    refusal = await services.school.refusal_for(megan)
    assert refusal.kind == "staff"
    assert refusal.schools == (("OBS De Regenboog", ("Alex Wilber",)),)


async def test_unknown_user_gets_the_unknown_refusal(services, demo):
    stranger = await services.school.resolve_actor(Identity(tenant_id=PLAYGROUND_TENANT, aad_object_id="nobody"))
    assert not stranger.is_known
    assert (await services.school.refusal_for(stranger)).kind == "unknown"


async def test_identity_by_email_is_remembered(services, sessions, demo):
    async with sessions.begin() as session:
        teacher = await session.scalar(
            select(Person).join(Role).where(Role.role == "teacher", Person.aad_object_id.is_(None))
            .limit(1))
        email = teacher.email
    actor = await services.school.resolve_actor(Identity(tenant_id=PLAYGROUND_TENANT, aad_object_id="aad-new", email=email.upper()))
    assert actor.person_id == teacher.id
    again = await services.school.resolve_actor(Identity(tenant_id=PLAYGROUND_TENANT, aad_object_id="aad-new"))
    assert again.person_id == teacher.id


async def test_left_person_is_unknown(services, sessions, demo):
    async with sessions.begin() as session:
        person = await session.scalar(select(Person).where(Person.aad_object_id == ALEX_AAD))
        person.status = "left"
    actor = await services.school.resolve_actor(Identity(tenant_id=PLAYGROUND_TENANT, aad_object_id=ALEX_AAD))
    assert not actor.is_coordinator


async def test_set_language_is_remembered_and_validated(services, alex):
    assert await services.school.set_language(alex, "en") == "en"
    assert (await services.school.resolve_actor(Identity(tenant_id=PLAYGROUND_TENANT, aad_object_id=ALEX_AAD))).language == "en"
    with pytest.raises(InvalidInput):
        await services.school.set_language(alex, "fr")


async def test_school_home_counts(services, alex):
    school = alex.coordinator_of[1]
    home = await services.school.school_home(alex, school.id)
    assert (home.name, home.brin, home.vestiging, home.school_year) == (
        "OBS De Regenboog", "12AB", "00", "2026-2027")
    assert home.group_count == 9
    assert 9 * 22 <= home.pupil_count <= 9 * 28


async def test_groups_in_year_order_with_teachers(services, alex):
    groups = await services.school.list_groups(alex, alex.coordinator_of[1].id)
    names = [g.name for g in groups]
    assert names[:3] == ["Groep 1/2a", "Groep 1/2b", "Groep 3"]
    assert names.index("Groep 6/7") < names.index("Groep 7")
    five_a = next(g for g in groups if g.name == "Groep 5a")
    assert five_a.teacher_names == ("Megan Bowen",)


async def test_group_detail_sorted_by_last_name(services, alex):
    school_id = alex.coordinator_of[1].id
    group = (await services.school.list_groups(alex, school_id))[0]
    detail = await services.school.group_detail(alex, school_id, group.id)
    assert len(detail.pupils) == group.pupil_count
    assert detail.teachers


async def test_every_group_counts_its_active_pupils_and_names_its_teachers(
        services, alex, sessions):
    """The counted list agrees with each group's own pupils and teachers, after a pupil has
    left and a group has gone from Basispoort."""
    school_id = alex.coordinator_of[1].id
    first = (await services.school.list_groups(alex, school_id))
    leaving = (await services.school.group_detail(alex, school_id, first[2].id)).pupils[0]
    async with sessions.begin() as session:
        await session.execute(update(Person).where(Person.id == leaving.id)
                              .values(status=STATUS_LEFT))
        await session.execute(update(Group).where(Group.id == first[0].id)
                              .values(deleted_at=func.now()))
    groups = await services.school.list_groups(alex, school_id)
    assert [g.id for g in groups] == [g.id for g in first[1:]]
    assert groups[1].pupil_count == first[2].pupil_count - 1
    for group in groups:
        detail = await services.school.group_detail(alex, school_id, group.id)
        assert group.pupil_count == len(detail.pupils)
        assert group.teacher_names == tuple(sorted(t.name for t in detail.teachers))
    assert any(group.teacher_names for group in groups)


async def test_group_of_other_school_is_refused_and_audited(services, alex, sessions):
    regenboog, kompas = alex.coordinator_of[1], alex.coordinator_of[0]
    kompas_group = (await services.school.list_groups(alex, kompas.id))[0]
    with pytest.raises(NotAllowed):
        await services.school.group_detail(alex, regenboog.id, kompas_group.id)
    async with sessions() as session:
        refused = await session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.outcome == "refused"))
    assert refused == 1


async def test_teacher_cannot_read_school_data(services, megan):
    with pytest.raises(NotAllowed):
        await services.school.school_home(megan, 1)
    with pytest.raises(NotAllowed):
        await services.school.search_pupils(megan, 1, "")


@pytest.mark.parametrize("bad", ["abc", -1, 0, None, "1; drop table", 10**20, True, [1]])
async def test_garbled_school_id_is_invalid(services, alex, bad):
    with pytest.raises((InvalidInput, NotAllowed)):
        await services.school.school_home(alex, bad)


async def test_unknown_school_id_is_refused(services, alex):
    with pytest.raises(NotAllowed):
        await services.school.school_home(alex, 999)
    with pytest.raises(NotFound):
        await services.school.school_home(Actor.operator(), 999)


async def test_teachers_with_their_groups(services, alex):
    teachers = await services.school.list_teachers(alex, alex.coordinator_of[1].id)
    megan = next(t for t in teachers if t.person.name == "Megan Bowen")
    assert megan.group_names == ("Groep 5a",)
    emails = [t.person.email for t in teachers]
    assert len(emails) == len(set(emails))


async def test_coordinators_of_school(services, alex):
    kompas = await services.school.list_coordinators(alex, alex.coordinator_of[0].id)
    assert [p.name for p in kompas] == ["Fatima el Amrani", "Alex Wilber"]


async def test_pupils_paged_and_searchable(services, alex):
    school_id = alex.coordinator_of[1].id
    first = await services.school.search_pupils(alex, school_id, "", 1)
    assert first.page == 1 and first.page_count > 1 and len(first.items) == 25
    last = await services.school.search_pupils(alex, school_id, "", first.page_count)
    assert first.total == (first.page_count - 1) * 25 + len(last.items)
    everyone = {p.person.id for n in range(1, first.page_count + 1)
                for p in (await services.school.search_pupils(alex, school_id, "", n)).items}
    assert len(everyone) == first.total
    name = first.items[0].person.name
    found = await services.school.search_pupils(alex, school_id, name.upper(), 1)
    assert name in [p.person.name for p in found.items]
    assert all(p.group_name for p in found.items)


async def test_a_pupil_page_names_each_pupil_s_first_live_group(services, alex, sessions):
    """The page reads its pupils' groups itself: a pupil in two groups is listed with the
    first in year order, one whose only group is gone with none, on every page, a page past
    the end included; as pupil_groups decides for the other views."""
    from datetime import UTC, datetime

    from services.shared.queries import pupil_groups

    school_id = alex.coordinator_of[1].id
    first = await services.school.search_pupils(alex, school_id, "", 1)
    async with sessions.begin() as session:
        earliest = min((await session.scalars(
            select(Group).where(Group.school_id == school_id))).all(),
            key=lambda g: (g.levels, g.name))
        combined, alone = [p.person.id for p in first.items if p.group_id != earliest.id][:2]
        session.add(GroupMember(group_id=earliest.id, person_id=combined, role="pupil"))
        # A pupil in a group Basispoort no longer delivers, and in no other.
        gone = Group(school_id=school_id, name="Groep 9z", year_levels="8",
                     basispoort_key="gone-9z", deleted_at=datetime.now(UTC))
        session.add(gone)
        await session.flush()
        await session.execute(delete(GroupMember).where(GroupMember.person_id == alone))
        session.add(GroupMember(group_id=gone.id, person_id=alone, role="pupil"))
    pages = [await services.school.search_pupils(alex, school_id, "", n)
             for n in range(1, first.page_count + 1)]
    past_end = await services.school.search_pupils(alex, school_id, "", first.page_count + 5)
    assert past_end.items == pages[-1].items and past_end.page == first.page_count
    shown = {p.person.id: (p.group_id, p.group_name) for page in pages for p in page.items}
    assert shown[combined] == (earliest.id, earliest.name)
    assert shown[alone] == (None, None)
    async with sessions() as session:
        expected = await pupil_groups(session, school_id)
    assert shown == {pid: (expected[pid].id, expected[pid].name) if pid in expected
                     else (None, None) for pid in shown}


async def test_pupil_search_is_safe_with_wildcards(services, alex):
    school_id = alex.coordinator_of[1].id
    assert (await services.school.search_pupils(alex, school_id, "%", 1)).total == 0
    assert (await services.school.search_pupils(alex, school_id, "_", 1)).total == 0
    with pytest.raises(InvalidInput):
        await services.school.search_pupils(alex, school_id, "x" * 101, 1)
    with pytest.raises(InvalidInput):
        await services.school.search_pupils(alex, school_id, "", "twee")


async def test_name_search_and_order_answer_as_lower_did(sessions, demo):
    """Names are matched case-blind through the stored Person.search_name, and sorted through
    `folded_order` (on SQLite without lower()). They must give exactly what lower() of each
    name part gave, on either database, for names with capitals, accents and letters outside
    ASCII, and after a name changes."""
    from sqlalchemy import and_, or_

    from services.shared.predicates import PEOPLE, escape_like, name_contains, person_order

    names = [("Éva", None, "Öztürk"), ("eva", "de", "Vries"), ("EVA", "De", "vries"),
             ("Zoë", "van", "Álvarez"), ("Ada", None, "ÁLVAREZ"), ("ada", "van der", "Berg"),
             ("Ümit", None, "berg"), ("Iris", None, "İnce"), ("ian", None, "ince")]
    async with sessions.begin() as session:
        session.add_all(Person(basispoort_key=f"P-case-{i}", first_name=f, tussenvoegsel=m,
                               last_name=last, status="active")
                        for i, (f, m, last) in enumerate(names))

    def lowered(text: str):
        words = [f"%{escape_like(w)}%" for w in text.lower().split()]
        return and_(*(or_(*(func.lower(c).like(w, escape="\\") for c in (
            PEOPLE.first_name, PEOPLE.last_name, PEOPLE.tussenvoegsel))) for w in words))

    old_order = (func.lower(PEOPLE.last_name), func.lower(PEOPLE.first_name),
                 func.lower(PEOPLE.tussenvoegsel), PEOPLE.id)
    async with sessions() as session:
        everyone = select(PEOPLE.id)
        assert (await session.scalars(everyone.order_by(*person_order(PEOPLE)))).all() == (
            await session.scalars(everyone.order_by(*old_order))).all()
        for query in ("eva", "EVA", "éva", "Öz", "öz", "álvarez", "ÁLV", "van", "de vr",
                      "berg", "ümit", "ince", "i̇nce", "ë", "a", "evade", "eva de", "a v"):
            new = (await session.scalars(everyone.where(name_contains(query, PEOPLE))
                                         .order_by(*person_order(PEOPLE)))).all()
            old = (await session.scalars(everyone.where(lowered(query))
                                         .order_by(*old_order))).all()
            assert new == old, query
    async with sessions.begin() as session:  # as the sync renames people: one bulk UPDATE
        zoe = await session.scalar(select(PEOPLE.id).where(PEOPLE.first_name == "Zoë"))
        await session.execute(update(Person), [{"id": zoe, "tussenvoegsel": "",
                                                "last_name": "Öztürk-Berg"}])
    async with sessions() as session:
        for query in ("álvarez", "van álv", "öztürk-berg", "berg", "zoë"):
            new = (await session.scalars(everyone.where(name_contains(query, PEOPLE))
                                         .order_by(PEOPLE.id))).all()
            assert new == (await session.scalars(everyone.where(lowered(query))
                                                 .order_by(PEOPLE.id))).all(), query
            if query != "öztürk-berg":  # SQLite folds ASCII letters only, as it did
                assert (zoe in new) == (query in ("berg", "zoë")), query
