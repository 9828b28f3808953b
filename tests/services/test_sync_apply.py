"""The sync applying valid deliveries: loads, every kind of change, the consequences for
licences and codes, idempotence, atomicity and the coördinatoren's outbox."""

from __future__ import annotations

import copy
import json
import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bench.sync_data import delta, generate, group, pupil, staff, write
from services.actor import Actor
from services.demo import FIRST_DELIVERIES, LATER_DELIVERY, delivery
from services.models import (
    ROLE_COORDINATOR,
    ROLE_PUPIL,
    ROLE_TEACHER,
    RUN_APPLIED,
    RUN_REJECTED,
    RUN_UNCHANGED,
    ChildAssignment,
    Group,
    GroupMember,
    Licence,
    LicenceExtraChild,
    LicenceGroup,
    Person,
    Product,
    PupilCredential,
    Role,
    School,
    SyncRun,
)
from services.registry import Services
from services.secrets import SecretBox
from services.shared.bulk import COPY_FROM
from services.sync import changes as c
from services.sync import parse_delivery
from services.sync import service as sync_service
from services.sync.apply import SnapshotApplier
from tests.conftest import TEST_KEY, fixed_clock
from tests.sync_support import (
    FORMATS,
    apply,
    base_school,
    changes_of,
    dump,
    group_licence,
    kinds,
    outbox,
    sync_sessions,  # noqa: F401  (the `sessions` fixture: SQLite, and PostgreSQL)
)

P = "56EF00"


async def roles_at(sessions, brin: str) -> dict[str, set[str]]:
    async with sessions() as session:
        rows = (await session.execute(
            select(Role.role, Person.basispoort_key).join(Person, Person.id == Role.person_id)
            .join(School, School.id == Role.school_id).where(School.brin == brin))).all()
    out: dict[str, set[str]] = {}
    for role, key in rows:
        out.setdefault(role, set()).add(key)
    return out


async def members_of(sessions, brin: str) -> dict[str, set[str]]:
    """Group key -> the keys of its members (pupils and teachers) at the school."""
    async with sessions() as session:
        rows = (await session.execute(
            select(Group.basispoort_key, Person.basispoort_key)
            .join(GroupMember, GroupMember.group_id == Group.id)
            .join(Person, Person.id == GroupMember.person_id)
            .join(School, School.id == Group.school_id).where(School.brin == brin))).all()
    out: dict[str, set[str]] = {}
    for group_key, person_key in rows:
        out.setdefault(group_key, set()).add(person_key)
    return out


async def person(sessions, key: str) -> Person:
    async with sessions() as session:
        return await session.scalar(select(Person).where(Person.basispoort_key == key))


# -- loading ------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
async def test_a_first_delivery_loads_an_empty_database_and_notifies_nobody(
        services, sessions, fmt):
    result = await apply(services, base_school(), fmt)
    assert result.status == RUN_APPLIED, result.report
    roles = await roles_at(sessions, "56EF")
    assert roles[ROLE_PUPIL] == {f"{P}-P{n}" for n in range(1, 7)}
    assert roles[ROLE_TEACHER] == {f"{P}-T1", f"{P}-T2"}
    # Only the JSON delivery carries roles; EDEXML has no coördinator.
    assert roles.get(ROLE_COORDINATOR, set()) == ({f"{P}-C"} if fmt == "json" else set())
    assert (await members_of(sessions, "56EF"))[f"{P}-G67"] == {f"{P}-P5", f"{P}-P6",
                                                                 f"{P}-T2"}
    found = kinds(await changes_of(sessions, result.run_id))
    assert found[c.GROUP_ADDED] == ["Groep 3", "Groep 5", "Groep 6/7"]
    assert len(found[c.PUPIL_ADDED]) == 6
    assert await outbox(sessions) == []
    assert result.notified == 0


