"""Result exchange: keys, statuses against a local LVS, replace, remove, permissions."""

from __future__ import annotations

import asyncio
import json
import logging

import aiohttp
import pytest
from sqlalchemy import func, select, text

from cards.i18n import Texts
from services.actor import Actor, Identity
from services.db import sqlite_file
from services.demo import PLAYGROUND_TENANT
from services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from services.exchange import ExchangeService
from services.exchange.keys import KEY_ERRORS, KEY_MAX, KEY_MIN
from services.exchange.lvs import LvsEndpoint, LvsSettings, build_verifier
from services.models import AuditEvent, LvsCoupling
from services.registry import Services
from services.secrets import SecretBox
from tests.conftest import ON_PG, TEST_KEY, fixed_clock
from tests.lvs_fake import GOOD_KEY, KLANTCODE, KLANTNAAM, FakeLvs, start_fake_lvs

REGENBOOG, KOMPAS = 1, 2
OTHER_KEY = "Zz99001AB-CD11223344="


@pytest.fixture
async def lvs(aiohttp_server):
    fake = await start_fake_lvs(aiohttp_server)
    yield fake
    fake.release()


def lvs_settings(url: str, *, klantcode: str = KLANTCODE, timeout: float = 2.0) -> LvsSettings:
    endpoint = LvsEndpoint(url=url, klantcode=klantcode, klantnaam=KLANTNAAM)
    return LvsSettings(endpoints=(("momento", endpoint), ("parnassys", endpoint)),
                       timeout=timeout)


@pytest.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def checked(sessions, demo, lvs: FakeLvs, http) -> ExchangeService:
    """The exchange area with UWLR clients for Momento and ParnasSys aimed at the local LVS."""
    return Services.build(sessions, clock=fixed_clock, secrets=SecretBox(TEST_KEY),
                          lvs=build_verifier(lvs_settings(lvs.url, timeout=0.5), http)).exchange


@pytest.fixture
async def fatima(services, demo) -> Actor:
    """Coördinator of CBS Het Kompas only."""
    return await services.school.resolve_actor(Identity(tenant_id=PLAYGROUND_TENANT, email="f.elamrani@cbshetkompas.nl"), "conv-f")


async def _rows(sessions, model):
    async with sessions() as session:
        return (await session.scalars(select(model))).all()


async def _audit(sessions, action: str) -> list[AuditEvent]:
    async with sessions() as session:
        return (await session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))).all()


# -- the key ------------------------------------------------------------------------------------

BAD_KEYS = [
    ("", "error.lvs_key_empty", {}),
    ("   \n", "error.lvs_key_empty", {}),
    (None, "error.lvs_key_empty", {}),
    ("A" * (KEY_MAX + 1), "error.lvs_key_too_long", {"length": KEY_MAX + 1, "limit": KEY_MAX}),
    ("Pk77 881FG-HJ99", "error.lvs_key_whitespace", {"position": 5}),
    ("Pk77881FG\tHJ99777737=", "error.lvs_key_whitespace", {"position": 10}),
    ("Pk77881FG\u00a0HJ99777737=", "error.lvs_key_whitespace", {"position": 10}),
    ("Pk77881FG\u200bHJ99777737=", "error.lvs_key_unprintable", {"position": 10}),
    ("Pk77881FG\x07HJ99777737=", "error.lvs_key_unprintable", {"position": 10}),
    ("Pk77881FGé-HJ99777737=", "error.lvs_key_unprintable", {"position": 10}),
    ("Pk7788", "error.lvs_key_too_short", {"length": 6, "minimum": KEY_MIN}),
]


@pytest.mark.parametrize(("key", "code", "params"), BAD_KEYS)
async def test_every_bad_key_is_refused_with_its_own_message(services, alex, sessions, key, code,
                                                             params):
    with pytest.raises(InvalidInput) as refused:
        await services.exchange.add_coupling(alex, REGENBOOG, "momento", key)
    assert (refused.value.code, refused.value.params) == (code, params)
    assert code in KEY_ERRORS
    message = Texts("nl")(code, **params)
    assert message != code and "{" not in message  # a real Dutch sentence, filled in
    assert (key or "").strip()[:12] not in message or not (key or "").strip()
    assert await _rows(sessions, LvsCoupling) == []


