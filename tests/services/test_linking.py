"""Group licences and links: use cases, permissions, stale ids and rollback."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, update

from services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from services.models import AuditEvent, Group, LicenceGroup
from services.shared.licences import (
    licence_columns,
    licence_dtos,
    licence_list,
    licence_query,
    licence_rows,
)
from tests.conftest import needs_pg
from tests.licence_tasks_support import demo_on_postgresql


async def _licence(services, actor, school_id, product, level):
    licences = (await services.links.list_group_licences(actor, school_id)).licences
    return next(lic for lic in licences if lic.product_name == product and lic.levels == (level,))


async def _group(services, actor, school_id, name):
    return next(g for g in await services.school.list_groups(actor, school_id) if g.name == name)


async def test_licences_of_the_current_year_with_links(services, alex):
    school_id = alex.coordinator_of[1].id
    licences = (await services.links.list_group_licences(alex, school_id)).licences
    assert {lic.school_year for lic in licences} == {"2026-2027"}
    assert all(lic.model == "group" for lic in licences)
    pluspunt5 = await _licence(services, alex, school_id, "Pluspunt", 5)
    assert {g.group_name for g in pluspunt5.linked_groups} == {"Groep 5a", "Groep 5b"}
    assert {g.origin for g in pluspunt5.linked_groups} == {"auto"}
    assert not ((await services.links.list_group_licences(alex, school_id, "2025-2026")).licences)


async def test_the_licence_list_read_as_rows_says_what_loaded_licences_say(
        services, alex, sessions):
    """licence_list (Core rows, for the cards read most) and licence_dtos (from loaded
    licences, in the use cases that change them) give the same result for every licence:
    who linked each group, only live groups, in year order."""
    school_id = alex.coordinator_of[1].id
    staal5 = await _licence(services, alex, school_id, "Staal", 5)
    a = await _group(services, alex, school_id, "Groep 5a")
    b = await _group(services, alex, school_id, "Groep 5b")
    await services.links.link_groups(alex, staal5.id, [b.id, a.id])
    async with sessions.begin() as session:  # a group Basispoort no longer delivers
        await session.execute(update(Group).where(Group.id == b.id).values(deleted_at=func.now()))
    async with sessions() as session:
        loaded = await licence_dtos(session, (await session.scalars(licence_query())).all())
        rows = await licence_list(session, licence_rows())
        few = await licence_list(session, licence_rows(licence_columns.id == staal5.id))
    assert len(rows) == len(loaded) > 20
    assert sorted(rows, key=lambda d: d.id) == sorted(loaded, key=lambda d: d.id)
    [staal] = few
    assert [(g.group_name, g.linked_by) for g in staal.linked_groups] == [
        ("Groep 5a", "Alex Wilber")]
    assert any(g.linked_by is None for d in rows for g in d.linked_groups)
    assert any(len(d.linked_groups) > 1 for d in rows)


async def test_link_options_fitting_groups_first(services, alex):
    school_id = alex.coordinator_of[1].id
    staal6 = await _licence(services, alex, school_id, "Staal", 6)
    options = await services.links.link_options(alex, staal6.id)
    fitting = [g.name for g in options.groups if g.fits]
    assert fitting == ["Groep 6/7"]
    assert options.groups[0].name == "Groep 6/7"
    assert len(options.groups) == 9


async def test_link_and_unlink(services, alex, sessions):
    school_id = alex.coordinator_of[1].id
    staal5 = await _licence(services, alex, school_id, "Staal", 5)
    a = await _group(services, alex, school_id, "Groep 5a")
    b = await _group(services, alex, school_id, "Groep 5b")
    preview = await services.links.preview_link(alex, staal5.id, f"{a.id},{b.id}")
    assert [g.name for g in preview.to_link] == ["Groep 5a", "Groep 5b"]
    result = await services.links.link_groups(alex, staal5.id, [a.id, str(b.id)])
    assert result.linked == ("Groep 5a", "Groep 5b")
    assert {(g.group_name, g.origin, g.linked_by) for g in result.licence.linked_groups} == {
        ("Groep 5a", "manual", "Alex Wilber"), ("Groep 5b", "manual", "Alex Wilber")}
    # A double click links nothing twice.
    again = await services.links.link_groups(alex, staal5.id, [a.id])
    assert again.linked == () and again.already_linked == ("Groep 5a",)
    with pytest.raises(Conflict):
        await services.links.preview_link(alex, staal5.id, [a.id])

    unlinked = await services.links.unlink_group(alex, staal5.id, a.id)
    assert unlinked.was_linked and [g.group_name for g in unlinked.licence.linked_groups] == [
        "Groep 5b"]
    twice = await services.links.unlink_group(alex, staal5.id, a.id)
    assert not twice.was_linked
    async with sessions() as session:
        actions = (await session.scalars(
            select(AuditEvent.action).where(AuditEvent.outcome == "ok"))).all()
    assert actions.count("link_groups") == 1 and actions.count("unlink_group") == 1


async def test_group_of_other_school_cannot_be_linked(services, alex, sessions):
    regenboog, kompas = alex.coordinator_of[1].id, alex.coordinator_of[0].id
    staal5 = await _licence(services, alex, regenboog, "Staal", 5)
    own = await _group(services, alex, regenboog, "Groep 5a")
    foreign = await _group(services, alex, kompas, "Groep 5")
    async with sessions() as session:
        before = await session.scalar(select(func.count(LicenceGroup.id)))
    with pytest.raises(NotAllowed):
        await services.links.link_groups(alex, staal5.id, [own.id, foreign.id])
    async with sessions() as session:
        assert await session.scalar(select(func.count(LicenceGroup.id))) == before


async def test_teacher_cannot_link(services, alex, megan):
    regenboog = alex.coordinator_of[1].id
    staal5 = await _licence(services, alex, regenboog, "Staal", 5)
    group = await _group(services, alex, regenboog, "Groep 5a")
    with pytest.raises(NotAllowed):
        await services.links.link_groups(megan, staal5.id, [group.id])
    with pytest.raises(NotAllowed):
        await services.links.list_group_licences(megan, regenboog)


async def test_stale_ids(services, alex, sessions):
    regenboog = alex.coordinator_of[1].id
    staal5 = await _licence(services, alex, regenboog, "Staal", 5)
    group = await _group(services, alex, regenboog, "Groep 5a")
    async with sessions.begin() as session:
        (await session.get(Group, group.id)).deleted_at = func.now()
    with pytest.raises(NotFound):
        await services.links.link_groups(alex, staal5.id, [group.id])
    with pytest.raises(NotFound):
        await services.links.link_groups(alex, 99999, [group.id])
    with pytest.raises(InvalidInput):
        await services.links.link_groups(alex, staal5.id, "")
    with pytest.raises(InvalidInput):
        await services.links.link_groups(alex, staal5.id, "1,x")


async def test_failure_halfway_rolls_back(services, alex, sessions, monkeypatch):
    regenboog = alex.coordinator_of[1].id
    staal5 = await _licence(services, alex, regenboog, "Staal", 5)
    a = await _group(services, alex, regenboog, "Groep 5a")
    b = await _group(services, alex, regenboog, "Groep 5b")

    def broken_audit(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.links.ctx, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        await services.links.link_groups(alex, staal5.id, [a.id, b.id])
    monkeypatch.undo()
    assert not (await _licence(services, alex, regenboog, "Staal", 5)).linked_groups


async def _unlink_race(services, alex, sessions) -> None:
    regenboog = alex.coordinator_of[1].id
    pluspunt5 = await _licence(services, alex, regenboog, "Pluspunt", 5)
    group = await _group(services, alex, regenboog, "Groep 5a")
    results = await asyncio.gather(*(services.links.unlink_group(alex, pluspunt5.id, group.id)
                                     for _ in range(5)))
    assert sum(r.was_linked for r in results) == 1
    async with sessions() as session:
        audited = await session.scalar(select(func.count(AuditEvent.id))
                                       .where(AuditEvent.action == "unlink_group"))
    assert audited == 1


async def test_simultaneous_unlinks_remove_and_audit_once(services, alex, sessions):
    await _unlink_race(services, alex, sessions)


@needs_pg
async def test_simultaneous_unlinks_on_postgresql(pg_url):
    """PostgreSQL runs the five transactions truly in parallel: only the row count decides."""
    async with demo_on_postgresql(pg_url) as (services, alex, sessions):
        await _unlink_race(services, alex, sessions)