@pytest.mark.parametrize("fmt", FORMATS)
async def test_the_same_delivery_twice_is_a_no_op(services, sessions, fmt):
    await apply(services, base_school(), fmt)
    before = await dump(sessions)
    again = await apply(services, base_school(), fmt, source="nog-eens")
    assert again.status == RUN_UNCHANGED and again.counts == {} and again.notified == 0
    assert await changes_of(sessions, again.run_id) == []
    assert await dump(sessions) == before
    assert await outbox(sessions) == []


@pytest.mark.parametrize("fmt", FORMATS)
async def test_the_same_file_again_is_recognised_without_being_read(
        services, sessions, fmt, monkeypatch):
    body = write(base_school(), fmt)
    await services.sync.apply_delivery(body, "maandag")
    before = await dump(sessions)
    parsed = []
    original = sync_service.parse_delivery
    monkeypatch.setattr(sync_service, "parse_delivery",
                        lambda *a, **k: parsed.append(a[1]) or original(*a, **k))
    again = await services.sync.apply_delivery(body, "dinsdag")
    assert parsed == []
    assert (again.status, again.counts, again.notified) == (RUN_UNCHANGED, {}, 0)
    assert (again.brin, again.vestiging, again.school_name) == ("56EF", "00", "OBS De Test")
    async with sessions() as session:
        runs = (await session.scalars(select(SyncRun.source).order_by(SyncRun.id))).all()
    assert runs == ["maandag", "dinsdag"]  # both nights are recorded
    assert await dump(sessions) == before
    # One byte more is another file: read in full, and found unchanged by its content.
    assert (await services.sync.apply_delivery(body + b"\n", "woensdag")).status == RUN_UNCHANGED
    assert parsed == ["woensdag"]


async def test_an_older_file_again_is_applied_again(services, sessions):
    """Monday's file, Tuesday's, then Monday's once more: the last is no repeat of the last
    applied file, so it is read and undoes Tuesday's changes."""
    monday = write(base_school(), "json")
    await services.sync.apply_delivery(monday, "maandag")
    members = await members_of(sessions, "56EF")
    assert (await apply(services, next_night(base_school()), "json")).status == RUN_APPLIED
    assert await members_of(sessions, "56EF") != members
    back = await services.sync.apply_delivery(monday, "maandag-opnieuw")
    assert back.status == RUN_APPLIED and back.counts
    assert await members_of(sessions, "56EF") == members


async def test_the_same_file_in_another_school_year_is_read_again(sessions):
    """Validation accepts this school year and the next: a year on, the same bytes are read
    and checked again instead of being recognised."""
    body = write(base_school(), "json")
    services = Services.build(sessions, clock=fixed_clock, secrets=SecretBox(TEST_KEY))
    assert (await services.sync.apply_delivery(body, "nu")).status == RUN_APPLIED
    before = await dump(sessions)
    in_july = Services.build(sessions, clock=lambda: datetime(2027, 7, 31, 10, tzinfo=UTC),
                             secrets=SecretBox(TEST_KEY))
    assert (await in_july.sync.apply_delivery(body, "juli")).status == RUN_UNCHANGED
    two_years_on = Services.build(sessions, clock=lambda: datetime(2028, 9, 1, 10, tzinfo=UTC),
                                  secrets=SecretBox(TEST_KEY))
    late = await two_years_on.sync.apply_delivery(body, "later")
    assert late.status == RUN_REJECTED and "schooljaar" in late.report.lower()
    assert await dump(sessions) == before


@pytest.mark.parametrize("fmt", FORMATS)
async def test_the_same_content_in_another_order_is_a_no_op(services, sessions, fmt):
    data = base_school()
    data["staf"][1]["groepen"].reverse()
    await apply(services, data, fmt)
    before = await dump(sessions)
    shuffled = copy.deepcopy(data)
    random.Random(3).shuffle(shuffled["leerlingen"])
    shuffled["groepen"].reverse()
    shuffled["staf"].reverse()
    shuffled["staf"][1]["groepen"].reverse()
    assert (parse_delivery(write(shuffled, fmt), "b").digest()
            == parse_delivery(write(data, fmt), "a").digest())
    again = await apply(services, shuffled, fmt)
    assert again.status == RUN_UNCHANGED
    assert await dump(sessions) == before