async def test_a_forged_key_field_is_garbled_input(services, alex):
    with pytest.raises(InvalidInput) as refused:
        await services.exchange.add_coupling(alex, REGENBOOG, "momento", ["Pk77881FG-HJ99777737="])
    assert refused.value.code == "error.invalid_field"
    with pytest.raises(InvalidInput) as refused:
        await services.exchange.add_coupling(alex, REGENBOOG, "magister", GOOD_KEY)
    assert refused.value.code == "error.lvs_system_unknown"
    with pytest.raises(InvalidInput):
        await services.exchange.add_coupling(alex, REGENBOOG, "momento", GOOD_KEY, replace="yes")


async def test_key_is_trimmed_stored_encrypted_and_shown_masked(services, alex, sessions, db_url):
    saved = await services.exchange.add_coupling(alex, REGENBOOG, "momento", f"  {GOOD_KEY}\r\n")
    assert saved.coupling.masked_key == "••••737=" and not saved.replaced
    assert saved.coupling.created_by == "Alex Wilber"
    (row,) = await _rows(sessions, LvsCoupling)
    assert GOOD_KEY.encode() not in row.key_secret
    assert SecretBox(TEST_KEY).decrypt(row.key_secret, f"lvs:{REGENBOOG}:momento") == GOOD_KEY
    with pytest.raises(ValueError):  # bound to its row: useless for another school or system
        SecretBox(TEST_KEY).decrypt(row.key_secret, f"lvs:{KOMPAS}:momento")
    db_file = sqlite_file(db_url)  # on SQLite also the raw file, its -wal and -shm
    for path in db_file.parent.glob(db_file.name + "*") if db_file else ():
        raw = path.read_bytes()
        assert GOOD_KEY.encode() not in raw and GOOD_KEY.encode("utf-16-le") not in raw


async def test_nothing_configured_means_pending_never_active(services, alex, sessions):
    saved = await services.exchange.add_coupling(alex, REGENBOOG, "easyrapport", GOOD_KEY)
    assert saved.coupling.status == "pending" and saved.coupling.verified_at is None
    (row,) = await _rows(sessions, LvsCoupling)
    assert row.status_detail == "not-configured"
    assert (await services.exchange.recheck_coupling(alex, REGENBOOG, row.id)).status == "pending"


# -- verification against a local LVS -----------------------------------------------------------

async def test_accepted_key_makes_the_coupling_active(checked, alex, lvs: FakeLvs):
    saved = await checked.add_coupling(alex, REGENBOOG, "momento", GOOD_KEY)
    assert saved.coupling.status == "active" and saved.coupling.verified_at is not None
    (request,) = lvs.requests
    assert request["autorisatiesleutel"] == GOOD_KEY
    assert (request["klantcode"], request["klantnaam"]) == (KLANTCODE, KLANTNAAM)
    assert (request["brincode"], request["dependancecode"]) == ("12AB", "00")
    assert (request["schooljaar"], request["xsdversie"]) == ("2026-2027", "2.3")
    assert request["laatstontvangengegevens"] == "2026-11-29T10:00:00Z"


async def test_refused_key_is_rejected_with_the_standard_fault(checked, alex, sessions):
    saved = await checked.add_coupling(alex, KOMPAS, "parnassys", OTHER_KEY)
    assert saved.coupling.status == "rejected"
    (row,) = await _rows(sessions, LvsCoupling)
    assert row.status_detail == "fault:Client.AutorisatieOngeldig"


async def test_an_lvs_that_does_not_answer_in_time_is_unreachable(checked, alex, lvs, sessions):
    lvs.mode = "hang"
    saved = await checked.add_coupling(alex, REGENBOOG, "momento", GOOD_KEY)
    assert saved.coupling.status == "unreachable"
    (row,) = await _rows(sessions, LvsCoupling)
    assert row.status_detail == "timeout"
    lvs.release()
    lvs.mode = "down"
    assert (await checked.recheck_coupling(alex, REGENBOOG, row.id)).status == "unreachable"
    (row,) = await _rows(sessions, LvsCoupling)
    assert row.status_detail == "http:503"
    lvs.mode = "normal"
    assert (await checked.recheck_coupling(alex, REGENBOOG, row.id)).status == "active"


