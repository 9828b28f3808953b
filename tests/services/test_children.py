"""Children of other groups on group licences (rule 6) and the teacher reminder (rule 7)."""

from __future__ import annotations

import asyncio

import pytest

import services.shared.licences as shared_licences
from services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from services.models import LicenceExtraChild
from tests.licence_tasks_support import (
    audit,
    count,
    extra_children,
    group_id,
    licence_id,
    mark_left,
    other_school,
    pupils_of,
    regenboog,
)


async def test_overview_lists_group_licences_with_their_extra_children(services, alex, sessions):
    school = regenboog(alex)
    overview = (await services.extra_children.children_overview(alex, school)).licences
    labels = [(o.licence.product_name, o.licence.levels) for o in overview]
    assert ("Pluspunt", (5,)) in labels and ("Staal", (3,)) in labels
    assert all(o.licence.model == "group" for o in overview)
    assert labels == sorted(labels, key=lambda x: (x[0].lower(), x[1]))
    counts = {(o.licence.product_name, o.licence.levels): o.child_count for o in overview}
    assert counts[("Pluspunt", (5,))] == 1  # the demo's child of Groep 4
    assert sum(counts.values()) == 1
    assert (await services.extra_children.children_overview(alex, school, "2025-2026")).licences == ()


async def test_tab_shows_the_extra_child_with_its_own_group(services, alex, sessions):
    school = regenboog(alex)
    pluspunt5 = await licence_id(sessions, school, "Pluspunt", "5")
    tab = await services.extra_children.extra_children(alex, pluspunt5)
    assert [(c.child.name, c.child.group_name) for c in tab.children.items] == [
        ((await pupils_of(sessions, school, "Groep 4"))[0][1], "Groep 4")]
    assert {g.group_name for g in tab.licence.linked_groups} == {"Groep 5a", "Groep 5b"}


async def test_groups_to_pick_from_leave_out_the_linked_groups(services, alex, sessions):
    school = regenboog(alex)
    options = await services.extra_children.child_groups(alex, await licence_id(sessions, school, "Pluspunt", "5"))
    names = [g.name for g in options.groups]
    assert "Groep 5a" not in names  # linked: its children have the licence already
    assert "Groep 5b" not in names  # linked by the sync when it arrived
    assert "Groep 4" in names
    assert names[:3] == ["Groep 1/2a", "Groep 1/2b", "Groep 3"]


async def test_candidates_of_a_group_and_of_a_name_search(services, alex, sessions):
    school = regenboog(alex)
    pluspunt5 = await licence_id(sessions, school, "Pluspunt", "5")
    group4 = await group_id(sessions, school, "Groep 4")
    on_it = (await pupils_of(sessions, school, "Groep 4"))[0]
    found = await services.extra_children.child_candidates(alex, pluspunt5, group4)
    ids = {c.id for c in found.candidates.items}
    assert on_it[0] not in ids and found.already_on == 1
    assert len(ids) == len(await pupils_of(sessions, school, "Groep 4")) - 1
    assert found.group.name == "Groep 4" and found.candidates.page_count == 1

    # A name search over the whole school leaves out the children of the linked group 5a.
    search = await services.extra_children.child_candidates(alex, pluspunt5, None, "de vries")
    assert search.group is None
    names = {(c.name, c.group_name) for c in search.candidates.items}
    assert ("Finn de Vries", "Groep 3") in names
    assert not any(g == "Groep 5a" for _, g in names)
    assert ("Sanne de Vries", "Groep 5a") not in names

    narrowed = await services.extra_children.child_candidates(alex, pluspunt5, group4, "zzz-nobody")
    assert narrowed.candidates.total == 0