@pytest.mark.parametrize("fmt", FORMATS)
async def test_a_delivery_loads_onto_the_demo_without_touching_its_schools(
        services, sessions, demo, fmt):
    async with sessions() as session:
        demo_groups = (await session.execute(
            select(Group.id, Group.name, Group.year_levels, Group.deleted_at)
            .order_by(Group.id))).all()
    result = await apply(services, base_school(), fmt)
    assert result.status == RUN_APPLIED
    async with sessions() as session:
        groups = (await session.execute(
            select(Group.id, Group.name, Group.year_levels, Group.deleted_at)
            .order_by(Group.id))).all()
    assert groups[:len(demo_groups)] == demo_groups
    assert len(groups) == len(demo_groups) + 3


async def test_the_shipped_demo_deliveries_again_change_nothing(services, sessions, demo):
    before = await dump(sessions)
    # The latest delivery of each demo school (De Regenboog's later one replaced its first).
    for name in (FIRST_DELIVERIES[1], LATER_DELIVERY):
        result = await services.sync.apply_delivery(delivery(name, "2026-2027"), name)
        assert result.status == RUN_UNCHANGED, (name, result.counts)
    assert await dump(sessions) == before


# -- every kind of change -----------------------------------------------------------------------
def next_night(data: dict) -> dict:
    """Groep 3 removed (Sanne moves to Groep 5, Daan leaves), Groep 5 renamed, Groep 6/7 now
    only year 7, Groep 8 new with a new pupil, Julia moved to Groep 5, Marieke (Groep 3's
    teacher) left, Joost now teaches Groep 5 and 8, a new teacher, another coördinator."""
    new = copy.deepcopy(data)
    new["groepen"] = [group(f"{P}-G5", "Groep 5a", "5"), group(f"{P}-G67", "Groep 6/7", "7"),
                      group(f"{P}-G8", "Groep 8", "8")]
    pupils = {p["key"]: p for p in new["leerlingen"]}
    pupils[f"{P}-P1"]["groep"] = f"{P}-G5"
    del pupils[f"{P}-P2"]
    pupils[f"{P}-P5"]["groep"] = f"{P}-G5"
    pupils[f"{P}-P7"] = pupil(f"{P}-P7", "Tess", "Kok", f"{P}-G8", "8")
    new["leerlingen"] = list(pupils.values())
    new["staf"] = [
        staff(f"{P}-T2", "Joost", "Meijer", f"j.meijer@{P.lower()}.nl",
              (f"{P}-G5", f"{P}-G8", f"{P}-G67")),
        staff(f"{P}-T3", "Karin", "Wit", f"k.wit@{P.lower()}.nl", (f"{P}-G8",)),
        staff(f"{P}-C2", "Erik", "Postma", f"ict2@{P.lower()}.nl", (), ("ICTCoordinator",)),
    ]
    new["staf"][0]["groepen"] = [f"{P}-G5", f"{P}-G8"]
    return new


