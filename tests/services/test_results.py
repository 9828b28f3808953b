"""Results to the LVS: the export formats, the queue, and the UWLR sender against the local LVS."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from lxml import etree
from sqlalchemy import select

from cards.exchange import overview_card
from cards.i18n import Texts
from services.actor import Actor, Identity
from services.db import create_engine, create_sessions, upgrade
from services.demo import PLAYGROUND_TENANT, load_demo
from services.errors import NotAllowed
from services.models import ROLE_PUPIL, LvsCoupling, LvsResult, Person, Role
from services.registry import Services
from services.results import DocumentError
from services.results.client import ResultsClient
from services.results.documents import parse_document
from services.results.envelope import NS_LR
from services.secrets import SecretBox
from tests.cardcheck import card_texts, check_card
from tests.conftest import ALEX_AAD, TEST_KEY, fixed_clock
from tests.lvs_fake import (
    GOOD_KEY,
    KLANTCODE,
    KLANTNAAM,
    KOMPAS_KEY,
    FakeLvs,
    leerresultaten_schema,
    start_fake_lvs,
)

REGENBOOG, KOMPAS = 1, 2
OPERATOR = Actor.operator("test")
NORM = [{"term": "A", "van": 30, "tot": 40, "schoolcijfer_vanaf": "8.0",
         "schoolcijfer_totenmet": "10.0"},
        {"term": "B", "van": 0, "tot": 29, "schoolcijfer_vanaf": "4,5",
         "schoolcijfer_totenmet": "7.9"}]


@pytest.fixture
async def lvs(aiohttp_server):
    fake = await start_fake_lvs(aiohttp_server)
    yield fake
    fake.release()


@pytest.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


class Waits:
    """The sender's backoff, recorded instead of slept (the retries themselves are real)."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


@pytest.fixture
def waits() -> Waits:
    return Waits()


def clients(lvs: FakeLvs, http, waits, *, systems=("momento", "parnassys"), xsd="2.2",
            timeout=2.0, attempts=3) -> dict[str, ResultsClient]:
    return {system: ResultsClient(system, http, endpoint=lvs.results_url, klantcode=KLANTCODE,
                                  klantnaam=KLANTNAAM, xsd_version=xsd, timeout=timeout,
                                  attempts=attempts, backoff=1.0, sleep=waits)
            for system in systems}


@pytest.fixture
async def sending(sessions, demo, lvs, http, waits) -> Services:
    return Services.build(sessions, clock=fixed_clock, secrets=SecretBox(TEST_KEY),
                          results_clients=clients(lvs, http, waits))


async def pupils(sessions, school_id: int, n: int = 3) -> list[tuple[str, str | None]]:
    """(LAS key, ECK-iD) of some pupils of the school."""
    async with sessions() as session:
        rows = (await session.execute(
            select(Person.basispoort_key, Person.eck_id).join(Role, Role.person_id == Person.id)
            .where(Role.school_id == school_id, Role.role == ROLE_PUPIL)
            .order_by(Person.id).limit(n))).all()
    return [tuple(r) for r in rows]


def export(rows: list[dict]) -> bytes:
    return json.dumps({"resultaten": rows}).encode()


def result(key: str, pupil: str, *, brin="12AB", vestiging="00", score=34, code="PP-G5-B1",
           **extra) -> dict:
    row = {"key": key, "brin": brin, "vestiging": vestiging, "leerling": pupil,
           "toetscode": code, "toetsnaam": "Pluspunt groep 5 blok 1",
           "afnamedatum": "2026-11-20", "score": score, "norm": NORM}
    row.update(extra)
    return {k: v for k, v in row.items() if v is not None}


async def couple(services: Services, alex, school=REGENBOOG, system="parnassys", key=GOOD_KEY):
    return (await services.exchange.add_coupling(alex, school, system, key, replace=True)).coupling


async def coupling_row(sessions, school=REGENBOOG, system="parnassys") -> LvsCoupling:
    async with sessions() as session:
        return await session.scalar(select(LvsCoupling).where(
            LvsCoupling.school_id == school, LvsCoupling.system == system))


async def statuses(sessions) -> dict[str, tuple[str, str]]:
    async with sessions() as session:
        return {r.result_key + "@" + r.system: (r.status, r.reason)
                for r in (await session.scalars(select(LvsResult))).all()}


