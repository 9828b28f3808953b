"""Kindlicenties (rule 8): seats, assigning all-or-nothing, no overselling under a race (SQLite
file and PostgreSQL), and 'Verkeerd kind gekoppeld?'."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from services.db import create_engine, create_sessions
from services.demo import PLAYGROUND_TENANT
from services.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from services.models import (
    MODEL_GROUP,
    ChildAssignment,
    Licence,
    LicenceExtraChild,
    LicenceGroup,
    Product,
)
from services.registry import Services
from services.shared.results import ChildrenResultDTO
from tests.conftest import create_schema, fixed_clock, sqlite_only
from tests.licence_tasks_support import (
    audit,
    count,
    kompas,
    licence_id,
    mark_left,
    other_school,
    pupils_of,
    race,
    regenboog,
    seat_race_school,
    seats,
)


async def test_list_shows_x_of_y_free(services, alex, sessions):
    [regenboog_bingel] = (await services.child_licences.list_child_licences(alex, regenboog(alex))).licences
    licence = regenboog_bingel.licence
    assert (licence.product_name, licence.seats, licence.seats_taken, licence.seats_free) == (
        "Bingel", 30, 9, 21)
    assert regenboog_bingel.child_count == 9
    [kompas_bingel] = (await services.child_licences.list_child_licences(alex, kompas(alex))).licences
    assert (kompas_bingel.licence.seats, kompas_bingel.licence.seats_free) == (12, 2)


async def test_a_product_without_child_licences_is_never_offered(services, alex, sessions):
    school = regenboog(alex)
    bingel = await licence_id(sessions, school, "Bingel")
    async with sessions.begin() as session:
        licence = await session.get(Licence, bingel)
        (await session.get(Product, licence.product_id)).offers_child = False
    assert (await services.child_licences.list_child_licences(alex, school)).licences == ()
    child = (await pupils_of(sessions, school, "Groep 8"))[0][0]
    for call in (services.child_licences.child_licence(alex, bingel),
                 services.child_licences.preview_assign_children(alex, bingel, [child]),
                 services.child_licences.assign_children(alex, bingel, [child]),
                 services.child_licences.child_groups(alex, bingel)):
        with pytest.raises(NotFound):
            await call


async def test_detail_lists_assigned_children_paged_and_searchable(services, alex, sessions):
    school = regenboog(alex)
    bingel = await licence_id(sessions, school, "Bingel")
    detail = await services.child_licences.child_licence(alex, bingel)
    assert detail.children.total == 9
    assert {c.child.group_name for c in detail.children.items} == {"Groep 4", "Groep 5a", "Groep 7"}
    first = detail.children.items[0].child.name.split()[0]
    found = await services.child_licences.child_licence(alex, bingel, first.lower())
    assert 1 <= found.children.total < 9 and found.children.query == first.lower()
    with pytest.raises(InvalidInput):
        await services.child_licences.child_licence(alex, bingel, "x" * 200)
    with pytest.raises(InvalidInput):
        await services.child_licences.child_licence(alex, bingel, "", "zero")
    with pytest.raises(NotFound):  # a group licence is no kindlicentie
        await services.child_licences.child_licence(alex, await licence_id(sessions, school, "Pluspunt", "5"))


async def test_candidates_leave_out_children_with_a_seat(services, alex, sessions):
    school = regenboog(alex)
    bingel = await licence_id(sessions, school, "Bingel")
    groups = await services.child_licences.child_groups(alex, bingel)
    assert groups.groups[0].name == "Groep 3"  # groups that fit the licence come first
    assert {g.name for g in groups.groups} >= {"Groep 1/2a", "Groep 5b"}
    group4 = next(g.id for g in groups.groups if g.name == "Groep 4")
    found = await services.child_licences.child_candidates(alex, bingel, group4)
    assert found.already_on == 3
    seated = {c for c, _ in (await pupils_of(sessions, school, "Groep 4"))[:3]}
    assert not seated & {c.id for c in found.candidates.items}


async def test_assign_children_counts_the_seats(services, alex, sessions):
    school = regenboog(alex)
    bingel = await licence_id(sessions, school, "Bingel")
    children = [c for c, _ in (await pupils_of(sessions, school, "Groep 8"))[:4]]
    preview = await services.child_licences.preview_assign_children(alex, bingel, children)
    assert len(preview.children) == 4 and preview.seats_free_after == 17
    assert (await seats(sessions, bingel))[1] == 9

    result = await services.child_licences.assign_children(alex, bingel, children)
    assert result.licence.seats_taken == 13 and result.licence.seats_free == 17
    assert (result.reminder.kind, result.reminder.product_name) == ("oefensoftware", "Bingel")
    total, taken, assigned = await seats(sessions, bingel)
    assert taken == 13 == len(assigned) and set(children) <= assigned
    [event] = await audit(sessions, "assign_children")
    assert set(event["child_ids"]) == set(children)


async def test_more_children_than_free_seats_is_refused_as_a_whole(services, alex, sessions):
    school = kompas(alex)
    bingel = await licence_id(sessions, school, "Bingel")
    children = [c for c, _ in (await pupils_of(sessions, school, "Groep 7"))[:3]]
    for call in (services.child_licences.preview_assign_children, services.child_licences.assign_children):
        with pytest.raises(Conflict) as refused:
            await call(alex, bingel, children)
        assert refused.value.code == "error.not_enough_seats"
        assert refused.value.params == {"wanted": 3, "free": 2, "seats": 12}
    assert await seats(sessions, bingel) == (12, 10, (await seats(sessions, bingel))[2])
    assert len((await seats(sessions, bingel))[2]) == 10
    # Exactly the free seats: fine; then the licence is full.
    await services.child_licences.assign_children(alex, bingel, children[:2])
    with pytest.raises(Conflict) as full:
        await services.child_licences.assign_children(alex, bingel, children[2:])
    assert full.value.params == {"wanted": 1, "free": 0, "seats": 12}


async def test_already_assigned_left_and_other_school_change_nothing(services, alex, sessions):
    school = regenboog(alex)
    bingel = await licence_id(sessions, school, "Bingel")
    seated = (await pupils_of(sessions, school, "Groep 4"))[0][0]
    fresh = (await pupils_of(sessions, school, "Groep 8"))[0][0]
    before = await seats(sessions, bingel)
    with pytest.raises(Conflict) as again:
        await services.child_licences.assign_children(alex, bingel, [fresh, seated])
    assert again.value.code == "error.child_already_assigned"
    await mark_left(sessions, fresh)
    with pytest.raises(Conflict) as left:
        await services.child_licences.assign_children(alex, bingel, [fresh])
    assert left.value.code == "error.child_left"
    stranger = await other_school(sessions)
    with pytest.raises(NotAllowed) as other:
        await services.child_licences.assign_children(alex, bingel, [stranger["pupil"]])
    assert other.value.code == "error.child_other_school"
    with pytest.raises(NotAllowed):
        await services.child_licences.assign_children(alex, stranger["child_licence"], [seated])
    with pytest.raises(NotFound):
        await services.child_licences.assign_children(alex, bingel, [999_999])
    with pytest.raises(InvalidInput):
        await services.child_licences.assign_children(alex, bingel, "1;DROP TABLE")
    with pytest.raises(NotFound):
        await services.child_licences.assign_children(alex, await licence_id(sessions, school, "Staal", "5"),
                                                      [fresh])
    assert await seats(sessions, bingel) == before
    assert await audit(sessions, "assign_children", "refused")


async def test_teachers_are_refused(services, megan, alex, sessions):
    bingel = await licence_id(sessions, regenboog(alex), "Bingel")
    for call in (services.child_licences.list_child_licences(megan, regenboog(alex)),
                 services.child_licences.child_licence(megan, bingel),
                 services.child_licences.preview_assign_children(megan, bingel, [1]),
                 services.child_licences.assign_children(megan, bingel, [1]),
                 services.helpdesk.ticket_form(megan, bingel)):
        with pytest.raises(NotAllowed):
            await call


# -- the race: seats are never oversold --------------------------------------------------------

def _assert_exactly(results: list[object], winners: int, code: str) -> None:
    done = [r for r in results if isinstance(r, ChildrenResultDTO)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(done) == winners, [getattr(r, "code", r) for r in results if r not in done][:5]
    assert len(done) + len(refused) == len(results)
    assert {r.code for r in refused} <= {code}


async def _hundred_claims_for_ten_seats(services, sessions) -> None:
    first, second, licence, children = await seat_race_school(sessions, seats=25, taken=15,
                                                              pupils=100)
    claims = [(first if i % 2 else second, licence, [child]) for i, child in enumerate(children)]
    results = await race(services, claims)
    _assert_exactly(results, 10, "error.not_enough_seats")
    total, taken, assigned = await seats(sessions, licence)
    assert (total, taken, len(assigned)) == (25, 25, 10)
    winners = {r.added[0].id for r in results if isinstance(r, ChildrenResultDTO)}
    assert winners == assigned
    refused = [r for r in results if isinstance(r, DomainError)]
    assert all(r.params["free"] == 0 and r.params["wanted"] == 1 for r in refused)


async def _same_child_clicked_twenty_times(services, sessions) -> None:
    first, second, licence, children = await seat_race_school(sessions, seats=5, taken=0,
                                                              pupils=1)
    results = await race(services, [(first, licence, children)] * 10
                         + [(second, licence, children)] * 10)
    _assert_exactly(results, 1, "error.child_already_assigned")
    assert (await seats(sessions, licence))[1:] == (1, set(children))


async def _group_claims_never_oversell(services, sessions) -> None:
    first, _, licence, children = await seat_race_school(sessions, seats=10, taken=0, pupils=60)
    claims = [(first, licence, children[i:i + 3]) for i in range(0, 60, 3)]  # 20 claims of 3
    results = await race(services, claims)
    _assert_exactly(results, 3, "error.not_enough_seats")
    total, taken, assigned = await seats(sessions, licence)
    assert taken == len(assigned) == 9 <= total


@sqlite_only
async def test_race_hundred_claims_ten_free_seats_sqlite_file(services, sessions, db_url):
    assert db_url.startswith("sqlite") and ":memory:" not in db_url
    await _hundred_claims_for_ten_seats(services, sessions)
    assert await count(sessions, ChildAssignment) == 10


async def test_race_same_child_sqlite_file(services, sessions):
    await _same_child_clicked_twenty_times(services, sessions)


async def test_race_claims_of_several_children_sqlite_file(services, sessions):
    await _group_claims_never_oversell(services, sessions)


async def test_two_coordinators_claim_the_last_seat(services, alex, sessions):
    """Demo: Alex and Fatima (both coördinator of Het Kompas) claim the last free seats."""
    from services.actor import Identity

    school = kompas(alex)
    fatima = await services.school.resolve_actor(Identity(tenant_id=PLAYGROUND_TENANT, email="f.elamrani@cbshetkompas.nl"))
    bingel = await licence_id(sessions, school, "Bingel")
    pupils = [c for c, _ in await pupils_of(sessions, school, "Groep 7")]
    results = await race(services, [(alex, bingel, [pupils[0]]), (fatima, bingel, [pupils[1]]),
                                    (alex, bingel, [pupils[2]]), (fatima, bingel, [pupils[3]])])
    _assert_exactly(results, 2, "error.not_enough_seats")
    assert (await seats(sessions, bingel))[1] == 12


@pytest.fixture
async def pg_service(pg_url):
    """The services on a fresh PostgreSQL database with the schema, dropped afterwards."""
    engine = create_engine(pg_url, pool_size=30, max_overflow=0)
    try:
        await create_schema(engine)
        sessions = create_sessions(engine)
        yield Services.build(sessions, clock=fixed_clock), sessions
    finally:
        await engine.dispose()


async def test_race_hundred_claims_ten_free_seats_postgresql(pg_service):
    services, sessions = pg_service
    async with sessions() as session:
        assert session.bind.dialect.name == "postgresql"
    await _hundred_claims_for_ten_seats(services, sessions)


async def test_race_same_child_postgresql(pg_service):
    await _same_child_clicked_twenty_times(*pg_service)


async def test_race_claims_of_several_children_postgresql(pg_service):
    await _group_claims_never_oversell(*pg_service)


async def test_licence_tasks_on_postgresql(pg_service):
    """The demo and every licence-task query on PostgreSQL, not only on SQLite."""
    from services.actor import Identity
    from services.demo import PLAYGROUND_COORDINATOR, load_demo
    from tests.conftest import TODAY

    services, sessions = pg_service
    counts = await load_demo(sessions, today=TODAY)
    assert counts["auto_links"] == 17 and counts["seats"] == 19
    alex = await services.school.resolve_actor(Identity(tenant_id=PLAYGROUND_TENANT, aad_object_id=PLAYGROUND_COORDINATOR[3]))
    school = regenboog(alex)
    overview = (await services.extra_children.children_overview(alex, school)).licences
    assert sum(o.child_count for o in overview) == 1
    staal6 = next(o.licence.id for o in overview if o.licence.product_name == "Staal"
                  and o.licence.levels == (6,))
    found = await services.extra_children.child_candidates(alex, staal6, None, "de_vr%")
    assert found.candidates.total == 0  # LIKE wildcards are escaped
    found = await services.extra_children.child_candidates(alex, staal6, None, "De Vries")
    added = await services.extra_children.add_extra_children(alex, staal6, [found.candidates.items[0].id])
    assert added.reminder.kind == "papier"
    [bingel] = (await services.child_licences.list_child_licences(alex, school)).licences
    assert bingel.licence.seats_free == 21
    groups = await services.child_licences.child_groups(alex, bingel.licence.id)
    candidates = await services.child_licences.child_candidates(alex, bingel.licence.id, groups.groups[0].id)
    result = await services.child_licences.assign_children(alex, bingel.licence.id,
                                                           [c.id for c in candidates.candidates.items[:2]])
    assert result.licence.seats_free == 19
    assert (await services.child_licences.child_licence(alex, bingel.licence.id)).children.total == 11
    assert (await services.links.auto_link(alex, school)).links
    assert [m.child.name for m in (await services.school.find_pupil(alex, school, "sane de vris")
                                   ).matches] == ["Sanne de Vries"]
    link = await services.links.resolve_link_shortcut(alex, school, "groep 5B", "stal")
    assert link.product_name == "Staal" and [g.name for g in link.groups] == ["Groep 5b"]


async def test_a_full_licence_is_refused_before_picking(services, alex, sessions):
    school = kompas(alex)
    bingel = await licence_id(sessions, school, "Bingel")
    assert (await services.child_licences.child_groups(alex, bingel)).groups  # 2 of 12 free: pick away
    children = [c for c, _ in (await pupils_of(sessions, school, "Groep 7"))[:2]]
    await services.child_licences.assign_children(alex, bingel, children)
    with pytest.raises(Conflict) as full:
        await services.child_licences.child_groups(alex, bingel)
    assert (full.value.code, full.value.params) == ("error.no_free_seats", {"seats": 12})


async def _group_licence_beside(sessions, child_licence: int) -> int:
    """A group licence (groep 7) of the same school and product as the race's kindlicentie."""
    async with sessions.begin() as session:
        seats_licence = await session.get(Licence, child_licence)
        licence = Licence(school_id=seats_licence.school_id, product_id=seats_licence.product_id,
                          year_levels="7", school_year="2026-2027", model=MODEL_GROUP)
        session.add(licence)
        await session.flush()
        return licence.id