@pytest.mark.parametrize("fmt", FORMATS)
async def test_every_kind_of_change_is_recorded(services, sessions, fmt):
    await apply(services, base_school(), fmt)
    if fmt == "edexml":  # EDEXML has no roles: Malmberg's operator names the coördinator
        await services.sync.assign_coordinator(Actor.operator(), "56EF", "00",
                                               f"j.meijer@{P.lower()}.nl")
    result = await apply(services, next_night(base_school()), fmt)
    assert result.status == RUN_APPLIED
    changes = await changes_of(sessions, result.run_id)
    found = kinds(changes)
    expected = {
        c.GROUP_ADDED: ["Groep 8"], c.GROUP_REMOVED: ["Groep 3"],
        c.GROUP_RENAMED: ["Groep 5a"], c.GROUP_LEVELS: ["Groep 6/7"],
        c.PUPIL_ADDED: ["Tess Kok"], c.PUPIL_LEFT: ["Daan Jansen"],
        c.PUPIL_MOVED: ["Julia Öztürk", "Sanne de Vries"],
        c.TEACHER_ADDED: ["Karin Wit"], c.TEACHER_LEFT: ["Marieke Visser"],
        c.TEACHER_GROUPS: ["Joost Meijer"],
    }
    if fmt == "json":
        expected[c.COORDINATOR_ADDED] = ["Erik Postma"]
        expected[c.COORDINATOR_REMOVED] = ["Ingrid Bos"]
    assert found == expected
    details = {(kind, subject): detail for kind, subject, detail in changes}
    assert details[(c.GROUP_RENAMED, "Groep 5a")] == {"previous": "Groep 5"}
    assert details[(c.GROUP_LEVELS, "Groep 6/7")] == {"previous": "6/7", "levels": "7"}
    assert details[(c.PUPIL_MOVED, "Julia Öztürk")] == {"group": "Groep 5a",
                                                         "previous": "Groep 6/7"}
    assert details[(c.TEACHER_GROUPS, "Joost Meijer")] == {"added": ["Groep 8"],
                                                           "removed": ["Groep 6/7"]}
    assert result.counts == {kind: len(v) for kind, v in expected.items()}

    roles = await roles_at(sessions, "56EF")
    assert roles[ROLE_PUPIL] == {f"{P}-P{n}" for n in (1, 3, 4, 5, 6, 7)}
    assert roles[ROLE_TEACHER] == {f"{P}-T2", f"{P}-T3"}
    # EDEXML keeps the roles it cannot carry; JSON replaces them.
    assert roles[ROLE_COORDINATOR] == ({f"{P}-C2"} if fmt == "json" else {f"{P}-T2"})
    members = await members_of(sessions, "56EF")
    assert f"{P}-G3" not in members
    assert members[f"{P}-G5"] == {f"{P}-P1", f"{P}-P3", f"{P}-P4", f"{P}-P5", f"{P}-T2"}
    assert members[f"{P}-G67"] == {f"{P}-P6"}
    assert (await person(sessions, f"{P}-P2")).status == "left"
    assert (await person(sessions, f"{P}-T1")).status == "left"
    async with sessions() as session:
        g3 = await session.scalar(select(Group).where(Group.basispoort_key == f"{P}-G3"))
    assert g3.deleted_at is not None  # the row stays for the audit trail

    # One summary per coördinator of the school after the run, in the same transaction.
    rows = await outbox(sessions, result.run_id)
    coordinator = f"{P}-C2" if fmt == "json" else f"{P}-T2"
    assert [r.person_id for r in rows] == [(await person(sessions, coordinator)).id]
    assert result.notified == 1
    payload = json.loads(rows[0].payload)
    assert payload["counts"] == result.counts
    assert payload["names"][c.PUPIL_MOVED] == ["Sanne de Vries", "Julia Öztürk"]


async def test_a_pupil_who_returns_is_added_again(services, sessions):
    data = base_school()
    await apply(services, data, "json")
    gone = copy.deepcopy(data)
    gone["leerlingen"] = [p for p in gone["leerlingen"] if p["key"] != f"{P}-P2"]
    left = await apply(services, gone, "json")
    assert kinds(await changes_of(sessions, left.run_id)) == {c.PUPIL_LEFT: ["Daan Jansen"]}
    back = await apply(services, data, "json")
    assert kinds(await changes_of(sessions, back.run_id)) == {c.PUPIL_ADDED: ["Daan Jansen"]}
    assert (await person(sessions, f"{P}-P2")).status == "active"
    assert f"{P}-P2" in (await members_of(sessions, "56EF"))[f"{P}-G3"]


