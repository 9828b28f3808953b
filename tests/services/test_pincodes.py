"""Pincodes through the services: view, reveal, change, switch, print, issue, and their security."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text, update

import services.pincodes.service as pincodes_module
from cards.i18n import Texts
from services.actor import Actor, Identity
from services.db import create_engine, create_sessions, upgrade
from services.demo import PLAYGROUND_TENANT, load_demo
from services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from services.models import (
    ROLE_PUPIL,
    AuditEvent,
    Group,
    GroupMember,
    Person,
    PupilCredential,
    Role,
)
from services.pincodes import issue_missing_pincodes
from services.pincodes.codes import generate_code
from services.pincodes.links import LinkRefused, issue
from services.pincodes.results import (
    MODE_DIGITS,
    MODE_PICTURES,
    PICTURES,
    picture_names,
)
from services.registry import Services
from services.secrets import SecretBox
from tests.conftest import ALEX_AAD, TEST_KEY, TODAY, fixed_clock, needs_pg, sqlite_only
from tests.pincode_support import (
    all_codes,
    assert_codes_absent,
    plaintext_dump,
    raw_database,
    stored_codes,
)


def regenboog(alex) -> int:
    return alex.coordinator_of[1].id


def kompas(alex) -> int:
    return alex.coordinator_of[0].id


async def _group(services, alex, school_id: int, name: str):
    start = await services.pincodes.open_pincodes(alex, school_id)
    return next(g for g in start.groups if g.name == name)


async def _audits(sessions, action: str) -> list[dict]:
    async with sessions() as session:
        rows = (await session.scalars(select(AuditEvent).where(AuditEvent.action == action))).all()
    return [json.loads(r.detail) for r in rows]


# -- viewing --------------------------------------------------------------------------------------

async def test_groups_with_their_login_mode_and_pupil_counts(services, alex):
    start = await services.pincodes.open_pincodes(alex, regenboog(alex))
    assert start.group is None and start.school_name == "OBS De Regenboog"
    modes = {g.name: g.login_mode for g in start.groups}
    assert modes["Groep 3"] == MODE_PICTURES and modes["Groep 4"] == MODE_DIGITS
    assert [g.name for g in start.groups][:3] == ["Groep 1/2a", "Groep 1/2b", "Groep 3"]
    assert all(22 <= g.pupil_count <= 28 + 1 for g in start.groups)  # +1: Sanne de Vries


@pytest.mark.parametrize("typed, school, expected", [
    ("groep 4", 1, "Groep 4"), ("4", 1, "Groep 4"), ("Groep 5B", 1, "Groep 5b"),
    ("groep 4b", 0, "Groep 4b"), ("1/2 a", 1, "Groep 1/2a"), ("8A", 0, "Groep 8a"),
])
async def test_a_typed_group_name_opens_that_group(services, alex, typed, school, expected):
    start = await services.pincodes.open_pincodes(alex, alex.coordinator_of[school].id, typed)
    assert start.group is not None and start.group.group_name == expected
    assert not start.group.revealed and all(p.code is None for p in start.group.pupils)


async def test_an_ambiguous_or_unknown_group_name_offers_a_choice(services, alex):
    several = await services.pincodes.open_pincodes(alex, kompas(alex), "groep 4")
    assert several.group is None and not several.not_found
    assert [g.name for g in several.groups] == ["Groep 4a", "Groep 4b"]
    unknown = await services.pincodes.open_pincodes(alex, kompas(alex), "groep 12z")
    assert unknown.group is None and unknown.not_found and len(unknown.groups) == 10
    with pytest.raises(InvalidInput):
        await services.pincodes.open_pincodes(alex, kompas(alex), "x" * 101)
    with pytest.raises(InvalidInput):
        await services.pincodes.open_pincodes(alex, kompas(alex), ["groep 4"])


async def test_codes_are_hidden_until_revealed_and_revealing_is_audited(services, alex, sessions):
    group = await _group(services, alex, regenboog(alex), "Groep 4")
    hidden = await services.pincodes.pincode_group(alex, regenboog(alex), group.id)
    assert hidden.login_mode == MODE_DIGITS and hidden.total == group.pupil_count
    assert all(p.has_code and p.code is None for p in hidden.pupils)
    assert await _audits(sessions, "reveal_pincodes") == []

    shown = await services.pincodes.pincode_group(alex, regenboog(alex), group.id, reveal=True)
    stored = await stored_codes(sessions, "Groep 4", regenboog(alex))
    assert {p.name: p.code for p in shown.pupils} == {n: c for n, (_, c) in stored.items()}
    assert [p.name for p in shown.pupils] == [p.name for p in hidden.pupils]  # by last name
    audits = await _audits(sessions, "reveal_pincodes")
    assert audits == [{"group_id": group.id, "page": 1, "pupils": group.pupil_count}]


async def test_picture_codes_are_four_different_pictures_of_the_set(services, alex, sessions):
    codes = await stored_codes(sessions, "Groep 3", regenboog(alex))
    assert codes and {kind for kind, _ in codes.values()} == {MODE_PICTURES}
    for _, code in codes.values():
        names = picture_names(code)
        assert len(names) == 4 == len(set(names)) and set(names) <= set(PICTURES)


# -- only the school's ict-coördinator -------------------------------------------------------------

async def test_a_teacher_and_another_schools_coordinator_see_nothing(services, alex, megan,
                                                                     sessions):
    group = await _group(services, alex, regenboog(alex), "Groep 4")
    for call in (
        services.pincodes.open_pincodes(megan, regenboog(alex)),
        services.pincodes.pincode_group(megan, regenboog(alex), group.id, reveal=True),
        services.pincodes.pincode_sheet(megan, regenboog(alex), group.id),
        services.pincodes.change_pincode(megan, regenboog(alex), group.id, 1, "730519"),
    ):
        with pytest.raises(NotAllowed):
            await call
    # Fatima coordinates Het Kompas only; a card naming De Regenboog's group is refused.
    fatima = Actor(person_id=await _person_id(sessions, "Fatima"), name="Fatima")
    with pytest.raises(NotAllowed):
        await services.pincodes.pincode_group(fatima, regenboog(alex), group.id, reveal=True)
    # A forged card: her own school, the other school's group.
    with pytest.raises(NotAllowed):
        await services.pincodes.pincode_group(fatima, kompas(alex), group.id, reveal=True)
    refused = await _refusals(sessions)
    assert len(refused) == 6 and await _audits(sessions, "reveal_pincodes") == []


async def test_a_removed_or_forged_group_shows_no_codes(services, alex, sessions):
    """The page of a group, shown or revealed: a group Basispoort no longer delivers is not
    found, another school's group named on a card of this school is refused."""
    group = await _group(services, alex, regenboog(alex), "Groep 4")
    other = await _group(services, alex, kompas(alex), "Groep 5")
    for reveal in (False, True):
        with pytest.raises(NotAllowed):
            await services.pincodes.pincode_group(alex, regenboog(alex), other.id, reveal=reveal)
    async with sessions.begin() as session:
        await session.execute(update(Group).where(Group.id == group.id).values(
            deleted_at=TODAY))
    for reveal in (False, True):
        with pytest.raises(NotFound) as gone:
            await services.pincodes.pincode_group(alex, regenboog(alex), group.id, reveal=reveal)
        assert gone.value.code == "error.group_not_found"
    assert await _audits(sessions, "reveal_pincodes") == []