def text_of(card: dict) -> str:
    check_card(card)
    return "\n".join(card_texts(card))


def all_valid(lvs: FakeLvs) -> bool:
    return all(r["valid"] for r in lvs.requests) and bool(lvs.requests)


# -- the export formats -------------------------------------------------------------------------

CSV = """key;brin;vestiging;leerling;eckid;toetscode;toetsnaam;afnamedatum;score;vaardigheidsscore;norm;bingel_oefening
R1;12AB;00;P1;;PP-G5-B1;Pluspunt 5 blok 1;2026-11-20;34;;A=30-40@8.0-10.0|B=0-29@4,5-7.9;nee
R2;12AB;00;;https://ketenid.nl/201703/x;BINGEL-OEF-12;;2026-11-21;7;;;ja
R3;12ab;00;P3;;PP-G5-B1;;31-11-2026;34;;;
R4;12AB;0;P4;;PP-G5-B1;;2026-11-20;;;;
R5;12AB;00;P5;;NAUT-OBS;;2026-11-20;;101,5;;
R6;12AB;00;P6;;PP-G5-B1;;2026-11-20;34;;A=10-5;
R1;12AB;00;P7;;PP-G5-B1;;2026-11-20;30;;;
"""


def test_csv_export_good_rows_go_on_bad_rows_are_named_with_line_and_reason():
    parsed = parse_document(CSV.encode(), kind="csv")
    assert [(r.line, r.key) for r in parsed.rows] == [(2, "R1"), (3, "R2"), (6, "R5")]
    r1, r2, r5 = parsed.rows
    assert (r1.score, r1.norm[1].grade_from, r1.practice) == (34, "4.5", False)
    assert (r2.pupil_key, r2.eck_id, r2.practice) == (None, "https://ketenid.nl/201703/x", True)
    assert (r5.score, r5.ability) == (None, "101.5")
    reasons = {b.line: b.reason for b in parsed.bad}
    assert set(reasons) == {4, 5, 7, 8}
    assert "afnamedatum" in reasons[4]
    assert "vestiging" in reasons[5]
    assert "van ≤ tot" in reasons[7] or "onleesbaar" in reasons[7]
    assert "staat al op regel 2" in reasons[8]


@pytest.mark.parametrize("data, message", [
    (b"\xff\xfe", "UTF-8"),
    (b"{not json", "JSON"),
    (b'{"resultaten": 3}', "resultaten"),
    (b"a;b\n1;2\n", "Kolommen ontbreken"),
    (b"", "kopregel"),
])
def test_unusable_documents_are_refused_as_a_whole(data, message):
    with pytest.raises(DocumentError, match=message):
        parse_document(data)


def test_json_rows_are_checked_field_by_field():
    parsed = parse_document(export([
        result("ok", "P1"),
        result("neg", "P1", score=-1),
        result("both", "P1", vaardigheidsscore="3.5"),
        result("nobody", None),
        result("grades", "P1", norm=[{"term": "A", "van": 1, "tot": 2,
                                      "schoolcijfer_vanaf": "11", "schoolcijfer_totenmet": "12"}]),
        result("half", "P1", norm=[{"term": "A", "van": 1, "tot": 2,
                                    "schoolcijfer_vanaf": "6"}]),
        "not an object",
        result("x" * 257, "P1"),
    ]))
    assert [r.key for r in parsed.rows] == ["ok"]
    reasons = [b.reason for b in parsed.bad]
    assert [b.line for b in parsed.bad] == [2, 3, 4, 5, 6, 7, 8]
    assert "score" in reasons[0] and "precies één" in reasons[1]
    assert "eckid" in reasons[2] and "schoolcijfer_vanaf" in reasons[3]
    assert "horen samen" in reasons[4] and "te lang" in reasons[6]


# -- the queue ----------------------------------------------------------------------------------