async def test_someone_with_a_role_at_another_school_stays_active_when_leaving_one(
        services, sessions):
    first, second = base_school("56EF"), base_school("78GH")
    shared = staff("SHARED-1", "Pieter", "Dekker", "p.dekker@bestuur.nl",
                   (f"{P}-G3",))
    first["staf"].append(shared)
    second["staf"].append({**shared, "groepen": ["78GH00-G3"]})
    await apply(services, first, "json")
    await apply(services, second, "json")
    first["staf"].pop()
    result = await apply(services, first, "json")
    assert kinds(await changes_of(sessions, result.run_id)) == {
        c.TEACHER_LEFT: ["Pieter Dekker"]}
    assert (await person(sessions, "SHARED-1")).status == "active"
    assert "SHARED-1" in (await roles_at(sessions, "78GH"))[ROLE_TEACHER]
    assert "SHARED-1" not in (await roles_at(sessions, "56EF"))[ROLE_TEACHER]


async def test_a_teacher_who_becomes_coordinator_only_stays_active(services, sessions):
    data = base_school()
    await apply(services, data, "json")
    data["staf"][0]["rollen"] = ["ICTCoordinator"]
    data["staf"][0]["groepen"] = []
    result = await apply(services, data, "json")
    assert kinds(await changes_of(sessions, result.run_id)) == {
        c.TEACHER_LEFT: ["Marieke Visser"], c.COORDINATOR_ADDED: ["Marieke Visser"]}
    assert (await person(sessions, f"{P}-T1")).status == "active"
    roles = await roles_at(sessions, "56EF")
    assert f"{P}-T1" in roles[ROLE_COORDINATOR] and f"{P}-T1" not in roles[ROLE_TEACHER]
    # The new coördinator hears of it too.
    assert len(await outbox(sessions, result.run_id)) == 2


async def test_staff_delivered_without_a_role_here_is_not_marked_left_while_delivered(
        services, sessions):
    """A member of staff in the delivery who neither teaches nor coordinates (a director)
    has no role at the school, but is still there: not 'left'."""
    data = base_school()
    data["staf"].append(staff(f"{P}-D", "Hans", "Kuipers", f"dir@{P.lower()}.nl", (),
                              ("Directeur",)))
    await apply(services, data, "json")
    assert (await person(sessions, f"{P}-D")).status == "active"
    again = await apply(services, data, "json")
    assert again.status == RUN_UNCHANGED
    assert (await person(sessions, f"{P}-D")).status == "active"


@pytest.mark.parametrize("fmt", FORMATS)
async def test_composite_groups_are_kept_apart_from_stamgroepen(services, sessions, fmt):
    data = base_school()
    # The samengestelde groep comes first, so its id is lower than the stamgroepen's.
    data["groepen"].insert(0, group(f"{P}-PLUS", "Plusgroep", composite=True))
    pupils = {p["key"]: p for p in data["leerlingen"]}
    pupils[f"{P}-P3"]["samengestelde_groepen"] = [f"{P}-PLUS"]
    pupils[f"{P}-P5"]["samengestelde_groepen"] = [f"{P}-PLUS"]
    first = await apply(services, data, fmt)
    assert first.status == RUN_APPLIED, first.report
    async with sessions() as session:
        plus = await session.scalar(select(Group).where(Group.basispoort_key == f"{P}-PLUS"))
    assert plus.year_levels == "5/6"
    assert (await members_of(sessions, "56EF"))[f"{P}-PLUS"] == {f"{P}-P3", f"{P}-P5"}
    assert (await apply(services, data, fmt)).status == RUN_UNCHANGED

    # The composite group ends: nobody moved, the group is removed.
    without = copy.deepcopy(data)
    without["groepen"].pop(0)
    for p in without["leerlingen"]:
        p.pop("samengestelde_groepen", None)
    result = await apply(services, without, fmt)
    assert kinds(await changes_of(sessions, result.run_id)) == {c.GROUP_REMOVED: ["Plusgroep"]}

    # Back again, and a pupil of it moves stamgroep: one move, from the old stamgroep.
    moved = copy.deepcopy(data)
    next(p for p in moved["leerlingen"] if p["key"] == f"{P}-P3")["groep"] = f"{P}-G67"
    result = await apply(services, moved, fmt)
    changes = await changes_of(sessions, result.run_id)
    assert [(k, s, d) for k, s, d in changes if k == c.PUPIL_MOVED] == [
        (c.PUPIL_MOVED, "Emma van Dijk", {"group": "Groep 6/7", "previous": "Groep 5"})]