async def _person_id(sessions, first_name: str) -> int:
    async with sessions() as session:
        return await session.scalar(select(Person.id).where(Person.first_name == first_name))


async def _refusals(sessions) -> list[AuditEvent]:
    async with sessions() as session:
        return (await session.scalars(
            select(AuditEvent).where(AuditEvent.outcome == "refused"))).all()


async def test_another_schools_pupil_is_refused_and_a_stale_pupil_is_not_found(services, alex,
                                                                               sessions):
    group4 = await _group(services, alex, regenboog(alex), "Groep 4")
    group5 = await _group(services, alex, regenboog(alex), "Groep 5a")
    kompas_pupil = await _pupil_of(sessions, (await _group(services, alex, kompas(alex),
                                                           "Groep 5")).id)
    regenboog_pupil = await _pupil_of(sessions, group5.id)
    with pytest.raises(NotAllowed):
        await services.pincodes.change_pincode(alex, regenboog(alex), group4.id, kompas_pupil)
    with pytest.raises(NotFound) as stale:
        await services.pincodes.change_pincode(alex, regenboog(alex), group4.id, regenboog_pupil)
    assert stale.value.code == "error.pupil_not_found"
    for garbage in ("x", None, -1, True, "1; drop table"):
        with pytest.raises(InvalidInput):
            await services.pincodes.pincode_pupil(alex, regenboog(alex), group4.id, garbage)