async def test_unreachable_host_and_wrong_klantcode(sessions, demo, alex, lvs, http):
    closed = Services.build(sessions, clock=fixed_clock, secrets=SecretBox(TEST_KEY),
                            lvs=build_verifier(lvs_settings("http://127.0.0.1:9/uwlr"), http)
                            ).exchange
    saved = await closed.add_coupling(alex, REGENBOOG, "momento", GOOD_KEY)
    assert saved.coupling.status == "unreachable"
    wrong_code = Services.build(sessions, clock=fixed_clock, secrets=SecretBox(TEST_KEY),
                                lvs=build_verifier(lvs_settings(lvs.url, klantcode="X"), http)
                                ).exchange
    # Malmberg's own klantcode is wrong: the school's key is not proven wrong, so it waits.
    saved = await wrong_code.add_coupling(alex, KOMPAS, "momento", GOOD_KEY)
    assert saved.coupling.status == "pending"


async def test_verify_pending_checks_pending_and_unreachable_only(checked, services, alex, lvs,
                                                                  sessions):
    waiting = await services.exchange.add_coupling(alex, REGENBOOG, "momento", GOOD_KEY)  # not configured
    refused = await checked.add_coupling(alex, REGENBOOG, "parnassys", OTHER_KEY)
    lvs.mode = "down"
    down = await checked.add_coupling(alex, KOMPAS, "momento", GOOD_KEY)
    assert (waiting.coupling.status, refused.coupling.status, down.coupling.status) == (
        "pending", "rejected", "unreachable")
    lvs.mode = "normal"
    lvs.requests.clear()
    with pytest.raises(NotAllowed):
        await checked.verify_pending(alex)
    report = await checked.verify_pending(Actor.operator("test"))
    assert report.checked == 2 and dict(report.by_status) == {"active": 2}
    assert len(lvs.requests) == 2  # the refused key is not offered again
    statuses = {(c.school_id, c.system): c.status for c in await _rows(sessions, LvsCoupling)}
    assert statuses == {(REGENBOOG, "momento"): "active", (REGENBOOG, "parnassys"): "rejected",
                        (KOMPAS, "momento"): "active"}
    checks = await _audit(sessions, "verify_lvs_coupling")
    assert [json.loads(e.detail)["status"] for e in checks if e.person_id is None] == [
        "active", "active"]


async def test_verify_pending_leaves_couplings_of_an_lvs_without_a_client_alone(
        checked, alex, lvs: FakeLvs, sessions):
    await checked.add_coupling(alex, REGENBOOG, "easyrapport", GOOD_KEY)  # no client for it
    lvs.mode = "down"
    await checked.add_coupling(alex, REGENBOOG, "momento", GOOD_KEY)
    lvs.mode = "normal"
    report = await checked.verify_pending(Actor.operator("test"))
    assert report.checked == 1 and dict(report.by_status) == {"active": 1}
    statuses = {c.system: (c.status, c.status_detail) for c in await _rows(sessions, LvsCoupling)}
    assert statuses == {"easyrapport": ("pending", "not-configured"), "momento": ("active", "")}


async def test_a_late_answer_for_a_replaced_key_is_ignored(checked, alex, sessions):
    first = await checked.add_coupling(alex, REGENBOOG, "momento", OTHER_KEY)
    (row,) = await _rows(sessions, LvsCoupling)
    old_blob = row.key_secret
    await checked.add_coupling(alex, REGENBOOG, "momento", GOOD_KEY, replace=True)
    from services.exchange.lvs import Verification
    assert await checked._record(alex, first.coupling.id, old_blob,
                                 Verification("rejected", "late")) is None
    (row,) = await _rows(sessions, LvsCoupling)
    assert row.status == "active"


# -- replace, grades, remove --------------------------------------------------------------------

async def test_a_second_coupling_for_the_same_system_must_be_a_replacement(checked, alex,
                                                                           sessions):
    first = await checked.add_coupling(alex, REGENBOOG, "momento", OTHER_KEY)
    await checked.set_forward_grades(alex, REGENBOOG, first.coupling.id, True)
    with pytest.raises(Conflict) as clash:
        await checked.add_coupling(alex, REGENBOOG, "momento", GOOD_KEY)
    assert clash.value.params == {"system": "Momento"}
    assert (await checked.coupling_for_system(alex, REGENBOOG, "momento")).status == "rejected"
    replaced = await checked.add_coupling(alex, REGENBOOG, "momento", GOOD_KEY, replace="true")
    assert replaced.replaced and replaced.coupling.id == first.coupling.id
    assert replaced.coupling.status == "active" and replaced.coupling.masked_key == "••••737="
    assert replaced.coupling.forward_grades  # the school's choice survives a new key
    (row,) = await _rows(sessions, LvsCoupling)
    assert row.status == "active"
    assert [e.action for e in await _audit(sessions, "replace_lvs_coupling")] == [
        "replace_lvs_coupling"]
    assert await checked.coupling_for_system(alex, REGENBOOG, "parnassys") is None