# -- licences, reminders, codes -----------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
async def test_links_end_with_their_group_and_new_groups_link_only_where_unambiguous(
        services, sessions, demo, fmt):
    data = base_school()
    await apply(services, data, fmt)
    await services.sync.assign_coordinator(Actor.operator(), "56EF", "00",
                                           f"j.meijer@{P.lower()}.nl")
    lijn3 = await group_licence(sessions, "56EF", "lijn3", "3", (f"{P}-G3",))
    pluspunt5 = await group_licence(sessions, "56EF", "pluspunt", "5", (f"{P}-G5",))
    staal5 = await group_licence(sessions, "56EF", "staal", "5")  # nobody uses it yet
    await group_licence(sessions, "56EF", "naut", "6", (f"{P}-G67",))
    await group_licence(sessions, "56EF", "naut", "7", (f"{P}-G67",))

    new = copy.deepcopy(data)
    new["groepen"] = [g for g in new["groepen"] if g["key"] != f"{P}-G3"] + [
        group(f"{P}-G5B", "Groep 5b", "5"), group(f"{P}-G67B", "Groep 6/7b", "6/7")]
    new["leerlingen"] = [p for p in new["leerlingen"] if p["groep"] != f"{P}-G3"] + [
        pupil(f"{P}-P8", "Finn", "Vos", f"{P}-G5B", "5"),
        pupil(f"{P}-P9", "Noor", "Bos", f"{P}-G5", "5"),
        pupil(f"{P}-P10", "Levi", "Kok", f"{P}-G67B", "6")]
    new["staf"][0]["groepen"] = []
    result = await apply(services, new, fmt)
    changes = await changes_of(sessions, result.run_id)
    details = [(k, s, d) for k, s, d in changes]
    assert (c.LINK_ENDED, "Groep 3", {"licence": "Lijn 3 groep 3", "licence_id": lijn3}) \
        in details
    async with sessions() as session:
        assert not (await session.scalars(select(LicenceGroup).where(
            LicenceGroup.licence_id == lijn3))).all()
        g5b = await session.scalar(select(Group).where(Group.basispoort_key == f"{P}-G5B"))
        auto = (await session.execute(select(LicenceGroup.licence_id, LicenceGroup.origin)
                                      .where(LicenceGroup.group_id == g5b.id))).all()
    # Groep 5b: Pluspunt 5 is the one Pluspunt licence and in use -> linked; Staal 5 is
    # not used by the school yet -> left open. Groep 6/7b: two Naut licences -> open.
    assert auto == [(pluspunt5, "auto")]
    auto_linked = [(s, d["licence_id"]) for k, s, d in details if k == c.AUTO_LINKED]
    assert auto_linked == [("Groep 5b", pluspunt5)]
    payload = json.loads((await outbox(sessions, result.run_id))[0].payload)
    open_pairs = sorted((o["group_name"], o["licence_name"]) for o in payload["open"])
    assert open_pairs == [("Groep 5b", "Staal groep 5"), ("Groep 6/7b", "Naut groep 6"),
                          ("Groep 6/7b", "Naut groep 7")]
    assert staal5 not in {d["licence_id"] for k, s, d in details if k == c.AUTO_LINKED}
    # Rule 7: Noor arrives in Groep 5, which has a running licence; Finn and Levi arrive in
    # new groups, which are not news for a lesson week.
    reminders = [(s, d["group"], d["product"]) for k, s, d in details if k == c.REMINDER]
    assert reminders == [("Noor Bos", "Groep 5", "Pluspunt")]
    assert payload["reminders"][0]["teacher_names"] == ["Joost Meijer"]