async def test_candidates_are_paged(services, alex, sessions):
    school = regenboog(alex)
    pluspunt5 = await licence_id(sessions, school, "Pluspunt", "5")
    everyone = await services.extra_children.child_candidates(alex, pluspunt5, None, "e")
    assert everyone.candidates.page_count > 1 and len(everyone.candidates.items) == 30
    last = await services.extra_children.child_candidates(alex, pluspunt5, None, "e", everyone.candidates.page_count)
    assert 0 < len(last.candidates.items) <= 30
    beyond = await services.extra_children.child_candidates(alex, pluspunt5, None, "e", 999)
    assert beyond.candidates.page == everyone.candidates.page_count


async def test_add_children_with_a_reminder_for_their_teachers(services, alex, sessions):
    school = regenboog(alex)
    staal6 = await licence_id(sessions, school, "Staal", "6")
    children = (await pupils_of(sessions, school, "Groep 3"))[:2]
    preview = await services.extra_children.preview_add_extra_children(alex, staal6, f"{children[0][0]},"
                                                                       f"{children[1][0]}")
    assert {c.name for c in preview.children} == {n for _, n in children}
    assert await extra_children(sessions, staal6) == set()

    result = await services.extra_children.add_extra_children(alex, staal6, [c for c, _ in children])
    assert {c.name for c in result.added} == {n for _, n in children}
    assert await extra_children(sessions, staal6) == {c for c, _ in children}
    reminder = result.reminder
    assert (reminder.product_name, reminder.kind) == ("Staal", "papier")
    assert {line.group_name for line in reminder.lines} == {"Groep 3"}
    assert all(len(line.teacher_names) == 1 for line in reminder.lines)
    [event] = await audit(sessions, "add_extra_children")
    assert set(event["child_ids"]) == {c for c, _ in children} and event["licence_id"] == staal6
    tab = await services.extra_children.extra_children(alex, staal6)
    assert tab.children.items[0].by == "Alex Wilber"


async def test_digital_product_reminds_of_the_lesson_week(services, alex, sessions):
    school = regenboog(alex)
    pluspunt6 = await licence_id(sessions, school, "Pluspunt", "6")
    child = (await pupils_of(sessions, school, "Groep 5a"))[0][0]
    result = await services.extra_children.add_extra_children(alex, pluspunt6, [child])
    assert result.reminder.kind == "digitaal"
    assert result.reminder.lines[0].group_name == "Groep 5a"
    assert result.reminder.lines[0].teacher_names == ("Megan Bowen",)


async def test_already_on_left_other_school_and_linked_group_change_nothing(
        services, alex, sessions):
    school = regenboog(alex)
    pluspunt5 = await licence_id(sessions, school, "Pluspunt", "5")
    on_it = (await pupils_of(sessions, school, "Groep 4"))[0][0]
    fresh = (await pupils_of(sessions, school, "Groep 4"))[1][0]
    before = await count(sessions, LicenceExtraChild)

    with pytest.raises(Conflict) as already:
        await services.extra_children.add_extra_children(alex, pluspunt5, [fresh, on_it])
    assert already.value.code == "error.child_already_on"
    with pytest.raises(Conflict) as covered:
        await services.extra_children.add_extra_children(
            alex, pluspunt5, [(await pupils_of(sessions, school, "Groep 5a"))[0][0]])
    assert covered.value.code == "error.child_has_access"
    assert covered.value.params["group"] == "Groep 5a"

    await mark_left(sessions, fresh)
    with pytest.raises(Conflict) as left:
        await services.extra_children.preview_add_extra_children(alex, pluspunt5, [fresh])
    assert left.value.code == "error.child_left"

    stranger = await other_school(sessions)
    with pytest.raises(NotAllowed) as other:
        await services.extra_children.add_extra_children(alex, pluspunt5, [stranger["pupil"]])
    assert other.value.code == "error.child_other_school"
    assert await audit(sessions, "add_extra_children", "refused")
    with pytest.raises(NotAllowed):
        await services.extra_children.add_extra_children(alex, stranger["group_licence"], [fresh])
    with pytest.raises(NotFound):
        await services.extra_children.add_extra_children(alex, pluspunt5, [999_999])
    assert await count(sessions, LicenceExtraChild) == before