async def _pupil_of(sessions, group_id: int) -> int:
    async with sessions() as session:
        return await session.scalar(
            select(GroupMember.person_id).where(GroupMember.group_id == group_id,
                                                GroupMember.role == ROLE_PUPIL).limit(1))


# -- changing one pupil's code ---------------------------------------------------------------------

@pytest.mark.parametrize("typed, code, dutch", [
    ("", "error.pincode_empty", "Typ een nieuwe pincode, of kies 'Bedenk er een voor mij'."),
    ("   ", "error.pincode_empty", "Typ een nieuwe pincode"),
    ("12a4", "error.pincode_digits_only", "bestaat alleen uit cijfers (0 tot en met 9)"),
    ("١٢٣٤٥", "error.pincode_digits_only", "alleen uit cijfers"),  # digits, but not ours
    ("123", "error.pincode_length", "Een cijfer-wachtwoord heeft 4 tot 6 cijfers."),
    ("1234567", "error.pincode_length", "4 tot 6 cijfers"),
    ("1111", "error.pincode_same_digit", "Alle cijfers zijn hetzelfde (zoals 1111)"),
    ("000000", "error.pincode_same_digit", "te makkelijk te raden"),
    ("1234", "error.pincode_run", "rijtje opeenvolgende cijfers (zoals 1234 of 9876)"),
    ("9876", "error.pincode_run", "rijtje"),
    ("345678", "error.pincode_run", "rijtje"),
    ("54321", "error.pincode_run", "rijtje"),
])
async def test_bad_digit_codes_are_refused_with_their_reason(services, alex, sessions, typed,
                                                             code, dutch):
    group = await _group(services, alex, regenboog(alex), "Groep 4")
    pupil = await _pupil_of(sessions, group.id)
    before = await stored_codes(sessions, "Groep 4", regenboog(alex))
    with pytest.raises(InvalidInput) as refused:
        await services.pincodes.change_pincode(alex, regenboog(alex), group.id, pupil, typed)
    assert refused.value.code == code
    assert dutch in Texts()(code, **refused.value.params)
    assert await stored_codes(sessions, "Groep 4", regenboog(alex)) == before


async def test_the_current_code_is_refused_and_a_good_one_is_stored_encrypted(services, alex,
                                                                              sessions):
    group = await _group(services, alex, regenboog(alex), "Groep 4")
    pupil = await services.pincodes.pincode_pupil(alex, regenboog(alex), group.id,
                                                  await _pupil_of(sessions, group.id))
    current = (await stored_codes(sessions, "Groep 4", regenboog(alex)))[pupil.name][1]
    with pytest.raises(InvalidInput) as same:
        await services.pincodes.change_pincode(alex, regenboog(alex), group.id, pupil.person_id, current)
    assert same.value.code == "error.pincode_current"
    assert Texts()(same.value.code) == ("Dit is de huidige pincode van deze leerling. Kies een "
                                        "andere.")

    new = "5093" if current != "5093" else "5094"
    change = await services.pincodes.change_pincode(alex, regenboog(alex), group.id, pupil.person_id,
                                                    f" {new[:2]} {new[2:]} ")
    assert change.code == new and not change.generated
    assert (await stored_codes(sessions, "Groep 4", regenboog(alex)))[pupil.name] == (
        MODE_DIGITS, new)
    async with sessions() as session:
        secret = await session.scalar(select(PupilCredential.secret)
                                      .where(PupilCredential.person_id == pupil.person_id))
    assert new.encode() not in secret
    [audit] = await _audits(sessions, "change_pincode")
    assert audit == {"generated": False, "group_id": group.id, "kind": MODE_DIGITS,
                     "person_id": pupil.person_id}