async def test_import_queues_per_coupling_and_recognises_a_resend(services, sessions, alex):
    await couple(services, alex, system="parnassys")
    await couple(services, alex, system="momento")
    (p1, _), (p2, eck2), _ = await pupils(sessions, REGENBOOG)
    document = export([
        result("R1", p1),
        result("R2", None, eckid=eck2, code="BINGEL-OEF", norm=None, bingel_oefening=True),
        result("R3", p1, brin="99ZZ"),
        result("R4", p1, brin="34CD", vestiging="01"),  # Het Kompas has no coupling
    ])
    with pytest.raises(NotAllowed):
        await services.results.import_document(alex, document)
    report = await services.results.import_document(OPERATOR, document)
    assert (report.rows, report.queued, report.known) == (4, 3, 0)
    assert [(p.line, p.reason) for p in report.problems] == [
        (3, "school 99ZZ vestiging 00 is niet bekend"),
        (4, "de school heeft geen koppeling met een LVS")]
    queued = await statuses(sessions)
    # Bingel practice results go to Momento only; the pupil was found by ECK-iD.
    assert set(queued) == {"R1@parnassys", "R1@momento", "R2@momento"}
    async with sessions() as session:
        r2 = await session.scalar(select(LvsResult).where(LvsResult.result_key == "R2"))
    assert (r2.pupil_key, r2.practice) == (p2, True)

    again = await services.results.import_document(OPERATOR, document)
    assert (again.queued, again.known) == (0, 3)
    changed = await services.results.import_document(OPERATOR, export([result("R1", p1, score=35)]))
    assert (changed.queued, changed.known) == (2, 0)  # a correction is queued again
    assert len(await statuses(sessions)) == 3


async def test_removing_the_coupling_withdraws_its_queued_results(sending, sessions, alex, lvs):
    coupling = await couple(sending, alex)
    (p1, _), *_ = await pupils(sessions, REGENBOOG)
    await sending.results.import_document(OPERATOR, export([result("R1", p1)]))
    shown = text_of(overview_card(Texts(), await sending.exchange.exchange_overview(
        alex, REGENBOOG)))
    assert "Wachten op versturen" in shown and "Laatste uitwisseling" in shown
    await sending.exchange.remove_coupling(alex, REGENBOOG, coupling.id)
    assert await statuses(sessions) == {}
    assert (await sending.results.send_pending(OPERATOR)).couplings == ()
    assert lvs.requests == []


# -- sending: the whole loop --------------------------------------------------------------------

async def test_import_send_active_then_wrong_key_refused(sending, sessions, alex, lvs):
    await couple(sending, alex)
    assert (await coupling_row(sessions)).status == "pending"
    (p1, _), (p2, _), _ = await pupils(sessions, REGENBOOG)
    await sending.results.import_document(OPERATOR, export([result("R1", p1),
                                                            result("R2", p2, score=12)]))
    report = await sending.results.send_pending(OPERATOR)
    assert [(c.system, c.status, c.sent) for c in report.couplings] == [("parnassys", "active", 2)]
    assert all_valid(lvs) and lvs.accepted_keys() == ["R1", "R2"]
    (request,) = lvs.requests
    assert (request["action"], request["autorisatiesleutel"], request["klantcode"],
            request["klantnaam"]) == ("BrengLeerresultaten", GOOD_KEY, KLANTCODE, KLANTNAAM)
    assert (request["brincode"], request["dependancecode"], request["xsdversie"]) == (
        "12AB", "00", "2.2")
    # "Schoolcijfers doorsturen" is off: the norm goes without the school grades.
    assert request["norms"]["PP-G5-B1"][0] == {"term": "A", "beginnormwaarde": "30",
                                               "eindnormwaarde": "40"}
    row = await coupling_row(sessions)
    # SQLite hands moments back without a zone, PostgreSQL with one: compare in UTC.
    now = fixed_clock().replace(tzinfo=None)
    moments = [m.replace(tzinfo=None) for m in (row.active_since, row.last_exchange_at)]
    assert (row.status, row.results_sent, *moments) == ("active", 2, now, now)
    overview = await sending.exchange.exchange_overview(alex, REGENBOOG)
    shown = text_of(overview_card(Texts(), overview))
    assert "Actief" in shown and "Actief sinds" in shown and "29-11-2026" in shown
    assert "heeft 2 resultaten van Malmberg aangenomen" in shown

    # A resend of the same export sends nothing twice.
    again = await sending.results.import_document(OPERATOR, export([result("R1", p1),
                                                                   result("R2", p2, score=12)]))
    assert again.known == 2
    assert (await sending.results.send_pending(OPERATOR)).couplings == ()
    assert len(lvs.requests) == 1

    # The key is replaced by a wrong one: the LVS refuses it, the card says so.
    await couple(sending, alex, key="Zz99001AB-CD11223344=")
    await sending.results.import_document(OPERATOR, export([result("R3", p1, score=40)]))
    report = await sending.results.send_pending(OPERATOR)
    assert [(c.status, c.sent, c.detail) for c in report.couplings] == [
        ("rejected", 0, "fault:Client.AutorisatieOngeldig")]
    assert (await statuses(sessions))["R3@parnassys"] == ("queued", "")  # kept for later
    overview = await sending.exchange.exchange_overview(alex, REGENBOOG)
    shown = text_of(overview_card(Texts(), overview))
    assert "Sleutel geweigerd" in shown and "Actief sinds" not in shown
    assert "ander BRIN-nummer of een andere vestiging" in shown and "12AB" in shown
    assert all_valid(lvs)