@pytest.mark.parametrize("bad", ["", "abc", "1,x", [True], {"a": 1}, None, "-3", [0]])
async def test_garbled_child_lists_are_refused(services, alex, sessions, bad):
    school = regenboog(alex)
    pluspunt5 = await licence_id(sessions, school, "Pluspunt", "5")
    with pytest.raises(InvalidInput):
        await services.extra_children.preview_add_extra_children(alex, pluspunt5, bad)
    with pytest.raises(InvalidInput):
        await services.extra_children.add_extra_children(alex, pluspunt5, bad)


async def test_wrong_licence_kind_and_garbled_ids(services, alex, sessions):
    school = regenboog(alex)
    bingel = await licence_id(sessions, school, "Bingel")
    child = (await pupils_of(sessions, school, "Groep 3"))[0][0]
    with pytest.raises(NotFound):
        await services.extra_children.add_extra_children(alex, bingel, [child])
    with pytest.raises(NotFound):
        await services.extra_children.extra_children(alex, bingel)
    with pytest.raises(InvalidInput):
        await services.extra_children.extra_children(alex, "1 OR 1=1")
    with pytest.raises(InvalidInput):
        await services.extra_children.extra_children(alex, await licence_id(sessions, school, "Pluspunt", "5"),
                                                     "two")
    with pytest.raises(InvalidInput):
        await services.child_licences.child_candidates(alex, bingel)  # neither a group nor a name
    with pytest.raises(InvalidInput):
        await services.child_licences.child_candidates(alex, bingel, None, "x" * 101)
    with pytest.raises(InvalidInput):
        await services.child_licences.child_candidates(alex, bingel, None, ["a"])


async def test_teachers_and_strangers_are_refused(services, megan, alex, sessions):
    school = regenboog(alex)
    pluspunt5 = await licence_id(sessions, school, "Pluspunt", "5")
    child = (await pupils_of(sessions, school, "Groep 3"))[0][0]
    for call in (services.extra_children.children_overview(megan, school),
                 services.extra_children.extra_children(megan, pluspunt5),
                 services.extra_children.child_groups(megan, pluspunt5),
                 services.extra_children.child_candidates(megan, pluspunt5, None, "a"),
                 services.extra_children.add_extra_children(megan, pluspunt5, [child]),
                 services.extra_children.remove_extra_child(megan, pluspunt5, child)):
        with pytest.raises(NotAllowed):
            await call
    stranger = await other_school(sessions)
    with pytest.raises(NotAllowed):
        await services.extra_children.child_candidates(alex, pluspunt5, stranger["group"])
    with pytest.raises(NotAllowed):
        await services.extra_children.children_overview(alex, stranger["school"])
    assert len(await audit(sessions, "add_extra_children", "refused")) == 1


async def test_remove_an_extra_child_and_a_second_time(services, alex, sessions):
    school = regenboog(alex)
    pluspunt5 = await licence_id(sessions, school, "Pluspunt", "5")
    child, name = (await pupils_of(sessions, school, "Groep 4"))[0]
    preview = await services.extra_children.preview_remove_extra_child(alex, pluspunt5, child)
    assert (preview.child.name, preview.child.group_name) == (name, "Groep 4")
    removed = await services.extra_children.remove_extra_child(alex, pluspunt5, child)
    assert removed.was_on and await extra_children(sessions, pluspunt5) == set()
    again = await services.extra_children.remove_extra_child(alex, pluspunt5, str(child))
    assert not again.was_on
    with pytest.raises(Conflict):
        await services.extra_children.preview_remove_extra_child(alex, pluspunt5, child)
    assert len(await audit(sessions, "remove_extra_child")) == 1
    stranger = await other_school(sessions)
    with pytest.raises(NotAllowed):
        await services.extra_children.remove_extra_child(alex, pluspunt5, stranger["pupil"])
    with pytest.raises(NotFound):
        await services.extra_children.remove_extra_child(alex, pluspunt5, 999_999)
    with pytest.raises(InvalidInput):
        await services.extra_children.remove_extra_child(alex, pluspunt5, "x")