async def test_a_generated_code_is_new_and_meets_the_rules(services, alex, sessions):
    group = await _group(services, alex, regenboog(alex), "Groep 6/7")
    person_id = await _pupil_of(sessions, group.id)
    seen = set()
    for _ in range(5):
        change = await services.pincodes.change_pincode(alex, regenboog(alex), group.id, person_id)
        assert change.generated and len(change.code) == 6 and change.code.isdigit()
        assert change.code not in seen  # never the current one (and random enough)
        seen.add(change.code)
    assert (await _audits(sessions, "change_pincode"))[0]["generated"] is True


@pytest.mark.parametrize("picked, code, dutch", [
    (["zon", "maan", "ster"], "error.pincode_pictures_count", "Kies precies 4 plaatjes."),
    (["zon", "maan", "ster", "", ""], "error.pincode_pictures_count", "precies 4 plaatjes"),
    (["zon", "maan", "ster", "draak"], "error.pincode_picture_unknown",
     "Dat plaatje ken ik niet."),
    (["zon", "maan", "zon", "ster"], "error.pincode_pictures_repeat",
     "Kies 4 verschillende plaatjes"),
    ("zon-maan", "error.pincode_pictures_count", "precies 4"),
    (42, "error.pincode_pictures_count", "precies 4"),
])
async def test_bad_picture_codes_are_refused_with_their_reason(services, alex, sessions, picked,
                                                               code, dutch):
    group = await _group(services, alex, regenboog(alex), "Groep 3")
    with pytest.raises(InvalidInput) as refused:
        await services.pincodes.change_pincode(alex, regenboog(alex), group.id,
                                               await _pupil_of(sessions, group.id), picked)
    assert refused.value.code == code
    assert dutch in Texts()(code, **refused.value.params)


async def test_pictures_are_picked_in_order(services, alex, sessions):
    group = await _group(services, alex, regenboog(alex), "Groep 3")
    pupil = await services.pincodes.pincode_pupil(alex, regenboog(alex), group.id,
                                                  await _pupil_of(sessions, group.id))
    current = (await stored_codes(sessions, "Groep 3", regenboog(alex)))[pupil.name][1]
    with pytest.raises(InvalidInput) as same:
        await services.pincodes.change_pincode(alex, regenboog(alex), group.id, pupil.person_id,
                                               list(picture_names(current)))
    assert same.value.code == "error.pincode_current"
    wanted = ["wolk", "boot", "appel", "kroon"]
    if "-".join(wanted) == current:
        wanted.reverse()
    change = await services.pincodes.change_pincode(alex, regenboog(alex), group.id, pupil.person_id,
                                                    [w.upper() for w in wanted])
    assert change.code == "-".join(wanted)


# -- switching a group's login mode ----------------------------------------------------------------