async def test_a_key_of_another_school_is_refused_with_the_school_hint(sending, sessions, alex,
                                                                       lvs):
    await couple(sending, alex, key=KOMPAS_KEY)  # Het Kompas's key entered at De Regenboog
    (p1, _), *_ = await pupils(sessions, REGENBOOG)
    await sending.results.import_document(OPERATOR, export([result("R1", p1)]))
    report = await sending.results.send_pending(OPERATOR)
    assert [(c.status, c.detail) for c in report.couplings] == [
        ("rejected", "fault:Client.OngeldigeKlantIdentificatie")]
    shown = text_of(overview_card(Texts("en"), await sending.exchange.exchange_overview(
        alex, REGENBOOG)))
    assert "Key refused" in shown or "refused" in shown
    assert "another BRIN number or location" in shown


async def test_lvs_down_then_up(sending, sessions, alex, lvs, waits):
    await couple(sending, alex)
    (p1, _), *_ = await pupils(sessions, REGENBOOG)
    await sending.results.import_document(OPERATOR, export([result("R1", p1)]))
    lvs.mode = "busy"  # Server.TijdelijkNietBeschikbaar on every try
    report = await sending.results.send_pending(OPERATOR)
    assert [(c.status, c.sent, c.detail) for c in report.couplings] == [
        ("unreachable", 0, "fault:Server.TijdelijkNietBeschikbaar")]
    assert lvs.unavailable_requests == 3 and len(waits.seconds) == 2  # 3 tries, 2 waits
    assert waits.seconds[1] > waits.seconds[0]  # backing off
    shown = text_of(overview_card(Texts(), await sending.exchange.exchange_overview(
        alex, REGENBOOG)))
    assert "LVS niet bereikbaar" in shown and "Wachten op versturen" in shown

    lvs.mode = "down"  # HTTP 503 twice, then the LVS is back within the same round
    lvs.unavailable_for = 2
    report = await sending.results.send_pending(OPERATOR)
    assert [(c.status, c.sent) for c in report.couplings] == [("active", 1)]
    assert lvs.accepted_keys() == ["R1"] and all_valid(lvs)


async def test_no_answer_within_the_timeout_counts_as_unreachable(sessions, demo, alex, lvs,
                                                                  http, waits):
    services = Services.build(sessions, clock=fixed_clock, secrets=SecretBox(TEST_KEY),
                              results_clients=clients(lvs, http, waits, timeout=0.2,
                                                      attempts=2))
    await couple(services, alex)
    (p1, _), *_ = await pupils(sessions, REGENBOOG)
    await services.results.import_document(OPERATOR, export([result("R1", p1)]))
    lvs.mode = "hang"
    report = await services.results.send_pending(OPERATOR)
    assert [(c.status, c.detail) for c in report.couplings] == [("unreachable", "timeout")]