async def test_two_coordinators_adding_the_same_child_at_once(services, alex, sessions):
    """A double click or two coördinatoren: the child is on the licence once."""
    school = regenboog(alex)
    staal7 = await licence_id(sessions, school, "Staal", "7")
    child = (await pupils_of(sessions, school, "Groep 8"))[0][0]

    async def add():
        try:
            return await services.extra_children.add_extra_children(alex, staal7, [child])
        except Conflict as error:
            return error

    results = await asyncio.gather(*(add() for _ in range(8)))
    assert sum(not isinstance(r, Conflict) for r in results) == 1
    assert all(r.code == "error.child_already_on" for r in results if isinstance(r, Conflict))
    assert await extra_children(sessions, staal7) == {child}


async def test_a_failure_halfway_rolls_everything_back(services, alex, sessions, monkeypatch):
    school = regenboog(alex)
    staal7 = await licence_id(sessions, school, "Staal", "7")
    children = [c for c, _ in (await pupils_of(sessions, school, "Groep 8"))[:3]]

    async def broken(*args, **kwargs):
        raise RuntimeError("the reminder broke")

    monkeypatch.setattr(shared_licences, "reminder", broken)
    with pytest.raises(RuntimeError):
        await services.extra_children.add_extra_children(alex, staal7, children)
    assert await extra_children(sessions, staal7) == set()
    assert await audit(sessions, "add_extra_children") == []


async def test_before_2022_no_children_of_other_groups(services, alex, sessions):
    from services.models import Licence

    school = regenboog(alex)
    staal7 = await licence_id(sessions, school, "Staal", "7")
    async with sessions.begin() as session:
        (await session.get(Licence, staal7)).school_year = "2021-2022"
    child = (await pupils_of(sessions, school, "Groep 8"))[0][0]
    with pytest.raises(Conflict) as refused:
        await services.extra_children.add_extra_children(alex, staal7, [child])
    assert refused.value.code == "error.extra_children_since"


async def test_looking_and_previewing_do_not_wait_for_the_sqlite_write_lock(
        services, alex, sessions):
    """Every reading use case of the licence tasks answers while another transaction holds the
    write lock (a long assignment elsewhere must not freeze every coördinator's lists)."""
    from sqlalchemy import text

    school = regenboog(alex)
    pluspunt5 = await licence_id(sessions, school, "Pluspunt", "5")
    bingel = await licence_id(sessions, school, "Bingel")
    group4 = await group_id(sessions, school, "Groep 4")
    extra = (await pupils_of(sessions, school, "Groep 4"))[0][0]
    fresh = (await pupils_of(sessions, school, "Groep 8"))[0][0]
    reads = [
        services.extra_children.children_overview(alex, school),
        services.extra_children.extra_children(alex, pluspunt5),
        services.extra_children.child_groups(alex, pluspunt5),
        services.extra_children.child_candidates(alex, pluspunt5, group4),
        services.extra_children.preview_add_extra_children(alex, pluspunt5, [fresh]),
        services.extra_children.preview_remove_extra_child(alex, pluspunt5, extra),
        services.child_licences.list_child_licences(alex, school),
        services.child_licences.child_licence(alex, bingel),
        services.child_licences.preview_assign_children(alex, bingel, [fresh]),
        services.helpdesk.ticket_form(alex, bingel),
        services.links.auto_link_preview(alex, school),
        services.links.resolve_link_shortcut(alex, school, "groep 5b", "staal"),
        services.extra_children.children_shortcut(alex, school, "taal actief"),
        services.school.find_pupil(alex, school, "Sanne de Vries"),
    ]
    async with sessions.begin() as writer:
        await writer.execute(text("UPDATE schools SET city = city"))  # holds the write lock now
        for read in reads:
            assert await asyncio.wait_for(read, timeout=5)