async def test_school_grades_are_set_to_the_value_asked(services, alex, sessions):
    saved = await services.exchange.add_coupling(alex, REGENBOOG, "momento", GOOD_KEY)
    assert not saved.coupling.forward_grades
    for value, expected in ((True, True), ("true", True), ("false", False)):
        dto = await services.exchange.set_forward_grades(alex, REGENBOOG, saved.coupling.id, value)
        assert dto.forward_grades is expected
    assert len(await _audit(sessions, "set_lvs_forward_grades")) == 2  # the repeat changed nothing
    with pytest.raises(InvalidInput):
        await services.exchange.set_forward_grades(alex, REGENBOOG, saved.coupling.id, "maybe")


async def test_remove_deletes_the_row_and_its_key(services, alex, sessions):
    saved = await services.exchange.add_coupling(alex, REGENBOOG, "momento", GOOD_KEY)
    removed = await services.exchange.remove_coupling(alex, REGENBOOG, saved.coupling.id)
    assert (removed.system, removed.system_name) == ("momento", "Momento")
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(LvsCoupling)) == 0
    assert len(await _audit(sessions, "remove_lvs_coupling")) == 1
    with pytest.raises(NotFound) as gone:
        await services.exchange.remove_coupling(alex, REGENBOOG, saved.coupling.id)
    assert gone.value.code == "error.lvs_coupling_not_found"
    overview = await services.exchange.exchange_overview(alex, REGENBOOG)
    assert overview.couplings == ()
    # Consent can be given again afterwards, as a new coupling.
    again = await services.exchange.add_coupling(alex, REGENBOOG, "momento", GOOD_KEY)
    assert not again.replaced


async def test_overview_lists_couplings_in_the_manuals_order(services, alex):
    await services.exchange.add_coupling(alex, REGENBOOG, "easyrapport", GOOD_KEY)
    await services.exchange.add_coupling(alex, REGENBOOG, "parnassys", OTHER_KEY)
    overview = await services.exchange.exchange_overview(alex, REGENBOOG)
    assert [c.system_name for c in overview.couplings] == ["ParnasSys", "Easyrapport"]
    assert [c.masked_key for c in overview.couplings] == ["••••344=", "••••737="]
    assert overview.systems == (("parnassys", "ParnasSys"), ("momento", "Momento"),
                                ("easyrapport", "Easyrapport"))
    assert (await services.exchange.exchange_overview(alex, KOMPAS)).couplings == ()


async def test_a_button_of_a_removed_coupling_does_not_act_on_the_next_one(services, alex,
                                                                           sessions):
    """SQLite gives a new row the id of a just removed one (PostgreSQL's sequences never do):
    an old card's button names the LVS too, and a coupling with another LVS under that id is
    not the one the card showed."""
    momento = (await services.exchange.add_coupling(alex, REGENBOOG, "momento", GOOD_KEY)).coupling
    await services.exchange.remove_coupling(alex, REGENBOOG, momento.id, system="momento")
    parnassys = (await services.exchange.add_coupling(alex, REGENBOOG, "parnassys", OTHER_KEY)).coupling
    assert (parnassys.id == momento.id) is not ON_PG  # the reuse this guards against
    for attempt in (
        services.exchange.set_forward_grades(alex, REGENBOOG, momento.id, True, system="momento"),
        services.exchange.coupling_detail(alex, REGENBOOG, momento.id, system="momento"),
        services.exchange.recheck_coupling(alex, REGENBOOG, momento.id, system="momento"),
        services.exchange.remove_coupling(alex, REGENBOOG, momento.id, system="momento"),
    ):
        with pytest.raises(NotFound) as gone:
            await attempt
        assert gone.value.code == "error.lvs_coupling_not_found"
    (row,) = await _rows(sessions, LvsCoupling)
    assert (row.system, row.forward_grades) == ("parnassys", False)
    with pytest.raises(InvalidInput):
        await services.exchange.set_forward_grades(alex, REGENBOOG, row.id, True, system=["parnassys"])
    dto = await services.exchange.set_forward_grades(alex, REGENBOOG, row.id, True, system="parnassys")
    assert dto.forward_grades