async def code_kinds(sessions) -> dict[str, str]:
    async with sessions() as session:
        return dict((await session.execute(
            select(Person.basispoort_key, PupilCredential.kind)
            .join(PupilCredential, PupilCredential.person_id == Person.id))).all())


async def test_new_and_moved_pupils_get_a_code_of_their_groups_kind(services, sessions):
    data = base_school()
    await apply(services, data, "json")
    kinds_by_key = await code_kinds(sessions)
    assert kinds_by_key[f"{P}-P1"] == "pictures" and kinds_by_key[f"{P}-P3"] == "digits"
    assert len(kinds_by_key) == 6
    data["leerlingen"][0]["groep"] = f"{P}-G5"
    data["leerlingen"].append(pupil(f"{P}-P7", "Tess", "Kok", f"{P}-G3", "3"))
    await apply(services, data, "json")
    kinds_by_key = await code_kinds(sessions)
    assert kinds_by_key[f"{P}-P1"] == "digits" and kinds_by_key[f"{P}-P7"] == "pictures"


async def test_seats_and_extra_child_links_stay_with_a_child_who_moves_or_leaves(
        services, sessions, demo):
    data = base_school()
    await apply(services, data, "json")
    pluspunt5 = await group_licence(sessions, "56EF", "pluspunt", "5", (f"{P}-G5",))
    emma = (await person(sessions, f"{P}-P3")).id
    julia = (await person(sessions, f"{P}-P5")).id
    async with sessions.begin() as session:
        school_id = await session.scalar(select(School.id).where(School.brin == "56EF"))
        bingel = await session.scalar(select(Product.id).where(Product.code == "bingel"))
        seat = Licence(school_id=school_id, product_id=bingel, year_levels="3/4/5/6/7/8",
                       school_year="2026-2027", model="child", seats=5, seats_taken=1)
        session.add(seat)
        await session.flush()
        session.add(ChildAssignment(licence_id=seat.id, person_id=emma))
        session.add(LicenceExtraChild(licence_id=pluspunt5, person_id=julia))

    async def kept() -> tuple[int, int]:
        async with sessions() as session:
            return (await session.scalar(select(func.count(ChildAssignment.id)).where(
                        ChildAssignment.person_id == emma)),
                    await session.scalar(select(func.count(LicenceExtraChild.id)).where(
                        LicenceExtraChild.person_id == julia)))

    data["leerlingen"][2]["groep"] = f"{P}-G67"  # Emma moves
    data["leerlingen"][4]["groep"] = f"{P}-G3"  # Julia, the extra child, moves
    await apply(services, data, "json")
    assert await kept() == (1, 1)
    data["leerlingen"] = data["leerlingen"][:2] + data["leerlingen"][5:]  # both leave
    result = await apply(services, data, "json")
    assert sorted(kinds(await changes_of(sessions, result.run_id))[c.PUPIL_LEFT]) == [
        "Emma van Dijk", "Julia Öztürk", "Lucas Bakker"]
    assert await kept() == (1, 1)