async def test_switching_gives_every_pupil_a_new_code_of_the_new_kind(services, alex, sessions):
    group = await _group(services, alex, regenboog(alex), "Groep 4")
    before = await stored_codes(sessions, "Groep 4", regenboog(alex))
    result = await services.pincodes.switch_login_mode(alex, regenboog(alex), group.id, MODE_PICTURES)
    assert result.login_mode == MODE_PICTURES and result.pupil_count == len(before)
    after = await stored_codes(sessions, "Groep 4", regenboog(alex))
    assert set(after) == set(before)
    assert {kind for kind, _ in after.values()} == {MODE_PICTURES}
    with pytest.raises(Conflict) as twice:  # a double click switches nothing back
        await services.pincodes.switch_login_mode(alex, regenboog(alex), group.id, MODE_PICTURES)
    assert twice.value.code == "error.login_mode_same"
    back = await services.pincodes.switch_login_mode(alex, regenboog(alex), group.id, MODE_DIGITS)
    assert back.login_mode == MODE_DIGITS
    again = await stored_codes(sessions, "Groep 4", regenboog(alex))
    assert {kind for kind, _ in again.values()} == {MODE_DIGITS}
    assert sum(again[n][1] == before[n][1] for n in before) <= 1  # new codes, not the old ones
    audits = await _audits(sessions, "switch_login_mode")
    assert audits[0] == {"group_id": group.id, "login_mode": MODE_PICTURES,
                         "previous": MODE_DIGITS, "pupils": len(before)}
    with pytest.raises(InvalidInput):
        await services.pincodes.switch_login_mode(alex, regenboog(alex), group.id, "qr-code")


async def test_a_failed_switch_changes_nothing(services, alex, sessions, monkeypatch):
    group = await _group(services, alex, regenboog(alex), "Groep 5a")
    before = await stored_codes(sessions, "Groep 5a", regenboog(alex))
    calls = {"n": 0}

    def failing_halfway(mode, current=None):
        calls["n"] += 1
        if calls["n"] == 10:
            raise RuntimeError("disk full")
        return generate_code(mode, current)

    monkeypatch.setattr(pincodes_module, "generate_code", failing_halfway)
    with pytest.raises(RuntimeError):
        await services.pincodes.switch_login_mode(alex, regenboog(alex), group.id, MODE_PICTURES)
    assert await stored_codes(sessions, "Groep 5a", regenboog(alex)) == before
    async with sessions() as session:
        assert await session.scalar(select(Group.login_mode).where(Group.id == group.id)) == (
            MODE_DIGITS)


# -- printing --------------------------------------------------------------------------------------

async def test_the_sheet_has_every_pupil_sorted_by_name_and_is_audited(services, alex, sessions):
    group = await _group(services, alex, regenboog(alex), "Groep 7")
    sheet = await services.pincodes.pincode_sheet(alex, regenboog(alex), group.id)
    stored = await stored_codes(sessions, "Groep 7", regenboog(alex))
    assert {c.name: c.code for c in sheet.cards} == {n: c for n, (_, c) in stored.items()}
    shown = await services.pincodes.pincode_group(alex, regenboog(alex), group.id)
    assert shown.total == len(sheet.cards)  # every pupil, though the card is paged
    assert [c.name for c in sheet.cards][:len(shown.pupils)] == [p.name for p in shown.pupils]
    assert sheet.school_name == "OBS De Regenboog" and sheet.group_name == "Groep 7"
    assert await _audits(sessions, "print_pincodes") == [
        {"group_id": group.id, "pupils": len(stored), "via": "bot"}]


async def test_a_print_link_is_bound_to_school_group_and_person(services, alex, sessions):
    group = await _group(services, alex, regenboog(alex), "Groep 8")
    link = await services.pincodes.pincode_print_link(alex, regenboog(alex), group.id)
    assert link.path.startswith("/downloads/pincodes/v1.")
    assert link.expires_at == fixed_clock() + timedelta(minutes=10)
    sheet = await services.pincodes.pincode_sheet_for_link(link.path.rsplit("/", 1)[1])
    assert sheet.group_name == "Groep 8"
    with pytest.raises(InvalidInput):  # the operator prints at the command line instead
        await services.pincodes.pincode_print_link(Actor.operator(), regenboog(alex), group.id)

    # The person lost the role since: the link is worth nothing.
    token = link.path.rsplit("/", 1)[1]
    async with sessions.begin() as session:
        await session.execute(update(Role).where(Role.person_id == alex.person_id)
                              .values(role="teacher"))
    with pytest.raises(NotAllowed):
        await services.pincodes.pincode_sheet_for_link(token)


