"""POST /api/results through the real app, the sender inside `serve`, and `beheerbot results`."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.app import create_app
from bot.cli import main
from bot.results import RESULTS_SENDER
from services.actor import Identity
from services.db import create_engine, create_sessions
from services.demo import PLAYGROUND_TENANT
from services.exchange.lvs import LvsEndpoint, LvsSettings
from services.registry import Services
from services.secrets import SecretBox
from tests.conftest import ALEX_AAD, TEST_KEY, TEST_KEY_TEXT, db_rows, fixed_clock, make_settings
from tests.lvs_fake import GOOD_KEY, KLANTCODE, KLANTNAAM, FakeLvs, start_fake_lvs

TOKEN = "t" * 40


@pytest.fixture
async def lvs(aiohttp_server):
    fake = await start_fake_lvs(aiohttp_server)
    yield fake
    fake.release()


def _pupil(db_url: str) -> str:
    return db_rows(db_url,
                   "select p.basispoort_key from people p join roles r on r.person_id = p.id "
                   "where r.school_id = 1 and r.role = 'pupil' order by p.id limit 1")[0][0]


def _results(db_url: str) -> list[tuple[str, str, str]]:
    return db_rows(db_url, "select result_key, system, status from lvs_results "
                           "order by result_key")


def _coupling(db_url: str) -> tuple[str, int]:
    return db_rows(db_url, "select status, results_sent from lvs_couplings")[0]


async def _couple(db_url: str) -> None:
    engine = create_engine(db_url)
    services = Services.build(create_sessions(engine), clock=fixed_clock,
                              secrets=SecretBox(TEST_KEY))
    alex = await services.school.resolve_actor(
        Identity(tenant_id=PLAYGROUND_TENANT, aad_object_id=ALEX_AAD))
    await services.exchange.add_coupling(alex, 1, "parnassys", GOOD_KEY)
    await engine.dispose()


def _export(pupil: str, key: str = "R1") -> bytes:
    return json.dumps({"resultaten": [{
        "key": key, "brin": "12AB", "vestiging": "00", "leerling": pupil,
        "toetscode": "PP-G5-B1", "afnamedatum": "2026-11-20", "score": 31,
        "norm": [{"term": "A", "van": 30, "tot": 40}]}]}).encode()


def _lvs_settings(lvs: FakeLvs) -> LvsSettings:
    endpoint = LvsEndpoint(url=lvs.url, klantcode=KLANTCODE, klantnaam=KLANTNAAM,
                           results_url=lvs.results_url)
    return LvsSettings(endpoints=(("parnassys", endpoint),), verify_interval=0,
                       send_backoff=0)


async def test_without_a_token_configured_the_intake_refuses_everything(aiohttp_client,
                                                                        migrated_demo_db):
    client = await aiohttp_client(create_app(make_settings(migrated_demo_db)))
    response = await client.post("/api/results", data=b"{}",
                                 headers={"Authorization": "Bearer ",
                                          "Content-Type": "application/json"})
    assert response.status == 403


@pytest.mark.parametrize("headers, body, status", [
    ({}, b"{}", 401),
    ({"Authorization": "Bearer wrong"}, b"{}", 401),
    ({"Authorization": f"Basic {TOKEN}"}, b"{}", 401),
    ({"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/html"}, b"<p>", 415),
    ({"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}, b"{nope", 400),
    ({"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
     b'{"resultaten": {}}', 400),
    ({"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/csv"}, b"\xff\xfe\x00", 400),
    ({"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
     b"[" + b" " * 21_000_000 + b"]", 413),
])
async def test_the_intake_answers_garbage_with_a_4xx(aiohttp_client, migrated_demo_db, headers,
                                                    body, status):
    client = await aiohttp_client(create_app(make_settings(migrated_demo_db,
                                                           results_token=TOKEN)))
    response = await client.post("/api/results", data=body, headers=headers)
    assert response.status == status
    assert "error" in await response.json()
    assert _results(migrated_demo_db) == []


async def test_an_import_over_http_is_queued_and_sent_at_once(aiohttp_client, migrated_demo_db,
                                                             lvs: FakeLvs):
    await _couple(migrated_demo_db)
    pupil = _pupil(migrated_demo_db)
    app = create_app(make_settings(migrated_demo_db, results_token=TOKEN,
                                   lvs=_lvs_settings(lvs)), clock=fixed_clock)
    client = await aiohttp_client(app)
    sender = app[RESULTS_SENDER]
    await asyncio.wait_for(sender.round_done.wait(), 10)  # the round at start: nothing queued
    sender.round_done.clear()
    document = _export(pupil) + b"\n"
    bad = json.loads(document)
    bad["resultaten"].append({"key": "R2", "brin": "12AB", "toetscode": "X",
                              "afnamedatum": "gisteren", "score": 1, "leerling": pupil})
    response = await client.post("/api/results", data=json.dumps(bad).encode(),
                                 headers={"Authorization": f"Bearer {TOKEN}",
                                          "Content-Type": "application/json"})
    assert response.status == 200
    report = await response.json()
    assert (report["in_wachtrij"], report["apart_gezet"][0]["regel"]) == (1, 2)
    assert "afnamedatum" in report["apart_gezet"][0]["reden"]
    await asyncio.wait_for(sender.round_done.wait(), 10)  # woken by the import
    assert _results(migrated_demo_db) == [("R1", "parnassys", "sent")]
    assert _coupling(migrated_demo_db) == ("active", 1)
    assert lvs.accepted_keys() == ["R1"] and all(r["valid"] for r in lvs.requests)


async def test_results_import_and_send_commands(migrated_demo_db, lvs: FakeLvs, monkeypatch,
                                                tmp_path, capsys):
    await _couple(migrated_demo_db)
    pupil = _pupil(migrated_demo_db)
    export = tmp_path / "resultaten.csv"
    export.write_text(
        "key;brin;vestiging;leerling;toetscode;afnamedatum;score;norm\n"
        f"C1;12AB;00;{pupil};PP-G5-B1;2026-11-20;31;A=30-40@8-10\n"
        f"C2;12AB;00;{pupil};PP-G5-B1;2026-11-20;veel;\n", encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", migrated_demo_db)
    monkeypatch.setenv("BEHEERBOT_SECRET_KEY", TEST_KEY_TEXT)
    assert await asyncio.to_thread(main, ["results", "import", str(export)]) == 0
    out = capsys.readouterr().out
    assert "1 in de wachtrij" in out and "regel 3:" in out and "score" in out
    assert _results(migrated_demo_db) == [("C1", "parnassys", "queued")]  # no LVS configured
    monkeypatch.setenv("LVS_ENDPOINT_PARNASSYS", lvs.url)
    monkeypatch.setenv("LVS_RESULTS_ENDPOINT_PARNASSYS", lvs.results_url)
    monkeypatch.setenv("LVS_KLANTCODE_PARNASSYS", KLANTCODE)
    assert await asyncio.to_thread(main, ["results", "send"]) == 0
    assert "12AB00 parnassys: 1 verstuurd" in capsys.readouterr().out
    assert _results(migrated_demo_db) == [("C1", "parnassys", "sent")]
    assert await asyncio.to_thread(main, ["results", "import", str(export)]) == 0
    assert "1 al bekend" in capsys.readouterr().out
    assert len(lvs.requests) == 1  # the resend sent nothing
    assert await asyncio.to_thread(main, ["results", "import", str(tmp_path / "nope")]) == 2


def test_the_nightly_round_is_at_the_send_time_in_dutch_time():
    from datetime import UTC, datetime

    from bot.results import ResultsSender

    winter = ResultsSender(None, "03:00", clock=lambda: datetime(2026, 11, 29, 1, 59, tzinfo=UTC))
    assert winter._seconds_to_next_round() == 60  # 02:59 in Amsterdam (UTC+1)
    summer = ResultsSender(None, "03:00", clock=lambda: datetime(2026, 6, 1, 1, 0, 1, tzinfo=UTC))
    assert summer._seconds_to_next_round() == 24 * 3600 - 1  # 03:00:01 CEST: tomorrow