async def test_a_refused_record_is_set_aside_and_the_rest_is_sent(sending, sessions, alex, lvs):
    await couple(sending, alex)
    (p1, _), (p2, _), (p3, _) = await pupils(sessions, REGENBOOG)
    lvs.bad_pupils.add(p2)
    lvs.bad_norms.add("NORM-X")
    await sending.results.import_document(OPERATOR, export([
        result("R1", p1), result("R2", p2), result("R3", p3, score=5000),
        result("R4", p1, code="NORM-X"), result("R5", p3, score=20)]))
    report = await sending.results.send_pending(OPERATOR)
    assert [(c.status, c.sent, c.set_aside) for c in report.couplings] == [("active", 2, 3)]
    assert sorted(lvs.accepted_keys()) == ["R1", "R5"]
    assert await statuses(sessions) == {
        "R1@parnassys": ("sent", ""), "R2@parnassys": ("set_aside", "Client.LeerlingOngeldig"),
        "R3@parnassys": ("set_aside", "Client.ScoreOngeldig"),
        "R4@parnassys": ("set_aside", "Client.ToetsNormeringOngeldig"),
        "R5@parnassys": ("sent", "")}
    assert all_valid(lvs)
    shown = text_of(overview_card(Texts(), await sending.exchange.exchange_overview(
        alex, REGENBOOG)))
    assert "1 resultaat: de leerling is niet bekend in ParnasSys" in shown
    assert "1 resultaat: ParnasSys neemt de score niet aan." in shown
    assert "normering van de toets" in shown
    # A resend of the refused records does not offer them again.
    await sending.results.import_document(OPERATOR, export([result("R2", p2)]))
    assert (await sending.results.send_pending(OPERATOR)).couplings == ()


async def test_a_fault_that_names_no_record_is_narrowed_down_by_halving(sending, sessions, alex,
                                                                      lvs):
    await couple(sending, alex)
    rows = await pupils(sessions, REGENBOOG, 3)
    lvs.bad_pupils.add(rows[1][0])
    lvs.name_records = False
    await sending.results.import_document(OPERATOR, export(
        [result(f"R{n}", rows[n % 3][0], code=f"T{n}") for n in range(6)]))
    report = await sending.results.send_pending(OPERATOR)
    assert [(c.sent, c.set_aside) for c in report.couplings] == [(4, 2)]
    assert sorted(lvs.accepted_keys()) == ["R0", "R2", "R3", "R5"]
    assert {k for k, (status, _) in (await statuses(sessions)).items()
            if status == "set_aside"} == {"R1@parnassys", "R4@parnassys"}
    assert all_valid(lvs)


async def test_a_message_the_lvs_calls_invalid_sets_nothing_aside(sending, sessions, alex, lvs):
    await couple(sending, alex)
    (p1, _), *_ = await pupils(sessions, REGENBOOG)
    await sending.results.import_document(OPERATOR, export([result("R1", p1)]))
    lvs.refuse_all = "Client.OngeldigBericht"  # whatever we send: no record is to blame
    report = await sending.results.send_pending(OPERATOR)
    assert [(c.status, c.set_aside, c.detail) for c in report.couplings] == [
        ("pending", 0, "fault:Client.OngeldigBericht")]
    assert (await statuses(sessions))["R1@parnassys"] == ("queued", "")
    assert len(lvs.requests) == 1 and all_valid(lvs)


async def test_school_grades_bingel_and_xsd_version_per_lvs(sessions, demo, alex, lvs, http,
                                                            waits):
    services = Services.build(sessions, clock=fixed_clock, secrets=SecretBox(TEST_KEY),
                              results_clients=clients(lvs, http, waits, xsd="2.3"))
    parnassys = await couple(services, alex, system="parnassys")
    await couple(services, alex, system="momento")
    await services.exchange.set_forward_grades(alex, REGENBOOG, parnassys.id, True)
    (p1, _), *_ = await pupils(sessions, REGENBOOG)
    await services.results.import_document(OPERATOR, export([
        result("R1", p1), result("B1", p1, code="BINGEL", norm=None, bingel_oefening=True)]))
    await services.results.send_pending(OPERATOR)
    by_system = {tuple(r["results"]): r for r in lvs.requests}
    momento, parnas = by_system[("R1", "B1")], by_system[("R1",)]
    assert parnas["xsdversie"] == momento["xsdversie"] == "2.3"
    assert parnas["norms"]["PP-G5-B1"][1] == {
        "term": "B", "beginnormwaarde": "0", "eindnormwaarde": "29",
        "schoolcijfer_vanaf": "4.5", "schoolcijfer_totenmet": "7.9"}
    assert "schoolcijfer_vanaf" not in momento["norms"]["PP-G5-B1"][0]  # Momento: grades off


