"""The sync at the command line and inside serve: files, folders and the inbox, the summary
table, files moved aside, and the nightly schedule."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, time

import pytest

from bot.app import create_app
from bot.cli import main
from bot.nightly import NIGHTLY, NightlySettings, NightlySync, next_run, run_inbox
from services.demo import DELIVERIES, LATER_DELIVERY
from services.sync import SyncService
from tests.conftest import fixed_clock, make_settings

RENAMED = b"<naam>Groep 3 (Zonnebloem)</naam>"


@pytest.fixture
def demo_env(tmp_path, monkeypatch):
    db = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{db}")
    monkeypatch.setenv("BEHEERBOT_SECRET_KEY", "a-long-enough-test-passphrase")
    monkeypatch.setenv("SYNC_INBOX", str(tmp_path / "inbox"))
    assert main(["demo-data"]) == 0
    return db


def _renamed_delivery(tmp_path):
    data = (DELIVERIES / LATER_DELIVERY).read_bytes().replace(
        b"<naam>Groep 3</naam>", RENAMED)
    path = tmp_path / "12AB-00-2026-11-30.xml"
    path.write_bytes(data)
    return path


def _group_names(db) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {name for (name,) in conn.execute("select name from groups")}


def test_sync_command_applies_files_and_prints_a_table(demo_env, tmp_path, capsys):
    path = _renamed_delivery(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text('{"instelling": {"brin": "1X", "vestiging": "00"}, "groepen": []}')
    assert main(["sync", str(path), str(bad)]) == 1  # one rejected
    out = capsys.readouterr().out
    assert "Basispoort-synchronisatie" in out and "verwerkt" in out and "hernoemd 1" in out
    assert "AFGEWEZEN" in out and "BRIN '1X' is geen geldige BRIN" in out
    assert "Groep 3 (Zonnebloem)" in _group_names(demo_env)
    # The same file again: recognised, nothing changes, exit 0.
    assert main(["sync", str(path)]) == 0
    assert "ongewijzigd" in capsys.readouterr().out


def _active_pupils(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from roles join people on people.id = "
                            "roles.person_id where roles.role = 'pupil' and "
                            "people.status = 'active'").fetchone()[0]


def test_a_school_emptied_by_its_delivery_waits_for_the_operator(demo_env, tmp_path, capsys):
    """A delivery in which most pupils leave looks like a broken export: refused with the way
    out in its report, and applied only when the operator says so."""
    data = (DELIVERIES / LATER_DELIVERY).read_text()
    start, end = data.index("<leerlingen>"), data.index("</leerlingen>")
    path = tmp_path / "12AB-00-2026-12-01.xml"
    path.write_text(data[:start] + "<leerlingen>" + data[end:])
    pupils = _active_pupils(demo_env)
    assert main(["sync", str(path)]) == 1
    out = capsys.readouterr().out
    assert "leerlingen de school verlaten" in out and "--allow-mass-leaving" in out
    assert _active_pupils(demo_env) == pupils
    assert main(["sync", "--allow-mass-leaving", str(path)]) == 0
    assert "verwerkt" in capsys.readouterr().out
    assert _active_pupils(demo_env) < pupils


def test_sync_inbox_moves_files_aside_so_nothing_applies_twice(demo_env, tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = _renamed_delivery(inbox)
    (inbox / "broken.xml").write_text("<EDEX><school>")
    assert main(["sync", "--inbox"]) == 1
    assert not path.exists() and not (inbox / "broken.xml").exists()
    assert list((inbox / "verwerkt").glob("*/12AB-00-2026-11-30.xml"))
    assert list((inbox / "afgewezen").glob("*/broken.xml"))
    assert main(["sync", "--inbox"]) == 0  # an empty inbox
    assert "Groep 3 (Zonnebloem)" in _group_names(demo_env)


def test_sync_command_refuses_missing_paths(demo_env, capsys):
    assert main(["sync", "/does/not/exist.xml"]) == 2
    assert "bestaat niet" in capsys.readouterr().err
    assert main(["sync"]) == 2


def test_coordinator_add_for_an_edexml_school(demo_env, capsys):
    assert main(["coordinator", "add", "--school", "12AB00",
                 "--email", "f.elamrani@cbshetkompas.nl"]) == 0
    assert "Fatima el Amrani is ict-coördinator van 12AB-00" in capsys.readouterr().out
    assert main(["coordinator", "add", "--school", "99ZZ00", "--email", "x@y.nl"]) == 1
    assert "Deze school bestaat niet" in capsys.readouterr().err


@pytest.mark.parametrize(("now", "expected"), [
    # 01:00 UTC in winter is 02:00 in Amsterdam: due now has passed, so tomorrow.
    (datetime(2026, 12, 2, 0, 30, tzinfo=UTC), datetime(2026, 12, 2, 1, 0, tzinfo=UTC)),
    (datetime(2026, 12, 2, 1, 0, tzinfo=UTC), datetime(2026, 12, 3, 1, 0, tzinfo=UTC)),
    # Summer time: 02:00 in Amsterdam is 00:00 UTC.
    (datetime(2026, 7, 1, 12, 0, tzinfo=UTC), datetime(2026, 7, 2, 0, 0, tzinfo=UTC)),
])
def test_the_nightly_run_is_at_two_dutch_time(now, expected):
    assert next_run(now, time(2, 0), "Europe/Amsterdam") == expected


def test_nightly_settings_refuse_nonsense():
    assert NightlySettings.from_env({}).inbox is not None
    assert NightlySettings.from_env({"SYNC_INBOX": ""}).inbox is None
    with pytest.raises(ValueError, match="SYNC_TIME"):
        NightlySettings.from_env({"SYNC_TIME": "twee uur"})
    with pytest.raises(ValueError, match="SYNC_TIMEZONE"):
        NightlySettings.from_env({"SYNC_TIMEZONE": "Mars/Olympus"})


async def test_the_nightly_run_applies_the_inbox_and_wakes_the_sender(services, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _renamed_delivery(inbox)
    woken = []
    nightly = NightlySync(services.sync, NightlySettings(inbox=inbox), clock=fixed_clock,
                          after_run=lambda: woken.append(True))
    results = await nightly.run_once()
    assert [r.status for r in results] == ["applied"] and woken == [True]
    assert await run_inbox(services.sync, inbox, now=fixed_clock()) == []


async def test_serve_starts_the_nightly_run_when_an_inbox_is_set(aiohttp_client, migrated_demo_db,
                                                                 tmp_path):
    settings = make_settings(migrated_demo_db,
                             nightly=NightlySettings(inbox=tmp_path / "inbox"))
    app = create_app(settings, clock=fixed_clock)
    await aiohttp_client(app)
    nightly = app[NIGHTLY]
    await asyncio.sleep(0)
    assert isinstance(nightly.sync, SyncService) and nightly._task is not None
    assert not nightly._task.done()
