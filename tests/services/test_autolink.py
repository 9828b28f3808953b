"""Automatic linking (rule 5): exactly one fitting licence links, anything else is a suggestion."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from services.errors import InvalidInput, NotAllowed
from services.licences.planning import plan_links
from services.models import LicenceGroup, parse_levels
from tests.conftest import needs_pg
from tests.licence_tasks_support import (
    audit,
    count,
    demo_on_postgresql,
    licence_id,
    links,
    other_school,
    regenboog,
)

_ids = iter(range(1, 10_000))


def group(name: str, levels: str):
    return SimpleNamespace(id=next(_ids), name=name, levels=parse_levels(levels))


def licence(product: int, levels: str):
    return SimpleNamespace(id=next(_ids), product_id=product, levels=parse_levels(levels))


def _plan(groups, licences, linked=()):
    plan = plan_links(groups, licences, set(linked))
    return ({(g.name, lic.id) for g, lic in plan.links},
            {(g.name, tuple(lic.id for lic in lics)) for g, lics in plan.suggestions})


def test_one_fitting_licence_per_product_links():
    g5, g1 = group("Groep 5", "5"), group("Groep 1/2", "1/2")
    p5, p6, k12 = licence(1, "5"), licence(1, "6"), licence(2, "1/2")
    s5 = licence(3, "5")
    made, suggested = _plan([g5, g1], [p5, p6, k12, s5])
    assert made == {("Groep 5", p5.id), ("Groep 5", s5.id), ("Groep 1/2", k12.id)}
    assert suggested == set()


def test_combination_group_is_ambiguous_unless_one_licence_covers_it():
    g67 = group("Groep 6/7", "6/7")
    p6, p7 = licence(1, "6"), licence(1, "7")
    made, suggested = _plan([g67], [p6, p7])
    assert made == set() and suggested == {("Groep 6/7", (p6.id, p7.id))}
    p67 = licence(1, "6/7")
    made, suggested = _plan([g67], [p6, p7, p67])
    assert made == {("Groep 6/7", p67.id)} and suggested == set()
    # Only one licence of the product fits at all: unambiguous.
    n7 = licence(2, "7")
    assert _plan([g67], [n7]) == ({("Groep 6/7", n7.id)}, set())


def test_two_equal_licences_are_ambiguous_and_linked_groups_are_left_alone():
    g5 = group("Groep 5", "5")
    a, b = licence(1, "5"), licence(1, "5")
    assert _plan([g5], [a, b]) == (set(), {("Groep 5", (a.id, b.id))})
    # A group with any licence of the product already has it: nothing more, no suggestion.
    p4 = licence(1, "4")
    assert _plan([g5], [a, b, p4], [(a.id, g5.id)]) == (set(), set())
    # No licence of the product fits: nothing at all.
    assert _plan([group("Groep 8", "8")], [p4]) == (set(), set())


async def test_demo_links_came_from_the_auto_link_use_case(services, alex, sessions):
    school = regenboog(alex)
    # Groep 5b arrived in a later delivery; the sync linked it like its sibling Groep 5a.
    assert await links(sessions, await licence_id(sessions, school, "Pluspunt", "5")) == {
        "Groep 5a": "auto", "Groep 5b": "auto"}
    assert await links(sessions, await licence_id(sessions, school, "Kleuterplein")) == {
        "Groep 1/2a": "auto", "Groep 1/2b": "auto"}
    assert await links(sessions, await licence_id(sessions, school, "Staal", "5")) == {}
    # The 6/7 group fits Pluspunt 6 and 7: left for the coördinator.
    assert await links(sessions, await licence_id(sessions, school, "Pluspunt", "6")) == {}
    events = await audit(sessions, "auto_link")
    assert len(events) == 2 and sum(len(e["links"]) for e in events) == 17


async def test_preview_then_link_automatically(services, alex, sessions):
    school = regenboog(alex)
    before = await count(sessions, LicenceGroup)
    preview = await services.links.auto_link_preview(alex, school)
    assert not preview.applied and await count(sessions, LicenceGroup) == before
    made = {(ln.group_name, ln.licence.product_name, ln.licence.levels) for ln in preview.links}
    assert ("Groep 5a", "Staal", (5,)) in made and ("Groep 5b", "Staal", (5,)) in made
    assert ("Groep 4", "Taal actief", (4,)) in made
    assert not any(name == "Groep 6/7" for name, _, _ in made)
    # Pluspunt is linked already: by the demo's automatic linking, and 5b by the sync.
    assert [(n, lv) for n, product, lv in made if product == "Pluspunt"] == []
    suggestions = [(s.group_name, [(lic.product_name, lic.levels) for lic in s.licences])
                   for s in preview.suggestions]
    assert suggestions == [(group, [(product, (6,)), (product, (7,))]) for group, product in (
        ("Groep 6/7", "Naut"), ("Groep 6/7", "Pluspunt"), ("Groep 6/7", "Staal"),
        ("Groep 6/7", "Taal actief"))]

    result = await services.links.auto_link(alex, school)
    assert result.applied and result.links == preview.links
    assert await count(sessions, LicenceGroup) == before + len(preview.links)
    staal5 = await licence_id(sessions, school, "Staal", "5")
    assert await links(sessions, staal5) == {"Groep 5a": "auto", "Groep 5b": "auto"}
    listed = {lic.id: lic for lic in (await services.links.list_group_licences(alex, school)).licences}
    assert {g.linked_by for g in listed[staal5].linked_groups} == {None}
    event = (await audit(sessions, "auto_link"))[-1]
    assert [staal5, await _group(services, alex, school, "Groep 5a")] in event["links"]

    # Running it again links nothing more; the suggestions stay.
    again = await services.links.auto_link(alex, school)
    assert again.links == () and again.suggestions == preview.suggestions
    assert len(await audit(sessions, "auto_link")) == 3


async def _group(services, actor, school, name):
    return next(g.id for g in await services.school.list_groups(actor, school) if g.name == name)


async def test_auto_link_is_refused_for_others(services, alex, megan, sessions):
    with pytest.raises(NotAllowed):
        await services.links.auto_link(megan, regenboog(alex))
    with pytest.raises(NotAllowed):
        await services.links.auto_link_preview(megan, regenboog(alex))
    stranger = await other_school(sessions)
    with pytest.raises(NotAllowed):
        await services.links.auto_link(alex, stranger["school"])
    with pytest.raises(InvalidInput):
        await services.links.auto_link(alex, "twelve")
    with pytest.raises(InvalidInput):
        await services.links.auto_link(alex, regenboog(alex), product_codes=[1, 2])
    assert len(await audit(sessions, "auto_link", "refused")) == 2


async def _snapshot(sessions) -> tuple:
    from sqlalchemy import select

    from services.models import ChildAssignment, Group, Licence, LicenceExtraChild, Person

    async with sessions() as session:
        link_rows = (await session.execute(
            select(Licence.product_id, Licence.year_levels, Group.basispoort_key,
                   LicenceGroup.origin)
            .join(LicenceGroup, LicenceGroup.licence_id == Licence.id)
            .join(Group, Group.id == LicenceGroup.group_id))).all()
        seat_rows = (await session.execute(
            select(Licence.school_id, Person.basispoort_key)
            .join(ChildAssignment, ChildAssignment.licence_id == Licence.id)
            .join(Person, Person.id == ChildAssignment.person_id))).all()
        extra_rows = (await session.execute(
            select(Licence.year_levels, Person.basispoort_key)
            .join(LicenceExtraChild, LicenceExtraChild.licence_id == Licence.id)
            .join(Person, Person.id == LicenceExtraChild.person_id))).all()
    return sorted(map(tuple, link_rows)), sorted(map(tuple, seat_rows)), sorted(map(tuple,
                                                                                      extra_rows))


async def test_demo_is_deterministic(sessions, demo, tmp_path):
    from services.db import create_engine, create_sessions
    from services.demo import load_demo
    from tests.conftest import TODAY, create_schema

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'again.db'}")
    await create_schema(engine)
    again = create_sessions(engine)
    counts = await load_demo(again, today=TODAY)
    try:
        assert counts["auto_links"] == demo["auto_links"] == 17
        assert counts["seats"] == 19
        assert await _snapshot(again) == await _snapshot(sessions)
    finally:
        await engine.dispose()


async def test_only_the_links_of_the_agreed_preview_are_made(services, alex, sessions):
    """'Koppelen' agrees to the preview it was shown: a group that became linkable after the
    preview (say, the nightly sync added it) is not linked unseen; the next preview shows it."""
    from services.models import Group

    school = regenboog(alex)
    preview = await services.links.auto_link_preview(alex, school)
    agreed = [[link.licence.id, link.group_id] for link in preview.links]
    async with sessions.begin() as session:
        session.add(Group(school_id=school, basispoort_key="12AB-NEW", name="Groep 4b",
                          year_levels="4"))
    result = await services.links.auto_link(alex, school, confirmed=agreed)
    assert {(ln.licence.id, ln.group_id) for ln in result.links} == {tuple(p) for p in agreed}
    assert "Groep 4b" not in {ln.group_name for ln in result.links}
    staal4 = await licence_id(sessions, school, "Staal", "4")
    assert await links(sessions, staal4) == {"Groep 4": "auto"}
    later = await services.links.auto_link_preview(alex, school)
    assert {ln.group_name for ln in later.links} == {"Groep 4b"}
    for garbage in ("1,2", [[1]], [["x", 2]], [[1, 2, 3]], {"a": 1}):
        with pytest.raises(InvalidInput):
            await services.links.auto_link(alex, school, confirmed=garbage)
    assert await links(sessions, staal4) == {"Groep 4": "auto"}


async def test_chosen_rows_are_linked_with_the_proposal_in_one_transaction(services, alex,
                                                                            sessions):
    """The coördinator's choices for doubtful groups go in with the automatic links, as links
    made by hand; a proposal that no longer holds is refused whole."""
    from services.errors import Conflict

    school = regenboog(alex)
    preview = await services.links.auto_link_preview(alex, school)
    agreed = [[link.licence.id, link.group_id] for link in preview.links]
    pluspunt = next(s for s in preview.suggestions if s.licences[0].product_name == "Pluspunt")
    p6, p7 = (lic.id for lic in pluspunt.licences)
    before = await count(sessions, LicenceGroup)
    # Two licences of one method for one group: garbage, nothing made.
    with pytest.raises(InvalidInput):
        await services.links.auto_link(alex, school, confirmed=agreed,
                                       chosen=[[p6, pluspunt.group_id], [p7, pluspunt.group_id]])
    # A licence that was never offered for the group: refused, nothing made.
    staal5 = await licence_id(sessions, school, "Staal", "5")
    with pytest.raises(Conflict):
        await services.links.auto_link(alex, school, confirmed=agreed,
                                       chosen=[[staal5, pluspunt.group_id]])
    assert await count(sessions, LicenceGroup) == before

    result = await services.links.auto_link(alex, school, confirmed=agreed,
                                            chosen=[[str(p6), pluspunt.group_id]])
    assert [(c.group_name, c.licence.id) for c in result.chosen] == [("Groep 6/7", p6)]
    assert pluspunt.group_id not in {s.group_id for s in result.suggestions
                                     if s.licences[0].product_name == "Pluspunt"}
    assert len(result.suggestions) == len(preview.suggestions) - 1
    assert await count(sessions, LicenceGroup) == before + len(agreed) + 1
    assert await links(sessions, p6) == {"Groep 6/7": "manual"}
    event = (await audit(sessions, "auto_link"))[-1]
    assert event["chosen"] == [[p6, pluspunt.group_id]]

    # The same proposal again: its links exist now, so it is stale and changes nothing.
    with pytest.raises(Conflict):
        await services.links.auto_link(alex, school, confirmed=agreed)
    assert await count(sessions, LicenceGroup) == before + len(agreed) + 1


async def _koppelen_twice_at_once(services, alex, sessions):
    """Two clicks on one proposal's 'Koppelen' (two processes, two chats) race: the proposal is
    made once; the other is told it no longer holds and adds nothing."""
    import asyncio

    from services.errors import Conflict

    school = regenboog(alex)
    preview = await services.links.auto_link_preview(alex, school)
    agreed = [[link.licence.id, link.group_id] for link in preview.links]
    row = preview.suggestions[0]
    chosen = [[row.licences[0].id, row.group_id]]
    before = await count(sessions, LicenceGroup)
    results = await asyncio.gather(
        *(services.links.auto_link(alex, school, confirmed=agreed, chosen=chosen)
          for _ in range(2)), return_exceptions=True)
    made = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(made) == 1 and len(refused) == 1, results
    assert await count(sessions, LicenceGroup) == before + len(agreed) + 1
    assert len(await audit(sessions, "auto_link")) == 3  # the demo's two, and this one


async def test_koppelen_twice_at_once_links_once(services, alex, sessions):
    await _koppelen_twice_at_once(services, alex, sessions)


@needs_pg
async def test_koppelen_twice_at_once_on_postgresql(pg_url):
    """PostgreSQL runs both transactions truly in parallel: the unique link decides."""
    async with demo_on_postgresql(pg_url) as (services, alex, sessions):
        await _koppelen_twice_at_once(services, alex, sessions)