async def _same_extra_child_added_twenty_times(services, sessions) -> None:
    """Rule 6 under a race: twenty simultaneous 'Toevoegen' of one child of another group on a
    group licence put it on once; the others get 'staat al op deze licentie'."""
    first, second, child_licence, children = await seat_race_school(sessions, seats=1, taken=0,
                                                                    pupils=1)
    group_licence = await _group_licence_beside(sessions, child_licence)

    async def add(actor):
        try:
            return await services.extra_children.add_extra_children(actor, group_licence, children)
        except DomainError as error:
            return error

    results = await asyncio.gather(*(add(first if i % 2 else second) for i in range(20)))
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(results) - len(refused) == 1
    assert {r.code for r in refused} == {"error.child_already_on"}
    async with sessions() as session:
        rows = (await session.scalars(select(LicenceExtraChild.person_id).where(
            LicenceExtraChild.licence_id == group_licence))).all()
    assert rows == children


async def test_race_same_extra_child_sqlite_file(services, sessions):
    await _same_extra_child_added_twenty_times(services, sessions)


async def test_race_same_extra_child_postgresql(pg_service):
    await _same_extra_child_added_twenty_times(*pg_service)


async def _auto_link_clicked_ten_times(services, sessions) -> None:
    """'Koppelen' of 'Automatisch koppelen' from two chats at once: the group is linked once;
    the others link nothing or hear that something was linked meanwhile, never a crash."""
    first, second, child_licence, _ = await seat_race_school(sessions, seats=1, taken=0,
                                                             pupils=1)
    async with sessions.begin() as session:
        seats_licence = await session.get(Licence, child_licence)
        school = seats_licence.school_id
        licence = Licence(school_id=school, product_id=seats_licence.product_id,
                          year_levels="6", school_year="2026-2027", model=MODEL_GROUP)
        session.add(licence)

    async def run(actor):
        try:
            return await services.links.auto_link(actor, school, "2026-2027")
        except DomainError as error:
            return error

    await asyncio.gather(*(services.links.auto_link_preview(first, school, "2026-2027")
                           for _ in range(10)))  # ten open connections: a real race
    results = await asyncio.gather(*(run(first if i % 2 else second) for i in range(10)))
    refused = [r for r in results if isinstance(r, DomainError)]
    assert {r.code for r in refused} <= {"error.autolink_changed"}
    assert sum(len(r.links) for r in results if r not in refused) == 1
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(LicenceGroup)) == 1