async def test_links_signed_with_another_key_or_garbled_are_refused(services, alex):
    group = await _group(services, alex, regenboog(alex), "Groep 8")
    forged, _ = issue(b"x" * 32, "pincodes", regenboog(alex), group.id, alex.person_id,
                      fixed_clock())
    for token in (forged, "", "v1..", "v1.abc.def", "x" * 400, None, 12):
        with pytest.raises(LinkRefused) as refused:
            await services.pincodes.pincode_sheet_for_link(token)
        assert refused.value.reason == "invalid"


# -- new pupils ------------------------------------------------------------------------------------

async def test_new_pupils_get_a_code_of_their_groups_kind(services, alex, sessions):
    group3 = await _group(services, alex, regenboog(alex), "Groep 3")
    group4 = await _group(services, alex, regenboog(alex), "Groep 4")
    async with sessions.begin() as session:
        newcomer = Person(basispoort_key="P-new-1", first_name="Nieuw", last_name="Kind")
        mover = await session.get(Person, await _pupil_of(sessions, group4.id))
        session.add(newcomer)
        await session.flush()
        session.add(Role(person_id=newcomer.id, school_id=regenboog(alex), role=ROLE_PUPIL))
        session.add(GroupMember(group_id=group3.id, person_id=newcomer.id, role=ROLE_PUPIL))
        # The sync moved a pupil from digits (Groep 4) to pictures (Groep 3).
        await session.execute(update(GroupMember).where(GroupMember.person_id == mover.id)
                              .values(group_id=group3.id))
    issued = await services.pincodes.ensure_pincodes(alex, regenboog(alex))
    assert issued == 2
    codes = await stored_codes(sessions, "Groep 3", regenboog(alex))
    assert codes["Nieuw Kind"][0] == MODE_PICTURES and codes[mover.full_name][0] == MODE_PICTURES
    assert await services.pincodes.ensure_pincodes(Actor.operator()) == 0
    with pytest.raises(NotAllowed):
        await services.pincodes.ensure_pincodes(alex)  # every school: operators only
    assert await _audits(sessions, "issue_pincodes") == [{"pupils": 2}]


async def test_the_demo_gives_every_pupil_in_a_group_a_code(sessions, demo):
    async with sessions() as session:
        pupils = await session.scalar(
            select(func.count(func.distinct(GroupMember.person_id)))
            .where(GroupMember.role == ROLE_PUPIL))
        credentials = await session.scalar(select(func.count(PupilCredential.person_id)))
    assert pupils == credentials == demo["pincodes"]
    async with sessions.begin() as session:
        assert await issue_missing_pincodes(session, SecretBox(TEST_KEY)) == 0


# -- the command line's lookup ---------------------------------------------------------------------

async def test_locate_a_group_by_brin_and_forgiving_name(services, alex):
    operator = Actor.operator()
    ref = await services.pincodes.locate_group(operator, "12ab", "groep 4")
    assert (ref.school_name, ref.group_name) == ("OBS De Regenboog", "Groep 4")
    assert (await services.pincodes.locate_group(operator, "34CD01", "8B")).group_name == "Groep 8b"
    cases = [("99ZZ", "Groep 4", NotFound), ("12AB", "Groep 42x", NotFound),
             ("34CD", "groep 4", InvalidInput), ("nonsense!", "Groep 4", InvalidInput)]
    for school, group, error in cases:
        with pytest.raises(error):
            await services.pincodes.locate_group(operator, school, group)


# -- secrets stay secret ---------------------------------------------------------------------------