async def test_looking_at_couplings_does_not_wait_for_the_sqlite_write_lock(services, alex,
                                                                            sessions):
    saved = await services.exchange.add_coupling(alex, REGENBOOG, "momento", GOOD_KEY)
    async with sessions.begin() as writer:
        await writer.execute(text("UPDATE schools SET city = city"))  # holds the write lock now
        overview = await asyncio.wait_for(services.exchange.exchange_overview(alex, REGENBOOG), 5)
        existing = await asyncio.wait_for(
            services.exchange.coupling_for_system(alex, REGENBOOG, "momento"), 5)
        detail = await asyncio.wait_for(
            services.exchange.coupling_detail(alex, REGENBOOG, saved.coupling.id), 5)
    assert len(overview.couplings) == 1 and existing.id == detail.id == saved.coupling.id


# -- who may see and change a coupling ----------------------------------------------------------

async def test_a_teacher_can_neither_see_nor_change_a_coupling(services, alex, megan, sessions):
    saved = await services.exchange.add_coupling(alex, REGENBOOG, "momento", GOOD_KEY)
    cid = saved.coupling.id
    for attempt in (
        services.exchange.exchange_overview(megan, REGENBOOG),
        services.exchange.coupling_detail(megan, REGENBOOG, cid),
        services.exchange.coupling_for_system(megan, REGENBOOG, "momento"),
        services.exchange.add_coupling(megan, REGENBOOG, "momento", OTHER_KEY, replace=True),
        services.exchange.set_forward_grades(megan, REGENBOOG, cid, True),
        services.exchange.recheck_coupling(megan, REGENBOOG, cid),
        services.exchange.remove_coupling(megan, REGENBOOG, cid),
        services.exchange.verify_pending(megan),
    ):
        with pytest.raises(NotAllowed):
            await attempt
    (row,) = await _rows(sessions, LvsCoupling)
    assert not row.forward_grades
    assert SecretBox(TEST_KEY).decrypt(row.key_secret, f"lvs:{REGENBOOG}:momento") == GOOD_KEY
    refusals = [e for e in await _rows(sessions, AuditEvent) if e.outcome == "refused"]
    assert len(refusals) == 8


async def test_the_coordinator_of_another_school_cannot_touch_it(services, alex, fatima,
                                                                 sessions):
    saved = await services.exchange.add_coupling(alex, REGENBOOG, "momento", GOOD_KEY)
    cid = saved.coupling.id
    with pytest.raises(NotAllowed):
        await services.exchange.exchange_overview(fatima, REGENBOOG)
    # Her own school id with the other school's coupling id: a forged claim.
    for attempt in (
        services.exchange.coupling_detail(fatima, KOMPAS, cid),
        services.exchange.set_forward_grades(fatima, KOMPAS, cid, True),
        services.exchange.remove_coupling(fatima, KOMPAS, cid),
        services.exchange.recheck_coupling(fatima, KOMPAS, cid),
    ):
        with pytest.raises(NotAllowed):
            await attempt
    assert len(await _rows(sessions, LvsCoupling)) == 1
    assert (await services.exchange.exchange_overview(fatima, KOMPAS)).couplings == ()


# -- the key stays secret -----------------------------------------------------------------------

async def test_neither_logs_nor_audit_ever_hold_the_key(checked, alex, lvs, sessions, caplog):
    caplog.set_level(logging.DEBUG)
    saved = await checked.add_coupling(alex, REGENBOOG, "momento", OTHER_KEY)
    await checked.add_coupling(alex, REGENBOOG, "momento", GOOD_KEY, replace=True)
    lvs.mode = "down"
    await checked.recheck_coupling(alex, REGENBOOG, saved.coupling.id)
    await checked.set_forward_grades(alex, REGENBOOG, saved.coupling.id, True)
    await checked.remove_coupling(alex, REGENBOOG, saved.coupling.id)
    with pytest.raises(InvalidInput):
        await checked.add_coupling(alex, REGENBOOG, "momento", "Pk77881FG HJ99777737=")
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert "LVS-controle" in logged  # the checks did log, just not the key
    for secret in (GOOD_KEY, OTHER_KEY, "Pk77881FG", "HJ99777737"):
        assert secret not in logged
    details = [json.loads(e.detail) for e in await _rows(sessions, AuditEvent)]
    assert details and all(GOOD_KEY not in json.dumps(d) and OTHER_KEY not in json.dumps(d)
                           and "737=" not in json.dumps(d) for d in details)