async def test_race_auto_link_sqlite_file(services, sessions):
    await _auto_link_clicked_ten_times(services, sessions)


async def test_race_auto_link_postgresql(pg_service):
    await _auto_link_clicked_ten_times(*pg_service)


async def _same_extra_child_removed_ten_times(services, sessions) -> None:
    """Two coördinatoren both confirm 'Verwijderen' of the same child at the same moment: it
    is taken off once, the others hear it was not on (any more); nobody gets a crash."""
    first, second, child_licence, children = await seat_race_school(sessions, seats=1, taken=0,
                                                                    pupils=1)
    group_licence = await _group_licence_beside(sessions, child_licence)
    await services.extra_children.add_extra_children(first, group_licence, children)
    await asyncio.gather(*(services.extra_children.extra_children(first, group_licence)
                           for _ in range(10)))  # ten open connections: a real race
    results = await asyncio.gather(*(
        services.extra_children.remove_extra_child(first if i % 2 else second, group_licence, children[0])
        for i in range(10)), return_exceptions=True)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(r.was_on for r in results) == 1
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(LicenceExtraChild)) == 0
    assert len(await audit(sessions, "remove_extra_child")) == 1


async def test_race_remove_extra_child_sqlite_file(services, sessions):
    await _same_extra_child_removed_ten_times(services, sessions)


async def test_race_remove_extra_child_postgresql(pg_service):
    await _same_extra_child_removed_ten_times(*pg_service)