async def test_two_workers_never_send_the_same_result(sessions, demo, alex, lvs, http, waits):
    one = Services.build(sessions, clock=fixed_clock, secrets=SecretBox(TEST_KEY),
                         results_clients=clients(lvs, http, waits))
    two = Services.build(sessions, clock=fixed_clock, secrets=SecretBox(TEST_KEY),
                         results_clients=clients(lvs, http, waits))
    await couple(one, alex, system="parnassys")
    await couple(one, alex, system="momento")
    await couple(one, alex, school=KOMPAS, system="momento", key=KOMPAS_KEY)
    regenboog = await pupils(sessions, REGENBOOG, 3)
    kompas = await pupils(sessions, KOMPAS, 3)
    await one.results.import_document(OPERATOR, export(
        [result(f"R{n}", key) for n, (key, _) in enumerate(regenboog)]
        + [result(f"K{n}", key, brin="34CD", vestiging="01") for n, (key, _) in enumerate(kompas)]))
    lvs.delay = 0.3  # every worker finds the results queued while the first is still sending
    reports = await asyncio.gather(*(s.results.send_pending(OPERATOR)
                                     for s in (one, two, one, two)))
    assert sum(r.sent for r in reports) == 9
    # Each result once per LVS: De Regenboog's to ParnasSys and Momento, Het Kompas's to Momento.
    assert sorted(lvs.accepted_keys()) == sorted(["R0", "R1", "R2"] * 2 + ["K0", "K1", "K2"])
    assert len(lvs.requests) == 3  # one message per school and LVS


def test_the_message_we_build_validates_and_names_every_test_once():
    from datetime import date

    from services.results.envelope import Authorisation, Record, School, build_request

    records = [Record(n, f"R{n}", "P1", None, "T1", "", date(2026, 11, 20), n, None,
                      json.dumps([{"term": "A", "van": 0, "tot": 9}])) for n in range(3)]
    records.append(Record(9, "O1", "P2", "https://ketenid.nl/x", "OBS", "Observatie",
                          date(2026, 11, 20), None, "101.5", "[]"))
    document = build_request(Authorisation(GOOD_KEY, KLANTCODE, KLANTNAAM),
                             School("12AB", "00", "2026-2027"), records, forward_grades=True)
    root = etree.fromstring(document)
    assert leerresultaten_schema().validate(root), leerresultaten_schema().error_log
    assert [t.text for t in root.iter(f"{{{NS_LR}}}toetscode")].count("T1") == 4  # 3 + 1 toets
    assert len(list(root.iter(f"{{{NS_LR}}}toets"))) == 2


async def test_two_workers_on_postgresql_never_send_the_same_result(pg_url, lvs, http, waits):
    await upgrade(pg_url)
    engines = [create_engine(pg_url), create_engine(pg_url)]
    try:
        workers = [Services.build(create_sessions(engine), clock=fixed_clock,
                                  secrets=SecretBox(TEST_KEY),
                                  results_clients=clients(lvs, http, waits))
                   for engine in engines]
        sessions = workers[0].results.ctx.sessions
        await load_demo(sessions, today=fixed_clock().date(), secrets=SecretBox(TEST_KEY))
        alex = await workers[0].school.resolve_actor(
            Identity(tenant_id=PLAYGROUND_TENANT, aad_object_id=ALEX_AAD))
        regenboog = next(s.id for s in alex.coordinator_of if s.brin == "12AB")
        await couple(workers[0], alex, school=regenboog, system="parnassys")
        await couple(workers[0], alex, school=regenboog, system="momento")
        rows = await pupils(sessions, regenboog, 5)
        await workers[1].results.import_document(OPERATOR, export(
            [result(f"R{n}", key) for n, (key, _) in enumerate(rows)]))
        lvs.delay = 0.3
        reports = await asyncio.gather(*(w.results.send_pending(OPERATOR)
                                         for w in workers + workers))
    finally:
        for engine in engines:
            await engine.dispose()
    assert sum(r.sent for r in reports) == 10
    assert sorted(lvs.accepted_keys()) == sorted([f"R{n}" for n in range(5)] * 2)
    assert len(lvs.requests) == 2 and all_valid(lvs)