# -- atomicity ----------------------------------------------------------------------------------
@pytest.mark.parametrize("step", ["_end_removed_groups", "_link_groups", "_reminders"])
async def test_a_failure_mid_apply_leaves_the_school_unchanged(
        services, sessions, demo, monkeypatch, step):
    data = base_school()
    await apply(services, data, "json")
    await group_licence(sessions, "56EF", "pluspunt", "5", (f"{P}-G5",))
    before = await dump(sessions)
    runs_before = (await dump(sessions, skip=set()))["sync_runs"]
    original = getattr(SnapshotApplier, step)

    async def broken(self, *args):
        await original(self, *args)
        await self.session.flush()
        raise RuntimeError("de schijf is vol")

    monkeypatch.setattr(SnapshotApplier, step, broken)
    with pytest.raises(RuntimeError):
        await apply(services, next_night(data), "json")
    assert await dump(sessions) == before
    assert (await dump(sessions, skip=set()))["sync_runs"] == runs_before
    monkeypatch.setattr(SnapshotApplier, step, original)
    assert (await apply(services, next_night(data), "json")).status == RUN_APPLIED


@pytest.mark.parametrize("fmt", FORMATS)
async def test_new_names_and_addresses_are_written_without_being_news(services, sessions, fmt):
    data = base_school()
    await apply(services, data, fmt)
    data["leerlingen"][0]["roepnaam"] = "Saskia"
    data["leerlingen"][0]["eckid"] = "https://ketenid.nl/201703/nieuw"
    data["staf"][0]["email"] = "marieke@nieuw.nl"
    result = await apply(services, data, fmt)
    assert result.status == RUN_UNCHANGED and result.counts == {}
    sanne = await person(sessions, f"{P}-P1")
    assert (sanne.first_name, sanne.eck_id) == ("Saskia", "https://ketenid.nl/201703/nieuw")
    assert (await person(sessions, f"{P}-T1")).email == "marieke@nieuw.nl"
    assert await outbox(sessions) == []


async def test_a_database_error_is_recorded_and_the_next_school_goes_on(
        services, sessions, demo, monkeypatch):
    from sqlalchemy.exc import OperationalError

    data = base_school()
    await apply(services, data, "json")
    before = await dump(sessions)
    original = SnapshotApplier._link_groups

    async def broken(self, *args):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(SnapshotApplier, "_link_groups", broken)
    failed = await apply(services, next_night(data), "json")
    assert failed.status == "rejected" and "databasefout" in failed.report
    assert await dump(sessions) == before
    monkeypatch.setattr(SnapshotApplier, "_link_groups", original)
    other = await apply(services, base_school("78GH"), "json")
    assert other.status == RUN_APPLIED


async def test_a_school_of_national_size_goes_in_whole_and_again_changes_nothing(
        services, sessions):
    """Enough rows that PostgreSQL takes them by COPY with ids from the sequence: every
    pupil and teacher arrives with their role, group and a code, and the same delivery
    again changes nothing; a night later the changes are applied."""
    data = generate(1, seed=7, pupils_per_school=COPY_FROM * 2)[0]
    brin = data["instelling"]["brin"]
    result = await apply(services, data, "json")
    assert result.status == RUN_APPLIED, result.report
    roles = await roles_at(sessions, brin)
    assert roles[ROLE_PUPIL] == {p["key"] for p in data["leerlingen"]}
    assert roles[ROLE_TEACHER] == {t["key"] for t in data["staf"] if t["groepen"]}
    members = await members_of(sessions, brin)
    for p in data["leerlingen"]:
        assert p["key"] in members[p["groep"]]
    assert set(await code_kinds(sessions)) == {p["key"] for p in data["leerlingen"]}
    assert len(kinds(await changes_of(sessions, result.run_id))[c.PUPIL_ADDED]) == len(
        data["leerlingen"])
    before = await dump(sessions)
    again = await apply(services, data, "json", source="nog-eens")
    assert again.status == RUN_UNCHANGED and await dump(sessions) == before
    later = delta(data, random.Random(1), 0.05)
    moved = await apply(services, later, "json", source="later")
    assert moved.status == RUN_APPLIED
    assert (await roles_at(sessions, brin))[ROLE_PUPIL] == {p["key"] for p in later["leerlingen"]}
    assert set(await code_kinds(sessions)) >= {p["key"] for p in later["leerlingen"]}