@sqlite_only
async def test_no_code_in_the_database_file_logs_or_audit(services, alex, sessions, db_path,
                                                          caplog):
    # SQL logging (off in production) echoes ciphertext, whose repr may hold digits by chance;
    # that no plaintext reaches SQL at all is what the database-file check proves.
    caplog.set_level(logging.WARNING, logger="sqlalchemy")
    caplog.set_level(logging.WARNING, logger="aiosqlite")
    caplog.set_level(logging.DEBUG)  # last: it also sets the capturing handler's level
    school = regenboog(alex)
    group4 = await _group(services, alex, school, "Groep 4")
    group3 = await _group(services, alex, school, "Groep 3")
    typed = _unused_code(raw_database(db_path))
    pupil = await _pupil_of(sessions, group4.id)
    await services.pincodes.pincode_group(alex, school, group4.id, reveal=True)
    await services.pincodes.change_pincode(alex, school, group4.id, pupil, typed)
    await services.pincodes.change_pincode(alex, school, group3.id, await _pupil_of(sessions, group3.id))
    await services.pincodes.switch_login_mode(alex, school, group3.id, MODE_DIGITS)
    with pytest.raises(InvalidInput):
        await services.pincodes.change_pincode(alex, school, group4.id, pupil, typed)  # current code
    link = await services.pincodes.pincode_print_link(alex, school, group4.id)
    await services.pincodes.pincode_sheet_for_link(link.path.rsplit("/", 1)[1])
    with pytest.raises(LinkRefused):
        await services.pincodes.pincode_sheet_for_link(link.path[:-3] + "abc")

    codes = await all_codes(sessions) | {typed}
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    async with sessions() as session:
        audit = "\n".join((await session.scalars(select(AuditEvent.detail))).all())
    for code in codes:
        assert code not in logged and code not in audit
    raw = raw_database(db_path)
    assert typed.encode() not in raw
    checked = assert_codes_absent(codes, raw, plaintext_dump(db_path))
    assert checked > 0.95 * len(codes)


def _unused_code(raw: bytes) -> str:
    """A valid 6-digit code that occurs nowhere in the file yet, so finding it proves a leak."""
    for number in range(730519, 999999, 7919):
        code = str(number)
        if code.encode() not in raw:
            return code
    raise AssertionError("no unused code")


# -- concurrency (PostgreSQL: SQLite has one writer at a time anyway) -------------------------------

@needs_pg
async def test_a_code_changed_while_the_mode_switches_gets_the_new_kind(pg_url):
    await upgrade(pg_url)
    engine = create_engine(pg_url)
    sessions = create_sessions(engine)
    box = SecretBox(TEST_KEY)
    await load_demo(sessions, today=TODAY, secrets=box)
    services = Services.build(sessions, clock=fixed_clock, secrets=box)
    alex = await services.school.resolve_actor(Identity(tenant_id=PLAYGROUND_TENANT, aad_object_id=ALEX_AAD))
    school = regenboog(alex)
    group = await _group(services, alex, school, "Groep 4")
    assert group.login_mode == MODE_DIGITS
    pupil = await _pupil_of(sessions, group.id)
    try:
        # Another coördinator's switch to pictures is under way (not committed yet) ...
        async with sessions.begin() as switch:
            await switch.execute(update(Group).where(Group.id == group.id)
                                 .values(login_mode=MODE_PICTURES))
            credential = await switch.get(PupilCredential, pupil)
            pincodes_module.store_code(switch, box, pupil, MODE_PICTURES,
                                       generate_code(MODE_PICTURES), credential)
            await switch.flush()
            # ... when this pupil's code is changed: that change waits for the switch.
            change = asyncio.create_task(services.pincodes.change_pincode(alex, school, group.id, pupil))
            async with sessions() as probe:
                for _ in range(500):
                    waiting = await probe.scalar(text(
                        "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"))
                    if waiting or change.done():
                        break
                    await asyncio.sleep(0.01)
        changed = await change
        assert changed.pupil.login_mode == MODE_PICTURES  # not a digit code in a pictures group
        async with sessions() as session:
            stored = await session.get(PupilCredential, pupil)
            assert stored.kind == MODE_PICTURES
    finally:
        await engine.dispose()
